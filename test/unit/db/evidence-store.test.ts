import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import {
  SessionClosedError,
  SessionPausedError,
  StorageFullError,
  isQuotaError,
  readSessionEvents,
  READ_PAGES,
  PAGE_EVENTS,
  EvidenceStore,
  type EventPage,
} from '../../../src/db';
import { firstChainProblem } from '../../../src/core/chain';
import type { SealedEvent } from '../../../src/core/evidence';
import { chat, chats, freshStore, note, openSession, screenshotEvent } from './fixtures';

const stores: EvidenceStore[] = [];
function store(): EvidenceStore {
  const s = freshStore();
  stores.push(s);
  return s;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) await s.db.delete();
});

/** The session's events as stored, each with its transport key (`sessionId|key`). */
async function storedRows(s: EvidenceStore, sessionId: string): Promise<(SealedEvent & { key: string })[]> {
  const pages = await s.db.pages
    .where('[sessionId+seq]')
    .between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey])
    .toArray();
  return pages.flatMap((p) =>
    p.events.map((e, i) => ({ ...e, key: p.keys[i]!.slice(sessionId.length + 1) })),
  );
}

/** Events in each `pages.bulkAdd` call. */
const eventsPerWrite = (calls: (readonly [readonly EventPage[], ...unknown[]])[]) =>
  calls.map(([pages]) => pages.reduce((n, p) => n + p.events.length, 0));

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('EvidenceStore: sealing chat into a session', () => {
  it('seals two batches into one contiguous chain that the verifier accepts', async () => {
    const s = store();
    const session = await openSession(s);

    const first = await s.append(session.id, chats('a', 3));
    const second = await s.append(session.id, chats('b', 4));

    expect(first.sealed.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(second.sealed.map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    expect(second.sealed[0]!.prev).toBe(first.sealed[2]!.hash);
    const events = await readSessionEvents(s.db, session.id);
    expect(events).toHaveLength(7);
    expect(await firstChainProblem(session.id, events)).toBeNull();

    const head = await s.db.sessions.get(session.id);
    expect(head).toMatchObject({ headSeq: 6, headHash: events[6]!.hash });
  });

  it('the first event links to the session genesis', async () => {
    const s = store();
    const session = await openSession(s);
    const { sealed } = await s.append(session.id, chats('a', 1));
    expect(sealed[0]!.prev).toBe(session.genesis);
  });

  it('a resent batch stores nothing new and reports every event as a duplicate', async () => {
    const s = store();
    const session = await openSession(s);
    const batch = chats('a', 3);
    await s.append(session.id, batch);

    const again = await s.append(session.id, batch);

    expect(again).toEqual({ sealed: [], duplicates: 3 });
    expect(await readSessionEvents(s.db, session.id)).toHaveLength(3);
    expect((await s.db.sessions.get(session.id))!.headSeq).toBe(2);
  });

  it('a batch mixing known and new keys stores only the new ones, in the order they came', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, [chat('k:1', 'one'), chat('k:2', 'two')]);

    const mixed = await s.append(session.id, [
      chat('k:3', 'three'),
      chat('k:1', 'one again'),
      chat('k:4', 'four'),
      chat('k:2', 'two again'),
      chat('k:5', 'five'),
    ]);

    expect(mixed.duplicates).toBe(2);
    expect(mixed.sealed.map((e) => e.data.text)).toEqual(['three', 'four', 'five']);
    const events = await readSessionEvents(s.db, session.id);
    expect(events.map((e) => e.data.text)).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(await firstChainProblem(session.id, events)).toBeNull();
  });

  it('a key repeated inside one batch is stored once', async () => {
    const s = store();
    const session = await openSession(s);
    const result = await s.append(session.id, [chat('k:1', 'first'), chat('k:1', 'echo'), chat('k:2')]);
    expect(result.duplicates).toBe(1);
    expect((await readSessionEvents(s.db, session.id)).map((e) => e.data.text)).toEqual([
      'first',
      'message k:2',
    ]);
  });

  it('twenty appends at once to one session still give one valid chain with every event exactly once', async () => {
    const s = store();
    const session = await openSession(s);
    const batches = Array.from({ length: 20 }, (_, b) => chats(`batch${b}`, 5));

    // Every batch also repeats the previous batch's first key, as a resend racing the original would.
    const results = await Promise.all(
      batches.map((batch, b) => s.append(session.id, b ? [...batch, batches[b - 1]![0]!] : batch)),
    );

    const rows = await storedRows(s, session.id);
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.key)).size).toBe(100);
    expect(rows.map((r) => r.key).sort()).toEqual(
      batches
        .flat()
        .map((d) => d.key)
        .sort(),
    );
    expect(await firstChainProblem(session.id, await readSessionEvents(s.db, session.id))).toBeNull();
    expect(results.reduce((n, r) => n + r.sealed.length, 0)).toBe(100);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(19);
  });

  it('appends that queue up are written together, each caller getting its own events in order', async () => {
    const s = store();
    const session = await openSession(s);
    const bulkAdd = vi.spyOn(s.db.pages, 'bulkAdd');
    const batches = Array.from({ length: 12 }, (_, b) => chats(`g${b}`, 4));

    const results = await Promise.all(batches.map((batch) => s.append(session.id, batch)));

    // All twelve came before the first could start: they are sealed and written as one group.
    expect(bulkAdd).toHaveBeenCalledOnce();
    results.forEach((r, b) => {
      expect(r.duplicates).toBe(0);
      expect(r.sealed.map((e) => e.seq)).toEqual([0, 1, 2, 3].map((i) => b * 4 + i));
      expect(r.sealed.map((e) => e.data.text)).toEqual(batches[b]!.map((d) => d.data.text));
    });
    expect(await firstChainProblem(session.id, await readSessionEvents(s.db, session.id))).toBeNull();
    expect((await s.db.sessions.get(session.id))!.counts).toMatchObject({ events: 48, chat: 48 });
  });

  it('batches that arrive while a write runs wait for it and are then written as one group', async () => {
    const s = store();
    const session = await openSession(s);
    const bulkAdd = vi.spyOn(s.db.pages, 'bulkAdd');
    const first = s.append(session.id, chats('a', 4));
    while (!bulkAdd.mock.calls.length) await new Promise((r) => setTimeout(r, 0));
    const later = ['b', 'c', 'd'].map((p) => s.append(session.id, chats(p, 4)));
    await first;
    const results = await Promise.all(later);
    expect(eventsPerWrite(bulkAdd.mock.calls)).toEqual([4, 12]);
    expect(results.map((r) => r.sealed[0]!.seq)).toEqual([4, 8, 12]);
    expect(await firstChainProblem(session.id, await readSessionEvents(s.db, session.id))).toBeNull();
  });

  it('after its own write, the next batch is checked and written in one transaction', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, chats('a', 3));
    const transaction = vi.spyOn(s.db, 'transaction');
    const next = await s.append(session.id, chats('b', 3));
    expect(transaction).toHaveBeenCalledOnce();
    expect(next.sealed.map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('the next batch is written in one transaction though older keys sort between its own (a:25 between a:2452 and a:2510)', async () => {
    const s = store();
    const session = await openSession(s);
    const keyed = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => chat(`a:${from + i}`));
    for (let n = 0; n < 2452; n += 613) await s.append(session.id, keyed(n, n + 613));
    const transaction = vi.spyOn(s.db, 'transaction');
    const next = await s.append(session.id, keyed(2452, 2511));
    expect(transaction).toHaveBeenCalledOnce();
    expect(next).toMatchObject({ duplicates: 0 });
    expect(next.sealed.map((e) => e.seq)).toEqual(Array.from({ length: 59 }, (_, i) => 2452 + i));
    // Sent again, the same batch is still recognised, key by key.
    const again = await s.append(session.id, keyed(2452, 2511));
    expect(again).toMatchObject({ sealed: [], duplicates: 59 });
    expect(await readSessionEvents(s.db, session.id)).toHaveLength(2511);
  });

  it('a new batch whose keys span a stored key (a:10 … a:9 spans a:5) is checked key by key and fully kept', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, [chat('a:5')]);
    const next = await s.append(session.id, [chat('a:9'), chat('a:10')]);
    expect(next).toMatchObject({ duplicates: 0 });
    expect((await readSessionEvents(s.db, session.id)).map((e) => e.data.text)).toEqual([
      'message a:5',
      'message a:9',
      'message a:10',
    ]);
  });

  it('a head another writer moved is noticed: the batch is sealed after the real head', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, chats('a', 2));
    // A second store on the same database (a worker that started again while this one lingered).
    const other = new EvidenceStore(s.db);
    await other.append(session.id, chats('b', 2));
    const next = await s.append(session.id, chats('c', 2));
    expect(next.sealed.map((e) => e.seq)).toEqual([4, 5]);
    expect(await firstChainProblem(session.id, await readSessionEvents(s.db, session.id))).toBeNull();
  });

  it('in a group, a key sent twice is stored by the first batch and counted as a duplicate of the second', async () => {
    const s = store();
    const session = await openSession(s);
    const first = s.append(session.id, chats('a', 1));
    const [x, y] = await Promise.all([
      s.append(session.id, [chat('k:1', 'original'), chat('k:2')]),
      s.append(session.id, [chat('k:1', 'resent'), chat('k:3')]),
    ]);
    await first;
    expect(x).toMatchObject({ duplicates: 0 });
    expect(y.duplicates).toBe(1);
    expect(y.sealed.map((e) => e.data.text)).toEqual(['message k:3']);
    expect((await readSessionEvents(s.db, session.id)).map((e) => e.data.text)).toEqual([
      'message a:0',
      'original',
      'message k:2',
      'message k:3',
    ]);
  });

  it('a group never grows past 2000 events: a long queue is written in several transactions', async () => {
    const s = store();
    const session = await openSession(s);
    const bulkAdd = vi.spyOn(s.db.pages, 'bulkAdd');
    const batches = Array.from({ length: 9 }, (_, b) => chats(`big${b}`, 500));
    const results = await Promise.all(batches.map((batch) => s.append(session.id, batch)));
    // Four batches of 500 to a group, the ninth in a group of its own.
    expect(eventsPerWrite(bulkAdd.mock.calls)).toEqual([2000, 2000, 500]);
    expect(results.map((r) => r.sealed.length)).toEqual(Array(9).fill(500));
    expect(await firstChainProblem(session.id, await readSessionEvents(s.db, session.id))).toBeNull();
  });

  it('keeps the session counts of events, chat and screenshots in step with what was stored', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, [chat('c:1'), screenshotEvent('shot:1'), note('n:1', '主播说七天无理由')]);
    await s.append(session.id, [chat('c:2'), chat('c:1'), screenshotEvent('shot:2'), chat('c:3')]);

    expect((await s.db.sessions.get(session.id))!.counts).toEqual({
      events: 6,
      chat: 3,
      screenshots: 2,
      products: 0,
      detections: 0,
      warnings: 0,
    });
  });

  it('counts products, detections and warnings, and keeps the five latest warnings, newest first', async () => {
    const s = store();
    const session = await openSession(s);
    const t = '2026-11-29T06:00:00.000Z';
    const detection = (key: string, category: string, text: string, extra: object = {}) => ({
      key,
      type: 'detection' as const,
      time: t,
      data: { category, rule: `${category}/x`, text, normalized: text, source: 0, ...extra },
    });
    await s.append(session.id, [
      chat('c:1'),
      { key: 'p:1', type: 'product', time: t, data: { id: 'a', state: 'shown', title: '燕窝', price: '¥1' } },
      detection('d:0', 'promise', '假一赔十'),
      ...Array.from({ length: 6 }, (_, i) =>
        detection(`d:${i + 1}`, 'off-platform', `加我威信 ${i}`, { tier: 'block', author: '福利姐' }),
      ),
      detection('d:7', 'price-trap', '1分钱 运费99', { tier: 'block' }),
    ]);
    const row = (await s.db.sessions.get(session.id))!;
    expect(row.counts).toMatchObject({ products: 1, detections: 8, warnings: 7 });
    expect(row.warnings!.map((w) => w.text)).toEqual([
      '1分钱 运费99',
      '加我威信 5',
      '加我威信 4',
      '加我威信 3',
      '加我威信 2',
    ]);
    expect(row.warnings![1]).toMatchObject({ category: 'off-platform', tier: 'block', author: '福利姐' });
  });

  it('never modifies an event once sealed', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, chats('a', 4));
    const before = structuredClone(await storedRows(s, session.id));

    await s.append(session.id, chats('a', 4)); // a resend of the same keys
    await s.append(session.id, [chat('a:1', 'changed text'), ...chats('b', 3)]);
    await s.close(session.id, 'tab-closed');

    const after = await storedRows(s, session.id);
    expect(after).toHaveLength(8);
    expect(after.slice(0, 4)).toEqual(before);
  });

  it('keeps the sessions apart: each has its own chain and reads back only its own events', async () => {
    const s = store();
    const one = await openSession(s, { tabId: 1 });
    const two = await openSession(s, { tabId: 2 });
    // The same transport key in two sessions is two different events.
    await Promise.all([s.append(one.id, chats('x', 12)), s.append(two.id, chats('x', 3))]);

    const a = await readSessionEvents(s.db, one.id);
    const b = await readSessionEvents(s.db, two.id);
    expect(a.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(b).toHaveLength(3);
    expect(await firstChainProblem(one.id, a)).toBeNull();
    expect(await firstChainProblem(two.id, b)).toBeNull();
    expect(Object.keys(a[0]!).sort()).toEqual(['data', 'hash', 'prev', 'seq', 'time', 'type']);
  });

  it('refuses to append to a session that does not exist', async () => {
    const s = store();
    await expect(s.append('20261128-094000-00000000', chats('a', 1))).rejects.toBeInstanceOf(
      SessionClosedError,
    );
  });

  it('reads back a session longer than one read slice whole, in order, beside another session', async () => {
    const s = store();
    const long = await openSession(s);
    const other = await openSession(s);
    // More pages than one slice of readSessionEvents holds, sealed in batches of uneven sizes.
    const n = READ_PAGES * PAGE_EVENTS * 2 + 77;
    for (let at = 0; at < n; at += 1500) await s.append(long.id, chats(`c${at}`, Math.min(1500, n - at)));
    await s.append(other.id, chats('o', 5));
    const events = await readSessionEvents(s.db, long.id);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(await firstChainProblem(long.id, events)).toBeNull();
    expect((await readSessionEvents(s.db, other.id)).map((e) => e.data.text)).toEqual(
      chats('o', 5).map((c) => c.data.text),
    );
  });
});

describe('EvidenceStore: closing a session', () => {
  it('seals a session-end as the last event, closes the session and refuses further chat', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, chats('a', 2));

    expect(await s.close(session.id, 'stopped-by-user')).toBe(true);

    const events = await readSessionEvents(s.db, session.id);
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ seq: 2, type: 'session-end', data: { cause: 'stopped-by-user' } });
    expect(await firstChainProblem(session.id, events)).toBeNull();
    const row = (await s.db.sessions.get(session.id))!;
    expect(row).toMatchObject({ status: 'closed', endedAt: last.time, headSeq: 2, headHash: last.hash });
    expect(row.counts.events).toBe(3);

    await expect(s.append(session.id, chats('b', 1))).rejects.toBeInstanceOf(SessionClosedError);
    expect(await readSessionEvents(s.db, session.id)).toHaveLength(3);
  });

  it('closing twice seals one session-end', async () => {
    const s = store();
    const session = await openSession(s);
    const [first, second] = await Promise.all([
      s.close(session.id, 'tab-closed'),
      s.close(session.id, 'navigated'),
    ]);
    expect([first, second]).toEqual([true, false]);
    const events = await readSessionEvents(s.db, session.id);
    expect(events.map((e) => [e.type, e.data.cause])).toEqual([['session-end', 'tab-closed']]);
  });

  it('a batch queued before close is stored before the session-end', async () => {
    const s = store();
    const session = await openSession(s);
    const appended = s.append(session.id, chats('a', 2));
    const closed = s.close(session.id, 'navigated');
    const late = s.append(session.id, chats('b', 1));

    await appended;
    await closed;
    await expect(late).rejects.toBeInstanceOf(SessionClosedError);
    expect((await readSessionEvents(s.db, session.id)).map((e) => e.type)).toEqual([
      'chat',
      'chat',
      'session-end',
    ]);
  });
});

describe('EvidenceStore: a full disk', () => {
  it('reports StorageFullError and keeps the earlier events and the head as they were', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, chats('a', 3));
    const headBefore = await s.db.sessions.get(session.id);
    const rowsBefore = await storedRows(s, session.id);

    const bulkAdd = vi.spyOn(s.db.pages, 'bulkAdd').mockRejectedValue(quotaError());
    await expect(s.append(session.id, chats('b', 2))).rejects.toBeInstanceOf(StorageFullError);
    expect(bulkAdd).toHaveBeenCalledOnce();

    expect(await storedRows(s, session.id)).toEqual(rowsBefore);
    expect(await s.db.sessions.get(session.id)).toEqual(headBefore);

    // Once space is free again, the same batch is sealed right after the old head.
    bulkAdd.mockRestore();
    const retry = await s.append(session.id, chats('b', 2));
    expect(retry.sealed.map((e) => e.seq)).toEqual([3, 4]);
    expect(await firstChainProblem(session.id, await readSessionEvents(s.db, session.id))).toBeNull();
  });

  it('a full disk fails every batch of a group and stores none of them; the chain goes on after', async () => {
    const s = store();
    const session = await openSession(s);
    await s.append(session.id, chats('a', 2));
    const bulkAdd = vi.spyOn(s.db.pages, 'bulkAdd').mockRejectedValueOnce(quotaError());
    const group = [s.append(session.id, chats('b', 2)), s.append(session.id, chats('c', 2))];
    for (const g of group) await expect(g).rejects.toBeInstanceOf(StorageFullError);
    expect(bulkAdd).toHaveBeenCalledOnce();
    expect((await readSessionEvents(s.db, session.id)).map((e) => e.seq)).toEqual([0, 1]);
    const retry = await s.append(session.id, chats('b', 2));
    expect(retry.sealed.map((e) => e.seq)).toEqual([2, 3]);
  });

  it('recognises a quota error that Dexie wrapped as the inner cause of an abort', async () => {
    const s = store();
    const session = await openSession(s);
    const abort = new Dexie.AbortError('Transaction aborted', quotaError());
    vi.spyOn(s.db.pages, 'bulkAdd').mockRejectedValue(abort);
    const err = await s.append(session.id, chats('a', 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as StorageFullError).cause).toBe(abort);
  });

  it('does not call other write failures a full disk', async () => {
    const s = store();
    const session = await openSession(s);
    vi.spyOn(s.db.pages, 'bulkAdd').mockRejectedValue(new Error('disk on fire'));
    const err = await s.append(session.id, chats('a', 1)).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(StorageFullError);
    expect((err as Error).message).toBe('disk on fire');
  });

  it('a screenshot that does not fit reports StorageFullError too', async () => {
    const s = store();
    vi.spyOn(s.db.blobs, 'put').mockRejectedValue(quotaError());
    await expect(s.putBlob('b'.repeat(64), 'image/png', new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(
      StorageFullError,
    );
  });
});

describe('EvidenceStore: blobs', () => {
  it('stores a screenshot as a Blob that reads back byte for byte', async () => {
    const s = store();
    const bytes = new Uint8Array(256).map((_, i) => (i * 37 + 11) & 0xff);
    const sha = 'c'.repeat(64);

    await s.putBlob(sha, 'image/png', bytes);

    const row = (await s.db.blobs.get(sha))!;
    expect(row).toMatchObject({ sha256: sha, mediatype: 'image/png', bytes: 256 });
    expect(row.blob).toBeInstanceOf(Blob);
    expect(row.blob.type).toBe('image/png');
    expect(new Uint8Array(await row.blob.arrayBuffer())).toEqual(bytes);
  });
});

describe('pausing a session', () => {
  it('seals a pause, refuses what the page shows until resumed, then seals a resume naming when it stopped', async () => {
    const store = freshStore();
    try {
      const s = await openSession(store);
      await store.append(s.id, [chat('k1')]);
      expect(await store.pause(s.id, 'user')).toBe(true);
      expect(await store.pause(s.id, 'user')).toBe(false);
      await expect(store.append(s.id, [chat('k2')])).rejects.toBeInstanceOf(SessionPausedError);
      await expect(store.append(s.id, [screenshotEvent('shot')])).rejects.toBeInstanceOf(SessionPausedError);
      // The background's own records go on: a note is not something the page shows.
      await store.append(s.id, [
        { key: 'n1', type: 'note', time: new Date().toISOString(), data: { text: '备注' } },
      ]);
      expect((await store.db.sessions.get(s.id))!.paused?.cause).toBe('user');

      expect(await store.resume(s.id, 'storage-full')).toBe(false); // another cause's resume does not lift it
      expect(await store.resume(s.id, 'user')).toBe(true);
      expect(await store.resume(s.id, 'user')).toBe(false);
      await store.append(s.id, [chat('k3')]);

      const events = await readSessionEvents(store.db, s.id);
      expect(events.map((e) => e.type)).toEqual(['chat', 'pause', 'note', 'resume', 'chat']);
      expect(events[3]!.data).toEqual({ cause: 'user', since: events[1]!.time });
      expect(await firstChainProblem(s.id, events)).toBeNull();
      expect((await store.db.sessions.get(s.id))!.paused).toBeNull();
    } finally {
      await store.db.delete();
    }
  });

  it('while paused, the batch from the page in a group is refused and the note written with it is kept', async () => {
    const s = store();
    const session = await openSession(s);
    await s.pause(session.id, 'user');
    const [shown, noted] = [s.append(session.id, [chat('k1')]), s.append(session.id, [note('n1', '备注')])];
    await expect(shown).rejects.toBeInstanceOf(SessionPausedError);
    expect((await noted).sealed.map((e) => e.type)).toEqual(['note']);
    expect((await readSessionEvents(s.db, session.id)).map((e) => e.type)).toEqual(['pause', 'note']);
  });

  it('resumes after a full disk with the time it stopped, even when no pause could be written', async () => {
    const store = freshStore();
    try {
      const s = await openSession(store);
      expect(await store.resume(s.id, 'storage-full')).toBe(false); // nothing to resume, no time known
      expect(await store.resume(s.id, 'storage-full', '2026-11-29T09:00:00.000Z')).toBe(true);
      const [resume] = await readSessionEvents(store.db, s.id);
      expect(resume!.data).toEqual({ cause: 'storage-full', since: '2026-11-29T09:00:00.000Z' });
    } finally {
      await store.db.delete();
    }
  });

  it('treats a quota error and a full disk as storage full, and other failures not', () => {
    expect(isQuotaError({ name: 'QuotaExceededError' })).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError({ name: 'DataError', message: 'Failed to write blobs (IOError)' })).toBe(true);
    expect(
      isQuotaError({ name: 'DataError', message: 'Evaluating the object store’s key path failed' }),
    ).toBe(false);
    expect(isQuotaError(new Error('boom'))).toBe(false);
  });

  it('remembers the anchor the page shows', async () => {
    const store = freshStore();
    try {
      const s = await openSession(store);
      await store.append(s.id, [
        {
          key: 'r1',
          type: 'room',
          time: new Date().toISOString(),
          data: { anchorName: '小美优选', state: 'live' },
        },
      ]);
      expect((await store.db.sessions.get(s.id))!.anchor).toBe('小美优选');
    } finally {
      await store.db.delete();
    }
  });
});
