/**
 * What a MutationObserver costs the page's main thread in the content script's isolated world and
 * in the page's own (main) world, on a recycling chat list: the page moves its top row to the
 * bottom and refills it, four messages a task, and the observer either only counts its records
 * ("deliver"), also reads each record's target, added and removed nodes as `ChatObserver.note`
 * does ("read"), or notes the rows added or rewritten and reads each of them the least way a chat
 * reader can, each child's class and text, in the same callback ("read rows": about the floor under
 * any content script that keeps every message, before it parses, dedupes or sends one). The
 * variant "LiveProof's chat path" runs the content script's own `ChatObserver` with the generic
 * adapter, as it reads the demo room, bundled from this tree; `--base DIR` adds the same from
 * another checkout (a worktree of an earlier commit), so that a change to the chat path is measured
 * against the code before it in one run. The chat path there is everything up to the message handed
 * to the transport (no Port, no background). Wall time of 10,000 messages per run, alternating
 * variants; prints the medians.
 *
 *   npx tsx bench/capture/worlds.ts [--rounds 9] [--per-task 4] [--rows 30] [--batch-ms N]
 *     [--base DIR] [--only chat] [--save-profile DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { ROOT } from '../../src/cli/build';
import { findChromium } from '../../src/cli/chromium';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    'per-task': { type: 'string', default: '4' },
    /** Rows in the list (a recycling list keeps a fixed number). */
    rows: { type: 'string', default: '30' },
    /**
     * The chat path's batch (ms): back to back, 100 ms is thousands of messages, so the list goes
     * round many times within a batch, which a room at 200 msg/s never does (20 messages a batch);
     * with `--rows 300 --batch-ms 4` a batch holds fewer messages than the list has rows, as in a room.
     */
    'batch-ms': { type: 'string' },
    base: { type: 'string' },
    /** `chat`: only the page alone, "read rows" and the chat path variants. */
    only: { type: 'string' },
    /** A folder for a CPU profile of each variant's last run (DevTools opens them). */
    'save-profile': { type: 'string' },
  },
});
const rounds = Math.max(1, Number(values.rounds));
/** Messages the page shows per task (the demo room shows about one at 200 msg/s). */
const perTask = Math.max(1, Math.round(Number(values['per-task'])));
const tasks = Math.ceil(10_000 / perTask);
const shownPerRun = tasks * perTask;

const rows = Math.max(2, Math.round(Number(values.rows)));
const batchMs = values['batch-ms'] === undefined ? undefined : Number(values['batch-ms']);
/** The page: a list of `rows` rows of three spans; `__run(tasks, k)` shows `k` messages a task, one task after another. */
const PAGE = `<ul id="list"></ul><script>
const list = document.getElementById('list');
function fill(li, i) {
  const b = document.createElement('span'); b.className = 'user-badge'; b.textContent = 'Lv' + (i % 30);
  const n = document.createElement('span'); n.className = 'user-name'; n.textContent = 'viewer' + (i % 97) + '：';
  const t = document.createElement('span'); t.className = 'chat-text'; t.textContent = 'hello there, message ' + i;
  li.replaceChildren(b, n, t);
}
for (let i = 0; i < ${rows}; i++) { const li = document.createElement('li'); fill(li, i); list.append(li); }
let i = 0;
window.__run = (tasks, k) => new Promise((resolve) => {
  const ch = new MessageChannel(); let done = 0; const t0 = performance.now();
  ch.port1.onmessage = () => {
    for (let m = 0; m < k; m++) { i++; const top = list.firstElementChild; list.append(top); fill(top, i); }
    if (++done >= tasks) resolve(performance.now() - t0); else ch.port2.postMessage(0);
  };
  ch.port2.postMessage(0);
});
</script>`;

/** Installs the observer (or none) in whichever world evaluates it. */
const OBSERVER = {
  none: `globalThis.__obs?.disconnect(); 0`,
  deliver: `globalThis.__obs?.disconnect();
    globalThis.__obs = new MutationObserver((rs) => { globalThis.__n = (globalThis.__n | 0) + rs.length; });
    globalThis.__obs.observe(document.getElementById('list'), { childList: true, subtree: true, characterData: true }); 0`,
  read: `globalThis.__obs?.disconnect();
    { const L = document.getElementById('list'); const waiting = new Map();
      globalThis.__obs = new MutationObserver((rs) => {
        let c = 0;
        for (let i = 0; i < rs.length; i++) {
          const r = rs[i]; const t = r.target;
          if (t === L) {
            const gone = r.removedNodes; for (let j = 0, n = gone.length; j < n; j++) if (waiting.get(gone[j])) c++;
            const added = r.addedNodes; for (let j = 0, n = added.length; j < n; j++) if (added[j].nodeType === 1) c++;
          } else { let p = t; while (p && p.parentNode !== L) p = p.parentNode; c++; }
        }
        globalThis.__n = (globalThis.__n | 0) + c;
      });
      globalThis.__obs.observe(L, { childList: true, subtree: true, characterData: true }); } 0`,
  rows: `globalThis.__obs?.disconnect();
    { const L = document.getElementById('list'); const out = [];
      globalThis.__obs = new MutationObserver((rs) => {
        const touched = new Set();
        for (let i = 0; i < rs.length; i++) {
          const r = rs[i]; const t = r.target;
          if (t === L) {
            const added = r.addedNodes; for (let j = 0, n = added.length; j < n; j++) if (added[j].nodeType === 1) touched.add(added[j]);
          } else { let p = t; while (p && p.parentNode !== L) p = p.parentNode; if (p) touched.add(p); }
        }
        for (const row of touched) {
          const parts = [];
          for (let c = row.firstChild; c; c = c.nextSibling)
            if (c.nodeType === 1) parts.push(c.getAttribute('class'), c.textContent);
          out.push(parts);
        }
        if (out.length > 1000) out.length = 0;
      });
      globalThis.__obs.observe(L, { childList: true, subtree: true, characterData: true }); } 0`,
} as const;

/**
 * The content script's chat path from the checkout in `root`, as a script for the isolated world:
 * `__chatPath(true)` starts it on the list (stopping whatever ran before), `__chatPath(null)` stops
 * it; each returns how many messages the one it stopped handed on (the backlog left out).
 */
async function chatPath(root: string): Promise<string> {
  const contents = `
    import { ChatObserver } from './src/content/chat-observer';
    import { generic } from './src/adapters/generic';
    let running = null;
    let kept = 0;
    const out = [];
    globalThis.__chatPath = (start) => {
      running?.stop();
      running = null;
      const n = kept;
      kept = 0;
      if (start) {
        running = new ChatObserver(generic, document.getElementById('list'), (row) => {
          if (row.backlog) return;
          kept++;
          out.push(row.author, row.text, row.seenAt);
          if (out.length > 3000) out.length = 0;
        }${batchMs === undefined ? '' : `, { batchMs: ${batchMs} }`});
        running.start();
      }
      return n;
    };`;
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'chat-path.ts' },
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

const paths: [string, string][] = [['this tree', ROOT]];
if (values.base) paths.push([values.base, resolve(values.base)]);
const scripts = await Promise.all(paths.map(async ([name, root]) => [name, await chatPath(root)] as const));

const browser = await chromium.launch({
  executablePath: findChromium(),
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  await page.setContent(PAGE);
  const cdp = await page.context().newCDPSession(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
    frameId: frameTree.frame.id,
    worldName: 'content script',
  });
  const inIsolated = (expression: string) =>
    cdp.send('Runtime.evaluate', { expression, contextId: executionContextId });
  const inMain = (expression: string) => page.evaluate(expression);
  // Each bundle defines `__chatPath`; each is kept under its own name.
  for (let k = 0; k < scripts.length; k++) {
    const { exceptionDetails } = await inIsolated(
      `${scripts[k]![1]}; globalThis.__chatPath${k} = __chatPath; 0`,
    );
    if (exceptionDetails) throw new Error(`the chat path did not load: ${exceptionDetails.text}`);
  }
  /** Takes out every observer; returns how many messages a chat path that ran handed on. */
  const reset = async (): Promise<number> => {
    await inMain(OBSERVER.none);
    await inIsolated(OBSERVER.none);
    let handed = 0;
    for (let k = 0; k < scripts.length; k++)
      handed += ((await inIsolated(`__chatPath${k}(null)`)).result.value as number) ?? 0;
    return handed;
  };
  const variants: [string, string | null][] = [
    ['no observer', null],
    ['isolated world: deliver', 'isolated:deliver'],
    ['isolated world: read', 'isolated:read'],
    ['isolated world: read rows', 'isolated:rows'],
    ['main world: deliver', 'main:deliver'],
    ['main world: read', 'main:read'],
    ['main world: read rows', 'main:rows'],
    ...scripts.map(([name], k): [string, string] => [
      `isolated world: LiveProof's chat path (${name})`,
      `chat:${k}`,
    ]),
  ];
  const chosen =
    values.only === 'chat'
      ? variants.filter(([n]) => n === 'no observer' || n.includes('read rows') || n.includes('chat path'))
      : variants;
  const install = async (how: string | null) => {
    if (!how) return;
    const [where, what] = how.split(':') as [string, string];
    if (where === 'chat') await inIsolated(`__chatPath${what}(true)`);
    else if (where === 'main') await inMain(OBSERVER[what as keyof typeof OBSERVER]);
    else await inIsolated(OBSERVER[what as keyof typeof OBSERVER]);
  };
  const times = new Map<string, number[]>(chosen.map(([name]) => [name, []]));
  /** Per chat path, the messages shown and those it handed on. */
  const handedOn = new Map<string, { shown: number; handed: number }>();
  await page.evaluate(`__run(100, ${perTask})`);
  for (let r = 0; r < rounds; r++)
    for (const [name, how] of chosen) {
      await reset();
      await install(how);
      const profile = values['save-profile'] && r === rounds - 1;
      if (profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      times.get(name)!.push((await page.evaluate(`__run(${tasks}, ${perTask})`)) as number);
      if (profile) {
        const dir = values['save-profile']!;
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${name.replace(/[^\w]+/g, '-').replace(/^-|-$/g, '')}.cpuprofile`);
        writeFileSync(file, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      }
      if (how?.startsWith('chat:')) {
        const tally = handedOn.get(name) ?? { shown: 0, handed: 0 };
        tally.shown += shownPerRun;
        tally.handed += await reset();
        handedOn.set(name, tally);
      }
    }
  await reset();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const base = median(times.get('no observer')!);
  console.log(
    `MutationObserver on a recycling list of ${rows} rows, ${rounds} runs of ${shownPerRun} messages each (${perTask} a task), wall time, median:`,
  );
  console.log(`the page alone: ${((base * 1000) / shownPerRun).toFixed(2)} µs per message`);
  const width = Math.max(26, ...chosen.map(([n]) => n.length));
  console.log(`${'variant'.padEnd(width)} ms per run   µs per message above no observer`);
  for (const [name, xs] of times) {
    const tally = handedOn.get(name);
    console.log(
      `${name.padEnd(width)} ${median(xs).toFixed(1).padStart(10)}   ${(((median(xs) - base) * 1000) / shownPerRun).toFixed(2).padStart(8)}` +
        (tally ? `   (handed on ${tally.handed} of ${tally.shown} messages)` : ''),
    );
  }
} finally {
  await browser.close();
}
