import { toCsv } from '../csv';
import type { SealedEvent } from '../evidence';
import { translator, type Lang } from '../i18n';
import type { Redactor } from '../case/redact';

/**
 * `chat.csv`: one row per chat event, for spreadsheets; the sealed `events.jsonl` stays the original.
 * With a redactor, other viewers' names and contact details are shown as the report shows them.
 */
export function chatCsv(events: readonly SealedEvent[], lang: Lang, redactor?: Redactor): string {
  const t = translator(lang);
  const header = [
    t('csvSeq'),
    t('csvTimeUtc'),
    t('csvAuthor'),
    t('csvText'),
    t('csvKind'),
    t('csvBacklog'),
    t('csvEventHash'),
  ];
  const rows = events
    .filter((e) => e.type === 'chat')
    .map((e) => {
      const host = e.data.kind === 'host';
      const author = String(e.data.author ?? '');
      const text = String(e.data.text ?? '');
      return [
        e.seq,
        e.time,
        redactor ? redactor.author(author, host) : author,
        redactor ? redactor.text(text, host) : text,
        host ? t('csvKindHost') : t('csvKindChat'),
        e.data.backlog ? t('csvYes') : '',
        e.hash,
      ];
    });
  return toCsv(header, rows);
}
