/**
 * The popup's action buttons, one entry each. An action says when it applies, what its button says
 * and what it does; the popup shows the ones that apply, in this order. A new action (a video
 * guard, …) is one more entry in `ACTIONS`.
 */
import browser from 'webextension-polyfill';
import type { TabStatus } from '../core/protocol';
import type { MessageKey } from '../core/i18n';
import { t } from '../i18n';
import { send } from '../ui/messaging';
import { formatBytes } from '../ui/format';

export interface ActionContext {
  /** The tab the popup acts on (`status` is null until it is known). */
  tabId: number;
  status: TabStatus | null;
  /** The real popup closes once the page shows the picker (the next click belongs to the page). */
  closeOnPick: boolean;
}

export interface PopupAction {
  /** Also the button's `data-testid`. */
  id: string;
  label: MessageKey;
  /** Drawn as the main action of the moment. */
  primary?: (ctx: ActionContext) => boolean;
  when: (ctx: ActionContext) => boolean;
  /** Does it; the text returned is shown as a notice (null: nothing to say). */
  run: (ctx: ActionContext) => Promise<string | null>;
}

const session = (ctx: ActionContext) => ctx.status?.session ?? null;

export const ACTIONS: readonly PopupAction[] = [
  {
    id: 'start',
    label: 'popupStart',
    primary: () => true,
    when: (ctx) => ctx.status?.state === 'available',
    run: async ({ tabId }) => {
      await send('session.start', { tabId });
      return t('popupStartedNotice');
    },
  },
  {
    id: 'storage-retry',
    label: 'popupStorageRetry',
    primary: () => true,
    when: (ctx) => ctx.status?.state === 'storage-full',
    run: async () => {
      const s = await send('storage.retry', {});
      if (!s.full) return t('popupStorageResumed');
      return t(
        'popupStorageStillFull',
        s.freeBytes === null ? t('popupStorageUnknown') : formatBytes(s.freeBytes),
        formatBytes(s.floorBytes),
      );
    },
  },
  {
    id: 'resume',
    label: 'popupResume',
    primary: () => true,
    when: (ctx) => ctx.status?.state === 'paused',
    run: async ({ tabId }) => {
      await send('session.resume', { tabId });
      return t('popupResumedNotice');
    },
  },
  {
    id: 'pause',
    label: 'popupPause',
    when: (ctx) => ctx.status?.state === 'preserving',
    run: async ({ tabId }) => {
      await send('session.pause', { tabId });
      return t('popupPausedNotice');
    },
  },
  {
    id: 'pick-chat',
    label: 'popupPickChat',
    primary: (ctx) => session(ctx)?.chatList === 'searching',
    when: (ctx) => ctx.status?.state === 'preserving' && !!session(ctx)?.connected,
    run: async ({ tabId, closeOnPick }) => {
      await send('chat.pick', { tabId });
      if (closeOnPick) window.close();
      return t('popupPickAsked');
    },
  },
  {
    id: 'forget-pick',
    label: 'popupForgetPick',
    when: (ctx) => !!session(ctx)?.chatPickSaved,
    run: async ({ tabId }) => {
      const { forgotten } = await send('chat.forget', { tabId });
      return forgotten ? t('popupPickForgotten') : t('popupPickNone');
    },
  },
  {
    id: 'stop',
    label: 'popupStop',
    when: (ctx) => !!session(ctx),
    run: async ({ tabId }) => {
      await send('session.stop', { tabId });
      return t('popupStoppedNotice');
    },
  },
  {
    id: 'open-locker',
    label: 'popupOpenLocker',
    when: () => true,
    run: async () => {
      await browser.tabs.create({ url: browser.runtime.getURL('src/locker/index.html') });
      window.close();
      return null;
    },
  },
];
