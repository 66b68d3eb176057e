/**
 * The Port server: content scripts deliver batches here. The sender is checked at connect time, every
 * message is validated, messages of one Port are handled strictly in order, and a batch is
 * acknowledged only after it is sealed and stored.
 */
import * as v from 'valibot';
import {
  CAPTURE_PORT,
  PortIn,
  classifySender,
  expandBatch,
  type ChatListState,
  type PortOut,
  type SenderLike,
} from '../core/protocol';
import { wellFormedDeep } from '../core/canonical';
import { SessionClosedError, SessionPausedError, StorageFullError, type EvidenceStore } from '../db';
import type { SealedEvent } from '../core/evidence';
import type { TabSessions } from './sessions';

export interface PortLike {
  name: string;
  sender?: SenderLike;
  postMessage(message: PortOut): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface CapturePortDeps {
  self: { id: string; origin: string };
  store: EvidenceStore;
  sessions: TabSessions;
  /** Live Ports by tab (the page and its frames), for the popup's "connected" and for telling a tab to stop. */
  connected: Map<number, Set<PortLike>>;
  onNewSession?: (tabId: number, sessionId: string) => void;
  /** Events of this tab were sealed (content events in capture order); the background reacts to them. */
  onSealed?: (tabId: number, sessionId: string, sealed: SealedEvent[], port: PortLike) => void;
  /** The content script said where it stands with the chat list; `null` when its Port went away. */
  onChatList?: (tabId: number, port: PortLike, state: ChatListState | null) => void;
  /** Runs before each hello is handled (what earlier pages of a tab left behind is sealed first). */
  beforeHello?: () => Promise<unknown>;
  /**
   * Asked before each batch is stored: false when there is no room to keep it (the disk is nearly
   * full). The batch is then refused with `nack` and the content script keeps it and sends it again.
   */
  roomToStore?: () => Promise<boolean>;
  /** A batch of this session could not be stored for lack of space (the write failed, or no room). */
  onStorageFull?: (tabId: number, sessionId: string, writeFailed: boolean) => void;
}

export function serveCapturePort(port: PortLike, deps: CapturePortDeps): void {
  const sender = port.sender ?? {};
  if (
    port.name !== CAPTURE_PORT ||
    classifySender(sender, deps.self) !== 'content' ||
    typeof sender.frameId !== 'number'
  ) {
    port.disconnect();
    return;
  }
  const tabId = sender.tab!.id!;
  const topFrame = sender.frameId === 0;
  let sessionId: string | null = null;
  /** The hello's instance: the keys of the batch's short chat lines start with it. */
  let instance: string | null = null;
  let alive = true;
  let chain: Promise<void> = Promise.resolve();

  const post = (m: PortOut) => {
    if (!alive) return;
    try {
      port.postMessage(m);
    } catch {
      alive = false;
    }
  };

  port.onDisconnect.addListener(() => {
    alive = false;
    const ports = deps.connected.get(tabId);
    ports?.delete(port);
    if (ports?.size === 0) deps.connected.delete(tabId);
    deps.onChatList?.(tabId, port, null);
  });

  port.onMessage.addListener((raw) => {
    chain = chain.then(() => handle(raw)).catch((err: unknown) => console.error('[liveproof] port', err));
  });

  async function handle(raw: unknown): Promise<void> {
    const parsed = v.safeParse(PortIn, raw);
    if (!parsed.success) {
      post({ t: 'refused', code: 'bad-request' });
      port.disconnect();
      alive = false;
      return;
    }
    // A content script makes its text well-formed; should one not (a bug, an old version), repair
    // lone surrogates here rather than fail to seal the batch for ever.
    const msg = wellFormedDeep(parsed.output);
    if (msg.t === 'hello') {
      await deps.beforeHello?.().catch((err: unknown) => console.warn('[liveproof] before hello', err));
      const outcome = await deps.sessions.hello(tabId, sender.url!, msg, topFrame);
      if ('refused' in outcome) {
        post({ t: 'refused', code: outcome.refused });
        return;
      }
      sessionId = outcome.session.id;
      instance = msg.instance;
      if (!deps.connected.has(tabId)) deps.connected.set(tabId, new Set());
      deps.connected.get(tabId)!.add(port);
      post({ t: 'ready', sessionId });
      const paused = outcome.session.paused;
      if (paused) post({ t: 'paused', cause: paused.cause });
      if (outcome.isNew) deps.onNewSession?.(tabId, sessionId);
      return;
    }
    if (msg.t === 'chat-list') {
      if (sessionId) deps.onChatList?.(tabId, port, msg.state);
      return;
    }
    if (!sessionId) {
      post({ t: 'nack', id: msg.id, code: 'not-preserving' });
      return;
    }
    if (deps.roomToStore && !(await deps.roomToStore())) {
      post({ t: 'nack', id: msg.id, code: 'storage-full' });
      deps.onStorageFull?.(tabId, sessionId, false);
      return;
    }
    const events = expandBatch(msg.events, msg.t0, instance!);
    if (!events) {
      post({ t: 'refused', code: 'bad-request' });
      port.disconnect();
      alive = false;
      return;
    }
    try {
      const { sealed, duplicates } = await deps.store.append(sessionId, events);
      post({ t: 'ack', id: msg.id, stored: sealed.length, duplicates });
      if (sealed.length) deps.onSealed?.(tabId, sessionId, sealed, port);
    } catch (err) {
      if (err instanceof SessionPausedError) {
        if (err.pause.cause === 'user') {
          // Paused on purpose: what the page showed meanwhile is not kept, and not sent again.
          post({ t: 'ack', id: msg.id, stored: 0, duplicates: 0 });
        } else {
          post({ t: 'nack', id: msg.id, code: 'storage-full' });
          deps.onStorageFull?.(tabId, sessionId, false);
        }
      } else if (err instanceof StorageFullError) {
        post({ t: 'nack', id: msg.id, code: 'storage-full' });
        deps.onStorageFull?.(tabId, sessionId, true);
      } else if (err instanceof SessionClosedError) post({ t: 'stop' });
      else {
        console.error('[liveproof] could not store batch', err);
        post({ t: 'nack', id: msg.id, code: 'internal' });
      }
    }
  }
}
