import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, startPreserving, tabIdOf } from '../../src/cli/automation';
import { ARTIFACTS, chatOf, launch, openPackage, stopServiceWorker } from './harness';

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

describe('closing the page while messages are still buffered', () => {
  it('keeps the messages shown just before the tab closed, and ends the session', async () => {
    const page = await b.context.newPage();
    // Almost silent room: nothing is sent except what the test shows.
    await page.goto(demo.roomUrl({ rate: 0.1, burst: 3, seed: 11 }));
    const tabId = await tabIdOf(b, page);
    const sessionId = await startPreserving(b, tabId);
    await page.waitForTimeout(1000);

    // 40 messages go into the content script's buffer (flushed every 250 ms or at 200) and the tab
    // closes at once: only the pagehide flush can deliver them.
    const shown = await page.evaluate(() => {
      const demo = (window as unknown as { __demo: { emitNow(k: number): number; emitted: unknown[] } })
        .__demo;
      demo.emitNow(40);
      return demo.emitted;
    });
    expect(shown.length).toBeGreaterThanOrEqual(43);
    await page.close({ runBeforeUnload: true });

    // The locker lists the session as ended once the background has handled the tab closing.
    const locker = await b.context.newPage();
    await locker.goto(`chrome-extension://${b.extensionId}/src/locker/index.html`);
    await locker
      .locator(`tr[data-session="${sessionId}"]`)
      .getByText(/结束于/)
      .waitFor({ timeout: 15_000 });
    await locker.close();

    const file = join(ARTIFACTS, 'pagehide.zip');
    await exportFromLocker(b, [sessionId], file);
    const pkg = await openPackage(file);
    expect(pkg.report.ok).toBe(true);
    const events = pkg.sessions.get(sessionId)!;
    expect(chatOf(events)).toEqual(shown);
    expect(events.at(-1)).toMatchObject({ type: 'session-end', data: { cause: 'tab-closed' } });
  });

  it('keeps the messages shown just before a reload that came right after the worker was stopped', async () => {
    const page = await b.context.newPage();
    await page.goto(demo.roomUrl({ rate: 0.1, burst: 3, seed: 12 }));
    const tabId = await tabIdOf(b, page);
    const sessionId = await startPreserving(b, tabId);
    await page.waitForTimeout(1000);
    const shown = await page.evaluate(() => {
      const demo = (window as unknown as { __demo: { emitNow(k: number): number; emitted: unknown[] } })
        .__demo;
      demo.emitNow(40);
      return demo.emitted;
    });
    // The worker is stopped while the 40 wait in the content script's buffer, and the shopper
    // reloads at once: the Port is gone, and the old page has only its pagehide to deliver them.
    await stopServiceWorker(b, page);
    await page.reload({ waitUntil: 'load' });
    await page.waitForTimeout(3000);
    await page.close({ runBeforeUnload: true });

    const file = join(ARTIFACTS, 'reload-after-worker-stop.zip');
    await exportFromLocker(b, [sessionId], file);
    const pkg = await openPackage(file);
    expect(pkg.report.ok).toBe(true);
    const chat = chatOf(pkg.sessions.get(sessionId)!);
    expect(chat.slice(0, shown.length)).toEqual(shown);
  });
});
