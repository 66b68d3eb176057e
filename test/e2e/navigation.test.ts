/**
 * A single-page site moving to another room (history.pushState, no page load) in real Chromium: the
 * first room's session ends as `navigated`, and a new session keeps what the new room shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openPopup, readPopup, startPreserving, tabIdOf } from '../../src/cli/automation';
import { ARTIFACTS, chatOf, emitted, launch, openPackage, waitForChatCount } from './harness';

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

type DemoWindow = { __demo: { emitNow(k: number): number; navigate(path: string): void } };

const emitNow = (page: Page, k: number) =>
  page.evaluate((n) => (window as unknown as DemoWindow).__demo.emitNow(n), k);

describe('single-page navigation to another room', () => {
  it('ends the first session as navigated and keeps the new room’s chat in a new session', async () => {
    const page = await b.context.newPage();
    await page.goto(demo.roomUrl({ autostart: 0, seed: 31 }));
    const tabId = await tabIdOf(b, page);
    const first = await startPreserving(b, tabId);
    await page.bringToFront();

    await emitNow(page, 6);
    await waitForChatCount(b, tabId, 6);
    const inFirstRoom = await emitted(page);

    // Move to another room, and chat there at once: the messages belong to the new room even
    // before the once-a-second look at the address notices the move.
    await page.evaluate(() => {
      const demo = (window as unknown as DemoWindow).__demo;
      demo.navigate('/live/990654321');
      demo.emitNow(3);
    });
    const popup = await openPopup(b, tabId);
    const newSession = async () => {
      const { sessionId } = await readPopup(popup);
      return sessionId && sessionId !== first ? sessionId : null;
    };
    await expect.poll(newSession, { timeout: 15_000 }).not.toBeNull();
    const second = (await newSession())!;
    await popup.close();
    await emitNow(page, 4);
    await waitForChatCount(b, tabId, 7);
    const inSecondRoom = (await emitted(page)).slice(inFirstRoom.length);
    expect(inSecondRoom).toHaveLength(7);

    const out = join(ARTIFACTS, 'spa-navigation.zip');
    await exportFromLocker(b, [first, second], out);
    const pkg = await openPackage(out);
    expect(pkg.report.ok, JSON.stringify(pkg.report.problems)).toBe(true);

    const one = pkg.sessions.get(first)!;
    expect(chatOf(one)).toEqual(inFirstRoom);
    expect(one.at(-1)).toMatchObject({ type: 'session-end', data: { cause: 'navigated' } });
    expect(one.find((e) => e.type === 'page')!.data.url).toMatch(/\/live\/880123456\?/);

    const two = pkg.sessions.get(second)!;
    expect(chatOf(two)).toEqual(inSecondRoom);
    const pageEvent = two.find((e) => e.type === 'page')!;
    expect(pageEvent.data.url).toMatch(/\/live\/990654321$/);
    expect(two.find((e) => e.type === 'room')!.data).toMatchObject({ roomId: '990654321' });
    expect(two.some((e) => e.type === 'session-end')).toBe(false);
    await page.close();
  });
});
