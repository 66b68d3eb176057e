/**
 * One cell of the capture benchmark: the demo room streams `rate` messages a second for `seconds`
 * into a list of the given kind while the real extension preserves the tab; the exported package's
 * chat is then compared with what the room showed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../../src/cli/chromium';
import { launchPlain } from './browser';
import { exportFromLocker, openPopup, readPopup, startPreserving, tabIdOf } from '../../src/cli/automation';
import type { DemoServer } from '../../src/cli/demo-server';
import { compareChat, type ChatMessage, type Comparison } from './compare';
import { readPackageChat } from './package';

export const LIST_MODES = ['append', 'recycle', 'shift'] as const;
export type ListMode = (typeof LIST_MODES)[number];

export interface CellResult {
  list: ListMode;
  rate: number;
  seconds: number;
  /** From `__demo.start()` until the room had shown every message. */
  streamSeconds: number;
  /** What the popup said once the count had settled. */
  popupCount: number;
  /** From the end of the stream until the popup's count stopped changing. */
  settleSeconds: number;
  exportSeconds: number;
  packageOk: boolean;
  problems: string[];
  comparison: Comparison | null;
  /** How the room's messages fell into the batches that MutationObservers are given. */
  batches: Batches | null;
  /** The same room in Chromium without the extension (`--baseline`): how the page batches on its own. */
  baseline?: Batches | null;
  error?: string;
}

/**
 * Messages shown between two MutationObserver callbacks. A batch bigger than the rows the list
 * keeps means some messages were shown and overwritten before any observer ran: whoever reads the
 * list's rows when called cannot have seen them (only the mutation records still hold them).
 */
export interface Batches {
  count: number;
  largest: number;
  /** Messages no longer in the list when the observers were called. */
  overwritten: number;
}

type DemoWindow = {
  __demo: { start(): void; done: boolean; emitted: ChatMessage[] };
  __benchMarks: number[];
};

/** The count must hold this long before we call it settled (a late duplicate would still arrive). */
const STABLE_MS = 2500;
/** A count that stopped short of what was shown is given this long to move again. */
const STALLED_MS = 6_000;

export async function runCell(
  demo: DemoServer,
  list: ListMode,
  rate: number,
  seconds: number,
  seed: number,
): Promise<CellResult> {
  const result: CellResult = {
    list,
    rate,
    seconds,
    streamSeconds: 0,
    popupCount: 0,
    settleSeconds: 0,
    exportSeconds: 0,
    packageOk: false,
    problems: [],
    comparison: null,
    batches: null,
  };
  const count = Math.round(rate * seconds);
  const keep = list === 'append' ? 150 : 30;
  let b: ExtensionBrowser | null = null;
  const out = mkdtempSync(join(tmpdir(), 'liveproof-bench-package-'));
  try {
    b = await launchWithExtension();
    const page = await b.context.newPage();
    await page.goto(demo.roomUrl({ autostart: 0, list, rate, count, seed, keep }));
    const tabId = await tabIdOf(b, page);
    const sessionId = await startPreserving(b, tabId);
    await page.bringToFront();

    await page.evaluate(markBatches);
    const started = Date.now();
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.done, null, {
      timeout: seconds * 3_000 + 60_000,
      polling: 100,
    });
    const ended = Date.now();
    result.streamSeconds = (ended - started) / 1000;
    const shown = await page.evaluate(() => (window as unknown as DemoWindow).__demo.emitted);
    result.batches = batchesOf(
      await page.evaluate(() => (window as unknown as DemoWindow).__benchMarks),
      keep,
    );

    const settled = await settle(b, tabId, shown.length, Math.max(60, seconds * 2) * 1000);
    result.popupCount = settled.count;
    result.settleSeconds = Math.max(0, (settled.lastChange - ended) / 1000);

    const file = join(out, 'package.zip');
    const exportStarted = Date.now();
    // Two milliseconds a message at the least: 150,000 messages exported at load 12 took over 2 minutes.
    await exportFromLocker(b, [sessionId], file, Math.max(120_000, shown.length * 2));
    result.exportSeconds = (Date.now() - exportStarted) / 1000;
    const pkg = await readPackageChat(file, sessionId);
    result.packageOk = pkg.ok;
    result.problems = pkg.problems;
    result.comparison = compareChat(shown, pkg.chat);
    await closeQuietly(page);
  } catch (err) {
    result.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  } finally {
    await b?.close();
    rmSync(out, { recursive: true, force: true });
  }
  return result;
}

/**
 * The same room without the extension: nothing is kept, but the batches show whether the page on
 * its own, on this machine at this moment, overwrites rows before an observer could read them.
 */
export async function runBaseline(
  demo: DemoServer,
  list: ListMode,
  rate: number,
  seconds: number,
  seed: number,
): Promise<Batches | null> {
  const keep = list === 'append' ? 150 : 30;
  const b = await launchPlain();
  try {
    const page = await b.context.newPage();
    await page.goto(
      demo.roomUrl({ autostart: 0, list, rate, count: Math.round(rate * seconds), seed, keep }),
    );
    await page.evaluate(markBatches);
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.done, null, {
      timeout: seconds * 3_000 + 60_000,
      polling: 100,
    });
    return batchesOf(await page.evaluate(() => (window as unknown as DemoWindow).__benchMarks), keep);
  } catch {
    return null;
  } finally {
    await b.close();
  }
}

/** In the page's own world: note how many messages had been shown each time observers are called. */
function markBatches(): void {
  const w = window as unknown as DemoWindow;
  w.__benchMarks = [];
  new MutationObserver(() => w.__benchMarks.push(w.__demo.emitted.length)).observe(
    document.getElementById('chat')!,
    { childList: true, subtree: true, characterData: true },
  );
}

function batchesOf(marks: readonly number[], keep: number): Batches {
  const batches: Batches = { count: 0, largest: 0, overwritten: 0 };
  let before = 0;
  for (const shown of marks) {
    const size = shown - before;
    before = shown;
    if (size <= 0) continue;
    batches.count++;
    batches.largest = Math.max(batches.largest, size);
    batches.overwritten += Math.max(0, size - keep);
  }
  return batches;
}

/**
 * Reads the popup's chat count until it holds still: at or above what was shown for `STABLE_MS`,
 * or below it without moving for `STALLED_MS`, or until `limitMs` have passed.
 */
async function settle(
  b: ExtensionBrowser,
  tabId: number,
  shown: number,
  limitMs: number,
): Promise<{ count: number; lastChange: number }> {
  const popup = await openPopup(b, tabId);
  try {
    const deadline = Date.now() + limitMs;
    let count = -1;
    let lastChange = Date.now();
    while (Date.now() < deadline) {
      const now = (await readPopup(popup)).chat;
      if (now !== count) {
        count = now;
        lastChange = Date.now();
      }
      const still = Date.now() - lastChange;
      if (count >= shown && still >= STABLE_MS) break;
      if (still >= STALLED_MS) break;
      await popup.waitForTimeout(250);
    }
    return { count, lastChange };
  } finally {
    await closeQuietly(popup);
  }
}

async function closeQuietly(page: Page): Promise<void> {
  await page.close().catch(() => undefined);
}
