/**
 * Video guard benchmark: what recording a tab costs, and that the buffer stays bounded. The real
 * extension in Chromium preserves the video test page (a moving picture and a tone); first without
 * the guard (the baseline), then with it for the given minutes, sampling every 10 s the CPU time of
 * the browser's processes by kind, their resident memory, and the buffer in IndexedDB (chunks and
 * bytes). At the end "save the last 2 minutes" is timed. Prints tables; never fails.
 *
 *   npx tsx bench/video/index.ts [--minutes 10] [--baseline-seconds 60] [--markdown]
 */
import { parseArgs } from 'node:util';
import { DIST, ensureBuilt } from '../../src/cli/build';
import { startDemoServer } from '../../src/cli/demo-server';
import { launchWithExtension, unpackedExtensionId, type ExtensionBrowser } from '../../src/cli/chromium';
import { openExtensionWindow, startPreserving, tabIdOf } from '../../src/cli/automation';
import { KINDS, cpuBetween, cpuSnapshot, rssByKind, type ProcessKind } from '../capture/processes';
import { describeMachine, machineLines } from '../capture/machine';
import { fixed, formatTable } from '../capture/table';

const SAMPLE_MS = 10_000;
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'baseline-seconds': { type: 'string', default: '60' },
    markdown: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const baselineSeconds = Number(values['baseline-seconds']);
if (!(minutes > 0) || !(baselineSeconds > 0))
  throw new Error('--minutes and --baseline-seconds take a positive number');

/** The buffer as the extension's own IndexedDB holds it (read in the service worker). */
async function buffer(b: ExtensionBrowser): Promise<{ chunks: number; mib: number }> {
  return b.worker.evaluate(
    () =>
      new Promise<{ chunks: number; mib: number }>((resolve, reject) => {
        const open = indexedDB.open('liveproof');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          let chunks = 0;
          let bytes = 0;
          const cursor = open.result.transaction('videoChunks').objectStore('videoChunks').openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) {
              open.result.close();
              resolve({ chunks, mib: bytes / 2 ** 20 });
              return;
            }
            chunks++;
            bytes += (c.value as { bytes: number }).bytes;
            c.continue();
          };
          cursor.onerror = () => reject(cursor.error);
        };
      }),
  );
}

async function send<T>(b: ExtensionBrowser, name: string, req: unknown): Promise<T> {
  const page = await openExtensionWindow(b, 'src/locker/index.html');
  try {
    const reply = (await page.evaluate(([n, r]) => chrome.runtime.sendMessage({ v: 1, name: n, req: r }), [
      name,
      req,
    ] as const)) as { ok: boolean; data: T; error?: { message: string } };
    if (!reply.ok) throw new Error(reply.error?.message ?? name);
    return reply.data;
  } finally {
    await page.close();
  }
}

interface Sample {
  phase: string;
  seconds: number;
  cpu: Record<ProcessKind, number>;
  rss: Record<ProcessKind, number>;
  chunks: number;
  mib: number;
}

async function measure(
  b: ExtensionBrowser,
  phase: string,
  seconds: number,
  samples: Sample[],
): Promise<void> {
  const end = Date.now() + seconds * 1000;
  let before = cpuSnapshot();
  let at = Date.now();
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(SAMPLE_MS, end - Date.now())));
    const now = cpuSnapshot();
    const elapsed = (Date.now() - at) / 1000;
    const spent = cpuBetween(before, now);
    const { chunks, mib } = await buffer(b);
    samples.push({
      phase,
      seconds: elapsed,
      cpu: Object.fromEntries(KINDS.map((k) => [k, spent[k] / 10 / elapsed])) as Record<ProcessKind, number>,
      rss: rssByKind(now),
      chunks,
      mib,
    });
    const last = samples[samples.length - 1]!;
    const total = KINDS.reduce((n, k) => n + last.cpu[k], 0);
    console.error(
      `${phase} +${Math.round((Date.now() - (end - seconds * 1000)) / 1000)} s: CPU ${fixed(total)} % of a core, ` +
        `RSS ${fixed(
          KINDS.reduce((n, k) => n + last.rss[k], 0),
          0,
        )} MiB, buffer ${chunks} chunks / ${fixed(mib)} MiB`,
    );
    before = now;
    at = Date.now();
  }
}

function summary(samples: readonly Sample[], phase: string) {
  const of = samples.filter((s) => s.phase === phase);
  const time = of.reduce((n, s) => n + s.seconds, 0);
  const cpu = (k: ProcessKind) => of.reduce((n, s) => n + s.cpu[k] * s.seconds, 0) / time;
  const rss = (k: ProcessKind) => Math.max(...of.map((s) => s.rss[k]));
  const last = of[of.length - 1]!;
  return {
    cpu,
    rss,
    time,
    maxChunks: Math.max(...of.map((s) => s.chunks)),
    maxMib: Math.max(...of.map((s) => s.mib)),
    last,
  };
}

async function main(): Promise<void> {
  ensureBuilt();
  const machine = describeMachine();
  const demo = await startDemoServer();
  const b = await launchWithExtension({
    locale: 'zh-CN',
    extraArgs: [
      `--allowlisted-extension-id=${unpackedExtensionId(DIST)}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const samples: Sample[] = [];
  let saved: { seconds: number; chunks: number; ms: number } | undefined;
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    await page.goto(`${demo.origin}/video.html`);
    const tabId = await tabIdOf(b, page);
    await startPreserving(b, tabId);
    await page.bringToFront();
    await measure(b, 'guard off', baselineSeconds, samples);
    await send(b, 'video.guard', { tabId, on: true });
    await measure(b, 'guard on', minutes * 60, samples);
    const t0 = Date.now();
    const clip = await send<{ seconds: number; chunks: number }>(b, 'video.save', { tabId });
    saved = { ...clip, ms: Date.now() - t0 };
    await send(b, 'video.guard', { tabId, on: false });
  } finally {
    await b.close();
    await demo.close();
  }

  const off = summary(samples, 'guard off');
  const on = summary(samples, 'guard on');
  const rows = KINDS.map((k) => [
    k,
    fixed(off.cpu(k)),
    fixed(on.cpu(k)),
    fixed(off.rss(k), 0),
    fixed(on.rss(k), 0),
  ]);
  const sum = (f: (k: ProcessKind) => number) => KINDS.reduce((n, k) => n + f(k), 0);
  rows.push(['all', fixed(sum(off.cpu)), fixed(sum(on.cpu)), fixed(sum(off.rss), 0), fixed(sum(on.rss), 0)]);
  const md = values.markdown;
  console.log(
    machineLines(
      machine,
      `npm run bench:video -- --minutes ${minutes} --baseline-seconds ${baselineSeconds}`,
    ).join('\n'),
  );
  console.log('');
  console.log(
    formatTable(['processes', 'CPU % off', 'CPU % on', 'RSS MiB off (max)', 'RSS MiB on (max)'], rows, md),
  );
  console.log('');
  const perMinute = on.time > 0 ? on.maxMib / Math.min(on.time / 60, 3.5) : NaN;
  console.log(
    formatTable(
      ['buffer', 'value'],
      [
        ['guard on for (s)', fixed(on.time, 0)],
        ['largest buffer (chunks)', on.maxChunks],
        ['largest buffer (MiB)', fixed(on.maxMib)],
        ['buffer at the end (chunks)', on.last.chunks],
        ['≈ MiB per buffered minute', fixed(perMinute)],
        ['saved clip (s / chunks)', saved ? `${saved.seconds} / ${saved.chunks}` : '–'],
        ['time to keep it (ms)', saved ? saved.ms : '–'],
      ],
      md,
    ),
  );
  console.log(
    '\nRSS sums each process’s resident memory (shared pages count in each); CPU is % of one core.',
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
