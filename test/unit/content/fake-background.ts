/**
 * A stand-in for the background service worker at the other end of the capture Port. Like the real
 * one it answers `hello` with `ready`, stores each event once by its key (its store outlives the
 * worker, as IndexedDB does) and acks a batch only after storing it. Tests decide when it handles
 * what it received, and can kill it part-way, as Chrome kills an idle MV3 worker.
 */
import type { Batch, Hello, PortOut } from '../../../src/core';
import type { ContentDraft } from '../../../src/core';
import type { PortLike } from '../../../src/content/transport';
import { expandBatch } from '../../../src/core/protocol';

export class FakePort implements PortLike {
  /** Everything the content script posted on this port, in order. */
  readonly received: unknown[] = [];
  handled = 0;
  open = true;
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: (() => void)[] = [];

  readonly onMessage = { addListener: (cb: (m: unknown) => void) => void this.messageListeners.push(cb) };
  readonly onDisconnect = { addListener: (cb: () => void) => void this.disconnectListeners.push(cb) };

  postMessage(message: unknown): void {
    if (!this.open) throw new Error('Attempting to use a disconnected port object');
    // Messages are JSON between the parts of an extension.
    this.received.push(JSON.parse(JSON.stringify(message)));
  }

  /** Called by the content script; as in Chrome, its own onDisconnect does not fire. */
  disconnect(): void {
    this.open = false;
  }

  /** The background sends a message to the content script. */
  reply(message: PortOut): void {
    if (this.open) for (const cb of this.messageListeners) cb(message);
  }

  /** The other end went away (the worker was stopped). */
  drop(): void {
    if (!this.open) return;
    this.open = false;
    for (const cb of this.disconnectListeners) cb();
  }

  get batches(): Batch[] {
    return this.received.filter((m): m is Batch => (m as { t: string }).t === 'batch');
  }

  get hellos(): Hello[] {
    return this.received.filter((m): m is Hello => (m as { t: string }).t === 'hello');
  }
}

export class FakeBackground {
  readonly ports: FakePort[] = [];
  /** The evidence store: every event once, in the order it was stored. */
  readonly stored: ContentDraft[] = [];
  private keys = new Set<string>();
  duplicatesDropped = 0;
  sessionId = '20261128-094000-3f9a2c1b';
  /** Set to make `connect` throw, as it does once the extension was reloaded or removed. */
  invalidated = false;

  readonly connect = (): FakePort => {
    if (this.invalidated) throw new Error('Extension context invalidated.');
    const port = new FakePort();
    this.ports.push(port);
    return port;
  };

  get port(): FakePort {
    const port = this.ports[this.ports.length - 1];
    if (!port) throw new Error('the content script never connected');
    return port;
  }

  /** Handles everything received on the current port: hello → ready, batch → store and ack. */
  serve({ ack = true }: { ack?: boolean } = {}): void {
    const port = this.port;
    while (port.open && port.handled < port.received.length) {
      const m = port.received[port.handled++] as Hello | Batch;
      if (m.t === 'hello') port.reply({ t: 'ready', sessionId: this.sessionId });
      else {
        const { stored, duplicates } = this.store(m);
        if (ack) port.reply({ t: 'ack', id: m.id, stored, duplicates });
      }
    }
  }

  /**
   * The worker dies: of the batches received and not yet handled, the first `storedFirst` are
   * written to the store but never acked, the rest are lost; then the Port disconnects.
   */
  die({ storedFirst = 0 }: { storedFirst?: number } = {}): void {
    const port = this.port;
    let stored = 0;
    while (port.handled < port.received.length) {
      const m = port.received[port.handled++] as Hello | Batch;
      if (m.t === 'batch' && stored < storedFirst) {
        this.store(m);
        stored++;
      }
    }
    port.drop();
  }

  private store(batch: Batch): { stored: number; duplicates: number } {
    let stored = 0;
    // Short chat lines are made into drafts with the instance of the Port's hello, as the worker does.
    const instance = this.port.hellos.at(-1)?.instance ?? '';
    const events = expandBatch(batch.events, batch.t0, instance);
    if (!events) throw new Error('a batch the worker would refuse');
    for (const e of events) {
      if (this.keys.has(e.key)) continue;
      this.keys.add(e.key);
      this.stored.push(e);
      stored++;
    }
    this.duplicatesDropped += batch.events.length - stored;
    return { stored, duplicates: batch.events.length - stored };
  }
}
