import { useEffect, useMemo, useState } from 'preact/hooks';
import { EvidenceDb, type SessionRow } from '../db';
import { lang, t } from '../i18n';
import { formatBytes, formatLocalTime } from '../ui/format';
import { formatFingerprint } from '../core/sign';
import { useLiveQuery } from './use-live-query';
import { send } from '../ui/messaging';
import { download, exportSessions, type ExportedPackage } from './export';
import { KeyPanel } from './KeyPanel';
import { VerifyView } from './VerifyView';

const db = new EvidenceDb();

type Phase = 'reading' | 'building' | 'zipping';
const PHASE_KEYS = {
  reading: 'lockerPhaseReading',
  building: 'lockerPhaseBuilding',
  zipping: 'lockerPhaseZipping',
} as const;

type View = 'sessions' | 'verify';
const viewOfHash = (): View => (location.hash === '#verify' ? 'verify' : 'sessions');

export function Locker() {
  const [view, setView] = useState<View>(viewOfHash);
  useEffect(() => {
    const onHash = () => setView(viewOfHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const show = (next: View) => {
    history.replaceState(null, '', next === 'verify' ? '#verify' : '#');
    setView(next);
  };

  return (
    <main class="locker">
      <header>
        <h1>{t('lockerHeading')}</h1>
        <p class="muted">{t('lockerIntro')}</p>
      </header>
      <KeyPanel db={db} />
      <nav class="views" aria-label={t('lockerHeading')}>
        <button
          aria-pressed={view === 'sessions'}
          onClick={() => show('sessions')}
          data-testid="view-sessions"
        >
          {t('lockerNavSessions')}
        </button>
        <button aria-pressed={view === 'verify'} onClick={() => show('verify')} data-testid="view-verify">
          {t('lockerNavVerify')}
        </button>
      </nav>
      {view === 'verify' ? <VerifyView /> : <Sessions />}
    </main>
  );
}

function Sessions() {
  const sessions = useLiveQuery(() => db.sessions.orderBy('startedAt').reverse().toArray(), []);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<{ phase: Phase; percent: number } | null>(null);
  const [result, setResult] = useState<ExportedPackage | null>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const run = async (ids: string[]) => {
    setError(null);
    setResult(null);
    setProgress({ phase: 'reading', percent: 0 });
    try {
      // Trusted time for the heads that go into the package (best effort: offline exports go on).
      await send('sessions.stamp', { sessionIds: ids }).catch(() => undefined);
      const pkg = await exportSessions(db, ids, lang, (phase, percent) => setProgress({ phase, percent }));
      setResult(pkg);
      download(pkg);
    } catch (err) {
      setError(t('lockerExportFailed', err instanceof Error ? err.message : String(err)));
    } finally {
      setProgress(null);
    }
  };

  const chosen = useMemo(
    () => (sessions ?? []).filter((s) => selected.has(s.id)).map((s) => s.id),
    [sessions, selected],
  );

  return (
    <section class="sessions-view" aria-label={t('lockerNavSessions')}>
      <div class="toolbar">
        <button
          class="primary"
          disabled={!chosen.length || !!progress}
          onClick={() => run(chosen)}
          data-testid="export-selected"
        >
          {t('lockerExportSelected', chosen.length)}
        </button>
      </div>

      {progress && (
        <div class="progress" role="status">
          <label for="export-progress">{t(PHASE_KEYS[progress.phase])}</label>
          <progress id="export-progress" max={100} value={Math.round(progress.percent)} />
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <p class="exported" role="status" data-testid="export-result">
          {t('lockerExported', result.fileName, formatBytes(result.blob.size))}
          <br />
          <span class="mono">SHA-256 {result.sha256}</span>
          <br />
          {t('lockerKeyFingerprint')} <span class="mono">{formatFingerprint(result.fingerprint)}</span>{' '}
          <button onClick={() => download(result)}>{t('lockerDownloadAgain')}</button>
        </p>
      )}

      {sessions === undefined ? (
        <p>{t('popupLoading')}</p>
      ) : sessions.length === 0 ? (
        <p class="empty">{t('lockerEmpty')}</p>
      ) : (
        <table class="sessions">
          <caption class="visually-hidden">{t('lockerSessionsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">{t('lockerSelect')}</span>
              </th>
              <th scope="col">{t('lockerColPage')}</th>
              <th scope="col">{t('lockerColTime')}</th>
              <th scope="col">{t('lockerColCounts')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('lockerColActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <SessionLine
                key={s.id}
                session={s}
                checked={selected.has(s.id)}
                onToggle={() => toggle(s.id)}
                onExport={() => run([s.id])}
                busy={!!progress}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SessionLine(props: {
  session: SessionRow;
  checked: boolean;
  busy: boolean;
  onToggle: () => void;
  onExport: () => void;
}) {
  const s = props.session;
  const label = s.title || s.url;
  return (
    <tr data-session={s.id}>
      <td>
        <input
          type="checkbox"
          checked={props.checked}
          onChange={props.onToggle}
          aria-label={t('lockerSelectSession', label)}
        />
      </td>
      <td>
        <div class="title">{label}</div>
        <div class="muted small">
          {s.platform === 'web' ? t('popupPlatformWeb') : s.platform} · <span class="url">{s.url}</span>
        </div>
      </td>
      <td>
        <div>{formatLocalTime(s.startedAt)}</div>
        <div class="muted small">
          {s.status === 'open' ? (
            <>
              <span class="dot on" aria-hidden="true" />
              {t('lockerStillPreserving')}
            </>
          ) : (
            t('lockerEndedAt', formatLocalTime(s.endedAt ?? s.startedAt))
          )}
        </div>
      </td>
      <td class="counts">{t('lockerCounts', s.counts.chat, s.counts.screenshots, s.counts.events)}</td>
      <td>
        <button disabled={props.busy} onClick={props.onExport} data-testid="export-session">
          {t('lockerExportOne')}
        </button>
      </td>
    </tr>
  );
}
