/**
 * The video guard's logic with a fake recorder and a real (fake-indexeddb) evidence store: when it
 * refuses to start and why, which part of the buffer a clip keeps, how kept chunks are sealed, and
 * the minute kept around a warning.
 */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUFFER_MS,
  DETECTION_AFTER_MS,
  VideoGuard,
  bufferedSeconds,
  type VideoDeps,
} from '../../../src/background/video';
import type { RecorderCommand, RecorderReply } from '../../../src/background/video-protocol';
import { ProtocolError } from '../../../src/core/protocol';
import { firstChainProblem } from '../../../src/core/chain';
import { readSessionEvents, type EvidenceStore, type SessionRow } from '../../../src/db';
import { freshStore, openSession } from '../db/fixtures';

const TAB = 5;
const LIVE = 'https://live.douyin.com/880123456';
const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const stores: EvidenceStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.db.delete();
});

async function setup(overrides: Partial<VideoDeps> = {}) {
  const store = freshStore();
  stores.push(store);
  let session: SessionRow | null = null;
  const items = new Map<string, unknown>();
  const commands: RecorderCommand[] = [];
  const badge: boolean[] = [];
  let now = T0;
  let cutReply: RecorderReply = { ok: true, closed: 0 };
  const deps: VideoDeps = {
    store,
    area: {
      get: async (k) => (items.has(k) ? { [k]: items.get(k) } : {}),
      set: async (o) => void Object.entries(o).forEach(([k, v]) => items.set(k, v)),
      remove: async (k) => void items.delete(k),
    },
    getTab: async () => ({ active: true, url: LIVE }),
    streamIdFor: async () => 'stream-1',
    ensureRecorder: async () => undefined,
    closeRecorder: async () => undefined,
    command: async (cmd) => {
      commands.push(cmd);
      if (cmd.op === 'cut') return cutReply;
      if (cmd.op === 'list') return { ok: true, tabs: [] };
      return { ok: true, mimeType: 'video/webm;codecs=vp8,opus' };
    },
    openSession: async () => session,
    startPreserving: async () => {
      session = await openSession(store, { tabId: TAB, url: LIVE });
    },
    indicate: (_tab, on) => void badge.push(on),
    now: () => now,
    sleep: async (ms) => void (now += ms),
    ...overrides,
  };
  const guard = new VideoGuard(deps);
  /** Writes chunks as the recorder would: `segments` runs of `perSegment` one-second chunks from T0. */
  const record = async (recording: string, segments: number, perSegment: number) => {
    for (let s = 0; s < segments; s++)
      for (let c = 0; c < perSegment; c++) {
        const start = T0 + (s * perSegment + c) * 1000;
        const bytes = new Uint8Array([s, c, 1, 2, 3]);
        await store.db.videoChunks.add({
          recording,
          tabId: TAB,
          segment: s,
          chunk: c,
          start,
          end: start + 1000,
          mediatype: 'video/webm;codecs=vp8,opus',
          bytes: bytes.length,
          blob: new Blob([bytes]),
        });
      }
  };
  return {
    store,
    guard,
    commands,
    badge,
    record,
    items,
    setNow: (t: number) => void (now = t),
    cutWith: (r: RecorderReply) => void (cutReply = r),
    session: () => session,
  };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof ProtocolError ? e.code : String(e)),
  );

describe('switching the guard on', () => {
  it('refuses a tab in the background, a browser page, and a tab Chrome was not asked about; nothing starts', async () => {
    const back = await setup({ getTab: async () => ({ active: false, url: LIVE }) });
    expect(await code(back.guard.start(TAB))).toBe('video-background-tab');
    const chromePage = await setup({ getTab: async () => ({ active: true, url: 'chrome://newtab/' }) });
    expect(await code(chromePage.guard.start(TAB))).toBe('unsupported-page');
    const notInvoked = await setup({
      streamIdFor: async () => {
        throw new Error('Extension has not been invoked for the current page (see activeTab permission).');
      },
    });
    expect(await code(notInvoked.guard.start(TAB))).toBe('video-not-invoked');
    for (const s of [back, chromePage, notInvoked]) {
      expect(s.commands.filter((c) => c.op === 'start')).toEqual([]);
      expect((await s.guard.status(TAB)).on).toBe(false);
    }
  });

  it('a recorder that cannot open the stream is reported with its reason, and the guard stays off', async () => {
    const s = await setup({
      command: async (cmd) =>
        cmd.op === 'start'
          ? { ok: false, name: 'NotAllowedError', error: 'Permission denied' }
          : { ok: true, tabs: [] },
    });
    const err = await s.guard.start(TAB).catch((e: unknown) => e as ProtocolError);
    expect(err).toMatchObject({ code: 'video-unavailable', message: 'NotAllowedError: Permission denied' });
    expect((await s.guard.status(TAB)).on).toBe(false);
  });

  it('starts preserving the tab, starts the recorder with the buffer length, and shows the badge', async () => {
    const s = await setup();
    const status = await s.guard.start(TAB);
    expect(status).toMatchObject({ on: true, since: '2026-11-28T10:00:00.000Z', bufferSeconds: 180 });
    expect(s.session()).not.toBeNull();
    expect(s.commands).toEqual([
      expect.objectContaining({ op: 'start', tabId: TAB, streamId: 'stream-1', bufferMs: BUFFER_MS }),
    ]);
    expect(s.badge).toEqual([true]);
    // A second press while on changes nothing.
    await s.guard.start(TAB);
    expect(s.commands.filter((c) => c.op === 'start')).toHaveLength(1);
  });
});

describe('keeping a clip', () => {
  it('keeps the whole segments that overlap the last two minutes, seals each chunk in order, stores its bytes', async () => {
    const s = await setup();
    await s.guard.start(TAB);
    const recording = (s.commands[0] as { recording: string }).recording;
    await s.record(recording, 6, 30); // 3 minutes in 30 s segments
    s.setNow(T0 + 180_000);
    s.cutWith({ ok: true, closed: 5 });
    const saved = await s.guard.save(TAB, 'manual');
    // From 60 s back: segments 2 to 5 (segment 1 ends exactly at 60 s and is kept too).
    expect(saved).toMatchObject({ chunks: 150, seconds: 150 });
    const events = await readSessionEvents(s.store.db, s.session()!.id);
    expect(await firstChainProblem(s.session()!.id, events)).toBeNull();
    const video = events.filter((e) => e.type === 'video');
    expect(video).toHaveLength(150);
    expect(video.map((e) => [e.data.segment, e.data.chunk]).slice(0, 2)).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(video[149]!.data).toMatchObject({ segment: 4, chunk: 29, reason: 'manual', clip: saved.clip });
    expect(video[0]!.data.start).toBe(new Date(T0 + 30_000).toISOString());
    const first = new Uint8Array([1, 0, 1, 2, 3]);
    expect(video[0]!.data).toMatchObject({ sha256: sha(first), bytes: 5 });
    const blob = await s.store.db.blobs.get(sha(first));
    expect(new Uint8Array(await blob!.blob.arrayBuffer())).toEqual(first);
    expect(saved.seq).toBe(video[0]!.seq);
  });

  it('does not keep the segment still being recorded, which the cut just started', async () => {
    const s = await setup();
    await s.guard.start(TAB);
    const recording = (s.commands[0] as { recording: string }).recording;
    await s.record(recording, 3, 10);
    s.setNow(T0 + 30_000);
    s.cutWith({ ok: true, closed: 1 });
    const saved = await s.guard.save(TAB, 'command');
    expect(saved.chunks).toBe(20);
  });

  it('says why nothing can be kept: the guard is off, or nothing is recorded yet', async () => {
    const s = await setup();
    expect(await code(s.guard.save(TAB, 'manual'))).toBe('video-off');
    await s.guard.start(TAB);
    s.cutWith({ ok: true, closed: null });
    expect(await code(s.guard.save(TAB, 'manual'))).toBe('video-unavailable');
    s.cutWith({ ok: true, closed: 0 });
    expect(await code(s.guard.save(TAB, 'manual'))).toBe('video-empty');
  });
});

describe('a warning while the guard is on', () => {
  it('keeps the minute around it, once, for warnings close together', async () => {
    const s = await setup();
    await s.guard.start(TAB);
    const recording = (s.commands[0] as { recording: string }).recording;
    await s.record(recording, 6, 30);
    s.setNow(T0 + 120_000);
    s.cutWith({ ok: true, closed: 5 });
    await Promise.all([
      s.guard.detected(TAB, 42),
      s.guard.detected(TAB, 43), // inside the first one's span: no second clip
    ]);
    const video = (await readSessionEvents(s.store.db, s.session()!.id)).filter((e) => e.type === 'video');
    expect(new Set(video.map((e) => e.data.clip)).size).toBe(1);
    expect(video.every((e) => e.data.reason === 'detection' && e.data.source === 42)).toBe(true);
    // 40 s before to 20 s after 120 s: segments 2 (60–90 s), 3 and 4 (to 150 s).
    expect(video[0]!.data.start).toBe(new Date(T0 + 60_000).toISOString());
    expect(video[video.length - 1]!.data.end).toBe(new Date(T0 + 150_000).toISOString());
    expect(DETECTION_AFTER_MS).toBe(20_000);
  });

  it('does nothing while the guard is off', async () => {
    const s = await setup();
    await s.guard.detected(TAB, 7);
    expect(s.commands).toEqual([]);
  });
});

describe('switching off and stopping by itself', () => {
  it('off: the recorder is stopped (it deletes the buffer) and the badge goes', async () => {
    const s = await setup();
    await s.guard.start(TAB);
    expect((await s.guard.stop(TAB)).on).toBe(false);
    expect(s.commands.map((c) => c.op)).toEqual(['start', 'stop', 'list']);
    expect(s.badge).toEqual([true, false]);
  });

  it('a stream that ended is shown with its cause until the guard is switched on again', async () => {
    const s = await setup();
    await s.guard.start(TAB);
    await s.guard.ended(TAB, 'ended');
    expect(await s.guard.status(TAB)).toMatchObject({ on: false, stoppedBecause: 'ended' });
    await s.guard.start(TAB);
    expect(await s.guard.status(TAB)).toMatchObject({ on: true, stoppedBecause: null });
  });
});

describe('bufferedSeconds', () => {
  it('counts overlapping segments once', () => {
    expect(
      bufferedSeconds([
        { start: 0, end: 1000 },
        { start: 1000, end: 2000 },
        { start: 1800, end: 2500 },
        { start: 5000, end: 6000 },
      ]),
    ).toBe(4); // 0–2.5 s and 5–6 s: 3.5 s, rounded
  });
});
