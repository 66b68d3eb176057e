import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, startPreserving, tabIdOf } from '../../src/cli/automation';
import {
  ARTIFACTS,
  chatOf,
  emitted,
  launch,
  openPackage,
  stopServiceWorker,
  waitForChatCount,
} from './harness';

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

describe('preserving a live room in real Chromium', () => {
  it('keeps every chat message the page shows exactly once, though the service worker is stopped twice', async () => {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    // 900 messages: 20 per second plus bursts around each stop; the list keeps them all, so the
    // backlog at start is complete.
    await page.goto(demo.roomUrl({ rate: 20, count: 900, keep: 2000, seed: 7 }));
    const tabId = await tabIdOf(b, page);
    const sessionId = await startPreserving(b, tabId);
    await page.bringToFront();

    // Each stop lands while a burst is being delivered, and the next burst is sent while the worker
    // is gone: only resending unacknowledged batches after reconnecting keeps them.
    const burst = (k: number) =>
      page.evaluate(
        (n) => (window as unknown as { __demo: { emitNow(k: number): number } }).__demo.emitNow(n),
        k,
      );
    const stopDuringBursts = async () => {
      await burst(100);
      await stopServiceWorker(b, page);
      await burst(250);
    };
    await page.waitForTimeout(2000);
    await stopDuringBursts();
    await page.waitForTimeout(2000);
    await stopDuringBursts();
    await page.waitForFunction(() => (window as unknown as { __demo: { done: boolean } }).__demo.done, null, {
      timeout: 30_000,
    });

    const shown = await emitted(page);
    expect(shown).toHaveLength(900);
    await waitForChatCount(b, tabId, shown.length);

    const file = join(ARTIFACTS, 'capture-sw-restarts.zip');
    await exportFromLocker(b, [sessionId], file);
    const pkg = await openPackage(file);
    expect(pkg.report.problems).toEqual([]);
    expect(pkg.report.ok).toBe(true);

    const events = pkg.sessions.get(sessionId)!;
    expect(chatOf(events)).toEqual(shown);
    expect(events[0]!.type).toBe('page');
    expect(events.some((e) => e.type === 'screenshot')).toBe(true);
    // The host's own lines are marked as the host's.
    expect(chatOf(events).filter((m) => m.kind === 'host').length).toBeGreaterThan(0);
  });
});
