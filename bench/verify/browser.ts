/**
 * The web verifier in Chromium (verify.html and the locker's "verify a package" run the same core
 * verifier with the same defaults). Three parts, each printed as a table:
 *
 *   - lines: the cost of one SHA-256 of a ~250-byte event line, by WebCrypto (each awaited, and 256
 *     started together as the verifier did) and by one reused hash-wasm hasher;
 *   - pictures: MB/s hashing a 1.5 MB picture, WebCrypto on the whole against hash-wasm in pieces;
 *   - packages: the packages of bench/verify/index.ts (same compositions, built the same way) checked
 *     by `verifyPackage` on a file-backed Blob in a plain page, and by verify.html itself (the real
 *     bundled verifier script, rendered as the package builder does) opened from file://: the time
 *     from picking the file to the verdict. Besides the wall time, the CPU time of all of Chromium's
 *     processes over the same span (from /proc, Linux), which another program's load disturbs less.
 *
 * Builds nothing in dist/: the page script and verify.html's script are bundled from this tree's
 * src/, so running it in a worktree of another commit measures that commit. It prints; it never fails.
 *
 *   npx tsx bench/verify/browser.ts [--runs 3] [--lines 50000] [--only lines,pictures,packages,html]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ROOT } from '../../src/cli/build';
import { findChromium } from '../../src/cli/chromium';
import { renderVerifyPage } from '../../src/core/package';
import { bundleVerifyScript } from '../../src/locker/verify-page/bundle';
import { describeMachine, machineLines } from '../capture/machine';
import { cpuBetween, cpuSnapshot } from '../capture/processes';
import { bundlePageScript } from '../page-bundle';
import { COMPOSITIONS, SESSION_ID, packageOf, session } from './packages';
import type { FileCost, LineBench } from './page';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    lines: { type: 'string', default: '50000' },
    only: { type: 'string', default: 'lines,pictures,packages,html' },
  },
});
const RUNS = Number(opts.runs);
const LINES = Number(opts.lines);
const ONLY = new Set(opts.only.split(','));

/** CPU ms of all of Chromium's processes since `before` (10 ms ticks, from /proc; 0 elsewhere). */
const cpuOf = (before: ReturnType<typeof cpuSnapshot>) =>
  Object.values(cpuBetween(before, cpuSnapshot())).reduce((a, b) => a + b, 0);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};
const range = (xs: number[], digits: number) => {
  const s = sorted(xs);
  return `${s[0]!.toFixed(digits)}–${s[s.length - 1]!.toFixed(digits)}`;
};

/** A table row: the package, its size, and the median and range of the wall and CPU times. */
const timesRow = (name: string, mb: number, ms: number[], cpu: number[]) => [
  name,
  mb.toFixed(1),
  median(ms).toFixed(0),
  range(ms, 0),
  (mb / (median(ms) / 1000)).toFixed(0),
  median(cpu).toFixed(0),
  range(cpu, 0),
];

function table(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log('');
}

type Bench = {
  lines(n: number, runs: number): Promise<LineBench>;
  pictures(runs: number): Promise<{ bytes: number; ways: FileCost[] }>;
  verify(index: number): Promise<{ ms: number; ok: boolean; events: number }>;
};

async function main(): Promise<void> {
  const machine = describeMachine();
  for (const l of machineLines(machine, `npx tsx bench/verify/browser.ts ${process.argv.slice(2).join(' ')}`))
    console.log(l);
  console.log('');
  const dir = mkdtempSync(join(tmpdir(), 'liveproof-bench-verify-browser-'));
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const files: { name: string; path: string; mb: number }[] = [];
    if (ONLY.has('packages') || ONLY.has('html'))
      for (const [name, chat, shots, shotBytes] of COMPOSITIONS) {
        const path = join(dir, `${chat}-${shots}.zip`);
        writeFileSync(path, await packageOf(await session(SESSION_ID, chat, shots, shotBytes)));
        files.push({ name, path, mb: statSync(path).size / 1e6 });
      }

    const context = await browser.newContext();
    const page = await context.newPage();
    const benchHtml = join(dir, 'bench.html');
    writeFileSync(
      benchHtml,
      '<!doctype html><meta charset="utf-8"><input type="file" id="packages" multiple>',
    );
    await page.goto(pathToFileURL(benchHtml).href);
    await page.evaluate(await bundlePageScript('bench/verify/page.ts', 'LiveProofVerifyBench'));
    const bench = <K extends keyof Bench>(name: K, ...args: Parameters<Bench[K]>) =>
      page.evaluate(
        ([n, a]) => {
          const b = (globalThis as unknown as { __verifyBench: Record<string, (...x: unknown[]) => unknown> })
            .__verifyBench;
          return b[n as string]!(...(a as unknown[]));
        },
        [name, args] as const,
      ) as ReturnType<Bench[K]>;

    if (ONLY.has('lines')) {
      const r = await bench('lines', LINES, RUNS);
      console.log(
        `one SHA-256 per event line (${r.lines} lines of ${r.bytes.toFixed(0)} bytes), ${RUNS} runs`,
      );
      table(
        ['way', 'µs/line (median)', 'range'],
        r.ways.map((w) => [w.way, median(w.us).toFixed(2), range(w.us, 2)]),
      );
    }
    if (ONLY.has('pictures')) {
      const r = await bench('pictures', RUNS);
      console.log(`a ${(r.bytes / 1e6).toFixed(1)} MB picture hashed 20 times, ${RUNS} runs`);
      table(
        ['way', 'MB/s (median)', 'range'],
        r.ways.map((w) => [w.way, median(w.mbps).toFixed(0), range(w.mbps, 0)]),
      );
    }
    if (ONLY.has('packages')) {
      await page.locator('#packages').setInputFiles(files.map((f) => f.path));
      const rows: string[][] = [];
      for (const [i, f] of files.entries()) {
        const ms: number[] = [];
        const cpu: number[] = [];
        let note = '';
        for (let r = 0; r < RUNS; r++) {
          const before = cpuSnapshot();
          const v = await bench('verify', i);
          cpu.push(cpuOf(before));
          ms.push(v.ms);
          if (!v.ok) note = ' NOT OK';
        }
        rows.push(timesRow(f.name + note, f.mb, ms, cpu));
      }
      console.log(`verifyPackage(file) with the web defaults, in a page, ${RUNS} runs`);
      table(['composition', 'MB', 'ms (median)', 'range', 'MB/s', 'CPU ms (median)', 'range'], rows);
    }
    if (ONLY.has('html')) {
      const script = await bundleVerifyScript(ROOT);
      const html = await renderVerifyPage({ script, lang: 'en', name: 'bench' });
      const htmlPath = join(dir, 'verify.html');
      writeFileSync(htmlPath, html);
      const url = pathToFileURL(htmlPath).href;
      const rows: string[][] = [];
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      for (const f of files) {
        const ms: number[] = [];
        const cpu: number[] = [];
        let verdict = '';
        for (let r = 0; r < RUNS; r++) {
          await page.goto(url);
          const before = cpuSnapshot();
          const started = performance.now();
          await page.getByTestId('file').setInputFiles(f.path);
          const result = page.getByTestId('result');
          await result.waitFor({ timeout: 120_000 });
          ms.push(performance.now() - started);
          cpu.push(cpuOf(before));
          verdict = (await result.getAttribute('data-ok')) === 'true' ? '' : ' NOT OK';
        }
        rows.push(timesRow(f.name + verdict, f.mb, ms, cpu));
      }
      console.log(
        `verify.html from file:// (${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB), from picking the file to the verdict, ${RUNS} runs`,
      );
      table(['composition', 'MB', 'ms (median)', 'range', 'MB/s', 'CPU ms (median)', 'range'], rows);
      if (errors.length) console.log(`page errors: ${[...new Set(errors)].join(' | ')}`);
    }
    await context.close();
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  console.error('the benchmark did not finish (it never fails a build)');
});
