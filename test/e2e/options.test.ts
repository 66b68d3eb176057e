/** The options page and the first-run page, in real Chromium, in both languages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { openExtensionWindow } from '../../src/cli/automation';
import { ARTIFACTS, launch, seriousA11yViolations } from './harness';

const stored = (page: Page) =>
  page.evaluate(
    async () => (await chrome.storage.local.get('settings')).settings as Record<string, unknown> | undefined,
  );

describe('the options page, in Chinese', () => {
  let b: ExtensionBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await launch({ locale: 'zh-CN' });
    page = await openExtensionWindow(b, 'src/options/index.html');
    await page.getByRole('heading', { name: 'LiveProof 设置' }).waitFor();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('shows every setting with its default, and has no serious accessibility problem', async () => {
    for (const name of ['抖音直播', '快手直播', '淘宝直播', 'TikTok 直播', 'YouTube 直播', '哔哩哔哩直播'])
      expect(await page.getByRole('checkbox', { name }).isChecked()).toBe(true);
    expect(await page.locator('select[name="screenshot-interval"]').inputValue()).toBe('60');
    expect(await page.locator('input[name="retention-days"]').inputValue()).toBe('30');
    expect(await page.getByRole('list', { name: '时间戳机构' }).textContent()).toContain('FreeTSA');
    expect(await page.getByRole('radio', { name: '其他观众留下的联系方式（推荐）' }).isChecked()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'options-zh.png'), fullPage: true });
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('saves each change at once', async () => {
    await page.getByRole('checkbox', { name: '抖音直播' }).uncheck();
    await page.locator('select[name="screenshot-interval"]').selectOption('300');
    await page.locator('input[name="retention-days"]').fill('90');
    await page.locator('input[name="retention-days"]').blur();
    await expect
      .poll(() => stored(page))
      .toMatchObject({
        platforms: { douyin: false, bilibili: true },
        screenshotIntervalSec: 300,
        retentionDays: 90,
      });
    await expect.poll(() => page.getByRole('status').textContent()).toContain('已保存');
  });

  it('adds and removes a time-stamping authority, and refuses an address that is not one', async () => {
    await page.locator('input[name="tsa-name"]').fill('坏地址');
    await page.locator('input[name="tsa-url"]').fill('ftp://x');
    await page.getByRole('button', { name: '添加机构' }).click();
    // The browser's own check or ours: nothing is added.
    expect(((await stored(page))?.timestamps as { authorities: unknown[] }).authorities).toHaveLength(2);

    await page.locator('input[name="tsa-name"]').fill('中国某时间戳中心');
    await page.locator('input[name="tsa-url"]').fill('https://tsa.example.cn/tsa');
    await page.getByRole('button', { name: '添加机构' }).click();
    await expect
      .poll(async () =>
        ((await stored(page))?.timestamps as { authorities: { name: string }[] }).authorities.map(
          (a) => a.name,
        ),
      )
      .toEqual(['FreeTSA', 'DigiCert', '中国某时间戳中心']);
    await page.getByRole('button', { name: '移除 DigiCert' }).click();
    await expect
      .poll(async () =>
        ((await stored(page))?.timestamps as { authorities: { name: string }[] }).authorities.map(
          (a) => a.name,
        ),
      )
      .toEqual(['FreeTSA', '中国某时间戳中心']);
  });

  it('exports the settings to a file and imports them back; a file that is not one changes nothing', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出设置' }).click(),
    ]);
    const file = join(ARTIFACTS, 'liveproof-settings.json');
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(exported).toMatchObject({ liveproofSettings: 1, retentionDays: 90, screenshotIntervalSec: 300 });

    const broken = join(ARTIFACTS, 'not-settings.json');
    writeFileSync(broken, '{"hello": "world"}');
    await page.locator('input[type="file"]').setInputFiles(broken);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('这不是 LiveProof 的设置文件');
    expect(await stored(page)).toMatchObject({ retentionDays: 90 });

    await page.getByRole('button', { name: '恢复默认设置' }).click();
    await expect.poll(() => stored(page)).toMatchObject({ retentionDays: 30 });
    await page.locator('input[type="file"]').setInputFiles(file);
    await expect.poll(() => stored(page)).toMatchObject({ retentionDays: 90, screenshotIntervalSec: 300 });
  });

  it('switches the page to English at once when English is chosen', async () => {
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('heading', { name: 'LiveProof settings' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Douyin Live' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'options-en.png'), fullPage: true });
  });

  it('can be used with the keyboard alone', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'LiveProof settings' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe(
      'platform-douyin',
    );
    await page.keyboard.press('Space');
    await expect.poll(() => stored(page)).toMatchObject({ platforms: { douyin: true } });
  });
});

describe('the first-run page', () => {
  it.each([
    ['zh-CN', '欢迎使用 LiveProof', '允许长期保存', 'welcome-zh.png'],
    ['en-US', 'Welcome to LiveProof', 'Allow lasting storage', 'welcome-en.png'],
  ])(
    'opens once after install (%s), explains where data goes, and asks for lasting storage',
    async (locale, title, ask, shot) => {
      const b = await launch({ locale, keepWelcome: true });
      try {
        const welcome =
          b.context.pages().find((p) => p.url().includes('/src/welcome/')) ??
          (await b.context.waitForEvent('page', {
            predicate: (p) => p.url().includes('/src/welcome/'),
            timeout: 10_000,
          }));
        await welcome.getByRole('heading', { name: title }).waitFor();
        expect(await welcome.textContent('body')).toContain(
          locale === 'en-US' ? 'never uploaded' : '不会上传',
        );
        await welcome.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
        expect(await seriousA11yViolations(welcome)).toEqual([]);
        await welcome.getByRole('button', { name: ask }).click();
        // Chromium decides by its own rules; the page says what it decided either way.
        await expect.poll(() => welcome.getByRole('status').first().textContent()).not.toBe('');
      } finally {
        await b.close();
      }
    },
  );
});
