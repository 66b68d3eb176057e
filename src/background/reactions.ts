/**
 * What the background does with events as they are sealed: runs the detectors over chat, product
 * cards, pinned messages and the room title and seals what they find as `detection` events linked to
 * their sources; asks for a screenshot when a product's price or terms change and for every warning;
 * and tells the shopper at once (the page's banner, the badge, a notification).
 *
 * Detection runs here rather than in the page: the page cannot see or suppress it, the detection can
 * name the `seq` of the events it was found in, and one detector per session sees the product cards
 * and the chat together (a ¥0.01 card and "运费 99" in the chat are one trap).
 */
import type { DetectionData, ProductData, RoomData, ScreenshotReason, SealedEvent } from '../core/evidence';
import type { PageWarning } from '../core/protocol';
import { clipText } from '../core/canonical';
import { SessionDetector, type DetectInput, type Detection } from '../core/detect';
import { SessionClosedError, isWarning, type EvidenceStore } from '../db';

/** Product fields whose change is worth a picture (a ticking countdown or stock is not). */
const PICTURE_FIELDS = new Set(['title', 'price', 'originalPrice', 'finalPrice', 'coupon', 'shipping']);
/** Detectors kept for this many sessions at most (the oldest is dropped: it ended long ago). */
const MAX_DETECTORS = 20;

export interface ReactionDeps {
  store: EvidenceStore;
  /** A picture is wanted for the event `source` of session `sessionId`. */
  screenshot(tabId: number, reason: ScreenshotReason, source: number, sessionId: string): Promise<unknown>;
  /** The shopper must know now: the page's banner, the badge, a notification. */
  warn(tabId: number, sessionId: string, warning: PageWarning): void;
}

export class Reactions {
  private readonly detectors = new Map<string, SessionDetector>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: ReactionDeps) {}

  /** Events of a tab's session were sealed; reacts to them in order, one batch after another. */
  sealed(tabId: number, sessionId: string, events: readonly SealedEvent[]): Promise<void> {
    const run = (this.queues.get(sessionId) ?? Promise.resolve())
      .then(() => this.react(tabId, sessionId, events))
      .catch((err: unknown) => {
        if (!(err instanceof SessionClosedError)) console.warn('[liveproof] reactions', err);
      });
    this.queues.set(sessionId, run);
    void run.then(() => {
      if (this.queues.get(sessionId) === run) this.queues.delete(sessionId);
    });
    return run;
  }

  /** A session ended: its detector's memory is no longer needed. */
  ended(sessionId: string): void {
    this.detectors.delete(sessionId);
  }

  private detector(sessionId: string): SessionDetector {
    let d = this.detectors.get(sessionId);
    if (!d) {
      d = new SessionDetector();
      this.detectors.set(sessionId, d);
      if (this.detectors.size > MAX_DETECTORS) this.detectors.delete(this.detectors.keys().next().value!);
    }
    return d;
  }

  private async react(tabId: number, sessionId: string, events: readonly SealedEvent[]): Promise<void> {
    const detector = this.detector(sessionId);
    const found: { detection: Detection; author?: string }[] = [];
    for (const e of events) {
      if (e.type === 'product') {
        const p = e.data as ProductData;
        if (
          p.state !== 'gone' &&
          (p.state === 'shown' ? p.featured : p.changed?.some((f) => PICTURE_FIELDS.has(f)))
        )
          void this.deps.screenshot(tabId, 'product', e.seq, sessionId).catch(() => undefined);
      }
      for (const input of inputsOf(e)) {
        const author = input.kind === 'chat' || input.kind === 'host' ? input.author : undefined;
        for (const detection of detector.feed(input))
          found.push({ detection, ...(author ? { author } : {}) });
      }
    }
    if (!found.length) return;

    const drafts = found.map(({ detection: d, author }, i) => ({
      key: `det:${events[0]!.seq}:${i}:${d.rule}`,
      type: 'detection' as const,
      time: new Date().toISOString(),
      data: detectionData(d, author),
    }));
    const { sealed } = await this.deps.store.append(sessionId, drafts);
    for (const e of sealed) {
      const d = e.data as DetectionData;
      if (!isWarning(d)) continue;
      this.deps.warn(tabId, sessionId, {
        seq: e.seq,
        time: e.time,
        category: d.category,
        ...(d.tier ? { tier: d.tier } : {}),
        rule: d.rule,
        text: d.text,
        ...(d.author ? { author: d.author } : {}),
        ...(d.host ? { host: true } : {}),
      });
      if (d.tier === 'block' || d.category === 'price-trap')
        void this.deps.screenshot(tabId, 'detection', e.seq, sessionId).catch(() => undefined);
    }
  }
}

const clip = clipText;

function detectionData(d: Detection, author: string | undefined): DetectionData {
  return {
    category: d.category,
    ...(d.tier ? { tier: d.tier } : {}),
    rule: clip(d.rule, 100),
    text: clip(d.text, 4000),
    normalized: clip(d.normalized, 4000),
    source: d.source.length === 1 ? d.source[0]! : d.source.slice(0, 50),
    ...(author ? { author: clip(author, 200) } : {}),
    ...(d.host ? { host: true as const } : {}),
    ...(d.amount && Number.isFinite(d.amount.value)
      ? {
          amount: {
            value: d.amount.value,
            currency: clip(d.amount.currency, 8),
            kind: clip(d.amount.kind, 32),
          },
        }
      : {}),
    ...(d.unfair ? { unfair: true as const } : {}),
  };
}

/** What the detectors read in an event: chat, a product card, the room's title and pinned message. */
export function inputsOf(e: SealedEvent): DetectInput[] {
  const timeMs = Date.parse(e.time);
  if (e.type === 'chat') {
    const d = e.data as { author: string; text: string; kind: 'chat' | 'host' };
    return [{ seq: e.seq, kind: d.kind, author: d.author, text: d.text, timeMs }];
  }
  if (e.type === 'product') {
    const p = e.data as ProductData;
    if (p.state === 'gone') return [];
    const text = [p.title, p.price, p.originalPrice, p.finalPrice, p.coupon, p.shipping]
      .filter(Boolean)
      .join(' ');
    return [
      {
        seq: e.seq,
        kind: 'product',
        text,
        timeMs,
        product: {
          id: p.id,
          title: p.title,
          ...(p.price ? { price: p.price } : {}),
          ...(p.originalPrice ? { originalPrice: p.originalPrice } : {}),
          ...(p.finalPrice ? { finalPrice: p.finalPrice } : {}),
          ...(p.shipping ? { shipping: p.shipping } : {}),
          ...(p.coupon ? { coupon: p.coupon } : {}),
        },
      },
    ];
  }
  if (e.type === 'room') {
    const r = e.data as RoomData;
    const out: DetectInput[] = [];
    if (r.title) out.push({ seq: e.seq, kind: 'room-title', text: r.title, timeMs });
    if (r.pinned) out.push({ seq: e.seq, kind: 'pinned', text: r.pinned, timeMs });
    return out;
  }
  return [];
}
