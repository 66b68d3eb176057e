/**
 * The complaint letters: `complaint.zh-CN.txt` and `complaint.en.txt`. A short narrative (12315's
 * description box; at most 500 Chinese characters), the 12315 form field by field for copying, and,
 * when the stream held off-platform solicitation or extreme or health claims, a separate 举报 draft
 * (a report of a violation is handled apart from one's own dispute).
 */
import type { SealedEvent } from '../evidence';
import type { MessageKey, Translate } from '../i18n';
import { CASE_FIELD_NAMES, type CaseFields, type Mark, type ReceiptEntry } from './model';

/** Characters (code points) the narrative may take, per language. */
export const NARRATIVE_LIMIT = { zh_CN: 500, en: 1500 } as const;

export interface ComplaintSession {
  id: string;
  url: string;
  startedAt: string;
  events: readonly SealedEvent[];
}

export interface ComplaintInput {
  packageName: string;
  fields: CaseFields;
  sessions: readonly ComplaintSession[];
  marks: readonly Mark[];
  receipts: readonly ReceiptEntry[];
  /** Formats a time for the letter (local time of the exporter, with its zone). */
  time: (iso: string) => string;
  /** The installation key's fingerprint, grouped. */
  fingerprint: string;
}

export const chars = (s: string) => [...s].length;

function cut(s: string, max: number): string {
  const c = [...s];
  if (c.length <= max) return s;
  return max <= 1 ? '…'.slice(0, max) : c.slice(0, max - 1).join('') + '…';
}

/** Quotes the stream said, most relevant first: what receipts relied on, key marks, then detections. */
export function keyQuotes(
  input: Pick<ComplaintInput, 'sessions' | 'marks' | 'receipts'>,
  max = 3,
): { text: string; time: string }[] {
  const byId = new Map(input.sessions.map((s) => [s.id, s.events]));
  const seen = new Set<string>();
  const out: { text: string; time: string }[] = [];
  const take = (session: string, seq: number) => {
    const id = `${session}#${seq}`;
    const e = byId.get(session)?.[seq];
    if (!e || seen.has(id)) return;
    const text = momentText(e);
    if (!text) return;
    seen.add(id);
    out.push({ text, time: e.time });
  };
  for (const r of input.receipts) if (r.moment) take(r.moment.session, r.moment.seq);
  for (const m of input.marks) if (m.key) take(m.session, m.seq);
  for (const s of input.sessions)
    for (const e of s.events)
      if (
        e.type === 'detection' &&
        ['promise', 'price', 'price-trap', 'extreme-claim', 'health-claim'].includes(String(e.data.category))
      )
        take(s.id, e.seq);
  return out.slice(0, max);
}

/** What an event says, in a line (a chat message's text, a card's title and price, a detection's words). */
export function momentText(e: SealedEvent): string {
  const d = e.data;
  switch (e.type) {
    case 'chat':
    case 'detection':
      return String(d.text ?? '')
        .replace(/\s+/g, ' ')
        .trim();
    case 'product':
      return [d.title, d.finalPrice ?? d.price].filter((x) => typeof x === 'string' && x).join(' ');
    case 'room':
      return String(d.pinned ?? d.title ?? '');
    case 'note':
      return String(d.text ?? '');
    default:
      return '';
  }
}

interface Part {
  text: string;
  /** Shortest this part may be cut to. */
  min: number;
}

/** Joins the parts, cutting the longest cuttable ones first until the whole fits `limit`. */
export function fitParts(parts: Part[], limit: number): string {
  const texts = parts.map((p) => p.text);
  for (let guard = 0; guard < 100; guard++) {
    const total = texts.reduce((n, s) => n + chars(s), 0);
    if (total <= limit) break;
    let longest = -1;
    for (let i = 0; i < texts.length; i++) {
      const room = chars(texts[i]!) - parts[i]!.min;
      if (room > 0 && (longest < 0 || chars(texts[i]!) > chars(texts[longest]!))) longest = i;
    }
    if (longest < 0) break;
    const excess = total - limit;
    const len = chars(texts[longest]!);
    texts[longest] = cut(texts[longest]!, Math.max(parts[longest]!.min, len - excess));
  }
  return cut(texts.join(''), limit);
}

export function renderNarrative(input: ComplaintInput, t: Translate, limit: number): string {
  const f = input.fields;
  const none = t('complaintUnknown');
  const v = (s: string) => s.trim() || none;
  const first = input.sessions[0];
  const quotes = keyQuotes(input).map((q) => t('complaintQuote', q.text, input.time(q.time)));
  const parts: Part[] = [
    {
      text: t(
        'complaintNarrWho',
        v(f.complainantName),
        v(f.platform),
        v(f.anchorAccount),
        v(f.roomId),
        first ? input.time(first.startedAt) : none,
      ),
      min: 40,
    },
    {
      text: t(
        'complaintNarrBought',
        v(f.purchaseTime),
        v(f.product),
        v(f.orderNumber),
        v(f.amount),
        v(f.merchantName),
      ),
      min: 40,
    },
  ];
  if (quotes.length)
    parts.push({ text: t('complaintNarrPromised', quotes.join(t('complaintListSep'))), min: 30 });
  if (f.whatHappened.trim()) parts.push({ text: t('complaintNarrReceived', f.whatHappened.trim()), min: 30 });
  if (f.negotiation.trim()) parts.push({ text: t('complaintNarrAsked', f.negotiation.trim()), min: 20 });
  parts.push({ text: t('complaintNarrDemand', v(f.demand)), min: 20 });
  parts.push({
    text: t('complaintNarrEvidence', input.packageName),
    min: chars(t('complaintNarrEvidence', input.packageName)),
  });
  return fitParts(parts, limit);
}

const REPORTABLE = ['off-platform', 'extreme-claim', 'health-claim'] as const;

/** Detections a 举报 is about, grouped by category, with where they were sealed. */
export function reportable(sessions: readonly ComplaintSession[]) {
  const groups = new Map<
    (typeof REPORTABLE)[number],
    { session: string; seq: number; time: string; text: string; host: boolean }[]
  >();
  for (const s of sessions)
    for (const e of s.events) {
      const c = e.data.category as (typeof REPORTABLE)[number];
      if (e.type !== 'detection' || !REPORTABLE.includes(c)) continue;
      const list = groups.get(c) ?? [];
      list.push({ session: s.id, seq: e.seq, time: e.time, text: momentText(e), host: e.data.host === true });
      groups.set(c, list);
    }
  return groups;
}

export function renderComplaint(input: ComplaintInput, t: Translate, limit: number): string {
  const f = input.fields;
  const none = t('complaintUnknown');
  const lines: string[] = [];
  lines.push(
    t('complaintTitle'),
    '',
    t('complaintNarrativeHeading', limit),
    '',
    renderNarrative(input, t, limit),
    '',
  );
  lines.push(t('complaintFormHeading'), t('complaintFormNote'), '');
  for (const name of CASE_FIELD_NAMES) {
    if (name === 'whatHappened' || name === 'negotiation') continue;
    lines.push(`${t(`caseField_${name}` as MessageKey)}: ${f[name].trim() || none}`);
  }
  lines.push(`${t('complaintChannel')}: ${t('complaintChannelValue')}`);
  lines.push(`${t('complaintDescription')}: ${t('complaintDescriptionValue')}`);
  lines.push('', t('complaintAttachments'));
  for (const r of input.receipts) lines.push(`- ${r.path}  ${r.label || r.name}  SHA-256 ${r.sha256}`);
  lines.push(`- ${t('complaintAttachmentPackage', input.packageName)}`);
  lines.push('', t('complaintKey', input.fingerprint));

  const groups = reportable(input.sessions);
  if (groups.size) {
    lines.push('', '', t('complaintTipTitle'), t('complaintTipNote'), '');
    lines.push(
      `${t('complaintTipTarget')}: ${[f.merchantName, f.anchorAccount, f.platform, f.roomId && `${t('caseField_roomId')} ${f.roomId}`].filter(Boolean).join(' · ') || none}`,
    );
    for (const [category, found] of groups) {
      lines.push('', t(`complaintTip_${category.replace('-', '_')}` as MessageKey, found.length));
      for (const d of found.slice(0, 10))
        lines.push(`- ${input.time(d.time)}  “${cut(d.text, 200)}”  (${d.session} #${d.seq})`);
      if (found.length > 10) lines.push(`- ${t('complaintTipMore', found.length - 10)}`);
      lines.push(t(`complaintTipLaw_${category.replace('-', '_')}` as MessageKey));
    }
    lines.push('', t('complaintTipEvidence', input.packageName));
  }
  return lines.join('\r\n') + '\r\n';
}
