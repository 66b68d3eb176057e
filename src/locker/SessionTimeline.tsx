/**
 * One session on one time axis: chat, detections, price changes and screenshots in the order they
 * were observed, with jump-to-moment, and notes and key-moment marks kept beside the originals.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { readSessionEvents, setMark, type EvidenceDb, type MarkRow } from '../db';
import type { SealedEvent } from '../core/evidence';
import { momentText } from '../core/case/complaint';
import { t } from '../i18n';
import { formatLocalTime } from '../ui/format';
import { useLiveQuery } from './use-live-query';
import { go } from './nav';

type Kind = 'chat' | 'detection' | 'price' | 'screenshot' | 'video';
const KINDS: Kind[] = ['chat', 'detection', 'price', 'screenshot', 'video'];
const KIND_KEYS = {
  chat: 'lockerTypeChat',
  detection: 'lockerTypeDetection',
  price: 'lockerTypePrice',
  screenshot: 'lockerTypeScreenshot',
  video: 'lockerTypeVideo',
} as const;

/** A kept video clip: sealed as one `video` event a chunk; the timeline shows it once, at its start. */
interface Clip {
  first: number;
  start: string;
  end: string;
  chunks: number;
  reason: string;
}

function clipsOf(events: readonly SealedEvent[]): Map<string, Clip> {
  const clips = new Map<string, Clip>();
  for (const e of events) {
    if (e.type !== 'video') continue;
    const id = String(e.data.clip);
    const c = clips.get(id);
    if (c) {
      c.end = String(e.data.end);
      c.chunks++;
    } else
      clips.set(id, {
        first: e.seq,
        start: String(e.data.start),
        end: String(e.data.end),
        chunks: 1,
        reason: String(e.data.reason),
      });
  }
  return clips;
}
/** Rows rendered at once around the moment in view (a one-hour stream has 100,000 events). */
const WINDOW = 300;

function kindOf(e: SealedEvent): Kind | null {
  if (e.type === 'chat') return 'chat';
  if (e.type === 'detection') return 'detection';
  if (e.type === 'screenshot') return 'screenshot';
  if (e.type === 'video') return 'video';
  if (
    e.type === 'product' &&
    (e.data.state === 'shown' ||
      (e.data.changed as string[] | undefined)?.some((f) => /price|coupon|shipping/i.test(f)))
  )
    return 'price';
  return null;
}

export function SessionTimeline(props: { db: EvidenceDb; id: string }) {
  const { db, id } = props;
  const session = useLiveQuery(() => db.sessions.get(id), [id]);
  const marks = useLiveQuery(() => db.marks.where('session').equals(id).toArray(), [id]);
  const [events, setEvents] = useState<SealedEvent[] | null>(null);
  const [shownKinds, setShownKinds] = useState<Set<Kind>>(new Set(KINDS));
  const [focus, setFocus] = useState<number | null>(null);
  const [start, setStart] = useState(0);

  useEffect(() => {
    void readSessionEvents(db, id).then(setEvents);
  }, [db, id]);

  const markOf = useMemo(() => new Map((marks ?? []).map((m) => [m.seq, m])), [marks]);
  const clips = useMemo(() => clipsOf(events ?? []), [events]);
  const clipAt = useMemo(() => new Map([...clips.values()].map((c) => [c.first, c])), [clips]);
  const rows = useMemo(
    () =>
      (events ?? []).filter((e) => {
        const k = kindOf(e);
        if (k === 'video' && !clipAt.has(e.seq)) return false;
        return (k && shownKinds.has(k)) || markOf.has(e.seq);
      }),
    [events, shownKinds, markOf, clipAt],
  );
  const moments = useMemo(
    () =>
      (events ?? [])
        .filter((e) => e.type === 'detection' || kindOf(e) === 'price' || markOf.get(e.seq)?.key)
        .slice(0, 200),
    [events, markOf],
  );

  const jump = (seq: number) => {
    const i = rows.findIndex((e) => e.seq >= seq);
    setStart(Math.max(0, i - 20));
    setFocus(seq);
  };
  useEffect(() => {
    if (focus === null) return;
    document.getElementById(`ev-${focus}`)?.scrollIntoView({ block: 'center' });
  }, [focus, start]);

  if (session === undefined || events === null) return <p>{t('popupLoading')}</p>;
  if (!session)
    return (
      <p class="error" role="alert">
        {t('lockerSessionGone')}
      </p>
    );
  const visible = rows.slice(start, start + WINDOW);

  return (
    <section class="timeline-view" aria-labelledby="timeline-heading">
      <p>
        <button onClick={() => go('')}>{t('lockerBack')}</button>
      </p>
      <h2 id="timeline-heading">{t('lockerTimelineHeading', session.title || session.url)}</h2>
      <p class="muted small">{t('lockerMarksExplain')}</p>
      <fieldset class="kinds">
        <legend>{t('lockerShow')}</legend>
        {KINDS.map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={shownKinds.has(k)}
              onChange={() =>
                setShownKinds((prev) => {
                  const next = new Set(prev);
                  if (next.has(k)) next.delete(k);
                  else next.add(k);
                  return next;
                })
              }
            />{' '}
            {t(KIND_KEYS[k])}
          </label>
        ))}
      </fieldset>
      {moments.length > 0 && (
        <nav class="moments" aria-label={t('lockerMoments')}>
          <h3>{t('lockerMoments')}</h3>
          <ul>
            {moments.map((e) => (
              <li key={e.seq}>
                <button class="link" onClick={() => jump(e.seq)} data-testid="jump">
                  {formatLocalTime(e.time)} · {momentText(e).slice(0, 60)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <p class="muted small">
        {t(
          'lockerShowingRange',
          rows.length ? start + 1 : 0,
          Math.min(rows.length, start + WINDOW),
          rows.length,
        )}
      </p>
      {start > 0 && (
        <button onClick={() => setStart(Math.max(0, start - WINDOW))}>{t('lockerEarlier')}</button>
      )}
      <ol class="events">
        {visible.map((e) => (
          <EventLine
            key={e.seq}
            db={db}
            session={id}
            event={e}
            mark={markOf.get(e.seq)}
            clip={clipAt.get(e.seq)}
            focused={focus === e.seq}
          />
        ))}
      </ol>
      {start + WINDOW < rows.length && (
        <button onClick={() => setStart(start + WINDOW)}>{t('lockerLater')}</button>
      )}
    </section>
  );
}

function EventLine(props: {
  db: EvidenceDb;
  session: string;
  event: SealedEvent;
  mark?: MarkRow;
  clip?: Clip;
  focused: boolean;
}) {
  const { event: e, mark } = props;
  const [note, setNote] = useState(mark?.note ?? '');
  const [shot, setShot] = useState<string | null>(null);
  const kind = kindOf(e);
  useEffect(() => setNote(mark?.note ?? ''), [mark?.note]);
  useEffect(() => {
    if (e.type !== 'screenshot') return;
    let url: string | null = null;
    void props.db.blobs.get(String(e.data.sha256)).then((row) => {
      if (row) setShot((url = URL.createObjectURL(row.blob)));
    });
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [e]);
  const save = (key: boolean, text: string) =>
    void setMark(props.db, { session: props.session, seq: e.seq, key, note: text });
  const who = typeof e.data.author === 'string' ? e.data.author : '';
  return (
    <li
      id={`ev-${e.seq}`}
      class={`event ${kind ?? 'other'}${props.focused ? ' focused' : ''}${mark?.key ? ' key' : ''}`}
      data-seq={e.seq}
    >
      <span class="when">
        #{e.seq} · {formatLocalTime(e.time)}
      </span>{' '}
      <span class="kind">{kind ? t(KIND_KEYS[kind]) : e.type}</span> {who && <span class="who">{who}: </span>}
      <span class="what">
        {props.clip
          ? t(
              'lockerVideoClip',
              Math.round((Date.parse(props.clip.end) - Date.parse(props.clip.start)) / 1000),
              props.clip.chunks,
              t(
                props.clip.reason === 'detection'
                  ? 'videoReason_detection'
                  : props.clip.reason === 'command'
                    ? 'videoReason_command'
                    : 'videoReason_manual',
              ),
            )
          : momentText(e)}
      </span>
      {shot && <img class="thumb" src={shot} alt={t('reportScreenshotAlt', e.seq, e.time)} loading="lazy" />}
      <div class="mark">
        <label>
          <input
            type="checkbox"
            checked={!!mark?.key}
            onChange={(ev) => save(ev.currentTarget.checked, note)}
            data-testid="mark-key"
          />{' '}
          {t('lockerKeyMoment')}
        </label>{' '}
        <label>
          <span class="visually-hidden">{t('lockerNoteFor', e.seq)}</span>
          <input
            type="text"
            value={note}
            maxLength={1000}
            placeholder={t('lockerNote')}
            onInput={(ev) => setNote(ev.currentTarget.value)}
            onChange={(ev) => save(!!mark?.key, ev.currentTarget.value)}
            data-testid="mark-note"
          />
        </label>
      </div>
    </li>
  );
}
