/**
 * Turns what the adapter reads of the room and the product cards, polled once a second, into the
 * events worth sealing: a `product` event when a card appears, changes in any field, or goes away,
 * and a `room` event when the room's facts change. The viewer count alone changes every few seconds
 * and is not a change worth an event; it rides along with the others.
 */
import { PRODUCT_FIELDS, type ProductData, type RoomData, type RoomFacts } from '../core/evidence';
import { clipText } from '../core/canonical';
import type { PageState, ProductCard, RoomInfo } from '../adapters/types';

const FIELD_CHARS = 300;
const ROOM_CHARS = { roomId: 200, anchorName: 200, anchorId: 200, title: 1000, viewers: 100, pinned: 4000 };
/** A card must be missing this many polls in a row before it counts as gone (pages re-render). */
const GONE_AFTER = 3;
/** At most this many cards are tracked (a shop window with hundreds of items is not the stream). */
const MAX_CARDS = 50;
/**
 * Fields that tick by themselves (a countdown every second, stock as it sells): a change of only
 * these is sealed at most once per `QUIET_MS` per card; the next event still carries their value.
 */
const QUIET_FIELDS: ReadonlySet<string> = new Set(['countdown', 'stock']);
export const QUIET_MS = 30_000;

const clip = clipText;

/** A card in the form it is sealed: every text field well-formed and within its limit. */
export function cardData(card: ProductCard): Omit<ProductData, 'state' | 'changed'> {
  const out: Omit<ProductData, 'state' | 'changed'> = {
    id: clip(card.id, FIELD_CHARS),
    title: clip(card.title, FIELD_CHARS),
  };
  for (const f of PRODUCT_FIELDS) {
    if (f === 'title' || f === 'featured') continue;
    const v = card[f];
    if (typeof v === 'string' && v) out[f] = clip(v, FIELD_CHARS);
  }
  if (card.featured) out.featured = true;
  return out;
}

export function roomFacts(info: RoomInfo): RoomFacts {
  const out: RoomFacts = {};
  for (const k of Object.keys(ROOM_CHARS) as (keyof typeof ROOM_CHARS)[]) {
    const v = info[k];
    if (typeof v === 'string' && v) out[k] = clip(v, ROOM_CHARS[k]);
  }
  return out;
}

interface Known {
  data: Omit<ProductData, 'state' | 'changed'>;
  missing: number;
  sealedAt: number;
}

export class ProductTracker {
  private readonly known = new Map<string, Known>();

  /** Compares the cards on the page now with the last poll; returns the events to seal. */
  update(cards: readonly ProductCard[], now: number): ProductData[] {
    const out: ProductData[] = [];
    const present = new Set<string>();
    for (const card of cards.slice(0, MAX_CARDS)) {
      const data = cardData(card);
      if (present.has(data.id)) continue;
      present.add(data.id);
      const before = this.known.get(data.id);
      if (!before) {
        out.push({ ...data, state: 'shown' });
        this.known.set(data.id, { data, missing: 0, sealedAt: now });
        continue;
      }
      before.missing = 0;
      const changed = PRODUCT_FIELDS.filter((f) => before.data[f] !== data[f]);
      if (!changed.length) continue;
      if (changed.every((f) => QUIET_FIELDS.has(f)) && now - before.sealedAt < QUIET_MS) continue;
      out.push({ ...data, state: 'changed', changed });
      this.known.set(data.id, { data, missing: 0, sealedAt: now });
    }
    for (const [id, k] of this.known) {
      if (present.has(id)) continue;
      if (++k.missing >= GONE_AFTER) {
        this.known.delete(id);
        out.push({ ...k.data, state: 'gone' });
      }
    }
    return out;
  }

  reset(): void {
    this.known.clear();
  }
}

export class RoomTracker {
  private last: string | null = null;

  /** A `room` event when anything but the viewer count changed since the last one. */
  update(info: RoomInfo, state: PageState): RoomData | null {
    const facts = roomFacts(info);
    const key = JSON.stringify([state, { ...facts, viewers: undefined }]);
    if (key === this.last) return null;
    this.last = key;
    return { ...facts, state };
  }

  reset(): void {
    this.last = null;
  }
}
