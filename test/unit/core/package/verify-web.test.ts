/**
 * The hashing verify.html and the locker use (`webHashing`: hash-wasm for event lines, WebCrypto for
 * files up to a size, hash-wasm past it, WebCrypto alone when WebAssembly is refused) finds exactly
 * what WebCrypto alone finds, on intact and tampered packages, and when several packages are
 * verified at once.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createWebHashing,
  eventsPath,
  screenshotPath,
  verifyPackage,
  webHashing,
  type Sha256Stream,
  type VerifyOptions,
  type VerifyReport,
} from '../../../../src/core/package';
import { canonicalJson } from '../../../../src/core/canonical';
import { sha256Hex, textSha256 } from '../../../../src/core/hash';
import { createSHA256 } from 'hash-wasm';
import {
  SESSION_A,
  casePackage,
  eventsOf,
  filesOf,
  reseal,
  samplePackage,
  writeEvents,
  zipFiles,
  type FileMap,
} from './fixtures';

const node = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const EVENTS_A = eventsPath(SESSION_A);

/** The web path as it was: WebCrypto per line, and each file gathered whole for WebCrypto. */
const WEBCRYPTO: VerifyOptions = {
  sha256Text: (text) => sha256Hex(text),
  sha256: (): Sha256Stream => {
    const chunks: Uint8Array[] = [];
    return {
      update: (c) => void chunks.push(c),
      digest: () => sha256Hex(new Uint8Array(Buffer.concat(chunks))),
    };
  },
};

const refused = () =>
  Promise.reject(new WebAssembly.CompileError('Wasm code generation disallowed by embedder'));

async function packageWith(
  edit: (files: FileMap) => void = () => {},
  base = samplePackage,
): Promise<Uint8Array> {
  const files = filesOf(await base());
  edit(files);
  return zipFiles(files);
}

/** The lines of session A rewritten by `line` (another tool's formatting of the same events). */
function rewriteLines(files: FileMap, line: (e: Record<string, unknown>, i: number) => string): void {
  const events = eventsOf(files, SESSION_A) as unknown as Record<string, unknown>[];
  files.set(EVENTS_A, new TextEncoder().encode(events.map((e, i) => line(e, i) + '\n').join('')));
}

const TAMPERED: [string, (files: FileMap) => void, typeof samplePackage?][] = [
  ['intact', () => {}],
  ['a case package, intact', () => {}, casePackage],
  [
    'one byte of a screenshot changed',
    (files) => {
      const png = files.get(screenshotPath(SESSION_A, 7))!.slice();
      png[png.length - 20]! ^= 0x01;
      files.set(screenshotPath(SESSION_A, 7), png);
    },
  ],
  [
    'an event changed, not re-listed',
    (files) => {
      const events = eventsOf(files, SESSION_A);
      events[2]!.data.text = '今天直播间只要 199 元';
      writeEvents(files, SESSION_A, events);
    },
  ],
  [
    'an event changed and every file re-listed and re-signed',
    (files) => {
      const events = eventsOf(files, SESSION_A);
      events[2]!.data.text = '不退不换';
      writeEvents(files, SESSION_A, events);
      reseal(files);
    },
  ],
  [
    'lines reformatted by another tool (members reordered, characters escaped): canonicalised',
    (files) => {
      rewriteLines(files, (e) =>
        JSON.stringify(Object.fromEntries(Object.entries(e).reverse())).replace(
          /[\u4e00-\u9fff]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16)}`,
        ),
      );
      reseal(files);
    },
  ],
  [
    'lines reformatted and one of them changed',
    (files) => {
      rewriteLines(files, (e, i) => {
        if (i === 4) e.time = '2026-11-28T09:41:00.000Z';
        return i % 2 ? JSON.stringify(Object.fromEntries(Object.entries(e).reverse())) : canonicalJson(e);
      });
      reseal(files);
    },
  ],
  [
    // Canonical JSON has no form for it: the line cannot be checked and the file is unreadable.
    'a lone surrogate escaped in a chat line',
    (files) => {
      rewriteLines(files, (e, i) =>
        i === 2 ? canonicalJson(e).replace(/"text":"/, '"text":"\\ud800') : canonicalJson(e),
      );
      reseal(files);
    },
  ],
];

describe('textSha256 and the file hasher', () => {
  it('give the SHA-256 of the UTF-8 bytes, for any text and any way a file is cut', async () => {
    const h = await createSHA256();
    const text = textSha256(h);
    const long = '直播'.repeat(20_000) + '😀';
    for (const s of ['', 'abc', '主播能不能再讲讲尺码 😀', long, 'x'.repeat(16 * 1024), '\ud800 lone'])
      expect(text(s)).toBe(await sha256Hex(s));

    const bytes = new Uint8Array(10_000).map((_, i) => (i * 31) & 0xff);
    for (const gatherBytes of [0, 100, 5_000, 1 << 20]) {
      const web = await createWebHashing({ gatherBytes });
      for (const cut of [1, 333, 4096, 10_000]) {
        const stream = web.sha256();
        // Another file's stream and a line in between must not disturb it.
        const other = web.sha256();
        for (let at = 0; at < bytes.length; at += cut) {
          stream.update(bytes.subarray(at, at + cut));
          other.update(bytes.subarray(0, 7));
          expect(await web.sha256Text('插进来的一行')).toBe(node('插进来的一行'));
        }
        expect(await stream.digest()).toBe(node(bytes));
      }
    }
  });
});

describe('verifyPackage with the web hashing', () => {
  it.each(TAMPERED)('finds what WebCrypto alone finds: %s', async (_, edit, base) => {
    const zip = await packageWith(edit, base);
    const before = await verifyPackage(zip, WEBCRYPTO);
    const web = await webHashing();
    expect(web.engine).toBe('wasm');
    expect(await verifyPackage(zip)).toEqual(before);
    // Every file streamed through hash-wasm (as a file past the gathering size is).
    const streamed = await createWebHashing({ gatherBytes: 0 });
    expect(await verifyPackage(zip, { sha256: streamed.sha256, sha256Text: streamed.sha256Text })).toEqual(
      before,
    );
    // WebAssembly refused: WebCrypto alone.
    const fallback = await createWebHashing({ create: refused });
    expect(fallback.engine).toBe('webcrypto');
    expect(await verifyPackage(zip, { sha256: fallback.sha256, sha256Text: fallback.sha256Text })).toEqual(
      before,
    );
  });

  it('the tamperings are caught at all (the comparison above is not of empty findings)', async () => {
    const reports: VerifyReport[] = [];
    for (const [, edit, base] of TAMPERED) reports.push(await verifyPackage(await packageWith(edit, base)));
    expect(reports.map((r) => r.problems.map((p) => p.code))).toEqual([
      [],
      [],
      ['file-hash'],
      ['file-size', 'chain-hash'],
      ['chain-hash'],
      [],
      ['chain-hash'],
      ['file-unreadable', 'event-count', 'chain-head'],
    ]);
  });

  it('several packages verified at once give the findings each gives alone', async () => {
    const zips = await Promise.all(TAMPERED.map(([, edit, base]) => packageWith(edit, base)));
    const alone: VerifyReport[] = [];
    for (const zip of zips) alone.push(await verifyPackage(zip));
    const together = await Promise.all(
      [...zips, ...zips].map((zip) => verifyPackage(new Blob([zip as Uint8Array<ArrayBuffer>]))),
    );
    expect(together).toEqual([...alone, ...alone]);
  });
});
