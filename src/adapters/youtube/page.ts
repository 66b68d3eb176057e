/**
 * YouTube Live room facts, product cards and page state. The watch page (`/live/<id>`,
 * `/watch?v=<id>`) shows the channel, the title, the viewer count and the shopping cards; the chat is
 * a separate document (`/live_chat`) that shows the pinned message. Both name the same video, which
 * is the room key.
 */
import type { PageState, ProductCard, RoomInfo } from '../types';
import { squash, textWithAlt } from '../text';
import { firstAttr, firstMatch, firstText, titleId, urlKey, roomInfo } from '../common';
import { PRODUCT, ROOM, STATE } from './selectors';
import { findChatList } from './chat';

const ORIGIN = 'https://www.youtube.com';
const VIDEO_ID = /^[\w-]{6,20}$/;

/** The video a YouTube URL shows: `watch?v=`, `/live/<id>`, `live_chat?v=`, or a chat continuation. */
export function videoIdOf(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const v = u.searchParams.get('v');
  if (v && VIDEO_ID.test(v)) return v;
  const live = /^\/live\/([\w-]+)\/?$/.exec(u.pathname)?.[1];
  if (live && VIDEO_ID.test(live)) return live;
  const continuation = u.searchParams.get('continuation');
  if (/^\/live_chat(?:_replay)?\/?$/.test(u.pathname) && continuation)
    return videoIdFromContinuation(continuation);
  return undefined;
}

// Inside the token: field 1 (tag 0x0a, 24 bytes) = channel id, field 2 (tag 0x12, 11 bytes) = video id.
const CHANNEL_TAG = String.fromCharCode(0x0a, 24);
const VIDEO_TAG = String.fromCharCode(0x12, 11);

/** The video id that follows a channel id in decoded protobuf bytes. */
function idsIn(bytes: string): string | undefined {
  for (let at = bytes.indexOf(CHANNEL_TAG); at >= 0; at = bytes.indexOf(CHANNEL_TAG, at + 1)) {
    const channel = bytes.slice(at + 2, at + 26);
    const video = bytes.slice(at + 28, at + 39);
    if (
      /^UC[\w-]{22}$/.test(channel) &&
      bytes.slice(at + 26, at + 28) === VIDEO_TAG &&
      /^[\w-]{11}$/.test(video)
    )
      return video;
  }
  return undefined;
}

/** A base64 text inside the bytes, possibly percent-encoded (`…MAA%3D`). */
const BASE64_RUN = /(?:[A-Za-z0-9+/_=-]|%[0-9A-Fa-f]{2}){16,}/g;

/**
 * The video id inside the chat iframe's `continuation` token. The embedded chat is opened as
 * `/live_chat?continuation=…` without `v`; the token is base64 protobuf wrapping another base64
 * protobuf that names the channel and the video (the layout of the tokens in public code and
 * request logs); undefined when the token is laid out otherwise.
 */
export function videoIdFromContinuation(token: string): string | undefined {
  const outer = decodeBase64(token);
  if (!outer) return undefined;
  const direct = idsIn(outer);
  if (direct) return direct;
  for (const run of outer.match(BASE64_RUN) ?? []) {
    let b64: string;
    try {
      b64 = decodeURIComponent(run);
    } catch {
      continue;
    }
    // The inner token is followed by the next field's tag, which may look like one more character.
    for (const candidate of [b64, b64.slice(0, -1)]) {
      const id = idsIn(decodeBase64(candidate) ?? '');
      if (id) return id;
    }
  }
  return undefined;
}

function decodeBase64(text: string): string | null {
  const std = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  try {
    return atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  } catch {
    return null;
  }
}

/** The live page, its watch form and its chat frame all give the watch URL of the video. */
export function roomKey(url: string): string {
  const id = videoIdOf(url);
  return id ? `${ORIGIN}/watch?v=${id}` : urlKey(url, ['v', 'continuation']);
}

export function readRoom(doc: Document, url: string): RoomInfo {
  const viewers = firstAttr(doc, ROOM.viewersLabel, 'aria-label') ?? firstText(doc, ROOM.viewers);
  return roomInfo({
    roomId: videoIdOf(url) ?? firstAttr(doc, ROOM.videoId, 'video-id'),
    anchorName: firstText(doc, ROOM.anchorName),
    anchorId: channelIdOf(firstAttr(doc, ROOM.anchorLink, 'href')),
    title: firstText(doc, ROOM.title) ?? titleFromDocument(doc),
    viewers: viewers && squash(viewers),
    pinned: firstText(doc, ROOM.pinned),
  });
}

/** `/@handle` → `@handle`, `/channel/UC…` → `UC…`. */
function channelIdOf(href: string | undefined): string | undefined {
  if (!href) return undefined;
  const path = href.replace(/^https?:\/\/[^/]+/, '');
  const handle = /^\/(@[^/?#]+)/.exec(path)?.[1];
  if (handle) {
    try {
      return decodeURIComponent(handle);
    } catch {
      return handle;
    }
  }
  return /^\/channel\/([\w-]+)/.exec(path)?.[1];
}

/** The tab title of a watch page, without " - YouTube"; the chat document's title is not the room's. */
function titleFromDocument(doc: Document): string | undefined {
  if (!doc.querySelector('ytd-watch-flexy')) return undefined;
  const t = squash(doc.title).replace(/\s+-\s+YouTube$/, '');
  return t && t !== 'YouTube' ? t : undefined;
}

/** The featured product first, each product once (the shelf and the panel often list the same one). */
export function readProducts(doc: Document): ProductCard[] {
  const cards: ProductCard[] = [];
  const seen = new Set<string>();
  const add = (el: Element, featured: boolean) => {
    const card = readCard(el, featured);
    if (!card || seen.has(card.id)) return;
    seen.add(card.id);
    cards.push(card);
  };
  for (const sel of PRODUCT.featured) doc.querySelectorAll(sel).forEach((el) => add(el, true));
  const cardEls = new Set<Element>();
  for (const sel of PRODUCT.cards) doc.querySelectorAll(sel).forEach((el) => cardEls.add(el));
  for (const el of cardEls) add(el, false);
  return cards;
}

function readCard(el: Element, featured: boolean): ProductCard | null {
  const title = firstText(el, PRODUCT.title);
  // Prices are shown in the viewer's currency (`CA$89.99`, `€79,90`): keep them as displayed.
  const price = firstText(el, PRODUCT.price);
  if (!title || !price || !/\d/.test(price)) return null;
  const card: ProductCard = { id: titleId(title), title, price };
  const original = firstText(el, PRODUCT.originalPrice);
  if (original && original !== price && /\d/.test(original)) card.originalPrice = original;
  if (featured) card.featured = true;
  return card;
}

// English first; the other UI languages are partial (the labels as seen, not a full list).
const LOGIN = /sign in to confirm|登录以确认|登入以確認/i;
const ENDED = /streamed live|was live|live stream (?:has )?ended|live event has ended|直播已结束|直播已結束/i;
const LIVE = /watching now|started streaming|正在观看|正在觀看/i;

/** The text and label of the elements that tell the stream's state, never the chat or the comments. */
function statusText(doc: Document, selectors: readonly string[]): string {
  let out = '';
  for (const sel of selectors)
    doc.querySelectorAll(sel).forEach((el) => {
      out += ' ' + textWithAlt(el) + ' ' + (el.getAttribute('aria-label') ?? '');
    });
  return squash(out);
}

function isReplayChat(doc: Document): boolean {
  try {
    return /^\/live_chat_replay/.test(new URL(doc.URL).pathname);
  } catch {
    return false;
  }
}

export function pageState(doc: Document): PageState {
  if (isReplayChat(doc)) return 'ended';
  if (LOGIN.test(statusText(doc, STATE.playabilityError))) return 'login';
  const status = statusText(doc, STATE.status);
  if (ENDED.test(status)) return 'ended';
  if (findChatList(doc) || firstMatch(doc, STATE.liveBadge) || LIVE.test(status)) return 'live';
  return 'unknown';
}
