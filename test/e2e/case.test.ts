/**
 * The complaint package end to end in real Chromium: preserve the demo stream, open the locker, look
 * at the session's timeline and mark a moment, build a case, attach receipts with the file input
 * (a broken one is refused with a clear message and loses nothing), fill the 12315 fields, export,
 * verify the package, and open its report.html from file:// (screenshot kept for a person to look at).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { openExtensionWindow, startPreserving, tabIdOf } from '../../src/cli/automation';
import { pickLang, translator, type Translate } from '../../src/core/i18n';
import { ARTIFACTS, launch, openPackage, seriousA11yViolations, solidPng, waitForChatCount } from './harness';

/** The locker's own language (the browser's, as Chromium reports it), for the texts the test expects. */
let t: Translate = translator('zh_CN');
let demo: DemoServer;
let b: ExtensionBrowser;
let sessionId = '';
let locker: Page;
const work = mkdtempSync(join(tmpdir(), 'liveproof-case-'));

/** A real PNG: an "order page" of one colour. */
const ORDER = solidPng(240, 120);

/** Errors the locker page threw, in the language being run. */
const lockerErrors: string[] = [];
/** Where a screenshot or package of the language being run is kept (English ones get `-en-US`). */
let artifact = (name: string) => join(ARTIFACTS, name);

/** How a button looks: its face (`grey` when it has no hue), text and border colour, and opacity. */
function buttonLook(button: Locator) {
  return button.evaluate((el) => {
    const s = getComputedStyle(el);
    const [r, g, b] = s.backgroundColor.match(/\d+/g)!.map(Number);
    return {
      face: r === g && g === b ? 'grey' : s.backgroundColor,
      text: s.color,
      border: s.borderTopColor,
      opacity: s.opacity,
    };
  });
}

beforeAll(async () => {
  demo = await startDemoServer();
});

afterAll(async () => {
  await demo?.close();
  rmSync(work, { recursive: true, force: true });
});

// Chinese first (the default), then English: a label or message that only breaks in one language
// (an accessible name that no longer contains the visible text, say) shows up.
describe.each(['zh-CN', 'en-US'])('the locker and the case builder in Chromium (%s)', (locale) => {
  // Its own browser in that language, with the demo room preserved and the locker open.
  beforeAll(async () => {
    const suffix = locale === 'zh-CN' ? '' : `-${locale}`;
    artifact = (name: string) => join(ARTIFACTS, name.replace(/(\.[a-z]+)$/, `${suffix}$1`));
    lockerErrors.length = 0;
    b = await launch({ locale });
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    await page.goto(demo.roomUrl({ rate: 8, seed: 11 }));
    const tabId = await tabIdOf(b, page);
    sessionId = await startPreserving(b, tabId);
    await page.bringToFront();
    await waitForChatCount(b, tabId, 40, 60_000);
    locker = await openExtensionWindow(b, 'src/locker/index.html');
    locker.on('pageerror', (e) => lockerErrors.push(e.message));
    await locker.locator('.key-panel').waitFor();
    t = translator(pickLang(await locker.evaluate(() => document.documentElement.lang)));
    expect(t('lockerBack')).toBe(translator(locale === 'zh-CN' ? 'zh_CN' : 'en')('lockerBack'));
  });

  afterAll(async () => {
    await b?.close();
  });

  it('lists the session with its counts, finds it by search, and shows its timeline with marks kept beside the originals', async () => {
    const row = locker.locator(`tr[data-session="${sessionId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('counts-detail').textContent()).toMatch(/\d/);
    // With nothing chosen both buttons are disabled and look it, the red one (export) too: the same
    // grey face as the plain one, no faded red that reads as a lighter button one can press.
    const exportButton = locker.getByTestId('export-selected');
    const newCase = locker.getByTestId('new-case');
    expect(await exportButton.isDisabled()).toBe(true);
    expect(await newCase.isDisabled()).toBe(true);
    expect(await buttonLook(exportButton)).toEqual(await buttonLook(newCase));
    expect((await buttonLook(exportButton)).face).toBe('grey');
    await locker.getByTestId('session-search').fill('no-such-stream-xyz');
    await locker.screenshot({ path: artifact('case-locker-search.png') });
    await locker
      .getByText(t('lockerNoMatch'))
      .waitFor()
      .catch((err: unknown) => {
        throw new Error(`no "no match" text; page errors: ${lockerErrors.join(' | ')}`, { cause: err });
      });
    // By the platform as the list names it (the demo room is a page no adapter knows).
    await locker.getByTestId('session-search').fill(t('popupPlatformWeb'));
    await row.waitFor();
    await locker.getByTestId('session-search').fill('880123456');
    await row.waitFor();
    expect(await seriousA11yViolations(locker)).toEqual([]);

    await row.getByTestId('open-timeline').click();
    await locker.locator('.events li.event').first().waitFor();
    expect(await locker.locator('.events li.event.chat').count()).toBeGreaterThan(10);
    // Jump to the first key moment (a price change or a detection) and mark it.
    const jump = locker.getByTestId('jump').first();
    await jump.click();
    const focused = locker.locator('.events li.focused');
    await focused.waitFor();
    await focused.getByTestId('mark-key').check();
    await focused.getByTestId('mark-note').fill('付款前看到的价格');
    await focused.getByTestId('mark-note').press('Tab');
    await locker.locator('.events li.key').waitFor();
    expect(await seriousA11yViolations(locker)).toEqual([]);
    await locker.screenshot({ path: artifact('case-timeline.png') });
    await locker.getByRole('button', { name: t('lockerBack') }).click();
    expect(lockerErrors).toEqual([]);
  });

  it('builds a case: refuses a broken receipt with a clear message, keeps the good one, fills the fields, exports and verifies', async () => {
    await locker.locator(`tr[data-session="${sessionId}"] input[type="checkbox"]`).check();
    // Chosen: the export button is red again, and no longer looks like the disabled one.
    expect(await locker.getByTestId('export-selected').isEnabled()).toBe(true);
    expect((await buttonLook(locker.getByTestId('export-selected'))).face).toBe('rgb(179, 38, 30)');
    await locker.getByTestId('new-case').click();
    await locker.getByTestId('case-title').waitFor();
    // What the capture knew is filled in already: the product on the card and its price.
    await expect.poll(() => locker.locator('[data-field="product"]').inputValue()).not.toBe('');

    const input = locker.getByTestId('receipt-input');
    await input.setInputFiles({ name: '订单截图.png', mimeType: 'image/png', buffer: ORDER });
    await locker.locator('.receipts li').first().waitFor();
    // A PNG cut off half-way and an empty "PDF": refused by name, and the good receipt stays.
    await input.setInputFiles([
      { name: '付款截图.png', mimeType: 'image/png', buffer: ORDER.subarray(0, 60) },
      { name: 'empty.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) },
    ]);
    const errors = locker.getByTestId('receipt-errors');
    await errors.waitFor();
    expect(await errors.locator('li').allTextContents()).toEqual([
      t('caseReceiptDamaged', '付款截图.png', 'PNG'),
      t('caseReceiptEmpty', 'empty.pdf'),
    ]);
    expect(await locker.locator('.receipts li').count()).toBe(1);

    const receipt = locker.locator('.receipts li').first();
    await receipt.getByTestId('receipt-label').fill('订单页');
    const moment = receipt.getByTestId('receipt-moment');
    const firstMoment = await moment.locator('option').nth(1).getAttribute('value');
    await moment.selectOption(firstMoment!);

    const fill = (name: string, value: string) => locker.locator(`[data-field="${name}"]`).fill(value);
    await fill('complainantName', '张三');
    await fill('merchantName', '小美优选旗舰店');
    await fill('creditCode', '91330100MA2KXXXX1X');
    await fill('orderNumber', '6912345678901234');
    await fill('purchaseTime', '2026-11-28 09:41');
    await fill('problemType', '虚假宣传');
    await fill('whatHappened', '直播间显示到手价 ¥1，付款时运费 ¥99。');
    await fill('demand', '退还运费 99 元');
    expect(await seriousA11yViolations(locker)).toEqual([]);
    // The fields that stay on this computer are named as they read (their padlock is drawn, not a
    // character a font may lack or a screen reader read out) and described by the privacy note.
    for (const name of ['complainantName', 'complainantPhone', 'complainantAddress'] as const) {
      const field = locker.getByRole('textbox', { name: t(`caseField_${name}`), exact: true });
      expect(await field.count(), name).toBe(1);
      expect(await field.getAttribute('data-field'), name).toBe(name);
      expect(await field.getAttribute('aria-describedby'), name).toBe('case-fields-privacy');
    }
    // The file picker is one button in the locker's language, not the browser's own beside a label.
    expect(await locker.locator('label.file-button').textContent()).toBe(t('caseChooseFiles'));
    expect(await input.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    const [chooser] = await Promise.all([
      locker.waitForEvent('filechooser'),
      locker.locator('label.file-button').click(),
    ]);
    expect(await chooser.element().getAttribute('data-testid')).toBe('receipt-input');
    expect(chooser.isMultiple()).toBe(true);
    await locker.screenshot({ path: artifact('case-builder.png'), fullPage: true });

    const [download] = await Promise.all([
      locker.waitForEvent('download', { timeout: 120_000 }),
      locker.getByTestId('export-case').click(),
    ]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^liveproof-\d{8}-\d{6}-[0-9a-f]{6}\.zip$/);
    const file = artifact('case-package.zip');
    await download.saveAs(file);
    await locker.getByTestId('export-result').waitFor();
    // The SHA-256 the locker shows (and logs) is the downloaded file's.
    const fileHash = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(await locker.getByTestId('export-result').textContent()).toContain(`SHA-256 ${fileHash}`);

    const pkg = await openPackage(file);
    expect(pkg.report.problems).toEqual([]);
    expect(pkg.report.ok).toBe(true);
    expect(pkg.report.receipts).toEqual({ total: 1, intact: 1 });
    const zip = pkg.zip;
    const manifest = JSON.parse(await zip.file('datapackage.json')!.async('string')) as {
      liveproof: { case: { receipts: { path: string; label: string; moment?: { seq: number } }[] } };
    };
    const r = manifest.liveproof.case.receipts[0]!;
    expect(r.label).toBe('订单页');
    expect(r.moment?.seq).toBe(Number(firstMoment!.split('#')[1]));
    expect(Buffer.from(await zip.file(r.path)!.async('uint8array')).equals(ORDER)).toBe(true);
    const letter = await zip.file('complaint.zh-CN.txt')!.async('string');
    for (const s of ['张三', '小美优选旗舰店', '91330100MA2KXXXX1X', '6912345678901234', '退还运费 99 元'])
      expect(letter).toContain(s);
    expect(await zip.file('complaint.en.txt')!.async('string')).toContain('6912345678901234');
    const csv = await zip.file(`sessions/${sessionId}/chat.csv`)!.async('uint8array');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    // The case is still there after a reload, as typed.
    await locker.reload();
    await locker.getByTestId('case-title').waitFor();
    await expect
      .poll(() => locker.locator('[data-field="orderNumber"]').inputValue())
      .toBe('6912345678901234');
    expect(await locker.locator('.receipts li').count()).toBe(1);

    // report.html from the unpacked package, from file://: Chinese renders, images load, nothing else.
    const dir = join(work, `unpacked-${locale}`);
    for (const [path, entry] of Object.entries(zip.files)) {
      if (entry.dir) continue;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), await entry.async('uint8array'));
    }
    const report = await b.context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    report.on('request', (q) => requests.push(q.url()));
    report.on('pageerror', (e) => problems.push(e.message));
    report.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await report.goto(url);
    expect(await report.locator('h1').first().textContent()).toBe(t('reportHeading'));
    expect(await report.locator('table.index tbody tr').count()).toBeGreaterThan(3);
    // One chart per language; the English part is folded away until opened.
    expect(await report.locator('svg.timeline').count()).toBe(2);
    expect(await report.locator('svg.timeline').first().isVisible()).toBe(true);
    expect(await report.locator('details.other svg.timeline').isVisible()).toBe(false);
    const broken = await report.evaluate(() =>
      [...document.images]
        .filter((i) => i.checkVisibility() && !(i.complete && i.naturalWidth > 0))
        .map((i) => i.src),
    );
    expect(broken).toEqual([]);
    // The evidence index stays inside the page's column (long paths and addresses wrap).
    const index = report.locator('table.index').first();
    expect(
      await index.evaluate(
        (el) => el.getBoundingClientRect().right - el.parentElement!.getBoundingClientRect().right,
      ),
    ).toBeLessThanOrEqual(0);
    expect(requests.every((u) => u.startsWith(pathToFileURL(dir).href))).toBe(true);
    expect(problems).toEqual([]);
    await report.screenshot({ path: artifact('case-report.png'), fullPage: false });
    await report.screenshot({ path: artifact('case-report-full.png'), fullPage: true });
    await report.close();
    expect(readFileSync(artifact('case-report.png')).length).toBeGreaterThan(1000);
  });

  it('deletes a finished session only after confirmation and logs it; retention removes an old session in no case when the locker opens', async () => {
    // A second, short session that ends when its tab closes.
    const page = await b.context.newPage();
    await page.goto(demo.roomUrl({ rate: 8, seed: 12 }));
    const tabId = await tabIdOf(b, page);
    const other = await startPreserving(b, tabId);
    await page.bringToFront();
    await waitForChatCount(b, tabId, 5, 60_000);
    await page.close();

    await locker.goto(locker.url().replace(/#.*$/, '#'));
    const row = locker.locator(`tr[data-session="${other}"]`);
    await row.waitFor();
    await expect.poll(() => row.getByTestId('delete-session').isEnabled(), { timeout: 20_000 }).toBe(true);
    // The session as the locker names it (its title, or its address without one), in its messages too.
    const label = (await row.locator('.title').textContent())!;
    expect(label).not.toBe('');
    await row.getByTestId('delete-session').click();
    await locker.getByTestId('confirm-delete').waitFor();
    expect(await locker.locator('#confirm-text').textContent()).toBe(t('lockerDeleteConfirm', label));
    await locker.getByTestId('confirm-no').click();
    expect(await row.count()).toBe(1); // cancelled: nothing deleted
    await row.getByTestId('delete-session').click();
    await locker.getByTestId('confirm-yes').click();
    await row.waitFor({ state: 'detached' });
    expect(await locker.getByTestId('session-message').textContent()).toBe(t('lockerDeleted', label));
    // The session in the case cannot be deleted while the case holds it.
    await locker.locator(`tr[data-session="${sessionId}"]`).waitFor();

    // An old, finished session in no case, as if kept 40 days ago; retention (30 days) removes it.
    const old = '20261020-101010-0ldc0ffe'.replace('0ldc0ffe', '0a1dc0fe');
    /** A finished session in no case, as if kept since October (retention is 30 days). */
    const putOldSession = (id: string) =>
      locker.evaluate(async (id) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open('liveproof');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('sessions', 'readwrite');
          tx.objectStore('sessions').put({
            id,
            tabId: 0,
            url: 'https://live.douyin.com/1',
            title: '旧直播',
            platform: 'douyin',
            adapter: 'generic',
            startedAt: '2026-10-20T10:10:10.000Z',
            endedAt: '2026-10-20T11:10:10.000Z',
            status: 'closed',
            genesis: '0'.repeat(64),
            headSeq: -1,
            headHash: '0'.repeat(64),
            counts: { events: 0, chat: 0, screenshots: 0 },
          });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      }, id);
    const sessionExists = (id: string) =>
      locker.evaluate(async (id) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open('liveproof');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const row = await new Promise<unknown>((resolve) => {
          const q = db.transaction('sessions').objectStore('sessions').get(id);
          q.onsuccess = () => resolve(q.result);
        });
        db.close();
        return row !== undefined;
      }, id);
    await putOldSession(old);
    await locker.reload();
    await locker.getByTestId('retention-notice').waitFor();
    expect(await locker.getByTestId('retention-notice').textContent()).toBe(
      t('lockerRetentionDeleted', 1, 30),
    );

    // Without the locker: the background's daily alarm runs retention too.
    expect(
      await b.worker.evaluate(async () => (await chrome.alarms.get('liveproof/retention'))?.periodInMinutes),
    ).toBe(24 * 60);
    const older = '20261019-101010-0a1dc0ff';
    await putOldSession(older);
    await b.worker.evaluate(() => chrome.alarms.create('liveproof/retention', { when: Date.now() + 200 }));
    await expect.poll(() => sessionExists(older), { timeout: 45_000 }).toBe(false);
    expect(await locker.locator(`tr[data-session="${old}"]`).count()).toBe(0);
    await locker.locator(`tr[data-session="${sessionId}"]`).waitFor(); // in a case: kept

    const audit = await locker.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('liveproof');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const rows = await new Promise<{ action: string; subject: string }[]>((resolve) => {
        const q = db.transaction('audit').objectStore('audit').getAll();
        q.onsuccess = () => resolve(q.result as { action: string; subject: string }[]);
      });
      db.close();
      return rows.map((r) => [r.action, r.subject]);
    });
    expect(audit).toEqual(
      expect.arrayContaining([
        ['session-deleted', other],
        ['session-expired', old],
        ['case-exported', expect.stringMatching(/^c-/)],
      ]),
    );
  });
});
