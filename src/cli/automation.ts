/**
 * Drives the real extension in Chromium the way a person would: the popup to start preserving a tab,
 * the locker page to export. Extension pages open in windows of their own, so the preserved tab
 * stays the visible tab of its window and screenshots show it.
 */
import type { Download, Page } from 'playwright-core';
import type { ExtensionBrowser } from './chromium';

export async function openExtensionWindow(b: ExtensionBrowser, path: string): Promise<Page> {
  const anchor = b.context.pages()[0] ?? (await b.context.newPage());
  const cdp = await b.context.newCDPSession(anchor);
  const url = `chrome-extension://${b.extensionId}/${path}`;
  const pageEvent = b.context.waitForEvent('page', { predicate: (p) => p.url() === url, timeout: 10_000 });
  await cdp.send('Target.createTarget', { url, newWindow: true });
  await cdp.detach();
  const page = await pageEvent;
  // The document's own state, not Playwright's lifecycle events: a window opened through CDP was
  // once seen "networkidle" while its "domcontentloaded" never arrived (30 s, CI of 29 Nov).
  await page.waitForFunction(() => document.readyState !== 'loading');
  return page;
}

/** The browser's id for the tab showing `page` (the newest such tab when several show the same URL). */
export async function tabIdOf(b: ExtensionBrowser, page: Page): Promise<number> {
  const control = await openExtensionWindow(b, 'src/locker/index.html');
  try {
    const url = page.url();
    const ids = await control.evaluate(
      async (u) => (await chrome.tabs.query({})).filter((t) => t.url === u).map((t) => t.id!),
      url,
    );
    if (!ids.length) throw new Error(`no tab shows ${url}`);
    // A loop, not Math.max(...ids): a spread of many arguments can overflow the stack.
    return ids.reduce((newest, id) => Math.max(newest, id));
  } finally {
    await control.close();
  }
}

export interface PopupState {
  state: string;
  sessionId: string | null;
  chat: number;
  screenshots: number;
}

export async function readPopup(popup: Page): Promise<PopupState> {
  return popup.evaluate(() => {
    const s = document.querySelector<HTMLElement>('.status');
    return {
      state: s?.dataset.state ?? 'loading',
      sessionId: s?.dataset.session ?? null,
      chat: Number(document.querySelector('[data-testid="chat-count"]')?.textContent ?? 0),
      screenshots: Number(document.querySelector('[data-testid="screenshot-count"]')?.textContent ?? 0),
    };
  });
}

/** Opens the popup for a tab (as its own window; `?tab=` names the tab it acts on). */
export function openPopup(b: ExtensionBrowser, tabId: number): Promise<Page> {
  return openExtensionWindow(b, `src/popup/index.html?tab=${tabId}`);
}

/** Clicks "start preserving this tab" in the popup and waits until the tab is preserved. */
export async function startPreserving(b: ExtensionBrowser, tabId: number): Promise<string> {
  const popup = await openPopup(b, tabId);
  try {
    await popup.locator('.status[data-state="available"], .status[data-state="preserving"]').waitFor();
    const start = popup.locator('[data-testid="start"]');
    if (await start.count()) await start.click();
    await popup.locator('.status[data-state="preserving"]').waitFor({ timeout: 15_000 });
    const { sessionId } = await readPopup(popup);
    if (!sessionId) throw new Error('the popup shows no session');
    return sessionId;
  } catch (err) {
    const alert = await popup
      .locator('[role="alert"]')
      .textContent({ timeout: 500 })
      .catch(() => null);
    throw new Error(alert ?? (err instanceof Error ? err.message : String(err)), { cause: err });
  } finally {
    await popup.close();
  }
}

/**
 * Clicks the locker's button `testid` and waits for what it leads to: the download, or the locker's
 * message saying why there is none (at once, not at the timeout).
 */
export async function clickForDownload(
  locker: Page,
  testid: string,
  timeoutMs = 120_000,
): Promise<{ download: Download } | { error: string }> {
  const downloaded = locker.waitForEvent('download', { timeout: timeoutMs });
  const error = locker.locator('[data-testid="export-error"]');
  const failed = error.waitFor({ timeout: timeoutMs }).then(() => error.textContent());
  downloaded.catch(() => undefined);
  failed.catch(() => undefined);
  await locker.locator(`[data-testid="${testid}"]`).click();
  return Promise.race([
    downloaded.then((download) => ({ download })),
    failed.then((text) => ({ error: text ?? '' })),
  ]);
}

/**
 * Exports the given sessions from the locker page and saves the package at `outFile`, waiting at most
 * `timeoutMs` for the download (a session of 100,000 messages on a loaded machine can take minutes).
 */
export async function exportFromLocker(
  b: ExtensionBrowser,
  sessionIds: readonly string[],
  outFile: string,
  timeoutMs = 120_000,
): Promise<string> {
  const locker = await openExtensionWindow(b, 'src/locker/index.html');
  try {
    for (const id of sessionIds)
      await locker.locator(`tr[data-session="${id}"] input[type="checkbox"]`).check();
    const outcome = await clickForDownload(locker, 'export-selected', timeoutMs);
    if ('error' in outcome) throw new Error(outcome.error);
    const { download } = outcome;
    await download.saveAs(outFile);
    const failure = await download.failure();
    if (failure) throw new Error(failure);
    return download.suggestedFilename();
  } finally {
    await locker.close();
  }
}
