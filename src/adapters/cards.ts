/**
 * Product cards, read the two ways the platforms lay them out:
 * - `readFieldCard`: each field has an element of its own (Kuaishou's cart, Taobao Live's goods bag,
 *   Bilibili's goods), found by selector variants;
 * - `readWordCard`: a card of loose tags (Douyin, TikTok): the title by its hook, prices from the
 *   card's text run together, each tag one element at a time and known by its words.
 * Pure DOM, no extension APIs.
 */
import type { ProductCard } from './types';
import { squash, textWithAlt } from './text';
import { firstText, labelledPrice, PRICE_RE, priceIn, titleId } from './common';

/** Words on a card that say "the price you pay after coupons". */
const FINAL_LABEL = /(?:到手价?|券后价?)/;

/** The first non-empty value of the attributes, in the order given. */
export function attrValue(el: Element, attrs: readonly string[]): string | undefined {
  for (const a of attrs) {
    const v = el.getAttribute(a)?.trim();
    if (v) return v;
  }
  return undefined;
}

/** The presented card first, the others in the page's order (the sort is stable). */
export function featuredFirst(cards: ProductCard[]): ProductCard[] {
  return cards.sort((a, b) => Number(b.featured ?? false) - Number(a.featured ?? false));
}

/** The cards of the first selector variant that finds any, each read by `read`, the presented one first. */
export function cardsOfFirstVariant(
  doc: Document,
  variants: readonly string[],
  read: (el: Element) => ProductCard | null,
): ProductCard[] {
  for (const sel of variants) {
    const els = doc.querySelectorAll(sel);
    if (!els.length) continue;
    const cards: ProductCard[] = [];
    for (const el of els) {
      const card = read(el);
      if (card) cards.push(card);
    }
    return featuredFirst(cards);
  }
  return [];
}

export interface FieldCardSelectors {
  title: readonly string[];
  price: readonly string[];
  originalPrice: readonly string[];
  /** Where the card has an element for the price after coupons (else only its words are read). */
  finalPrice?: readonly string[];
  coupon: readonly string[];
  shipping: readonly string[];
  stock: readonly string[];
  countdown: readonly string[];
}

export interface FieldCardOptions {
  /** The product's id on the page, when it gives one (else one is made from the title). */
  id(el: Element): string | undefined;
  /** Whether the card is the one presented now; `all` is the card's text. */
  featured(el: Element, all: string): boolean;
  /** Words for shipping and stock in the card's text, where no element of their own holds them. */
  shippingText?: RegExp;
  stockText?: RegExp;
}

/** A card whose fields each have an element of their own; null without a title and a price. */
export function readFieldCard(el: Element, sel: FieldCardSelectors, o: FieldCardOptions): ProductCard | null {
  const title = firstText(el, sel.title);
  const all = squash(textWithAlt(el));
  const price = priceIn(firstText(el, sel.price)) ?? priceIn(all);
  if (!title || !price) return null;
  const card: ProductCard = { id: o.id(el) ?? titleId(title), title, price };
  const original = priceIn(firstText(el, sel.originalPrice));
  if (original && original !== price) card.originalPrice = original;
  const finalPrice =
    labelledPrice(all, FINAL_LABEL) ?? (sel.finalPrice ? priceIn(firstText(el, sel.finalPrice)) : undefined);
  if (finalPrice) card.finalPrice = finalPrice;
  const coupon = firstText(el, sel.coupon);
  if (coupon) card.coupon = coupon;
  const shipping = firstText(el, sel.shipping) ?? (o.shippingText && o.shippingText.exec(all)?.[0]);
  if (shipping) card.shipping = squash(shipping);
  const stock = firstText(el, sel.stock) ?? (o.stockText && o.stockText.exec(all)?.[0]);
  if (stock) card.stock = squash(stock);
  const countdown = firstText(el, sel.countdown);
  if (countdown) card.countdown = countdown;
  if (o.featured(el, all)) card.featured = true;
  return card;
}

/** What the tags on a loose card say, one regular expression each. */
export interface CardWords {
  /** The card is the one presented now ("讲解中", "Pinned"). */
  featured: RegExp;
  /** Labels of the headline price, the price after coupons and the struck price. */
  current: RegExp;
  final: RegExp;
  original: RegExp;
  /** Words on a card that are never its title (buttons, badges, bare numbers). */
  notTitle: RegExp;
  shipping: RegExp;
  coupon: RegExp;
  stock: RegExp;
  countdown: RegExp;
}

/** Reads cards of loose tags with the given words and hooks (a CSS selector each). */
export class WordCardReader {
  private readonly finalPrices: RegExp;
  private readonly originalPrices: RegExp;
  private readonly coupons: RegExp;
  private readonly shippingFees: RegExp;
  private readonly offers: RegExp[];

  constructor(
    private readonly words: CardWords,
    private readonly hooks: { title: string; struck: string },
  ) {
    const all = (re: RegExp) => new RegExp(re.source, re.flags.includes('i') ? 'gi' : 'g');
    const labelled = (label: RegExp) =>
      all(new RegExp(label.source + String.raw`\s*[:：]?\s*` + PRICE_RE.source, label.flags));
    this.finalPrices = labelled(words.final);
    this.originalPrices = labelled(words.original);
    this.coupons = all(words.coupon);
    this.shippingFees = all(words.shipping);
    this.offers = [words.final, words.original, words.shipping, words.coupon, words.stock, words.countdown];
  }

  /**
   * A card; null without a title or a price. `id` is the product's id where the page gives one;
   * `featured`: the card stands where the presented product is shown.
   */
  read(el: Element, o: { id?: string; featured: boolean }): ProductCard | null {
    const { words, hooks } = this;
    const titleEl = el.querySelector(hooks.title);
    const title = (titleEl && squash(textWithAlt(titleEl))) || this.fallbackTitle(el);
    if (!title) return null;
    // Prices are read from the card's text run together, as a price may be split over spans
    // (`¥` `69` `.9`); tags are read one element at a time, as adjacent tags run together too.
    // The headline price is the labelled one, else the first left once struck, labelled, coupon
    // and shipping amounts are taken out.
    const rest = squash(textWithAlt(el, (e) => e === titleEl));
    const plain = squash(textWithAlt(el, (e) => e === titleEl || e.matches(hooks.struck)))
      .replace(this.finalPrices, ' ')
      .replace(this.originalPrices, ' ')
      .replace(this.coupons, ' ')
      .replace(this.shippingFees, ' ');
    const finalPrice = labelledPrice(rest, words.final);
    const originalPrice = priceIn(firstText(el, [hooks.struck])) ?? labelledPrice(rest, words.original);
    const price = labelledPrice(rest, words.current) ?? priceIn(plain) ?? finalPrice;
    if (!price) return null;

    const card: ProductCard = { id: o.id ?? titleId(title), title, price };
    if (originalPrice && originalPrice !== price) card.originalPrice = originalPrice;
    if (finalPrice) card.finalPrice = finalPrice;
    const tags = leafTexts(el).filter((t) => t !== title);
    for (const field of ['coupon', 'shipping', 'stock', 'countdown'] as const)
      for (const t of tags) {
        const m = words[field].exec(t);
        if (!m) continue;
        card[field] = squash(m[0]);
        break;
      }
    if (o.featured || words.featured.test(rest) || tags.some((t) => words.featured.test(t)))
      card.featured = true;
    return card;
  }

  /** Without a title hook: the first text on the card that is none of its labels, prices or offers. */
  private fallbackTitle(el: Element): string | undefined {
    const { words, offers } = this;
    return leafTexts(el).find(
      (t) =>
        t.length >= 4 && !words.notTitle.test(t) && !PRICE_RE.test(t) && !offers.some((re) => re.test(t)),
    );
  }
}

/** The texts of the elements that hold no other element, in document order. */
export function leafTexts(el: Element): string[] {
  const out: string[] = [];
  for (const leaf of el.querySelectorAll('*')) {
    if (leaf.childElementCount > 0) continue;
    const t = squash(textWithAlt(leaf));
    if (t) out.push(t);
  }
  return out;
}

/** Adds a card to `byId`; a product shown twice (on air and in the list) keeps the first one's fields. */
export function addOnce(byId: Map<string, ProductCard>, card: ProductCard | null): void {
  if (!card) return;
  const seen = byId.get(card.id);
  byId.set(card.id, seen ? { ...card, ...seen, featured: seen.featured || card.featured } : card);
}
