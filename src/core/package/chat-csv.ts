import { csvHead, csvLine } from '../csv';
import type { SealedEvent } from '../evidence';
import { translator, type Lang } from '../i18n';
import type { Redactor } from '../case/redact';
import type { TextSink } from '../report';

/**
 * `chat.csv`: one row per chat event, for spreadsheets; the sealed `events.jsonl` stays the original.
 * With a redactor, other viewers' names and contact details are shown as the report shows them.
 */
export function chatCsv(events: readonly SealedEvent[], lang: Lang, redactor?: Redactor): string {
  let out = '';
  writeRows(events, lang, redactor, (text) => (out += text));
  return out;
}

/** The same text as `chatCsv`, handed to `sink` a few hundred rows at a time. */
export async function writeChatCsv(
  events: readonly SealedEvent[],
  lang: Lang,
  redactor: Redactor | undefined,
  sink: TextSink,
): Promise<void> {
  for (let from = 0; from < events.length || from === 0; from += ROWS_AT_ONCE) {
    writeRows(
      events.slice(from, from + ROWS_AT_ONCE),
      lang,
      redactor,
      (text) => sink.write(text),
      from === 0,
    );
    await sink.drain();
  }
}

const ROWS_AT_ONCE = 2000;

function writeRows(
  events: readonly SealedEvent[],
  lang: Lang,
  redactor: Redactor | undefined,
  write: (text: string) => void,
  head = true,
): void {
  const t = translator(lang);
  if (head)
    write(
      csvHead([
        t('csvSeq'),
        t('csvTimeUtc'),
        t('csvAuthor'),
        t('csvText'),
        t('csvKind'),
        t('csvBacklog'),
        t('csvEventHash'),
      ]),
    );
  const kinds = { host: t('csvKindHost'), chat: t('csvKindChat'), yes: t('csvYes') };
  let out = '';
  for (const e of events) {
    if (e.type !== 'chat') continue;
    const host = e.data.kind === 'host';
    const author = String(e.data.author ?? '');
    const text = String(e.data.text ?? '');
    out += csvLine([
      String(e.seq),
      e.time,
      redactor ? redactor.author(author, host) : author,
      redactor ? redactor.text(text, host) : text,
      host ? kinds.host : kinds.chat,
      e.data.backlog ? kinds.yes : '',
      e.hash,
    ]);
  }
  write(out);
}
