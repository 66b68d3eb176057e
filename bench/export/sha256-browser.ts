/**
 * The export's incremental SHA-256 in Chromium with and without WebAssembly: two headless Chromiums,
 * one as usual and one with V8's JIT turned off (`--js-flags=--jitless`, what an enterprise policy
 * blocking JavaScript JIT or Edge's enhanced security mode do: no WebAssembly there), each hashing
 * the same amount of random bytes in 1 MB pieces by hash-wasm (where it exists), by @noble/hashes,
 * by `createIncrementalSha256` (what the export uses: the first that works), and whole by WebCrypto
 * for comparison. The runs alternate between the two browsers. It prints; it never fails.
 *
 *   npx tsx bench/export/sha256-browser.ts [--mb 64] [--runs 3]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { findChromium } from '../../src/cli/chromium';
import { describeMachine, machineLines } from '../capture/machine';
import { bundlePageScript } from '../page-bundle';
import type { WayResult } from './sha256-page';

const { values: opts } = parseArgs({
  options: { mb: { type: 'string', default: '64' }, runs: { type: 'string', default: '3' } },
});
const MB = Number(opts.mb);
const RUNS = Number(opts.runs);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/** MB/s: whole numbers, hundredths below 10. */
const fmt = (x: number) => x.toFixed(x < 10 ? 2 : 0);

async function main(): Promise<void> {
  for (const l of machineLines(
    describeMachine(),
    `npx tsx bench/export/sha256-browser.ts ${process.argv.slice(2).join(' ')}`,
  ))
    console.log(l);
  console.log('');
  const dir = mkdtempSync(join(tmpdir(), 'liveproof-bench-sha256-'));
  const html = join(dir, 'bench.html');
  writeFileSync(html, '<!doctype html><meta charset="utf-8">');
  const code = await bundlePageScript('bench/export/sha256-page.ts', 'LiveProofSha256Bench');
  const args = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
  const kinds = [
    { name: 'Chromium', args },
    { name: 'Chromium --jitless', args: [...args, '--js-flags=--jitless'] },
  ];
  const pages: Page[] = [];
  const browsers = [];
  try {
    for (const k of kinds) {
      const b = await chromium.launch({ executablePath: findChromium(), headless: true, args: k.args });
      browsers.push(b);
      const page = await b.newPage();
      await page.goto(pathToFileURL(html).href);
      await page.evaluate(code);
      pages.push(page);
    }
    const results = kinds.map(() => new Map<string, number[]>());
    const engines = kinds.map(() => '');
    for (let r = 0; r < RUNS; r++)
      for (const [i, page] of pages.entries()) {
        const out = await page.evaluate(
          (mb) =>
            (
              globalThis as unknown as {
                __sha256Bench: {
                  run(mb: number): Promise<{ engine: string; wasm: boolean; ways: WayResult[] }>;
                };
              }
            ).__sha256Bench.run(mb),
          MB,
        );
        engines[i] = `${out.engine}${out.wasm ? '' : ' (no WebAssembly global)'}`;
        if (new Set(out.ways.map((w) => w.hex)).size !== 1)
          console.log(`!! digests differ in ${kinds[i]!.name}`);
        for (const w of out.ways) results[i]!.set(w.way, [...(results[i]!.get(w.way) ?? []), w.mbps]);
      }
    console.log(`${MB} MB hashed, ${RUNS} runs alternating; MB/s median (range)`);
    for (const [i, k] of kinds.entries()) {
      console.log(`${k.name}: createIncrementalSha256 uses ${engines[i]}`);
      for (const [way, xs] of results[i]!)
        console.log(
          `  ${way.padEnd(38)} ${fmt(median(xs)).padStart(6)}  (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`,
        );
    }
  } finally {
    for (const b of browsers) await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
