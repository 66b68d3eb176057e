/**
 * Redaction of other viewers in the renderings (report.html, chat.csv). The sealed events.jsonl in
 * the package is never touched, so the chains still verify; the report says redaction was applied.
 * Pseudonyms are stable within one package: the same viewer is `观众 3` in the report and the CSV.
 */
import type { SealedEvent } from '../evidence';
import type { Redaction } from './model';

/** Mobile numbers, e-mail addresses and handles after 微信/VX/QQ-style words, as other viewers type them. */
const CONTACTS: RegExp[] = [
  /(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  /((?:微信|威信|薇信|v信|vx|wx|wechat|qq|扣扣)\s*(?:号)?\s*[:：]?\s*)[A-Za-z0-9_-]{5,}/gi,
];
export const CONTACT_MASK = '***';

export class Redactor {
  private readonly names = new Map<string, string>();

  /**
   * @param mode what to hide: nothing, contact details in other viewers' messages, or also their names
   * @param pseudonym the label for the n-th viewer (`观众 n`, `Viewer n`), from the catalogue
   * @param keep names that are parties, not bystanders (the host, the anchor account)
   */
  constructor(
    readonly mode: Redaction,
    private readonly pseudonym: (n: number) => string,
    private readonly keep: ReadonlySet<string> = new Set(),
  ) {}

  /** Numbers viewers in the order they first spoke across all sessions, so names map stably. */
  static for(
    mode: Redaction,
    sessions: readonly (readonly SealedEvent[])[],
    pseudonym: (n: number) => string,
  ): Redactor {
    const keep = new Set<string>();
    for (const events of sessions)
      for (const e of events) {
        if (e.type === 'chat' && e.data.kind === 'host') keep.add(String(e.data.author));
        if ((e.type === 'room' || e.type === 'page') && typeof anchorOf(e) === 'string')
          keep.add(anchorOf(e)!);
      }
    const r = new Redactor(mode, pseudonym, keep);
    if (mode === 'names')
      for (const events of sessions)
        for (const e of events)
          if (e.type === 'chat') r.author(String(e.data.author), e.data.kind === 'host');
    return r;
  }

  get applied(): boolean {
    return this.mode !== 'none';
  }

  /** The name to show for a chat author. */
  author(name: string, host: boolean): string {
    if (this.mode !== 'names' || host || this.keep.has(name) || name === '') return name;
    let alias = this.names.get(name);
    if (!alias) {
      alias = this.pseudonym(this.names.size + 1);
      this.names.set(name, alias);
    }
    return alias;
  }

  /** A message's text as shown: a viewer's contact details masked, `@name` mentions pseudonymised. */
  text(text: string, host: boolean): string {
    if (this.mode === 'none' || host) return text;
    let out = text;
    for (const re of CONTACTS)
      out = out.replace(
        re,
        (whole, lead?: string) => (typeof lead === 'string' && lead ? lead : '') + CONTACT_MASK,
      );
    if (this.mode === 'names' && this.names.size)
      out = out.replace(/@([^\s@:：,，]{1,40})/g, (whole, name: string) => {
        const alias = this.names.get(name);
        return alias ? `@${alias}` : whole;
      });
    return out;
  }
}

function anchorOf(e: SealedEvent): string | undefined {
  const room = e.type === 'page' ? (e.data.room as Record<string, unknown> | undefined) : e.data;
  const name = room?.anchorName;
  return typeof name === 'string' && name ? name : undefined;
}
