/**
 * Starts Chromium with the built extension, headless by default. Debian's Chromium honours
 * `--load-extension`; branded Chrome 137+ ignores it, which we say plainly instead of failing silently.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { DIST } from './build';
import { t } from './lang';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  const path = fromEnv || CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) throw new Error(t('cliNoChromium'));
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  if (/Google Chrome|Microsoft Edge/i.test(version)) throw new Error(t('cliBrandedChrome', path));
  return path;
}

/**
 * Chromium's id for an unpacked extension: SHA-256 of its absolute path, 32 hex digits spelt a–p.
 * Switches that name the extension (`--allowlisted-extension-id`) need it before launch.
 */
export function unpackedExtensionId(path: string): string {
  return [...createHash('sha256').update(path).digest('hex').slice(0, 32)]
    .map((c) => String.fromCharCode(97 + parseInt(c, 16)))
    .join('');
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  downloads: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  headless?: boolean;
  /** The browser's UI language (`zh-CN`, `en-US`), which the extension's pages and packages follow. */
  locale?: string;
  extraArgs?: string[];
  /** Leave the first-run page open (it opens once after install; other runs close it). */
  keepWelcome?: boolean;
  /** Environment for the browser process (for example `DISPLAY` of an Xvfb server when headed). */
  env?: Record<string, string>;
  /** The folder the throw-away profile is made in (a small file system, to see a full disk). */
  profileParent?: string;
  /**
   * An existing profile folder to start with instead of a throw-away one; it is kept on close, so a
   * later browser on the same folder finds what this one left (as after a browser restart).
   */
  profile?: string;
}

export async function launchWithExtension(opts: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const profile = opts.profile ?? mkdtempSync(join(opts.profileParent ?? tmpdir(), 'liveproof-profile-'));
  const downloads = mkdtempSync(join(tmpdir(), 'liveproof-downloads-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: opts.headless ?? true,
    acceptDownloads: true,
    downloadsPath: downloads,
    viewport: { width: 1280, height: 800 },
    ...(opts.locale ? { locale: opts.locale } : {}),
    // On Linux Chromium takes its UI language (what `chrome.i18n` and the extension's pages follow)
    // from LANGUAGE, not from --lang; Playwright's locale only reaches pages it emulates in time.
    ...(opts.locale || opts.env
      ? {
          env: {
            ...process.env,
            ...(opts.locale ? { LANGUAGE: opts.locale.replace('-', '_') } : {}),
            ...opts.env,
          } as Record<string, string>,
        }
      : {}),
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(opts.locale ? [`--lang=${opts.locale}`] : []),
      ...(opts.extraArgs ?? []),
    ],
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    if (!opts.profile) rmSync(profile, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  };
  try {
    const worker =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
    const extensionId = new URL(worker.url()).host;
    if (!opts.keepWelcome) await closeWelcome(context);
    return { context, extensionId, worker, downloads, close };
  } catch {
    await close();
    throw new Error(t('cliExtensionNotLoaded'));
  }
}

/**
 * The first-run page opens in a new tab right after install; automation closes it so that the tab
 * it works in stays the visible one (only the visible tab can be photographed).
 */
async function closeWelcome(context: BrowserContext): Promise<void> {
  const isWelcome = (p: { url(): string }) => p.url().includes('/src/welcome/');
  const page =
    context.pages().find(isWelcome) ??
    (await context.waitForEvent('page', { predicate: isWelcome, timeout: 3000 }).catch(() => null));
  await page?.close();
}
