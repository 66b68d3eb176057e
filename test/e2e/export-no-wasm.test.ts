/**
 * Exporting in a Chromium without WebAssembly: V8's JIT turned off (`--jitless`, what an enterprise
 * policy blocking JavaScript JIT or Edge's enhanced security mode do) takes the WebAssembly global
 * away. Capture seals with WebCrypto there; the export hashes each text file and the finished
 * package incrementally, with hash-wasm where it can and @noble/hashes here (core/hash-stream.ts
 * `createIncrementalSha256`). The package must verify and the SHA-256 the locker shows must be the
 * file's. The time from the click to the result is printed, never asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { openExtensionWindow, openPopup, readPopup } from '../../src/cli/automation';
import {
  ARTIFACTS,
  chatOf,
  emitted,
  launch,
  openPackage,
  preserveRoom,
  waitForChatCount,
  type DemoMessage,
} from './harness';

type DemoWindow = { __demo: { done: boolean; start(): void; emitted: DemoMessage[] } };

let demo: DemoServer;
let b: ExtensionBrowser;

beforeAll(async () => {
  demo = await startDemoServer();
  b = await launch({ extraArgs: ['--js-flags=--jitless'] });
});

afterAll(async () => {
  await b?.close();
  await demo?.close();
});

describe('export in a Chromium without WebAssembly', () => {
  it('exports a preserved room from the locker: the package verifies and its SHA-256 is the one shown', async () => {
    const { page, tabId, sessionId } = await preserveRoom(b, demo, { rate: 10, count: 60, seed: 13 });
    expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    // A picture too, so that the package's hash reads a stored Blob as well as the files made.
    const popup = await openPopup(b, tabId);
    await popup.getByTestId('save-moment').click();
    await expect
      .poll(async () => (await readPopup(popup)).screenshots, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await popup.close();
    await page.bringToFront();
    await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.done, null, {
      timeout: 60_000,
    });
    const shown = await emitted(page);
    await waitForChatCount(b, tabId, shown.length);

    const locker = await openExtensionWindow(b, 'src/locker/index.html');
    try {
      expect(await locker.evaluate(() => typeof WebAssembly)).toBe('undefined');
      await locker.locator(`tr[data-session="${sessionId}"] input[type="checkbox"]`).check();
      const downloaded = locker.waitForEvent('download', { timeout: 120_000 });
      const error = locker.getByTestId('export-error');
      const failed = error.waitFor({ timeout: 120_000 }).then(() => error.textContent());
      downloaded.catch(() => undefined);
      failed.catch(() => undefined);
      const started = Date.now();
      await locker.getByTestId('export-selected').click();
      const outcome = await Promise.race([
        downloaded.then((download) => ({ download })),
        failed.then((text) => ({ error: text ?? '' })),
      ]);
      expect(outcome).not.toHaveProperty('error');
      const { download } = outcome as { download: Awaited<typeof downloaded> };
      const result = locker.getByTestId('export-result');
      await result.waitFor();
      const took = Date.now() - started;
      const file = join(ARTIFACTS, 'export-no-wasm.zip');
      await download.saveAs(file);
      expect(await download.failure()).toBeNull();
      console.log(
        `[export without WebAssembly] ${statSync(file).size} bytes, click to result ${took} ms (not asserted)`,
      );

      const fileHash = createHash('sha256').update(readFileSync(file)).digest('hex');
      expect(await result.textContent()).toContain(`SHA-256 ${fileHash}`);
      await locker.screenshot({ path: join(ARTIFACTS, 'locker-export-no-wasm-zh.png'), fullPage: true });

      const pkg = await openPackage(file);
      expect(pkg.report.problems).toEqual([]);
      expect(pkg.report.ok).toBe(true);
      expect(pkg.report.signature.status).toBe('valid');
      const events = pkg.sessions.get(sessionId)!;
      expect(chatOf(events)).toEqual(shown);
      expect(events.filter((e) => e.type === 'screenshot').length).toBeGreaterThan(0);
    } finally {
      await locker.close();
      await page.close();
    }
  });
});
