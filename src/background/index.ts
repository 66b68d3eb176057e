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
import { Screenshots } from './screenshots';
import { captureEnvironment } from './environment';

const self = { id: browser.runtime.id, origin: new URL(browser.runtime.getURL('/')).origin };
const store = new EvidenceStore(new EvidenceDb());
const sessions = new TabSessions(store, new TabState(browser.storage.session), captureEnvironment);
const connected = new Map<number, PortLike>();

const screenshots = new Screenshots({
  store,
  sessions,
  getTab: (tabId) => browser.tabs.get(tabId),
  isWindowVisible: async (windowId) => (await browser.windows.get(windowId)).state !== 'minimized',
  capture: (windowId) => browser.tabs.captureVisibleTab(windowId, { format: 'png' }),
});

/** The content script the manifest declares for known platforms, injected into any other tab on request. */
const contentScript = browser.runtime.getManifest().content_scripts?.[0]?.js?.[0];

async function inject(tabId: number): Promise<void> {
  if (!contentScript) throw new Error('manifest names no content script');
  await browser.scripting.executeScript({ target: { tabId }, files: [contentScript] });
}

const handlers: Handlers = {
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
            connected: connected.has(tabId),
          }
        : null,
    };
  },
  async 'session.start'({ tabId }) {
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (!tab) throw new ProtocolError('tab-not-found');
    await sessions.startManual(tabId, tab.url);
    try {
      await inject(tabId);
    } catch (err) {
      throw new ProtocolError('unsupported-page', err instanceof Error ? err.message : String(err));
    }
    return { started: true };
  },
  async 'session.stop'({ tabId }) {
    const stopped = await sessions.stop(tabId);
    const port = connected.get(tabId);
    if (port) {
      try {
        port.postMessage({ t: 'stop' });
      } catch {
        // The page went away already.
      }
      connected.delete(tabId);
    }
    return { stopped };
  },
  async 'screenshot.take'({ tabId, note }) {
    return screenshots.take(tabId, 'manual', note);
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
    },
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
  void sessions.tabClosed(tabId);
});

browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status !== 'complete' || !tab.url) return;
  void sessions
    .tabLoaded(tabId, tab.url)
    .then((again) => (again ? inject(tabId) : undefined))
    .catch((err: unknown) => console.warn('[liveproof] re-inject', err));
});

browser.runtime.onStartup.addListener(() => {
  void sessions.closeAllOpen();
});
