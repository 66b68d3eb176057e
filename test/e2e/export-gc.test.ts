/**
 * An export from the locker finishes, and its package verifies, while Chromium collects garbage all
 * along: the export reads each screenshot's Blob (as IndexedDB hands it back) with a BYOB reader, and
 * Chromium collected such a stream, pending read and all, when nothing else referred to it, which
 * left the export waiting forever at "zipping" (src/core/bytes.ts, `BlobReader`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow } from '../../src/cli/automation';
import { bundlePageScript } from '../../bench/page-bundle';
import { launch, openPackage } from './harness';

const CHAT = 3000;
const SHOTS = 60;

let b: ExtensionBrowser;
let dir: string;
let sessionId: string;
/** An extension page in the same process as the locker: `gc()` there collects the locker's garbage too. */
let collector: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liveproof-export-gc-'));
  const seed = await bundlePageScript('bench/export/seed.ts', 'LiveProofExportSeed');
  b = await launch({ extraArgs: ['--js-flags=--expose-gc'] });
  collector = await openExtensionWindow(b, 'src/locker/index.html');
  await collector.evaluate(seed);
  sessionId = await collector.evaluate(
    ([c, s]) =>
      (globalThis as unknown as { __seed: (c: number, s: number, b: number) => Promise<string> }).__seed(
        c,
        s,
        250_000,
      ),
    [CHAT, SHOTS] as const,
  );
});

afterAll(async () => {
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('export under garbage collection', () => {
  it('downloads a package that verifies, with every screenshot, though the browser collects garbage throughout', async () => {
    // Full collections every few milliseconds for as long as the export runs.
    let exporting = true;
    const collecting = (async () => {
      while (exporting)
        await collector.evaluate(() => {
          for (let i = 0; i < 5; i++) (globalThis as unknown as { gc: () => void }).gc();
        });
    })();
    const file = join(dir, 'package.zip');
    try {
      await exportFromLocker(b, [sessionId], file, 60_000);
    } finally {
      exporting = false;
      await collecting;
    }
    const { report, zip } = await openPackage(file);
    expect(report.ok).toBe(true);
    const shots = Object.keys(zip.files).filter((n) => /^sessions\/[^/]+\/screenshots\//.test(n));
    // The seed takes a screenshot every CHAT / SHOTS messages.
    expect(shots).toHaveLength(SHOTS);
  });
});
