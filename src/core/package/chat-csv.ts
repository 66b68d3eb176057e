import { toCsv } from '../csv';
import type { SealedEvent } from '../evidence';
import { translator, type Lang } from '../i18n';

/** `chat.csv`: one row per chat event, for spreadsheets; the sealed `events.jsonl` stays the original. */
export function chatCsv(events: readonly SealedEvent[], lang: Lang): string {
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
    .map((e) => [
      e.seq,
      e.time,
      String(e.data.author ?? ''),
      String(e.data.text ?? ''),
      e.data.kind === 'host' ? t('csvKindHost') : t('csvKindChat'),
      e.data.backlog ? t('csvYes') : '',
      e.hash,
    ]);
  return toCsv(header, rows);
}
