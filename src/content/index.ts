/**
 * Content script: runs on known live platforms (static match) and on any tab the user starts from
 * the popup (injected through `scripting`). It finds the chat, reads each message once and hands it
 * to the transport. It never opens IndexedDB: evidence lives only in the extension's origin.
 */
import browser from 'webextension-polyfill';
import { CAPTURE_PORT, PROTOCOL_VERSION, type Hello } from '../core/protocol';
import { LIMITS } from '../core/evidence';
import { isoTime, randomHex } from '../core/time';
import { clipText } from '../core/canonical';
import { adapterFor } from '../adapters/registry';
import { GrowthWatcher } from '../adapters/generic';
import { platformOf } from '../adapters/platforms';
import type { Adapter } from '../adapters/types';
import { CaptureTransport, type PortLike } from './transport';
import { ChatObserver, type ObservedRow } from './chat-observer';
import { ProductTracker, RoomTracker, roomFacts } from './page-facts';
import { WarningBanner } from './warning-banner';
import { pickLang, translator } from '../core/i18n';

const LOCATE_EVERY_MS = 1000;

class ContentCapture {
  private transport: CaptureTransport | null = null;
  private chat: ChatObserver | null = null;
  private growth: MutationObserver | null = null;
  private locateTimer: ReturnType<typeof setInterval> | null = null;
  private readonly adapter: Adapter = adapterFor(location.href);
  private readonly products = new ProductTracker();
  private readonly room = new RoomTracker();
  private roomKey = this.adapter.roomKey(location.href);
  private banner: WarningBanner | null = null;

  start(): void {
    if (this.transport) return;
    const transport = new CaptureTransport(
      {
        connect: () => browser.runtime.connect({ name: CAPTURE_PORT }) as unknown as PortLike,
        hello: (sessionId) => this.hello(sessionId),
        onStopped: () => this.stop(),
        onWarn: (w) => {
          this.banner ??= new WarningBanner(translator(pickLang(navigator.language)));
          this.banner.show(w);
        },
      },
      randomHex(8),
    );
    this.transport = transport;
    transport.start();
    this.tick();
    this.locateTimer = setInterval(() => this.tick(), LOCATE_EVERY_MS);
  }

  /** Once a second: has the page moved to another room, is the chat still there, what do the cards say. */
  private tick(): void {
    const key = this.adapter.roomKey(location.href);
    if (key !== this.roomKey) {
      // A single-page navigation to another room: that ends the session and starts a new one.
      this.roomKey = key;
      this.products.reset();
      this.room.reset();
      this.transport?.rehello();
    }
    this.locate();
    this.readFacts();
  }

  /** Product cards and room facts; a page that makes the adapter stumble costs only this reading. */
  private readFacts(): void {
    const t = this.transport;
    if (!t) return;
    try {
      const time = isoTime();
      for (const data of this.products.update(this.adapter.readProducts(document), Date.now()))
        t.push({ type: 'product', time, data });
      const room = this.room.update(
        this.adapter.readRoom(document, location.href),
        this.adapter.pageState(document),
      );
      if (room) t.push({ type: 'room', time, data: room });
    } catch (err) {
      console.warn('[liveproof] could not read the room or products', err);
    }
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
      title: clipText(document.title, LIMITS.titleChars),
      adapter: this.adapter.id,
      platform: platformOf(location.href),
      ...this.roomForHello(),
      ...(sessionId ? { sessionId } : {}),
    };
  }

  private roomForHello(): { room?: ReturnType<typeof roomFacts> } {
    try {
      const room = roomFacts(this.adapter.readRoom(document, location.href));
      return Object.keys(room).length ? { room } : {};
    } catch {
      return {};
    }
  }

  /** (Re)finds the chat list; a page may render it late or replace it. */
  private locate(): void {
    if (this.chat && !this.chat.detached) {
      // A list still empty may be only the container the rows will go into: look again until it fills.
      if (!this.chat.empty) return;
      const again = this.adapter.findChatList(document);
      if (!again || again === this.chat.element) return;
    }
    this.chat?.stop();
    this.chat = null;
    const list = this.adapter.findChatList(document);
    if (list) {
      this.attach(list);
      return;
    }
    // Only the generic adapter guesses by growth: a site adapter knows where its chat is (and a page
    // such as YouTube's watch page has its chat in a frame, not in a list of related videos).
    if (!this.growth && document.body && this.adapter.id === 'generic') this.watchGrowth();
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
    // Gifts, likes, entries and system notices are not chat: they are never mixed into it.
    if (row.kind !== 'chat' && row.kind !== 'host') return;
    const truncated = row.text.length > LIMITS.textChars;
    this.transport?.push({
      type: 'chat',
      time: isoTime(),
      data: {
        author: clipText(row.author, LIMITS.authorChars),
        text: clipText(row.text, LIMITS.textChars),
        kind: row.kind === 'host' ? 'host' : 'chat',
        ...(row.id ? { id: clipText(row.id, 200) } : {}),
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
