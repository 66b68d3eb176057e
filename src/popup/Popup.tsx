import { useCallback, useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { TabStatus } from '../core/protocol';
import { t } from '../i18n';
import { send } from '../ui/messaging';
import { describeError } from '../ui/errors';
import { formatDuration } from '../ui/format';
import { VideoGuard } from './VideoGuard';

const REFRESH_MS = 1000;
const NOTICE_MS = 6000;

/**
 * `closeOnPick`: the real popup closes once the page is asked to show the picker, so that the
 * user's next click lands on the page (a popup opened as a window for a named tab stays open).
 */
export function Popup({ tabId, closeOnPick = false }: { tabId: number | null; closeOnPick?: boolean }) {
  const [status, setStatus] = useState<TabStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState<string | null>(null);

  useEffect(() => {
    send('key.info', {}).then(
      (k) => setKey(k.formatted.split(' ').slice(0, 4).join(' ')),
      () => setKey(null),
    );
  }, []);

  const refresh = useCallback(async () => {
    if (tabId === null) return;
    try {
      setStatus(await send('tab.status', { tabId }));
    } catch (err) {
      setError(describeError(err));
    }
  }, [tabId]);

  // A notice says what just happened; it goes away after a while, the status box stays current.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const act = async (action: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const session = status?.session ?? null;
  return (
    <main class="popup" aria-busy={busy}>
      <header>
        <h1>{t('extShortName')}</h1>
        <p class="muted">{t('popupTagline')}</p>
      </header>

      <section
        class="status"
        aria-live="polite"
        data-state={status?.state ?? 'loading'}
        data-session={session?.id}
      >
        {tabId === null || !status ? (
          <p>{t('popupLoading')}</p>
        ) : status.state === 'preserving' && session ? (
          <>
            <p class="state">
              <span class="dot on" aria-hidden="true" />
              <strong>{t('popupPreserving')}</strong>
            </p>
            <dl>
              <dt>{t('popupPlatform')}</dt>
              <dd>{session.platform === 'web' ? t('popupPlatformWeb') : session.platform}</dd>
              <dt>{t('popupSince')}</dt>
              <dd>{formatDuration(Date.now() - Date.parse(session.startedAt))}</dd>
              <dt>{t('popupChatKept')}</dt>
              <dd data-testid="chat-count">{session.chat}</dd>
              <dt>{t('popupScreenshots')}</dt>
              <dd data-testid="screenshot-count">{session.screenshots}</dd>
              <dt>{t('popupProducts')}</dt>
              <dd data-testid="product-count">{session.products}</dd>
              <dt>{t('popupWarnings')}</dt>
              <dd data-testid="warning-count" class={session.warnings ? 'alert' : undefined}>
                {session.warnings}
              </dd>
              {session.chatList && (
                <>
                  <dt>{t('popupChatArea')}</dt>
                  <dd data-testid="chat-list" data-chat-list={session.chatList}>
                    {session.chatList === 'found'
                      ? t('popupChatFound')
                      : session.chatList === 'picked'
                        ? t('popupChatPicked')
                        : t('popupChatSearching')}
                  </dd>
                </>
              )}
            </dl>
            {session.connected && session.chatList === 'searching' && (
              <p class="hint" data-testid="pick-hint">
                {t('popupPickHint')}
              </p>
            )}
            {session.latestWarnings.length > 0 && (
              <section class="warnings" aria-label={t('popupLatestWarnings')}>
                <h2>{t('popupLatestWarnings')}</h2>
                <ul>
                  {session.latestWarnings.slice(0, 3).map((w) => (
                    <li key={w.seq} data-testid="warning">
                      <time dateTime={w.time}>{new Date(w.time).toLocaleTimeString()}</time>{' '}
                      {w.author && <strong>{w.author}：</strong>}
                      <span>{w.text}</span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {!session.connected && <p class="muted">{t('popupReconnecting')}</p>}
          </>
        ) : status.state === 'available' ? (
          <p class="state">
            <span class="dot" aria-hidden="true" />
            {t('popupNotPreserving')}
          </p>
        ) : (
          <p class="state">
            <span class="dot" aria-hidden="true" />
            {t('popupUnsupported')}
          </p>
        )}
      </section>

      <section class="actions">
        {status?.state === 'preserving' && tabId !== null && (
          <>
            <button
              class="primary"
              disabled={busy}
              onClick={() =>
                act(async () => {
                  const { seq } = await send('screenshot.take', { tabId });
                  return t('popupMomentSaved', seq);
                })
              }
            >
              {t('popupSaveMoment')}
            </button>
            <button
              disabled={busy}
              onClick={() =>
                act(async () => {
                  await send('session.stop', { tabId });
                  return t('popupStoppedNotice');
                })
              }
            >
              {t('popupStop')}
            </button>
            {session?.connected && (
              <button
                class={session.chatList === 'searching' ? 'primary' : undefined}
                data-testid="pick-chat"
                disabled={busy}
                onClick={() =>
                  act(async () => {
                    await send('chat.pick', { tabId });
                    if (closeOnPick) window.close();
                    return t('popupPickAsked');
                  })
                }
              >
                {t('popupPickChat')}
              </button>
            )}
            {session?.chatPickSaved && (
              <button
                data-testid="forget-pick"
                disabled={busy}
                onClick={() =>
                  act(async () => {
                    const { forgotten } = await send('chat.forget', { tabId });
                    return forgotten ? t('popupPickForgotten') : t('popupPickNone');
                  })
                }
              >
                {t('popupForgetPick')}
              </button>
            )}
          </>
        )}
        {status?.state === 'available' && tabId !== null && (
          <button
            class="primary"
            data-testid="start"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await send('session.start', { tabId });
                return t('popupStartedNotice');
              })
            }
          >
            {t('popupStart')}
          </button>
        )}
        <button
          onClick={() => {
            void browser.tabs.create({ url: browser.runtime.getURL('src/locker/index.html') });
            window.close();
          }}
        >
          {t('popupOpenLocker')}
        </button>
      </section>

      <VideoGuard tabId={tabId} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <footer class="muted">
        {t('popupLocalOnly')}
        {key && (
          <span class="key" data-testid="key-fingerprint">
            {' '}
            {t('popupKeyFingerprint', key)}
          </span>
        )}
      </footer>
    </main>
  );
}
