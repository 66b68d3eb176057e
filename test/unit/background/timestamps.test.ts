import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  BACKOFF_MS,
  TIMESTAMP_ALARM,
  TIMESTAMP_RETRY_ALARM,
  Timestamps,
  stampKey,
  type AlarmsLike,
  type TimestampConfig,
} from '../../../src/background/timestamps';
import type { KeyValueArea } from '../../../src/background/tab-state';
import { buildRequest, checkTimeStampToken } from '../../../src/core/tsa';
import { fromBase64 } from '../../../src/core/sign';
import { firstChainProblem } from '../../../src/core/chain';
import { EventLine } from '../../../src/core/package/manifest';
import { readSessionEvents, type EvidenceStore } from '../../../src/db';
import { chats, freshStore, openSession } from '../db/fixtures';
import { startTestTsa, type TestTsa } from '../../support/tsa-server';

const MIN = 60_000;

/** `storage.local` in memory. */
class MemoryArea implements KeyValueArea {
  readonly items = new Map<string, unknown>();
  async get(key: string) {
    return this.items.has(key) ? { [key]: structuredClone(this.items.get(key)) } : {};
  }
  async set(items: Record<string, unknown>) {
    for (const [k, val] of Object.entries(items)) this.items.set(k, structuredClone(val));
  }
  async remove(key: string) {
    this.items.delete(key);
  }
}

/** A clock that only moves when told, and `chrome.alarms` on that clock. */
class FakeAlarms implements AlarmsLike {
  now = Date.parse('2026-11-28T09:40:00.000Z');
  readonly alarms = new Map<string, { scheduledTime: number; periodInMinutes?: number }>();
  /** Whoever handles fired alarms (the worker of the moment). */
  handler: (name: string) => Promise<void> = async () => undefined;

  create(name: string, info: { when?: number; periodInMinutes?: number }) {
    const scheduledTime = info.when ?? this.now + (info.periodInMinutes ?? 0) * MIN;
    this.alarms.set(name, {
      scheduledTime,
      ...(info.periodInMinutes ? { periodInMinutes: info.periodInMinutes } : {}),
    });
  }
  async clear(name: string) {
    return this.alarms.delete(name);
  }
  async get(name: string) {
    const a = this.alarms.get(name);
    return a ? { ...a } : undefined;
  }

  /** Moves the clock by `ms`, firing every alarm that comes due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      const next = [...this.alarms].sort((a, b) => a[1].scheduledTime - b[1].scheduledTime)[0];
      if (!next || next[1].scheduledTime > target) break;
      const [name, alarm] = next;
      this.now = alarm.scheduledTime;
      if (alarm.periodInMinutes) alarm.scheduledTime += alarm.periodInMinutes * MIN;
      else this.alarms.delete(name);
      await this.handler(name);
    }
    this.now = target;
  }
}

let tsaA: TestTsa;
let tsaB: TestTsa;
beforeAll(async () => {
  [tsaA, tsaB] = await Promise.all([startTestTsa(), startTestTsa()]);
});
afterAll(async () => {
  await Promise.all([tsaA.close(), tsaB.close()]);
});

const stores: EvidenceStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.db.delete();
  for (const t of [tsaA, tsaB]) {
    t.fault = 'none';
    t.delayMs = 0;
    t.seen.length = 0;
  }
});

interface Sent {
  url: string;
  at: number;
  init: RequestInit;
}

/** A fake clock for the rounds; real HTTP with a real timeout (generous: signing takes a moment under load). */
function setup(config: Partial<TimestampConfig> = {}, timeoutMs = 10_000) {
  const store = freshStore();
  stores.push(store);
  const area = new MemoryArea();
  const alarms = new FakeAlarms();
  const sent: Sent[] = [];
  const conf: TimestampConfig = {
    enabled: true,
    intervalMin: 5,
    authorities: [
      { name: 'Test TSA A', url: tsaA.url },
      { name: 'Test TSA B', url: tsaB.url },
    ],
    ...config,
  };
  const make = () => {
    const t = new Timestamps({
      store,
      area,
      alarms,
      config: async () => conf,
      now: () => alarms.now,
      timeoutMs,
      fetch: (url, init) => {
        sent.push({ url: String(url), at: alarms.now, init: init ?? {} });
        return fetch(url, init);
      },
    });
    alarms.handler = (name) => t.onAlarm(name);
    return t;
  };
  return { store, area, alarms, sent, conf, stamps: make(), restart: make };
}

async function timestampEvents(store: EvidenceStore, sessionId: string) {
  return (await readSessionEvents(store.db, sessionId)).filter((e) => e.type === 'timestamp');
}

const attemptsAt = (sent: Sent[], url: string, t0: number) =>
  sent.filter((s) => s.url === url).map((s) => (s.at - t0) / 1000);

describe('Timestamps: chain heads stamped by time-stamping authorities', () => {
  it('every 5 minutes stamps the head of each open session with every authority and seals checked tokens', async () => {
    const { store, alarms, stamps } = setup();
    const one = await openSession(store, { tabId: 1 });
    const two = await openSession(store, { tabId: 2 });
    await store.append(one.id, chats('a', 3));
    await store.append(two.id, chats('b', 2));
    await stamps.start();
    expect(await alarms.get(TIMESTAMP_ALARM)).toEqual({
      scheduledTime: alarms.now + 5 * MIN,
      periodInMinutes: 5,
    });

    await alarms.advance(5 * MIN - 1);
    expect(tsaA.seen).toHaveLength(0);
    await alarms.advance(1);

    for (const [session, head] of [
      [one, 2],
      [two, 1],
    ] as const) {
      const events = await readSessionEvents(store.db, session.id);
      const stamped = events.filter((e) => e.type === 'timestamp');
      expect(stamped.map((e) => e.data.tsa).sort()).toEqual([tsaA.url, tsaB.url].sort());
      for (const e of stamped) {
        expect(e.data.seq).toBe(head);
        expect(e.data.hash).toBe(events[head]!.hash);
        expect(e.time).toBe(new Date(alarms.now).toISOString());
        expect(v.safeParse(EventLine, e).success).toBe(true);
        const check = await checkTimeStampToken(fromBase64(e.data.token as string)!, events[head]!.hash);
        expect(check).toMatchObject({ ok: true, genTime: e.data.genTime, serial: e.data.serial });
      }
      expect(await firstChainProblem(session.id, events)).toBeNull();
    }

    // Nothing observed since: the heads are the stamps themselves, and nothing is sent.
    await alarms.advance(5 * MIN);
    expect(tsaA.seen).toHaveLength(2);
    expect(tsaB.seen).toHaveLength(2);

    await store.append(one.id, chats('c', 1));
    await alarms.advance(5 * MIN);
    const latest = (await timestampEvents(store, one.id)).slice(-2);
    expect(latest.map((e) => e.data.seq)).toEqual([5, 5]);
    expect(tsaA.seen).toHaveLength(3);
    expect((await timestampEvents(store, two.id)).length).toBe(2);
  });

  it('sends the head hash and nothing else: a bare request, no credentials, no referrer', async () => {
    const { store, sent, stamps } = setup();
    const s = await openSession(store);
    const [sealed] = (await store.append(s.id, chats('a', 1))).sealed;
    await stamps.stampNow();
    expect(tsaA.seen).toEqual([
      {
        imprintHex: sealed!.hash,
        hashAlgorithm: '2.16.840.1.101.3.4.2.1',
        nonce: expect.any(Uint8Array),
        certReq: true,
        contentType: 'application/timestamp-query',
        bodyBytes: expect.any(Number),
        extra: [],
      },
    ]);
    // The body is exactly the request for that hash and nonce, nothing more.
    const seen = tsaA.seen[0]!;
    expect(seen.bodyBytes).toBe(buildRequest(sealed!.hash, seen.nonce!).length);
    const init = sent[0]!.init;
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit', referrerPolicy: 'no-referrer' });
    expect(init.headers).toEqual({
      'content-type': 'application/timestamp-query',
      accept: 'application/timestamp-reply',
    });
    // Two requests for one head carry different nonces.
    expect(Buffer.from(tsaA.seen[0]!.nonce!).equals(Buffer.from(tsaB.seen[0]!.nonce!))).toBe(false);
  });

  it('retries a TSA that is down after 30 s, 2 min, then every 10 min, and stamps when it is back', async () => {
    const { store, alarms, sent, stamps } = setup();
    const s = await openSession(store);
    await store.append(s.id, chats('a', 2));
    await stamps.start();
    const t0 = alarms.now;
    tsaA.fault = 'down';

    await alarms.advance(5 * MIN);
    expect((await timestampEvents(store, s.id)).map((e) => e.data.tsa)).toEqual([tsaB.url]);
    let status = await stamps.status(s.id);
    expect(status.pending).toEqual([
      {
        tsa: tsaA.url,
        seq: 1,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        since: new Date(t0 + 5 * MIN).toISOString(),
        attempts: 1,
        nextAttempt: new Date(t0 + 5 * MIN + BACKOFF_MS[0]).toISOString(),
        lastError: 'network',
      },
    ]);
    expect((await alarms.get(TIMESTAMP_RETRY_ALARM))?.scheduledTime).toBe(t0 + 5 * MIN + 30_000);

    await alarms.advance(20 * MIN);
    expect(attemptsAt(sent, tsaA.url, t0)).toEqual([300, 330, 450, 1050]);
    expect(await timestampEvents(store, s.id)).toHaveLength(1);

    tsaA.fault = 'none';
    await alarms.advance(10 * MIN);
    expect(attemptsAt(sent, tsaA.url, t0)).toEqual([300, 330, 450, 1050, 1650]);
    const events = await timestampEvents(store, s.id);
    expect(events.map((e) => [e.data.tsa, e.data.seq])).toEqual([
      [tsaB.url, 1],
      [tsaA.url, 1],
    ]);
    status = await stamps.status(s.id);
    expect(status.pending).toEqual([]);
    expect(status.stamped.map((x) => [x.tsa, x.seq])).toEqual([
      [tsaB.url, 1],
      [tsaA.url, 1],
    ]);
    expect(status.coveredThrough).toBe(1);
    expect(await alarms.get(TIMESTAMP_RETRY_ALARM)).toBeUndefined();
  });

  it('queues, seals nothing and says why when the TSA fails: HTTP 500, rejection, garbage, too slow', async () => {
    const expected = {
      'http-500': 'http-500',
      rejection: 'tsa-rejection:timeNotAvailable',
      garbage: 'tsa-unparsable',
      slow: 'timeout',
    } as const;
    for (const [fault, error] of Object.entries(expected)) {
      const { store, stamps } = setup(
        { authorities: [{ name: 'A', url: tsaA.url }] },
        fault === 'slow' ? 300 : 10_000,
      );
      const s = await openSession(store);
      await store.append(s.id, chats('a', 1));
      tsaA.fault = fault as keyof typeof expected;
      tsaA.delayMs = 1500;
      await stamps.stampNow([s.id]);
      expect(await timestampEvents(store, s.id), fault).toEqual([]);
      expect(
        (await stamps.status(s.id)).pending.map((p) => p.lastError),
        fault,
      ).toEqual([error]);
    }
  });

  it('never seals a token that does not check: wrong imprint, bad signature, wrong nonce', async () => {
    const expected = {
      'wrong-imprint': 'bad-token:imprint-mismatch',
      'bad-signature': 'bad-token:bad-signature',
      'wrong-nonce': 'bad-token:nonce-mismatch',
    } as const;
    for (const [fault, error] of Object.entries(expected)) {
      const { store, alarms, stamps } = setup({ authorities: [{ name: 'A', url: tsaA.url }] });
      const s = await openSession(store);
      await store.append(s.id, chats('a', 1));
      await stamps.start();
      tsaA.fault = fault as keyof typeof expected;
      tsaA.seen.length = 0;
      await alarms.advance(5 * MIN + BACKOFF_MS[0]);
      expect(tsaA.seen, fault).toHaveLength(2);
      expect(await timestampEvents(store, s.id), fault).toEqual([]);
      const [pending] = (await stamps.status(s.id)).pending;
      expect(pending, fault).toMatchObject({ attempts: 2, lastError: error });
    }
  });

  it('a newer head replaces a queued older one, and status names the older as not stamped', async () => {
    const { store, alarms, stamps } = setup();
    const s = await openSession(store);
    await store.append(s.id, chats('a', 2));
    await stamps.start();
    tsaA.fault = 'down';
    await alarms.advance(5 * MIN);
    await store.append(s.id, chats('b', 2)); // seq 3 and 4, after B's stamp (2)
    await alarms.advance(5 * MIN);
    tsaA.fault = 'none';
    await alarms.advance(10 * MIN);
    const status = await stamps.status(s.id);
    expect(status.missed).toEqual([
      { tsa: tsaA.url, seq: 1, hash: expect.any(String), reason: 'superseded', lastError: 'network' },
    ]);
    expect(status.stamped.filter((x) => x.tsa === tsaA.url).map((x) => x.seq)).toEqual([4]);
    expect(status.stamped.filter((x) => x.tsa === tsaB.url).map((x) => x.seq)).toEqual([1, 4]);
    expect(status.coveredThrough).toBe(4);
    expect(status.pending).toEqual([]);
  });

  it('at export stamps at once, even an authority waiting out its back-off', async () => {
    const { store, alarms, stamps } = setup();
    const s = await openSession(store);
    const other = await openSession(store, { tabId: 9 });
    await store.append(s.id, chats('a', 1));
    await store.append(other.id, chats('o', 1));
    await stamps.start();
    tsaA.fault = 'down';
    await alarms.advance(5 * MIN);
    tsaA.fault = 'none';
    await store.append(s.id, chats('b', 1)); // seq 2, after B's stamp (1)
    await stamps.stampNow([s.id]);
    const status = await stamps.status(s.id);
    expect(status.pending).toEqual([]);
    expect(status.coveredThrough).toBe(2);
    expect(
      status.stamped
        .filter((x) => x.seq === 2)
        .map((x) => x.tsa)
        .sort(),
    ).toEqual([tsaA.url, tsaB.url].sort());
    // The other session's queued head was not part of this export, but A is healthy again: sent too.
    expect((await stamps.status(other.id)).pending).toEqual([]);
  });

  it('survives the worker being stopped: the queue is in storage and a new worker finishes it', async () => {
    const { store, alarms, restart, stamps } = setup();
    const s = await openSession(store);
    await store.append(s.id, chats('a', 1));
    await stamps.start();
    tsaA.fault = 'down';
    await alarms.advance(5 * MIN);
    expect((await stamps.status(s.id)).pending).toHaveLength(1);

    const fresh = restart(); // a new worker: nothing in memory, same storage and alarms
    await fresh.start();
    tsaA.fault = 'none';
    await alarms.advance(BACKOFF_MS[0]);
    expect((await fresh.status(s.id)).pending).toEqual([]);
    expect((await timestampEvents(store, s.id)).map((e) => e.data.tsa).sort()).toEqual(
      [tsaA.url, tsaB.url].sort(),
    );
  });

  it('never seals one head twice for one authority, even when the worker died before saving its queue', async () => {
    const { store, area, stamps } = setup({ authorities: [{ name: 'A', url: tsaA.url }] });
    const s = await openSession(store);
    await store.append(s.id, chats('a', 1));
    tsaA.fault = 'down';
    await stamps.stampNow();
    const before = structuredClone(area.items.get('timestamps'));
    tsaA.fault = 'none';
    await stamps.stampNow();
    expect(await timestampEvents(store, s.id)).toHaveLength(1);
    // As if the worker was stopped after sealing and before it wrote down that the head was done.
    area.items.set('timestamps', before);
    await stamps.stampNow();
    expect(tsaA.seen).toHaveLength(2); // asked again (the first try never reached it), but the key exists
    expect(await timestampEvents(store, s.id)).toHaveLength(1);
    const status = await stamps.status(s.id);
    expect(status.pending).toEqual([]);
    expect(status.stamped).toMatchObject([{ tsa: tsaA.url, seq: 0 }]);
    expect(status.stamped[0]!.eventSeq).toBeUndefined();
  });

  it('a session that ends while its head is queued: reported as not stamped, nothing sent', async () => {
    const { store, alarms, stamps } = setup({ authorities: [{ name: 'A', url: tsaA.url }] });
    const s = await openSession(store);
    await store.append(s.id, chats('a', 1));
    await stamps.start();
    tsaA.fault = 'down';
    await alarms.advance(5 * MIN);
    await store.close(s.id, 'tab-closed');
    tsaA.fault = 'none';
    await alarms.advance(BACKOFF_MS[0]);
    expect(tsaA.seen).toEqual([]);
    const status = await stamps.status(s.id);
    expect(status.pending).toEqual([]);
    expect(status.missed).toMatchObject([{ tsa: tsaA.url, seq: 0, reason: 'session-closed' }]);
    expect(await alarms.get(TIMESTAMP_RETRY_ALARM)).toBeUndefined();
  });

  it('start follows the settings: the interval; when turned off, no alarms and nothing more is sent', async () => {
    const { store, alarms, stamps, conf } = setup({ intervalMin: 2 });
    const s = await openSession(store);
    await store.append(s.id, chats('a', 1));
    await stamps.start();
    expect((await alarms.get(TIMESTAMP_ALARM))?.periodInMinutes).toBe(2);
    tsaA.fault = 'down';
    await alarms.advance(2 * MIN);
    expect((await stamps.status(s.id)).pending).toHaveLength(1);

    conf.enabled = false;
    await stamps.start();
    expect(alarms.alarms.size).toBe(0);
    const status = await stamps.status(s.id);
    expect(status.pending).toEqual([]);
    expect(status.missed).toMatchObject([{ tsa: tsaA.url, seq: 0, reason: 'disabled' }]);
    expect(Timestamps.owns(TIMESTAMP_ALARM) && Timestamps.owns(TIMESTAMP_RETRY_ALARM)).toBe(true);
    expect(Timestamps.owns('liveproof/periodic-screenshot')).toBe(false);
  });

  it('schedules the retry from a queue of 200,000 heads (more than a spread of arguments takes)', async () => {
    const { area, alarms, stamps } = setup();
    const t0 = alarms.now;
    // What storage holds after a long time offline with many sessions: the queue is read back as is.
    await area.set({
      timestamps: {
        v: 1,
        jobs: Array.from({ length: 200_000 }, (_, i) => ({
          session: `20261128-094000-${i.toString(16).padStart(8, '0')}`,
          tsa: i % 2 ? tsaA.url : tsaB.url,
          seq: 0,
          hash: 'a'.repeat(64),
          since: t0,
          attempts: 1,
        })),
        sessions: {},
        health: {
          [tsaA.url]: { failures: 1, retryAt: t0 + 10 * MIN },
          [tsaB.url]: { failures: 1, retryAt: t0 + 4 * MIN },
        },
      },
    });
    await stamps.start();
    expect((await alarms.get(TIMESTAMP_RETRY_ALARM))?.scheduledTime).toBe(t0 + 4 * MIN);
  });

  it('keys each stamp by authority and head, within the store’s key limit', async () => {
    expect(await stampKey('https://freetsa.org/tsr', 41)).toBe('tsa:https://freetsa.org/tsr:41');
    const long = await stampKey(`https://tsa.example.cn/${'x'.repeat(200)}`, 7);
    expect(long).toMatch(/^tsa:sha256-[0-9a-f]{32}:7$/);
  });
});
