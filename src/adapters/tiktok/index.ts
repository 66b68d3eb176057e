/**
 * `tiktok`: TikTok web LIVE rooms (www.tiktok.com/@{handle}/live). The chat is a windowed list of
 * recycled `[data-index]` slots, each holding a labelled row (`chat-message`, `enter-message`,
 * `social-message`) or an unlabelled notice (gifts, Fan Club). Rows carry no message id and no
 * viewer id: the name shown is all there is.
 */
import type { Adapter, ChatRow, RowKind } from '../types';
import { squash, textWithAlt } from '../text';
import { CHAT, HOST_LABEL } from './selectors';
import { handleOf, MATCHES, pageState, readProducts, readRoom, roomKey } from './page';

export { MATCHES, readProducts, readRoom, roomKey } from './page';

const outsideList = (el: Element) => el.closest(CHAT.notList) === null;

/** The list whose direct children are the slots (or, in the emotion layout, the rows). */
export function findChatList(doc: Document): Element | null {
  for (const sel of CHAT.containers)
    for (const box of doc.querySelectorAll(sel)) {
      const slot = [...box.querySelectorAll(CHAT.slot)].find(outsideList);
      if (slot?.parentElement) return slot.parentElement;
    }
  const row = [...doc.querySelectorAll(CHAT.marked)].find(outsideList);
  if (row) return slotOf(row).parentElement;
  for (const sel of CHAT.emptyList) {
    const el = doc.querySelector(sel);
    if (el) return el;
  }
  return null;
}

/** The `data-index` slot a row sits in (at most two levels up), else the row itself. */
function slotOf(row: Element): Element {
  for (let el = row.parentElement, up = 0; el && up < 2; el = el.parentElement, up++)
    if (el.matches(CHAT.slot)) return el;
  return row;
}

export function parseRow(row: Element): ChatRow | null {
  if (row.getAttribute('data-index') === '-1') return null;
  if (row.matches(CHAT.topGivers) || row.querySelector(CHAT.topGivers)) return null;
  const marked = row.matches(CHAT.marked) ? row : row.querySelector(CHAT.marked);
  if (marked) return readMarked(marked);
  const notice = row.matches(CHAT.slot) ? row.firstElementChild : row;
  return notice ? readNotice(notice) : null;
}

function readMarked(msg: Element): ChatRow | null {
  const label = msg.getAttribute('data-e2e');
  const owner = msg.querySelector(CHAT.owner);
  const author = owner ? ownerName(owner) : '';
  const body = bodyOf(msg, owner);
  const text = squash(body ? textWithAlt(body) : owner ? textAfter(msg, owner) : textWithAlt(msg));
  if (!text) return null; // a recycled slot caught half-written
  if (label === 'enter-message') return { author, text, kind: 'enter' };
  if (label === 'social-message') return { author, text, kind: socialKind(text) };
  if (isGift(msg, text)) return { author, text: giftText(body ?? msg, owner), kind: 'gift' };
  return { author, text, kind: isHost(msg, body) ? 'host' : 'chat' };
}

/** Gift and Fan Club notices: an icon and a line, with the giver's name in it or none. */
function readNotice(box: Element): ChatRow | null {
  const full = squash(textWithAlt(box));
  if (!full) return null;
  const owner = box.querySelector(CHAT.owner);
  if (!owner) return { author: '', text: full, kind: 'system' };
  const text = squash(textAfter(box, owner));
  if (!text) return null;
  const kind: RowKind = /^(?:sent|送出)/i.test(text) ? 'gift' : socialKind(text);
  return { author: ownerName(owner), text, kind };
}

function ownerName(owner: Element): string {
  return squash(owner.textContent ?? '') || squash(owner.getAttribute('title') ?? '');
}

/** The words of a labelled row: its body element, where one can be told apart from the name. */
function bodyOf(msg: Element, owner: Element | null): Element | null {
  const marked = [...msg.querySelectorAll(CHAT.breakWords)].filter((b) => !owner || !b.contains(owner));
  if (marked.length) return marked[marked.length - 1]!;
  for (const sel of CHAT.body) {
    const el = msg.querySelector(sel);
    if (el && (!owner || !el.contains(owner))) return el;
  }
  return null;
}

/** Visible text of everything in `root` after `marker`, badges left out. */
function textAfter(root: Element, marker: Element): string {
  const isBadge = (el: Element) => el.matches(CHAT.badge);
  let out = '';
  for (let n: Node | null = marker; n && n !== root; n = n.parentNode)
    for (let s = n.nextSibling; s; s = s.nextSibling) {
      if (s.nodeType === 1 && isBadge(s as Element)) continue;
      out += ' ' + textWithAlt(s, isBadge);
    }
  return out;
}

function socialKind(text: string): RowKind {
  if (/\b(?:liked|tapped)\b|点赞/i.test(text)) return 'like';
  if (/^(?:joined|加入了直播间|来了)$/i.test(text)) return 'enter';
  return 'system';
}

/** The emotion layout put gifts among the messages: `sent <gift picture> x5`. */
function isGift(msg: Element, text: string): boolean {
  return /^(?:sent|送出)/i.test(text) && msg.querySelector(CHAT.giftImg) !== null && /[x×]\s*\d+$/.test(text);
}

/** A gift line with a space where each picture was, so `sent` and `x5` stay apart. */
function giftText(box: Element, owner: Element | null): string {
  const parts = [...box.childNodes].filter((n) => !(owner && n.contains(owner))).map((n) => textWithAlt(n));
  return squash(parts.join(' '));
}

/** `Node.DOCUMENT_POSITION_FOLLOWING`, spelled out: the adapters also run where `Node` is not global. */
const FOLLOWING = 4;

/**
 * A Host label among the badges after the name, or a profile link that names the room's own
 * handle. The name itself and the avatar before it are anybody's to choose, so they never count.
 */
function isHost(msg: Element, body: Element | null): boolean {
  const owner = msg.querySelector(CHAT.owner);
  for (const el of msg.querySelectorAll('*')) {
    if (body?.contains(el) || (owner && (owner.contains(el) || el.contains(owner)))) continue;
    if (owner && !(owner.compareDocumentPosition(el) & FOLLOWING)) continue;
    const said = el.tagName === 'IMG' ? el.getAttribute('alt') : el.childElementCount ? null : el.textContent;
    if (said && HOST_LABEL.test(squash(said))) return true;
  }
  const room = handleOf(msg.ownerDocument?.URL ?? '');
  if (!room) return false;
  for (const a of msg.querySelectorAll('a[href*="/@"]')) {
    const h = /\/@([\w.-]+)/.exec(a.getAttribute('href') ?? '')?.[1];
    if (h && h.toLowerCase() === room.toLowerCase()) return true;
  }
  return false;
}

export const tiktok: Adapter = {
  id: 'tiktok',
  matches: MATCHES,
  roomKey,
  findChatList,
  parseRow,
  readRoom,
  readProducts,
  pageState: (doc, chat) => pageState(doc, chat ? chat.isConnected : findChatList(doc) !== null),
};
