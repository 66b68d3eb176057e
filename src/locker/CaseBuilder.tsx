/**
 * The case builder, on this full page (a file dialog would close the popup): the sessions or time
 * ranges a complaint is about, receipts by drag and drop or the file picker (typed by their first
 * bytes, hashed on attach), each linked to the moment it relied on, the 12315 fields prefilled from
 * the capture, and the export.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  attachReceipt,
  deleteCase,
  readSessionEvents,
  removeReceipt,
  updateCase,
  updateReceipt,
  type CaseRow,
  type EvidenceDb,
  type ReceiptRow,
} from '../db';
import type { SealedEvent } from '../core/evidence';
import {
  CASE_FIELD_NAMES,
  CREDIT_CODE,
  FIELD_MAX,
  type CaseFieldName,
  type CaseFields,
  type Redaction,
  type SessionRange,
} from '../core/case/model';
import { prefillFields } from '../core/case/prefill';
import { momentText } from '../core/case/complaint';
import type { MessageKey } from '../core/i18n';
import { lang, t } from '../i18n';
import { formatBytes, formatLocalTime } from '../ui/format';
import { useLiveQuery } from './use-live-query';
import { exportCase } from './export';
import { ExportStatus, useExport } from './ExportStatus';
import { go } from './nav';

const LONG_FIELDS = new Set<CaseFieldName>([
  'whatHappened',
  'negotiation',
  'demand',
  'complainantAddress',
  'merchantAddress',
]);
const PRIVATE_FIELDS = new Set<CaseFieldName>(['complainantName', 'complainantPhone', 'complainantAddress']);
const REDACTIONS: Redaction[] = ['none', 'contacts', 'names'];

export function CaseList(props: { db: EvidenceDb }) {
  const cases = useLiveQuery(() => props.db.cases.orderBy('updatedAt').reverse().toArray(), []);
  const [confirming, setConfirming] = useState<CaseRow | null>(null);
  return (
    <section class="cases-view" aria-labelledby="cases-heading">
      <h2 id="cases-heading">{t('caseListHeading')}</h2>
      {confirming && (
        <div class="confirm" role="alertdialog" aria-labelledby="case-confirm-text">
          <p id="case-confirm-text">{t('caseDeleteConfirm', confirming.title)}</p>
          <button
            class="primary"
            onClick={() => {
              void deleteCase(props.db, confirming.id);
              setConfirming(null);
            }}
          >
            {t('lockerDeleteYes')}
          </button>{' '}
          <button onClick={() => setConfirming(null)}>{t('lockerCancel')}</button>
        </div>
      )}
      {cases === undefined ? (
        <p>{t('popupLoading')}</p>
      ) : cases.length === 0 ? (
        <p class="empty">{t('caseEmpty')}</p>
      ) : (
        <ul class="case-list">
          {cases.map((c) => (
            <li key={c.id} data-case={c.id}>
              <strong>{c.title}</strong>{' '}
              <span class="muted small">
                {t('caseSummary', c.ranges.length, c.receipts.length, formatLocalTime(c.updatedAt))}
              </span>{' '}
              <button onClick={() => go(`case/${c.id}`)} aria-label={t('caseOpenOf', c.title)}>
                {t('caseOpen')}
              </button>{' '}
              <button onClick={() => setConfirming(c)} aria-label={t('caseDeleteOf', c.title)}>
                {t('caseDelete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** `2026-11-28T17:56:06` in local time, for `datetime-local`. */
function localInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

interface Loaded {
  row: CaseRow;
  /** Events of the case's sessions, for the moments a receipt can rely on and for prefilling. */
  events: Map<string, SealedEvent[]>;
}

export function CaseEditor(props: { db: EvidenceDb; id: string }) {
  const { db, id } = props;
  const [loaded, setLoaded] = useState<Loaded | null | undefined>(undefined);
  const [fields, setFields] = useState<CaseFields | null>(null);
  const [title, setTitle] = useState('');
  const [ranges, setRanges] = useState<SessionRange[]>([]);
  const [redaction, setRedaction] = useState<Redaction>('names');
  const [errors, setErrors] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const [attaching, setAttaching] = useState(false);
  const exporter = useExport();
  const sessions = useLiveQuery(() => db.sessions.orderBy('startedAt').reverse().toArray(), []);
  const receiptRows = useLiveQuery(() => db.receipts.where('caseId').equals(id).toArray(), [id]);
  const marks = useLiveQuery(() => db.marks.toArray(), []);

  const load = async (row: CaseRow): Promise<Map<string, SealedEvent[]>> => {
    const events = new Map<string, SealedEvent[]>();
    for (const r of row.ranges) events.set(r.session, await readSessionEvents(db, r.session));
    return events;
  };

  useEffect(() => {
    void (async () => {
      const row = await db.cases.get(id);
      if (!row) return setLoaded(null);
      const events = await load(row);
      // Empty fields take what the capture knows; what the user typed is never overwritten.
      const known = prefillFields(
        row.ranges.map((r) => {
          const s = sessions?.find((x) => x.id === r.session);
          return { platform: s?.platform ?? '', title: s?.title ?? '', events: events.get(r.session) ?? [] };
        }),
        t,
      );
      const merged = { ...row.fields };
      for (const n of CASE_FIELD_NAMES) if (!merged[n].trim() && known[n]) merged[n] = known[n];
      await updateCase(db, id, { fields: merged });
      setFields(merged);
      setTitle(row.title);
      setRanges(row.ranges);
      setRedaction(row.redaction);
      setLoaded({ row, events });
    })();
  }, [db, id, sessions === undefined]);

  const receipts = useMemo(() => {
    if (!loaded || !receiptRows) return [];
    const order = new Map(loaded.row.receipts.map((r, i) => [r, i]));
    return [...receiptRows].sort(
      (a, b) =>
        (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9) || a.attachedAt.localeCompare(b.attachedAt),
    );
  }, [receiptRows, loaded]);

  /** Moments a receipt can rely on: key marks, detections, price changes and the host's words. */
  const moments = useMemo(() => {
    const out: { value: string; label: string }[] = [];
    if (!loaded) return out;
    const keyed = new Set((marks ?? []).filter((m) => m.key).map((m) => `${m.session}#${m.seq}`));
    for (const [session, events] of loaded.events)
      for (const e of events) {
        const relevant =
          keyed.has(`${session}#${e.seq}`) ||
          e.type === 'detection' ||
          (e.type === 'product' && e.data.state !== 'gone') ||
          (e.type === 'chat' && e.data.kind === 'host');
        if (relevant && out.length < 500)
          out.push({
            value: `${session}#${e.seq}`,
            label: `${keyed.has(`${session}#${e.seq}`) ? '★ ' : ''}#${e.seq} · ${formatLocalTime(e.time)} · ${momentText(e).slice(0, 60)}`,
          });
      }
    return out;
  }, [loaded, marks]);

  if (loaded === undefined || !fields) return <p>{t('popupLoading')}</p>;
  if (loaded === null)
    return (
      <p class="error" role="alert">
        {t('caseGone')}
      </p>
    );

  const setField = (name: CaseFieldName, value: string) => {
    const next = { ...fields, [name]: value.slice(0, FIELD_MAX[name]) };
    setFields(next);
    void updateCase(db, id, { fields: next });
  };
  const saveRanges = async (next: SessionRange[]) => {
    setRanges(next);
    await updateCase(db, id, { ranges: next });
    const row = (await db.cases.get(id))!;
    setLoaded({ row, events: await load(row) });
  };

  const attach = async (files: FileList | File[] | null) => {
    if (!files) return;
    setAttaching(true);
    const problems: string[] = [];
    for (const file of Array.from(files)) {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const r = await attachReceipt(db, id, { name: file.name, bytes });
        if (!r.ok) {
          const s = r.sniff;
          problems.push(
            s.code === 'empty'
              ? t('caseReceiptEmpty', file.name)
              : s.code === 'too-large'
                ? t('caseReceiptTooLarge', file.name)
                : s.code === 'unknown-type'
                  ? t('caseReceiptUnknownType', file.name)
                  : t('caseReceiptDamaged', file.name, 'kind' in s ? s.kind.toUpperCase() : ''),
          );
        }
      } catch (err) {
        problems.push(
          t('caseReceiptUnreadable', file.name, err instanceof Error ? err.message : String(err)),
        );
      }
    }
    setErrors(problems);
    setAttaching(false);
    setLoaded({ ...loaded, row: (await db.cases.get(id))! });
  };

  const creditCodeBad = fields.creditCode.trim() !== '' && !CREDIT_CODE.test(fields.creditCode.trim());
  const inCase = new Set(ranges.map((r) => r.session));
  const addable = (sessions ?? []).filter((s) => !inCase.has(s.id));

  return (
    <section class="case-view" aria-labelledby="case-heading">
      <p>
        <button onClick={() => go('cases')}>{t('lockerBack')}</button>
      </p>
      <h2 id="case-heading">{title || t('caseListHeading')}</h2>
      <label class="field wide">
        <span>{t('caseTitle')}</span>
        <input
          type="text"
          value={title}
          maxLength={300}
          onInput={(e) => {
            setTitle(e.currentTarget.value);
            void updateCase(db, id, { title: e.currentTarget.value });
          }}
          data-testid="case-title"
        />
      </label>

      <h3>{t('caseSessions')}</h3>
      <p class="muted small">{t('caseRangeHint')}</p>
      <ul class="ranges">
        {ranges.map((r, i) => {
          const s = sessions?.find((x) => x.id === r.session);
          const name = s ? s.title || s.url : r.session;
          const put = (change: Partial<SessionRange>) => {
            const next = ranges.map((x, k) => {
              if (k !== i) return x;
              const merged: SessionRange = { session: x.session };
              const from = 'from' in change ? change.from : x.from;
              const to = 'to' in change ? change.to : x.to;
              if (from) merged.from = from;
              if (to) merged.to = to;
              return merged;
            });
            void saveRanges(next);
          };
          return (
            <li key={r.session} data-range={r.session}>
              <strong>{name}</strong> <span class="muted small">{s ? formatLocalTime(s.startedAt) : ''}</span>
              <br />
              <label>
                {t('caseFrom')}{' '}
                <input
                  type="datetime-local"
                  step={1}
                  value={localInput(r.from)}
                  onChange={(e) => put({ from: fromLocalInput(e.currentTarget.value) })}
                />
              </label>{' '}
              <label>
                {t('caseTo')}{' '}
                <input
                  type="datetime-local"
                  step={1}
                  value={localInput(r.to)}
                  onChange={(e) => put({ to: fromLocalInput(e.currentTarget.value) })}
                />
              </label>{' '}
              <button
                onClick={() => void saveRanges(ranges.filter((_, k) => k !== i))}
                aria-label={t('caseRemoveSessionOf', name)}
              >
                {t('caseRemoveSession')}
              </button>
            </li>
          );
        })}
      </ul>
      {addable.length > 0 && (
        <label>
          {t('caseAddSession')}{' '}
          <select
            value=""
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v) void saveRanges([...ranges, { session: v }]);
            }}
          >
            <option value="">{t('caseAddSessionNone')}</option>
            {addable.map((s) => (
              <option key={s.id} value={s.id}>
                {`${formatLocalTime(s.startedAt)} · ${s.title || s.url}`}
              </option>
            ))}
          </select>
        </label>
      )}

      <h3>{t('caseReceipts')}</h3>
      <div
        class={`drop${dragging ? ' over' : ''}`}
        role="group"
        aria-labelledby="receipt-rules"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void attach(e.dataTransfer?.files ?? null);
        }}
        data-testid="receipt-drop"
      >
        <p>{t('caseDropHere')}</p>
        <label class="file-button">
          {t('caseChooseFiles')}
          <input
            type="file"
            multiple
            accept="image/png,image/jpeg,image/webp,image/gif,image/heic,application/pdf"
            onChange={(e) => {
              const input = e.currentTarget;
              void attach(input.files).then(() => (input.value = ''));
            }}
            data-testid="receipt-input"
          />
        </label>
        <p id="receipt-rules" class="muted small">
          {t('caseReceiptRules')}
        </p>
      </div>
      {attaching && <p role="status">{t('caseAttaching')}</p>}
      {errors.length > 0 && (
        <div class="error" role="alert" data-testid="receipt-errors">
          <ul>
            {errors.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      <ul class="receipts" data-testid="receipts">
        {receipts.map((r) => (
          <ReceiptLine key={r.id} db={db} caseId={id} receipt={r} moments={moments} />
        ))}
      </ul>

      <h3>{t('caseFields')}</h3>
      <p class="muted small" id="case-fields-privacy">
        {t('caseFieldsPrivacy')}
      </p>
      <div class="fields">
        {CASE_FIELD_NAMES.map((name) => (
          <label
            key={name}
            class={`field${LONG_FIELDS.has(name) ? ' wide' : ''}${PRIVATE_FIELDS.has(name) ? ' private' : ''}`}
          >
            <span>{t(`caseField_${name}` as MessageKey)}</span>
            {LONG_FIELDS.has(name) ? (
              <textarea
                rows={name === 'whatHappened' ? 4 : 2}
                value={fields[name]}
                maxLength={FIELD_MAX[name]}
                onInput={(e) => setField(name, e.currentTarget.value)}
                aria-describedby={PRIVATE_FIELDS.has(name) ? 'case-fields-privacy' : undefined}
                data-field={name}
              />
            ) : (
              <input
                type="text"
                inputMode={name === 'complainantPhone' ? 'tel' : undefined}
                value={fields[name]}
                maxLength={FIELD_MAX[name]}
                onInput={(e) => setField(name, e.currentTarget.value)}
                aria-invalid={name === 'creditCode' && creditCodeBad ? 'true' : undefined}
                aria-describedby={
                  name === 'creditCode' && creditCodeBad
                    ? 'credit-code-hint'
                    : PRIVATE_FIELDS.has(name)
                      ? 'case-fields-privacy'
                      : undefined
                }
                data-field={name}
              />
            )}
            {name === 'creditCode' && creditCodeBad && (
              <span id="credit-code-hint" class="error small">
                {t('caseCreditCodeInvalid')}
              </span>
            )}
          </label>
        ))}
      </div>
      <label class="field">
        <span>{t('caseRedaction')}</span>
        <select
          value={redaction}
          onChange={(e) => {
            const v = e.currentTarget.value as Redaction;
            setRedaction(v);
            void updateCase(db, id, { redaction: v });
          }}
          data-testid="case-redaction"
        >
          {REDACTIONS.map((r) => (
            <option key={r} value={r}>
              {t(`caseRedaction_${r}`)}
            </option>
          ))}
        </select>
      </label>

      <div class="toolbar">
        <button
          class="primary"
          disabled={exporter.busy || ranges.length === 0 || attaching}
          onClick={() => void exporter.run((progress) => exportCase(db, id, lang, progress))}
          data-testid="export-case"
        >
          {t('caseExport')}
        </button>
      </div>
      <ExportStatus state={exporter} />
    </section>
  );
}

function ReceiptLine(props: {
  db: EvidenceDb;
  caseId: string;
  receipt: ReceiptRow;
  moments: { value: string; label: string }[];
}) {
  const r = props.receipt;
  const [label, setLabel] = useState(r.label);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (!r.mediatype.startsWith('image/') || r.mediatype === 'image/heic') return;
    const url = URL.createObjectURL(r.blob);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [r.id]);
  const name = r.label || r.name;
  const moment = r.moment ? `${r.moment.session}#${r.moment.seq}` : '';
  return (
    <li class="receipt" data-receipt={r.id}>
      {preview && <img class="thumb" src={preview} alt={name} />}
      <div>
        <strong>{r.name}</strong>{' '}
        <span class="muted small">
          {r.mediatype} · {formatBytes(r.bytes)}
        </span>
        <br />
        <span class="mono small">SHA-256 {r.sha256}</span>
        <label class="receipt-field">
          {t('caseReceiptLabel')}
          <input
            type="text"
            value={label}
            maxLength={300}
            onInput={(e) => {
              setLabel(e.currentTarget.value);
              void updateReceipt(props.db, r.id, { label: e.currentTarget.value });
            }}
            data-testid="receipt-label"
          />
        </label>
        <label class="receipt-field">
          {t('caseReceiptMoment')}
          <select
            value={moment}
            onChange={(e) => {
              const v = e.currentTarget.value;
              const at = v.lastIndexOf('#');
              void updateReceipt(props.db, r.id, {
                moment: v ? { session: v.slice(0, at), seq: Number(v.slice(at + 1)) } : null,
              });
            }}
            data-testid="receipt-moment"
          >
            <option value="">{t('caseReceiptNoMoment')}</option>
            {props.moments.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <button
          onClick={() => void removeReceipt(props.db, props.caseId, r.id)}
          aria-label={t('caseReceiptRemoveOf', name)}
        >
          {t('caseReceiptRemove')}
        </button>
      </div>
    </li>
  );
}
