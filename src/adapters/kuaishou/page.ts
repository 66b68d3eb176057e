/**
 * Kuaishou room pages: which URLs are rooms, the room key, the header facts, the cart cards and
 * whether the room is live, ended or behind the login dialog.
 */
import type { PageState, ProductCard, RoomInfo } from '../types';
import { firstText, urlKey, roomInfo } from '../common';
import { attrValue, cardsOfFirstVariant, readFieldCard } from '../cards';
import { squash, textWithAlt } from '../text';
import { findChatList } from './chat';
import { ANCHOR_ID_TEXT, ENDED_TEXT, FEATURED_TEXT, LOGIN_TEXT, PRODUCT, ROOM } from './selectors';

/**
 * `https://live.kuaishou.com/u/{principalId}`, the id alphanumeric (platforms.md §2); a subset of
 * the manifest's `https://live.kuaishou.com/u/*` that leaves out `/u/` with no id.
 */
export const MATCHES: readonly RegExp[] = [/^https:\/\/live\.kuaishou\.com\/u\/[\w-]+\/?(?:[?#].*)?$/i];

/** The principal id in the path is the room: query and hash (share tracking) are not. */
export function roomKey(url: string): string {
  const id = principalId(url);
  return id ? `https://live.kuaishou.com/u/${id}` : urlKey(url);
}

function principalId(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.hostname !== 'live.kuaishou.com') return undefined;
    return /^\/u\/([\w-]+)\/?$/.exec(u.pathname)?.[1];
  } catch {
    return undefined;
  }
}

export function readRoom(doc: Document, url: string): RoomInfo {
  return roomInfo({
    roomId: principalId(url),
    anchorName: firstText(doc, ROOM.anchorName),
    anchorId: ANCHOR_ID_TEXT.exec(firstText(doc, ROOM.anchorIdArea) ?? '')?.[1],
    title: firstText(doc, ROOM.title),
    viewers: firstText(doc, ROOM.viewers),
    pinned: firstText(doc, ROOM.pinned),
  });
}

export function readProducts(doc: Document): ProductCard[] {
  return cardsOfFirstVariant(doc, PRODUCT.card, (el) =>
    readFieldCard(el, PRODUCT, {
      id: (card) => attrValue(card, PRODUCT.idAttrs),
      featured: (card, all) =>
        card.matches(PRODUCT.featured) ||
        card.querySelector(PRODUCT.featured) !== null ||
        FEATURED_TEXT.test(all),
    }),
  );
}

export function pageState(doc: Document): PageState {
  const list = findChatList(doc);
  // Chat rows may say anything ("直播已结束了吗"): only the page around them decides.
  const around = doc.body ? squash(textWithAlt(doc.body, (el) => el === list)) : '';
  if (ENDED_TEXT.test(around)) return 'ended';
  if (LOGIN_TEXT.test(around)) return 'login';
  return list ? 'live' : 'unknown';
}
