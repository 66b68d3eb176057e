/**
 * The Port server: content scripts deliver batches here. The sender is checked at connect time, every
 * message is validated, messages of one Port are handled strictly in order, and a batch is
 * acknowledged only after it is sealed and stored.
 */
import * as v from 'valibot';
import { CAPTURE_PORT, PortIn, classifySender, type PortOut, type SenderLike } from '../core/protocol';
import { SessionClosedError, StorageFullError, type EvidenceStore } from '../db';
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
  /** Live Ports by tab, for the popup's "connected" and for telling a tab to stop. */
  connected: Map<number, PortLike>;
  onNewSession?: (tabId: number, sessionId: string) => void;
}

export function serveCapturePort(port: PortLike, deps: CapturePortDeps): void {
  const sender = port.sender ?? {};
  if (port.name !== CAPTURE_PORT || classifySender(sender, deps.self) !== 'content' || sender.frameId !== 0) {
    port.disconnect();
    return;
  }
  const tabId = sender.tab!.id!;
  let sessionId: string | null = null;
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
    if (deps.connected.get(tabId) === port) deps.connected.delete(tabId);
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
    const msg = parsed.output;
    if (msg.t === 'hello') {
      const outcome = await deps.sessions.hello(tabId, sender.url!, msg);
      if ('refused' in outcome) {
        post({ t: 'refused', code: outcome.refused });
        return;
      }
      sessionId = outcome.session.id;
      deps.connected.set(tabId, port);
      post({ t: 'ready', sessionId });
      if (outcome.isNew) deps.onNewSession?.(tabId, sessionId);
      return;
    }
    if (!sessionId) {
      post({ t: 'nack', id: msg.id, code: 'not-preserving' });
      return;
    }
    try {
      const { sealed, duplicates } = await deps.store.append(sessionId, msg.events);
      post({ t: 'ack', id: msg.id, stored: sealed.length, duplicates });
    } catch (err) {
      if (err instanceof StorageFullError) post({ t: 'nack', id: msg.id, code: 'storage-full' });
      else if (err instanceof SessionClosedError) post({ t: 'stop' });
      else {
        console.error('[liveproof] could not store batch', err);
        post({ t: 'nack', id: msg.id, code: 'internal' });
      }
    }
  }
}
