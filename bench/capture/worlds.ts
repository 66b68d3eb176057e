/**
 * What a MutationObserver costs the page's main thread in the content script's isolated world and
 * in the page's own (main) world, on a recycling chat list: the page moves its top row to the
 * bottom and refills it, four messages a task, and the observer either only counts its records
 * ("deliver"), also reads each record's target, added and removed nodes as `ChatObserver.note`
 * does ("read"), or notes the rows added or rewritten and reads each of them the least way a chat
 * reader can, each child's class and text, in the same callback ("read rows": about the floor under
 * any content script that keeps every message, before it parses, dedupes or sends one). Wall time of 10,000 messages per run,
 * alternating variants; prints the medians.
 *
 *   npx tsx bench/capture/worlds.ts [--rounds 9] [--per-task 4]
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { findChromium } from '../../src/cli/chromium';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, 'per-task': { type: 'string', default: '4' } },
});
const rounds = Math.max(1, Number(values.rounds));
/** Messages the page shows per task (the demo room shows about one at 200 msg/s). */
const perTask = Math.max(1, Math.round(Number(values['per-task'])));
const tasks = Math.ceil(10_000 / perTask);

/** The page: a list of 30 rows of three spans; `__run(tasks, k)` shows `k` messages a task, one task after another. */
const PAGE = `<ul id="list"></ul><script>
const list = document.getElementById('list');
function fill(li, i) {
  const b = document.createElement('span'); b.className = 'user-badge'; b.textContent = 'Lv' + (i % 30);
  const n = document.createElement('span'); n.className = 'user-name'; n.textContent = 'viewer' + (i % 97) + '：';
  const t = document.createElement('span'); t.className = 'chat-text'; t.textContent = 'hello there, message ' + i;
  li.replaceChildren(b, n, t);
}
for (let i = 0; i < 30; i++) { const li = document.createElement('li'); fill(li, i); list.append(li); }
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
  const variants: [string, () => Promise<unknown>][] = [
    ['no observer', async () => (await inIsolated(OBSERVER.none), inMain(OBSERVER.none))],
    ['isolated world: deliver', async () => (await inMain(OBSERVER.none), inIsolated(OBSERVER.deliver))],
    ['isolated world: read', async () => (await inMain(OBSERVER.none), inIsolated(OBSERVER.read))],
    ['isolated world: read rows', async () => (await inMain(OBSERVER.none), inIsolated(OBSERVER.rows))],
    ['main world: deliver', async () => (await inIsolated(OBSERVER.none), inMain(OBSERVER.deliver))],
    ['main world: read', async () => (await inIsolated(OBSERVER.none), inMain(OBSERVER.read))],
    ['main world: read rows', async () => (await inIsolated(OBSERVER.none), inMain(OBSERVER.rows))],
  ];
  const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  await page.evaluate(`__run(100, ${perTask})`);
  for (let r = 0; r < rounds; r++)
    for (const [name, install] of variants) {
      await install();
      times.get(name)!.push((await page.evaluate(`__run(${tasks}, ${perTask})`)) as number);
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const base = median(times.get('no observer')!);
  console.log(
    `MutationObserver on a recycling list, ${rounds} runs of ${tasks * perTask} messages each (${perTask} a task), median:`,
  );
  console.log(`the page alone: ${((base * 1000) / (tasks * perTask)).toFixed(2)} µs per message`);
  console.log('variant                    ms per run   µs per message above no observer');
  for (const [name, xs] of times)
    console.log(
      `${name.padEnd(26)} ${median(xs).toFixed(1).padStart(10)}   ${(((median(xs) - base) * 1000) / (tasks * perTask)).toFixed(2).padStart(8)}`,
    );
} finally {
  await browser.close();
}
