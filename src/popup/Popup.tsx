import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PageWarning, TabStatus } from '../core/protocol';
import type { MessageKey } from '../core/i18n';
import { KNOWN_PLATFORM_IDS } from '../core/platform-ids';
import { t } from '../i18n';
import { RequestFailed, send } from '../ui/messaging';
import { describeError } from '../ui/errors';
import { formatBytes, formatDuration } from '../ui/format';
import { ACTIONS, type ActionContext } from './actions';
import { VideoGuard } from './VideoGuard';

const REFRESH_MS = 1000;
const NOTICE_MS = 6000;
const SHOWN_WARNINGS = 3;

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
  const [used, setUsed] = useState<number | null>(null);
  const [note, setNote] = useState('');

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
    navigator.storage?.estimate().then(
      (e) => setUsed(e.usage ?? null),
      () => setUsed(null),
    );
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

  const saveMoment = (id: number) =>
    act(async () => {
      const text = note.trim();
      const r = await send('moment.save', { tabId: id, ...(text ? { note: text } : {}) });
      setNote('');
      if (r.seq === null)
        return t('popupNoteOnlySaved', describeError(new RequestFailed(r.error ?? 'internal', '')));
      return text ? t('popupMomentAndNoteSaved', r.seq) : t('popupMomentSaved', r.seq);
    });

  const ctx: ActionContext | null = tabId === null ? null : { tabId, status, closeOnPick };
  const actions = ctx ? ACTIONS.filter((a) => a.when(ctx)) : ACTIONS.filter((a) => a.id === 'open-locker');

  return (
    <main class="popup" aria-busy={busy}>
      <header>
        <h1>{t('extShortName')}</h1>
        <p class="muted">{t('popupTagline')}</p>
      </header>

      <StatusCard tabId={tabId} status={status} used={used} />

      {status?.session && status.session.latestWarnings.length > 0 && (
        <Warnings warnings={status.session.latestWarnings} />
      )}

      {status?.state === 'preserving' && tabId !== null && (
        <form
          class="moment"
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void saveMoment(tabId);
          }}
        >
          <label for="moment-note">{t('popupNoteLabel')}</label>
          <div class="moment-row">
            <input
              id="moment-note"
              name="note"
              type="text"
              maxLength={200}
              autoComplete="off"
              placeholder={t('popupNotePlaceholder')}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
            <button type="submit" class="primary" data-testid="save-moment" disabled={busy}>
              {t('popupSaveMoment')}
            </button>
          </div>
        </form>
      )}

      <section class="actions" aria-label={t('popupActions')}>
        {actions.map((a) => (
          <button
            type="button"
            key={a.id}
            data-testid={a.id}
            class={ctx && a.primary?.(ctx) ? 'primary' : undefined}
            disabled={busy}
            onClick={() => ctx && act(() => a.run(ctx))}
          >
            {t(a.label)}
          </button>
        ))}
      </section>

      {/* Not for a page that cannot be preserved at all (a browser page). */}
      {status && status.state !== 'unsupported' && <VideoGuard tabId={tabId} />}
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

const REASON_KEYS: Record<NonNullable<TabStatus['reason']>, MessageKey> = {
  'unknown-site': 'popupReasonUnknownSite',
  'platform-off': 'popupReasonPlatformOff',
  'not-live': 'popupReasonNotLive',
  stopped: 'popupReasonStopped',
  restricted: 'popupReasonRestricted',
};

function platformName(id: string): string {
  return (KNOWN_PLATFORM_IDS as readonly string[]).includes(id)
    ? t(`platformName_${id}` as MessageKey)
    : t('popupPlatformWeb');
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString();

function StatusCard({
  tabId,
  status,
  used,
}: {
  tabId: number | null;
  status: TabStatus | null;
  used: number | null;
}) {
  const session = status?.session ?? null;
  const state = status?.state ?? 'loading';
  const headline =
    state === 'preserving'
      ? t('popupPreserving')
      : state === 'paused'
        ? t('popupStatePaused')
        : state === 'storage-full'
          ? t('popupStateStorageFull')
          : state === 'available'
            ? t('popupNotPreserving')
            : t('popupUnsupported');
  return (
    <section class="status" aria-live="polite" data-state={state} data-session={session?.id}>
      {tabId === null || !status ? (
        <p>{t('popupLoading')}</p>
      ) : (
        <>
          <p class="state">
            <span class="dot" aria-hidden="true" />
            <strong>{headline}</strong>
          </p>
          {status.reason && (
            <p class="why" data-testid="reason" data-reason={status.reason}>
              {t(REASON_KEYS[status.reason])}
            </p>
          )}
          {state === 'paused' && session?.paused && (
            <p class="why">{t('popupPausedText', clock(session.paused.since))}</p>
          )}
          {state === 'storage-full' && (
            <p class="why" data-testid="storage-full">
              {t(
                'popupStorageFullText',
                status.storage.freeBytes === null
                  ? t('popupStorageUnknown')
                  : formatBytes(status.storage.freeBytes),
                clock(session?.paused?.since ?? status.storage.full?.since ?? new Date().toISOString()),
              )}
            </p>
          )}
          {session && (
            <>
              <dl class="facts">
                <dt>{t('popupPlatform')}</dt>
                <dd data-testid="platform">{platformName(session.platform)}</dd>
                {session.anchor && (
                  <>
                    <dt>{t('popupAnchor')}</dt>
                    <dd data-testid="anchor">{session.anchor}</dd>
                  </>
                )}
                <dt>{t('popupSince')}</dt>
                <dd>{formatDuration(Date.now() - Date.parse(session.startedAt))}</dd>
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
              <ul class="counts" aria-label={t('popupCounts')}>
                <Count id="chat-count" label={t('popupCountChat')} value={session.chat} />
                <Count id="product-count" label={t('popupCountProducts')} value={session.products} />
                <Count id="screenshot-count" label={t('popupCountScreenshots')} value={session.screenshots} />
                <Count
                  id="warning-count"
                  label={t('popupCountWarnings')}
                  value={session.warnings}
                  alert={session.warnings > 0}
                />
              </ul>
              {session.connected && session.chatList === 'searching' && state === 'preserving' && (
                <p class="hint" data-testid="pick-hint">
                  {t('popupPickHint')}
                </p>
              )}
              {!session.connected && state === 'preserving' && (
                <p class="muted small">{t('popupReconnecting')}</p>
              )}
            </>
          )}
          {used !== null && (
            <p class="used muted small" data-testid="storage-used">
              {t('popupStorageUsed', formatBytes(used))}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function Count({ id, label, value, alert }: { id: string; label: string; value: number; alert?: boolean }) {
  return (
    <li class={alert ? 'alert' : undefined}>
      <span class="n" data-testid={id}>
        {value}
      </span>
      <span class="label">{label}</span>
    </li>
  );
}

function Warnings({ warnings }: { warnings: readonly PageWarning[] }) {
  return (
    <section class="warnings" aria-labelledby="warnings-title">
      <h2 id="warnings-title">{t('popupLatestWarnings')}</h2>
      <ul>
        {warnings.slice(0, SHOWN_WARNINGS).map((w) => (
          <li key={w.seq} data-testid="warning">
            <p class="meta">
              <strong>
                {w.category === 'price-trap' ? t('popupWarningPriceTrap') : t('popupWarningOffPlatform')}
              </strong>{' '}
              <time dateTime={w.time}>{clock(w.time)}</time>
              {w.author && <span class="author"> · {w.author}</span>}
            </p>
            <p class="said">{w.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
