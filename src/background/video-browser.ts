/**
 * The video guard wired to the browser: tab capture, the offscreen recorder document, the badge,
 * the keyboard commands and the popup's messages. The logic is in video.ts.
 */
import browser from 'webextension-polyfill';
import { pickLang, translator, type MessageKey } from '../core/i18n';
import { ProtocolError } from '../core/protocol';
import type { EvidenceStore } from '../db';
import type { Handlers } from './router';
import type { TabSessions } from './sessions';
import { VideoGuard } from './video';
import type { RecorderCommand, RecorderReply } from './video-protocol';

const RECORDER_PAGE = 'src/background/offscreen/index.html';
export const VIDEO_GUARD_COMMAND = 'video-guard';
export const VIDEO_SAVE_COMMAND = 'video-save';

let creating: Promise<void> | null = null;

async function recorderExists(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType],
    documentUrls: [chrome.runtime.getURL(RECORDER_PAGE)],
  });
  return contexts.length > 0;
}

async function ensureRecorder(): Promise<void> {
  if (await recorderExists()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: RECORDER_PAGE,
      reasons: ['USER_MEDIA' as chrome.offscreen.Reason],
      justification: 'Records the tab the user asked to guard into a rolling buffer of its last minutes.',
    })
    .finally(() => (creating = null));
  await creating;
}

export function createVideoGuard(deps: {
  store: EvidenceStore;
  sessions: TabSessions;
  startPreserving(tabId: number): Promise<void>;
}): VideoGuard {
  const t = () => translator(pickLang(browser.i18n.getUILanguage()));
  return new VideoGuard({
    store: deps.store,
    area: browser.storage.session,
    getTab: async (tabId) => {
      const tab = await browser.tabs.get(tabId).catch(() => null);
      return tab ? { active: tab.active, ...(tab.url ? { url: tab.url } : {}) } : null;
    },
    streamIdFor: (tabId) => chrome.tabCapture.getMediaStreamId({ targetTabId: tabId }),
    ensureRecorder,
    closeRecorder: async () => {
      if (await recorderExists()) await chrome.offscreen.closeDocument();
    },
    command: async (cmd: RecorderCommand) => {
      if (!(await recorderExists())) return { ok: false, error: 'no recorder' };
      return (
        ((await browser.runtime.sendMessage(cmd)) as RecorderReply | undefined) ?? {
          ok: false,
          error: 'no reply from the recorder',
        }
      );
    },
    openSession: async (tabId) => (await deps.sessions.openSession(tabId)) ?? null,
    startPreserving: deps.startPreserving,
    indicate: (tabId, on) => {
      const title = t()(on ? 'videoBadgeTitle' : 'actionTitle');
      void Promise.all([
        browser.action.setBadgeBackgroundColor({ tabId, color: '#b42318' }),
        browser.action.setBadgeText({ tabId, text: on ? 'REC' : '' }),
        browser.action.setTitle({ tabId, title }),
      ]).catch(() => undefined); // the tab may be gone
    },
  });
}

/** The popup's and the recorder's messages. */
export function videoHandlers(
  guard: VideoGuard,
): Pick<Handlers, 'video.status' | 'video.guard' | 'video.save' | 'video.ended'> {
  return {
    'video.status': ({ tabId }) => guard.status(tabId),
    'video.guard': ({ tabId, on }) => (on ? guard.start(tabId) : guard.stop(tabId)),
    'video.save': ({ tabId }) => guard.save(tabId, 'manual'),
    async 'video.ended'({ tabId, cause }, { sender }) {
      if (!sender.url?.startsWith(chrome.runtime.getURL(RECORDER_PAGE)))
        throw new ProtocolError('forbidden-sender');
      await guard.ended(tabId, cause);
      return { done: true };
    },
  };
}

/** The keyboard commands (a user gesture, which tab capture needs) and closing tabs. */
export function installVideoListeners(guard: VideoGuard): void {
  const notify = (key: MessageKey, ...subs: (string | number)[]) => {
    const t = translator(pickLang(browser.i18n.getUILanguage()));
    void browser.notifications
      .create(`liveproof-video-${Date.now()}`, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('icons/icon-128.png'),
        title: t('videoNotifyTitle'),
        message: t(key, ...subs),
      })
      .catch(() => undefined);
  };
  const failed = (err: unknown) => {
    const code = err instanceof ProtocolError ? err.code : 'internal';
    const message = err instanceof Error ? err.message : String(err);
    const keys: Partial<Record<string, MessageKey>> = {
      'video-not-invoked': 'videoErrorNotInvoked',
      'video-background-tab': 'videoErrorBackgroundTab',
      'video-unavailable': 'videoErrorUnavailable',
      'video-off': 'videoErrorOff',
      'video-empty': 'videoErrorEmpty',
      'unsupported-page': 'errorUnsupportedPage',
      'not-preserving': 'errorNotPreserving',
    };
    notify(keys[code] ?? 'errorInternal', message);
  };
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== VIDEO_GUARD_COMMAND && command !== VIDEO_SAVE_COMMAND) return;
    const tabId = tab?.id;
    if (tabId === undefined) return;
    void (async () => {
      try {
        if (command === VIDEO_SAVE_COMMAND) {
          const saved = await guard.save(tabId, 'command');
          notify('videoSaved', saved.seconds, saved.chunks);
        } else if ((await guard.status(tabId)).on) {
          await guard.stop(tabId);
          notify('videoTurnedOff');
        } else {
          await guard.start(tabId);
          notify('videoTurnedOn');
        }
      } catch (err) {
        failed(err);
      }
    })();
  });
  browser.tabs.onRemoved.addListener((tabId) => void guard.tabClosed(tabId));
}
