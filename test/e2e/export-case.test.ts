/**
 * A case's export from the case builder in real Chromium, where the person sees it: the finished
 * package's hashing is a step of its own on the progress bar (not 100 % of "compressing" for
 * seconds); a log entry that cannot be written (storage full) costs a warning, not the package; and
 * a receipt whose stored file is gone is named, in the locker's language, not by the browser's words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { clickForDownload, openExtensionWindow } from '../../src/cli/automation';
import { translator } from '../../src/core/i18n';
import { bundlePageScript } from '../../bench/page-bundle';
import { launch, openPackage, storedBlobFiles, storedEvents } from './harness';
import type { SeededCase } from './pages/case-seed';

const SHOT_BYTES = 250_000;
const RECEIPT_BYTES = 300_001;
const t = translator('zh_CN');

let b: ExtensionBrowser;
let profile: string;
let seeded: SeededCase;

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'liveproof-export-case-'));
  const script = await bundlePageScript('test/e2e/pages/case-seed.ts', 'LiveProofCaseSeed');
  b = await launch({ profile });
  const page = await openExtensionWindow(b, 'src/locker/index.html');
  await page.evaluate(script);
  seeded = await page.evaluate(
    ([shotBytes, receiptBytes]) =>
      (
        globalThis as unknown as {
          __seedCase: (c: number, s: number, sb: number, rb: number) => Promise<SeededCase>;
        }
      ).__seedCase(2000, 12, shotBytes, receiptBytes),
    [SHOT_BYTES, RECEIPT_BYTES] as const,
  );
  await page.close();
});

afterAll(async () => {
  await b?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** The case builder of the seeded case, in a window of its own. */
async function openCase(): Promise<Page> {
  const page = await openExtensionWindow(b, `src/locker/index.html#case/${seeded.caseId}`);
  await page.getByTestId('export-case').waitFor();
  return page;
}

/** The actions in the locker's log, oldest first. */
function auditActions(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('liveproof');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('audit').objectStore('audit').getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve((all.result as { action: string }[]).map((r) => r.action));
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Clicks "export" and waits for the download or the locker's message saying why there is none. */
async function exportCase(page: Page, out: string): Promise<{ saved: true } | { error: string }> {
  const outcome = await clickForDownload(page, 'export-case');
  if ('error' in outcome) return outcome;
  await outcome.download.saveAs(out);
  expect(await outcome.download.failure()).toBeNull();
  return { saved: true };
}

describe('a case’s export from the case builder', () => {
  it('shows the hashing of the finished package as its own step, after compressing, then the result', async () => {
    const page = await openCase();
    // Every label the progress bar shows, and its value, as the page changes them.
    await page.evaluate(() => {
      const seen: [string, string][] = [];
      (globalThis as unknown as { __labels: [string, string][] }).__labels = seen;
      new MutationObserver(() => {
        const label = document.querySelector('label[for="export-progress"]')?.textContent ?? '';
        const value = String(
          (document.getElementById('export-progress') as HTMLProgressElement | null)?.value,
        );
        const last = seen[seen.length - 1];
        if (label && (!last || last[0] !== label || last[1] !== value)) seen.push([label, value]);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const out = join(profile, 'case.zip');
    expect(await exportCase(page, out)).toEqual({ saved: true });
    await page.getByTestId('export-result').waitFor();
    const seen = await page.evaluate(
      () => (globalThis as unknown as { __labels: [string, string][] }).__labels,
    );
    const labels = seen.map(([label]) => label);
    const hashing = labels.indexOf(t('lockerPhaseHashing'));
    expect(hashing, JSON.stringify(seen)).toBeGreaterThan(labels.lastIndexOf(t('lockerPhaseZipping')));
    expect(labels.lastIndexOf(t('lockerPhaseZipping'))).toBeGreaterThanOrEqual(0);
    // Hashing is the last step: nothing but it is shown once it has begun.
    expect(labels.slice(hashing).every((l) => l === t('lockerPhaseHashing'))).toBe(true);
    expect((await openPackage(out)).report.ok).toBe(true);
    await page.close();
  });

  it('hands over a complete package when the log entry cannot be written (storage full), and says so as a warning', async () => {
    const page = await openCase();
    const before = await auditActions(page);
    const events = (await storedEvents(b, seeded.sessionId)).length;
    // The browser refuses the log's write as it does when its storage is full.
    await page.evaluate(() => {
      const add = IDBObjectStore.prototype.add;
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<typeof add>) {
        if (this.name === 'audit')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return add.apply(this, args);
      };
    });
    const out = join(profile, 'case-not-logged.zip');
    expect(await exportCase(page, out)).toEqual({ saved: true });
    expect(await page.getByTestId('export-warning').textContent()).toBe(t('lockerExportNotLogged'));
    expect(await page.getByTestId('export-result').textContent()).toContain('SHA-256');
    expect(await page.getByTestId('export-error').count()).toBe(0);
    const opened = await openPackage(out);
    expect([opened.report.ok, opened.report.receipts]).toEqual([true, { total: 1, intact: 1 }]);
    await page.close();

    // Nothing stored was changed: the log as it was, every event still there, and the next export
    // (with room again) is logged.
    const again = await openCase();
    expect(await auditActions(again)).toEqual(before);
    expect((await storedEvents(b, seeded.sessionId)).length).toBe(events);
    expect(await exportCase(again, join(profile, 'case-logged.zip'))).toEqual({ saved: true });
    await again.getByTestId('export-result').waitFor();
    expect(await again.getByTestId('export-warning').count()).toBe(0);
    expect(await auditActions(again)).toEqual([...before, 'case-exported']);
    await again.close();
  });

  it('names a receipt whose stored file is gone, in the locker’s language, and downloads nothing', async () => {
    const receiptFiles = storedBlobFiles(profile, RECEIPT_BYTES);
    expect(receiptFiles).toHaveLength(1);
    rmSync(receiptFiles[0]!);
    const page = await openCase();
    const outcome = await exportCase(page, join(profile, 'case-gone.zip'));
    expect(outcome).toEqual({
      error: t('lockerExportFailed', t('lockerExportReceiptUnreadable', seeded.receiptName)),
    });
    await page.close();
  });
});
