/**
 * The evidence database's upgrade in real Chromium: the profile holds the database as a version-4
 * build left it (one row per event in `events`), and the current build opens it when the browser
 * starts again on that profile (as after an update). What the user kept must all be there: the locker lists the sessions
 * with their counts, the timeline shows every event and the screenshot, the exported package holds
 * every event unchanged and verifies, and preserving a new stream still works. A session that had lost a
 * record before the upgrade is refused at export with a message that says which, and kept as it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import type { ExtensionBrowser } from '../../src/cli/chromium';
import { exportFromLocker, openExtensionWindow, startPreserving, tabIdOf } from '../../src/cli/automation';
import { emptyHead, sealAfter, type Unsealed } from '../../src/core/chain';
import type { SealedEvent } from '../../src/core/evidence';
import { pickLang, translator, type Translate } from '../../src/core/i18n';
import { compactUtc, randomHex } from '../../src/core/time';
import type { EventRow, SessionRow } from '../../src/db/schema';
import { ARTIFACTS, launch, openPackage, solidPng, storedEvents, waitForChatCount } from './harness';

/** Dexie opens schema version n as IndexedDB version n × 10 (dexie.mjs: `Math.round(db.verno * 10)`). */
const V4_IDB_VERSION = 40;

/** What a version-4 build had stored for one session: its row and its sealed events with their keys. */
interface OldSession {
  row: SessionRow;
  events: SealedEvent[];
  keys: string[];
  /** The seq of an event whose row the old database lost (a damaged store). */
  lost?: number;
}

const SHOT = solidPng(320, 180, [0x2a, 0x6f, 0xd0]);
const SHOT_SHA = createHash('sha256').update(SHOT).digest('hex');

/** A closed session of `chats` chat messages (a screenshot after the page event when `shot`), sealed by the chain code. */
async function oldSession(n: number, chats: number, shot: boolean): Promise<OldSession> {
  const started = Date.now() - 3 * 3600_000 + n * 1800_000;
  const id = `${compactUtc(new Date(started))}-${randomHex(4)}`;
  const url = `https://live.douyin.com/88012345${n}`;
  const title = `升级前的直播 ${n}`;
  let clock = started;
  const at = () => new Date((clock += 500)).toISOString();
  const drafts: (Unsealed & { key: string })[] = [
    {
      key: 'page:0',
      type: 'page',
      time: at(),
      data: {
        url,
        title,
        platform: 'douyin',
        adapter: 'generic',
        extensionVersion: '0.4.0',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
        os: 'linux',
        timeZone: 'Asia/Shanghai',
        language: 'zh-CN',
        deviceClock: new Date(clock).toISOString(),
      },
    },
  ];
  if (shot)
    drafts.push({
      key: 'shot:start',
      type: 'screenshot',
      time: at(),
      data: { sha256: SHOT_SHA, bytes: SHOT.length, mediatype: 'image/png', reason: 'start', url },
    });
  for (let i = 0; i < chats; i++)
    drafts.push({
      key: `chat:${n}:${i}`,
      type: 'chat',
      time: at(),
      data:
        i % 50 === 0
          ? { author: '主播小美', text: `第 ${i / 50 + 1} 款，拍下立减`, kind: 'host' }
          : { author: `观众${i % 17}`, text: `第 ${i} 条：这个多少钱？`, kind: 'chat' },
    });
  drafts.push({ key: 'end', type: 'session-end', time: at(), data: { cause: 'stopped-by-user' } });
  const head = await emptyHead(id);
  const events = await sealAfter(
    head,
    drafts.map(({ type, time, data }) => ({ type, time, data })),
  );
  const last = events.at(-1)!;
  return {
    row: {
      id,
      tabId: 100 + n,
      url,
      title,
      platform: 'douyin',
      adapter: 'generic',
      startedAt: new Date(started).toISOString(),
      endedAt: last.time,
      status: 'closed',
      genesis: head.hash,
      headSeq: last.seq,
      headHash: last.hash,
      counts: { events: events.length, chat: chats, screenshots: shot ? 1 : 0, products: 0, detections: 0 },
    },
    events,
    keys: drafts.map((d) => d.key),
  };
}

/**
 * In the service worker: replaces the extension's database with one as a version-4 build left it —
 * the stores and indexes version 4 of src/db/schema.ts declares, at IndexedDB version 40 — holding
 * `sessions`, their events one row each, the screenshot and the installation's signing key.
 */
function writeVersion4(
  worker: Worker,
  sessions: OldSession[],
): Promise<{ stores: string[]; fingerprints: string[] }> {
  const rows: EventRow[] = sessions.flatMap((s) =>
    s.events
      .filter((e) => e.seq !== s.lost)
      .map((e) => ({ ...e, sessionId: s.row.id, key: s.keys[e.seq]! }) as EventRow),
  );
  return worker.evaluate(
    async ({ version, sessions, rows, shot }) => {
      const done = <T>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      // The key the installation already has, kept as a version-4 build would have had it.
      const current = await done(indexedDB.open('liveproof'));
      const keys = current.objectStoreNames.contains('keys')
        ? ((await done(current.transaction('keys').objectStore('keys').getAll())) as {
            fingerprint: string;
          }[])
        : [];
      current.close();
      // The app's own connection closes on the deletion's versionchange (Dexie's default). The
      // deletion and the open are queued in order, so nothing can open the database in between.
      const deletion = indexedDB.deleteDatabase('liveproof');
      const open = indexedDB.open('liveproof', version);
      open.onupgradeneeded = () => {
        const db = open.result;
        const tx = open.transaction!;
        const sessionStore = db.createObjectStore('sessions', { keyPath: 'id' });
        for (const i of ['tabId', 'status', 'startedAt']) sessionStore.createIndex(i, i);
        db.createObjectStore('events', { keyPath: ['sessionId', 'seq'] }).createIndex(
          '[sessionId+key]',
          ['sessionId', 'key'],
          { unique: true },
        );
        db.createObjectStore('blobs', { keyPath: 'sha256' });
        db.createObjectStore('keys', { keyPath: 'id' });
        db.createObjectStore('cases', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
        db.createObjectStore('receipts', { keyPath: 'id' }).createIndex('caseId', 'caseId');
        db.createObjectStore('marks', { keyPath: ['session', 'seq'] }).createIndex('session', 'session');
        db.createObjectStore('audit', { keyPath: 'id', autoIncrement: true }).createIndex('time', 'time');
        const chunks = db.createObjectStore('videoChunks', { keyPath: 'id', autoIncrement: true });
        chunks.createIndex('recording', 'recording');
        chunks.createIndex('[recording+segment]', ['recording', 'segment']);
        for (const s of sessions) tx.objectStore('sessions').add(s);
        for (const r of rows) tx.objectStore('events').add(r);
        for (const k of keys) tx.objectStore('keys').add(k);
        const bytes = Uint8Array.from(atob(shot.base64), (c) => c.charCodeAt(0));
        tx.objectStore('blobs').add({
          sha256: shot.sha256,
          mediatype: 'image/png',
          bytes: bytes.length,
          blob: new Blob([bytes], { type: 'image/png' }),
        });
      };
      await done(deletion);
      const db = await done(open);
      const stores = [`version ${db.version}`, ...db.objectStoreNames];
      db.close();
      return { stores, fingerprints: keys.map((k) => k.fingerprint) };
    },
    {
      version: V4_IDB_VERSION,
      sessions: sessions.map((s) => s.row),
      rows,
      shot: { base64: SHOT.toString('base64'), sha256: SHOT_SHA },
    },
  );
}

let demo: DemoServer;
let b: ExtensionBrowser;
let small: OldSession;
let large: OldSession;
let broken: OldSession;
/** The installation's signing key as the version-4 database held it. */
let fingerprints: string[] = [];
let t: Translate = translator('zh_CN');
let locker: Page;
const lockerErrors: string[] = [];
const profile = mkdtempSync(join(tmpdir(), 'liveproof-upgrade-profile-'));

beforeAll(async () => {
  demo = await startDemoServer();
  // A few hundred events with a screenshot, and one session long enough that the upgrade reads
  // its rows in more than one batch (4,096 rows a batch).
  small = await oldSession(1, 300, true);
  large = await oldSession(2, 4500, false);
  broken = { ...(await oldSession(3, 100, false)), lost: 50 };
  const before = await launch({ profile });
  let stores: string[];
  let fingerprint: string | null;
  try {
    // The installation's signing key, made when the locker first shows it.
    const first = await openExtensionWindow(before, 'src/locker/index.html');
    const shown = first.locator('[data-testid="key-fingerprint"][data-fingerprint]');
    await shown.waitFor();
    fingerprint = await shown.getAttribute('data-fingerprint');
    await first.close();
    ({ stores, fingerprints } = await writeVersion4(before.worker, [small, large, broken]));
    // Still version 4 as the browser closes: the upgrade is left to the next start.
    expect(
      await before.worker.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('liveproof');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              resolve(open.result.version);
              open.result.close();
            };
          }),
      ),
    ).toBe(V4_IDB_VERSION);
  } finally {
    await before.close();
  }
  expect(fingerprints).toEqual([fingerprint]);
  expect(stores).toEqual([
    'version 40',
    'audit',
    'blobs',
    'cases',
    'events',
    'keys',
    'marks',
    'receipts',
    'sessions',
    'videoChunks',
  ]);
  // The browser starts again on the same profile (chrome.runtime.reload() leaves an extension
  // loaded with --load-extension blocked), and the current build opens the database.
  b = await launch({ profile });
});

afterAll(async () => {
  await b?.close();
  await demo?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('a database left by a version-4 build, opened by the current build in Chromium', () => {
  it('lists the old sessions with their counts in the locker', async () => {
    locker = await openExtensionWindow(b, 'src/locker/index.html');
    locker.on('pageerror', (e) => lockerErrors.push(e.message));
    t = translator(pickLang(await locker.evaluate(() => document.documentElement.lang)));
    for (const s of [small, large]) {
      const row = locker.locator(`tr[data-session="${s.row.id}"]`);
      await row.waitFor({ timeout: 60_000 });
      expect(await row.locator('.title').textContent()).toBe(s.row.title);
      expect(await row.locator('td.counts').textContent()).toContain(
        t('lockerCounts', s.row.counts.chat, s.row.counts.screenshots, s.row.counts.events),
      );
    }
    // The same signing key as before the upgrade: a complaint letter that cites it still matches.
    expect(await locker.getByTestId('key-fingerprint').getAttribute('data-fingerprint')).toBe(
      fingerprints[0],
    );
    await locker.screenshot({ path: join(ARTIFACTS, 'upgrade-locker.png') });
    // Every event moved, unchanged and in order, and the old one-row-per-event store is gone.
    expect(await storedEvents(b, small.row.id)).toEqual(small.events);
    expect(await storedEvents(b, large.row.id)).toEqual(large.events);
    expect(
      await b.worker.evaluate(
        () =>
          new Promise<string>((resolve, reject) => {
            const open = indexedDB.open('liveproof');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              resolve(`${db.version} ${[...db.objectStoreNames].includes('events') ? 'events' : 'pages'}`);
              db.close();
            };
          }),
      ),
    ).toBe('60 pages');
    expect(lockerErrors).toEqual([]);
  });

  it('shows every event of an old session on its timeline, screenshot included', async () => {
    await locker.locator(`tr[data-session="${small.row.id}"]`).getByTestId('open-timeline').click();
    const shown = small.row.counts.chat + small.row.counts.screenshots;
    await locker.getByText(t('lockerShowingRange', 1, 300, shown)).waitFor();
    const shot = locker.locator('.events li.event.screenshot img');
    await expect
      .poll(() => shot.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), { timeout: 20_000 })
      .toBe(320);
    expect(await locker.locator('.events li.event').count()).toBe(300);
    await locker.screenshot({ path: join(ARTIFACTS, 'upgrade-timeline-start.png') });
    await locker.getByRole('button', { name: t('lockerLater') }).click();
    await locker.getByText(t('lockerShowingRange', 301, shown, shown)).waitFor();
    const lastChat = small.events.filter((e) => e.type === 'chat').at(-1)!;
    expect(await locker.locator(`#ev-${lastChat.seq} .what`).textContent()).toContain(
      String(lastChat.data.text),
    );
    await locker.screenshot({ path: join(ARTIFACTS, 'upgrade-timeline-end.png') });
    await locker.getByRole('button', { name: t('lockerBack') }).click();
    expect(lockerErrors).toEqual([]);
  });

  it('exports the old sessions into a package that holds every event unchanged and verifies', async () => {
    const file = join(ARTIFACTS, 'upgrade-package.zip');
    await exportFromLocker(b, [small.row.id, large.row.id], file, 180_000);
    const pkg = await openPackage(file);
    expect(pkg.report.problems).toEqual([]);
    expect(pkg.report.ok).toBe(true);
    expect(pkg.report.signature.fingerprint).toBe(fingerprints[0]);
    expect(pkg.sessions.get(small.row.id)).toEqual(small.events);
    expect(pkg.sessions.get(large.row.id)).toEqual(large.events);
    const png = await pkg.zip.file(`sessions/${small.row.id}/screenshots/000001.png`)!.async('nodebuffer');
    expect(png.equals(SHOT)).toBe(true);
  });

  it('refuses to export an old session that had lost a record, saying which, and keeps what it has', async () => {
    const file = join(ARTIFACTS, 'upgrade-broken.zip');
    await expect(exportFromLocker(b, [broken.row.id], file, 60_000)).rejects.toThrow(
      new Error(t('lockerExportFailed', t('lockerExportChainGap', broken.row.id, 50))),
    );
    expect(await storedEvents(b, broken.row.id)).toEqual(broken.events.filter((e) => e.seq !== 50));
  });

  it('preserves a new stream after the upgrade', async () => {
    const page = await b.context.newPage();
    await page.goto(demo.roomUrl({ rate: 8, seed: 31 }));
    const tabId = await tabIdOf(b, page);
    const id = await startPreserving(b, tabId);
    expect([small.row.id, large.row.id]).not.toContain(id);
    await page.bringToFront();
    await waitForChatCount(b, tabId, 10, 60_000);
    const events = await storedEvents(b, id);
    expect(events[0]).toMatchObject({ seq: 0, type: 'page' });
    expect(events.filter((e) => e.type === 'chat').length).toBeGreaterThanOrEqual(10);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    // The old sessions are untouched by the new one.
    expect(await storedEvents(b, small.row.id)).toEqual(small.events);
  });
});
