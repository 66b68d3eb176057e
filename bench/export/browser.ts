/**
 * Export in the browser, as a user does it: a session of N chat messages and screenshots is sealed
 * into the real extension's database, then exported from the locker page. Prints the time from the
 * click to the download (the package's build, in the browser, with its real IndexedDB reads), and
 * the browser's resident memory during the export above what it held before (all of Chromium's
 * processes, from /proc, every 50 ms: the locker's renderer builds the package, the browser process
 * holds the Blob's bytes and writes the download), against the package's size (issue 6: ≤ 2×).
 *
 * `--jitless` starts Chromium with V8's JIT turned off (no WebAssembly: the export hashes with
 * @noble/hashes, see core/hash-stream.ts `createIncrementalSha256`); the time of each of the locker's export
 * steps is printed as well.
 *
 *   npx tsx bench/export/browser.ts [--chat 100000] [--shots 300] [--shot-bytes 250000] [--jitless]
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../../src/cli/build';
import { launchWithExtension } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow } from '../../src/cli/automation';
import { bundlePageScript } from '../page-bundle';
import { KINDS, cpuSnapshot, rssByKind, type ProcessKind } from '../capture/processes';

const { values: opts } = parseArgs({
  options: {
    chat: { type: 'string', default: '100000' },
    shots: { type: 'string', default: '300' },
    'shot-bytes': { type: 'string', default: '250000' },
    jitless: { type: 'boolean', default: false },
  },
});

async function main() {
  ensureBuilt((l) => console.error(l));
  const code = await bundlePageScript('bench/export/seed.ts', 'LiveProofExportSeed');
  const b = await launchWithExtension({
    locale: 'zh-CN',
    ...(opts.jitless ? { extraArgs: ['--js-flags=--jitless'] } : {}),
  });
  try {
    const page = await openExtensionWindow(b, 'src/locker/index.html');
    await page.evaluate(code);
    const t0 = Date.now();
    const id = await page.evaluate(
      ([c, s, bytes]) =>
        (globalThis as unknown as { __seed: (c: number, s: number, b: number) => Promise<string> }).__seed(
          c,
          s,
          bytes,
        ),
      [Number(opts.chat), Number(opts.shots), Number(opts['shot-bytes'])] as const,
    );
    console.log(
      `sealed ${opts.chat} chat and ${opts.shots} screenshots of ${opts['shot-bytes']} bytes in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    await page.close();
    const file = join(tmpdir(), `liveproof-export-${id}.zip`);
    // An export that fails shows its error in the locker and never downloads: say so here.
    b.context.on('page', (p) => {
      p.on('pageerror', (e) => console.error(`[locker error] ${e.message}`));
      p.on('crash', () => console.error('[locker crashed]'));
    });
    const before = rssByKind(cpuSnapshot());
    const peak = { ...before };
    let peakTotal = total(before);
    /** Each kind's memory at the moment the whole browser's peaked (the peaks by kind need not coincide). */
    let atPeak = { ...before };
    const sampler = setInterval(() => {
      const now = rssByKind(cpuSnapshot());
      for (const k of KINDS) peak[k] = Math.max(peak[k], now[k]);
      if (total(now) > peakTotal) {
        peakTotal = total(now);
        atPeak = now;
      }
    }, 50);
    // The locker's progress label as it changes: when each export step began.
    const steps: [string, number][] = [];
    await b.context.exposeBinding(
      '__exportStep',
      (_source, label: string) => void steps.push([label, Date.now()]),
    );
    // (a string: tsx would wrap a function's inner functions in a helper the page does not have)
    await b.context.addInitScript(`{
      let last = '';
      const watch = () =>
        new MutationObserver(() => {
          const label = document.querySelector('label[for="export-progress"]')?.textContent ?? '';
          if (label && label !== last) globalThis.__exportStep((last = label));
        }).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
      if (document.documentElement) watch();
      else document.addEventListener('DOMContentLoaded', watch);
    }`);
    const t1 = Date.now();
    try {
      await exportFromLocker(b, [id], file, 30 * 60_000);
    } finally {
      clearInterval(sampler);
    }
    const t2 = Date.now();
    console.log(
      'steps: ' +
        steps
          .map(([label, at], i) => `${label} ${(((steps[i + 1]?.[1] ?? t2) - at) / 1000).toFixed(1)} s`)
          .join(', '),
    );
    const mb = statSync(file).size / 2 ** 20;
    const above = peakTotal - total(before);
    console.log(`exported in ${((Date.now() - t1) / 1000).toFixed(1)} s → ${file} (${mb.toFixed(1)} MiB)`);
    console.log(
      `browser memory: ${total(before).toFixed(0)} MiB before, peak +${above.toFixed(0)} MiB ` +
        `(${(above / mb).toFixed(2)}× the package; goal ≤ 2×); peak above before by process: ` +
        KINDS.filter((k) => peak[k] - before[k] >= 1)
          .map((k) => `${k} +${(peak[k] - before[k]).toFixed(0)}`)
          .join(', ') +
        '; at the peak: ' +
        KINDS.filter((k) => Math.abs(atPeak[k] - before[k]) >= 1)
          .map((k) => `${k} ${atPeak[k] >= before[k] ? '+' : ''}${(atPeak[k] - before[k]).toFixed(0)}`)
          .join(', '),
    );
  } finally {
    await b.close();
  }
}

function total(rss: Record<ProcessKind, number>): number {
  return KINDS.reduce((n, k) => n + rss[k], 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
