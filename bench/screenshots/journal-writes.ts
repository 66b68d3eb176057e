/**
 * How often the screenshot trigger journal (background/screenshot-journal.ts) is written to
 * `storage.local` in real Chromium: 250 "save this moment" triggers at 50/s, then a bot's 30 pushes
 * at 5/s (each found by block-tier rules: detection triggers, most of them held back). Writes are
 * counted by `storage.onChanged` in an extension page.
 *
 *   npx tsx bench/screenshots/journal-writes.ts
 */
import { ensureBuilt } from '../../src/cli/build';
import { launchWithExtension } from '../../src/cli/chromium';
import { startDemoServer } from '../../src/cli/demo-server';
import { openExtensionWindow, startPreserving, tabIdOf } from '../../src/cli/automation';
import { PROTOCOL_VERSION } from '../../src/core/protocol';

ensureBuilt(() => undefined);
const demo = await startDemoServer();
const b = await launchWithExtension({ locale: 'zh-CN' });
try {
  const control = await openExtensionWindow(b, 'src/locker/index.html');
  await control.evaluate(() => {
    const w = window as unknown as { writes: number };
    w.writes = 0;
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && 'liveproof/screenshot-triggers' in changes) w.writes++;
    });
  });
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  await page.goto(demo.roomUrl({ rate: 1, pushers: 0, products: 3_600_000, seed: 5, autostart: 0 }));
  const tabId = await tabIdOf(b, page);
  await startPreserving(b, tabId);
  await page.bringToFront();
  await page.waitForTimeout(2000);
  const writes = () => control.evaluate(() => (window as unknown as { writes: number }).writes);

  // 250 "save this moment" triggers at 50/s (the screenshot bench's r50).
  let before = await writes();
  await control.evaluate(
    async ({ tab, v }) => {
      const all: Promise<unknown>[] = [];
      for (let i = 0; i < 250; i++) {
        all.push(
          chrome.runtime.sendMessage({ v, name: 'screenshot.take', req: { tabId: tab, note: `r50#${i}` } }),
        );
        await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all(all);
    },
    { tab: tabId, v: PROTOCOL_VERSION },
  );
  await page.waitForTimeout(1500);
  console.log(`r50: 250 triggers, ${(await writes()) - before} journal writes`);

  // A bot: 30 pushes, 5 a second (each found by two block-tier rules: 60 detection triggers, most held).
  await page.waitForTimeout(11_000);
  before = await writes();
  for (let i = 0; i < 30; i++) {
    await page.evaluate(
      (t) =>
        (window as unknown as { __demo: { say(m: object): void } }).__demo.say({
          author: '福利小助手',
          text: t,
        }),
      `加我威信 bot_${100 + i} 私下给你便宜`,
    );
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(12_000);
  console.log(`bot: 30 pushes at 5/s, ${(await writes()) - before} journal writes`);
} finally {
  await b.close();
  await demo.close();
}
