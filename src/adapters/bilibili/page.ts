/**
 * Bilibili live room facts, goods cards and page state. The room id is in the path (`/<id>`,
 * `/blanc/<id>`, `/h5/<id>`); the anchor's UID is in the link to their space.
 */
import type { PageState, ProductCard, RoomInfo } from '../types';
import { squash, textWithAlt } from '../text';
import { firstAttr, firstMatch, firstText, urlKey, roomInfo } from '../common';
import { attrValue, featuredFirst, readFieldCard } from '../cards';
import { CHAT_LIST, PRODUCT, ROOM, STATE } from './selectors';

const ORIGIN = 'https://live.bilibili.com';
const ROOM_PATH = /^\/(?:blanc\/|h5\/)?(\d+)\/?$/;

/** The room id in a live.bilibili.com URL, whichever form of the room it shows. */
export function roomIdOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return /(^|\.)live\.bilibili\.com$/.test(u.hostname) ? ROOM_PATH.exec(u.pathname)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** `/21452505?spm_id_from=…`, `/blanc/21452505` and `/21452505` are one room. */
export function roomKey(url: string): string {
  const id = roomIdOf(url);
  return id ? `${ORIGIN}/${id}` : urlKey(url);
}

/** The anchor's UID, from the link to their space (`//space.bilibili.com/3493118/`). */
export function anchorUid(doc: Document): string | undefined {
  const href = firstAttr(doc, ROOM.anchor, 'href');
  return href ? /space\.bilibili\.com\/(\d+)/.exec(href)?.[1] : undefined;
}

export function readRoom(doc: Document, url: string): RoomInfo {
  // The header cuts long names short; the link's title keeps the whole name.
  const anchorName = firstAttr(doc, ROOM.anchor, 'title') ?? firstText(doc, ROOM.anchor);
  return roomInfo({
    roomId: roomIdOf(url),
    anchorName: anchorName && squash(anchorName),
    anchorId: anchorUid(doc),
    title: firstText(doc, ROOM.title),
    viewers: firstText(doc, ROOM.viewers),
    pinned: firstText(doc, ROOM.pinned),
  });
}

const FEATURED = /讲解中|正在讲解/;
const SHIPPING_TEXT = /包邮|运费\s*[:：]?\s*[¥￥]?\s*\d[\d.]*/;
const STOCK_TEXT = /(?:仅剩|剩余|库存)\s*\d[\d.]*\s*[万]?\s*件|已(?:抢|售)\s*\d[\d.]*\s*[万]?\s*件?/;

/** Goods cards, the one presented now first, each product once. */
export function readProducts(doc: Document): ProductCard[] {
  const cards: ProductCard[] = [];
  const taken: Element[] = [];
  const ids = new Set<string>();
  const take = (el: Element, featured: boolean) => {
    // A part of a card (`goods-item-price`) or the box around one is not another card.
    if (taken.some((t) => t.contains(el) || el.contains(t))) return;
    const card = readCard(el, featured);
    if (!card) return;
    taken.push(el);
    if (ids.has(card.id)) return;
    ids.add(card.id);
    cards.push(card);
  };
  for (const sel of PRODUCT.featured) doc.querySelectorAll(sel).forEach((el) => take(el, true));
  for (const sel of PRODUCT.cards) doc.querySelectorAll(sel).forEach((el) => take(el, false));
  return featuredFirst(cards);
}

function readCard(el: Element, featured: boolean): ProductCard | null {
  return readFieldCard(el, PRODUCT, {
    id: (card) => attrValue(card, PRODUCT.id),
    featured: (card, all) => featured || FEATURED.test(all) || card.matches(PRODUCT.presenting),
    shippingText: SHIPPING_TEXT,
    stockText: STOCK_TEXT,
  });
}

const OFFLINE = /未开播|已下播|下播了|直播已结束|直播结束/;
const LOGIN = /登录后|请先登录|扫描二维码登录|密码登录|短信登录/;

/**
 * Ended when the player shows its idle panel or a replay carousel; behind a login wall when a
 * login dialog or guide stands where the chat should be. An offline room keeps its chat panel (it
 * still takes danmaku), so a chat list alone does not make the room live.
 */
export function pageState(doc: Document): PageState {
  if (firstMatch(doc, STATE.offline)) return 'ended';
  if (saysAny(doc, STATE.status, OFFLINE)) return 'ended';
  const chat = firstMatch(doc, CHAT_LIST);
  if (chat) return 'live';
  return saysAny(doc, STATE.loginWall, LOGIN) ? 'login' : 'unknown';
}

function saysAny(doc: Document, selectors: readonly string[], phrases: RegExp): boolean {
  return selectors.some((sel) =>
    [...doc.querySelectorAll(sel)].some((el) => phrases.test(squash(textWithAlt(el)))),
  );
}
