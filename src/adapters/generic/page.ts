/**
 * `generic` readers for the room and the product cards of a page nobody wrote an adapter for. They
 * look for semantic hints (data-role, class and id substrings) and for prices in the text; what they
 * cannot find they leave out rather than guess.
 */
import type { PageState, ProductCard, RoomInfo } from '../types';
import { squash, textWithAlt } from '../text';
import { firstText, labelledPrice, pageTextExcept, priceIn, titleId, urlKey, roomInfo } from '../common';

export const ROOM = {
  anchorName: [
    '[data-role="anchor-name"]',
    '[class*="anchor-name" i]',
    '[class*="anchorName" i]',
    '[class*="streamer-name" i]',
    '[class*="host-name" i]',
  ],
  roomId: ['[data-role="room-id"]', '[class*="room-id" i]', '[class*="roomId" i]'],
  viewers: ['[data-role="viewers"]', '[class*="viewer" i]', '[class*="online" i]', '[class*="watching" i]'],
  title: ['[data-role="room-title"]', '[class*="room-title" i]', '[class*="live-title" i]'],
  pinned: ['[data-role="pinned"]', '[class*="pinned" i]', '[class*="announcement" i]'],
} as const;

export const PRODUCT = {
  card: [
    '[data-role="product-card"]',
    '[class*="product-card" i]',
    '[class*="goods-card" i]',
    '[class*="goods-item" i]',
    '[class*="product-item" i]',
  ],
  title: ['[data-role="product-title"]', '[class*="title" i]', '[class*="name" i]'],
  price: [
    '[data-role="price"]',
    '[class*="price-now" i]',
    '[class*="current-price" i]',
    '[class*="sale-price" i]',
    '[class*="price" i]:not(s):not(del)',
  ],
  originalPrice: ['[data-role="original-price"]', 's', 'del', '[class*="origin" i]', '[class*="strike" i]'],
  shipping: [
    '[data-role="shipping"]',
    '[class*="shipping" i]',
    '[class*="freight" i]',
    '[class*="postage" i]',
  ],
  stock: ['[data-role="stock-line"]', '[class*="stock" i]', '[class*="sold" i]', '[class*="remain" i]'],
  coupon: ['[data-role="coupon"]', '[class*="coupon" i]'],
  countdown: ['[data-role="countdown"]', '[class*="countdown" i]'],
} as const;

const ENDED =
  /直播已结束|直播结束了|主播已下播|本场直播已结束|this live stream has ended|live has ended|stream is offline/i;
const LOGIN = /登录后查看|扫码登录|请先登录|log in to continue|sign in to continue/i;
const FEATURED = /讲解中|正在讲解|featured|now showing/i;
const SHIPPING_TEXT =
  /包邮|运费\s*[:：]?\s*[¥￥]?\s*\d[\d.]*|邮费\s*[:：]?\s*[¥￥]?\s*\d[\d.]*|free shipping|shipping\s*[:：]?\s*\$?\d[\d.]*/i;

/** Room parameters some sites keep in the query rather than the path. */
export const ROOM_PARAMS = ['liveId', 'live_id', 'roomId', 'room_id', 'v', 'id'] as const;

export function roomKey(url: string): string {
  return urlKey(url, ROOM_PARAMS);
}

export function readRoom(doc: Document, url: string): RoomInfo {
  return roomInfo({
    roomId: firstText(doc, ROOM.roomId) ?? roomIdFromUrl(url),
    anchorName: firstText(doc, ROOM.anchorName),
    anchorId: undefined,
    title: firstText(doc, ROOM.title) ?? squash(doc.title),
    viewers: firstText(doc, ROOM.viewers),
    pinned: firstText(doc, ROOM.pinned),
  });
}

function roomIdFromUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    for (const p of ROOM_PARAMS) {
      const v = u.searchParams.get(p);
      if (v) return v;
    }
    return /\/(\d{4,})\/?$/.exec(u.pathname)?.[1];
  } catch {
    return undefined;
  }
}

export function readProducts(doc: Document): ProductCard[] {
  const cards: ProductCard[] = [];
  const seen = new Set<Element>();
  for (const sel of PRODUCT.card)
    for (const el of doc.querySelectorAll(sel)) {
      // A card inside another card (a price block with class "goods-item-price") is part of it.
      if (seen.has(el) || [...seen].some((s) => s.contains(el) || el.contains(s))) continue;
      seen.add(el);
      const card = readCard(el);
      if (card) cards.push(card);
    }
  return cards.sort((a, b) => Number(b.featured ?? false) - Number(a.featured ?? false));
}

function readCard(el: Element): ProductCard | null {
  const all = squash(textWithAlt(el));
  const title = firstText(el, PRODUCT.title);
  const price = priceIn(firstText(el, PRODUCT.price)) ?? priceIn(all);
  if (!title || !price) return null;
  const card: ProductCard = { id: el.getAttribute('data-product-id') ?? titleId(title), title, price };
  const original = priceIn(firstText(el, PRODUCT.originalPrice));
  if (original && original !== price) card.originalPrice = original;
  const finalPrice = labelledPrice(all, /(?:到手价?|券后价?)/);
  if (finalPrice) card.finalPrice = finalPrice;
  const coupon = firstText(el, PRODUCT.coupon);
  if (coupon) card.coupon = coupon;
  const shipping = firstText(el, PRODUCT.shipping) ?? SHIPPING_TEXT.exec(all)?.[0];
  if (shipping) card.shipping = squash(shipping);
  const stock = firstText(el, PRODUCT.stock);
  if (stock) card.stock = stock;
  const countdown = firstText(el, PRODUCT.countdown);
  if (countdown) card.countdown = countdown;
  if (FEATURED.test(all) || el.matches('[class*="active" i],[class*="current" i],[aria-current]'))
    card.featured = true;
  return card;
}

export function pageState(doc: Document, chat: Element | null): PageState {
  const text = pageTextExcept(doc, chat);
  if (ENDED.test(text)) return 'ended';
  if (LOGIN.test(text)) return 'login';
  return chat ? 'live' : 'unknown';
}
