/**
 * Batches a page left behind when it went away with no Port to hand them to (see `ORPHAN_PREFIX`
 * in core/protocol.ts). Before a content script's hello is handled, whatever is waiting is sealed
 * into its session (keys already stored are dropped, as for any resend), so that what an old page
 * showed comes before what its reloaded successor shows. A stash is removed once it is handled; one
 * that is malformed, for a session that is gone or closed, or from another site than the session's
 * is not sealed.
 */
import * as v from 'valibot';
import { ORPHAN_PREFIX, Orphan } from '../core/protocol';
import type { EvidenceStore } from '../db';
import type { SealedEvent } from '../core/evidence';

export interface StorageAreaLike {
  get(keys: null): Promise<Record<string, unknown>>;
  remove(keys: string | string[]): Promise<void>;
}

export interface AdoptedOrphan {
  key: string;
  sessionId: string;
  tabId: number;
  sealed: SealedEvent[];
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export class Orphans {
  private running: Promise<AdoptedOrphan[]> | null = null;

  constructor(
    private readonly area: StorageAreaLike,
    private readonly store: EvidenceStore,
  ) {}

  /** Seals what is waiting; concurrent callers share one pass. */
  adopt(): Promise<AdoptedOrphan[]> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<AdoptedOrphan[]> {
    const all = await this.area.get(null);
    const adopted: AdoptedOrphan[] = [];
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(ORPHAN_PREFIX)) continue;
      try {
        const parsed = v.safeParse(Orphan, value);
        if (!parsed.success) {
          console.warn('[liveproof] a malformed stash of page events was not sealed', key);
          await this.area.remove(key).catch(() => undefined);
          continue;
        }
        const o = parsed.output;
        const session = await this.store.db.sessions.get(o.sessionId);
        if (!session || session.status !== 'open' || originOf(session.url) !== originOf(o.url)) {
          console.warn('[liveproof] page events left for a session that is gone or closed', key);
          await this.area.remove(key).catch(() => undefined);
          continue;
        }
        const { sealed } = await this.store.append(o.sessionId, o.events);
        adopted.push({ key, sessionId: o.sessionId, tabId: session.tabId, sealed });
      } catch (err) {
        // Storage full or another failure: keep the stash for the next hello.
        console.warn('[liveproof] could not seal page events left behind', err);
        continue;
      }
      await this.area.remove(key).catch(() => undefined);
    }
    return adopted;
  }
}
