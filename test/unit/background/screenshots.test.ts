import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DETECTION_GAP_MS,
  MIN_GAP_MS,
  QUOTA_RETRY_MS,
  SESSION_ENDED,
  Screenshots,
  type ScreenshotDeps,
  type TabInfo,
  WORKER_RESTARTED,
} from '../../../src/background/screenshots';
import { JOURNAL_KEY, TriggerJournal } from '../../../src/background/screenshot-journal';
import { TabSessions } from '../../../src/background/sessions';
import { TabState } from '../../../src/background/tab-state';
import { PROTOCOL_VERSION, ProtocolError } from '../../../src/core/protocol';
import { firstChainProblem } from '../../../src/core/chain';
import { readSessionEvents, type EvidenceStore } from '../../../src/db';
import type { SealedEvent } from '../../../src/core/evidence';
import { freshStore } from '../db/fixtures';

/** A real 1×1 PNG, as `captureVisibleTab` returns it. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;
const PNG_BYTES = new Uint8Array(Buffer.from(PNG_BASE64, 'base64'));
const PNG_SHA256 = createHash('sha256').update(PNG_BYTES).digest('hex');

const TAB = 7;
const WINDOW = 3;
const LIVE = 'https://live.douyin.com/880123456';

const stores: EvidenceStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.db.delete();
});

/** A browser with one live-room tab, a clock that only moves when the code sleeps, and a working camera. */
async function setup(overrides: Partial<ScreenshotDeps> = {}) {
  const store = freshStore();
  stores.push(store);
  const items = new Map<string, unknown>();
  const sessions = new TabSessions(
    store,
    new TabState({
      get: async (k) => (items.has(k) ? { [k]: items.get(k) } : {}),
      set: async (o) => void Object.entries(o).forEach(([k, v]) => items.set(k, v)),
      remove: async (k) => void items.delete(k),
    }),
    async () => ({
      extensionVersion: '0.1.0',
      userAgent: 'test',
      os: 'linux/x86-64',
      timeZone: 'Asia/Shanghai',
      language: 'zh-CN',
    }),
  );
  const outcome = await sessions.hello(TAB, LIVE, {
    t: 'hello',
    v: PROTOCOL_VERSION,
    instance: 'a1b2c3d4',
    url: LIVE,
    title: '小美优选直播间',
    adapter: 'generic',
    platform: 'douyin',
  });
  if (!('session' in outcome)) throw new Error('no session');

  const browser = {
    tab: { id: TAB, windowId: WINDOW, active: true, url: LIVE } as TabInfo,
    windowVisible: true,
    clock: 1_000_000,
    /** Clock readings at which each capture started. */
    capturedAt: [] as number[],
  };
  const deps: ScreenshotDeps = {
    store,
    sessions,
    getTab: vi.fn(async (tabId: number) => {
      if (tabId !== TAB) throw new Error(`No tab with id: ${tabId}.`);
      return { ...browser.tab };
    }),
    isWindowVisible: vi.fn(async () => browser.windowVisible),
    capture: vi.fn(async () => {
      browser.capturedAt.push(browser.clock);
      return PNG_DATA_URL;
    }),
    now: () => browser.clock,
    sleep: vi.fn(async (ms: number) => {
      browser.clock += ms;
    }),
    ...overrides,
  };
  return { store, sessions, session: outcome.session, browser, deps, screenshots: new Screenshots(deps) };
}

/**
 * Chrome's quota as measured in Chromium 156: a window of 1000 ms opens at the first capture after
 * the last window closed and holds two captures; a third inside it is refused.
 */
function chromeQuota(browser: { clock: number; capturedAt: number[] }) {
  const state = { opened: -Infinity, used: 0, refused: 0 };
  const capture = async () => {
    if (browser.clock > state.opened + 1000) {
      state.opened = browser.clock;
      state.used = 0;
    }
    if (++state.used > 2) {
      state.refused++;
      throw new Error('This request exceeds the MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND quota.');
    }
    browser.capturedAt.push(browser.clock);
    return PNG_DATA_URL;
  };
  return Object.assign(state, { capture });
}

const ANOTHER_ROOM = 'https://live.douyin.com/990000001';

/** The tab moves on to another room: its session ends and a new one starts. */
async function anotherRoom(sessions: TabSessions) {
  const outcome = await sessions.hello(TAB, ANOTHER_ROOM, {
    t: 'hello',
    v: PROTOCOL_VERSION,
    instance: 'e5f6a7b8',
    url: ANOTHER_ROOM,
    title: '另一个直播间',
    adapter: 'generic',
    platform: 'douyin',
  });
  if (!('session' in outcome)) throw new Error('no session');
  return outcome;
}

async function rejection(p: Promise<unknown>): Promise<ProtocolError> {
  const err = await p.then(
    () => {
      throw new Error('expected the screenshot to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProtocolError);
  return err as ProtocolError;
}

const lastEvent = async (store: EvidenceStore, id: string): Promise<SealedEvent> => {
  const events = await readSessionEvents(store.db, id);
  return events[events.length - 1]!;
};

describe('Screenshots: a picture of the live room', () => {
  it('stores the PNG byte for byte under its SHA-256 and seals a screenshot event', async () => {
    const { store, session, screenshots } = await setup();

    const { seq } = await screenshots.take(TAB, 'manual', '主播说假一赔十');

    const event = await lastEvent(store, session.id);
    expect(event).toMatchObject({
      seq,
      type: 'screenshot',
      data: {
        sha256: PNG_SHA256,
        bytes: PNG_BYTES.length,
        mediatype: 'image/png',
        reason: 'manual',
        note: '主播说假一赔十',
        url: LIVE,
      },
    });
    const blob = (await store.db.blobs.get(PNG_SHA256))!;
    expect(blob).toMatchObject({ mediatype: 'image/png', bytes: PNG_BYTES.length });
    expect(new Uint8Array(await blob.blob.arrayBuffer())).toEqual(PNG_BYTES);
    expect((await store.db.sessions.get(session.id))!.counts.screenshots).toBe(1);
    expect(await firstChainProblem(session.id, await readSessionEvents(store.db, session.id))).toBeNull();
  });

  it('records no note when none was given and no URL for a page that is not http(s)', async () => {
    const { store, session, browser, screenshots } = await setup();
    browser.tab.url = 'chrome://newtab/';
    await screenshots.take(TAB, 'command');
    expect(Object.keys((await lastEvent(store, session.id)).data).sort()).toEqual([
      'bytes',
      'mediatype',
      'reason',
      'sha256',
    ]);
  });

  it('takes captures one at a time, at least MIN_GAP_MS apart, and the triggers that came meanwhile share the next', async () => {
    let running = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const { store, session, browser, screenshots } = await setup({
      capture: async () => {
        most = Math.max(most, ++running);
        browser.capturedAt.push(browser.clock);
        await new Promise<void>((r) => (release = r));
        running--;
        return PNG_DATA_URL;
      },
    });

    const first = screenshots.take(TAB, 'start');
    await vi.waitFor(() => expect(browser.capturedAt).toHaveLength(1));
    // While the first picture is being taken, three more triggers arrive.
    const later = [
      screenshots.take(TAB, 'product', undefined, 5),
      screenshots.take(TAB, 'manual', '主播说假一赔十'),
      screenshots.take(TAB, 'detection', undefined, 9),
    ];
    release();
    await vi.waitFor(() => expect(browser.capturedAt).toHaveLength(2));
    release();
    const taken = await Promise.all([first, ...later]);

    expect(most).toBe(1);
    expect(browser.capturedAt[1]! - browser.capturedAt[0]!).toBeGreaterThanOrEqual(MIN_GAP_MS);
    expect(taken.map((t) => t.seq)).toEqual([1, 2, 2, 2]);
    const shots = (await readSessionEvents(store.db, session.id)).filter((e) => e.type === 'screenshot');
    expect(shots).toHaveLength(2);
    expect(shots[0]!.data).toMatchObject({ reason: 'start' });
    expect(shots[0]!.data).not.toHaveProperty('alsoCovers');
    expect(shots[1]!.data).toMatchObject({
      reason: 'product',
      source: 5,
      alsoCovers: [
        { reason: 'manual', note: '主播说假一赔十' },
        { reason: 'detection', source: 9 },
      ],
    });
    expect(await firstChainProblem(session.id, await readSessionEvents(store.db, session.id))).toBeNull();
  });

  it('a burst of 20 triggers is covered by at most 2 pictures a second, none left unrecorded', async () => {
    const { store, session, browser, screenshots } = await setup();
    const all: Promise<{ seq: number }>[] = [];
    for (let i = 0; i < 20; i++) {
      all.push(screenshots.take(TAB, 'product', undefined, 100 + i));
      await new Promise((r) => setTimeout(r, 0));
      browser.clock += 100; // a trigger every 100 ms
    }
    await Promise.all(all);
    const shots = (await readSessionEvents(store.db, session.id)).filter((e) => e.type === 'screenshot');
    const sources = shots.flatMap((e) => [
      e.data.source,
      ...((e.data.alsoCovers as { source: number }[] | undefined) ?? []).map((c) => c.source),
    ]);
    expect(sources.sort()).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    const gaps = browser.capturedAt.slice(1).map((t, i) => t - browser.capturedAt[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(MIN_GAP_MS);
    expect(shots.length).toBeLessThan(20);
  });

  it('under a steady flow of triggers keeps close to Chrome’s cap of two a second, and Chrome refuses none', async () => {
    const { store, session, browser, deps, screenshots } = await setup();
    const quota = chromeQuota(browser);
    // The stream goes on: while each picture is taken, the next trigger comes (the clock moves only
    // while the queue waits, so the pace is the queue's own).
    const taken: Promise<{ seq: number }>[] = [];
    vi.mocked(deps.capture).mockImplementation(async () => {
      const url = await quota.capture();
      if (taken.length < 20) taken.push(screenshots.take(TAB, 'product', undefined, taken.length));
      return url;
    });
    taken.push(screenshots.take(TAB, 'product', undefined, 0));
    for (let n = 0; n !== taken.length;) {
      n = taken.length;
      await Promise.all(taken);
    }
    expect(quota.refused).toBe(0);
    const events = await readSessionEvents(store.db, session.id);
    expect(events.filter((e) => e.type === 'screenshot')).toHaveLength(20);
    expect(events.filter((e) => e.type === 'screenshot-missed')).toHaveLength(0);
    const span = browser.capturedAt.at(-1)! - browser.capturedAt[0]!;
    const perSecond = ((browser.capturedAt.length - 1) / span) * 1000;
    expect(perSecond).toBeGreaterThan(1.9);
    expect(perSecond).toBeLessThanOrEqual(2);
  });

  it('a capture Chrome’s quota refuses all the same is taken a moment later, and nothing is recorded as missed', async () => {
    const { store, session, browser, deps, screenshots } = await setup();
    vi.mocked(deps.capture).mockRejectedValueOnce(
      new Error('This request exceeds the MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND quota.'),
    );
    const { seq } = await screenshots.take(TAB, 'manual', '主播说假一赔十');
    expect(deps.capture).toHaveBeenCalledTimes(2);
    expect(deps.sleep).toHaveBeenCalledWith(QUOTA_RETRY_MS);
    const events = await readSessionEvents(store.db, session.id);
    expect(events.filter((e) => e.type === 'screenshot-missed')).toHaveLength(0);
    expect(events.find((e) => e.seq === seq)).toMatchObject({
      type: 'screenshot',
      data: { reason: 'manual', note: '主播说假一赔十', sha256: PNG_SHA256 },
    });
    expect(browser.capturedAt).toHaveLength(1);
  });

  it('a capture the quota keeps refusing is recorded as missed with Chrome’s words', async () => {
    const { store, session, deps, screenshots } = await setup({
      capture: vi.fn(async () => {
        throw new Error('This request exceeds the MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND quota.');
      }),
    });
    const err = await rejection(screenshots.take(TAB, 'manual'));
    expect(err.code).toBe('capture-failed');
    expect(vi.mocked(deps.capture).mock.calls.length).toBeGreaterThan(1);
    expect(await lastEvent(store, session.id)).toMatchObject({
      type: 'screenshot-missed',
      data: { reason: 'manual', cause: expect.stringContaining('MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND') },
    });
  });

  it('does not wait when the last capture was long enough ago', async () => {
    const { browser, deps, screenshots } = await setup();
    await screenshots.take(TAB, 'manual');
    browser.clock += 600;
    await screenshots.take(TAB, 'manual');
    expect(deps.sleep).not.toHaveBeenCalled();
  });

  it('the same picture twice is stored once and sealed twice', async () => {
    const { store, session, screenshots } = await setup();
    await screenshots.take(TAB, 'manual');
    await screenshots.take(TAB, 'periodic');
    expect(await store.db.blobs.count()).toBe(1);
    expect((await store.db.sessions.get(session.id))!.counts.screenshots).toBe(2);
  });
});

describe('Screenshots: detections are paced apart', () => {
  /** Sources each picture names, the first trigger's and those it also covers. */
  const named = (shots: SealedEvent[]): (number | undefined)[][] =>
    shots.map((e) => [
      e.data.source as number | undefined,
      ...((e.data.alsoCovers as { source?: number }[] | undefined) ?? []).map((c) => c.source),
    ]);

  it('a detection soon after the last picture of one waits until DETECTION_GAP_MS has passed, and that picture names it', async () => {
    const { store, session, browser, screenshots } = await setup();
    expect(await screenshots.take(TAB, 'detection', undefined, 11)).toEqual({ seq: 1 });
    browser.clock += 1000;
    const second = await screenshots.take(TAB, 'detection', undefined, 12);

    expect(browser.capturedAt).toHaveLength(2);
    expect(browser.capturedAt[1]! - browser.capturedAt[0]!).toBeGreaterThanOrEqual(DETECTION_GAP_MS);
    const shots = (await readSessionEvents(store.db, session.id)).filter((e) => e.type === 'screenshot');
    expect(second.seq).toBe(shots[1]!.seq);
    expect(shots[1]!.data).toMatchObject({ reason: 'detection', source: 12 });
  });

  it('a detection after a quiet spell is photographed at once', async () => {
    const { browser, screenshots } = await setup();
    await screenshots.take(TAB, 'detection', undefined, 11);
    browser.clock += DETECTION_GAP_MS + 1;
    const start = browser.clock;
    await screenshots.take(TAB, 'detection', undefined, 12);
    expect(browser.capturedAt).toEqual([expect.any(Number), start]);
  });

  it('detections held back join the next picture of their tab taken for another reason, and no extra picture follows', async () => {
    const gates: (() => void)[] = [];
    const { store, session, browser, screenshots } = await setup({
      // Long waits (the held detections') end when the test says so; Chrome's short gap passes at once.
      sleep: (ms: number) =>
        ms >= 1000 ? new Promise<void>((r) => gates.push(r)) : Promise.resolve(void (browser.clock += ms)),
    });
    await screenshots.take(TAB, 'detection', undefined, 11);
    browser.clock += 2000;
    const held = [
      screenshots.take(TAB, 'detection', undefined, 12),
      screenshots.take(TAB, 'detection', undefined, 13),
    ];
    await new Promise((r) => setTimeout(r, 0));
    expect(browser.capturedAt).toHaveLength(1);
    expect(screenshots.waiting).toBe(2);

    const manual = await screenshots.take(TAB, 'manual', '主播说假一赔十');
    expect(await Promise.all(held)).toEqual([manual, manual]);
    for (const open of gates.splice(0)) open();
    await new Promise((r) => setTimeout(r, 0));

    expect(browser.capturedAt).toHaveLength(2);
    expect(screenshots.waiting).toBe(0);
    const shots = (await readSessionEvents(store.db, session.id)).filter((e) => e.type === 'screenshot');
    expect(named(shots)).toEqual([[11], [12, 13, undefined]]);
    expect(shots[1]!.data).toMatchObject({
      reason: 'detection',
      alsoCovers: [{ reason: 'detection' }, { reason: 'manual', note: '主播说假一赔十' }],
    });
  });

  it('a bot pushing every 2 s for a minute gets at most one picture per DETECTION_GAP_MS, every detection named once', async () => {
    /** Sleeps end when the test's clock reaches them. */
    const timers: { at: number; wake: () => void }[] = [];
    const { store, session, browser, screenshots } = await setup({
      sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: browser.clock + ms, wake })),
    });
    const settle = () => new Promise((r) => setTimeout(r, 0));
    const all: Promise<{ seq: number }>[] = [];
    for (let t = 0; t < 70_000; t += 100) {
      if (t < 60_000 && t % 2000 === 0)
        all.push(screenshots.take(TAB, 'detection', undefined, 100 + t / 2000));
      await settle();
      browser.clock += 100;
      for (const due of timers.filter((x) => x.at <= browser.clock)) {
        timers.splice(timers.indexOf(due), 1);
        due.wake();
      }
      await settle();
    }
    await Promise.all(all);
    const shots = (await readSessionEvents(store.db, session.id)).filter((e) => e.type === 'screenshot');
    expect(
      named(shots)
        .flat()
        .sort((a, b) => a! - b!),
    ).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    const gaps = browser.capturedAt.slice(1).map((t, i) => t - browser.capturedAt[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(DETECTION_GAP_MS);
    // Without pacing: one picture per detection, 30.
    expect(shots.length).toBeLessThanOrEqual(60_000 / DETECTION_GAP_MS + 1);
  });

  it('pacing detections does not hold back other triggers', async () => {
    const { browser, screenshots } = await setup();
    await screenshots.take(TAB, 'detection', undefined, 11);
    browser.clock += 1000;
    const start = browser.clock;
    await screenshots.take(TAB, 'product', undefined, 5);
    expect(browser.capturedAt[1]).toBe(start);
  });
});

describe('Screenshots: when no picture can be taken', () => {
  it('a tab in the background is recorded as a missed screenshot and reported as not visible', async () => {
    const { store, session, browser, deps, screenshots } = await setup();
    browser.tab.active = false;

    const err = await rejection(screenshots.take(TAB, 'detection'));

    expect(err.code).toBe('tab-not-visible');
    expect(deps.capture).not.toHaveBeenCalled();
    expect(await lastEvent(store, session.id)).toMatchObject({
      type: 'screenshot-missed',
      data: { reason: 'detection', cause: 'tab-in-background' },
    });
    expect(await store.db.blobs.count()).toBe(0);
  });

  it('a minimised window is recorded as a missed screenshot and reported as not visible', async () => {
    const { store, session, browser, deps, screenshots } = await setup();
    browser.windowVisible = false;

    const err = await rejection(screenshots.take(TAB, 'manual'));

    expect(err.code).toBe('tab-not-visible');
    expect(deps.isWindowVisible).toHaveBeenCalledWith(WINDOW);
    expect(deps.capture).not.toHaveBeenCalled();
    expect((await lastEvent(store, session.id)).data).toEqual({
      reason: 'manual',
      cause: 'window-minimized',
    });
  });

  it('a capture that fails is recorded with its cause, reported as capture-failed, and the next one works', async () => {
    const { store, session, deps, screenshots } = await setup();
    vi.mocked(deps.capture).mockRejectedValueOnce(new Error('Cannot access contents of the page.'));

    const err = await rejection(screenshots.take(TAB, 'product'));

    expect(err.code).toBe('capture-failed');
    expect(await lastEvent(store, session.id)).toMatchObject({
      type: 'screenshot-missed',
      data: { reason: 'product', cause: 'Cannot access contents of the page.' },
    });
    expect(await store.db.blobs.count()).toBe(0);

    await screenshots.take(TAB, 'manual');
    expect((await lastEvent(store, session.id)).type).toBe('screenshot');
  });

  it('a picture taken while the user switched tabs is thrown away and recorded as missed', async () => {
    const { store, session, browser, screenshots } = await setup({
      capture: async () => {
        browser.tab.active = false; // the user switched away while Chrome took the picture
        return PNG_DATA_URL;
      },
    });

    const err = await rejection(screenshots.take(TAB, 'manual'));

    expect(err.code).toBe('tab-not-visible');
    expect((await lastEvent(store, session.id)).data).toEqual({
      reason: 'manual',
      cause: 'tab-switched-during-capture',
    });
    expect(await store.db.blobs.count()).toBe(0);
    expect((await store.db.sessions.get(session.id))!.counts.screenshots).toBe(0);
  });

  it.each([
    ['a JPEG', 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2w=='],
    ['not a data URL', 'about:blank'],
  ])('%s is not stored as a screenshot, and the miss is recorded', async (_what, dataUrl) => {
    const { store, session, screenshots } = await setup({ capture: async () => dataUrl });
    expect((await rejection(screenshots.take(TAB, 'manual'))).code).toBe('capture-failed');
    expect(await store.db.blobs.count()).toBe(0);
    expect((await store.db.sessions.get(session.id))!.counts.screenshots).toBe(0);
    expect(await lastEvent(store, session.id)).toMatchObject({
      type: 'screenshot-missed',
      data: { reason: 'manual', cause: 'not-a-png' },
    });
  });

  it('a missed picture names every trigger it missed', async () => {
    const { store, session, browser, screenshots } = await setup();
    browser.tab.active = false;
    const results = await Promise.allSettled([
      screenshots.take(TAB, 'periodic'),
      screenshots.take(TAB, 'detection', undefined, 12),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await lastEvent(store, session.id)).toMatchObject({
      type: 'screenshot-missed',
      data: {
        reason: 'periodic',
        cause: 'tab-in-background',
        alsoCovers: [{ reason: 'detection', source: 12 }],
      },
    });
  });

  it('the session ending while the picture is taken is reported as not preserving', async () => {
    const { store, sessions, browser, screenshots } = await setup({
      capture: async () => {
        browser.capturedAt.push(browser.clock);
        await sessions.stop(TAB);
        return PNG_DATA_URL;
      },
    });
    expect((await rejection(screenshots.take(TAB, 'manual'))).code).toBe('not-preserving');
    expect(await store.db.sessions.where('status').equals('open').count()).toBe(0);
  });

  it('a tab that is not being preserved cannot be photographed', async () => {
    const { sessions, deps, screenshots } = await setup();
    await sessions.stop(TAB);
    expect((await rejection(screenshots.take(TAB, 'manual'))).code).toBe('not-preserving');
    expect(deps.capture).not.toHaveBeenCalled();
  });

  it('a tab that is gone is reported as not found', async () => {
    const { deps, screenshots } = await setup();
    vi.mocked(deps.getTab).mockRejectedValueOnce(new Error('No tab with id: 7.'));
    expect((await rejection(screenshots.take(TAB, 'manual'))).code).toBe('tab-not-found');
  });
});

/** Waits for the journal's batched writes (one at most every WRITE_GAP_MS) and the pictures to land. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

/** A `chrome.storage` area in memory that counts its writes. */
function memoryArea() {
  const items = new Map<string, unknown>();
  const area = {
    items,
    writes: 0,
    get: async (k: string) => (items.has(k) ? { [k]: structuredClone(items.get(k)) } : {}),
    set: async (o: Record<string, unknown>) => {
      area.writes++;
      for (const [k, v] of Object.entries(o)) items.set(k, structuredClone(v));
    },
    remove: async (k: string) => {
      area.writes++;
      items.delete(k);
    },
  };
  return area;
}

describe('Screenshots: triggers outlive a stopped service worker', () => {
  /** Sources each event names, the first trigger's and those it also covers. */
  const named = (e: SealedEvent): (number | undefined)[] => [
    e.data.source as number | undefined,
    ...((e.data.alsoCovers as { source?: number }[] | undefined) ?? []).map((c) => c.source),
  ];
  const naming = (events: SealedEvent[], source: number) =>
    events.filter(
      (e) => (e.type === 'screenshot' || e.type === 'screenshot-missed') && named(e).includes(source),
    );

  /**
   * A worker that pictures detection 11 at once, then holds detection 12 back (its 10 s never pass:
   * the worker is stopped first), with its triggers kept in `local` and this browser run in `run`.
   */
  async function heldWhenStopped(extra: Partial<ScreenshotDeps> = {}) {
    const local = memoryArea();
    const run = memoryArea();
    const ctx = await setup();
    const { browser, session, deps } = ctx;
    const first = new Screenshots({
      ...deps,
      journal: new TriggerJournal(local, run),
      sleep: (ms: number) =>
        ms >= 1000 ? new Promise<void>(() => undefined) : Promise.resolve(void (browser.clock += ms)),
    });
    await first.take(TAB, 'detection', undefined, 11, session.id);
    browser.clock += 1000;
    void first.take(TAB, 'detection', undefined, 12, session.id).catch(() => undefined);
    await eventually(() =>
      expect(JSON.stringify(local.items.get(JOURNAL_KEY) ?? null)).toContain('"source":12'),
    );
    expect(browser.capturedAt).toHaveLength(1);
    /** The worker Chrome starts again: the same browser, the same storage, nothing in memory. */
    const restart = (over: Partial<ScreenshotDeps> = {}, runArea = run) => {
      const journal = new TriggerJournal(local, runArea);
      return { journal, screenshots: new Screenshots({ ...deps, journal, ...extra, ...over }) };
    };
    const done = () => eventually(() => expect(local.items.has(JOURNAL_KEY)).toBe(false));
    return { ...ctx, local, run, first, restart, done };
  }

  it('a detection held back when the worker stops is named by the next picture of its tab after it starts again', async () => {
    const { store, session, browser, restart, done } = await heldWhenStopped();
    const { screenshots } = restart();
    await screenshots.recover();
    await done();

    const events = await readSessionEvents(store.db, session.id);
    expect(naming(events, 12)).toHaveLength(1);
    expect(naming(events, 12)[0]).toMatchObject({
      type: 'screenshot',
      data: { reason: 'detection', source: 12 },
    });
    // Still paced: the picture waited for the first one's DETECTION_GAP_MS.
    expect(browser.capturedAt).toHaveLength(2);
    expect(browser.capturedAt[1]! - browser.capturedAt[0]!).toBeGreaterThanOrEqual(DETECTION_GAP_MS);
    expect(await firstChainProblem(session.id, events)).toBeNull();
  });

  it('a detection coming after the restart joins the left-over one in one picture', async () => {
    const { store, session, browser, restart, done } = await heldWhenStopped();
    const { screenshots } = restart();
    await screenshots.recover();
    const later = screenshots.take(TAB, 'detection', undefined, 13, session.id);
    await done();
    const { seq } = await later;

    const events = await readSessionEvents(store.db, session.id);
    expect(naming(events, 12).map((e) => e.seq)).toEqual([seq]);
    expect(naming(events, 13).map((e) => e.seq)).toEqual([seq]);
    expect(browser.capturedAt).toHaveLength(2);
  });

  it('a left-over trigger whose tab cannot be captured now is sealed as missed because the worker was restarted', async () => {
    const { store, session, browser, deps, restart, done } = await heldWhenStopped();
    browser.tab.active = false;
    const { screenshots } = restart();
    await screenshots.recover();
    await done();

    const events = await readSessionEvents(store.db, session.id);
    expect(naming(events, 12)).toEqual([
      expect.objectContaining({
        type: 'screenshot-missed',
        data: { reason: 'detection', source: 12, cause: WORKER_RESTARTED },
      }),
    ]);
    expect(deps.capture).toHaveBeenCalledTimes(1);
  });

  it('a fresh trigger missed together with a left-over one keeps its own cause', async () => {
    const { store, session, browser, restart, done } = await heldWhenStopped();
    browser.tab.active = false;
    const { screenshots } = restart();
    const manual = rejection(screenshots.take(TAB, 'manual', '还在吗'));
    await screenshots.recover();
    await done();
    await manual;

    const missed = (await readSessionEvents(store.db, session.id)).filter(
      (e) => e.type === 'screenshot-missed',
    );
    expect(missed.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { reason: 'detection', source: 12, cause: WORKER_RESTARTED },
        { reason: 'manual', note: '还在吗', cause: 'tab-in-background' },
      ]),
    );
    expect(missed).toHaveLength(2);
  });

  it('after a browser restart or an update (another run) a left-over trigger is sealed as missed without a capture', async () => {
    const { store, session, deps, restart, done } = await heldWhenStopped();
    const { screenshots } = restart({}, memoryArea());
    await screenshots.recover();
    await done();

    const events = await readSessionEvents(store.db, session.id);
    expect(naming(events, 12)).toEqual([
      expect.objectContaining({
        type: 'screenshot-missed',
        data: expect.objectContaining({ cause: WORKER_RESTARTED }),
      }),
    ]);
    expect(deps.capture).toHaveBeenCalledTimes(1);
  });

  it('after a browser restart a left-over trigger is sealed into its session before the restart closes it', async () => {
    const { store, session, sessions, restart } = await heldWhenStopped();
    const { screenshots } = restart({}, memoryArea());
    sessions.onClosing = (s) => screenshots.sessionEnding(s);
    // As the background starts: the journal is read while the browser's start closes the sessions.
    const recovered = screenshots.recover();
    await sessions.closeAllOpen();
    await recovered;

    const events = await readSessionEvents(store.db, session.id);
    const end = events.find((e) => e.type === 'session-end')!;
    expect(end.data).toEqual({ cause: 'browser-restarted' });
    const [missed, ...more] = naming(events, 12);
    expect(more).toEqual([]);
    expect(missed).toMatchObject({ type: 'screenshot-missed', data: { cause: WORKER_RESTARTED } });
    expect(missed!.seq).toBeLessThan(end.seq);
  });

  it('a left-over trigger of a session that has ended is dropped, never sealed into the tab’s next session', async () => {
    const { store, session, sessions, browser, restart, done } = await heldWhenStopped();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    browser.tab.url = ANOTHER_ROOM;
    const outcome = await anotherRoom(sessions);
    const { screenshots } = restart();
    await screenshots.recover();
    await done();
    await screenshots.take(TAB, 'manual');

    expect(naming(await readSessionEvents(store.db, session.id), 12)).toEqual([]);
    const now = await readSessionEvents(store.db, outcome.session.id);
    expect(naming(now, 12)).toEqual([]);
    expect(now.filter((e) => e.type === 'screenshot').map((e) => e.data.alsoCovers)).toEqual([undefined]);
    expect(warn.mock.calls.flat().join(' ')).toContain('session has ended');
    warn.mockRestore();
  });

  it('a trigger whose picture was sealed just before the worker stopped is not named twice', async () => {
    const local = memoryArea();
    const run = memoryArea();
    const { store, session, deps } = await setup();
    /** What the journal held while the picture was being taken: the worker dies before it is updated. */
    let before = new Map<string, unknown>();
    const first = new Screenshots({
      ...deps,
      journal: new TriggerJournal(local, run),
      capture: async () => {
        before = new Map(local.items);
        return PNG_DATA_URL;
      },
    });
    const { seq } = await first.take(TAB, 'product', undefined, 5, session.id);
    expect(JSON.stringify([...before.values()])).toContain('"source":5');
    local.items.clear();
    for (const [k, v] of before) local.items.set(k, v);

    const journal = new TriggerJournal(local, run);
    await new Screenshots({ ...deps, journal }).recover();
    await eventually(() => expect(local.items.has(JOURNAL_KEY)).toBe(false));

    const events = await readSessionEvents(store.db, session.id);
    expect(naming(events, 5).map((e) => e.seq)).toEqual([seq]);
    // The worker that started again took no picture (the first worker's capture took the one).
    expect(deps.capture).not.toHaveBeenCalled();
  });

  it('a trigger the stopped worker was taking a picture for, of no named session, is pictured in its tab’s session', async () => {
    const local = memoryArea();
    const run = memoryArea();
    const { store, session, deps } = await setup();
    // The worker is stopped while Chrome takes the picture: the capture never answers it.
    const first = new Screenshots({
      ...deps,
      journal: new TriggerJournal(local, run),
      capture: () => new Promise<string>(() => undefined),
    });
    void first.take(TAB, 'command').catch(() => undefined);
    await eventually(() =>
      expect(JSON.stringify(local.items.get(JOURNAL_KEY) ?? null)).toContain('"command"'),
    );

    await new Screenshots({ ...deps, journal: new TriggerJournal(local, run) }).recover();
    await eventually(() => expect(local.items.has(JOURNAL_KEY)).toBe(false));

    const shots = (await readSessionEvents(store.db, session.id)).filter((e) => e.type === 'screenshot');
    expect(shots.map((e) => e.data)).toEqual([expect.objectContaining({ reason: 'command' })]);
    expect(deps.capture).toHaveBeenCalledTimes(1);
  });

  it('a detection held back is not sealed into the tab’s next session when its own ended meanwhile', async () => {
    const gates: (() => void)[] = [];
    const { store, session, sessions, browser, screenshots } = await setup({
      sleep: (ms: number) =>
        ms >= 1000 ? new Promise<void>((r) => gates.push(r)) : Promise.resolve(void (browser.clock += ms)),
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await screenshots.take(TAB, 'detection', undefined, 11, session.id);
    browser.clock += 1000;
    const held = screenshots.take(TAB, 'detection', undefined, 12, session.id);
    const outcome = await anotherRoom(sessions);
    const start = screenshots.take(TAB, 'start', undefined, undefined, outcome.session.id);
    for (const open of gates.splice(0)) open();

    expect((await rejection(held)).code).toBe('not-preserving');
    await start;
    const now = await readSessionEvents(store.db, outcome.session.id);
    expect(naming(now, 12)).toEqual([]);
    expect(now.filter((e) => e.type === 'screenshot').map((e) => e.data)).toEqual([
      expect.objectContaining({ reason: 'start' }),
    ]);
    expect(now.find((e) => e.type === 'screenshot')!.data.alsoCovers).toBeUndefined();
    warn.mockRestore();
  });

  it('a bot’s burst of held detections is kept in a few writes, every one of them', async () => {
    const local = memoryArea();
    const { session, browser, deps } = await setup();
    const screenshots = new Screenshots({
      ...deps,
      journal: new TriggerJournal(local, memoryArea()),
      sleep: (ms: number) =>
        ms >= 1000 ? new Promise<void>(() => undefined) : Promise.resolve(void (browser.clock += ms)),
    });
    await screenshots.take(TAB, 'detection', undefined, 11, session.id);
    await eventually(() => expect(local.items.has(JOURNAL_KEY)).toBe(false));
    const before = local.writes;
    for (let i = 0; i < 50; i++) void screenshots.take(TAB, 'detection', undefined, 100 + i, session.id);
    await eventually(() =>
      expect((local.items.get(JOURNAL_KEY) as { triggers: unknown[] } | undefined)?.triggers).toHaveLength(
        50,
      ),
    );
    expect(screenshots.waiting).toBe(50);
    // One write for the first push, one for all that came within WRITE_GAP_MS of it; not 50.
    expect(local.writes - before).toBeLessThanOrEqual(2);
  });

  it('a malformed journal is ignored and written over', async () => {
    const local = memoryArea();
    local.items.set(JOURNAL_KEY, { triggers: [{ id: 1 }, 'x'] });
    const { store, session, deps } = await setup();
    const screenshots = new Screenshots({ ...deps, journal: new TriggerJournal(local, memoryArea()) });
    await screenshots.recover();
    await screenshots.take(TAB, 'manual');
    await eventually(() => expect(local.items.has(JOURNAL_KEY)).toBe(false));
    expect(
      (await readSessionEvents(store.db, session.id)).filter((e) => e.type.startsWith('screenshot')),
    ).toHaveLength(1);
  });
});

describe('Screenshots: when a session ends with pictures still wanted', () => {
  /**
   * A tab whose detection 11 was pictured at once and whose detection 12 is held back for its
   * 10 s (which never pass here), with the session's closing wired as the background wires it.
   */
  async function heldAtTheEnd() {
    const gates: (() => void)[] = [];
    const { store, session, sessions, browser, deps, screenshots } = await setup({});
    const paced = new Screenshots({
      ...deps,
      sleep: (ms: number) =>
        ms >= 1000 ? new Promise<void>((r) => gates.push(r)) : Promise.resolve(void (browser.clock += ms)),
    });
    void screenshots;
    sessions.onClosing = (s) => paced.sessionEnding(s);
    await paced.take(TAB, 'detection', undefined, 11, session.id);
    browser.clock += 1000;
    // Its refusal, as the caller would see it (caught from the start: it comes when the session ends).
    const held = rejection(paced.take(TAB, 'detection', undefined, 12, session.id));
    return { store, session, sessions, browser, deps, screenshots: paced, held, gates };
  }
  const missedOf = (events: SealedEvent[]) => events.filter((e) => e.type === 'screenshot-missed');

  it('a detection held back when the user stops is sealed into its session as missed, before the session’s end, and no picture follows', async () => {
    const { store, session, sessions, deps, screenshots, held, gates } = await heldAtTheEnd();
    await sessions.stop(TAB);

    expect((await held).code).toBe('not-preserving');
    const events = await readSessionEvents(store.db, session.id);
    const missed = missedOf(events);
    expect(missed.map((e) => e.data)).toEqual([{ reason: 'detection', source: 12, cause: SESSION_ENDED }]);
    const end = events.find((e) => e.type === 'session-end')!;
    expect(missed[0]!.seq).toBeLessThan(end.seq);
    expect(await firstChainProblem(session.id, events)).toBeNull();

    for (const open of gates.splice(0)) open();
    await new Promise((r) => setTimeout(r, 20));
    expect(deps.capture).toHaveBeenCalledTimes(1);
    expect(screenshots.waiting).toBe(0);
  });

  it('a detection held back when the tab moves to another room is sealed as missed into the room it was seen in, not the next', async () => {
    const { store, session, sessions, screenshots, held } = await heldAtTheEnd();
    const outcome = await anotherRoom(sessions);

    expect((await held).code).toBe('not-preserving');
    expect(missedOf(await readSessionEvents(store.db, session.id)).map((e) => e.data)).toEqual([
      { reason: 'detection', source: 12, cause: SESSION_ENDED },
    ]);
    expect(missedOf(await readSessionEvents(store.db, outcome.session.id))).toEqual([]);
    expect(screenshots.waiting).toBe(0);
  });

  it('a session’s end takes only its own triggers: one of the tab’s next session keeps waiting for its picture', async () => {
    const { store, session, sessions, browser, screenshots, held, gates } = await heldAtTheEnd();
    const outcome = await anotherRoom(sessions);
    await held;
    // Held back too (the last picture of a detection was a second ago), for the new session.
    const later = screenshots.take(TAB, 'detection', undefined, 13, outcome.session.id);
    await screenshots.sessionEnding(session); // the old session's end, told once more
    expect(screenshots.waiting).toBe(1);

    browser.clock += DETECTION_GAP_MS;
    for (const open of gates.splice(0)) open();
    const { seq } = await later;
    const events = await readSessionEvents(store.db, outcome.session.id);
    expect(events.find((e) => e.seq === seq)).toMatchObject({ type: 'screenshot', data: { source: 13 } });
    expect(missedOf(await readSessionEvents(store.db, session.id))).toHaveLength(1);
  });

  it('a picture being taken when the user stops is sealed before the session’s end', async () => {
    let release = (): void => undefined;
    const { store, session, sessions, browser, deps } = await setup({
      capture: async () => {
        browser.capturedAt.push(browser.clock);
        await new Promise<void>((r) => (release = r));
        return PNG_DATA_URL;
      },
    });
    const screenshots = new Screenshots(deps);
    sessions.onClosing = (s) => screenshots.sessionEnding(s);
    const shot = screenshots.take(TAB, 'manual', '主播说假一赔十');
    await eventually(() => expect(browser.capturedAt).toHaveLength(1));
    const stopped = sessions.stop(TAB);
    release();
    const { seq } = await shot;
    await stopped;

    const events = await readSessionEvents(store.db, session.id);
    const end = events.find((e) => e.type === 'session-end')!;
    expect(events.find((e) => e.seq === seq)).toMatchObject({
      type: 'screenshot',
      data: { note: '主播说假一赔十' },
    });
    expect(seq).toBeLessThan(end.seq);
  });

  it('a session ending with no picture wanted seals no missed picture', async () => {
    const { store, session, sessions, deps } = await setup();
    const screenshots = new Screenshots(deps);
    sessions.onClosing = (s) => screenshots.sessionEnding(s);
    await screenshots.take(TAB, 'detection', undefined, 11, session.id);
    await sessions.stop(TAB);
    const events = await readSessionEvents(store.db, session.id);
    expect(missedOf(events)).toEqual([]);
    expect(events.map((e) => e.type)).toContain('session-end');
  });
});
