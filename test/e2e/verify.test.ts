/**
 * The three front doors of the verifier on a package exported by the real extension in Chromium:
 * the CLI, verify.html opened from file:// (no network, its CSP allowing only its own script), and
 * the locker's "verify a package" view. The same package with one byte changed fails in all three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow, startPreserving, tabIdOf } from '../../src/cli/automation';
import { formatFingerprint } from '../../src/core/sign';
import { ARTIFACTS, idLayout, launch, npm, openPackage, termLines, waitForChatCount } from './harness';

let demo: DemoServer;
let b: ExtensionBrowser;
const work = mkdtempSync(join(tmpdir(), 'liveproof-verify-'));
const pkg = join(ARTIFACTS, 'verify-intact.zip');
const broken = join(ARTIFACTS, 'verify-one-byte.zip');
let fingerprint = '';
let brokenPath = '';
let sessionId = '';

beforeAll(async () => {
  demo = await startDemoServer();
  b = await launch();
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  await page.goto(demo.roomUrl({ rate: 8, seed: 5 }));
  const tabId = await tabIdOf(b, page);
  sessionId = await startPreserving(b, tabId);
  await page.bringToFront();
  await waitForChatCount(b, tabId, 10);
  await exportFromLocker(b, [sessionId], pkg);

  // One byte changed in the middle of the sealed events (stored deflated: changed after unpacking).
  const zip = await JSZip.loadAsync(readFileSync(pkg));
  brokenPath = `sessions/${sessionId}/events.jsonl`;
  const events = Buffer.from(await zip.file(brokenPath)!.async('uint8array'));
  const at = events.indexOf('"text":"', Math.floor(events.length / 2)) + 8;
  events[at] = events[at]! ^ 0x01;
  zip.file(brokenPath, events);
  writeFileSync(broken, await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
});

afterAll(async () => {
  await b?.close();
  await demo?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a package exported in Chromium', () => {
  it('is signed with the key whose fingerprint the locker shows', async () => {
    const opened = await openPackage(pkg);
    expect(opened.report.problems).toEqual([]);
    expect(opened.report.signature.status).toBe('valid');
    fingerprint = opened.report.signature.fingerprint!;
    const locker = await openExtensionWindow(b, 'src/locker/index.html');
    try {
      const shown = locker.getByTestId('key-fingerprint');
      await expect.poll(() => shown.getAttribute('data-fingerprint')).toBe(fingerprint);
      expect(await shown.textContent()).toBe(formatFingerprint(fingerprint));
    } finally {
      await locker.close();
    }
  });
});

describe('npm run verify', () => {
  it('shows the table for the intact package and exits 0', async () => {
    const r = await npm(['verify', '--', pkg]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Package ${pkg}: intact`);
    expect(r.stdout).toMatch(/signature +✓ valid, made by the key below/);
    expect(r.stdout).toContain(formatFingerprint(fingerprint));
    expect(r.stdout).toMatch(/session \S+ +✓ \d+ events, \d+ chat, \d+ screenshots · chain intact/);
    expect(r.stdout).toMatch(/What this proves: .*\nWhat it does not prove: /);
  });

  it('names the changed file for the package with one byte changed, and exits 1', async () => {
    const r = await npm(['verify', '--', broken], 'zh_CN');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`证据包 ${broken}：已损坏`);
    expect(r.stdout).toContain(`第一个问题：文件 ${brokenPath} 已被改动`);
  });

  it('checks a folder of 100 packages in one run, and refuses the pinned key of another installation', async () => {
    const folder = join(work, 'batch');
    mkdirSync(folder);
    for (let i = 0; i < 99; i++) copyFileSync(pkg, join(folder, `p${String(i).padStart(3, '0')}.zip`));
    copyFileSync(broken, join(folder, 'p099-broken.zip'));
    writeFileSync(join(folder, 'notes.txt'), 'not a package');
    const started = Date.now();
    const r = await npm(['verify', '--', folder]);
    const ms = Date.now() - started;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('100 packages checked: 99 intact, 1 broken');
    console.log(`verified a folder of 100 packages in ${ms} ms`);

    const pinned = await npm(['verify', '--', pkg, '--json', '--fingerprint', 'ab'.repeat(32)]);
    expect(pinned.code).toBe(1);
    expect(JSON.parse(pinned.stdout)).toMatchObject({
      ok: false,
      packages: [{ problems: [{ code: 'signature-key', params: [fingerprint, 'ab'.repeat(32)] }] }],
    });
    const same = await npm(['verify', '--', pkg, '--fingerprint', formatFingerprint(fingerprint)]);
    expect(same.code).toBe(0);
  });
});

/**
 * The widths (phone to desktop) at which a "SHA-256" on the page is broken over two lines, or an id
 * (the session's, the package's name) at one of its hyphens, or over two lines at all on a desktop
 * (800px and wider), or (`fits`) the page is wider than the window (verify.html is read on phones;
 * the locker is a desktop page).
 */
async function widthsBreakingTerms(page: Page, fits = false): Promise<string[]> {
  const broken: string[] = [];
  const height = page.viewportSize()?.height ?? 720;
  for (let width = 300; width <= 1000; width += 5) {
    await page.setViewportSize({ width, height });
    const lines = await termLines(page);
    expect(lines.length, `${width}px`).toBeGreaterThan(0);
    if (lines.some((n) => n > 1)) broken.push(`${width}px: ${lines.join(',')}`);
    const ids = await idLayout(page);
    // The session's row names it, and the verdict names its file.
    expect(ids.filter((i) => i.id === sessionId).length, `${width}px`).toBeGreaterThanOrEqual(2);
    for (const i of ids) {
      for (const at of i.brokenAt) broken.push(`${width}px: ${i.id} broken after "${at}"`);
      if (width >= 800 && i.lines > 1) broken.push(`${width}px: ${i.id} on ${i.lines} lines`);
    }
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (fits && wide > 0) broken.push(`${width}px: the page is ${wide}px wider than the window`);
  }
  return broken;
}

/** Waits for the findings; when the page says the verifier failed instead, fails with what it says. */
async function finished(page: Page, result: Locator): Promise<void> {
  const failed = page.locator('.verdict[role="alert"]');
  await result.or(failed).first().waitFor({ timeout: 60_000 });
  if (await failed.isVisible()) throw new Error(`the verifier failed: ${await failed.textContent()}`);
}

interface VerifyHtmlOptions {
  /** The browser to open it in (the test's own by default). */
  context?: BrowserContext;
  /** Changes verify.html's text before it is written out (its policy, say). */
  edit?: (html: string) => string;
}

/** Opens verify.html, unpacked from `zipPath`, from file:// and verifies `chosen` with it. */
async function verifyHtml(zipPath: string, chosen: string, shot?: string, opts: VerifyHtmlOptions = {}) {
  const dir = mkdtempSync(join(work, 'unpacked-'));
  const zip = await JSZip.loadAsync(readFileSync(zipPath));
  const html = zip.file('verify.html')!;
  const text = opts.edit ? opts.edit(await html.async('string')) : await html.async('uint8array');
  writeFileSync(join(dir, 'verify.html'), text);
  const page = await (opts.context ?? b.context).newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const url = pathToFileURL(join(dir, 'verify.html')).href;
  await page.goto(url);
  await page.getByTestId('file').setInputFiles(chosen);
  const result = page.getByTestId('result');
  await finished(page, result);
  if (shot) await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
  return { page, result, requests: requests.filter((u) => u !== url), errors };
}

describe('verify.html from the package, opened from file:// in Chromium', () => {
  it('verifies the package offline with its own script only, in Chinese first and then English', async () => {
    const { page, result, requests, errors } = await verifyHtml(pkg, pkg, 'verify-html-zh.png');
    try {
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await page.locator('.verdict').textContent()).toBe('完好：自封存以来没有任何改动');
      const facts = await page.getByTestId('facts').textContent();
      expect(facts).toContain('有效：由下面这把密钥签署');
      expect(facts).toContain(formatFingerprint(fingerprint));
      expect(await page.getByTestId('sessions').textContent()).toContain('哈希链完好');
      expect(await page.getByTestId('scope').textContent()).toContain('核验不能证明');
      expect(await page.evaluate(() => typeof crypto.subtle.digest)).toBe('function');
      // The policy lets the verifier compile its WebAssembly SHA-256 (without it: WebCrypto, slower).
      const wasm = await page.evaluate(() =>
        WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
          () => 'compiled',
          (e: unknown) => String(e),
        ),
      );
      expect(wasm).toBe('compiled');
      // The policy allows exactly the inline script: anything else is refused.
      const injected = await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.append(s);
        return (window as unknown as { __injected?: boolean }).__injected ?? false;
      });
      expect(injected).toBe(false);
      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.locator('.verdict').textContent()).toBe(
        'Intact: nothing changed since it was sealed',
      );
      // The language in use is marked; the file picker is one button in the page's language (the
      // browser's own button and "no file chosen" would speak the browser's), ringed when focused.
      const look = (name: string) =>
        page.getByRole('button', { name }).evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await look('English')).not.toBe(await look('中文'));
      const file = page.getByLabel('Choose the ZIP file');
      expect(await file.getAttribute('data-testid')).toBe('file');
      expect(await file.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
      await page.getByRole('button', { name: 'English' }).focus();
      await page.keyboard.press('Tab');
      expect(await file.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(
        await page.locator('label.file-button').evaluate((el) => getComputedStyle(el).outlineStyle),
      ).toBe('solid');
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.locator('label.file-button').click(),
      ]);
      expect(await chooser.element().getAttribute('data-testid')).toBe('file');
      await page.screenshot({ path: join(ARTIFACTS, 'verify-html-en.png'), fullPage: true });
      expect(requests).toEqual([]);
      expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the package with one byte changed as broken, naming the file', async () => {
    const { page, result, requests } = await verifyHtml(pkg, broken, 'verify-html-broken-zh.png');
    try {
      expect(await result.getAttribute('data-ok')).toBe('false');
      expect(await page.locator('.verdict').textContent()).toContain(`文件 ${brokenPath} 已被改动`);
      // The verdict names the check that failed, "SHA-256", and the file by the session's id: no
      // width breaks either at a hyphen, nor the session's id in its row's narrow label column.
      expect(await page.locator('.verdict').textContent()).toContain('SHA-256');
      expect(await widthsBreakingTerms(page, true)).toEqual([]);
      await page.setViewportSize({ width: 360, height: 720 });
      await page.screenshot({ path: join(ARTIFACTS, 'verify-html-broken-zh-360.png'), fullPage: true });
      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.locator('.verdict').textContent()).toContain(
        `${brokenPath} was changed: its SHA-256`,
      );
      expect(await widthsBreakingTerms(page, true)).toEqual([]);
      await page.setViewportSize({ width: 360, height: 720 });
      await page.screenshot({ path: join(ARTIFACTS, 'verify-html-broken-en-360.png'), fullPage: true });
      expect(requests).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('refuses a file that is not a package with a clear message', async () => {
    const notZip = join(work, 'not-a-package.zip');
    writeFileSync(notZip, 'PK but not really');
    const { page, result } = await verifyHtml(pkg, notZip);
    try {
      expect(await result.getAttribute('data-ok')).toBe('false');
      expect(await page.locator('.verdict').textContent()).toContain('不是有效的 ZIP 证据包');
    } finally {
      await page.close();
    }
  });
});

async function verifyInLocker(
  file: string,
  browser: ExtensionBrowser = b,
): Promise<{ page: Page; ok: string | null; text: string }> {
  const page = await openExtensionWindow(browser, 'src/locker/index.html#verify');
  await page.getByTestId('verify-file').setInputFiles(file);
  const result = page.getByTestId('verify-result');
  await finished(page, result);
  return { page, ok: await result.getAttribute('data-ok'), text: await result.innerText() };
}

describe('the locker’s "verify a package" view', () => {
  it('says intact for the exported package and broken for the changed one', async () => {
    const intact = await verifyInLocker(pkg);
    try {
      expect(intact.ok).toBe('true');
      const file = intact.page.getByLabel('选择 ZIP 文件');
      expect(await file.getAttribute('data-testid')).toBe('verify-file');
      expect(await file.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
      expect(await intact.page.getByTestId('facts').textContent()).toContain(formatFingerprint(fingerprint));
      await intact.page.screenshot({ path: join(ARTIFACTS, 'locker-verify-zh.png'), fullPage: true });
    } finally {
      await intact.page.close();
    }
    const changed = await verifyInLocker(broken);
    try {
      expect(changed.ok).toBe('false');
      expect(await changed.page.locator('.verdict').textContent()).toContain(brokenPath);
      expect(await changed.page.locator('.verdict').textContent()).toContain('SHA-256');
      expect(await widthsBreakingTerms(changed.page)).toEqual([]);
      expect(await changed.page.getByTestId('scope').textContent()).toContain('核验证明');
      await changed.page.screenshot({ path: join(ARTIFACTS, 'locker-verify-broken-zh.png'), fullPage: true });
    } finally {
      await changed.page.close();
    }
  });
});

/**
 * A receiver whose browser refuses WebAssembly: Chromium with V8's JIT turned off (`--jitless`, what
 * hardened browser settings do; it takes the WebAssembly global away, which `--no-expose-wasm` no
 * longer does in Chromium 156), and verify.html under a policy without 'wasm-unsafe-eval' (the global
 * is there, compiling is refused). Event lines and files are then hashed with WebCrypto
 * (core/package/verify.ts `webHashing`); the findings must be the ones the WebAssembly hasher gives.
 */
describe('verification in a Chromium without WebAssembly', () => {
  let noWasm: ExtensionBrowser;
  /** What verify.html and the locker show for the intact and the changed package, with WebAssembly. */
  const expected = { html: new Map<string, string>(), locker: new Map<string, string>() };

  beforeAll(async () => {
    for (const file of [pkg, broken]) {
      const { page, result } = await verifyHtml(pkg, file);
      expected.html.set(file, await result.innerText());
      await page.close();
      const locker = await verifyInLocker(file);
      expected.locker.set(file, locker.text);
      await locker.page.close();
    }
    noWasm = await launch({ extraArgs: ['--js-flags=--jitless'] });
  });

  afterAll(async () => {
    await noWasm?.close();
  });

  it('verify.html gives the same findings with no WebAssembly global', async () => {
    for (const [file, ok] of [
      [pkg, 'true'],
      [broken, 'false'],
    ] as const) {
      const { page, result, requests, errors } = await verifyHtml(
        pkg,
        file,
        file === broken ? 'verify-html-no-wasm-broken-zh.png' : undefined,
        { context: noWasm.context },
      );
      try {
        expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
        expect(await result.getAttribute('data-ok')).toBe(ok);
        expect(await result.innerText()).toBe(expected.html.get(file));
        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('verify.html gives the same findings when its policy refuses to compile WebAssembly', async () => {
    const withoutWasm = (html: string) => {
      const edited = html.replace(" 'wasm-unsafe-eval'", '');
      expect(edited).not.toBe(html);
      return edited;
    };
    for (const [file, ok] of [
      [pkg, 'true'],
      [broken, 'false'],
    ] as const) {
      const { page, result, requests, errors } = await verifyHtml(pkg, file, undefined, {
        edit: withoutWasm,
      });
      try {
        const compiled = await page.evaluate(() =>
          WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
            () => 'compiled',
            () => 'refused',
          ),
        );
        expect(compiled).toBe('refused');
        expect(await result.getAttribute('data-ok')).toBe(ok);
        expect(await result.innerText()).toBe(expected.html.get(file));
        expect(requests).toEqual([]);
        expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('the locker’s "verify a package" gives the same findings with no WebAssembly global', async () => {
    for (const [file, ok] of [
      [pkg, 'true'],
      [broken, 'false'],
    ] as const) {
      const { page, ok: shown, text } = await verifyInLocker(file, noWasm);
      try {
        expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
        expect(shown).toBe(ok);
        expect(text).toBe(expected.locker.get(file));
      } finally {
        await page.close();
      }
    }
  });
});
