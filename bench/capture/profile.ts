/**
 * Where the page's main thread spends its time while the extension preserves the tab: a CPU profile
 * of the page's V8 isolate (the page's scripts and the content script's isolated world share it),
 * taken with an unminified build of the extension so that functions keep their names. The build
 * goes to a temporary folder with the project's own Vite config, less the plugin that stamps `dist/`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Plugin, PluginOption } from 'vite';
import { ROOT } from '../../src/cli/build';
import { startPreserving, tabIdOf } from '../../src/cli/automation';
import type { DemoServer } from '../../src/cli/demo-server';
import { launchPlain, launchWith } from './browser';
import type { ListMode } from './cell';

export type Category =
  'extension' | 'page' | 'rendering and other native work' | 'garbage collection' | 'other';

export interface ProfileSummary {
  list: ListMode;
  rate: number;
  seconds: number;
  shown: number;
  /** Sampled time that was not idle, by category. */
  busyMs: number;
  /**
   * Busy and extension time with each sample counted at most `SAMPLE_CAP_MS`: on a loaded machine
   * the sampler is now and then descheduled, and the one sample after the gap carries all of it
   * (tens or hundreds of ms) to whatever happened to run then. Steadier between runs than `busyMs`.
   */
  capped: { busyMs: number; extensionMs: number };
  byCategory: Record<Category, number>;
  /** Extension functions by self time, the browser APIs they call included. */
  functions: { name: string; ms: number }[];
  /** The page's own functions, the same way. */
  pageFunctions: { name: string; ms: number }[];
  /** The extension's entry points (the outermost extension frame) by total time. */
  entries: { name: string; ms: number }[];
  /** The extension's source lines by self time (the browser APIs they call included). */
  lines: { name: string; ms: number }[];
  error?: string;
}

/** The parts of a CDP `Profiler.Profile` that are read here. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: CallFrame;
    children?: number[];
    positionTicks?: { line: number; ticks: number }[];
  }[];
  samples?: number[];
  timeDeltas?: number[];
}
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** The most one sample counts for in `ProfileSummary.capped` (the interval is 250 µs). */
export const SAMPLE_CAP_MS = 1;

async function flatPlugins(options: PluginOption[]): Promise<Plugin[]> {
  const out: Plugin[] = [];
  for (const o of options) {
    const p = await o;
    if (Array.isArray(p)) out.push(...(await flatPlugins(p)));
    else if (p) out.push(p);
  }
  return out;
}

/** Builds the extension without minifying into a new temporary folder; returns the folder. */
export async function buildUnminified(): Promise<string> {
  const { build, loadConfigFromFile } = await import('vite');
  const loaded = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    join(ROOT, 'vite.config.ts'),
    ROOT,
    'warn',
  );
  if (!loaded) throw new Error('vite.config.ts not found');
  const outDir = mkdtempSync(join(tmpdir(), 'liveproof-bench-unminified-'));
  const plugins = (await flatPlugins(loaded.config.plugins ?? [])).filter(
    (p) => p.name !== 'liveproof-build-stamp',
  );
  // The CRXJS plugin reports on stdout, which holds the benchmark's tables: send it to stderr.
  const stdout = console.log;
  console.log = console.error;
  try {
    await build({
      ...loaded.config,
      configFile: false,
      root: ROOT,
      logLevel: 'warn',
      plugins,
      build: { ...loaded.config.build, outDir, emptyOutDir: true, minify: false },
    });
  } finally {
    console.log = stdout;
  }
  return outDir;
}

type DemoWindow = { __demo: { start(): void; emitted: unknown[] } };

export async function profileContentScript(
  demo: DemoServer,
  /** Null: the same room in Chromium without the extension. */
  extensionDir: string | null,
  o: {
    list: ListMode;
    rate: number;
    seconds: number;
    warmupSeconds: number;
    seed: number;
    /** A file to write the raw CPU profile to (DevTools opens it). */
    save?: string;
  },
): Promise<ProfileSummary> {
  const { save, ...room } = o;
  const empty: ProfileSummary = {
    ...room,
    shown: 0,
    busyMs: 0,
    capped: { busyMs: 0, extensionMs: 0 },
    byCategory: emptyCategories(),
    functions: [],
    pageFunctions: [],
    entries: [],
    lines: [],
  };
  const ext = extensionDir ? await launchWith(extensionDir) : null;
  const b = ext ?? (await launchPlain());
  try {
    const page = await b.context.newPage();
    const count = Math.ceil(o.rate * (o.warmupSeconds + o.seconds + 30));
    const keep = o.list === 'append' ? 150 : 30;
    await page.goto(demo.roomUrl({ autostart: 0, list: o.list, rate: o.rate, count, seed: o.seed, keep }));
    if (ext) await startPreserving(ext, await tabIdOf(ext, page));
    await page.bringToFront();
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    await page.waitForTimeout(o.warmupSeconds * 1000);
    const shownBefore = await page.evaluate(() => (window as unknown as DemoWindow).__demo.emitted.length);
    await cdp.send('Profiler.start');
    await page.waitForTimeout(o.seconds * 1000);
    const { profile } = await cdp.send('Profiler.stop');
    if (save) {
      mkdirSync(dirname(save), { recursive: true });
      writeFileSync(save, JSON.stringify(profile));
    }
    const shown =
      (await page.evaluate(() => (window as unknown as DemoWindow).__demo.emitted.length)) - shownBefore;
    await cdp.detach();
    const prefix = ext ? `chrome-extension://${ext.extensionId}/` : 'chrome-extension://';
    const summary = summarizeProfile(profile, prefix, new URL(demo.origin).origin);
    if (extensionDir) {
      summary.functions = withSource(summary.functions, extensionDir);
      summary.entries = withSource(summary.entries, extensionDir);
      summary.lines = withSource(summary.lines, extensionDir);
    }
    return { ...empty, shown, ...summary };
  } catch (err) {
    return { ...empty, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  } finally {
    await b.close();
  }
}

function emptyCategories(): Record<Category, number> {
  return {
    extension: 0,
    page: 0,
    'rendering and other native work': 0,
    'garbage collection': 0,
    other: 0,
  };
}

/** Attributes every sample to a category, and the extension's samples to its functions. */
export function summarizeProfile(
  profile: CpuProfile,
  extensionPrefix: string,
  pageOrigin: string,
): Pick<
  ProfileSummary,
  'busyMs' | 'capped' | 'byCategory' | 'functions' | 'pageFunctions' | 'entries' | 'lines'
> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (f: CallFrame) =>
    `${f.functionName || '(anonymous)'} ${f.url.replace(extensionPrefix, '').replace(pageOrigin, '').replace(/\?.*/, '')}:${f.lineNumber + 1}`;

  // Per node: its category, and (for the extension) its nearest and its outermost extension frame.
  const info = new Map<number, { category: Category; nearest?: string; outermost?: string }>();
  const infoOf = (id: number): { category: Category; nearest?: string; outermost?: string } => {
    const known = info.get(id);
    if (known) return known;
    const f = nodes.get(id)!.callFrame;
    const up = parent.has(id) ? infoOf(parent.get(id)!) : { category: 'other' as Category };
    let mine: { category: Category; nearest?: string; outermost?: string };
    if (f.functionName === '(garbage collector)') mine = { category: 'garbage collection' };
    else if (f.functionName === '(program)') mine = { category: 'rendering and other native work' };
    else if (f.url.startsWith(extensionPrefix))
      mine = { category: 'extension', nearest: label(f), outermost: up.outermost ?? label(f) };
    else if (f.url.startsWith(pageOrigin)) mine = { category: 'page', nearest: label(f) };
    else if (f.url === '' && up.category !== 'other')
      mine = up; // a builtin or browser API: its caller's
    else mine = { category: 'other' };
    info.set(id, mine);
    return mine;
  };

  const byCategory = emptyCategories();
  const functions = new Map<string, number>();
  const pageFunctions = new Map<string, number>();
  const entries = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<number, number>();
  let busy = 0;
  const capped = { busyMs: 0, extensionMs: 0 };
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    if (nodes.get(id)!.callFrame.functionName === '(idle)') continue;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    busy += ms;
    capped.busyMs += Math.min(ms, SAMPLE_CAP_MS);
    self.set(id, (self.get(id) ?? 0) + ms);
    const c = infoOf(id);
    byCategory[c.category] += ms;
    if (c.category === 'extension') capped.extensionMs += Math.min(ms, SAMPLE_CAP_MS);
    const own = c.category === 'page' ? pageFunctions : functions;
    if (c.nearest) own.set(c.nearest, (own.get(c.nearest) ?? 0) + ms);
    if (c.outermost) entries.set(c.outermost, (entries.get(c.outermost) ?? 0) + ms);
  }
  // A function's own time, shared among its lines as the profiler counted them there.
  const lines = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = nodes.get(id)!;
    if (!n.callFrame.url.startsWith(extensionPrefix) || !n.positionTicks?.length) continue;
    const ticks = n.positionTicks.reduce((a, p) => a + p.ticks, 0);
    const file = n.callFrame.url.slice(extensionPrefix.length);
    for (const p of n.positionTicks) {
      const k = `${file}:${p.line}`;
      lines.set(k, (lines.get(k) ?? 0) + (ms * p.ticks) / ticks);
    }
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, ms]) => ({ name, ms }));
  return {
    busyMs: busy,
    capped,
    byCategory,
    functions: top(functions),
    pageFunctions: top(pageFunctions),
    entries: top(entries),
    lines: top(lines),
  };
}

/**
 * Shows the line of the unminified build after anonymous functions and bare source lines
 * (`(anonymous) src/content/index.js:4920` says little; `new MutationObserver(…)` says more).
 */
export function withSource(names: readonly { name: string; ms: number }[], dir: string) {
  const files = new Map<string, string[]>();
  return names.map(({ name, ms }) => {
    const m = /^(?:\(anonymous\) )?(\S+):(\d+)$/.exec(name);
    if (!m) return { name, ms };
    const path = join(dir, m[1]!);
    if (!files.has(path)) files.set(path, existsSync(path) ? readFileSync(path, 'utf8').split('\n') : []);
    const line = files.get(path)![Number(m[2]) - 1]?.trim();
    return { name: line ? `${name}  ${line.slice(0, 70)}` : name, ms };
  });
}

export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
