/**
 * What the page scripts that seal a session straight into the evidence database share
 * (bench/export/seed.ts, test/e2e/pages/many-pictures.ts; both bundled by bench/page-bundle.ts and
 * run in the locker page of the real extension): a session opened as capture opens one, an hour ago
 * in a Douyin room, its records appended in batches, a picture stored as capture stores a screenshot,
 * and the session closed as the user stops it. Only page scripts import it: it is not in the
 * extension's build.
 */
import { EvidenceDb, EvidenceStore } from '../src/db';
import { isoTime, newSessionId } from '../src/core/time';
import { sha256Hex } from '../src/core/hash';

/** One record as the store appends it (a keyed draft). */
export type SeedRecord = Parameters<EvidenceStore['append']>[1][number];

export interface SeedSession {
  store: EvidenceStore;
  id: string;
  /** When the session started (epoch ms): an hour ago. */
  start: number;
  /** The time `ms` after the start, as a record's time. */
  at(ms: number): string;
  /** Appends records, 2,000 a transaction, as capture's batches would. */
  append(records: readonly SeedRecord[]): Promise<void>;
  /** Stores `bytes` as a picture and gives the data of a screenshot record that points to it. */
  picture(bytes: Uint8Array): Promise<Record<string, unknown>>;
  /** Closes the session as stopped by the user, and the database; gives the session's id. */
  close(): Promise<string>;
}

export async function openSeedSession(title: string): Promise<SeedSession> {
  const store = new EvidenceStore(new EvidenceDb());
  const start = Date.now() - 3_600_000;
  const id = newSessionId();
  await store.createSession({
    id,
    tabId: 1,
    url: 'https://live.douyin.com/880123456',
    title,
    platform: 'douyin',
    adapter: 'douyin',
    startedAt: new Date(start).toISOString(),
  });
  return {
    store,
    id,
    start,
    at: (ms) => isoTime(new Date(start + ms)),
    async append(records) {
      for (let i = 0; i < records.length; i += 2000) await store.append(id, records.slice(i, i + 2000));
    },
    async picture(bytes) {
      const sha256 = await sha256Hex(bytes);
      await store.putBlob(sha256, 'image/png', bytes);
      return { sha256, bytes: bytes.length, mediatype: 'image/png', reason: 'periodic' };
    },
    async close() {
      await store.close(id, 'stopped-by-user');
      store.db.close();
      return id;
    },
  };
}
