/**
 * Export in the browser, as a user does it: a session of N chat messages and screenshots is sealed
 * into the real extension's database, then exported from the locker page. Prints the time from the
 * click to the download and where the locker's main thread spent it (a CPU profile's self time).
 *
 *   npx tsx bench/export/browser.ts [--chat 100000] [--shots 300] [--profile]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../../src/cli/build';
import { launchWithExtension } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow } from '../../src/cli/automation';
import { bundlePageScript } from '../page-bundle';

const { values: opts } = parseArgs({
  options: {
    chat: { type: 'string', default: '100000' },
    shots: { type: 'string', default: '300' },
    profile: { type: 'boolean', default: false },
  },
});

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

async function main() {
  ensureBuilt((l) => console.error(l));
  const code = await bundlePageScript('bench/export/seed.ts', 'LiveProofExportSeed');
  const b = await launchWithExtension({ locale: 'zh-CN' });
  try {
    const page = await openExtensionWindow(b, 'src/locker/index.html');
    await page.evaluate(code);
    const t0 = Date.now();
    const id = await page.evaluate(
      ([c, s]) =>
        (globalThis as unknown as { __seed: (c: number, s: number, b: number) => Promise<string> }).__seed(
          c,
          s,
          250_000,
        ),
      [Number(opts.chat), Number(opts.shots)] as const,
    );
    console.log(
      `sealed ${opts.chat} chat and ${opts.shots} screenshots in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    await page.close();
    const file = join(tmpdir(), `liveproof-export-${id}.zip`);
    let stop: (() => Promise<void>) | undefined;
    if (opts.profile) {
      b.context.on('page', async (p) => {
        if (!p.url().includes('locker') || stop) return;
        const cdp = await b.context.newCDPSession(p);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
        await cdp.send('Profiler.start');
        stop = async () => {
          const { profile } = (await cdp.send('Profiler.stop')) as {
            profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] };
          };
          writeFileSync('/tmp/export-browser.cpuprofile', JSON.stringify(profile));
          const self = new Map<string, number>();
          const byId = new Map(profile.nodes.map((n) => [n.id, n]));
          profile.samples.forEach((s, i) => {
            const n = byId.get(s)!;
            const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
            self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
          });
          for (const [k, ms] of [...self].sort((a, c) => c[1] - a[1]).slice(0, 25))
            console.log(`${ms.toFixed(0).padStart(8)} ms  ${k}`);
        };
      });
    }
    // An export that fails shows its error in the locker and never downloads: say so here.
    b.context.on('page', (p) => {
      p.on('pageerror', (e) => console.error(`[locker error] ${e.message}`));
      p.on('crash', () => console.error('[locker crashed]'));
    });
    const t1 = Date.now();
    await exportFromLocker(b, [id], file, 30 * 60_000);
    console.log(`exported in ${((Date.now() - t1) / 1000).toFixed(1)} s → ${file}`);
    await stop?.();
  } finally {
    await b.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
