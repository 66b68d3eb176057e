/**
 * The disk running out, for real: the browser's profile lives on a small tmpfs, and a file filling it
 * leaves less than the extension's floor free. Preservation stops cleanly, the popup and the page
 * say so and why, nothing kept before is damaged, and capture resumes when the file is deleted —
 * by the popup's "try again" and by itself. Mounting needs root (as in CI); see docs/storage.md for
 * why this beats a quota override or an injected error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openPopup, readPopup, startPreserving, tabIdOf } from '../../src/cli/automation';
import { DEFAULT_FLOOR_BYTES } from '../../src/background/storage-guard';
import { ARTIFACTS, bannerText, chatOf, launch, openPackage, seriousA11yViolations } from './harness';

type DemoWindow = { __demo: { say(m: { author: string; text: string }): void } };

const MB = 1024 * 1024;
let mount: string;
let demo: DemoServer;
let b: ExtensionBrowser;

function run(cmd: string, args: string[]) {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const [bin, ...rest] = [...sudo, cmd, ...args];
  execFileSync(bin!, rest, { stdio: 'pipe' });
}

const free = () => {
  const s = statfsSync(mount);
  return s.bavail * s.bsize;
};
const filler = () => join(mount, 'filler');
/** Fills the disk until `leave` bytes are free. */
function fillLeaving(leave: number) {
  execFileSync('fallocate', ['-l', String(Math.max(0, free() - leave)), filler()]);
}

beforeAll(async () => {
  mount = mkdtempSync(join(tmpdir(), 'liveproof-small-disk-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', mount]);
  } catch (err) {
    throw new Error(
      `this test mounts a 256 MB tmpfs for the browser profile and needs root (or sudo without a password): ${String(err)}`,
      { cause: err },
    );
  }
  demo = await startDemoServer();
  b = await launch({ locale: 'zh-CN', profileParent: mount });
  await b.worker.evaluate(() => chrome.storage.local.set({ settings: { version: 1, language: 'zh_CN' } }));
});
afterAll(async () => {
  await b?.close();
  await demo?.close();
  try {
    run('umount', [mount]);
  } catch {
    // not mounted
  }
  rmSync(mount, { recursive: true, force: true });
});

const say = (page: Page, text: string) =>
  page.evaluate((t) => (window as unknown as DemoWindow).__demo.say({ author: '测试员', text: t }), text);

describe('when the disk runs out', () => {
  it('stops cleanly, says why in the popup and on the page, and resumes with nothing lost', async () => {
    const room = b.context.pages()[0] ?? (await b.context.newPage());
    await room.goto(demo.roomUrl({ rate: 3, seed: 21 }));
    const tabId = await tabIdOf(b, room);
    const sessionId = await startPreserving(b, tabId);
    await room.bringToFront();
    await say(room, '磁盘满之前-1');

    const popup = await openPopup(b, tabId);
    await expect.poll(async () => (await readPopup(popup)).chat, { timeout: 20_000 }).toBeGreaterThan(3);

    // Less than the floor left: the next look at the free space stops sealing.
    fillLeaving(DEFAULT_FLOOR_BYTES / 2);
    await popup.locator('.status[data-state="storage-full"]').waitFor({ timeout: 20_000 });
    const status = (await popup.locator('.status').textContent()) ?? '';
    expect(status).toContain('已停止保全：存储空间不足');
    expect(status).toContain('电脑磁盘空间快用完了');
    expect(status).toContain('已保存的内容完好无损');
    expect(await popup.getByRole('button', { name: '保存此刻' }).count()).toBe(0);
    expect(await seriousA11yViolations(popup)).toEqual([]);
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-zh-storage-full.png') });

    await expect.poll(() => bannerText(b, room), { timeout: 15_000 }).toContain('LiveProof 已停止保全');
    expect(await bannerText(b, room)).toContain('空间足够后会自动继续');
    await room.screenshot({ path: join(ARTIFACTS, 'banner-zh-storage-full.png') });

    // What the page says meanwhile is not sealed now, but not lost either.
    const frozen = (await readPopup(popup)).chat;
    for (let i = 1; i <= 3; i++) await say(room, `磁盘满期间-${i}`);
    await popup.waitForTimeout(3000);
    expect((await readPopup(popup)).chat).toBe(frozen);

    // "Try again" while it is still full says how much is missing.
    await popup.getByRole('button', { name: '我已腾出空间，重试' }).click();
    await expect.poll(() => popup.getByRole('status').textContent()).toContain('空间仍然不够');
    await popup.locator('.status[data-state="storage-full"]').waitFor();

    // Space freed, "try again": sealing goes on and what waited in the page is kept.
    rmSync(filler());
    await popup.getByRole('button', { name: '我已腾出空间，重试' }).click();
    await popup.locator('.status[data-state="preserving"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => popup.getByRole('status').textContent()).toContain('保全已继续');
    await expect.poll(() => bannerText(b, room), { timeout: 15_000 }).toContain('LiveProof 已继续保全');
    await expect
      .poll(async () => (await readPopup(popup)).chat, { timeout: 15_000 })
      .toBeGreaterThan(frozen + 2);

    // Full again, and this time freed without a click: the timer finds the room by itself.
    fillLeaving(DEFAULT_FLOOR_BYTES / 2);
    await popup.locator('.status[data-state="storage-full"]').waitFor({ timeout: 20_000 });
    await say(room, '第二次满盘期间-1');
    rmSync(filler());
    await popup.locator('.status[data-state="preserving"]').waitFor({ timeout: 30_000 });
    await say(room, '空间恢复之后-1');
    await popup.waitForTimeout(2000);
    await popup.close();

    const file = join(ARTIFACTS, 'storage-full.zip');
    await exportFromLocker(b, [sessionId], file);
    const pkg = await openPackage(file);
    expect(pkg.report.problems).toEqual([]);
    expect(pkg.report.ok).toBe(true);
    const events = pkg.sessions.get(sessionId)!;
    const texts = chatOf(events).map((m) => m.text);
    for (const t of [
      '磁盘满之前-1',
      '磁盘满期间-1',
      '磁盘满期间-2',
      '磁盘满期间-3',
      '第二次满盘期间-1',
      '空间恢复之后-1',
    ])
      expect(
        texts.filter((x) => x === t),
        t,
      ).toHaveLength(1);

    // Each stop is in the chain: a pause for lack of space, then a resume naming when it began, and
    // what the page said meanwhile sealed after the resume.
    const pauses = events.filter((e) => e.type === 'pause');
    const resumes = events.filter((e) => e.type === 'resume');
    expect(pauses.map((e) => e.data)).toEqual([{ cause: 'storage-full' }, { cause: 'storage-full' }]);
    expect(resumes.map((e) => e.data)).toEqual([
      { cause: 'storage-full', since: pauses[0]!.time },
      { cause: 'storage-full', since: pauses[1]!.time },
    ]);
    const during = events.find((e) => e.type === 'chat' && e.data.text === '磁盘满期间-1')!;
    expect(during.seq).toBeGreaterThan(resumes[0]!.seq);
    for (const [i, p] of pauses.entries()) {
      const between = events.filter((e) => e.seq > p.seq && e.seq < resumes[i]!.seq);
      expect(between.filter((e) => e.type === 'chat' || e.type === 'screenshot')).toEqual([]);
    }
    expect(free()).toBeGreaterThan(100 * MB);
  });
});
