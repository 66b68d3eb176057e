/**
 * A package that cannot be written (65,535 files: one per screenshot record, past a ZIP's 16-bit
 * count) is refused in the locker as soon as the evidence is read, with the count, without first
 * building the whole package for nothing (it took 48 s here, at load 6, before it was refused).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { openExtensionWindow } from '../../src/cli/automation';
import { translator } from '../../src/core/i18n';
import { bundlePageScript } from '../../bench/page-bundle';
import { launch } from './harness';

/** With the events, the chat, the report, verify.html, the manifest and its digest: 65,535 files. */
const PICTURES = 65_529;
const t = translator('zh_CN');

let b: ExtensionBrowser;
let sessionId: string;

beforeAll(async () => {
  const script = await bundlePageScript('test/e2e/pages/many-pictures.ts', 'LiveProofManyPictures');
  b = await launch();
  const page = await openExtensionWindow(b, 'src/locker/index.html');
  await page.evaluate(script);
  sessionId = await page.evaluate(
    (n) => (globalThis as unknown as { __seedPictures: (n: number) => Promise<string> }).__seedPictures(n),
    PICTURES,
  );
  await page.close();
}, 300_000);

afterAll(async () => {
  await b?.close();
});

describe('an export past what one package can hold', () => {
  it('is refused once the evidence is read, saying how many files it would hold, before building', async () => {
    const locker = await openExtensionWindow(b, 'src/locker/index.html');
    await locker.locator(`tr[data-session="${sessionId}"] input[type="checkbox"]`).check();
    // Every label the progress bar shows, as the page changes it.
    await locker.evaluate(() => {
      const seen: string[] = [];
      (globalThis as unknown as { __labels: string[] }).__labels = seen;
      new MutationObserver(() => {
        const label = document.querySelector('label[for="export-progress"]')?.textContent ?? '';
        if (label && seen[seen.length - 1] !== label) seen.push(label);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const downloaded = locker.waitForEvent('download', { timeout: 170_000 }).then(() => 'downloaded');
    downloaded.catch(() => undefined);
    await locker.getByTestId('export-selected').click();
    const error = locker.getByTestId('export-error');
    const outcome = await Promise.race([
      downloaded,
      error.waitFor({ timeout: 170_000 }).then(() => error.textContent()),
    ]);
    expect(outcome).toBe(t('lockerExportFailed', t('lockerExportTooManyFiles', String(PICTURES + 6))));
    const labels = await locker.evaluate(() => (globalThis as unknown as { __labels: string[] }).__labels);
    // Only the evidence was read: no building, compressing or hashing of a package that cannot be.
    expect(labels).toEqual([t('lockerPhaseReading')]);
    await locker.close();
  });
});
