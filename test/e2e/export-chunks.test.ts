/**
 * The package's text files as Chromium writes them: there `TextFile` fills the same few 1-MB chunks
 * for every file (src/core/package/text-file.ts, `REUSE_CHUNKS`), which Node never does, so only a
 * real browser shows whether a chunk is refilled while the deflater or the hash still needs it. Files
 * whose UTF-8 ends exactly at, one byte before and one byte after a chunk's end, characters of 3 and
 * 4 bytes across the boundary, and long files written while the one before is being finished.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { crc32, inflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { openExtensionWindow } from '../../src/cli/automation';
import { bundlePageScript } from '../../bench/page-bundle';
import { launch } from './harness';
import type { Written } from './pages/text-files';

const CHUNK = 1 << 20;

let b: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  const script = await bundlePageScript('test/e2e/pages/text-files.ts', 'LiveProofTextFiles');
  b = await launch();
  page = await openExtensionWindow(b, 'src/locker/index.html');
  await page.evaluate(script);
});

afterAll(async () => {
  await b?.close();
});

/** Rows of a busy room: Chinese, emoji (surrogate pairs), ASCII, of uneven lengths. */
function rows(n: number, tag: string): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      `{"seq":${i},"f":"${tag}","text":"小美优选 😀${'链接🎁'.repeat(i % 17)} ${'x'.repeat(i % 29)}"}\n`,
  );
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function writeInChromium(files: readonly (readonly string[])[], drainEvery: number) {
  return page.evaluate(
    ([f, d]) =>
      (
        globalThis as unknown as {
          __writeFiles: (f: readonly (readonly string[])[], d: number) => Promise<Written[]>;
        }
      ).__writeFiles(f, d),
    [files, drainEvery] as const,
  );
}

function expectSame(written: Written, pieces: readonly string[], label: string) {
  const whole = Buffer.from(pieces.join(''), 'utf8');
  const data = Buffer.from(written.data, 'base64');
  const unpacked = written.method === 8 ? inflateRawSync(data) : data;
  expect(written.size, label).toBe(whole.length);
  // (compared as buffers: a deep comparison of megabytes element by element takes minutes)
  expect(unpacked.equals(whole), `${label}: bytes`).toBe(true);
  expect(written.crc, `${label}: CRC-32`).toBe(crc32(whole));
  expect(written.sha256, `${label}: SHA-256`).toBe(sha256(whole));
}

describe('TextFile in Chromium, with its chunks reused from file to file', () => {
  it('writes files ending at, just before and just after a chunk boundary byte for byte, with their CRC and hash', async () => {
    const a = (n: number) => 'a'.repeat(n);
    const files: string[][] = [
      [a(CHUNK)],
      [a(CHUNK - 1)],
      [a(CHUNK + 1)],
      // A 3-byte character that does not fit in the chunk's last byte, or its last two.
      [a(CHUNK - 1), '中文'],
      [a(CHUNK - 2), '中文'],
      [a(CHUNK - 3), '中'],
      // A 4-byte emoji (a surrogate pair) with 1, 2 or 3 bytes left in the chunk, or ending it exactly.
      [a(CHUNK - 1), '😀z'],
      [a(CHUNK - 2), '😀z'],
      [a(CHUNK - 3), '😀z'],
      [a(CHUNK - 4), '😀'],
      // Exactly two chunks, and two chunks and a byte.
      [a(CHUNK), a(CHUNK)],
      [a(CHUNK), a(CHUNK), 'b'],
      ['x'],
      [],
    ];
    // Twice in the same page: the second time every chunk comes from the first time's spares.
    for (const round of [1, 2]) {
      const written = await writeInChromium(files, 1);
      expect(written).toHaveLength(files.length);
      for (const [i, f] of written.entries()) expectSame(f, files[i]!, `round ${round}, file ${i}`);
    }
  });

  it('writes long files one after the other, each started while the one before is finished', async () => {
    // About 3–6 MB each: several chunks in flight per file, handed from file to file.
    const files = [rows(30_000, 'A'), rows(60_000, 'B'), ['小'], rows(45_000, 'C'), rows(20_000, 'D')];
    for (const drainEvery of [2000, 97, 100_000]) {
      const written = await writeInChromium(files, drainEvery);
      for (const [i, f] of written.entries()) expectSame(f, files[i]!, `drain ${drainEvery}, file ${i}`);
    }
  });
});
