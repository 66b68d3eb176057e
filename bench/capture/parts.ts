/**
 * What each part of the content script's once-a-second look costs, timed inside the real
 * extension's isolated world while it preserves the demo room (recycle list, 200 msg/s): an
 * unminified build is loaded, and each part is called `--calls` times in a row through CDP in the
 * content script's own world (`globalThis.__liveproofContent`), so the figures include the
 * isolated world's price for every DOM read. Prints µs per call, one column per round.
 *
 *   npx tsx bench/capture/parts.ts [--rounds 3] [--calls 200]
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startPreserving, tabIdOf } from '../../src/cli/automation';
import { startDemoServer } from '../../src/cli/demo-server';
import { launchWith } from './browser';
import { buildUnminified } from './profile';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, calls: { type: 'string', default: '200' } },
});
const rounds = Math.max(1, Number(values.rounds));
const calls = Math.max(1, Number(values.calls));

/** Each part, as an expression over `c` (the content script's instance). */
const PARTS: [string, string][] = [
  ['location.href', 'location.href'],
  ['checkRoom (address, room key)', 'c.checkRoom()'],
  ['readProducts (adapter)', 'c.adapter.readProducts(document)'],
  ['products.update (read + compare)', 'c.products.update(c.adapter.readProducts(document), Date.now())'],
  ['readRoom (adapter)', 'c.adapter.readRoom(document, location.href)'],
  ['pageState (every 3rd look)', 'c.adapter.pageState(document, c.locator.element)'],
  ['locate (chat list still there)', 'c.locator.locate()'],
  ['readFacts (cards and room)', '(c.pageState && (c.pageState.age = 0), c.readFacts())'],
];

type Cdp = { send(method: string, params?: object): Promise<unknown> };

const dir = await buildUnminified();
const demo = await startDemoServer();
const b = await launchWith(dir);
try {
  const page = await b.context.newPage();
  await page.goto(
    demo.roomUrl({ autostart: 0, list: 'recycle', rate: 200, count: 200_000, seed: 1, keep: 30 }),
  );
  await startPreserving(b, await tabIdOf(b, page));
  await page.bringToFront();
  await page.evaluate(() => (window as unknown as { __demo: { start(): void } }).__demo.start());
  await page.waitForTimeout(3000);
  const cdp = (await b.context.newCDPSession(page)) as unknown as Cdp & {
    on(
      e: string,
      f: (x: { context: { id: number; name: string; auxData?: { type?: string } } }) => void,
    ): void;
  };
  const worlds: { id: number; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
  await cdp.send('Runtime.enable');
  await page.waitForTimeout(300);
  const world = worlds.find((w) => w.auxData?.type === 'isolated' && w.name.startsWith('LiveProof'));
  if (!world) throw new Error('the content script’s world was not found');
  const time = async (expr: string): Promise<number> => {
    const expression = `(() => { const c = globalThis.__liveproofContent; const t0 = performance.now();
      for (let i = 0; i < ${calls}; i++) (${expr}); return ((performance.now() - t0) * 1000) / ${calls}; })()`;
    const r = (await cdp.send('Runtime.evaluate', {
      expression,
      contextId: world.id,
      returnByValue: true,
    })) as {
      result?: { value?: number };
      exceptionDetails?: { exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? 'evaluation failed');
    return r.result!.value!;
  };
  const rows = new Map<string, number[]>(PARTS.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) for (const [name, expr] of PARTS) rows.get(name)!.push(await time(expr));
  console.log(
    `The once-a-second look, part by part, in the content script's world (µs per call, ${calls} calls a round):`,
  );
  for (const [name, xs] of rows)
    console.log(`${name.padEnd(34)} ${xs.map((x) => x.toFixed(1).padStart(7)).join(' ')}`);
} finally {
  await b.close();
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
}
