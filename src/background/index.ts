/**
 * The background service worker. Every listener is registered synchronously at start, as MV3
 * requires; all state that must outlive the worker is in IndexedDB or `storage.session`.
 */
import { Orphans } from './orphans';
import browser, { type Runtime } from 'webextension-polyfill';
import { EvidenceDb, EvidenceStore } from '../db';
import { ProtocolError } from '../core/protocol';
import { createRouter, type Handlers } from './router';
import { serveCapturePort, type PortLike } from './capture-port';
import { TabSessions } from './sessions';
import { TabState } from './tab-state';
import { ChatLists, chatPickSaved, forgetChatPick, tellTopFrame } from './chat-picks';
import { Screenshots } from './screenshots';
import { TriggerJournal } from './screenshot-journal';
import { captureEnvironment } from './environment';
import { Reactions } from './reactions';
import { pickLang, translator } from '../core/i18n';
import type { PageWarning } from '../core/protocol';
import { SettingsCache } from './settings';
import { Timestamps } from './timestamps';
import { applyRetention, installKeyInfo, StorageFullError } from '../db';
import { DEFAULT_FLOOR_BYTES, StorageGuard } from './storage-guard';
import type { ErrorCode, PortOut } from '../core/protocol';
import { isoTime, randomHex } from '../core/time';
import { createVideoGuard, installVideoListeners, videoHandlers } from './video-browser';

const self = { id: browser.runtime.id, origin: new URL(browser.runtime.getURL('/')).origin };
const store = new EvidenceStore(new EvidenceDb());
const settings = new SettingsCache(browser.storage.local, browser.storage.onChanged);
const sessions = new TabSessions(store, new TabState(browser.storage.session), captureEnvironment, () =>
  settings.get(),
);
const timestamps = new Timestamps({
  store,
  area: browser.storage.local,
  alarms: {
    create: (name, info) => browser.alarms.create(name, info),
    clear: (name) => browser.alarms.clear(name),
    get: (name) => browser.alarms.get(name),
  },
  config: async () => (await settings.get()).timestamps,
});
const connected = new Map<number, Set<PortLike>>();
const chatLists = new ChatLists();

/** Sealing stops before the disk is full and resumes once there is room again (storage-guard.ts). */
const guard = new StorageGuard({
  estimate: () => navigator.storage.estimate(),
  floorBytes: DEFAULT_FLOOR_BYTES,
});
const STORAGE_ALARM = 'liveproof/storage-retry';
const STORAGE_RETRY_MS = 5000;
/** Sessions that could not store for lack of space, by session id: their tab. */
const stalled = new Map<string, number>();
let storageTimer: ReturnType<typeof setInterval> | null = null;

function tellTab(tabId: number, message: PortOut): void {
  for (const port of connected.get(tabId) ?? []) {
    try {
      port.postMessage(message);
    } catch {
      // That page or frame is gone.
    }
  }
}

/** A session could not store for lack of space: it is paused (when that can still be written) and its page says so. */
async function storageFull(tabId: number, sessionId: string, writeFailed: boolean): Promise<void> {
  guard.trip(writeFailed ? 'write-failed' : 'low-space');
  if (stalled.has(sessionId)) return;
  stalled.set(sessionId, tabId);
  await store.pause(sessionId, 'storage-full').catch(() => false);
  tellTab(tabId, { t: 'paused', cause: 'storage-full' });
}

/** There is room again: every session stopped for lack of space seals a `resume` and goes on. */
async function resumeStalled(since?: string): Promise<void> {
  const open = await store.db.sessions.where('status').equals('open').toArray();
  for (const s of open) {
    if (s.paused?.cause !== 'storage-full' && !stalled.has(s.id)) continue;
    try {
      const resumed = await store.resume(s.id, 'storage-full', since);
      stalled.delete(s.id);
      if (resumed) tellTab(s.tabId, { t: 'resumed', cause: 'storage-full' });
    } catch (err) {
      if (err instanceof StorageFullError) guard.trip('write-failed');
      else console.warn('[liveproof] resume after storage full', err);
    }
  }
}

/** Looks for room again (timer, alarm, the popup); resumes what stopped when there is. */
async function retryStorage(): Promise<void> {
  const wasFull = guard.full;
  if (!(await guard.retry())) return;
  if (!wasFull) await resumeStalled(); // after a worker restart: sessions still marked in the database
  if (!guard.full) await browser.alarms.clear(STORAGE_ALARM);
}

guard.onChange((full, was) => {
  if (full) {
    storageTimer ??= setInterval(() => void retryStorage(), STORAGE_RETRY_MS);
    void browser.alarms.create(STORAGE_ALARM, { periodInMinutes: 0.5 });
    // Every preserved page says so at once, not only the next time it has something to keep.
    for (const tabId of connected.keys())
      void sessions.openSession(tabId).then((s) => (s ? storageFull(tabId, s.id, false) : undefined));
    return;
  }
  if (storageTimer) clearInterval(storageTimer);
  storageTimer = null;
  void resumeStalled(was?.since);
});

const screenshots = new Screenshots({
  store,
  sessions,
  getTab: (tabId) => browser.tabs.get(tabId),
  isWindowVisible: async (windowId) => (await browser.windows.get(windowId)).state !== 'minimized',
  capture: (windowId) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
  roomToStore: () => guard.allows(),
  onStorageFull: (tabId, sessionId) => void storageFull(tabId, sessionId, true),
  journal: new TriggerJournal(browser.storage.local, browser.storage.session),
});
// Pictures still wanted when a session ends are sealed into it as missed before it closes.
sessions.onClosing = (session) => screenshots.sessionEnding(session);
// Triggers a stopped worker left waiting get their picture now, or are sealed as missed.
void screenshots.recover().catch((err: unknown) => console.warn('[liveproof] screenshot triggers', err));

const PERIODIC_ALARM = 'liveproof/periodic-screenshot';
/** How long a stop or an export waits for trusted time before going on without it. */
const STAMP_WAIT_MS = 8000;

/** Whether `p` settled within `ms`; it goes on in the background either way. */
async function withinMs(ms: number, p: Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
/** A notification per tab at most this often; the banner and the badge show every warning. */
const NOTIFY_EVERY_MS = 60_000;
const lastNotified = new Map<number, number>();

async function warn(tabId: number, sessionId: string, w: PageWarning): Promise<void> {
  for (const port of connected.get(tabId) ?? []) {
    try {
      port.postMessage({ t: 'warn', warning: w });
    } catch {
      // That page or frame is gone.
    }
  }
  const row = await store.db.sessions.get(sessionId);
  const count = row?.counts.warnings ?? 0;
  await browser.action.setBadgeBackgroundColor({ tabId, color: '#b42318' }).catch(() => undefined);
  await browser.action
    .setBadgeText({ tabId, text: count > 99 ? '99+' : String(count) })
    .catch(() => undefined);
  if (w.tier !== 'block' && w.category !== 'price-trap') return;
  const now = Date.now();
  if (now - (lastNotified.get(tabId) ?? 0) < NOTIFY_EVERY_MS) return;
  lastNotified.set(tabId, now);
  const t = translator(pickLang(browser.i18n.getUILanguage()));
  await browser.notifications
    .create(`liveproof-warn-${tabId}-${w.seq}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('icons/icon-128.png'),
      title: w.category === 'price-trap' ? t('warnTitlePriceTrap') : t('warnTitleOffPlatform'),
      message: (w.author ? t('warnSaid', w.author) + ' ' : '') + w.text.slice(0, 200),
      priority: 2,
    })
    .catch((err: unknown) => console.warn('[liveproof] notification', err));
}

const reactions = new Reactions({
  store,
  screenshot: (tabId, reason, source, sessionId) => {
    if (reason === 'detection') void video.detected(tabId, source); // the guard keeps the minute around it
    return screenshots.take(tabId, reason, undefined, source, sessionId);
  },
  warn: (tabId, sessionId, w) => void warn(tabId, sessionId, w),
});

/** The content script the manifest declares for known platforms, injected into any other tab on request. */
const contentScript = browser.runtime.getManifest().content_scripts?.[0]?.js?.[0];

async function inject(tabId: number): Promise<void> {
  if (!contentScript) throw new Error('manifest names no content script');
  await browser.scripting.executeScript({ target: { tabId }, files: [contentScript] });
}

async function startPreserving(tabId: number): Promise<void> {
  const tab = await browser.tabs.get(tabId).catch(() => null);
  if (!tab) throw new ProtocolError('tab-not-found');
  await sessions.startManual(tabId, tab.url);
  try {
    await inject(tabId);
  } catch (err) {
    throw new ProtocolError('unsupported-page', err instanceof Error ? err.message : String(err));
  }
}

const video = createVideoGuard({ store, sessions, startPreserving });
installVideoListeners(video);

const handlers: Handlers = {
  ...videoHandlers(video),
  async 'tab.status'({ tabId }) {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (!tab) throw new ProtocolError('tab-not-found');
    const url = tab.url ?? null;
    const session = await sessions.openSession(tabId);
    const httpPage = !!url && /^https?:\/\//i.test(url);
    await guard.allows(); // a fresh look at the free space, at most every few seconds
    const state = session
      ? session.paused?.cause === 'user'
        ? 'paused'
        : session.paused || guard.full
          ? 'storage-full'
          : 'preserving'
      : httpPage
        ? 'available'
        : 'unsupported';
    return {
      tabId,
      url,
      state,
      ...(!session ? { reason: httpPage ? await sessions.whyNot(tabId, url) : 'restricted' } : {}),
      storage: { full: guard.full, freeBytes: guard.freeBytes, floorBytes: guard.floorBytes },
      session: session
        ? {
            id: session.id,
            platform: session.platform,
            adapter: session.adapter,
            startedAt: session.startedAt,
            events: session.counts.events,
            chat: session.counts.chat,
            screenshots: session.counts.screenshots,
            products: session.counts.products ?? 0,
            warnings: session.counts.warnings ?? 0,
            latestWarnings: session.warnings ?? [],
            connected: (connected.get(tabId)?.size ?? 0) > 0,
            chatList: chatLists.of(tabId),
            chatPickSaved: await chatPickSaved(browser.storage.local, url),
            ...(session.anchor ? { anchor: session.anchor } : {}),
            paused: session.paused ?? null,
          }
        : null,
    };
  },
  async 'session.start'({ tabId }) {
    await startPreserving(tabId);
    return { started: true };
  },
  async 'key.info'() {
    return installKeyInfo(store.db);
  },
  async 'sessions.stamp'({ sessionIds }) {
    return { done: await withinMs(STAMP_WAIT_MS, timestamps.stampNow(sessionIds)) };
  },
  async 'session.stop'({ tabId }) {
    // The last head gets its trusted time before the session closes (a closed chain takes no stamp).
    const open = await sessions.openSession(tabId);
    if (open) await withinMs(STAMP_WAIT_MS, timestamps.stampNow([open.id]));
    await video.stop(tabId); // a clip needs an open session to be sealed in
    const stopped = await sessions.stop(tabId);
    for (const port of connected.get(tabId) ?? []) {
      try {
        port.postMessage({ t: 'stop' });
      } catch {
        // The page went away already.
      }
    }
    connected.delete(tabId);
    return { stopped };
  },
  async 'session.pause'({ tabId }) {
    const paused = await sessions.pause(tabId);
    if (paused) tellTab(tabId, { t: 'paused', cause: 'user' });
    return { paused };
  },
  async 'session.resume'({ tabId }) {
    const resumed = await sessions.resume(tabId);
    if (resumed) tellTab(tabId, { t: 'resumed', cause: 'user' });
    return { resumed };
  },
  async 'moment.save'({ tabId, note }) {
    const open = await sessions.openSession(tabId);
    if (!open) throw new ProtocolError('not-preserving');
    if (open.paused) throw new ProtocolError(open.paused.cause === 'user' ? 'paused' : 'storage-full');
    if (guard.full) throw new ProtocolError('storage-full');
    let seq: number | null = null;
    let error: ErrorCode | undefined;
    try {
      ({ seq } = await screenshots.take(tabId, 'manual', undefined, undefined, open.id));
    } catch (err) {
      // Without a picture the note is still worth keeping; the reply says why there is no picture.
      if (!note || !(err instanceof ProtocolError) || err.code === 'storage-full' || err.code === 'paused')
        throw err;
      error = err.code;
    }
    let noteSeq: number | null = null;
    if (note) {
      try {
        const { sealed } = await store.append(open.id, [
          {
            key: `note:${randomHex(8)}`,
            type: 'note',
            time: isoTime(),
            data: { text: note, ...(seq !== null ? { about: seq } : {}) },
          },
        ]);
        noteSeq = sealed[0]?.seq ?? null;
      } catch (err) {
        if (err instanceof StorageFullError) {
          void storageFull(tabId, open.id, true);
          throw new ProtocolError('storage-full');
        }
        throw err;
      }
    }
    return { seq, noteSeq, ...(error ? { error } : {}) };
  },
  async 'storage.retry'() {
    await retryStorage();
    return { full: guard.full, freeBytes: guard.freeBytes, floorBytes: guard.floorBytes };
  },
  async 'screenshot.take'({ tabId, note }) {
    return screenshots.take(tabId, 'manual', note);
  },
  async 'chat.pick'({ tabId }) {
    if (!tellTopFrame(connected.get(tabId) ?? [], { t: 'pick' })) throw new ProtocolError('not-preserving');
    return { asked: true };
  },
  async 'chat.forget'({ tabId }) {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (!tab) throw new ProtocolError('tab-not-found');
    const forgotten = await forgetChatPick(browser.storage.local, tab.url);
    tellTopFrame(connected.get(tabId) ?? [], { t: 'forget-pick' });
    return { forgotten };
  },
};

const dispatch = createRouter(handlers, self);
const orphans = new Orphans(browser.storage.local, store);

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  dispatch(message, sender),
);

browser.runtime.onConnect.addListener((port) =>
  serveCapturePort(port as unknown as PortLike, {
    self,
    store,
    sessions,
    connected,
    onNewSession: (tabId, sessionId) => {
      screenshots.take(tabId, 'start', undefined, undefined, sessionId).catch(() => undefined);
      void browser.action.setBadgeText({ tabId, text: '' }).catch(() => undefined);
    },
    onSealed: (tabId, sessionId, sealed) => void reactions.sealed(tabId, sessionId, sealed),
    onChatList: (tabId, port, state) => chatLists.report(tabId, port, state),
    beforeHello: async () => {
      for (const o of await orphans.adopt())
        if (o.sealed.length) void reactions.sealed(o.tabId, o.sessionId, o.sealed);
    },
    roomToStore: () => guard.allows(),
    onStorageFull: (tabId, sessionId, writeFailed) => void storageFull(tabId, sessionId, writeFailed),
  }),
);

browser.commands.onCommand.addListener((command, tab) => {
  if (command !== 'save-moment') return;
  void (async () => {
    const target =
      tab?.id !== undefined ? tab : (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0];
    if (target?.id === undefined) return;
    await screenshots
      .take(target.id, 'command')
      .catch((err: unknown) => console.warn('[liveproof] save-moment', err));
  })();
});

browser.tabs.onRemoved.addListener((tabId) => {
  connected.delete(tabId);
  chatLists.forgetTab(tabId);
  void sessions.tabClosed(tabId);
});

browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status !== 'complete' || !tab.url) return;
  void sessions
    .tabLoaded(tabId, tab.url)
    .then((again) => (again ? inject(tabId) : undefined))
    .catch((err: unknown) => console.warn('[liveproof] re-inject', err));
});

// A picture of each preserved tab that is on screen, as often as the options say (alarms survive
// the worker being stopped; Chrome runs them at most every 30 s).
async function schedulePeriodic(): Promise<void> {
  const every = (await settings.get()).screenshotIntervalSec;
  await browser.alarms.clear(PERIODIC_ALARM);
  if (every > 0) await browser.alarms.create(PERIODIC_ALARM, { periodInMinutes: every / 60 });
}
void schedulePeriodic();
void timestamps.start();
// A worker that starts again after the disk was full finds the sessions it had to stop in the database.
void retryStorage();
settings.onChange((next, before) => {
  if (next.screenshotIntervalSec !== before.screenshotIntervalSec) void schedulePeriodic();
  if (JSON.stringify(next.timestamps) !== JSON.stringify(before.timestamps)) void timestamps.start();
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === STORAGE_ALARM) {
    void retryStorage();
    return;
  }
  if (Timestamps.owns(alarm.name)) {
    void timestamps.onAlarm(alarm.name);
    return;
  }
  if (alarm.name !== PERIODIC_ALARM) return;
  void (async () => {
    const visible = await browser.tabs.query({ active: true });
    for (const tab of visible) {
      if (tab.id === undefined || !connected.has(tab.id)) continue;
      const win = await browser.windows.get(tab.windowId!).catch(() => null);
      if (!win || win.state === 'minimized') continue;
      await screenshots.take(tab.id, 'periodic').catch(() => undefined);
    }
  })();
});

/** Once a day, sessions in no case are deleted after the retention period (the locker also runs it when opened). */
const RETENTION_ALARM = 'liveproof/retention';

function retention(): Promise<unknown> {
  return (async () => applyRetention(store.db, (await settings.get()).retentionDays))().catch(
    (err: unknown) => console.warn('[liveproof] retention', err),
  );
}

/** Alarms may not survive a browser restart: made again at every start and install. */
async function ensureRetentionAlarm(): Promise<void> {
  if (!(await browser.alarms.get(RETENTION_ALARM)))
    await browser.alarms.create(RETENTION_ALARM, { delayInMinutes: 60, periodInMinutes: 24 * 60 });
}

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RETENTION_ALARM) void retention();
});

browser.runtime.onStartup.addListener(() => {
  void ensureRetentionAlarm();
  void sessions
    .closeAllOpen()
    .then(retention)
    .catch((err: unknown) => console.warn('[liveproof] retention', err));
});

// The first-run page opens once, after install.
browser.runtime.onInstalled.addListener((details) => {
  void ensureRetentionAlarm();
  if (details.reason === 'install')
    void browser.tabs.create({ url: browser.runtime.getURL('src/welcome/index.html') });
});
