/**
 * Runs inside Chromium (bundled by bench/verify/browser.ts and evaluated in a plain page opened from
 * file://, no Content-Security-Policy): the cost of one SHA-256 of an event line by each way a web
 * page has, the speed of hashing a picture, and the core verifier on the packages the benchmark picked
 * into the page's file input (Blobs backed by files, as verify.html and the locker get them), with
 * the defaults verify.html and the locker use.
 */
import { createSHA256 } from 'hash-wasm';
import { verifyPackage } from '../../src/core/package';
import { sha256Hex, textSha256 } from '../../src/core/hash';
import { EVENT_TAG } from '../../src/core/chain';

const AUTHORS = ['小鹿乱撞', '买家小王', '路人甲', '早到的观众', 'momo', '不吃香菜', '快乐星球'];
const TEXTS = ['这个锅多少钱？', '链接在哪里', '主播能不能再讲讲尺码', '已拍，什么时候发货', '666'];

/** What the verifier hashes for a chat event: the tag and the line without its `hash` member. */
function eventLines(n: number): string[] {
  const prev = 'ab'.repeat(32);
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      EVENT_TAG +
        `{"data":{"author":"${AUTHORS[i % AUTHORS.length]}","kind":"chat","text":"${TEXTS[i % TEXTS.length]} ${i}"},` +
        `"prev":"${prev}","seq":${i},"time":"2026-11-28T09:40:${String(i % 60).padStart(2, '0')}.180Z","type":"chat"}`,
    );
  return out;
}

export interface LineCost {
  way: string;
  /** Microseconds per line, one entry per run. */
  us: number[];
}

export interface LineBench {
  bytes: number;
  lines: number;
  ways: LineCost[];
}

/** Per-line cost of each way, `runs` times over `n` lines; the ways alternate within each run. */
async function lines(n: number, runs: number): Promise<LineBench> {
  const all = eventLines(n);
  const bytes = all.reduce((s, l) => s + new TextEncoder().encode(l).length, 0) / n;
  const h = await createSHA256();
  const encoder = new TextEncoder();
  let buf = new Uint8Array(4096);
  const ways: [string, () => Promise<void> | void][] = [
    [
      'WebCrypto, each awaited',
      async () => {
        for (const l of all) await sha256Hex(l);
      },
    ],
    [
      'WebCrypto, 256 started together (the verifier until now)',
      async () => {
        for (let i = 0; i < all.length; i += 256)
          await Promise.all(all.slice(i, i + 256).map((l) => sha256Hex(l)));
      },
    ],
    [
      'hash-wasm, one reused hasher, string',
      () => {
        for (const l of all) {
          h.init();
          h.update(l);
          h.digest('hex');
        }
      },
    ],
    [
      'hash-wasm, one reused hasher, encodeInto one buffer',
      () => {
        for (const l of all) {
          if (l.length * 3 > buf.length) buf = new Uint8Array(l.length * 3);
          const { written } = encoder.encodeInto(l, buf);
          h.init();
          h.update(buf.subarray(0, written));
          h.digest('hex');
        }
      },
    ],
    [
      'hash-wasm, one reused hasher, encodeInto, binary digest to hex (textSha256, as verified)',
      () => {
        const hash = textSha256(h);
        for (const l of all) hash(l);
      },
    ],
  ];
  const out: LineCost[] = ways.map(([way]) => ({ way, us: [] }));
  for (let r = 0; r < runs; r++)
    for (const [k, [, run]] of ways.entries()) {
      const started = performance.now();
      await run();
      out[k]!.us.push(((performance.now() - started) * 1000) / n);
    }
  return { bytes, lines: n, ways: out };
}

export interface FileCost {
  way: string;
  /** MB/s, one entry per run. */
  mbps: number[];
}

/** A 1.5 MB picture's bytes: WebCrypto on the whole, hash-wasm fed in 64 KiB pieces. */
async function pictures(runs: number): Promise<{ bytes: number; ways: FileCost[] }> {
  const size = 1_500_000;
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(size, i + 65536)));
  const h = await createSHA256();
  const ways: [string, () => Promise<unknown> | unknown][] = [
    ['WebCrypto, the whole picture', () => sha256Hex(data)],
    [
      'hash-wasm, 64 KiB pieces',
      () => {
        h.init();
        for (let i = 0; i < size; i += 65536) h.update(data.subarray(i, i + 65536));
        return h.digest('hex');
      },
    ],
  ];
  const out: FileCost[] = ways.map(([way]) => ({ way, mbps: [] }));
  for (let r = 0; r < runs; r++)
    for (const [k, [, run]] of ways.entries()) {
      const started = performance.now();
      for (let i = 0; i < 20; i++) await run();
      out[k]!.mbps.push((20 * size) / 1e6 / ((performance.now() - started) / 1000));
    }
  return { bytes: size, ways: out };
}

/** `verifyPackage` with the web defaults on the `index`-th file of the page's input: ms and verdict. */
async function verify(index: number): Promise<{ ms: number; ok: boolean; events: number }> {
  const input = document.getElementById('packages') as HTMLInputElement;
  const file = input.files![index]!;
  const started = performance.now();
  const report = await verifyPackage(file);
  const ms = performance.now() - started;
  return { ms, ok: report.ok, events: report.sessions.reduce((n, s) => n + s.events, 0) };
}

(globalThis as unknown as { __verifyBench: unknown }).__verifyBench = { lines, pictures, verify };
