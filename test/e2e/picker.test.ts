/**
 * Finding the chat on a site nobody wrote an adapter for, in real Chromium: a chat inside a shadow
 * root, inside a same-origin frame, a virtualised list without hints whose rows are rewritten in
 * place, and one that nothing finds until the user points at it in the popup — remembered for the
 * site, so that a reload finds it again without pointing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { openPopup } from '../../src/cli/automation';
import {
  ARTIFACTS,
  chatOf,
  emitted,
  exportSession,
  launch,
  preserveRoom,
  waitForChatCount,
  type DemoMessage,
} from './harness';

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
  __demo: { done: boolean; start(): void; emitNow(k: number): number; emitted: DemoMessage[] };
};

/** Streams the whole room and waits until the page has shown every message. */
async function streamToTheEnd(page: Page): Promise<DemoMessage[]> {
  await page.evaluate(() => (window as unknown as DemoWindow).__demo.start());
  await page.waitForFunction(() => (window as unknown as DemoWindow).__demo.done, null, { timeout: 60_000 });
  return emitted(page);
}

const emitNow = (page: Page, k: number) =>
  page.evaluate((n) => (window as unknown as DemoWindow).__demo.emitNow(n), k);

const chatListState = (popup: Page) =>
  popup.locator('[data-testid="chat-list"]').getAttribute('data-chat-list');

describe('a chat the page keeps out of its own document', () => {
  it('inside the open shadow root of a custom element: found and every message kept', async () => {
    const { page, tabId, sessionId } = await preserveRoom(b, demo, {
      chatIn: 'shadow',
      rate: 10,
      count: 60,
      seed: 21,
    });
    const popup = await openPopup(b, tabId);
    await expect.poll(() => chatListState(popup)).toBe('found');
    await popup.close();
    const shown = await streamToTheEnd(page);
    await waitForChatCount(b, tabId, shown.length);
    const events = await exportSession(b, sessionId, 'chat-in-shadow-root.zip');
    expect(chatOf(events)).toEqual(shown);
    await page.close();
  });

  it('inside a same-origin frame: found and every message kept', async () => {
    const { page, tabId, sessionId } = await preserveRoom(b, demo, {
      chatIn: 'frame',
      rate: 10,
      count: 60,
      seed: 22,
    });
    const popup = await openPopup(b, tabId);
    await expect.poll(() => chatListState(popup)).toBe('found');
    await popup.close();
    const shown = await streamToTheEnd(page);
    await waitForChatCount(b, tabId, shown.length);
    const events = await exportSession(b, sessionId, 'chat-in-frame.zip');
    expect(chatOf(events)).toEqual(shown);
    await page.close();
  });

  it('a virtualised list without any hint, whose rows are rewritten in place: found, and kept from then on', async () => {
    // 30 rows already shown; from then on every message moves every row's text up by one.
    const { page, tabId, sessionId } = await preserveRoom(b, demo, {
      list: 'shift',
      bare: 1,
      keep: 30,
      burst: 30,
      rate: 10,
      count: 120,
      seed: 23,
    });
    const popup = await openPopup(b, tabId);
    await expect.poll(() => chatListState(popup)).toBe('searching');
    const shown = await streamToTheEnd(page);
    await expect.poll(() => chatListState(popup)).toBe('found');
    await popup.close();
    // Found after a few rewrites: what the rows showed then (backlog), then every message once.
    const said = (m: { author: string; text: string }) => `${m.author}：${m.text}`;
    await page.waitForTimeout(1500);
    const kept = chatOf(await exportSession(b, sessionId, 'rewritten-rows.zip')).map(said);
    expect(kept.length).toBeGreaterThan(shown.length - 30 - 10);
    expect(kept).toEqual(shown.slice(shown.length - kept.length).map(said));
    await page.close();
  });
});

describe('pointing at the chat area', () => {
  it('a chat nothing finds is kept once the user points at it, and found again on reload without pointing', async () => {
    // No hints, and no growth until the user has pointed: nothing can tell this list is the chat.
    const params = { bare: 1, burst: 12, seed: 24 };
    const { page, tabId, sessionId } = await preserveRoom(b, demo, params);
    const popup = await openPopup(b, tabId);
    await expect.poll(() => chatListState(popup)).toBe('searching');
    await expect
      .poll(() => popup.locator('[data-testid="pick-hint"]').textContent())
      .toContain('指出聊天区域');
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-zh-chat-not-found.png') });
    await popup.locator('[data-testid="pick-chat"]').click();
    await expect
      .poll(() => popup.getByRole('status').last().textContent())
      .toContain('请到页面上点击聊天区域');

    await page.bringToFront();
    const row = page.locator('aside.side li').nth(-3);
    await row.scrollIntoViewIfNeeded();
    const box = (await row.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'picker-overlay-zh.png') });
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);

    await expect.poll(() => chatListState(popup), { timeout: 10_000 }).toBe('picked');
    await emitNow(page, 5);
    await page.waitForTimeout(200);
    await emitNow(page, 5);
    await waitForChatCount(b, tabId, 22);
    const firstVisit = await emitted(page);
    expect(firstVisit).toHaveLength(22);
    await expect.poll(() => popup.locator('[data-testid="forget-pick"]').count()).toBe(1);

    // The same site again: the remembered area is used at once.
    await page.reload();
    await page.bringToFront();
    // The rows the page shows on load are read (as backlog) from the remembered area.
    await waitForChatCount(b, tabId, 22 + 12);
    await expect.poll(() => chatListState(popup)).toBe('picked');
    await emitNow(page, 5);
    await waitForChatCount(b, tabId, 22 + 12 + 5);
    const afterReload = await emitted(page);

    const events = await exportSession(b, sessionId, 'picked-chat.zip');
    const chat = chatOf(events);
    // Without hints the host's rows cannot be told from the others: names and words only.
    const said = (m: { author: string; text: string }) => `${m.author}：${m.text}`;
    expect(chat.map(said)).toEqual([...firstVisit, ...afterReload].map(said));
    // What each visit showed before it was read is marked as backlog: 12 rows each time.
    const backlog = events.filter((e) => e.type === 'chat').map((e) => e.data.backlog === true);
    expect(backlog).toEqual([22, 17].flatMap((n) => Array.from({ length: n }, (_, i) => i < 12)));

    // Forgetting it: the popup says so, and the page looks for the chat by itself again.
    await popup.locator('[data-testid="forget-pick"]').click();
    await expect
      .poll(() => popup.getByRole('status').last().textContent())
      .toContain('已忘记本网站指定的聊天区域');
    await expect.poll(() => chatListState(popup)).toBe('searching');
    await expect.poll(() => popup.locator('[data-testid="forget-pick"]').count()).toBe(0);
    await popup.close();
    await page.close();
  });
});
