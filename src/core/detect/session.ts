/**
 * Detection over a capture session: one text at a time, plus what only a session can see — a
 * message split over several lines by one author, a price trap spread over the product card and
 * the chat — and de-duplication of what has been reported already.
 */
import type { Amount, Detection, DetectInput, DetectorOptions, Hit } from './types';
import type { Layer } from './normalize';
import type { Prepared } from './text';
import { fold } from './normalize';
import { prepare, originalOf } from './text';
import { offPlatform } from './off-platform';
import { FEE_KINDS, HEADLINE_KINDS, fieldAmount, isTrap, prices } from './price';
import { claims } from './claims';

/** Split messages reach back this far per author (domain.md §1.3: "the last 5 messages or 60 s"). */
export const DEFAULT_WINDOW_MS = 60_000;
export const DEFAULT_WINDOW_LINES = 5;
/** How long an announced price or fee stays paired with later ones for a cross-input trap. */
export const TRAP_MEMORY_MS = 10 * 60_000;
/** Bounds on the de-duplication memory of persistent surfaces (pinned, title, cards). */
const SURFACE_KEYS_MAX = 20_000;
/** Lines longer than this are not joined with the author's other lines. */
const SPLIT_LINE_MAX = 120;
/** How many announced prices and fees are remembered for pairing. */
const SAID_MAX = 64;

const SAID_BY_HOST: ReadonlySet<DetectInput['kind']> = new Set(['host', 'pinned', 'room-title']);

/** All findings in one prepared text. */
export function detectHits(p: Prepared, withPrices = true): Hit[] {
  const hits = offPlatform(p);
  if (withPrices) hits.push(...prices(p));
  hits.push(...claims(p));
  return hits;
}

function toDetection(p: Prepared, hit: Hit, source: number[], host: boolean): Detection {
  const [from, to] = originalOf(p, hit.span);
  return {
    category: hit.category,
    ...(hit.tier ? { tier: hit.tier } : {}),
    rule: hit.rule,
    text: p.original.slice(from, to),
    normalized: hit.normalized,
    source,
    ...(host ? { host: true as const } : {}),
    ...(hit.amount ? { amount: hit.amount } : {}),
    ...(hit.unfair ? { unfair: true as const } : {}),
  };
}

/** Stateless detection in one text. */
export function detectOne(text: string, seq: number, kind: DetectInput['kind']): Detection[] {
  const p = prepare(text, fold(text));
  return unique(detectHits(p).map((h) => toDetection(p, h, [seq], SAID_BY_HOST.has(kind))));
}

function unique(ds: Detection[]): Detection[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.rule}|${d.normalized}|${d.source.join(',')}|${d.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

interface Line {
  seq: number;
  timeMs: number;
  text: string;
  folded: Layer;
  host: boolean;
}

/** A price or fee said somewhere, kept to pair with a later one. */
interface Said {
  seq: number;
  timeMs: number;
  side: 'card' | 'seller' | 'viewer';
  cardId?: string;
  role: 'headline' | 'fee';
  amount: Amount;
  text: string;
  host: boolean;
}

type ProductFields = NonNullable<DetectInput['product']>;
const FIELD_KINDS: ReadonlyArray<[keyof ProductFields, string]> = [
  ['finalPrice', 'final'],
  ['price', 'price'],
  ['coupon', 'after-coupon'],
  ['originalPrice', 'original'],
  ['shipping', 'shipping'],
];

/** Joins folded lines with '\n', offsets shifted into the joined original. */
function joinFolded(lines: readonly Line[]): Layer {
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  let offset = 0;
  lines.forEach((line, i) => {
    if (i > 0) {
      text += '\n';
      start.push(offset - 1);
      end.push(offset);
    }
    text += line.folded.text;
    for (let k = 0; k < line.folded.start.length; k++) {
      start.push(line.folded.start[k]! + offset);
      end.push(line.folded.end[k]! + offset);
    }
    offset += line.text.length + 1;
  });
  return { text, start, end };
}

/**
 * Stateful per capture session: a per-author window for split messages, the current product cards
 * for cross card/chat price traps, and de-duplication so the same detection of the same span is
 * not reported twice (a re-read pinned message or card is reported once).
 */
export class SessionDetector {
  private readonly windowMs: number;
  private readonly windowLines: number;
  private readonly lines = new Map<string, Line[]>();
  private said: Said[] = [];
  private readonly seenChat = new Map<string, number>();
  private readonly seenSurface = new Set<string>();
  private readonly trapsReported = new Map<string, number>();
  private lastPrune = 0;

  constructor(opts: DetectorOptions = {}) {
    this.windowMs = opts.windowMs ?? DEFAULT_WINDOW_MS;
    this.windowLines = opts.windowLines ?? DEFAULT_WINDOW_LINES;
  }

  feed(input: DetectInput): Detection[] {
    const text = input.text ?? '';
    const host = SAID_BY_HOST.has(input.kind);
    const folded = fold(text);
    const p = prepare(text, folded);
    const structured = input.kind === 'product' && input.product !== undefined;
    const hits = detectHits(p, !structured);
    const out = hits.map((h) => toDetection(p, h, [input.seq], host));

    if (input.kind === 'chat' || input.kind === 'host') out.push(...this.splitMessage(input, folded, host));
    if (structured) out.push(...this.card(input, input.product!));
    else out.push(...this.crossTraps(input, hits, p, host));

    this.prune(input.timeMs);
    return this.fresh(input, out);
  }

  /** Off-platform findings that only exist across several lines of one author. */
  private splitMessage(input: DetectInput, folded: Layer, host: boolean): Detection[] {
    // Split messages are made of short lines; a long one is a message of its own.
    if ((input.text ?? '').length > SPLIT_LINE_MAX) return [];
    const key = `${input.kind}\u0000${input.author ?? ''}`;
    const lines = (this.lines.get(key) ?? []).filter((l) => input.timeMs - l.timeMs <= this.windowMs);
    lines.push({ seq: input.seq, timeMs: input.timeMs, text: input.text ?? '', folded, host });
    while (lines.length > this.windowLines) lines.shift();
    this.lines.set(key, lines);
    if (lines.length < 2) return [];

    const original = lines.map((l) => l.text).join('\n');
    const p = prepare(original, joinFolded(lines));
    const bounds: number[] = [];
    let offset = 0;
    for (const l of lines) {
      bounds.push(offset);
      offset += l.text.length + 1;
    }
    const lastStart = bounds[bounds.length - 1]!;
    const out: Detection[] = [];
    for (const hit of offPlatform(p)) {
      const [from, to] = originalOf(p, hit.span);
      if (to <= lastStart) continue; // not reaching the new line: reported before, or never
      const touched = lines.filter((_, i) => from < bounds[i]! + lines[i]!.text.length && to > bounds[i]!);
      if (touched.length < 2) continue; // within one line: the single-line pass has it
      out.push(
        toDetection(
          p,
          hit,
          touched.map((l) => l.seq),
          host,
        ),
      );
    }
    return out;
  }

  /** Price detections from a product card's fields, and the card's own trap. */
  private card(input: DetectInput, product: ProductFields): Detection[] {
    const out: Detection[] = [];
    let headline: Said | undefined;
    let fee: Said | undefined;
    for (const [field, kind] of FIELD_KINDS) {
      const shown = product[field];
      if (typeof shown !== 'string' || shown.trim() === '') continue;
      const p = prepare(shown, fold(shown));
      let amount = fieldAmount(p, kind);
      if (field === 'coupon') {
        const own = prices(p).find((h) => h.amount && h.amount.currency !== 'ratio')?.amount;
        if (own) amount = { ...own, kind: own.kind === 'price' ? kind : own.kind };
      }
      if (!amount) continue;
      out.push({
        category: 'price',
        rule: 'price/card',
        text: shown,
        normalized: `${amount.kind}:${amount.value} ${amount.currency}`,
        source: [input.seq],
        amount,
      });
      const said: Said = {
        seq: input.seq,
        timeMs: input.timeMs,
        side: 'card',
        cardId: product.id,
        role: FEE_KINDS.has(amount.kind) ? 'fee' : 'headline',
        amount,
        text: shown,
        host: false,
      };
      if (said.role === 'fee') fee = said;
      else if (HEADLINE_KINDS.has(amount.kind) && (!headline || amount.value < headline.amount.value))
        headline = said;
    }
    // The card replaces what it said before.
    this.said = this.said.filter((s) => s.cardId !== product.id);
    if (headline && fee && isTrap(headline.amount.value, fee.amount.value))
      out.push(this.trap('price-trap/card', headline, fee));
    for (const s of [headline, fee]) if (s) out.push(...this.pair(s));
    return out;
  }

  /** Traps between this input's headline or fee and ones said before (card, host or chat). */
  private crossTraps(input: DetectInput, hits: readonly Hit[], p: Prepared, host: boolean): Detection[] {
    const out: Detection[] = [];
    for (const h of hits) {
      if (h.category !== 'price' || !h.amount) continue;
      const role = FEE_KINDS.has(h.amount.kind)
        ? 'fee'
        : HEADLINE_KINDS.has(h.amount.kind)
          ? 'headline'
          : undefined;
      if (!role) continue;
      const [from, to] = originalOf(p, h.span);
      out.push(
        ...this.pair({
          seq: input.seq,
          timeMs: input.timeMs,
          side: input.kind === 'chat' ? 'viewer' : 'seller',
          role,
          amount: h.amount,
          text: p.original.slice(from, to),
          host,
        }),
      );
    }
    return out;
  }

  /**
   * Pairs a new headline or fee with the latest remembered counterpart, then remembers it. The same
   * trap (same card, same figures) is reported once per TRAP_MEMORY_MS, however often it is repeated.
   */
  private pair(s: Said): Detection[] {
    let match: Said | undefined;
    for (const other of this.said) {
      if (other.role === s.role || other.seq === s.seq || other.amount.currency !== s.amount.currency)
        continue;
      if (s.side === 'viewer' && other.side === 'viewer') continue;
      if (s.side === 'card' && other.side === 'card') continue; // two cards: two products
      if (s.timeMs - other.timeMs > TRAP_MEMORY_MS) continue;
      const [headline, fee] = s.role === 'headline' ? [s, other] : [other, s];
      if (isTrap(headline.amount.value, fee.amount.value) && (!match || other.timeMs >= match.timeMs))
        match = other;
    }
    this.said.push(s);
    if (this.said.length > SAID_MAX) this.said.splice(0, this.said.length - SAID_MAX);
    if (!match) return [];
    const [headline, fee] = s.role === 'headline' ? [s, match] : [match, s];
    const card = s.cardId ?? match.cardId;
    const key = `${card ?? ''}|${headline.amount.value}|${fee.amount.value}|${fee.amount.currency}`;
    const last = this.trapsReported.get(key);
    if (last !== undefined && s.timeMs - last <= TRAP_MEMORY_MS) return [];
    this.trapsReported.set(key, s.timeMs);
    return [this.trap(card !== undefined ? 'price-trap/card-chat' : 'price-trap/announced', headline, fee)];
  }

  private trap(rule: string, headline: Said, fee: Said): Detection {
    const parts = headline.seq <= fee.seq ? [headline, fee] : [fee, headline];
    return {
      category: 'price-trap',
      tier: 'block',
      rule,
      text: parts.map((x) => x.text).join('\n'),
      normalized: `headline:${headline.amount.value} fee:${fee.amount.value} ${fee.amount.currency}`,
      source: [...new Set(parts.map((x) => x.seq))],
      ...(headline.host || fee.host ? { host: true as const } : {}),
      amount: fee.amount,
    };
  }

  /** Drops what was reported already; persistent surfaces are compared by content, not by seq. */
  private fresh(input: DetectInput, ds: Detection[]): Detection[] {
    const surface = input.kind === 'pinned' || input.kind === 'room-title' || input.kind === 'product';
    return ds.filter((d) => {
      if (surface && d.source.length === 1) {
        const k = `${input.kind}|${input.product?.id ?? ''}|${d.rule}|${d.normalized}|${d.text}`;
        if (this.seenSurface.has(k)) return false;
        if (this.seenSurface.size >= SURFACE_KEYS_MAX) this.seenSurface.clear();
        this.seenSurface.add(k);
        return true;
      }
      const k = `${d.rule}|${d.normalized}|${d.source.join(',')}|${d.text}`;
      if (this.seenChat.has(k)) return false;
      this.seenChat.set(k, input.timeMs);
      return true;
    });
  }

  private prune(now: number): void {
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    const horizon = Math.max(this.windowMs * 2, TRAP_MEMORY_MS);
    for (const [k, t] of this.seenChat) if (now - t > horizon) this.seenChat.delete(k);
    for (const [k, lines] of this.lines)
      if (now - lines[lines.length - 1]!.timeMs > this.windowMs) this.lines.delete(k);
    this.said = this.said.filter((s) => s.side === 'card' || now - s.timeMs <= TRAP_MEMORY_MS);
    for (const [k, t] of this.trapsReported) if (now - t > TRAP_MEMORY_MS) this.trapsReported.delete(k);
  }
}
