/**
 * The capture engine in real Chromium: virtualised lists at high rates, a chat list without any
 * hint, product price changes and the keyboard command, and the off-platform warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow, startPreserving, tabIdOf } from '../../src/cli/automation';
import {
  ARTIFACTS,
  bannerText,
  chatOf,
  emitted,
  exportSession,
  launch,
  openPackage,
  preserveRoom,
  startVirtualDisplay,
  storedEvents,
  waitForChatCount,
} from './harness';
import { PROTOCOL_VERSION } from '../../src/core/protocol';

let demo: DemoServer;
let b: ExtensionBrowser;

beforeAll(async () => {
  demo = await startDemoServer();
  b = await launch();
});
afterAll(async () => {
  await b?.close();
  await demo?.close();
});

type DemoWindow = {
  __demo: {
    done: boolean;
    start(): void;
    say(m: { author: string; text: string; kind?: string }): void;
    productChanges: number;
  };
};

describe('virtualised chat lists', () => {
  it('a recycling list at 200 messages/s for 60 s: every message kept once, in order', async () => {
    const { page, tabId, sessionId } = await preserveRoom(b, demo, {
      list: 'recycle',
      rate: 200,
      count: 12_000,
      seed: 11,
    });
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.done, null, {
      timeout: 90_000,
    });
    const shown = await emitted(page);
    expect(shown).toHaveLength(12_000);
    await waitForChatCount(b, tabId, shown.length, 60_000);
    const events = await exportSession(b, sessionId, 'recycle-200.zip');
    expect(chatOf(events)).toEqual(shown);
    await page.close();
  });

  it('a list whose rows stay put while every row’s text moves up: every message kept once', async () => {
    const { page, tabId, sessionId } = await preserveRoom(b, demo, {
      list: 'shift',
      rate: 50,
      count: 1000,
      seed: 12,
    });
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.done, null, {
      timeout: 60_000,
    });
    const shown = await emitted(page);
    await waitForChatCount(b, tabId, shown.length);
    await page.waitForTimeout(1500); // a duplicate would arrive after the count was reached
    const events = await exportSession(b, sessionId, 'shift-50.zip');
    expect(chatOf(events)).toEqual(shown);
    await page.close();
  });
});

describe('a chat list without any hint', () => {
  it('is found by its growth and kept from then on', async () => {
    const { page, tabId, sessionId } = await preserveRoom(b, demo, {
      bare: 1,
      rate: 10,
      count: 80,
      seed: 13,
    });
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.done, null, {
      timeout: 30_000,
    });
    const shown = await emitted(page);
    // The list is recognised after it has grown a few rows; those rows are read as backlog.
    await waitForChatCount(b, tabId, shown.length);
    const events = await exportSession(b, sessionId, 'bare.zip');
    // Without the 主播 badge the host's messages cannot be told from the others: words and names only.
    const said = (m: { author: string; text: string }) => ({ author: m.author, text: m.text });
    expect(chatOf(events).map(said)).toEqual(shown.map(said));
    await page.close();
  });
});

describe('product cards and screenshots', () => {
  it('a price change is sealed as a product event and photographed', async () => {
    const { page, sessionId } = await preserveRoom(b, demo, { rate: 2, seed: 14 });
    await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
    // The demo turns the card into the "¥1 with ¥99 shipping" trap after 8 s.
    await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.productChanges >= 1, null, {
      timeout: 20_000,
    });
    await page.waitForTimeout(2500);
    const events = await exportSession(b, sessionId, 'price-change.zip');
    const products = events.filter((e) => e.type === 'product');
    expect(products[0]!.data).toMatchObject({
      state: 'shown',
      price: '¥99',
      shipping: '包邮',
      featured: true,
    });
    const change = products.find((e) => e.data.state === 'changed' && e.data.price === '¥1')!;
    expect(change.data).toMatchObject({
      shipping: '运费 ¥99',
      changed: expect.arrayContaining(['price', 'shipping']),
    });
    const shots = events.filter((e) => e.type === 'screenshot');
    const covers = (e: (typeof shots)[number]) => [
      { reason: e.data.reason, source: e.data.source },
      ...((e.data.alsoCovers as { reason: string; source?: number }[] | undefined) ?? []),
    ];
    expect(shots.flatMap(covers)).toContainEqual({ reason: 'product', source: change.seq });
    const room = events.find((e) => e.type === 'room')!;
    expect(room.data).toMatchObject({ anchorName: '小美优选', roomId: '880123456', state: 'live' });
    await page.close();
  });

  it('a picture Chrome’s quota refuses at first is taken a moment later, not recorded as missed', async () => {
    // A quiet room: no product changes and no warnings ask for pictures of their own meanwhile.
    const { page, tabId, sessionId } = await preserveRoom(b, demo, {
      rate: 1,
      seed: 17,
      pushers: 0,
      products: 3_600_000,
    });
    await page.waitForTimeout(1500); // the start picture, then Chrome's window of one second
    const control = await openExtensionWindow(b, 'src/locker/index.html');
    // Three captures from the service worker (the quota is counted there, where LiveProof takes its
    // pictures; an extension page's captures are not) spend Chrome's current one-second window…
    const spent = await b.worker.evaluate(async (tab) => {
      const { windowId } = await chrome.tabs.get(tab);
      const at = Date.now();
      const all = await Promise.allSettled(
        [0, 1, 2].map(() => chrome.tabs.captureVisibleTab(windowId, { format: 'png' })),
      );
      return { at, refused: all.map((r) => (r.status === 'rejected' ? String(r.reason) : '')).join(' ') };
    }, tabId);
    // …so the user's "save this moment", asked for inside that window, is refused at first.
    const reply = await control.evaluate(
      async ({ tab, v, at }) => {
        await new Promise((r) => setTimeout(r, Math.max(0, at + 600 - Date.now())));
        return (await chrome.runtime.sendMessage({
          v,
          name: 'screenshot.take',
          req: { tabId: tab, note: '主播说假一赔十' },
        })) as { ok: boolean; data?: { seq: number }; error?: { code: string } };
      },
      { tab: tabId, v: PROTOCOL_VERSION, at: spent.at },
    );
    await control.close();
    // The quota was spent: the third capture inside the window was refused.
    expect(spent.refused).toContain('MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND');
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    const events = await storedEvents(b, sessionId);
    expect(events.filter((e) => e.type === 'screenshot-missed')).toEqual([]);
    expect(events.find((e) => e.seq === reply.data!.seq)).toMatchObject({
      type: 'screenshot',
      data: { reason: 'manual', note: '主播说假一赔十' },
    });
    await page.close();
  });

  it('the keyboard command Alt+Shift+S saves a screenshot', async () => {
    // A real key press into a headed browser on a virtual display: headless Chromium has no window
    // to handle extension commands.
    const x = await startVirtualDisplay();
    const headed = await launch({ headless: false, env: x.env });
    try {
      const page = headed.context.pages()[0] ?? (await headed.context.newPage());
      await page.goto(demo.roomUrl({ rate: 2, seed: 15 }));
      const sessionId = await startPreserving(headed, await tabIdOf(headed, page));
      await page.bringToFront();
      await page.waitForTimeout(1500); // the start screenshot, then Chrome's rate limit
      x.press('alt+shift+s');
      await page.waitForTimeout(2000);
      const out = join(ARTIFACTS, 'command.zip');
      await exportFromLocker(headed, [sessionId], out);
      const pkg = await openPackage(out);
      expect(pkg.report.ok).toBe(true);
      const reasons = pkg.sessions
        .get(sessionId)!
        .filter((e) => e.type === 'screenshot')
        .flatMap((e) => [
          e.data.reason,
          ...((e.data.alsoCovers as { reason: string }[] | undefined) ?? []).map((c) => c.reason),
        ]);
      expect(reasons).toContain('command');
    } finally {
      await headed.close();
      x.close();
    }
  });
});

describe('the off-platform warning', () => {
  it('shows the banner, counts it on the badge, and keeps the detection with its chat event and a picture', async () => {
    const { page, tabId, sessionId } = await preserveRoom(b, demo, { rate: 1, seed: 16 });
    await page.evaluate(() =>
      (window as unknown as DemoWindow).__demo.say({
        author: '福利小助手',
        text: '喜欢的加我威信 meimei_2025 直接给你发货',
      }),
    );
    await expect.poll(() => bannerText(b, page), { timeout: 10_000 }).toContain('meimei_2025');
    const text = await bannerText(b, page);
    expect(text).toContain('福利小助手');
    expect(text).toContain('不要在平台外付款');
    await page.screenshot({ path: join(ARTIFACTS, 'warning-banner-zh.png') });

    const control = await openExtensionWindow(b, 'src/locker/index.html');
    await expect
      .poll(() => control.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId))
      .toBe('1');
    await control.close();
    await page.waitForTimeout(1500);

    const events = await exportSession(b, sessionId, 'warning.zip');
    const chat = events.find((e) => e.type === 'chat' && String(e.data.text).includes('meimei_2025'))!;
    const detection = events.find((e) => e.type === 'detection' && e.data.category === 'off-platform')!;
    expect(detection.data).toMatchObject({ tier: 'block', source: chat.seq, author: '福利小助手' });
    expect(String(detection.data.text)).toContain('meimei_2025');
    const shots = events.filter((e) => e.type === 'screenshot');
    expect(
      shots.some(
        (e) =>
          (e.data.reason === 'detection' && e.data.source === detection.seq) ||
          ((e.data.alsoCovers as { source?: number }[] | undefined) ?? []).some(
            (c) => c.source === detection.seq,
          ),
      ),
    ).toBe(true);
    await page.close();
  });

  it('pushes seconds apart share one later picture instead of a picture each, and every push is named by one', async () => {
    const { page, sessionId } = await preserveRoom(b, demo, { rate: 1, seed: 18 });
    const say = (text: string) =>
      page.evaluate(
        (t) => (window as unknown as DemoWindow).__demo.say({ author: '福利小助手', text: t }),
        text,
      );
    for (const id of ['mm_001', 'mm_002', 'mm_003']) {
      await say(`加我威信 ${id} 私下给你便宜`);
      await page.waitForTimeout(1200);
    }
    // The second and third wait for the first picture's 10 s to pass (DETECTION_GAP_MS).
    await page.waitForTimeout(11_000);

    const events = await exportSession(b, sessionId, 'paced.zip');
    // Each push is found by more than one rule (the contact, the deal away from the platform).
    const pushes = events.filter((e) => e.type === 'detection' && e.data.category === 'off-platform');
    for (const id of ['mm_001', 'mm_002', 'mm_003'])
      expect(pushes.some((d) => String(d.data.text).includes(id))).toBe(true);
    const named = (e: (typeof events)[number]) => [
      ...(e.data.reason === 'detection' ? [e.data.source] : []),
      ...((e.data.alsoCovers as { reason: string; source?: number }[] | undefined) ?? [])
        .filter((c) => c.reason === 'detection')
        .map((c) => c.source),
    ];
    const pushSeqs = new Set(pushes.map((d) => d.seq));
    const shots = events.filter(
      (e) => e.type === 'screenshot' && named(e).some((n) => pushSeqs.has(n as number)),
    );
    for (const d of pushes) expect(shots.filter((e) => named(e).includes(d.seq))).toHaveLength(1);
    // One picture for the first push, one later for the two that came within its 10 s (taken at the
    // 10 s, or sooner with a picture the room's price change asked for).
    expect(shots).toHaveLength(2);
    await page.close();
  });

  it('keeps the keyboard on its button while more warnings come in, so Enter still dismisses it', async () => {
    const { page } = await preserveRoom(b, demo, { rate: 1, seed: 17 });
    const say = (text: string) =>
      page.evaluate(
        (t) => (window as unknown as DemoWindow).__demo.say({ author: '福利小助手', text: t }),
        text,
      );
    await say('加我威信 first_0001 私下发货');
    await expect.poll(() => bannerText(b, page), { timeout: 10_000 }).toContain('first_0001');
    // The card is the last thing on the page: Shift+Tab from the page reaches its button.
    await page.keyboard.press('Shift+Tab');
    const focused = () => page.evaluate(() => document.activeElement?.localName ?? null);
    expect(await focused()).toBe('liveproof-warning');
    for (let i = 1; i <= 3; i++) await say(`加我威信 more_000${i} 私下发货`);
    await expect.poll(() => bannerText(b, page), { timeout: 10_000 }).toContain('more_0003');
    expect(await focused()).toBe('liveproof-warning');
    await page.keyboard.press('Enter');
    await expect.poll(() => bannerText(b, page), { timeout: 5_000 }).toBe('');
    await page.close();
  });
});
