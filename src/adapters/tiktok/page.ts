/**
 * `tiktok` readers for the room, the LIVE shopping cards, the page state and the room key. The
 * @handle comes from the URL, the viewer count from `live-people-count`; name, title and room id
 * from the page where it shows them, else from the SSR `SIGI_STATE` when it is this room's.
 */
import type { PageState, ProductCard, RoomInfo } from '../types';
import { squash, textWithAlt } from '../text';
import { dig, firstMatch, firstText, str, urlKey, roomInfo } from '../common';
import { addOnce, featuredFirst, WordCardReader } from '../cards';
import { CARD_TEXT, CHAT, PRODUCT, ROOM, STATE } from './selectors';

/** `www.tiktok.com/@{handle}/live`: a creator's LIVE room. */
const LIVE_ROOM = /^https:\/\/www\.tiktok\.com(?::\d+)?\/@([\w.-]+)\/live\/?(?:[?#].*)?$/i;

/** The live rooms this adapter serves: a subset of `KNOWN_PLATFORMS` tiktok's `livePages`. */
export const MATCHES: readonly RegExp[] = [LIVE_ROOM];

/** The @handle of a LIVE room URL, as written in it. */
export function handleOf(url: string): string | undefined {
  return LIVE_ROOM.exec(url)?.[1];
}

/** Handles are case-insensitive; `lang`, `enter_from_merge` and other parameters never change the room. */
export function roomKey(url: string): string {
  const handle = handleOf(url);
  return handle ? `https://www.tiktok.com/@${handle.toLowerCase()}/live` : urlKey(url);
}

export function readRoom(doc: Document, url: string): RoomInfo {
  const handle = handleOf(url);
  const ssr = sigiState(doc, handle);
  return roomInfo({
    roomId: ssr.roomId ?? appLinkRoomId(doc, handle),
    anchorName: firstText(doc, ROOM.anchorName) ?? hostLinkName(doc, handle) ?? ssr.anchorName,
    anchorId: handle ? `@${handle}` : undefined,
    title: firstText(doc, ROOM.title) ?? ssr.title ?? squash(doc.title),
    viewers: firstText(doc, ROOM.viewers) ?? ssr.viewers,
    pinned: firstText(doc, ROOM.pinned)?.replace(/^(?:Pinned|置顶)\s*[:：]?\s*/i, ''),
  });
}

/** The host's name as the header's link to their profile (`<a href="/@handle">`) shows it. */
function hostLinkName(doc: Document, handle: string | undefined): string | undefined {
  if (!handle) return undefined;
  for (const a of doc.querySelectorAll('a[href*="/@"]')) {
    if (a.closest(CHAT.containers.join(','))) continue;
    const h = /\/@([\w.-]+)\/?$/.exec(a.getAttribute('href') ?? '')?.[1];
    if (h?.toLowerCase() !== handle.toLowerCase()) continue;
    for (const leaf of a.querySelectorAll('*')) {
      if (leaf.childElementCount > 0) continue;
      const t = squash(textWithAlt(leaf));
      if (t && t.replace(/^@/, '').toLowerCase() !== h.toLowerCase()) return t;
    }
  }
  return undefined;
}

interface SsrRoom {
  roomId?: string;
  anchorName?: string;
  title?: string;
  viewers?: string;
}

/**
 * `SIGI_STATE` describes the room the page was first loaded for; after a single-page navigation it
 * describes another one. It is used only when its uniqueId is the URL's handle.
 */
function sigiState(doc: Document, handle: string | undefined): SsrRoom {
  const raw = doc.querySelector(ROOM.sigi)?.textContent;
  if (!raw || !handle) return {};
  let info: unknown;
  try {
    info = dig(JSON.parse(raw) as unknown, ['LiveRoom', 'liveRoomUserInfo']);
  } catch {
    return {};
  }
  const uniqueId = dig(info, ['user', 'uniqueId']);
  if (typeof uniqueId !== 'string' || uniqueId.toLowerCase() !== handle.toLowerCase()) return {};
  const out: SsrRoom = {};
  const roomId = str(dig(info, ['user', 'roomId'])) ?? str(dig(info, ['liveRoom', 'roomId']));
  if (roomId) out.roomId = roomId;
  const anchorName = str(dig(info, ['user', 'nickname']));
  if (anchorName) out.anchorName = anchorName;
  const title = str(dig(info, ['liveRoom', 'title']));
  if (title) out.title = title;
  const viewers = dig(info, ['liveRoom', 'liveRoomStats', 'userCount']);
  if (typeof viewers === 'number' || typeof viewers === 'string') out.viewers = String(viewers);
  return out;
}

/** `room_id` from the app link, when the page's own URL meta names the same handle. */
function appLinkRoomId(doc: Document, handle: string | undefined): string | undefined {
  const own = handleOf(doc.querySelector(ROOM.canonical)?.getAttribute('content') ?? '');
  if (!handle || own?.toLowerCase() !== handle.toLowerCase()) return undefined;
  const link = doc.querySelector(ROOM.appLink)?.getAttribute('content') ?? '';
  return /[?&]room_id=(\d+)/.exec(link)?.[1];
}

/** The pinned product first, then the shop list in its order; one card per product. */
export function readProducts(doc: Document): ProductCard[] {
  const byId = new Map<string, ProductCard>();
  const read = (el: Element, featured: boolean) =>
    addOnce(byId, CARDS.read(el, { id: el.getAttribute('data-product-id') ?? undefined, featured }));
  for (const el of doc.querySelectorAll(PRODUCT.featured.join(','))) read(el, true);
  const cards = doc.querySelectorAll(PRODUCT.card.join(','));
  for (const el of cards) if (![...cards].some((c) => c !== el && c.contains(el))) read(el, false);
  return featuredFirst([...byId.values()]);
}

const CARDS = new WordCardReader(CARD_TEXT, { title: PRODUCT.title, struck: PRODUCT.struck });

/** Text outside the chat and the product cards, where viewers cannot write. */
function pageText(doc: Document): string {
  const notPage = [...CHAT.containers, ...PRODUCT.featured, ...PRODUCT.card].join(',');
  return doc.body ? squash(textWithAlt(doc.body, (el) => el.matches(notPage))) : '';
}

export function pageState(doc: Document, hasChat: boolean): PageState {
  const text = pageText(doc);
  if (STATE.ended.test(text)) return 'ended';
  if (hasChat) return 'live';
  if (firstMatch(doc, STATE.loginModal) || STATE.login.test(text)) return 'login';
  return 'unknown';
}
