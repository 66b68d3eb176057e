import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyRetention,
  attachReceipt,
  createCase,
  deleteSessions,
  readSessionEvents,
  removeReceipt,
  setMark,
  type EvidenceStore,
} from '../../../src/db';
import { chats, freshStore, openSession, screenshotEvent } from './fixtures';
import { ORDER_PNG } from '../core/package/fixtures';

const stores: EvidenceStore[] = [];
function store(): EvidenceStore {
  const s = freshStore();
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.db.delete();
});

const DAY = 24 * 60 * 60 * 1000;

async function endedSession(s: EvidenceStore, daysAgo: number) {
  const row = await openSession(s);
  await s.db.sessions.update(row.id, { startedAt: new Date(Date.now() - daysAgo * DAY).toISOString() });
  await s.append(row.id, [...chats(row.id, 3), screenshotEvent(`${row.id}:shot`)]);
  await s.putBlob('a'.repeat(64), 'image/png', ORDER_PNG);
  await s.close(row.id, 'tab-closed');
  await s.db.sessions.update(row.id, {
    endedAt: new Date(Date.now() - daysAgo * DAY + 60_000).toISOString(),
  });
  return row.id;
}

describe('receipts on a case', () => {
  it('attaches a real file with its hash and type from its bytes, whatever its name', async () => {
    const s = store();
    const c = await createCase(s.db, '不粘锅', []);
    const r = await attachReceipt(s.db, c.id, { name: 'order.pdf', bytes: ORDER_PNG });
    expect(r.ok && r.receipt.mediatype).toBe('image/png');
    expect((await s.db.cases.get(c.id))!.receipts).toHaveLength(1);
  });

  it('refuses an empty or broken file and loses nothing already in the case', async () => {
    const s = store();
    const c = await createCase(s.db, '不粘锅', []);
    await attachReceipt(s.db, c.id, { name: 'good.png', bytes: ORDER_PNG });
    const empty = await attachReceipt(s.db, c.id, { name: 'empty.png', bytes: new Uint8Array() });
    const broken = await attachReceipt(s.db, c.id, { name: 'cut.png', bytes: ORDER_PNG.subarray(0, 40) });
    expect(empty).toMatchObject({ ok: false, sniff: { code: 'empty' } });
    expect(broken).toMatchObject({ ok: false, sniff: { code: 'damaged', kind: 'png' } });
    const row = (await s.db.cases.get(c.id))!;
    expect(row.receipts).toHaveLength(1);
    expect(await s.db.receipts.count()).toBe(1);
    await removeReceipt(s.db, c.id, row.receipts[0]!);
    expect(await s.db.receipts.count()).toBe(0);
  });
});

describe('deleting and retention', () => {
  it('retention deletes old sessions that are in no case, with an audit entry; open, recent and case sessions stay', async () => {
    const s = store();
    const old = await endedSession(s, 40);
    const inCase = await endedSession(s, 45);
    const recent = await endedSession(s, 3);
    const open = await openSession(s);
    await s.db.sessions.update(open.id, { startedAt: new Date(Date.now() - 50 * DAY).toISOString() });
    await createCase(s.db, '保留', [inCase]);
    await setMark(s.db, { session: old, seq: 1, key: true, note: '' });

    expect(await applyRetention(s.db, 30)).toEqual([old]);
    expect(await s.db.sessions.get(old)).toBeUndefined();
    expect(await readSessionEvents(s.db, old)).toEqual([]);
    expect(await s.db.marks.count()).toBe(0);
    for (const id of [inCase, recent, open.id]) expect(await s.db.sessions.get(id)).toBeDefined();
    const audit = (await s.db.audit.toArray()).filter((a) => a.action === 'session-expired');
    expect(audit.map((a) => a.subject)).toEqual([old]);
    // The screenshot is still used by the remaining sessions.
    expect(await s.db.blobs.count()).toBe(1);
    expect(await applyRetention(s.db, 0)).toEqual([]);
  });

  it('deleting by hand leaves an audit entry and drops screenshots nothing points to', async () => {
    const s = store();
    const a = await endedSession(s, 1);
    const gone = await deleteSessions(
      s.db,
      [(await s.db.sessions.get(a))!],
      'session-deleted',
      (r) => r.title,
    );
    expect(gone).toEqual([a]);
    expect(await s.db.blobs.count()).toBe(0);
    const audit = await s.db.audit.toArray();
    expect(audit.at(-1)).toMatchObject({ action: 'session-deleted', subject: a, detail: '小美优选直播间' });
  });

  it('deleting a session keeps the video clips and screenshots other sessions still point to', async () => {
    const s = store();
    const gone = await endedSession(s, 1);
    const kept = await openSession(s);
    const clip = 'c'.repeat(64);
    await s.putBlob(clip, 'video/webm', new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3]));
    await s.append(kept.id, [
      {
        key: 'video:0',
        type: 'video',
        time: new Date().toISOString(),
        data: { sha256: clip, bytes: 7, mediatype: 'video/webm', clip: 'c1', chunk: 0 },
      },
      screenshotEvent('kept:shot'),
    ]);
    await deleteSessions(s.db, [(await s.db.sessions.get(gone))!], 'session-deleted', (r) => r.title);
    expect((await s.db.blobs.toCollection().primaryKeys()).sort()).toEqual(['a'.repeat(64), clip]);
    expect(await readSessionEvents(s.db, gone)).toEqual([]);
    expect((await readSessionEvents(s.db, kept.id)).map((e) => e.type)).toEqual(['video', 'screenshot']);
  });
});
