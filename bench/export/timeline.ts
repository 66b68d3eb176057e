/**
 * Where an export's memory goes in Chromium, over time: the same session as bench/export/browser.ts,
 * then, every 50 ms while the locker exports, the resident memory of Chromium's processes by kind
 * above what they held before, the locker's JavaScript heap (used / total, over CDP; it lags while the
 * page is busy) and the progress bar's phase. `--trace FILE` also records Chromium's memory-infra
 * dumps (per allocator: V8's spaces, PartitionAlloc's `array_buffer` and `buffer` partitions,
 * malloc…), taken whenever the processes are idle enough, as a trace file for chrome://tracing or
 * Perfetto, and prints the extension process's main allocators from each dump.
 *
 *   npx tsx bench/export/timeline.ts [--chat 100000] [--shots 300] [--shot-bytes 250000] [--trace FILE]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { ensureBuilt } from '../../src/cli/build';
import { launchWithExtension } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow } from '../../src/cli/automation';
import { bundlePageScript } from '../page-bundle';
import { cpuSnapshot, rssByKind, type ProcessKind } from '../capture/processes';

const { values: opts } = parseArgs({
  options: {
    chat: { type: 'string', default: '100000' },
    shots: { type: 'string', default: '300' },
    'shot-bytes': { type: 'string', default: '250000' },
    trace: { type: 'string' },
  },
});

const SHOWN: readonly ProcessKind[] = ['browser', 'extension', 'page', 'gpu'];
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function main() {
  ensureBuilt((l) => console.error(l));
  const code = await bundlePageScript('bench/export/seed.ts', 'LiveProofExportSeed');
  const b = await launchWithExtension({ locale: 'zh-CN' });
  try {
    const seeder = await openExtensionWindow(b, 'src/locker/index.html');
    await seeder.evaluate(code);
    const id = await seeder.evaluate(
      ([c, s, bytes]) =>
        (globalThis as unknown as { __seed: (c: number, s: number, b: number) => Promise<string> }).__seed(
          c,
          s,
          bytes,
        ),
      [Number(opts.chat), Number(opts.shots), Number(opts['shot-bytes'])] as const,
    );
    await seeder.close();

    // Tracing runs on a session of its own: the locker's closes with the locker.
    const anchor = b.context.pages()[0] ?? (await b.context.newPage());
    const tracing = await b.context.newCDPSession(anchor);
    if (opts.trace)
      await tracing.send('Tracing.start', {
        transferMode: 'ReturnAsStream',
        traceConfig: {
          includedCategories: ['disabled-by-default-memory-infra'],
          excludedCategories: ['*'],
          memoryDumpConfig: { triggers: [{ mode: 'detailed', periodicIntervalMs: 250 }] },
        },
      } as never);

    let locker: { page: Page; cdp: CDPSession } | null = null;
    b.context.on('page', (page) => {
      page.on('pageerror', (e) => console.error(`[locker error] ${e.message}`));
      void b.context.newCDPSession(page).then((cdp) => (locker = { page, cdp }));
    });
    const before = rssByKind(cpuSnapshot());
    const t0 = Date.now();
    const rows: string[] = [];
    let heap = '';
    let phase = '';
    let asking = false;
    const sampler = setInterval(() => {
      const now = rssByKind(cpuSnapshot());
      const total = SHOWN.reduce((n, k) => n + now[k] - before[k], 0);
      rows.push(
        `${((Date.now() - t0) / 1000).toFixed(2).padStart(6)} s  total ${total.toFixed(0).padStart(4)}  ` +
          SHOWN.map((k) => `${k} ${(now[k] - before[k]).toFixed(0).padStart(4)}`).join('  ') +
          `  heap ${heap.padEnd(7)}  ${phase}`,
      );
      if (asking || !locker) return;
      asking = true;
      const { page, cdp } = locker;
      void (async () => {
        try {
          const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
          heap = `${mib(h.usedSize)}/${mib(h.totalSize)}`;
          const label = await page.locator('.progress label').textContent({ timeout: 50 });
          phase = (label ?? '').trim();
        } catch {
          phase = '';
        } finally {
          asking = false;
        }
      })();
    }, 50);
    try {
      await exportFromLocker(b, [id], join(tmpdir(), `liveproof-export-${id}.zip`), 30 * 60_000);
    } finally {
      clearInterval(sampler);
    }
    console.log(
      'MiB above before the click (resident memory by kind of process; heap: the locker, used/total)',
    );
    console.log(rows.join('\n'));

    if (opts.trace) {
      const complete = new Promise<string>((resolve) =>
        tracing.once('Tracing.tracingComplete', (e: { stream?: string }) => resolve(e.stream!)),
      );
      await tracing.send('Tracing.end');
      const stream = await complete;
      let data = '';
      for (;;) {
        const r = (await tracing.send('IO.read', { handle: stream, size: 1 << 20 })) as {
          data: string;
          eof: boolean;
          base64Encoded?: boolean;
        };
        data += r.base64Encoded ? Buffer.from(r.data, 'base64').toString() : r.data;
        if (r.eof) break;
      }
      writeFileSync(opts.trace, data);
      printDumps(data);
    }
  } finally {
    await b.close();
  }
}

interface DumpEvent {
  ph: string;
  pid: number;
  ts: number;
  args: { dumps?: { allocators?: Record<string, { attrs?: Record<string, { value: string }> }> } };
}

/** The extension process's (the one whose V8 heap is largest) main allocators in each dump. */
function printDumps(json: string): void {
  const parsed = JSON.parse(json) as { traceEvents?: DumpEvent[] } | DumpEvent[];
  const events = (Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? [])).filter(
    (e) => e.ph === 'v' && e.args.dumps?.allocators,
  );
  if (!events.length) return console.log('no memory dumps in the trace');
  const size = (e: DumpEvent, name: string) =>
    parseInt(e.args.dumps!.allocators![name]?.attrs?.['size']?.value ?? '0', 16);
  const pid = events.reduce((a, e) => (size(e, 'v8') > size(a, 'v8') ? e : a)).pid;
  const t0 = events[0]!.ts;
  const names = [
    'v8',
    'v8/main/heap/new_space',
    'v8/main/heap/old_space',
    'blink_gc',
    'malloc',
    'partition_alloc/partitions/array_buffer',
    'partition_alloc/partitions/buffer',
  ];
  console.log(`\nmemory-infra dumps of process ${pid} (MiB), seconds after tracing started:`);
  for (const e of events.filter((x) => x.pid === pid))
    console.log(
      `${((e.ts - t0) / 1e6).toFixed(2).padStart(6)} s  ` +
        names.map((n) => `${n.split('/').pop()} ${mib(size(e, n))}`).join('  '),
    );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
