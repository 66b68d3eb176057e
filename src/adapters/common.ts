/**
 * Small DOM readers shared by the site adapters: first matching text among selector variants, a
 * displayed price, a stable product id from a title. Pure DOM, no extension APIs.
 */
import { squash, textWithAlt } from './text';
import type { RoomInfo } from './types';

/** The squashed visible text of the first element matching any of `selectors`, in the order given. */
export function firstText(root: ParentNode, selectors: readonly string[]): string | undefined {
  for (const sel of selectors) {
    const el = root.querySelector(sel);
    if (!el) continue;
    const t = squash(textWithAlt(el));
    if (t) return t;
  }
  return undefined;
}

/** The first element matching any of `selectors`, in the order given. */
export function firstMatch(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const sel of selectors) {
    const el = root.querySelector(sel);
    if (el) return el;
  }
  return null;
}

/** A value of an attribute on the first element matching any of `selectors`. */
export function firstAttr(root: ParentNode, selectors: readonly string[], attr: string): string | undefined {
  for (const sel of selectors) {
    const v = root.querySelector(sel)?.getAttribute(attr)?.trim();
    if (v) return v;
  }
  return undefined;
}

/** A price as displayed, currency sign included: `¥99`, `¥ 0.01`, `$12.99`, `99元`. */
export const PRICE_RE = /(?:[¥￥$]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?元)/;

/** The first price in `text`, with the space after the currency sign removed. */
export function priceIn(text: string | undefined): string | undefined {
  const m = text ? PRICE_RE.exec(text) : null;
  return m ? m[0].replace(/\s+/g, '') : undefined;
}

/** A product id from its title where the page gives none: lower-case, spaces squashed, at most 80 chars. */
export function titleId(title: string): string {
  return 'title:' + squash(title).toLowerCase().slice(0, 80);
}

/** Text with `label` (a regular expression source) in front of a price: `到手价 ¥59` → `¥59`. */
export function labelledPrice(text: string, label: RegExp): string | undefined {
  const m = new RegExp(label.source + String.raw`\s*[:：]?\s*(` + PRICE_RE.source + ')', 'i').exec(text);
  return m ? m[1]!.replace(/\s+/g, '') : undefined;
}

/**
 * The text of `doc`'s body (scripts and styles left out) for the ended and login states, read once
 * for both questions. `except` (the chat list) is not read: a viewer asking "直播已结束了吗" does
 * not end the stream.
 */
export function pageTextExcept(doc: Document, except?: Element | null): string {
  if (!doc.body) return '';
  return squash(textWithAlt(doc.body, except ? (el) => el === except : undefined));
}

/** A URL's origin and path with the listed query parameters (when present), for room keys. */
export function urlKey(url: string, params: readonly string[] = []): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const kept = params.filter((p) => u.searchParams.has(p)).map((p) => `${p}=${u.searchParams.get(p)}`);
  const path = u.pathname.replace(/\/+$/, '') || '/';
  return `${u.origin}${path}${kept.length ? '?' + kept.join('&') : ''}`;
}

/** The value at `path` in parsed JSON (the page's server-side state), or undefined where it stops. */
export function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A string with something in it, squashed; anything else is undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && squash(v) ? squash(v) : undefined;
}

/** The room's facts that were found; those missing or empty are left out. */
export function roomInfo(facts: Record<keyof RoomInfo, string | undefined>): RoomInfo {
  const room: RoomInfo = {};
  for (const k of Object.keys(facts) as (keyof RoomInfo)[]) {
    const v = facts[k];
    if (v) room[k] = v;
  }
  return room;
}
