/**
 * An export whose pictures can no longer be read: their files under the profile's IndexedDB folder
 * are gone (a disk cleaner, a damaged profile). Chromium still hands back each picture's Blob, but
 * every read of it fails with "network error"; the locker says which picture is missing, in the
 * reader's language, rather than those words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow } from '../../src/cli/automation';
import { translator } from '../../src/core/i18n';
import { bundlePageScript } from '../../bench/page-bundle';
import { launch, storedBlobFiles, storedEvents } from './harness';

const SHOT_BYTES = 250_000;

let b: ExtensionBrowser;
let profile: string;
let sessionId: string;

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'liveproof-unreadable-'));
  const seed = await bundlePageScript('bench/export/seed.ts', 'LiveProofExportSeed');
  b = await launch({ profile });
  const page = await openExtensionWindow(b, 'src/locker/index.html');
  await page.evaluate(seed);
  sessionId = await page.evaluate(
    (bytes) =>
      (globalThis as unknown as { __seed: (c: number, s: number, b: number) => Promise<string> }).__seed(
        300,
        6,
        bytes,
      ),
    SHOT_BYTES,
  );
  await page.close();
});

afterAll(async () => {
  await b?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('export of pictures whose files are gone', () => {
  it('names the first picture that cannot be read, in the locker’s language, and downloads nothing', async () => {
    const blobFiles = storedBlobFiles(profile, SHOT_BYTES);
    expect(blobFiles).toHaveLength(6);
    for (const f of blobFiles) rmSync(f);

    const first = (await storedEvents(b, sessionId)).find((e) => e.type === 'screenshot')!;
    const t = translator('zh_CN');
    const failed = await exportFromLocker(b, [sessionId], join(profile, 'package.zip'), 60_000).then(
      () => 'downloaded',
      (e: unknown) => (e as Error).message,
    );
    expect(failed).toBe(
      t('lockerExportFailed', t('lockerExportScreenshotMissing', sessionId, String(first.seq))),
    );
  });
});
