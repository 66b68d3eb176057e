/**
 * Delivers what the content script saw to the background over a Port, in batches, with acks.
 * Every batch stays here until the background acknowledges it; when the worker dies the Port
 * disconnects, we reconnect and resend every unacknowledged batch in order. The background drops
 * events whose key it already sealed, so a resend never duplicates.
 */
import type { ContentDraft, Hello, PageWarning, PortOut } from '../core';
import { draftOfLine, type ChatLine, type ChatListState } from '../core/protocol';

export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export type Draft = Omit<ContentDraft, 'key'>;

export interface TransportOptions {
  connect: () => PortLike;
  hello: (sessionId: string | undefined) => Hello;
  /** Called when the background refuses this page or the user stopped preservation. */
  onStopped?: (why: string) => void;
  /** The background found something the shopper must be warned about. */
  onWarn?: (warning: PageWarning) => void;
  /** The user asked (in the popup) to point at the chat area. */
  onPick?: () => void;
  /** The user made the extension forget the chat area chosen for this site. */
  onForgetPick?: () => void;
  /**
   * The page is going away with batches the background never acknowledged and no Port ready to
   * take them: keep them where the background will find them (see `ORPHAN_PREFIX`).
   */
  stash?: (sessionId: string, events: ContentDraft[]) => void;
  /** Sealing stopped (paused by the user, or the disk is nearly full) or goes on again. */
  onPaused?: (cause: 'user' | 'storage-full') => void;
  onResumed?: (cause: 'user' | 'storage-full') => void;
  flushMs?: number;
  maxBatch?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Pending {
  id: number;
  /** What the lines' `ms` count from. */
  t0?: number;
  events: (ContentDraft | ChatLine)[];
}

const RETRY_MS = [0, 50, 200, 500, 1000, 2000, 5000];
const NACK_RETRY_MS = 2000;

export class CaptureTransport {
  readonly instance: string;
  private port: PortLike | null = null;
  private ready = false;
  private stopped = false;
  private sessionId: string | undefined;
  /** Drafts, and chat lines whose `ms` is still the time itself (made relative when batched). */
  private buffer: (ContentDraft | ChatLine)[] = [];
  private unacked = new Map<number, Pending>();
  private nextBatch = 0;
  private nextKey = 0;
  private flushTimer: unknown = null;
  private retry = 0;
  private resendTimer: unknown = null;
  private reopenTimer: unknown = null;
  private chatList: ChatListState | null = null;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  /** Counters for the popup and the tests: what was seen and what the background confirmed. */
  readonly stats = { queued: 0, acked: 0, duplicates: 0, reconnects: 0, nacks: 0 };

  constructor(
    private readonly opts: TransportOptions,
    instance: string,
  ) {
    this.instance = instance;
    this.flushMs = opts.flushMs ?? 250;
    this.maxBatch = opts.maxBatch ?? 200;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  get pendingEvents(): number {
    let n = this.buffer.length;
    for (const p of this.unacked.values()) n += p.events.length;
    return n;
  }

  push(draft: Draft): void {
    if (this.stopped) return;
    this.queue({ ...draft, key: `${this.instance}:${this.nextKey++}` } as ContentDraft);
  }

  /**
   * A chat message, sent in short (see `ChatLine`): `flags` sums `CHAT_HOST`, `CHAT_BACKLOG` and
   * `CHAT_TRUNCATED`, `seenAt` is when it was seen (ms since the epoch).
   */
  pushChat(author: string, text: string, flags: number, seenAt: number, id?: string): void {
    if (this.stopped) return;
    const n = this.nextKey++;
    this.queue(id === undefined ? [author, text, flags, seenAt, n] : [author, text, flags, seenAt, n, id]);
  }

  private queue(item: ContentDraft | ChatLine): void {
    this.buffer.push(item);
    this.stats.queued++;
    if (this.buffer.length >= this.maxBatch) this.flush();
    else if (this.flushTimer === null) this.flushTimer = this.setTimer(() => this.flush(), this.flushMs);
  }

  /** Seals the buffer into a batch and sends it now (also on `pagehide`). */
  flush(): void {
    if (this.flushTimer !== null) {
      this.clearTimer(this.flushTimer);
      this.flushTimer = null;
    }
    while (this.buffer.length) {
      const events = this.buffer.splice(0, this.maxBatch);
      // The chat lines' times become offsets from the earliest of them.
      let t0 = Infinity;
      for (const e of events) if (Array.isArray(e) && e[3] < t0) t0 = e[3];
      const batch: Pending = { id: this.nextBatch++, events };
      if (t0 !== Infinity) {
        for (const e of events) if (Array.isArray(e)) e[3] -= t0;
        batch.t0 = t0;
      }
      this.unacked.set(batch.id, batch);
      if (this.ready) this.send(batch);
    }
  }

  /**
   * The page is going away (`pagehide`) or may be frozen: what it holds is posted now, whether or
   * not the background has said `ready` on this Port, and a Port that was lost is opened again at
   * once rather than after the back-off. The background handles one Port's messages in order, so
   * batches posted right after the hello go to the session that hello resumes; any it already has
   * are dropped there by their keys. Chrome may close the Port of a page being unloaded before a
   * stopped worker has started to read it, so unacknowledged batches are also stashed.
   */
  flushNow(): void {
    this.flush();
    if (this.stopped || this.ready || !this.unacked.size) return;
    // A page that is being unloaded may not live to see a new Port carry anything: leave a copy.
    if (this.sessionId && this.opts.stash) {
      const events = [...this.unacked.keys()]
        .sort((a, b) => a - b)
        .flatMap((id) => this.draftsOf(this.unacked.get(id)!));
      try {
        this.opts.stash(this.sessionId, events);
      } catch {
        // Nothing more can be done from a page that is going away.
      }
    }
    if (!this.port) {
      if (this.reopenTimer !== null) this.clearTimer(this.reopenTimer);
      this.reopenTimer = null;
      this.open();
    }
    if (!this.port) return;
    for (const id of [...this.unacked.keys()].sort((a, b) => a - b)) this.send(this.unacked.get(id)!);
  }

  /**
   * The page moved to another room without reloading (a single-page navigation): what was seen so
   * far goes to the current session, then a new hello asks for a new one.
   */
  rehello(): void {
    if (this.stopped) return;
    this.flush();
    this.sessionId = undefined;
    if (!this.ready || !this.port) return; // open() says hello, without a session, when it reconnects
    this.ready = false;
    try {
      this.port.postMessage(this.opts.hello(undefined));
    } catch {
      this.lost();
    }
  }

  /**
   * Tells the background where the chat stands (for the popup). Said again after every `ready`, as
   * the background keeps it only in memory.
   */
  reportChatList(state: ChatListState): void {
    if (state === this.chatList) return;
    this.chatList = state;
    if (this.ready) this.sendChatList();
  }

  private sendChatList(): void {
    if (!this.chatList) return;
    try {
      this.port?.postMessage({ t: 'chat-list', state: this.chatList });
    } catch {
      this.lost();
    }
  }

  stop(): void {
    this.stopped = true;
    this.buffer = [];
    this.unacked.clear();
    const port = this.port;
    this.port = null;
    this.ready = false;
    try {
      port?.disconnect();
    } catch {
      // already gone
    }
  }

  /** A batch's events as full drafts (the form orphans are kept in). */
  private draftsOf(batch: Pending): ContentDraft[] {
    return batch.events.map((e) =>
      Array.isArray(e) ? draftOfLine(e as ChatLine, batch.t0!, this.instance) : (e as ContentDraft),
    );
  }

  private send(batch: Pending): void {
    try {
      this.port?.postMessage(
        batch.t0 === undefined
          ? { t: 'batch', id: batch.id, events: batch.events }
          : { t: 'batch', id: batch.id, t0: batch.t0, events: batch.events },
      );
    } catch {
      // The worker went away between our checks; onDisconnect reconnects and resends.
      this.lost();
    }
  }

  private open(): void {
    if (this.stopped) return;
    let port: PortLike;
    try {
      port = this.opts.connect();
    } catch {
      // Extension context invalidated (the extension was reloaded or removed): nothing to talk to.
      this.stopped = true;
      this.opts.onStopped?.('context-invalidated');
      return;
    }
    this.port = port;
    this.ready = false;
    port.onMessage.addListener((m) => this.receive(port, m as PortOut));
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.lost();
    });
    try {
      port.postMessage(this.opts.hello(this.sessionId));
    } catch {
      this.lost();
    }
  }

  private lost(): void {
    this.port = null;
    this.ready = false;
    if (this.stopped) return;
    this.stats.reconnects++;
    const delay = RETRY_MS[Math.min(this.retry++, RETRY_MS.length - 1)]!;
    this.reopenTimer = this.setTimer(() => {
      this.reopenTimer = null;
      this.open();
    }, delay);
  }

  private receive(port: PortLike, m: PortOut): void {
    if (port !== this.port) return;
    switch (m.t) {
      case 'ready':
        this.ready = true;
        this.retry = 0;
        this.sessionId = m.sessionId;
        for (const id of [...this.unacked.keys()].sort((a, b) => a - b)) this.send(this.unacked.get(id)!);
        this.sendChatList();
        break;
      case 'ack': {
        const batch = this.unacked.get(m.id);
        if (!batch) break;
        this.unacked.delete(m.id);
        this.stats.acked += m.stored;
        this.stats.duplicates += m.duplicates;
        break;
      }
      case 'nack':
        this.stats.nacks++;
        if (this.resendTimer === null)
          this.resendTimer = this.setTimer(() => {
            this.resendTimer = null;
            if (this.ready)
              for (const id of [...this.unacked.keys()].sort((a, b) => a - b))
                this.send(this.unacked.get(id)!);
          }, NACK_RETRY_MS);
        break;
      case 'warn':
        this.opts.onWarn?.(m.warning);
        break;
      case 'pick':
        this.opts.onPick?.();
        break;
      case 'forget-pick':
        this.opts.onForgetPick?.();
        break;
      case 'paused':
        this.opts.onPaused?.(m.cause);
        break;
      case 'resumed':
        this.opts.onResumed?.(m.cause);
        // What waited for room goes now rather than at the next retry.
        if (this.ready)
          for (const id of [...this.unacked.keys()].sort((a, b) => a - b)) this.send(this.unacked.get(id)!);
        break;
      case 'refused':
      case 'stop':
        this.stop();
        this.opts.onStopped?.(m.t === 'refused' ? m.code : 'stopped');
        break;
    }
  }
}
