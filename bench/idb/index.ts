/**
 * IndexedDB writes in Chromium: LiveProof's evidence store (a batch sealed and written in one
 * transaction with the session's new head, as the background does for each Port batch) against a
 * naive loop that seals one event and `put`s it in a transaction of its own. Runs in an extension
 * page of the real extension (the evidence's own origin and storage), on throwaway databases.
 * Pairs alternate which way goes first; the ratio is per pair, and the median is the figure.
 *
 * A further run hands the store every batch of 50 at once, as a Port does when the page sends faster
 * than the database writes: the batches waiting behind a write are written together (group commit).
 *
 *   npm run bench:idb -- [--events 5000] [--batches 1,10,50,200] [--pairs 3] [--markdown] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../../src/cli/build';
import { bundlePageScript } from '../page-bundle';
import { launchWithExtension } from '../../src/cli/chromium';
import { openExtensionWindow } from '../../src/cli/automation';
import { describeMachine, machineLines } from '../capture/machine';
import { fixed, formatTable } from '../capture/table';
import type { Run } from './page';

interface Phases {
  read: number;
  seal: number;
  write: number;
  writeRaw: number;
}

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '5000' },
    batches: { type: 'string', default: '1,10,50,200' },
    pairs: { type: 'string', default: '3' },
    markdown: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const EVENTS = Number(opts.events);
const BATCHES = opts.batches.split(',').map(Number);
const PAIRS = Number(opts.pairs);
const GOAL = 10;
/** The batch size of the group-commit run: what the content script sends at about 200 msg/s. */
const QUEUED = 50;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

async function main() {
  ensureBuilt((line) => console.error(line));
  const machine = describeMachine();
  const code = await bundlePageScript('bench/idb/page.ts', 'LiveProofIdbBench');
  const b = await launchWithExtension({ locale: 'zh-CN' });
  const runs: (Run & { pair: number })[] = [];
  const phases: (Phases & { batch: number })[] = [];
  try {
    const page = await openExtensionWindow(b, 'src/locker/index.html');
    await page.evaluate(code);
    type Bench = {
      batched(n: number, b: number, queued?: boolean): Promise<Run>;
      naive(n: number): Promise<Run>;
      seal(n: number, b: number): Promise<Run>;
      phases(n: number, b: number): Promise<Phases>;
    };
    const call = (way: Run['way'], batch: number) =>
      page.evaluate(
        ([w, n, k]) => {
          const bench = (globalThis as unknown as { __idbBench: Bench }).__idbBench;
          return w === 'naive'
            ? bench.naive(n)
            : w === 'seal'
              ? bench.seal(n, k)
              : bench.batched(n, k, w === 'queued');
        },
        [way, EVENTS, batch] as const,
      );
    // A warm-up of each, not counted: the first database opened in a profile pays for creating it.
    await call('naive', 1);
    await call('batched', 50);
    for (let pair = 1; pair <= PAIRS; pair++) {
      const order: [Run['way'], number][] = [
        ['naive', 1],
        ...BATCHES.map((k) => ['batched', k] as [Run['way'], number]),
        ['queued', QUEUED],
        ['seal', 50],
      ];
      if (pair % 2 === 0) order.reverse();
      for (const [way, k] of order) {
        const r = await call(way, k);
        runs.push({ ...r, pair });
        console.error(`pair ${pair}: ${way} ×${k}: ${fixed(r.perSecond, 0)} events/s`);
      }
    }
    for (const k of BATCHES.filter((k) => k > 1))
      phases.push({
        batch: k,
        ...(await page.evaluate(
          ([n, kk]) => (globalThis as unknown as { __idbBench: Bench }).__idbBench.phases(n, kk),
          [EVENTS, k] as const,
        )),
      });
  } finally {
    await b.close();
  }

  const naivePer = (pair: number) => runs.find((r) => r.pair === pair && r.way === 'naive')!.perSecond;
  const ways: { label: string; kind: 'baseline' | 'floor' | 'store'; pick: (r: Run) => boolean }[] = [
    { label: 'naive: one put per event, own transaction', kind: 'baseline', pick: (r) => r.way === 'naive' },
    ...BATCHES.map((k) => ({
      label: `LiveProof's store, batches of ${k}`,
      kind: 'store' as const,
      pick: (r: Run) => r.way === 'batched' && r.batch === k,
    })),
    {
      label: `LiveProof's store, batches of ${QUEUED} queued faster than it writes (group commit)`,
      kind: 'store',
      pick: (r) => r.way === 'queued',
    },
    { label: 'sealing alone, no database (batches of 50)', kind: 'floor', pick: (r) => r.way === 'seal' },
  ];
  const rows = ways.map(({ label, kind, pick }) => {
    const mine = runs.filter(pick);
    const ratios = mine.map((r) => r.perSecond / naivePer(r.pair));
    const m = median(ratios);
    return {
      label,
      perSecond: median(mine.map((r) => r.perSecond)),
      usPerEvent: median(mine.map((r) => (r.ms * 1000) / r.events)),
      ratios,
      median: m,
      stored: mine.every((r) => r.stored === r.events),
      result:
        kind === 'baseline' ? 'baseline' : kind === 'floor' ? 'no writes' : m >= GOAL ? 'ok' : 'goal missed',
    };
  });

  for (const line of machineLines(machine, `npm run bench:idb -- ${process.argv.slice(2).join(' ')}`.trim()))
    console.log(line);
  console.log(`events per run: ${EVENTS}; pairs: ${PAIRS}; goal: ≥ ${GOAL}× the naive loop\n`);
  console.log(
    formatTable(
      ['way', 'events/s', 'µs/event', '× naive (per pair)', '× naive', 'all stored', 'result'],
      rows.map((r) => [
        r.label,
        fixed(r.perSecond, 0),
        fixed(r.usPerEvent, 0),
        r.ratios.map((x) => fixed(x, 1)).join(' '),
        `${fixed(r.median, 1)}×`,
        r.stored ? 'yes' : 'NO',
        r.result,
      ]),
      opts.markdown,
    ),
  );
  console.log(
    '\nwhere a batch goes when the store must read first (the careful way), µs per event (one run each):\n',
  );
  console.log(
    formatTable(
      ['batch', 'read head and keys', 'sealing', 'write (Dexie)', 'the same pages, IndexedDB alone'],
      phases.map((p) => [
        p.batch,
        fixed(p.read, 0),
        fixed(p.seal, 0),
        fixed(p.write, 0),
        fixed(p.writeRaw, 0),
      ]),
      opts.markdown,
    ),
  );
  if (opts.json)
    writeFileSync(opts.json, JSON.stringify({ machine, events: EVENTS, runs, rows, phases }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
