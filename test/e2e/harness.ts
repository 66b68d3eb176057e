/** Shared pieces of the end-to-end tests: the real extension in Chromium, the demo room, packages. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Page, Worker } from 'playwright-core';
import { ROOT } from '../../src/cli/build';
import { launchWithExtension, type ExtensionBrowser, type LaunchOptions } from '../../src/cli/chromium';
import { exportFromLocker, openPopup, readPopup, startPreserving, tabIdOf } from '../../src/cli/automation';
import type { DemoServer } from '../../src/cli/demo-server';
import { verifyPackage, type VerifyReport } from '../../src/core/package';
import { expect } from 'vitest';
import type { SealedEvent } from '../../src/core/evidence';
import type { SessionRow } from '../../src/db/schema';

export const ARTIFACTS = join(ROOT, 'test-results');
mkdirSync(ARTIFACTS, { recursive: true });

export function launch(opts: LaunchOptions = {}): Promise<ExtensionBrowser> {
  return launchWithExtension({ locale: 'zh-CN', ...opts });
}

export interface DemoMessage {
  author: string;
  text: string;
  kind: 'chat' | 'host';
}

export function emitted(page: Page): Promise<DemoMessage[]> {
  return page.evaluate(() => (window as unknown as { __demo: { emitted: DemoMessage[] } }).__demo.emitted);
}

/**
 * Stops the extension's service worker, as Chrome does when it is idle or updated, and waits until
 * Chrome reports it stopped (so a test cannot pass without the worker having died).
 */
export async function stopServiceWorker(b: ExtensionBrowser, page: Page): Promise<void> {
  const cdp = await b.context.newCDPSession(page);
  const prefix = `chrome-extension://${b.extensionId}/`;
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.scriptURL.startsWith(prefix) && v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await Promise.race([
    stopped,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('the service worker did not stop')), 10_000),
    ),
  ]);
  await cdp.detach();
}

/** Waits until the popup says that `count` chat messages are kept for the tab. */
export async function waitForChatCount(
  b: ExtensionBrowser,
  tabId: number,
  count: number,
  timeoutMs = 30_000,
) {
  const popup = await openPopup(b, tabId);
  try {
    const deadline = Date.now() + timeoutMs;
    let last = -1;
    while (Date.now() < deadline) {
      last = (await readPopup(popup)).chat;
      if (last >= count) return last;
      await popup.waitForTimeout(250);
    }
    throw new Error(`the popup shows ${last} chat messages, expected ${count}`);
  } finally {
    await popup.close();
  }
}

/** What the evidence database holds for one session, read in one transaction. */
export interface StoredSession {
  /** The session's row (counts, head, status); undefined when there is none. */
  session: SessionRow | undefined;
  /** Its sealed events, from the pages of consecutive events (empty with `events: false`). */
  events: SealedEvent[];
  /** The stored size in bytes of each picture its `screenshot` events seal, by SHA-256 (0: missing). */
  pictures: Record<string, number>;
}

/**
 * Reads what the evidence database holds for a session, in the extension's origin: in the service
 * worker (`b.worker`) or in an extension page (while the worker is stopped, evaluating in it hangs).
 * The session row, the events and the pictures come from one read transaction, so they agree with
 * each other even while the extension keeps writing. `events: false` reads only the session row.
 */
export function readStored(
  where: Worker | Page,
  sessionId: string,
  opts: { events?: boolean } = {},
): Promise<StoredSession> {
  const evaluate = where.evaluate.bind(where) as Worker['evaluate'];
  return evaluate(
    ({ id, withEvents }) =>
      new Promise<StoredSession>((resolve, reject) => {
        const open = indexedDB.open('liveproof');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(withEvents ? ['sessions', 'pages', 'blobs'] : ['sessions']);
          const out: StoredSession = { session: undefined, events: [], pictures: {} };
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => {
            db.close();
            reject(tx.error);
          };
          const row = tx.objectStore('sessions').get(id);
          row.onsuccess = () => (out.session = row.result as SessionRow | undefined);
          if (!withEvents) return;
          const pages = tx.objectStore('pages').getAll(IDBKeyRange.bound([id, -Infinity], [id, Infinity]));
          pages.onsuccess = () => {
            out.events = (pages.result as { events: SealedEvent[] }[]).flatMap((p) => p.events);
            const shas = new Set(
              out.events.filter((e) => e.type === 'screenshot').map((e) => String(e.data.sha256)),
            );
            for (const sha of shas) {
              const blob = tx.objectStore('blobs').get(sha);
              blob.onsuccess = () =>
                (out.pictures[sha] = (blob.result as { blob: Blob } | undefined)?.blob.size ?? 0);
            }
          };
        };
      }),
    { id: sessionId, withEvents: opts.events ?? true },
  );
}

/**
 * A session's sealed events as the evidence database holds them now (in pages of consecutive
 * events), read in the service worker: what is stored, before any export.
 */
export async function storedEvents(b: ExtensionBrowser, sessionId: string): Promise<SealedEvent[]> {
  return (await readStored(b.worker, sessionId)).events;
}

export { solidPng } from '../support/png';

export interface OpenedPackage {
  report: VerifyReport;
  zip: JSZip;
  sessions: Map<string, SealedEvent[]>;
}

export async function openPackage(path: string): Promise<OpenedPackage> {
  const bytes = new Uint8Array(readFileSync(path));
  const report = await verifyPackage(bytes);
  const zip = await JSZip.loadAsync(bytes);
  const sessions = new Map<string, SealedEvent[]>();
  for (const name of Object.keys(zip.files)) {
    const m = /^sessions\/([^/]+)\/events\.jsonl$/.exec(name);
    if (!m) continue;
    const text = await zip.file(name)!.async('string');
    sessions.set(
      m[1]!,
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as SealedEvent),
    );
  }
  return { report, zip, sessions };
}

/** Opens the demo room (not yet started unless `params` say so) in a new tab and starts preserving it. */
export async function preserveRoom(
  b: ExtensionBrowser,
  demo: DemoServer,
  params: Record<string, string | number>,
): Promise<{ page: Page; tabId: number; sessionId: string }> {
  const page = await b.context.newPage();
  await page.goto(demo.roomUrl({ autostart: 0, ...params }));
  const tabId = await tabIdOf(b, page);
  const sessionId = await startPreserving(b, tabId);
  await page.bringToFront();
  return { page, tabId, sessionId };
}

/** Exports one session from the locker into `ARTIFACTS/name`; the package must verify. Its events. */
export async function exportSession(
  b: ExtensionBrowser,
  sessionId: string,
  name: string,
): Promise<SealedEvent[]> {
  const out = join(ARTIFACTS, name);
  await exportFromLocker(b, [sessionId], out);
  const pkg = await openPackage(out);
  expect(pkg.report.ok, JSON.stringify(pkg.report.problems)).toBe(true);
  return pkg.sessions.get(sessionId)!;
}

export function chatOf(events: readonly SealedEvent[]): DemoMessage[] {
  return events
    .filter((e) => e.type === 'chat')
    .map((e) => ({
      author: String(e.data.author),
      text: String(e.data.text),
      kind: e.data.kind as 'chat' | 'host',
    }));
}

/**
 * A virtual X display (Xvfb) for the few tests that need real key presses: Chrome handles extension
 * keyboard commands in the browser window, which only a headed browser has, and `xdotool` types
 * into it as a person would. `.ci/run` installs both (Debian packages xvfb and xdotool).
 */
export interface VirtualDisplay {
  env: { DISPLAY: string };
  /** Gives the browser window the keyboard focus and types `keys` (xdotool syntax, `alt+shift+s`). */
  press(keys: string): void;
  close(): void;
}

export async function startVirtualDisplay(): Promise<VirtualDisplay> {
  for (const tool of ['Xvfb', 'xdotool'])
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is not installed: apt-get install -y xvfb xdotool (see .ci/run)`);
    }
  const display = `:${90 + Math.floor(Math.random() * 400)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  const env = { DISPLAY: display };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync('xdotool', ['getmouselocation'], { env: { ...process.env, ...env }, stdio: 'ignore' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Xvfb did not start on ${display}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const x = (args: string[]) => execFileSync('xdotool', args, { env: { ...process.env, ...env } }).toString();
  return {
    env,
    press(keys) {
      const windows = x(['search', '--onlyvisible', '--class', 'chromium'])
        .trim()
        .split('\n')
        .filter(Boolean);
      if (!windows.length) throw new Error('no Chromium window on the virtual display');
      x(['windowfocus', '--sync', windows[0]!]);
      x(['key', '--clearmodifiers', keys]);
    },
    close() {
      xvfb.kill();
    },
  };
}

/**
 * Runs axe-core in a page and returns the violations of impact "serious" or "critical" (the issue
 * asks for none), each with its rule and the elements it found.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Extension pages forbid inline scripts (CSP); DevTools evaluation is not a page script.
  await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The text of the in-page warning: it is in a closed shadow root, which only DevTools' view reaches. */
export async function bannerText(b: ExtensionBrowser, page: Page): Promise<string> {
  const cdp = await b.context.newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const texts: string[] = [];
    type Node = { nodeName: string; nodeValue?: string; children?: Node[]; shadowRoots?: Node[] };
    const walk = (n: Node, inBanner: boolean) => {
      const here = inBanner || n.nodeName === 'LIVEPROOF-WARNING';
      if (here && n.nodeName === '#text' && n.nodeValue) texts.push(n.nodeValue);
      for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) walk(c, here);
    };
    walk(root as unknown as Node, false);
    return texts.join('\n');
  } finally {
    await cdp.detach();
  }
}

export interface NpmRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an npm script the way the README tells a person to, in the given language. */
export function npm(args: string[], lang = 'en'): Promise<NpmRun> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', ...args], {
      cwd: ROOT,
      env: { ...process.env, LIVEPROOF_LANG: lang },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The files in which the browser profile's IndexedDB keeps Blobs of exactly `bytes` bytes (stored
 * pictures, receipts): tests delete them to play a stored file gone from the disk.
 */
export function storedBlobFiles(profile: string, bytes: number): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.includes('.blob') && statSync(path).size === bytes) out.push(path);
    }
  };
  walk(join(profile, 'Default', 'IndexedDB'));
  return out;
}

/**
 * The number of lines each "SHA-256" shown on the page is laid out on (more than 1: broken at its
 * hyphen). Only what is visible counts.
 */
export function termLines(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const lines: number[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      if (!text.includes('SHA-256') || !(n.parentElement?.checkVisibility() ?? false)) continue;
      for (let i = text.indexOf('SHA-256'); i >= 0; i = text.indexOf('SHA-256', i + 1)) {
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + 7);
        lines.push(new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size);
      }
    }
    return lines;
  });
}

/**
 * The ids shown on the page (letters and digits joined by hyphens, with a digit: session ids,
 * package names, dates): for each, how many lines it is laid out on and the hyphens a line ends just
 * before or after, as `…-` (the id up to that hyphen). An id may run through several elements (the
 * page keeps each hyphen with its neighbours in a span), so the page's visible text is read as one
 * string. Only what is visible counts.
 */
export function idLayout(page: Page): Promise<{ id: string; lines: number; brokenAt: string[] }[]> {
  return page.evaluate(() => {
    /** Each character of the visible text, with where it is; '\n' between blocks and hidden text. */
    const chars: { node: Text; at: number }[] = [];
    let text = '';
    let block: Element | null = null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      let owner = n.parentElement;
      while (owner && getComputedStyle(owner).display.startsWith('inline')) owner = owner.parentElement;
      if (owner !== block || !(n.parentElement?.checkVisibility() ?? false)) {
        text += '\n';
        chars.push({ node: n, at: -1 });
        block = owner;
      }
      if (!(n.parentElement?.checkVisibility() ?? false)) continue;
      for (let i = 0; i < n.data.length; i++) chars.push({ node: n, at: i });
      text += n.data;
    }
    const box = (i: number) => {
      const range = document.createRange();
      range.setStart(chars[i]!.node, chars[i]!.at);
      range.setEnd(chars[i]!.node, chars[i]!.at + 1);
      return range.getBoundingClientRect();
    };
    /** Character `j` of the text starts a later line than character `i`. */
    const later = (i: number, j: number) => {
      const [a, b] = [box(i), box(j)];
      return b.top >= a.top + a.height / 2;
    };
    const out: { id: string; lines: number; brokenAt: string[] }[] = [];
    for (const m of text.matchAll(/[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+/g)) {
      const id = m[0];
      if (!/\d/.test(id) || id === 'SHA-256') continue;
      let lines = 1;
      for (let i = 1; i < id.length; i++) if (later(m.index + i - 1, m.index + i)) lines++;
      const brokenAt: string[] = [];
      for (let h = id.indexOf('-'); h >= 0; h = id.indexOf('-', h + 1))
        if (later(m.index + h - 1, m.index + h + 1)) brokenAt.push(id.slice(0, h + 1));
      out.push({ id, lines, brokenAt });
    }
    return out;
  });
}
