/**
 * A detection's screenshot held back for its 10 s (DETECTION_GAP_MS) survives the service worker
 * being stopped in those seconds, in real Chromium: the package names it, by a picture or as missed
 * because the worker was restarted, exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import type { SealedEvent } from '../../src/core/evidence';
import { exportSession, launch, preserveRoom, stopServiceWorker, storedEvents } from './harness';

let demo: DemoServer;
let b: ExtensionBrowser;

beforeAll(async () => {
  demo = await startDemoServer();
  b = await launch();
});
afterAll(async () => {
  await b?.close();
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

describe('a detection held back when the service worker is stopped', () => {
  it('is named in the package once, by a later picture or as missed because the worker restarted', async () => {
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

    await say('加我威信 mm_101 私下给你便宜');
    await expect
      .poll(async () => {
        const events = await storedEvents(b, sessionId);
        const first = asking(events, 'mm_101');
        return first.length > 0 && first.every((d) => naming(events, d.seq).length === 1);
      })
      .toBe(true);
    await page.waitForTimeout(1000);
    await say('加我威信 mm_102 私下给你便宜');
    // Sealed, and waiting for the first picture's 10 s to pass: no picture names it yet.
    await expect
      .poll(async () => asking(await storedEvents(b, sessionId), 'mm_102').length)
      .toBeGreaterThan(0);
    const before = await storedEvents(b, sessionId);
    const held = asking(before, 'mm_102');
    for (const d of held) expect(naming(before, d.seq)).toEqual([]);

    await stopServiceWorker(b, page);
    // The page's Port reconnects, which starts the worker again; the held picture's 10 s pass.
    await page.waitForTimeout(12_000);

    const events = await exportSession(b, sessionId, 'held-restart.zip');
    for (const d of [...asking(events, 'mm_101'), ...asking(events, 'mm_102')])
      expect(naming(events, d.seq), `detection #${d.seq}`).toHaveLength(1);
    for (const d of held) {
      const [by] = naming(events, d.seq);
      if (by!.type === 'screenshot-missed') expect(by!.data.cause).toBe('worker-restarted');
      else expect(by!.type).toBe('screenshot');
    }
    await page.close();
  });
});
