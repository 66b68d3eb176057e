import { useEffect, useMemo, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import {
  EvidenceDb,
  applyRetention,
  createCase,
  deleteSessions,
  sessionsInCases,
  type SessionRow,
} from '../db';
import { lang, t } from '../i18n';
import { formatLocalTime } from '../ui/format';
import { SETTINGS_KEY, readSettings } from '../core/settings';
import { platformLabel } from '../core/case/prefill';
import { useLiveQuery } from './use-live-query';
import { send } from '../ui/messaging';
import { exportSessions } from './export';
import { ExportStatus, useExport } from './ExportStatus';
import { KeyPanel } from './KeyPanel';
import { VerifyView } from './VerifyView';
import { SessionTimeline } from './SessionTimeline';
import { CaseEditor, CaseList } from './CaseBuilder';
import { go } from './nav';

const db = new EvidenceDb();

type Route =
  | { view: 'sessions' }
  | { view: 'verify' }
  | { view: 'cases' }
  | { view: 'case'; id: string }
  | { view: 'session'; id: string };

function routeOfHash(): Route {
  const h = decodeURIComponent(location.hash.slice(1));
  if (h === 'verify') return { view: 'verify' };
  if (h === 'cases') return { view: 'cases' };
  if (h.startsWith('case/')) return { view: 'case', id: h.slice(5) };
  if (h.startsWith('session/')) return { view: 'session', id: h.slice(8) };
  return { view: 'sessions' };
}

/** Retention runs when the locker opens (and when the browser starts): sessions in no case, N days old. */
async function runRetention(): Promise<{ count: number; days: number }> {
  const days = readSettings((await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).settings
    .retentionDays;
  return { count: (await applyRetention(db, days)).length, days };
}

export function Locker() {
  const [route, setRoute] = useState<Route>(routeOfHash);
  const [retention, setRetention] = useState<{ count: number; days: number } | null>(null);
  useEffect(() => {
    const onHash = () => setRoute(routeOfHash());
    addEventListener('hashchange', onHash);
    runRetention().then(setRetention, (err: unknown) => console.warn('[liveproof] retention', err));
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const top = route.view === 'case' ? 'cases' : route.view === 'session' ? 'sessions' : route.view;

  return (
    <main class="locker">
      <header>
        <h1>{t('lockerHeading')}</h1>
        <p class="muted">{t('lockerIntro')}</p>
      </header>
      <KeyPanel db={db} />
      <nav class="views" aria-label={t('lockerHeading')}>
        <button aria-pressed={top === 'sessions'} onClick={() => go('')} data-testid="view-sessions">
          {t('lockerNavSessions')}
        </button>
        <button aria-pressed={top === 'cases'} onClick={() => go('cases')} data-testid="view-cases">
          {t('lockerNavCases')}
        </button>
        <button aria-pressed={top === 'verify'} onClick={() => go('verify')} data-testid="view-verify">
          {t('lockerNavVerify')}
        </button>
      </nav>
      {retention && retention.count > 0 && (
        <p class="notice" role="status" data-testid="retention-notice">
          {t('lockerRetentionDeleted', retention.count, retention.days)}
        </p>
      )}
      {route.view === 'verify' ? (
        <VerifyView />
      ) : route.view === 'cases' ? (
        <CaseList db={db} />
      ) : route.view === 'case' ? (
        <CaseEditor key={route.id} db={db} id={route.id} />
      ) : route.view === 'session' ? (
        <SessionTimeline key={route.id} db={db} id={route.id} />
      ) : (
        <Sessions />
      )}
    </main>
  );
}

/** The search box says "title, address or platform": the platform as the list names it, or its id. */
function matches(s: SessionRow, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return [s.title, s.url, platformLabel(s.platform, t), s.platform, s.id].some((x) =>
    String(x ?? '')
      .toLowerCase()
      .includes(q),
  );
}

function Sessions() {
  const sessions = useLiveQuery(() => db.sessions.orderBy('startedAt').reverse().toArray(), []);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [query, setQuery] = useState('');
  const [platform, setPlatform] = useState('');
  const [confirming, setConfirming] = useState<SessionRow | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const exporter = useExport();

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const run = (ids: string[]) =>
    exporter.run(async (progress) => {
      // Trusted time for the heads that go into the package (best effort: offline exports go on).
      await send('sessions.stamp', { sessionIds: ids }).catch(() => undefined);
      return exportSessions(db, ids, lang, progress);
    });

  const platforms = useMemo(() => [...new Set((sessions ?? []).map((s) => s.platform))].sort(), [sessions]);
  const shown = useMemo(
    () => (sessions ?? []).filter((s) => matches(s, query.trim()) && (!platform || s.platform === platform)),
    [sessions, query, platform],
  );
  const chosen = useMemo(
    () => (sessions ?? []).filter((s) => selected.has(s.id)).map((s) => s.id),
    [sessions, selected],
  );

  const newCase = async () => {
    const first = (sessions ?? []).find((s) => s.id === chosen[0]);
    const row = await createCase(db, t('caseNewTitle', first?.title || first?.url || ''), chosen);
    go(`case/${row.id}`);
  };

  const remove = async (s: SessionRow) => {
    setConfirming(null);
    const inCases = await sessionsInCases(db);
    if (inCases.has(s.id)) {
      setMessage({ text: t('lockerDeleteInCase'), error: true });
      return;
    }
    const gone = await deleteSessions(
      db,
      [s],
      'session-deleted',
      (r) => `${r.title} · ${r.url} · ${r.startedAt}`,
    );
    setSelected((prev) => new Set([...prev].filter((id) => id !== s.id)));
    setMessage(
      gone.length
        ? { text: t('lockerDeleted', s.title || s.url), error: false }
        : { text: t('lockerDeleteOpen'), error: true },
    );
  };

  return (
    <section class="sessions-view" aria-label={t('lockerNavSessions')}>
      <div class="toolbar">
        <button
          class="primary"
          disabled={!chosen.length || exporter.busy}
          onClick={() => run(chosen)}
          data-testid="export-selected"
        >
          {t('lockerExportSelected', chosen.length)}
        </button>{' '}
        <button disabled={!chosen.length} onClick={() => void newCase()} data-testid="new-case">
          {t('lockerNewCase', chosen.length)}
        </button>
      </div>
      <div class="filters">
        <label>
          {t('lockerSearch')}{' '}
          <input
            type="search"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            placeholder={t('lockerSearchPlaceholder')}
            data-testid="session-search"
          />
        </label>
        <label>
          {t('lockerFilterPlatform')}{' '}
          <select
            value={platform}
            onChange={(e) => setPlatform(e.currentTarget.value)}
            data-testid="platform-filter"
          >
            <option value="">{t('lockerFilterAll')}</option>
            {platforms.map((p) => (
              <option key={p} value={p}>
                {platformLabel(p, t)}
              </option>
            ))}
          </select>
        </label>
      </div>

      <ExportStatus state={exporter} />
      {message && (
        <p
          class={message.error ? 'error' : 'exported'}
          role={message.error ? 'alert' : 'status'}
          data-testid="session-message"
        >
          {message.text}
        </p>
      )}
      {confirming && (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text" data-testid="confirm-delete">
          <p id="confirm-text">{t('lockerDeleteConfirm', confirming.title || confirming.url)}</p>
          <button class="primary" onClick={() => void remove(confirming)} data-testid="confirm-yes">
            {t('lockerDeleteYes')}
          </button>{' '}
          <button onClick={() => setConfirming(null)} data-testid="confirm-no">
            {t('lockerCancel')}
          </button>
        </div>
      )}

      {sessions === undefined ? (
        <p>{t('popupLoading')}</p>
      ) : sessions.length === 0 ? (
        <p class="empty">{t('lockerEmpty')}</p>
      ) : shown.length === 0 ? (
        <p class="empty">{t('lockerNoMatch')}</p>
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
            {shown.map((s) => (
              <SessionLine
                key={s.id}
                session={s}
                checked={selected.has(s.id)}
                onToggle={() => toggle(s.id)}
                onExport={() => run([s.id])}
                onDelete={() => setConfirming(s)}
                busy={exporter.busy}
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
  onDelete: () => void;
}) {
  const s = props.session;
  const label = s.title || s.url;
  const c = s.counts;
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
          {platformLabel(s.platform, t)} · <span class="url">{s.url}</span>
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
      <td class="counts">
        {t('lockerCounts', c.chat, c.screenshots, c.events)}
        <div class="muted small" data-testid="counts-detail">
          {t('lockerCountsDetail', c.products ?? 0, c.detections ?? 0)}
        </div>
      </td>
      <td class="actions">
        <button
          onClick={() => go(`session/${s.id}`)}
          data-testid="open-timeline"
          aria-label={t('lockerTimelineOf', label)}
        >
          {t('lockerTimelineOpen')}
        </button>{' '}
        <button disabled={props.busy} onClick={props.onExport} data-testid="export-session">
          {t('lockerExportOne')}
        </button>{' '}
        <button
          disabled={s.status === 'open'}
          onClick={props.onDelete}
          data-testid="delete-session"
          aria-label={t('lockerDeleteOf', label)}
        >
          {t('lockerDelete')}
        </button>
      </td>
    </tr>
  );
}
