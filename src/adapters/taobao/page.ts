/**
 * Taobao Live room pages: which URLs are rooms, the room key (the `liveId` query parameter), the
 * header facts, the goods-bag cards and whether the room is live, ended or behind the login mask.
 */
import type { PageState, ProductCard, RoomInfo } from '../types';
import { firstText, urlKey, roomInfo } from '../common';
import { attrValue, cardsOfFirstVariant, readFieldCard } from '../cards';
import { squash, textWithAlt } from '../text';
import { findChatList } from './chat';
import { ENDED_TEXT, FEATURED_TEXT, LOGIN_FRAME, LOGIN_TEXT, PRODUCT, ROOM } from './selectors';

/**
 * `https://tbzb.taobao.com/live?liveId={id}` (the manifest's `https://tbzb.taobao.com/live*`) and
 * the same player under `/follow?…&liveId=` (platforms.md §3); the room is in the query.
 */
export const MATCHES: readonly RegExp[] = [
  /^https:\/\/tbzb\.taobao\.com\/(?:live|follow)\/?\?(?:[^#]*&)?liveId=\d+(?:[&#].*)?$/i,
];

/** The `liveId` is the room; `spm`, `liveSource` and the path (/live or /follow) are not. */
export function roomKey(url: string): string {
  const id = liveId(url);
  return id ? `https://tbzb.taobao.com/live?liveId=${id}` : urlKey(url, ['liveId']);
}

function liveId(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (!/(^|\.)(taobao|tmall)\.com$/.test(u.hostname)) return undefined;
    return /^\d+$/.exec(u.searchParams.get('liveId') ?? '')?.[0];
  } catch {
    return undefined;
  }
}

export function readRoom(doc: Document, url: string): RoomInfo {
  return roomInfo({
    roomId: liveId(url),
    anchorName: firstText(doc, ROOM.anchorName),
    anchorId: undefined,
    title: firstText(doc, ROOM.title),
    viewers: firstText(doc, ROOM.viewers),
    pinned: firstText(doc, ROOM.pinned),
  });
}

export function readProducts(doc: Document): ProductCard[] {
  return cardsOfFirstVariant(doc, PRODUCT.card, (el) =>
    readFieldCard(el, PRODUCT, {
      id: itemId,
      featured: (card, all) =>
        card.matches(PRODUCT.featured) ||
        card.querySelector(PRODUCT.featured) !== null ||
        FEATURED_TEXT.test(all),
    }),
  );
}

function itemId(el: Element): string | undefined {
  const id = attrValue(el, PRODUCT.idAttrs);
  if (id) return id;
  const href = (el.matches(PRODUCT.link) ? el : el.querySelector(PRODUCT.link))?.getAttribute('href');
  if (!href) return undefined;
  try {
    const u = new URL(href, 'https://item.taobao.com/');
    return u.searchParams.get('id') ?? u.searchParams.get('itemId') ?? undefined;
  } catch {
    return undefined;
  }
}

export function pageState(doc: Document): PageState {
  const list = findChatList(doc);
  // Chat rows may say anything ("直播已结束了吗"): only the page around them decides.
  const around = doc.body ? squash(textWithAlt(doc.body, (el) => el === list)) : '';
  if (ENDED_TEXT.test(around)) return 'ended';
  if (LOGIN_TEXT.test(around) || (!list && doc.querySelector(LOGIN_FRAME))) return 'login';
  return list ? 'live' : 'unknown';
}
