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
  return (
    <section class="video-guard" aria-labelledby="video-heading" data-on={status.on ? 'on' : 'off'}>
      <h2 id="video-heading">{t('videoHeading')}</h2>
      <p data-testid="video-state" aria-live="polite">
        {status.on ? t('videoOnStatus', status.buffered, minutes) : t('videoOffHint', minutes)}
      </p>
      {!status.on && status.stoppedBecause && (
        <p class="error" role="alert">
          {t('videoStopped', t(CAUSES[status.stoppedBecause] ?? 'videoCause_recorder'))}
        </p>
      )}
      <div class="actions">
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
      <p class="muted">{t('videoProtectedNote')}</p>
      <p class="muted">{t('videoShortcutNote')}</p>
    </section>
  );
}
