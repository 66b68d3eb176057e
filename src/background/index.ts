/**
 * The background service worker. Every listener is registered synchronously at start, as MV3
 * requires; all state that must outlive the worker is in IndexedDB or `storage.session`.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { EvidenceDb, EvidenceStore } from '../db';
import { ProtocolError } from '../core/protocol';
import { createRouter, type Handlers } from './router';
import { serveCapturePort, type PortLike } from './capture-port';
import { TabSessions } from './sessions';
import { TabState } from './tab-state';
import { ChatLists, chatPickSaved, forgetChatPick, tellTopFrame } from './chat-picks';
import { Screenshots } from './screenshots';
import { captureEnvironment } from './environment';
import { Reactions } from './reactions';
import { pickLang, translator } from '../core/i18n';
import type { PageWarning } from '../core/protocol';
import { SettingsCache } from './settings';
import { Timestamps } from './timestamps';
import { installKeyInfo } from '../db';
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

const screenshots = new Screenshots({
  store,
  sessions,
  getTab: (tabId) => browser.tabs.get(tabId),
  isWindowVisible: async (windowId) => (await browser.windows.get(windowId)).state !== 'minimized',
  capture: (windowId) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
});

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
  screenshot: (tabId, reason, source) => {
    if (reason === 'detection') void video.detected(tabId, source); // the guard keeps the minute around it
    return screenshots.take(tabId, reason, undefined, source);
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
    return {
      tabId,
      url,
      state: session ? 'preserving' : httpPage ? 'available' : 'unsupported',
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

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  dispatch(message, sender),
);

browser.runtime.onConnect.addListener((port) =>
  serveCapturePort(port as unknown as PortLike, {
    self,
    store,
    sessions,
    connected,
    onNewSession: (tabId) => {
      screenshots.take(tabId, 'start').catch(() => undefined);
      void browser.action.setBadgeText({ tabId, text: '' }).catch(() => undefined);
    },
    onSealed: (tabId, sessionId, sealed) => void reactions.sealed(tabId, sessionId, sealed),
    onChatList: (tabId, port, state) => chatLists.report(tabId, port, state),
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
settings.onChange((next, before) => {
  if (next.screenshotIntervalSec !== before.screenshotIntervalSec) void schedulePeriodic();
  if (JSON.stringify(next.timestamps) !== JSON.stringify(before.timestamps)) void timestamps.start();
});

browser.alarms.onAlarm.addListener((alarm) => {
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

browser.runtime.onStartup.addListener(() => {
  void sessions.closeAllOpen();
});

// The first-run page opens once, after install.
browser.runtime.onInstalled.addListener((details) => {
  if (details.reason === 'install')
    void browser.tabs.create({ url: browser.runtime.getURL('src/welcome/index.html') });
});
