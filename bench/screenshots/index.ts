/**
 * Screenshots under bursts of triggers, against Chrome's cap of two `captureVisibleTab` calls a
 * second. The real extension preserves the demo room (quiet: no product changes, no warnings, no
 * periodic pictures, so every trigger is the benchmark's own); an extension page fires "save this
 * moment" (`screenshot.take`, as the popup does) in patterns, each trigger with a note naming it.
 * Afterwards the session's sealed `screenshot` and `screenshot-missed` events are read from
 * IndexedDB: every trigger must be named once, as the reason of a picture or in its `alsoCovers`.
 *
 *   npm run bench:screenshots -- [--scale 1] [--markdown] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { ensureBuilt } from '../../src/cli/build';
import { launchWithExtension } from '../../src/cli/chromium';
import { startDemoServer } from '../../src/cli/demo-server';
import { exportFromLocker, openExtensionWindow, startPreserving, tabIdOf } from '../../src/cli/automation';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type Settings } from '../../src/core/settings';
import { PROTOCOL_VERSION } from '../../src/core/protocol';
import { MIN_GAP_MS } from '../../src/background/screenshots';
import { describeMachine, machineLines } from '../capture/machine';
import { fixed, formatTable } from '../capture/table';

const { values: opts } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    markdown: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const SCALE = Number(opts.scale);
/** Chrome's MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND. */
const CAP = 2;

interface Pattern {
  id: string;
  what: string;
  /** When each trigger fires, ms after the pattern starts. */
  times: number[];
}

const every = (n: number, gapMs: number, from = 0) => Array.from({ length: n }, (_, i) => from + i * gapMs);
const PATTERNS: Pattern[] = [
  {
    id: 'b20',
    what: '20 at once, three times, 3 s apart',
    times: [0, 3000, 6000].flatMap((t) => every(20, 0, t)),
  },
  { id: 'r2.5', what: '2.5/s (one per 400 ms) for 10 s', times: every(Math.round(25 * SCALE), 400) },
  { id: 'r10', what: '10/s for 10 s', times: every(Math.round(100 * SCALE), 100) },
  { id: 'r50', what: '50/s for 5 s', times: every(Math.round(250 * SCALE), 20) },
  { id: 'b200', what: '200 at once', times: every(200, 0) },
];

interface Fired {
  note: string;
  at: number;
  ok: boolean;
  seq?: number;
  error?: string;
}

interface StoredEvent {
  seq: number;
  type: string;
  time: string;
  data: {
    reason?: string;
    note?: string;
    cause?: string;
    alsoCovers?: { reason: string; note?: string; time: string }[];
  };
}

async function main() {
  ensureBuilt((line) => console.error(line));
  const machine = describeMachine();
  const demo = await startDemoServer();
  const b = await launchWithExtension({ locale: 'zh-CN' });
  const results: Record<string, unknown>[] = [];
  try {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      screenshotIntervalSec: 0,
      timestamps: { ...DEFAULT_SETTINGS.timestamps, enabled: false },
    };
    const control = await openExtensionWindow(b, 'src/locker/index.html');
    await control.evaluate(([k, s]) => chrome.storage.local.set({ [k]: s }), [
      SETTINGS_KEY,
      settings,
    ] as const);

    const page = b.context.pages()[0] ?? (await b.context.newPage());
    await page.goto(demo.roomUrl({ rate: 2, pushers: 0, products: 3_600_000, seed: 5 }));
    const tabId = await tabIdOf(b, page);
    const sessionId = await startPreserving(b, tabId);
    await page.bringToFront();
    await page.waitForTimeout(2000);

    for (const p of PATTERNS) {
      const fired = await control.evaluate(
        async ({ id, times, tab, v }) => {
          const start = performance.now();
          return Promise.all(
            times.map(
              (t, i) =>
                new Promise<Fired>((resolve) =>
                  setTimeout(
                    async () => {
                      const note = `${id}#${i}`;
                      const at = Date.now();
                      const reply = (await chrome.runtime.sendMessage({
                        v,
                        name: 'screenshot.take',
                        req: { tabId: tab, note },
                      })) as { ok: boolean; data?: { seq: number }; error?: { code: string } };
                      resolve(
                        reply.ok
                          ? { note, at, ok: true, seq: reply.data!.seq }
                          : { note, at, ok: false, error: reply.error?.code ?? '?' },
                      );
                    },
                    Math.max(0, t - (performance.now() - start)),
                  ),
                ),
            ),
          );
        },
        { id: p.id, times: p.times, tab: tabId, v: PROTOCOL_VERSION },
      );
      await page.waitForTimeout(1500);

      const events = await readEvents(control, sessionId);
      const mine = (n?: string) => !!n && n.startsWith(`${p.id}#`);
      const named = new Map<string, number>();
      const shots: StoredEvent[] = [];
      const missed: StoredEvent[] = [];
      const waits: number[] = [];
      for (const e of events) {
        if (e.type !== 'screenshot' && e.type !== 'screenshot-missed') continue;
        const triggers = [
          { note: e.data.note, time: e.time },
          ...(e.data.alsoCovers ?? []).map((c) => ({ note: c.note, time: c.time })),
        ].filter((t) => mine(t.note));
        if (!triggers.length) continue;
        (e.type === 'screenshot' ? shots : missed).push(e);
        for (const t of triggers) named.set(t.note!, (named.get(t.note!) ?? 0) + 1);
        if (e.type === 'screenshot')
          for (const c of e.data.alsoCovers ?? [])
            if (mine(c.note)) waits.push(Date.parse(e.time) - Date.parse(c.time));
      }
      // From the first trigger to the last picture: the pictures this pattern got per second. (An
      // event's time is when its capture returned, so gaps between two events are not the pace.)
      const times = shots.map((s) => Date.parse(s.time)).sort((a, b) => a - b);
      const firstTrigger = Math.min(...fired.map((f) => f.at));
      const rate = times.length ? times.length / ((times.at(-1)! - firstTrigger) / 1000) : NaN;
      // The pace between pictures: n pictures span n − 1 gaps (the figure above counts one more).
      const pace = times.length > 1 ? (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000) : NaN;
      const unrecorded = fired.filter((f) => !named.has(f.note)).length;
      const twice = [...named.values()].filter((n) => n > 1).length;
      const row = {
        pattern: p.what,
        triggers: fired.length,
        answered: fired.filter((f) => f.ok).length,
        errors: [...new Set(fired.filter((f) => !f.ok).map((f) => f.error))].join(',') || '–',
        shots: shots.length,
        missed: missed.length,
        missedCauses: [...new Set(missed.map((m) => m.data.cause))].join(',') || '–',
        perSecond: rate,
        pace,
        ofCap: pace / CAP,
        coveredPerShot: shots.length ? (fired.length - missed.length) / shots.length : NaN,
        maxWaitMs: waits.length ? Math.max(...waits) : 0,
        unrecorded,
        twice,
      };
      results.push(row);
      console.error(
        `${p.id}: ${row.triggers} triggers, ${row.shots} pictures at ${fixed(rate, 2)}/s, ${unrecorded} unrecorded`,
      );
    }
    // The package verifies with these pictures in it (alsoCovers and all).
    const file = `${b.downloads}/screenshots-bench.zip`;
    await exportFromLocker(b, [sessionId], file);
    console.error(`package exported: ${file}`);
  } finally {
    await b.close();
    await demo.close();
  }

  for (const line of machineLines(
    machine,
    `npm run bench:screenshots -- ${process.argv.slice(2).join(' ')}`.trim(),
  ))
    console.log(line);
  console.log(
    `Chrome's cap: ${CAP} captures/s; LiveProof waits ≥ ${MIN_GAP_MS} ms between captures (at most ${fixed(1000 / MIN_GAP_MS, 2)}/s).\n` +
      'pictures/s: from the first trigger of the pattern to its last picture; pace/s: between its first and last picture\n',
  );
  console.log(
    formatTable(
      [
        'triggers',
        'n',
        'replied',
        'pictures',
        'missed',
        'pictures/s',
        'pace/s',
        'pace ÷ cap',
        'triggers/picture',
        'longest wait ms',
        'unrecorded',
        'named twice',
        'result',
      ],
      results.map((r) => {
        const x = r as {
          pattern: string;
          triggers: number;
          answered: number;
          shots: number;
          missed: number;
          perSecond: number;
          pace: number;
          ofCap: number;
          coveredPerShot: number;
          maxWaitMs: number;
          unrecorded: number;
          twice: number;
          missedCauses: string;
        };
        return [
          x.pattern,
          x.triggers,
          x.answered,
          x.shots,
          x.missed ? `${x.missed} (${x.missedCauses})` : 0,
          fixed(x.perSecond, 2),
          fixed(x.pace, 2),
          fixed(x.ofCap, 2),
          fixed(x.coveredPerShot, 1),
          fixed(x.maxWaitMs, 0),
          x.unrecorded,
          x.twice,
          x.unrecorded === 0 && x.twice === 0 ? 'ok' : 'goal missed',
        ];
      }),
      opts.markdown,
    ),
  );
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ machine, results }, null, 2));
}

async function readEvents(page: Page, sessionId: string): Promise<StoredEvent[]> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('liveproof');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    // Sealed events are kept in pages of a session's consecutive events (src/db/schema.ts).
    const rows = await new Promise<StoredEvent[]>((resolve, reject) => {
      const r = db
        .transaction('pages')
        .objectStore('pages')
        .getAll(IDBKeyRange.bound([id, -Infinity], [id, Infinity]));
      r.onsuccess = () => resolve((r.result as { events: StoredEvent[] }[]).flatMap((p) => p.events));
      r.onerror = () => reject(r.error);
    });
    db.close();
    return rows;
  }, sessionId);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
