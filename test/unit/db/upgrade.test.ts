/** The evidence database's upgrade from one event per row (version 4) to pages of events (version 5). */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { EvidenceDb, EvidenceStore, readSessionEvents } from '../../../src/db';
import { firstChainProblem } from '../../../src/core/chain';
import { randomHex } from '../../../src/core/time';
import { chats, openSession } from './fixtures';

describe('the database upgrade to event pages (version 5)', () => {
  it('moves every event of version 4, unchanged and in order, into pages; resends of old keys are still dropped', async () => {
    const name = `liveproof-test-${randomHex(8)}`;
    const v4 = new Dexie(name);
    v4.version(4).stores({
      sessions: 'id, tabId, status, startedAt',
      events: '[sessionId+seq], &[sessionId+key]',
      blobs: 'sha256',
      keys: 'id',
      cases: 'id, updatedAt',
      receipts: 'id, caseId',
      marks: '[session+seq], session',
      audit: '++id, time',
      videoChunks: '++id, recording, [recording+segment]',
    });
    // Two sessions sealed by the old store: 150 events (three pages) and 2.
    const old = new EvidenceStore(new EvidenceDb(`${name}-source`));
    const a = await openSession(old);
    const b = await openSession(old);
    await old.append(a.id, chats('a', 150));
    await old.append(b.id, chats('b', 2));
    const sealed = {
      [a.id]: await readSessionEvents(old.db, a.id),
      [b.id]: await readSessionEvents(old.db, b.id),
    };
    const sessions = await old.db.sessions.toArray();
    await old.db.delete();
    await v4.table('sessions').bulkAdd(sessions);
    await v4
      .table('events')
      .bulkAdd(
        Object.entries(sealed).flatMap(([sessionId, events]) =>
          events.map((e, i) => ({ ...e, sessionId, key: `${sessionId === a.id ? 'a' : 'b'}:${i}` })),
        ),
      );
    v4.close();

    const store = new EvidenceStore(new EvidenceDb(name));
    try {
      expect(await readSessionEvents(store.db, a.id)).toEqual(sealed[a.id]);
      expect(await readSessionEvents(store.db, b.id)).toEqual(sealed[b.id]);
      expect((await store.db.pages.toArray()).map((p) => [p.seq, p.events.length])).toEqual(
        expect.arrayContaining([
          [0, 64],
          [64, 64],
          [128, 22],
          [0, 2],
        ]),
      );
      const again = await store.append(a.id, [...chats('a', 151).slice(140)]);
      expect(again.duplicates).toBe(10);
      expect(again.sealed.map((e) => e.seq)).toEqual([150]);
      expect(await firstChainProblem(a.id, await readSessionEvents(store.db, a.id))).toBeNull();
    } finally {
      await store.db.delete();
    }
  });
});
