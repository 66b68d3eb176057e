/**
 * The video guard in real Chromium: a live room with an animated picture and a tone (made here, no
 * media from outside), the guard switched on, the last two minutes saved, the package exported; the
 * clip decodes, its chunks verify, and a changed chunk is named by the verifier. Chrome lets an
 * extension capture a tab only after the user invoked it there: the keyboard command is pressed for
 * real on a virtual display, and the other tests start Chromium with `--allowlisted-extension-id`,
 * which lifts that one requirement for this extension (found in Chromium's tab_capture_api.cc).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import { DIST } from '../../src/cli/build';
import { unpackedExtensionId, type ExtensionBrowser } from '../../src/cli/chromium';
import {
  exportFromLocker,
  openExtensionWindow,
  openPopup,
  startPreserving,
  tabIdOf,
} from '../../src/cli/automation';
import { verifyPackage } from '../../src/core/package';
import { CATALOGS } from '../../src/core/i18n';
import type { SealedEvent } from '../../src/core/evidence';
import { ARTIFACTS, launch, openPackage, startVirtualDisplay, stopServiceWorker } from './harness';

const AUTOPLAY = '--autoplay-policy=no-user-gesture-required';

let demo: DemoServer;
let b: ExtensionBrowser;

beforeAll(async () => {
  demo = await startDemoServer();
  b = await launch({ extraArgs: [`--allowlisted-extension-id=${unpackedExtensionId(DIST)}`, AUTOPLAY] });
  expect(b.extensionId).toBe(unpackedExtensionId(DIST));
});
afterAll(async () => {
  await b?.close();
  await demo?.close();
});

/**
 * The fixture page (demo-site/video.html: a frame counter on a colour wheel and a 440 Hz tone, both
 * generated in the page, with no media files), or the demo room, or the demo room where things are said and sold. */
async function liveRoom(browser: ExtensionBrowser, room = false) {
  const page =
    browser.context.pages().find((p) => p.url() === 'about:blank') ?? (await browser.context.newPage());
  await page.goto(room ? demo.roomUrl({ autostart: 0, rate: 1, seed: 21 }) : `${demo.origin}/video.html`);
  await page.bringToFront();
  return page;
}

interface Status {
  on: boolean;
  buffered: number;
  stoppedBecause: string | null;
}

async function videoStatus(browser: ExtensionBrowser, tabId: number): Promise<Status> {
  const control = await openExtensionWindow(browser, 'src/locker/index.html');
  try {
    const reply = (await control.evaluate(
      (id) => chrome.runtime.sendMessage({ v: 1, name: 'video.status', req: { tabId: id } }),
      tabId,
    )) as { ok: boolean; data: Status };
    return reply.data;
  } finally {
    await control.close();
  }
}

async function badge(browser: ExtensionBrowser, tabId: number): Promise<string> {
  const control = await openExtensionWindow(browser, 'src/locker/index.html');
  try {
    return await control.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
  } finally {
    await control.close();
  }
}

async function bufferedChunks(browser: ExtensionBrowser): Promise<number> {
  const control = await openExtensionWindow(browser, 'src/locker/index.html');
  try {
    return await control.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('liveproof');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction('videoChunks').objectStore('videoChunks').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
          };
        }),
    );
  } finally {
    await control.close();
  }
}

/**
 * Clicks a popup button for the tab and returns what the popup then says (notice or alert), with
 * the message it should be in the popup's language (the browser is zh-CN, but the popup has been
 * seen to render in English now and then: it reads the language once as it loads).
 */
async function popupAction(
  browser: ExtensionBrowser,
  tabId: number,
  testId: string,
): Promise<{ text: string; is(key: string): boolean; startsWith(key: string): boolean }> {
  const popup = await openPopup(browser, tabId);
  try {
    await popup.locator(`[data-testid="${testId}"]`).click();
    const said = popup.locator('[data-testid="video-notice"], [data-testid="video-error"]');
    await said.first().waitFor({ timeout: 20_000 });
    const text = (await said.first().textContent()) ?? '';
    const lang = (await popup.evaluate(() => document.documentElement.lang)) === 'en' ? 'en' : 'zh_CN';
    const message = (key: string) => CATALOGS[lang][key]!.message;
    return {
      text,
      is: (key) => text === message(key),
      startsWith: (key) => text.startsWith(message(key).split('$1')[0]!),
    };
  } finally {
    await popup.close();
  }
}

/**
 * What ffprobe finds in a WebM: its streams, how many video frames decode, and how long it plays
 * (the last packet's time: MediaRecorder writes no duration into the header, as it records live).
 */
function ffprobe(file: string): { codecs: string[]; frames: number; seconds: number } {
  const run = (args: string[]) => execFileSync('ffprobe', ['-v', 'error', ...args, file]).toString();
  const info = JSON.parse(
    run(['-count_frames', '-show_entries', 'stream=codec_type,codec_name,nb_read_frames', '-of', 'json']),
  ) as { streams: { codec_type: string; codec_name: string; nb_read_frames?: string }[] };
  const times = run(['-select_streams', 'v', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0'])
    .split('\n')
    .map(Number)
    .filter((n) => Number.isFinite(n) && n > 0);
  return {
    codecs: info.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort(),
    frames: Number(info.streams.find((s) => s.codec_type === 'video')?.nb_read_frames ?? 0),
    seconds: Math.max(0, ...times),
  };
}

/** The popup said the message `key` (in its language). */
function expectSays(said: { text: string; is(key: string): boolean }, key: string): void {
  expect(said.is(key), `the popup says “${said.text}”, not ${key}`).toBe(true);
}

const videoEvents = (events: readonly SealedEvent[]) => events.filter((e) => e.type === 'video');

describe('the video guard', () => {
  it('records the tab, keeps the last two minutes as a sealed clip that plays, and forgets the rest when switched off', async () => {
    const page = await liveRoom(b);
    const tabId = await tabIdOf(b, page);
    const sessionId = await startPreserving(b, tabId);
    await page.bringToFront();

    expectSays(await popupAction(b, tabId, 'video-toggle'), 'videoTurnedOn');
    expect(await badge(b, tabId)).toBe('REC');
    await expect
      .poll(async () => (await videoStatus(b, tabId)).buffered, { timeout: 40_000, interval: 1000 })
      .toBeGreaterThanOrEqual(8);

    // The service worker may be stopped at any time; the recorder and the guard's state outlive it.
    await stopServiceWorker(b, page);
    const saved = await popupAction(b, tabId, 'video-save');
    expect(saved.startsWith('videoSaved')).toBe(true);
    const seconds = Number(/\d+/.exec(saved.text)![0]);
    expect(seconds).toBeGreaterThanOrEqual(8);

    // Switched off, the buffer is deleted: only the kept clip remains (as sealed blobs).
    expectSays(await popupAction(b, tabId, 'video-toggle'), 'videoTurnedOff');
    expect(await badge(b, tabId)).toBe('');
    expect(await bufferedChunks(b)).toBe(0);

    const out = join(ARTIFACTS, 'video.zip');
    await exportFromLocker(b, [sessionId], out);
    const pkg = await openPackage(out);
    expect(pkg.report.ok, JSON.stringify(pkg.report.problems)).toBe(true);
    const events = pkg.sessions.get(sessionId)!;
    const chunks = videoEvents(events);
    // About a chunk a second; fewer on a loaded machine, where the recorder's timeslices stretch.
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const span = Date.parse(String(chunks.at(-1)!.data.end)) - Date.parse(String(chunks[0]!.data.start));
    expect(Math.round(span / 1000)).toBe(seconds);
    expect(new Set(chunks.map((e) => e.data.clip)).size).toBe(1);
    expect(chunks.every((e) => e.data.reason === 'manual')).toBe(true);
    expect(pkg.report.sessions[0]!.video).toBe(chunks.length);

    // The locker's timeline shows the clip once, at its time, with its length.
    const locker = await openExtensionWindow(b, 'src/locker/index.html');
    await locker.locator(`tr[data-session="${sessionId}"]`).getByTestId('open-timeline').click();
    const clipRow = locker.locator('.events li.event.video');
    await clipRow.first().waitFor();
    expect(await clipRow.count()).toBe(1);
    expect(await clipRow.getAttribute('data-seq')).toBe(String(chunks[0]!.seq));
    expect(await clipRow.locator('.what').textContent()).toContain(String(seconds));
    await locker.close();

    // Every segment file decodes, with a moving picture and the sound, and lasts about as long as sealed.
    const files = Object.keys(pkg.zip.files).filter(
      (n) => n.startsWith(`sessions/${sessionId}/video/`) && !n.endsWith('/'),
    );
    expect(files.length).toBeGreaterThanOrEqual(1);
    const dir = join(ARTIFACTS, 'video');
    mkdirSync(dir, { recursive: true });
    let total = 0;
    for (const name of files) {
      expect(name).toMatch(/\/video\/[0-9A-Za-z-]+-\d{4}\.webm$/);
      const file = join(dir, name.split('/').pop()!);
      writeFileSync(file, await pkg.zip.file(name)!.async('uint8array'));
      const probe = ffprobe(file);
      expect(probe.codecs).toEqual(['audio:opus', 'video:vp8']);
      expect(probe.frames).toBeGreaterThan(10);
      expect(probe.seconds).toBeGreaterThan(0);
      total += probe.seconds;
    }
    expect(total).toBeGreaterThan(seconds - 4);
    expect(total).toBeLessThan(seconds + 4);

    // One byte changed inside one chunk: the verifier names that chunk's event.
    const victim = chunks[Math.floor(chunks.length / 2)]!;
    const path = files.find((n) => n.endsWith(`-${String(victim.data.segment).padStart(4, '0')}.webm`))!;
    const inFile = chunks.filter((e) => e.data.segment === victim.data.segment);
    const offset = inFile
      .slice(0, inFile.indexOf(victim))
      .reduce((n, e) => n + Number(e.data.bytes), Math.floor(Number(victim.data.bytes) / 2));
    const zip = await JSZip.loadAsync(await pkg.zip.generateAsync({ type: 'uint8array' }));
    const bytes = await zip.file(path)!.async('uint8array');
    bytes[offset] = bytes[offset]! ^ 0xff;
    zip.file(path, bytes);
    const tampered = await verifyPackage(await zip.generateAsync({ type: 'uint8array' }));
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toContainEqual({
      code: 'video-chunk',
      params: [path, String(victim.seq)],
      path,
      seq: victim.seq,
    });
    await page.close();
  });

  it('keeps the minute around an off-platform solicitation by itself', async () => {
    const page = await liveRoom(b, true);
    const tabId = await tabIdOf(b, page);
    const sessionId = await startPreserving(b, tabId);
    await page.bringToFront();
    expectSays(await popupAction(b, tabId, 'video-toggle'), 'videoTurnedOn');
    await page.waitForTimeout(6000);
    await page.evaluate(() =>
      (window as unknown as { __demo: { say(m: { author: string; text: string }): void } }).__demo.say({
        author: '福利小助手',
        text: '喜欢的加我威信 meimei_2025 直接给你发货',
      }),
    );
    // The clip is cut once the 20 s after the warning are recorded.
    const out = join(ARTIFACTS, 'video-detection.zip');
    let events: SealedEvent[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await page.waitForTimeout(5000);
      await exportFromLocker(b, [sessionId], out);
      const pkg = await openPackage(out);
      expect(pkg.report.ok, JSON.stringify(pkg.report.problems)).toBe(true);
      events = pkg.sessions.get(sessionId)!;
      if (videoEvents(events).length) break;
    }
    const detection = events.find((e) => e.type === 'detection' && e.data.tier === 'block')!;
    expect(detection).toBeDefined();
    // The room also shows its ¥1-with-¥99-shipping trap every 16 s: a clip may be kept for that
    // warning instead, when it came first; warnings within one clip's span share that clip.
    const warnings = new Set(
      events
        .filter(
          (e) => e.type === 'detection' && (e.data.tier === 'block' || e.data.category === 'price-trap'),
        )
        .map((e) => e.seq),
    );
    const kept = videoEvents(events);
    expect(kept.length).toBeGreaterThanOrEqual(20);
    expect(kept.every((e) => e.data.reason === 'detection' && warnings.has(Number(e.data.source)))).toBe(
      true,
    );
    const at = Date.parse(detection.time);
    expect(Date.parse(String(kept[0]!.data.start))).toBeLessThan(at);
    expect(Date.parse(String(kept[kept.length - 1]!.data.end))).toBeGreaterThan(at);
    await popupAction(b, tabId, 'video-toggle');
    await page.close();
  });

  it('says plainly that a tab in the background cannot be recorded, and that nothing can be saved while off', async () => {
    const back = await liveRoom(b);
    const backId = await tabIdOf(b, back);
    const front = await b.context.newPage();
    await front.goto(`${demo.origin}/video.html?front`);
    await front.bringToFront();
    expectSays(await popupAction(b, backId, 'video-toggle'), 'videoErrorBackgroundTab');
    expect((await videoStatus(b, backId)).on).toBe(false);
    const reply = await (async () => {
      const control = await openExtensionWindow(b, 'src/locker/index.html');
      try {
        return await control.evaluate(
          (id) => chrome.runtime.sendMessage({ v: 1, name: 'video.save', req: { tabId: id } }),
          backId,
        );
      } finally {
        await control.close();
      }
    })();
    expect(reply).toMatchObject({ ok: false, error: { code: 'video-off' } });
    await front.close();
    await back.close();
  });
});

describe('the video guard without the automation switch', () => {
  it('refuses from a popup Chrome did not open (no gesture) with a clear message, and starts from the keyboard command', async () => {
    const x = await startVirtualDisplay();
    const headed = await launch({ headless: false, env: x.env, extraArgs: [AUTOPLAY] });
    try {
      const page = await liveRoom(headed);
      const tabId = await tabIdOf(headed, page);
      await page.bringToFront();
      const refused = await popupAction(headed, tabId, 'video-toggle');
      expect(refused.startsWith('videoErrorNotInvoked'), refused.text).toBe(true);
      expect((await videoStatus(headed, tabId)).on).toBe(false);

      await page.bringToFront();
      x.press('alt+shift+v');
      await expect
        .poll(async () => (await videoStatus(headed, tabId)).on, { timeout: 20_000, interval: 1000 })
        .toBe(true);
      expect(await badge(headed, tabId)).toBe('REC');
      await expect
        .poll(async () => (await videoStatus(headed, tabId)).buffered, { timeout: 30_000, interval: 1000 })
        .toBeGreaterThanOrEqual(3);
      await page.bringToFront();
      x.press('alt+shift+v');
      await expect
        .poll(async () => (await videoStatus(headed, tabId)).on, { timeout: 20_000, interval: 1000 })
        .toBe(false);
    } finally {
      await headed.close();
      x.close();
    }
  });
});
