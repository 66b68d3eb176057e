import { useCallback, useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../core/i18n';
import type { VideoGuardStatus } from '../core/protocol';
import { t } from '../i18n';
import { send } from '../ui/messaging';
import { describeError } from '../ui/errors';

const REFRESH_MS = 1000;

const CAUSES: Record<string, MessageKey> = {
  ended: 'videoCause_ended',
  storage: 'videoCause_storage',
  recorder: 'videoCause_recorder',
};

/**
 * The video guard of one tab: on/off, how much is in the buffer, and "save the last 2 minutes".
 * Switching it on from here works because opening the popup from the toolbar is the user's gesture
 * Chrome asks for before a tab can be recorded.
 */
export function VideoGuard({ tabId }: { tabId: number | null }) {
  const [status, setStatus] = useState<VideoGuardStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    if (tabId === null) return;
    try {
      setStatus(await send('video.status', { tabId }));
    } catch (err) {
      setError(describeError(err));
    }
  }, [tabId]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  if (tabId === null || !status) return null;

  const act = async (action: () => Promise<string>) => {
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

  const minutes = Math.round(status.bufferSeconds / 60);
  // Compact: one line of state when on, the buttons, and the explanations folded away, so that
  // the popup still fits without scrolling.
  return (
    <section class="video-guard" aria-label={t('videoHeading')} data-on={status.on ? 'on' : 'off'}>
      {status.on && (
        <p data-testid="video-state" class="video-state" aria-live="polite">
          <span class="dot" aria-hidden="true" />
          {t('videoOnStatus', status.buffered, minutes)}
        </p>
      )}
      {!status.on && status.stoppedBecause && (
        <p class="error" role="alert">
          {t('videoStopped', t(CAUSES[status.stoppedBecause] ?? 'videoCause_recorder'))}
        </p>
      )}
      <div class="video-buttons">
        {status.on && (
          <button
            class="primary"
            data-testid="video-save"
            disabled={busy}
            onClick={() =>
              act(async () => {
                const saved = await send('video.save', { tabId });
                return t('videoSaved', saved.seconds, saved.chunks);
              })
            }
          >
            {t('videoSave')}
          </button>
        )}
        <button
          data-testid="video-toggle"
          aria-pressed={status.on}
          disabled={busy}
          onClick={() =>
            act(async () => {
              const next = await send('video.guard', { tabId, on: !status.on });
              return next.on ? t('videoTurnedOn') : t('videoTurnedOff');
            })
          }
        >
          {status.on ? t('videoTurnOff') : t('videoTurnOn')}
        </button>
      </div>
      {notice && (
        <p class="notice" role="status" data-testid="video-notice">
          {notice}
        </p>
      )}
      {error && (
        <p class="error" role="alert" data-testid="video-error">
          {error}
        </p>
      )}
      <details class="video-about">
        <summary data-testid="video-about">{t('videoAbout')}</summary>
        <p>{t('videoOffHint', minutes)}</p>
        <p>{t('videoProtectedNote')}</p>
        <p>{t('videoShortcutNote')}</p>
      </details>
    </section>
  );
}
