/**
 * `douyin` readers for the room, the 小黄车 product cards, the page state and the room key. Room
 * facts come from data-e2e hooks; the title from the SSR `RENDER_DATA` where the page still has it
 * for this room, else from the tab title. Product cards have no stable classes, so their fields are
 * read from their texts (brandbai's price and offer words, platforms.md §1).
 */
import type { PageState, ProductCard, RoomInfo } from '../types';
import { squash, textWithAlt } from '../text';
import { dig, firstMatch, firstText, str, urlKey, roomInfo } from '../common';
import { addOnce, featuredFirst, WordCardReader } from '../cards';
import { CARD_TEXT, CHAT, PRODUCT, ROOM, STATE } from './selectors';

/** `live.douyin.com/{web_rid}`: the room page. */
const LIVE_ROOM = /^https:\/\/live\.douyin\.com(?::\d+)?\/(\d+)\/?(?:[?#].*)?$/i;
/** `www.douyin.com/{follow|root}/live/{roomId}`: a room opened from the follow tab or the feed. */
const FEED_ROOM = /^https:\/\/www\.douyin\.com(?::\d+)?\/(follow|root)\/live\/(\d+)\/?(?:[?#].*)?$/i;

/** The live rooms this adapter serves: a subset of `KNOWN_PLATFORMS` douyin's `livePages`. */
export const MATCHES: readonly RegExp[] = [LIVE_ROOM, FEED_ROOM];

/** The room id in a URL and the form it came in. */
function roomOfUrl(url: string): { id: string; form: 'live' | 'follow' | 'root' } | null {
  const live = LIVE_ROOM.exec(url);
  if (live) return { id: live[1]!, form: 'live' };
  const feed = FEED_ROOM.exec(url);
  if (feed) return { id: feed[2]!, form: feed[1]!.toLowerCase() as 'follow' | 'root' };
  return null;
}

/** Query parameters (`enter_from_merge`, `anchor_id`, …) never change the room. */
export function roomKey(url: string): string {
  const room = roomOfUrl(url);
  if (!room) return urlKey(url);
  return room.form === 'live'
    ? `https://live.douyin.com/${room.id}`
    : `https://www.douyin.com/${room.form}/live/${room.id}`;
}

export function readRoom(doc: Document, url: string): RoomInfo {
  const fromUrl = roomOfUrl(url);
  const ssr = renderData(doc, fromUrl?.id);
  return roomInfo({
    roomId: fromUrl?.id,
    anchorName: firstText(doc, ROOM.anchorName) ?? ssr.anchorName,
    anchorId: douyinId(doc),
    title: ssr.title ?? squash(doc.title),
    viewers: firstText(doc, ROOM.viewers) ?? ssr.viewers,
    // The 置顶 / 公告 label in front is the frame, not the message.
    pinned: firstText(doc, ROOM.pinned)?.replace(/^(?:置顶|公告)\s*[:：]?\s*/, ''),
  });
}

/** `抖音号：xiaomei666` where the anchor bar or its card shows it. */
function douyinId(doc: Document): string | undefined {
  for (const sel of ROOM.anchorIdScope)
    for (const el of doc.querySelectorAll(sel)) {
      const m = /抖音号\s*[:：]\s*([\w.-]+)/.exec(squash(textWithAlt(el)));
      if (m) return m[1];
    }
  return undefined;
}

interface SsrRoom {
  title?: string;
  anchorName?: string;
  viewers?: string;
}

/**
 * `RENDER_DATA` describes the room the page was first loaded for; after a single-page navigation it
 * describes another one. It is used only when its web_rid or room id is the URL's.
 */
function renderData(doc: Document, urlId: string | undefined): SsrRoom {
  const raw = doc.querySelector(ROOM.renderData)?.textContent;
  if (!raw || !urlId) return {};
  let info: unknown;
  try {
    const data = JSON.parse(decodeURIComponent(raw.trim())) as unknown;
    info = dig(data, ['app', 'initialState', 'roomStore', 'roomInfo']);
  } catch {
    return {};
  }
  const ids = [dig(info, ['web_rid']), dig(info, ['roomId']), dig(info, ['room', 'id_str'])];
  if (!ids.some((id) => String(id ?? '') === urlId)) return {};
  const out: SsrRoom = {};
  const title = str(dig(info, ['room', 'title']));
  if (title) out.title = title;
  const anchorName = str(dig(info, ['anchor', 'nickname']));
  if (anchorName) out.anchorName = anchorName;
  const viewers = str(dig(info, ['room', 'user_count_str']));
  if (viewers) out.viewers = viewers;
  return out;
}

/** The on-air card first, then the opened list in its order; one card per product. */
export function readProducts(doc: Document): ProductCard[] {
  const byId = new Map<string, ProductCard>();
  // The same product in the 讲解卡 and in the list: the on-air card's fields win.
  for (const area of doc.querySelectorAll(PRODUCT.featuredArea.join(',')))
    for (const el of cardRoots(area, true))
      addOnce(byId, CARDS.read(el, { id: productId(el), featured: true }));
  for (const list of doc.querySelectorAll(PRODUCT.list.join(',')))
    for (const el of cardRoots(list, false))
      addOnce(byId, CARDS.read(el, { id: productId(el), featured: false }));
  return featuredFirst([...byId.values()]);
}

/**
 * Each card is the largest element under `area` that holds one title (or one buy button). The
 * on-air area may hold a single card with neither; then the area's content is the card.
 */
function cardRoots(area: Element, single: boolean): Element[] {
  for (const anchor of [PRODUCT.title, PRODUCT.buyButton]) {
    const found = [...area.querySelectorAll(anchor)];
    if (found.length === 0) continue;
    return found.map((el) => {
      let root = el;
      while (
        root.parentElement &&
        root.parentElement !== area &&
        root.parentElement.querySelectorAll(anchor).length === 1
      )
        root = root.parentElement;
      return root;
    });
  }
  return single ? [area.querySelector('[data-e2e="__e_commerce__"]') ?? area] : [];
}

const CARDS = new WordCardReader(CARD_TEXT, { title: PRODUCT.title, struck: PRODUCT.struck });

/** The product id from a product link, where the card has one. */
function productId(el: Element): string | undefined {
  const href = el.querySelector(PRODUCT.link)?.getAttribute('href');
  const id = href ? /[?&](?:id|product_id|promotion_id)=(\d+)/.exec(href)?.[1] : undefined;
  return id ?? el.getAttribute('data-product-id') ?? undefined;
}

/** Text outside the chat and the product cards, where viewers cannot write. */
function pageText(doc: Document): string {
  const notPage = [CHAT.scope.join(','), ...PRODUCT.featuredArea, ...PRODUCT.list].join(',');
  return doc.body ? squash(textWithAlt(doc.body, (el) => el.matches(notPage))) : '';
}

export function pageState(doc: Document, hasChat: boolean): PageState {
  const text = pageText(doc);
  if (STATE.ended.test(text)) return 'ended';
  if (hasChat) return 'live';
  if (firstMatch(doc, STATE.loginPanel) || STATE.login.test(text)) return 'login';
  return 'unknown';
}
