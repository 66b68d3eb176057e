/**
 * One headless preservation run: open the page, start preserving from the popup, keep it for a
 * while, export from the locker, verify the package. Shared by `npm run capture` and `npm run demo`.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureBuilt } from './build';
import { launchWithExtension } from './chromium';
import { exportFromLocker, startPreserving, tabIdOf } from './automation';
import { verifyPackage, type VerifyReport } from '../core/package';
import { cliLang, t } from './lang';

export interface CaptureOptions {
  url: string;
  seconds: number;
  /** A file name, or a folder (ending in `/`) to write the package into under its own name. */
  out?: string;
  log?: (line: string) => void;
  headless?: boolean;
}

export interface CaptureResult {
  path: string;
  report: VerifyReport;
  events: number;
  chat: number;
  screenshots: number;
}

export async function runCapture(opts: CaptureOptions): Promise<CaptureResult> {
  const log = opts.log ?? ((line: string) => console.error(line));
  ensureBuilt(log);
  const b = await launchWithExtension({
    headless: opts.headless ?? true,
    locale: cliLang === 'en' ? 'en-US' : 'zh-CN',
  });
  try {
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    log(t('cliOpening', opts.url));
    await page.goto(opts.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const tabId = await tabIdOf(b, page);
    let sessionId: string;
    try {
      sessionId = await startPreserving(b, tabId);
    } catch (err) {
      throw new Error(t('cliNotStarted', err instanceof Error ? err.message : String(err)), { cause: err });
    }
    await page.bringToFront();
    log(t('cliPreserving', opts.seconds));
    await page.waitForTimeout(opts.seconds * 1000);

    log(t('cliExporting'));
    const tmp = join(tmpdir(), `liveproof-${process.pid}-${Date.now()}.zip`);
    const suggested = await exportFromLocker(b, [sessionId], tmp);
    const name = /^liveproof-[\w-]+\.zip$/.test(suggested) ? suggested : `liveproof-${sessionId}.zip`;
    const target = !opts.out
      ? resolve(name)
      : opts.out.endsWith('/')
        ? resolve(opts.out, name)
        : resolve(opts.out);
    await mkdir(dirname(target), { recursive: true });
    const { rename, copyFile, rm } = await import('node:fs/promises');
    await rename(tmp, target).catch(async () => {
      await copyFile(tmp, target);
      await rm(tmp, { force: true });
    });

    const report = await verifyPackage(new Uint8Array(await readFile(target)));
    const s = report.sessions[0];
    return {
      path: target,
      report,
      events: s?.events ?? 0,
      chat: s?.chat ?? 0,
      screenshots: s?.screenshots ?? 0,
    };
  } finally {
    await b.close();
  }
}

export function summaryLine(r: CaptureResult): string {
  return t('cliSummary', r.events, r.chat, r.screenshots, r.report.ok ? t('cliYes') : t('cliNo'));
}
