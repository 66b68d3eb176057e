/**
 * Content script: runs on known live platforms (static match) and on any tab the user starts from
 * the popup (injected through `scripting`). It finds the chat, reads each message once and hands it
 * to the transport. It never opens IndexedDB: evidence lives only in the extension's origin.
 */
import browser from 'webextension-polyfill';
import { CAPTURE_PORT, PROTOCOL_VERSION, type Hello } from '../core/protocol';
import { LIMITS } from '../core/evidence';
import { isoTime, randomHex } from '../core/time';
import { wellFormed } from '../core/canonical';
import { adapterFor } from '../adapters/registry';
import { GrowthWatcher } from '../adapters/generic';
import { platformOf } from '../adapters/platforms';
import type { Adapter } from '../adapters/types';
import { CaptureTransport, type PortLike } from './transport';
import { ChatObserver, type ObservedRow } from './chat-observer';

const LOCATE_EVERY_MS = 1000;

class ContentCapture {
  private transport: CaptureTransport | null = null;
  private chat: ChatObserver | null = null;
  private growth: MutationObserver | null = null;
  private locateTimer: ReturnType<typeof setInterval> | null = null;
  private readonly adapter: Adapter = adapterFor(location.href);

  start(): void {
    if (this.transport) return;
    const transport = new CaptureTransport(
      {
        connect: () => browser.runtime.connect({ name: CAPTURE_PORT }) as unknown as PortLike,
        hello: (sessionId) => this.hello(sessionId),
        onStopped: () => this.stop(),
      },
      randomHex(8),
    );
    this.transport = transport;
    transport.start();
    this.locate();
    this.locateTimer = setInterval(() => this.locate(), LOCATE_EVERY_MS);
  }

  stop(): void {
    if (this.locateTimer) clearInterval(this.locateTimer);
    this.locateTimer = null;
    this.chat?.stop();
    this.chat = null;
    this.growth?.disconnect();
    this.growth = null;
    const t = this.transport;
    this.transport = null;
    t?.stop();
  }

  flush(): void {
    this.transport?.flush();
  }

  private hello(sessionId: string | undefined): Hello {
    return {
      t: 'hello',
      v: PROTOCOL_VERSION,
      instance: this.transport!.instance,
      url: location.href.slice(0, LIMITS.urlChars),
      title: wellFormed(document.title).slice(0, LIMITS.titleChars),
      adapter: this.adapter.id,
      platform: platformOf(location.href),
      ...(sessionId ? { sessionId } : {}),
    };
  }

  /** (Re)finds the chat list; a page may render it late or replace it. */
  private locate(): void {
    if (this.chat && !this.chat.detached) return;
    this.chat?.stop();
    this.chat = null;
    const list = this.adapter.findChatList(document);
    if (list) {
      this.attach(list);
      return;
    }
    if (!this.growth && document.body) this.watchGrowth();
  }

  private attach(list: Element): void {
    this.growth?.disconnect();
    this.growth = null;
    this.chat = new ChatObserver(this.adapter, list, (row) => this.record(row));
    this.chat.start();
  }

  /** No list names itself as chat: take the element that keeps receiving short rows. */
  private watchGrowth(): void {
    const watcher = new GrowthWatcher();
    this.growth = new MutationObserver((records) => {
      const now = Date.now();
      for (const r of records)
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          const list = watcher.added(n as Element, now);
          if (list) {
            this.attach(list);
            return;
          }
        }
    });
    this.growth.observe(document.body, { childList: true, subtree: true });
  }

  private record(row: ObservedRow): void {
    const text = wellFormed(row.text);
    const truncated = text.length > LIMITS.textChars;
    this.transport?.push({
      type: 'chat',
      time: isoTime(),
      data: {
        author: wellFormed(row.author).slice(0, LIMITS.authorChars),
        text: truncated ? text.slice(0, LIMITS.textChars) : text,
        kind: row.kind,
        ...(row.backlog ? { backlog: true } : {}),
        ...(truncated ? { truncated: true } : {}),
      },
    });
  }
}

// The script may be injected again into a tab where it already runs (the user stops, then starts
// again): reuse the instance living in this isolated world instead of observing twice.
const GLOBAL_KEY = '__liveproofContent';
const scope = globalThis as typeof globalThis & { [GLOBAL_KEY]?: ContentCapture };
let capture = scope[GLOBAL_KEY];
if (!capture) {
  const created = new ContentCapture();
  capture = scope[GLOBAL_KEY] = created;
  // Deliver what is buffered before the page goes away or is frozen in the background.
  addEventListener('pagehide', () => created.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') created.flush();
  });
}
capture.start();
