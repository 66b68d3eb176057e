/**
 * `report.html`: what a receiver reads first. Self-contained (no script, no network, inline CSS and
 * SVG), printable, every value escaped through the `html` template. In the exporter's language, with
 * the other language in a collapsed part at the end (left out when printing): summary, parties,
 * timeline chart, key moments with the nearest screenshot, the evidence index in the form courts use,
 * receipts, the full chat and how to verify.
 */
import { escapeHtml, html, SafeHtml } from './html';
import type { SealedEvent } from './evidence';
import { translator, type Lang, type MessageKey, type Translate } from './i18n';
import type { SessionSummary } from './package/manifest';
import { chatCsvPath, eventsPath, screenshotPath, videoPath } from './package/layout';
import { inRange, type CaseFields, type Mark, type ReceiptEntry, type SessionRange } from './case/model';
import { screenshotFinder, timelineSeries, timelineSvg } from './case/timeline';
import { momentText } from './case/complaint';
import { platformLabel } from './case/prefill';
import type { Redactor } from './case/redact';
import { splitTerms } from './terms';

export interface ReportSession {
  summary: SessionSummary;
  events: readonly SealedEvent[];
  /** The part of the session the case is about; the report shows only it (the package holds all). */
  range?: SessionRange;
}

/** One kept video segment file, the span it covers, and the warnings and detections said during it. */
export interface VideoPart {
  path: string;
  clip: string;
  segment: number;
  reason: string;
  start: string;
  end: string;
  chunks: number;
  moments: { seq: number; time: string; offsetSeconds: number; category: string; text: string }[];
}

/** The session's kept video, one entry per segment file, with each detection placed in it. */
export function videoParts(sessionId: string, events: readonly SealedEvent[]): VideoPart[] {
  const parts = new Map<string, VideoPart>();
  for (const e of events) {
    if (e.type !== 'video') continue;
    const path = videoPath(sessionId, String(e.data.clip), Number(e.data.segment));
    const part = parts.get(path);
    if (part) {
      part.end = String(e.data.end);
      part.chunks++;
    } else
      parts.set(path, {
        path,
        clip: String(e.data.clip),
        segment: Number(e.data.segment),
        reason: String(e.data.reason),
        start: String(e.data.start),
        end: String(e.data.end),
        chunks: 1,
        moments: [],
      });
  }
  const detections = events.filter((e) => e.type === 'detection');
  for (const part of parts.values()) {
    const from = Date.parse(part.start);
    const to = Date.parse(part.end);
    for (const d of detections) {
      const at = Date.parse(d.time);
      if (at < from || at > to) continue;
      part.moments.push({
        seq: d.seq,
        time: d.time,
        offsetSeconds: Math.floor((at - from) / 1000),
        category: String(d.data.category),
        text: String(d.data.text).slice(0, 200),
      });
    }
  }
  return [...parts.values()];
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

export interface ReportInput {
  name: string;
  created: string;
  lang: Lang;
  toolVersion: string;
  sessions: ReportSession[];
  /** SHA-256 (hex) of the package's files by path, for the evidence index. */
  hashes?: ReadonlyMap<string, string>;
  /** The case the package was exported for, when there is one. */
  case?: { title: string; fields: CaseFields; marks: readonly Mark[]; receipts: readonly ReceiptEntry[] };
  /** Names and contacts of other viewers as the report shows them (the events stay as sealed). */
  redactor?: Redactor;
  /** The installation key's fingerprint, hex. */
  fingerprint?: string;
}

const CSS = `
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2rem auto;max-width:60rem;color:#1a1a1a;line-height:1.5;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.2rem;border-bottom:2px solid #b3261e;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
dd{margin:0;word-break:break-all}.mono{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
figure{display:inline-block;margin:.5rem;max-width:45%;vertical-align:top}figure img{max-width:100%;border:1px solid #ccc}
.host{background:#fff4e5}.muted{color:#666}.notice{background:#fff8e1;border-left:4px solid #d97706;padding:.4rem .8rem}
.moment{border:1px solid #ddd;padding:.5rem .8rem;margin:.6rem 0;break-inside:avoid}.moment q{font-weight:600}
.index td{overflow-wrap:anywhere}.index td:nth-child(7){font-family:ui-monospace,monospace;font-size:.7rem;word-break:break-all}
svg.timeline{max-width:100%;height:auto;font-family:inherit}svg .plot{fill:#fafafa;stroke:#ccc}
svg .rate,svg .legend-rate{fill:none;stroke:#1f5fbf;stroke-width:2}svg .legend-rate{fill:#1f5fbf}
svg .det{fill:#b3261e}svg .price{fill:none;stroke:#d97706;stroke-width:2}svg .price-dot,svg .legend-price{fill:#d97706}
svg text{font-size:11px;fill:#444}svg .tick{stroke:#999}svg .axis-title{font-weight:600}svg .rate-title{fill:#1f5fbf}svg .price-title,svg .price-label{fill:#a44f00}
svg .price-label{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}details.other{margin-top:3rem;border-top:1px dashed #999;padding-top:1rem}
details.other>summary{cursor:pointer;font-weight:600}.term{white-space:nowrap}.id-part{overflow-wrap:anywhere}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}details.other{display:none}}
`;

const HTML_LANG: Record<Lang, string> = { zh_CN: 'zh-CN', en: 'en' };
const OTHER: Record<Lang, Lang> = { zh_CN: 'en', en: 'zh_CN' };

/** `2026-11-28 17:56:06` in UTC. */
const utc = (ms: number | string) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

const KEY_CATEGORIES = new Set([
  'promise',
  'price',
  'price-trap',
  'extreme-claim',
  'health-claim',
  'off-platform',
]);
/** Key moments each session shows at most (marks first, then detections). */
const MAX_MOMENTS = 40;

export function renderReport(input: ReportInput): string {
  let out = '';
  const rows = renderReportParts(input, (text) => (out += text));
  for (const table of rows) {
    writeChatRows(table, (text) => (out += text));
    out += table.after;
  }
  return out;
}

/** Where the report's text goes as it is made: a package file (see core/package/text-file.ts). */
export interface TextSink {
  write(text: string): void;
  /** Lets the consumer catch up (called between rows). */
  drain(): Promise<void>;
}

/**
 * The same text as `renderReport`, handed to `sink` in pieces: the chat tables (100,000 rows for a
 * busy hour) are written row by row instead of being built into one string first.
 */
export async function writeReport(input: ReportInput, sink: TextSink): Promise<void> {
  const tables: ChatTable[] = [];
  renderReportParts(input, (text) => sink.write(text), tables);
  for (const table of tables) {
    for (let from = 0; from < table.chat.length; from += ROWS_AT_ONCE) {
      writeChatRows({ ...table, chat: table.chat.slice(from, from + ROWS_AT_ONCE) }, (text) =>
        sink.write(text),
      );
      await sink.drain();
    }
    sink.write(table.after);
  }
}

const ROWS_AT_ONCE = 500;

/** A chat table's rows, written after the part of the page before them; `after` follows them. */
interface ChatTable {
  chat: readonly SealedEvent[];
  redactor: Redactor | undefined;
  after: string;
}

/**
 * Renders the page with a marker where each chat table's rows go, writes what comes before the first
 * table and returns the tables (each with the text that follows it). The marker holds a random
 * nonce, so no text of the page (a viewer's message) can pass for one.
 */
function renderReportParts(
  input: ReportInput,
  write: (text: string) => void,
  tables: ChatTable[] = [],
): ChatTable[] {
  const nonce = Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join('');
  const marker = (i: number) => `\u0000${nonce}:${i}\u0000`;
  const pending: { chat: readonly SealedEvent[]; redactor: Redactor | undefined }[] = [];
  const deferRows = (chat: readonly SealedEvent[], redactor: Redactor | undefined) => {
    pending.push({ chat, redactor });
    return new SafeHtml(marker(pending.length - 1));
  };
  const page = renderPage(input, deferRows);
  let at = 0;
  for (const [i, p] of pending.entries()) {
    const m = marker(i);
    const next = page.indexOf(m, at);
    if (next < 0) throw new Error('report: chat table marker missing');
    if (i === 0) write(page.slice(at, next));
    else tables[tables.length - 1]!.after = page.slice(at, next);
    tables.push({ ...p, after: '' });
    at = next + m.length;
  }
  if (tables.length) tables[tables.length - 1]!.after = page.slice(at);
  else write(page);
  return tables;
}

type DeferRows = (chat: readonly SealedEvent[], redactor: Redactor | undefined) => SafeHtml;

function renderPage(input: ReportInput, rows: DeferRows): string {
  const shown = shownOf(input);
  const t = translator(input.lang);
  const other = OTHER[input.lang];
  const to = translator(other);
  return html`<!doctype html>
    <html lang="${HTML_LANG[input.lang]}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        />
        <title>${t('reportDocTitle', input.name)}</title>
        <style>
          ${new SafeHtml(CSS)}
        </style>
      </head>
      <body>
        ${body(input, t, true, rows, shown)}
        <details class="other" lang="${HTML_LANG[other]}">
          <summary>${to('reportOtherLanguage')}</summary>
          ${body(input, to, false, rows, shown)}
        </details>
      </body>
    </html> `.html;
}

/** The part of each session the report shows, worked out once for both languages. */
const shownOf = (input: ReportInput): ReportSession[] =>
  input.sessions.map((s) => ({
    ...s,
    events: s.events.filter((e) => inRange(s.range, e.time)),
  }));

function body(
  input: ReportInput,
  t: Translate,
  primary: boolean,
  rows: DeferRows,
  shown: ReportSession[],
): SafeHtml {
  const r = input.redactor;
  return html`<h1>${t('reportHeading')}</h1>
    <p class="muted">${t('reportMeta', input.name, input.created, input.toolVersion)}</p>
    <p>${termed(t('reportIntro'))}</p>
    ${r?.applied ? html`<p class="notice" data-redaction="${r.mode}">${t(r.mode === 'names' ? 'reportRedactedNames' : 'reportRedactedContacts')}</p>` : ''}
    ${summary(input, shown, t)} ${input.case ? parties(input.case.fields, t) : ''}
    ${shown.map((s) => sessionPart(input, s, t, primary, rows))} ${evidenceIndex(input, t)}
    ${input.case ? receipts(input, t) : ''}
    <h2>${t('reportHowToVerify')}</h2>
    <p>${termed(t('reportHowToVerifyText'))}</p>
    ${input.fingerprint ? html`<p>${t('reportFingerprint')} <span class="mono">${groupHex(input.fingerprint)}</span></p>` : ''}`;
}

/**
 * A text with its terms ("SHA-256") kept on one line (`.term`) and its ids never broken at a hyphen
 * (`.id-part`, see core/terms.ts); escaped like any other value.
 */
const termed = (text: string): SafeHtml =>
  new SafeHtml(
    splitTerms(text)
      .map((p) =>
        p.kind === 'text'
          ? escapeHtml(p.text)
          : `<span class="${p.kind === 'term' ? 'term' : 'id-part'}">${escapeHtml(p.text)}</span>`,
      )
      .join(''),
  );

const groupHex = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

function summary(input: ReportInput, shown: ReportSession[], t: Translate): SafeHtml {
  const f = input.case?.fields;
  // One pass over the events (an hour can hold 100,000), not one per figure.
  const byType = new Map<string, number>();
  const byCategory = new Map<string, number>();
  for (const s of shown)
    for (const e of s.events) {
      byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
      if (e.type === 'detection')
        byCategory.set(String(e.data.category), (byCategory.get(String(e.data.category)) ?? 0) + 1);
    }
  const count = (type: string) => byType.get(type) ?? 0;
  const row = (label: string, value: string | undefined) =>
    value && value.trim()
      ? html`<dt>${label}</dt>
          <dd>${value}</dd>`
      : '';
  return html`<h2>${t('reportSummary')}</h2>
    <dl class="summary">
      ${input.case ? row(t('reportCaseTitle'), input.case.title) : ''}
      ${f ? [row(t('caseField_product'), f.product), row(t('caseField_orderNumber'), f.orderNumber), row(t('caseField_purchaseTime'), f.purchaseTime), row(t('caseField_amount'), f.amount), row(t('caseField_problemType'), f.problemType), row(t('caseField_whatHappened'), f.whatHappened), row(t('caseField_negotiation'), f.negotiation), row(t('caseField_demand'), f.demand)] : ''}
      <dt>${t('reportSessionsCount')}</dt>
      <dd>${shown.length}</dd>
      <dt>${t('reportCounts')}</dt>
      <dd>
        ${t('reportSummaryCounts', count('chat'), count('product'), count('screenshot'), count('detection'))}
      </dd>
      ${
        byCategory.size
          ? html`<dt>${t('reportDetections')}</dt>
              <dd>${[...byCategory].map(([c, n]) => `${categoryName(c, t)} ${n}`).join(' · ')}</dd>`
          : ''
      }
    </dl>`;
}

function categoryName(category: string, t: Translate): string {
  return t(`reportCategory_${category.replace('-', '_')}` as MessageKey);
}

function parties(f: CaseFields, t: Translate): SafeHtml {
  const row = (key: keyof CaseFields) =>
    f[key].trim()
      ? html`<dt>${t(`caseField_${key}` as MessageKey)}</dt>
          <dd>${f[key]}</dd>`
      : '';
  return html`<h2>${t('reportParties')}</h2>
    <h3>${t('reportRespondent')}</h3>
    <dl>
      ${(['merchantName', 'creditCode', 'merchantAddress', 'platform', 'anchorAccount', 'roomId'] as const).map(row)}
    </dl>
    ${
      f.complainantName.trim() || f.complainantPhone.trim() || f.complainantAddress.trim()
        ? html`<h3>${t('reportComplainant')}</h3>
            <dl>${(['complainantName', 'complainantPhone', 'complainantAddress'] as const).map(row)}</dl>`
        : ''
    }`;
}

/** A session's chart, drawn in both languages from the same figures: worked out once. */
const SERIES = new WeakMap<readonly SealedEvent[], ReturnType<typeof timelineSeries>>();
function seriesOf(events: readonly SealedEvent[]): ReturnType<typeof timelineSeries> {
  if (!SERIES.has(events)) SERIES.set(events, timelineSeries(events));
  return SERIES.get(events)!;
}

function sessionPart(
  input: ReportInput,
  s: ReportSession,
  t: Translate,
  primary: boolean,
  rows: DeferRows,
): SafeHtml {
  const r = input.redactor;
  const sum = s.summary;
  const chat = s.events.filter((e) => e.type === 'chat');
  const shots = s.events.filter((e) => e.type === 'screenshot');
  const series = seriesOf(s.events);
  return html`<section>
    <h2>${t('reportSession')} ${sum.id}</h2>
    <dl>
      <dt>${t('reportUrl')}</dt>
      <dd>${sum.url}</dd>
      <dt>${t('reportTitle')}</dt>
      <dd>${sum.title}</dd>
      <dt>${t('reportPlatform')}</dt>
      <dd>${platformLabel(sum.platform, t)}</dd>
      <dt>${t('reportStarted')}</dt>
      <dd>${sum.startedAt}</dd>
      <dt>${t('reportEnded')}</dt>
      <dd>${sum.endedAt ?? t('reportStillOpen')}</dd>
      ${
        s.range && (s.range.from || s.range.to)
          ? html`<dt>${t('reportRange')}</dt>
              <dd>
                ${s.range.from ?? sum.startedAt} – ${s.range.to ?? sum.endedAt ?? t('reportStillOpen')}
              </dd>`
          : ''
      }
      <dt>${t('reportCounts')}</dt>
      <dd>${t('reportCountsValue', sum.eventCount, sum.chatCount, sum.screenshotCount)}</dd>
      <dt>${t('reportChainHead')}</dt>
      <dd class="mono">${sum.chainHead}</dd>
    </dl>
    ${
      series
        ? html`<h3>${t('reportTimeline')}</h3>
            ${timelineSvg(series, {
              title: t('reportTimelineTitle', sum.id),
              chatRate: t('reportChatRate'),
              detections: t('reportDetections'),
              price: t('reportPrice'),
              priceIn: (currency) => t('reportPriceIn', currency),
              time: (ms) => `${utc(ms)} UTC`,
            })}`
        : ''
    }
    ${keyMoments(input, s, t)}
    ${
      primary
        ? html`<h3>${t('reportScreenshots')}</h3>
            ${shots.length === 0 ? html`<p class="muted">${t('reportNone')}</p>` : ''}
            ${shots.map((e) => figure(sum.id, e, t))} ${videoSection(sum.id, s.events, t)}
            <h3>${t('reportChat')}</h3>
            ${
              chat.length === 0
                ? html`<p class="muted">${t('reportNone')}</p>`
                : html`<table class="chat">
                    <thead>
                      <tr>
                        <th>#</th>
                        <th>${t('reportTimeUtc')}</th>
                        <th>${t('reportAuthor')}</th>
                        <th>${t('reportText')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${rows(chat, r)}
                    </tbody>
                  </table>`
            }`
        : html`<p class="muted">${t('reportSeeAbove')}</p>`
    }
  </section>`;
}

/** The kept video segments, each detection said during one placed at its offset in the file. */
function videoSection(sessionId: string, events: readonly SealedEvent[], t: Translate): SafeHtml {
  const video = videoParts(sessionId, events);
  return html`<h3>${t('videoReportHeading')}</h3>
    ${video.length === 0 ? html`<p class="muted">${t('reportNone')}</p>` : ''}
    ${video.map(
      (v) =>
        html`<div class="video">
          <p>
            <a href="${v.path}">${v.path.slice(v.path.lastIndexOf('/') + 1)}</a> ·
            ${t('videoReportPart', v.start, v.end, v.chunks)} ·
            ${t(
              v.reason === 'detection'
                ? 'videoReason_detection'
                : v.reason === 'command'
                  ? 'videoReason_command'
                  : 'videoReason_manual',
            )}
          </p>
          ${
            v.moments.length
              ? html`<ul>
                  ${v.moments.map(
                    (m) =>
                      html`<li>
                        ${t('videoReportMoment', clock(m.offsetSeconds), m.seq, m.category, m.text)}
                      </li>`,
                  )}
                </ul>`
              : ''
          }
        </div>`,
    )}`;
}

function figure(sessionId: string, e: SealedEvent, t: Translate): SafeHtml {
  return html`<figure>
    <img src="${screenshotPath(sessionId, e.seq)}" alt="${t('reportScreenshotAlt', e.seq, e.time)}" />
    <figcaption>#${e.seq} · ${e.time} · <span class="mono">${String(e.data.sha256)}</span></figcaption>
  </figure>`;
}

interface Moment {
  e: SealedEvent;
  marks: Mark[];
  receipts: ReceiptEntry[];
}

/** The event with this `seq`: a binary search, as events come in `seq` order (else a plain search). */
function eventAt(events: readonly SealedEvent[], seq: number): SealedEvent | undefined {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = events[mid]!;
    if (e.seq === seq) return e;
    if (e.seq < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return events.find((e) => e.seq === seq);
}

function keyMoments(input: ReportInput, s: ReportSession, t: Translate): SafeHtml | string {
  const id = s.summary.id;
  const bySeq = new Map<number, Moment>();
  const at = (seq: number) => {
    const e = eventAt(s.events, seq);
    if (!e) return null;
    let m = bySeq.get(seq);
    if (!m) bySeq.set(seq, (m = { e, marks: [], receipts: [] }));
    return m;
  };
  for (const mark of input.case?.marks ?? []) if (mark.session === id) at(mark.seq)?.marks.push(mark);
  for (const rc of input.case?.receipts ?? [])
    if (rc.moment?.session === id) at(rc.moment.seq)?.receipts.push(rc);
  for (const e of s.events) {
    if (bySeq.size >= MAX_MOMENTS) break;
    if (
      e.type === 'detection' &&
      KEY_CATEGORIES.has(String(e.data.category)) &&
      (e.data.category !== 'off-platform' || e.data.tier === 'block')
    )
      at(e.seq);
  }
  if (!bySeq.size) return '';
  const r = input.redactor;
  const moments = [...bySeq.values()].sort((a, b) => a.e.seq - b.e.seq);
  /** A picture already shown for an earlier moment is named, not repeated. */
  const pictured = new Set<number>();
  const nearest = screenshotFinder(s.events);
  return html`<h3>${t('reportKeyMoments')}</h3>
    ${moments.map(({ e, marks, receipts }) => {
      const host = e.data.kind === 'host' || e.data.host === true;
      const who = typeof e.data.author === 'string' ? e.data.author : '';
      const shot = e.type === 'screenshot' ? e : nearest(e.time);
      return html`<div class="moment" data-seq="${e.seq}">
        <p>
          <strong>#${e.seq}</strong> · ${e.time} ·
          ${e.type === 'detection' ? categoryName(String(e.data.category), t) : t(`reportEventType_${e.type.replace('-', '_')}` as MessageKey)}
          ${who ? html` · ${r ? r.author(who, host) : who}` : ''}
        </p>
        ${momentText(e) ? html`<p><q>${r ? r.text(momentText(e), host) : momentText(e)}</q></p>` : ''}
        ${marks.filter((m) => m.note.trim()).map((m) => html`<p>${t('reportNote')} ${m.note}</p>`)}
        ${receipts.map((rc) => html`<p>${t('reportReliedOnBy', rc.label || rc.name, rc.path)}</p>`)}
        ${
          !shot
            ? html`<p class="muted">${t('reportNoScreenshot')}</p>`
            : pictured.has(shot.seq)
              ? html`<p class="muted">${t('reportSameScreenshot', shot.seq)}</p>`
              : (pictured.add(shot.seq), figure(id, shot, t))
        }
      </div>`;
    })}`;
}

function evidenceIndex(input: ReportInput, t: Translate): SafeHtml {
  const sha = (path: string) => input.hashes?.get(path) ?? '';
  const rows: { name: string; source: string; time: string; purpose: string; file: string }[] = [];
  for (const s of input.sessions) {
    const sum = s.summary;
    const source = `${platformLabel(sum.platform, t)} ${sum.url}`;
    const span = `${sum.startedAt} – ${sum.endedAt ?? t('reportStillOpen')}`;
    rows.push({
      name: t('reportIndexEvents'),
      source,
      time: span,
      purpose: t('reportIndexEventsPurpose'),
      file: eventsPath(sum.id),
    });
    rows.push({
      name: t('reportIndexChat'),
      source,
      time: span,
      purpose: t('reportIndexChatPurpose'),
      file: chatCsvPath(sum.id),
    });
    for (const e of s.events)
      if (e.type === 'screenshot')
        rows.push({
          name: t('reportIndexScreenshot', e.seq),
          source,
          time: e.time,
          purpose: t('reportIndexScreenshotPurpose'),
          file: screenshotPath(sum.id, e.seq),
        });
  }
  for (const rc of input.case?.receipts ?? [])
    rows.push({
      name: rc.label || rc.name,
      source: t('reportIndexReceiptSource', rc.name),
      time: rc.attachedAt,
      purpose: t('reportIndexReceiptPurpose'),
      file: rc.path,
    });
  return html`<h2>${t('reportEvidenceIndex')}</h2>
    <table class="index">
      <thead>
        <tr>
          <th>${t('reportIndexNo')}</th>
          <th>${t('reportIndexName')}</th>
          <th>${t('reportIndexSource')}</th>
          <th>${t('reportIndexTime')}</th>
          <th>${t('reportIndexPurpose')}</th>
          <th>${t('reportIndexFile')}</th>
          <th>${termed('SHA-256')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row, i) =>
            html`<tr>
              <td>${i + 1}</td>
              <td>${row.name}</td>
              <td>${row.source}</td>
              <td>${row.time}</td>
              <td>${row.purpose}</td>
              <td>${row.file}</td>
              <td>${row.file ? sha(row.file) : ''}</td>
            </tr> `,
        )}
      </tbody>
    </table>`;
}

function receipts(input: ReportInput, t: Translate): SafeHtml | string {
  const list = input.case?.receipts ?? [];
  if (!list.length) return '';
  return html`<h2>${t('reportReceipts')}</h2>
    <ul>
      ${list.map(
        (rc) =>
          html`<li>
            ${rc.label || rc.name} · <span class="mono">${rc.path}</span> · ${rc.mediatype} · ${rc.bytes} B
            ${rc.moment ? html` · ${t('reportReceiptMoment', rc.moment.session, rc.moment.seq)}` : ''}
            ${rc.mediatype.startsWith('image/') && rc.mediatype !== 'image/heic' ? html`<br /><img class="receipt" src="${rc.path}" alt="${rc.label || rc.name}" />` : ''}
          </li>`,
      )}
    </ul>`;
}

/**
 * The chat table's rows (a one-hour stream has 100,000 of them), handed to `write` a few hundred at a
 * time: every value goes through the same `escapeHtml` as the template's.
 */
function writeChatRows(
  table: { chat: readonly SealedEvent[]; redactor: Redactor | undefined },
  write: (text: string) => void,
): void {
  const r = table.redactor;
  let out = '';
  for (const e of table.chat) {
    const host = e.data.kind === 'host';
    const author = String(e.data.author);
    const text = String(e.data.text);
    out +=
      (host ? '<tr class="host"><td>' : '<tr><td>') +
      escapeHtml(e.seq) +
      '</td><td>' +
      escapeHtml(e.time) +
      '</td><td>' +
      escapeHtml(r ? r.author(author, host) : author) +
      '</td><td>' +
      escapeHtml(r ? r.text(text, host) : text) +
      '</td></tr>\n';
    if (out.length > 1 << 15) {
      write(out);
      out = '';
    }
  }
  write(out);
}
