/**
 * A detection's screenshot held back for its 10 s (DETECTION_GAP_MS) is never lost, in real
 * Chromium: when the service worker is stopped in those seconds, the package names it, by a picture
 * or as missed because the worker was restarted, exactly once; when the user stops preserving in
 * those seconds, as missed because the session ended, before the session's end; when the browser
 * is closed in those seconds, as missed because the worker was restarted, once it starts again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import type { SealedEvent } from '../../src/core/evidence';
import { openPopup, tabIdOf } from '../../src/cli/automation';
import { exportSession, launch, preserveRoom, stopServiceWorker, storedEvents } from './harness';

let demo: DemoServer;
let shared: ExtensionBrowser;

beforeAll(async () => {
  demo = await startDemoServer();
  shared = await launch();
});
afterAll(async () => {
  await shared?.close();
  await demo?.close();
});

type DemoWindow = { __demo: { say(m: { author: string; text: string }): void } };

/** The `seq`s a `screenshot` or `screenshot-missed` names: its first trigger's source and the others'. */
const named = (e: SealedEvent): unknown[] => [
  e.data.source,
  ...((e.data.alsoCovers as { source?: number }[] | undefined) ?? []).map((c) => c.source),
];
const naming = (events: SealedEvent[], seq: number) =>
  events.filter((e) => (e.type === 'screenshot' || e.type === 'screenshot-missed') && named(e).includes(seq));
/** Detections that ask for a picture (reactions.ts): the `block` tier and price traps. */
const asking = (events: SealedEvent[], id: string) =>
  events.filter(
    (e) =>
      e.type === 'detection' &&
      (e.data.tier === 'block' || e.data.category === 'price-trap') &&
      String(e.data.text).includes(id),
  );

/**
 * Preserves a quiet room, has a bot push WeChat twice a second apart and returns once the second
 * push is sealed and held back (no picture names it yet), with the detections of each push.
 */
async function heldPush(id: number, b: ExtensionBrowser = shared) {
  // No product changes or bot pushes of the room's own: the only pictures are the pushes' below.
  const { page, sessionId } = await preserveRoom(b, demo, {
    rate: 1,
    seed: 19,
    products: 600_000,
    pushers: 0,
  });
  const say = (text: string) =>
    page.evaluate(
      (t) => (window as unknown as DemoWindow).__demo.say({ author: '福利小助手', text: t }),
      text,
    );
  const first = `mm_${id}1`;
  const second = `mm_${id}2`;
  await say(`加我威信 ${first} 私下给你便宜`);
  await expect
    .poll(async () => {
      const events = await storedEvents(b, sessionId);
      const pushed = asking(events, first);
      return pushed.length > 0 && pushed.every((d) => naming(events, d.seq).length === 1);
    })
    .toBe(true);
  await page.waitForTimeout(1000);
  await say(`加我威信 ${second} 私下给你便宜`);
  // Sealed, and waiting for the first picture's 10 s to pass: no picture names it yet.
  await expect.poll(async () => asking(await storedEvents(b, sessionId), second).length).toBeGreaterThan(0);
  const before = await storedEvents(b, sessionId);
  const held = asking(before, second);
  for (const d of held) expect(naming(before, d.seq)).toEqual([]);
  return { page, sessionId, first, second, held };
}

describe('a detection held back when the service worker is stopped', () => {
  it('is named in the package once, by a later picture or as missed because the worker restarted', async () => {
    const { page, sessionId, first, second, held } = await heldPush(10);

    await stopServiceWorker(shared, page);
    // The page's Port reconnects, which starts the worker again; the held picture's 10 s pass.
    await page.waitForTimeout(12_000);

    const events = await exportSession(shared, sessionId, 'held-restart.zip');
    for (const d of [...asking(events, first), ...asking(events, second)])
      expect(naming(events, d.seq), `detection #${d.seq}`).toHaveLength(1);
    for (const d of held) {
      const [by] = naming(events, d.seq);
      if (by!.type === 'screenshot-missed') expect(by!.data.cause).toBe('worker-restarted');
      else expect(by!.type).toBe('screenshot');
    }
    await page.close();
  });
});

describe('a detection held back when the user stops preserving', () => {
  it('is named in the package once, as missed because the session ended, before the session’s end', async () => {
    const { page, sessionId, first, second, held } = await heldPush(20);

    const popup = await openPopup(shared, await tabIdOf(shared, page));
    await popup.getByTestId('stop').click();
    await expect
      .poll(async () => (await storedEvents(shared, sessionId)).some((e) => e.type === 'session-end'))
      .toBe(true);
    await popup.close();
    // The held picture's 10 s pass: it must not be taken now, nor sealed anywhere else.
    await page.waitForTimeout(10_000);

    const events = await exportSession(shared, sessionId, 'held-stop.zip');
    for (const d of [...asking(events, first), ...asking(events, second)])
      expect(naming(events, d.seq), `detection #${d.seq}`).toHaveLength(1);
    const end = events.find((e) => e.type === 'session-end')!;
    expect(end.data.cause).toBe('stopped-by-user');
    for (const d of held) {
      const [by] = naming(events, d.seq);
      expect(by).toMatchObject({ type: 'screenshot-missed', data: { cause: 'session-ended' } });
      expect(by!.seq).toBeLessThan(end.seq);
    }
    await page.close();
  });
});

describe('a detection held back when the browser is closed', () => {
  it('is named in the package once, as missed because the worker was restarted, after the browser starts again', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'liveproof-held-browser-'));
    try {
      const first = await launch({ profile });
      const { sessionId, held } = await heldPush(30, first);
      // The journal is written within 200 ms of the trigger; then the browser goes, 10 s not yet up.
      await new Promise((r) => setTimeout(r, 1000));
      await first.close();

      // Another browser run: the tab ids of the last one mean nothing now, so no picture can be
      // taken for the held push; it is sealed as missed into its session when the worker starts.
      const next = await launch({ profile });
      try {
        await expect
          .poll(async () => (await storedEvents(next, sessionId)).some((e) => e.type === 'screenshot-missed'))
          .toBe(true);
        const events = await exportSession(next, sessionId, 'held-browser-closed.zip');
        for (const d of held) {
          const found = naming(events, d.seq);
          expect(found, `detection #${d.seq}`).toHaveLength(1);
          expect(found[0]).toMatchObject({ type: 'screenshot-missed', data: { cause: 'worker-restarted' } });
        }
      } finally {
        await next.close();
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
