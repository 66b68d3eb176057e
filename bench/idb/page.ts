/**
 * Runs inside an extension page of the real extension in Chromium (bundled by bench/idb/index.ts and
 * evaluated there): the evidence store LiveProof uses (per batch: a dedupe read, sealing, and one
 * write transaction with pages of up to 64 events and the new head) against a naive loop that seals
 * and `put`s one event at a time, as a row of its own, each in its own transaction. Both write to
 * throwaway databases, never the evidence database.
 */
import Dexie, { type Table } from 'dexie';
import {
  EvidenceDb,
  EvidenceStore,
  PAGE_EVENTS,
  pageKey,
  readSessionEvents,
  storedKeys,
  type EventPage,
  type EventRow,
  type Keyed,
} from '../../src/db';
import { emptyHead, sealAfter } from '../../src/core/chain';
import { isoTime } from '../../src/core/time';

const AUTHORS = ['小鹿乱撞', '阿珍爱吃鱼', '王大妈', '夜猫子', 'Lucky星', '江南烟雨', '老李头', '甜甜圈'];
const LINES = ['主播这个燕窝是真的吗', '已拍', '多少钱', '包邮吗', '扣1', '能便宜点吗', '有没有检测报告'];

/** Chat drafts shaped like the content script's. */
function drafts(n: number, instance: string): Keyed[] {
  const out: Keyed[] = [];
  for (let i = 0; i < n; i++)
    out.push({
      key: `${instance}:${i}`,
      type: 'chat',
      time: isoTime(new Date(Date.UTC(2026, 10, 29, 8, 0, 0, i * 20))),
      data: { author: AUTHORS[i % AUTHORS.length]!, text: LINES[(i * 7) % LINES.length]!, kind: 'chat' },
    });
  return out;
}

export interface Run {
  way: 'batched' | 'queued' | 'naive' | 'seal';
  events: number;
  batch: number;
  ms: number;
  perSecond: number;
  stored: number;
}

async function fresh(name: string): Promise<EvidenceDb> {
  await Dexie.delete(name);
  const db = new EvidenceDb(name);
  await db.open();
  return db;
}

/**
 * LiveProof's way: the store seals and writes a batch in one transaction, as the background does per
 * Port batch. `queued`: every batch is handed over at once, as when the page sends faster than the
 * database writes, so the batches waiting behind a write are written together (group commit);
 * otherwise each batch is awaited before the next is sent.
 */
export async function batched(events: number, batch: number, queued = false): Promise<Run> {
  const name = `liveproof-bench-${crypto.randomUUID()}`;
  const db = await fresh(name);
  const store = new EvidenceStore(db);
  const id = crypto.randomUUID();
  await store.createSession({
    id,
    tabId: 1,
    url: 'http://127.0.0.1/live/1',
    title: 'bench',
    platform: 'generic',
    adapter: 'generic',
    startedAt: isoTime(),
  });
  const all = drafts(events, 'b');
  const t = performance.now();
  if (queued) {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < all.length; i += batch) pending.push(store.append(id, all.slice(i, i + batch)));
    await Promise.all(pending);
  } else for (let i = 0; i < all.length; i += batch) await store.append(id, all.slice(i, i + batch));
  const ms = performance.now() - t;
  const stored = (await readSessionEvents(db, id)).length;
  db.close();
  await Dexie.delete(name);
  return { way: queued ? 'queued' : 'batched', events, batch, ms, perSecond: (events / ms) * 1000, stored };
}

/** One row per event, as the evidence database kept events up to version 4 (and as the naive way writes them). */
class RowDb extends Dexie {
  events!: Table<EventRow, [string, number]>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ events: '[sessionId+seq], &[sessionId+key]' });
  }
}

/**
 * The naive way: seal one event after the head kept in memory and `put` it, as a row of its own, in a
 * transaction of its own.
 */
export async function naive(events: number): Promise<Run> {
  const name = `liveproof-bench-${crypto.randomUUID()}`;
  await Dexie.delete(name);
  const db = new RowDb(name);
  await db.open();
  const id = crypto.randomUUID();
  let head = await emptyHead(id);
  const all = drafts(events, 'n');
  const t = performance.now();
  for (const d of all) {
    const [e] = await sealAfter(head, [d]);
    const row: EventRow = { ...e!, sessionId: id, key: d.key };
    await db.events.put(row);
    head = { seq: e!.seq, hash: e!.hash };
  }
  const ms = performance.now() - t;
  const stored = await db.events.count();
  db.close();
  await Dexie.delete(name);
  return { way: 'naive', events, batch: 1, ms, perSecond: (events / ms) * 1000, stored };
}

/** Sealing alone (canonical JSON and SHA-256 per event, one after another), no database: the floor of both ways. */
export async function seal(events: number, batch: number): Promise<Run> {
  const all = drafts(events, 's');
  let head = await emptyHead(crypto.randomUUID());
  const t = performance.now();
  for (let i = 0; i < all.length; i += batch) {
    const sealed = await sealAfter(head, all.slice(i, i + batch));
    const last = sealed.at(-1)!;
    head = { seq: last.seq, hash: last.hash };
  }
  const ms = performance.now() - t;
  return { way: 'seal', events, batch, ms, perSecond: (events / ms) * 1000, stored: events };
}

/**
 * Where a batch's time goes, in µs per event: the dedupe read, sealing, the write transaction (with
 * Dexie, as the store), and the same rows written with IndexedDB alone (is it Dexie or the database?).
 */
export async function phases(events: number, batch: number): Promise<Record<string, number>> {
  const name = `liveproof-bench-${crypto.randomUUID()}`;
  const db = await fresh(name);
  const id = crypto.randomUUID();
  let head = await emptyHead(id);
  await db.sessions.add({
    id,
    tabId: 1,
    url: 'x',
    title: 'x',
    platform: 'generic',
    adapter: 'generic',
    startedAt: isoTime(),
    status: 'open',
    endedAt: null,
    genesis: head.hash,
    headSeq: head.seq,
    headHash: head.hash,
    counts: { events: 0, chat: 0, screenshots: 0 },
  });
  const all = drafts(events, 'p');
  const t = { read: 0, seal: 0, write: 0, writeRaw: 0 };
  for (let i = 0; i < all.length; i += batch) {
    const part = all.slice(i, i + batch);
    // As the store does it: the session and the keys already stored, in one read transaction.
    let t0 = performance.now();
    await db.transaction('r', db.sessions, db.pages, async () => [
      await db.sessions.get(id),
      await storedKeys(db, part.map((d) => pageKey(id, d.key)).sort()),
    ]);
    t.read += performance.now() - t0;
    t0 = performance.now();
    const sealed = await sealAfter(head, part);
    t.seal += performance.now() - t0;
    t0 = performance.now();
    const pages: EventPage[] = [];
    for (let j = 0; j < sealed.length; j += PAGE_EVENTS)
      pages.push({
        sessionId: id,
        seq: sealed[j]!.seq,
        events: sealed.slice(j, j + PAGE_EVENTS),
        keys: part.slice(j, j + PAGE_EVENTS).map((d) => pageKey(id, d.key)),
      });
    await db.transaction('rw', db.sessions, db.pages, async () => {
      await db.sessions.get(id);
      await db.pages.bulkAdd(pages);
      await db.sessions.update(id, { headSeq: sealed.at(-1)!.seq, headHash: sealed.at(-1)!.hash });
    });
    t.write += performance.now() - t0;
    // The same pages again under another session, with IndexedDB itself (no Dexie), in one transaction.
    t0 = performance.now();
    const idb = db.backendDB();
    const raw = `${id}-raw`;
    await new Promise<void>((resolve, reject) => {
      const tx = idb.transaction('pages', 'readwrite');
      const store = tx.objectStore('pages');
      for (const p of pages)
        store.add({ ...p, sessionId: raw, keys: p.keys.map((k) => raw + k.slice(id.length)) });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    t.writeRaw += performance.now() - t0;
    head = { seq: sealed.at(-1)!.seq, hash: sealed.at(-1)!.hash };
  }
  db.close();
  await Dexie.delete(name);
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, (v * 1000) / events]));
}

(globalThis as unknown as { __idbBench: unknown }).__idbBench = { batched, naive, seal, phases };
