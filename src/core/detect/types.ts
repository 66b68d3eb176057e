/** The detection engine's public shapes (re-exported by `index.ts`). */
import type { Span } from './text';

export type Category =
  | 'off-platform'
  | 'price'
  | 'price-trap'
  | 'promise'
  | 'extreme-claim'
  | 'health-claim'
  | 'pressure'
  | 'sob-story';

export type Tier = 'block' | 'flag';

export interface Amount {
  value: number;
  /** 'CNY', 'USD', or 'ratio' for a discount rate (八折 = 0.8). */
  currency: 'CNY' | 'USD' | string;
  /** See `PRICE_KINDS` in price.ts: original, final, after-coupon, flash-sale, shipping, fee … */
  kind: string;
}

export interface Detection {
  category: Category;
  /** off-platform: block|flag; price-trap: block; others: none. */
  tier?: Tier;
  /** Stable rule id, e.g. 'off-platform/contact-wechat'. */
  rule: string;
  /** The matched span of the ORIGINAL text (a split message or card+chat trap: the spans joined with '\n'). */
  text: string;
  /** The normalised matched text or value (e.g. 'wechat:meimei_2025'). */
  normalized: string;
  /** Seqs of the input(s) it was found in. */
  source: number[];
  /** Said by the host / anchor (inputs of kind host, pinned or room-title). */
  host?: true;
  amount?: Amount;
  /** A promise that is an unfair term (一经售出概不退换). */
  unfair?: true;
}

export interface DetectInput {
  seq: number;
  kind: 'chat' | 'host' | 'product' | 'room-title' | 'pinned';
  /** Chat author. */
  author?: string;
  text: string;
  timeMs: number;
  /** Strings as displayed, e.g. '¥0.01', '运费 ¥99', '包邮'. */
  product?: {
    id: string;
    title: string;
    price?: string;
    originalPrice?: string;
    finalPrice?: string;
    shipping?: string;
    coupon?: string;
  };
}

export interface DetectorOptions {
  /** How far back a split message may reach, per author (default 60 s, domain.md §1.3). */
  windowMs?: number;
  /** How many of the author's lines a split message may span (default 5, domain.md §1.3). */
  windowLines?: number;
}

/** A rule's finding inside one prepared text, before it is tied to inputs. */
export interface Hit {
  category: Category;
  tier?: Tier;
  rule: string;
  span: Span;
  normalized: string;
  amount?: Amount;
  unfair?: true;
}
