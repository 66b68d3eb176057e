/**
 * The content script's added main-thread time: the same room at the same rate, in Chromium without
 * the extension and in Chromium with it preserving the tab, alternately (A/B/A/B) so that the
 * machine's noise falls on both. The content script runs in an isolated world on the page's own
 * main thread, so its work is in that thread's CPU time (CDP `Performance.getMetrics`: `ThreadTime`;
 * `TaskDuration` is wall time and swells whenever the two cores are contended). The background's
 * sealing runs in the extension's process and IndexedDB in the browser's: /proc counts those.
 */
import { DIST } from '../../src/cli/build';
import { startPreserving, tabIdOf } from '../../src/cli/automation';
import type { DemoServer } from '../../src/cli/demo-server';
import { launchPlain, launchWith } from './browser';
import type { ListMode } from './cell';
import { cpuBetween, cpuSnapshot, type ProcessKind } from './processes';

export type Variant = 'without' | 'with';

export interface OverheadRun {
  variant: Variant;
  /** Messages the room showed while measured. */
  shown: number;
  wallMs: number;
  /** Frames the page drew (requestAnimationFrame callbacks). */
  frames: number;
  /** CPU time of the page's main thread (CDP `ThreadTime`), in ms: the figure compared. */
  threadMs: number;
  /** CPU time of the page's renderer process (CDP `ProcessTime`). */
  processMs: number;
  /** Wall time of the main thread's tasks (CDP `TaskDuration`): inflated when the CPU is contended. */
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  /** CPU ms of the browser's processes over the same time. */
  cpu: Record<ProcessKind, number>;
  error?: string;
}

export interface OverheadOptions {
  list: ListMode;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  seed: number;
}

type DemoWindow = { __demo: { start(): void; emitted: unknown[] } };

const METRICS = [
  'ThreadTime',
  'ProcessTime',
  'TaskDuration',
  'ScriptDuration',
  'LayoutDuration',
  'RecalcStyleDuration',
] as const;

// A string, not a function: the page must not see helpers that the TypeScript runner adds.
const COUNT_FRAMES = `window.__benchFrames = 0;
(function frame() { window.__benchFrames++; requestAnimationFrame(frame); })();`;

export async function measureOnce(
  demo: DemoServer,
  variant: Variant,
  o: OverheadOptions,
): Promise<OverheadRun> {
  const run: OverheadRun = {
    variant,
    shown: 0,
    wallMs: 0,
    frames: 0,
    threadMs: 0,
    processMs: 0,
    taskMs: 0,
    scriptMs: 0,
    layoutMs: 0,
    styleMs: 0,
    cpu: { browser: 0, page: 0, extension: 0, gpu: 0, utility: 0, other: 0 },
  };
  const ext = variant === 'with' ? await launchWith(DIST) : null;
  const b = ext ?? (await launchPlain());
  try {
    const page = await b.context.newPage();
    const count = Math.ceil(o.rate * (o.warmupSeconds + o.seconds + 30));
    await page.goto(demo.roomUrl({ autostart: 0, list: o.list, rate: o.rate, count, seed: o.seed }));
    if (ext) await startPreserving(ext, await tabIdOf(ext, page));
    await page.bringToFront();
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate(COUNT_FRAMES);
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    await page.waitForTimeout(o.warmupSeconds * 1000);

    const sample = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const [shown, frames] = await page.evaluate(() => {
        const w = window as unknown as DemoWindow & { __benchFrames: number };
        return [w.__demo.emitted.length, w.__benchFrames];
      });
      const value = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { at: Date.now(), shown, frames, cpu: cpuSnapshot(), m: METRICS.map(value) };
    };
    const a = await sample();
    await page.waitForTimeout(o.seconds * 1000);
    const z = await sample();
    run.shown = z.shown - a.shown;
    run.wallMs = z.at - a.at;
    run.frames = z.frames - a.frames;
    const spent = METRICS.map((_, i) => z.m[i]! - a.m[i]!);
    [run.threadMs, run.processMs, run.taskMs, run.scriptMs, run.layoutMs, run.styleMs] = spent as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    run.cpu = cpuBetween(a.cpu, z.cpu);
    await cdp.detach();
  } catch (err) {
    run.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  } finally {
    await b.close();
  }
  return run;
}

/** Milliseconds per 1000 messages shown: the unit the two variants are compared in. */
export const perThousand = (ms: number, shown: number) => (shown ? (ms * 1000) / shown : NaN);

export interface OverheadSummary {
  runs: OverheadRun[];
  /** with / without, pair by pair, of main-thread CPU per message shown; and their median. */
  ratios: number[];
  median: number;
  /** The same for the main thread's task wall time. */
  taskRatios: number[];
  taskMedian: number;
}

export async function measureOverhead(
  demo: DemoServer,
  o: OverheadOptions,
  pairs: number,
  log: (line: string) => void,
): Promise<OverheadSummary> {
  const runs: OverheadRun[] = [];
  const ratios: number[] = [];
  const taskRatios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // A/B, then B/A: neither variant always goes first after the other one's browser closed.
    const order: Variant[] = i % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
    const pair: Partial<Record<Variant, OverheadRun>> = {};
    for (const variant of order) {
      const r = await measureOnce(demo, variant, o);
      runs.push(r);
      pair[variant] = r;
      log(
        `  pair ${i + 1} ${variant.padEnd(7)} ` +
          (r.error
            ? `error: ${r.error}`
            : `main thread ${perThousand(r.threadMs, r.shown).toFixed(0)} ms CPU, ${perThousand(r.taskMs, r.shown).toFixed(0)} ms tasks per 1000 messages`),
      );
    }
    const w = pair.with;
    const wo = pair.without;
    if (w && wo && !w.error && !wo.error) {
      ratios.push(perThousand(w.threadMs, w.shown) / perThousand(wo.threadMs, wo.shown));
      taskRatios.push(perThousand(w.taskMs, w.shown) / perThousand(wo.taskMs, wo.shown));
    }
  }
  return { runs, ratios, median: median(ratios), taskRatios, taskMedian: median(taskRatios) };
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
