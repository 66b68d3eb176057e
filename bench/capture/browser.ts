/**
 * Chromium with or without an extension, launched with the same flags either way, so that an A/B
 * comparison differs only in the extension. Mirrors `launchWithExtension` (src/cli/chromium.ts),
 * which always loads `dist/`; here the extension folder is a parameter (the profile loads an
 * unminified build) or absent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium, type ExtensionBrowser } from '../../src/cli/chromium';

export interface PlainBrowser {
  context: ExtensionBrowser['context'];
  close(): Promise<void>;
}

/** Chromium without `--load-extension`, otherwise as `launchWithExtension` starts it. */
export function launchPlain(): Promise<PlainBrowser> {
  return launch(null) as Promise<PlainBrowser>;
}

/** Chromium with the unpacked extension in `dir`. */
export function launchWith(dir: string): Promise<ExtensionBrowser> {
  return launch(dir) as Promise<ExtensionBrowser>;
}

async function launch(extension: string | null): Promise<PlainBrowser | ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'liveproof-bench-profile-'));
  const downloads = mkdtempSync(join(tmpdir(), 'liveproof-bench-downloads-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    acceptDownloads: true,
    downloadsPath: downloads,
    viewport: { width: 1280, height: 800 },
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      ...(extension ? [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  };
  if (!extension) return { context, close };
  try {
    const worker =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
    const extensionId = new URL(worker.url()).host;
    await closeFirstRunPage(context, extensionId);
    return { context, extensionId, worker, downloads, close };
  } catch (err) {
    await close();
    throw new Error(`the extension in ${extension} did not load`, { cause: err });
  }
}

/**
 * An extension may open a page of its own when installed (LiveProof's welcome page); close it, as
 * `launchWithExtension` does, so that the room stays the visible tab.
 */
async function closeFirstRunPage(context: PlainBrowser['context'], extensionId: string): Promise<void> {
  const ours = (p: { url(): string }) => p.url().startsWith(`chrome-extension://${extensionId}/`);
  const page =
    context.pages().find(ours) ??
    (await context.waitForEvent('page', { predicate: ours, timeout: 3000 }).catch(() => null));
  await page?.close();
}
