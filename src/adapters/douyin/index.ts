/**
 * `douyin`: Douyin web live rooms (live.douyin.com/{web_rid}, and rooms opened from the feed or the
 * follow tab on www.douyin.com). The chat is a windowed list whose rows are recycled in place; each
 * row reads as `[badges][nickname "xxx："][content]` with no user id in the DOM.
 */
import type { Adapter, ChatRow, RowKind } from '../types';
import { squash, stripNameSeparator, textWithAlt } from '../text';
import { CHAT, GIFT_IMG, HOST_BADGE, NICKNAME_MAX } from './selectors';
import { MATCHES, pageState, readProducts, readRoom, roomKey } from './page';

export { MATCHES, readProducts, readRoom, roomKey } from './page';

/** The list whose direct children are the rows (or their `data-index` slots). */
export function findChatList(doc: Document): Element | null {
  for (const item of doc.querySelectorAll(CHAT.item)) {
    if (item.closest(CHAT.bottomMessage)) continue;
    const list = slotOf(item).parentElement;
    if (list) return list;
  }
  // Only empty slots so far, or no row at all: the list as each layout builds it empty.
  const slot = doc.querySelector(`.webcast-chatroom___list ${CHAT.slot}`);
  if (slot?.parentElement) return slot.parentElement;
  for (const sel of CHAT.emptyList) {
    const el = doc.querySelector(sel);
    if (el) return el;
  }
  return null;
}

/** The `data-index` slot a row sits in (at most two levels up), else the row itself. */
function slotOf(item: Element): Element {
  for (let el = item.parentElement, up = 0; el && up < 2; el = el.parentElement, up++)
    if (el.matches(CHAT.slot)) return el;
  return item;
}

/** Actions Douyin writes in place of a message, after the nickname. */
const ACTIONS: readonly [RegExp, RowKind][] = [
  [/^为主播点赞了/, 'like'],
  [/^(?:来了|进入了?直播间|加入了直播间)$/, 'enter'],
  [/^(?:关注了主播|分享了直播间|加入了粉丝团|点亮了粉丝团|成为了.{0,20}粉丝团)/, 'system'],
];

/** The same actions when the row has no separate nickname: `阿珍 为主播点赞了`. */
const ACTION_LINE = /^(.{1,40}?)\s*(为主播点赞了.*|来了|进入了?直播间|加入了直播间|关注了主播|分享了直播间)$/;

export function parseRow(row: Element): ChatRow | null {
  const item = row.matches(CHAT.item) ? row : row.querySelector(CHAT.item);
  const box = item ?? row;
  const parsed = readItem(box);
  if (!parsed) return null;
  const id = item?.getAttribute('data-id')?.trim();
  return id ? { ...parsed, id } : parsed;
}

function readItem(box: Element): ChatRow | null {
  const full = squash(textWithAlt(box));
  if (!full) return null;
  if (box.matches(CHAT.roomMessage) || box.querySelector(CHAT.roomMessage))
    return { author: '', text: full, kind: 'system' };

  const nick = nicknameOf(box);
  if (!nick) return fromLine(full);
  const author = stripNameSeparator(nick.textContent ?? '');
  const text = squash(textAfter(box, nick));
  if (!author || !text) return null; // a recycled row caught half-written

  // Typed words sit in the emoji-text spans; a viewer typing "送出了" or "来了" is still chat.
  const typed = box.querySelector(`${CHAT.text}, ${CHAT.emoji}`) !== null;
  if (!typed) {
    if (/^送出了/.test(text) || (box.querySelector(GIFT_IMG) && /[×x]\s*\d+$/.test(text)))
      return { author, text, kind: 'gift' };
    for (const [re, kind] of ACTIONS) if (re.test(text)) return { author, text, kind };
  }
  return { author, text, kind: hasHostBadge(box, nick) ? 'host' : 'chat' };
}

/** A row without a nickname span: an action line, `name：text`, or a notice. */
function fromLine(full: string): ChatRow {
  const action = ACTION_LINE.exec(full);
  if (action) {
    const text = action[2]!;
    const kind = ACTIONS.find(([re]) => re.test(text))?.[1] ?? 'system';
    return { author: action[1]!, text, kind };
  }
  const m = /^(.{1,40}?)\s*[:：]\s*(.+)$/s.exec(full);
  if (m) return { author: m[1]!.trim(), text: m[2]!.trim(), kind: 'chat' };
  return { author: '', text: full, kind: 'system' };
}

/** The first text-only span or div ending in `：`, outside the message itself. */
function nicknameOf(box: Element): Element | null {
  for (const el of box.querySelectorAll('span, div')) {
    if (el.childElementCount > 0 || el.closest(`${CHAT.text}, ${CHAT.emoji}`)) continue;
    const t = squash(el.textContent ?? '');
    if (t.length > 1 && t.length <= NICKNAME_MAX && /[：:]$/.test(t)) return el;
  }
  return null;
}

/** Visible text of everything in `root` after `marker`, in document order. */
function textAfter(root: Element, marker: Element): string {
  let out = '';
  for (let n: Node | null = marker; n && n !== root; n = n.parentNode)
    for (let s = n.nextSibling; s; s = s.nextSibling) out += textWithAlt(s);
  return out;
}

/** Whether a badge before the nickname says 主播 (as text or as an image's alt). */
function hasHostBadge(root: Element, nick: Element): boolean {
  for (let n: Node | null = nick; n && n !== root; n = n.parentNode)
    for (let s = n.previousSibling; s; s = s.previousSibling) {
      if (s.nodeType !== 1) continue;
      const el = s as Element;
      for (const b of [el, ...el.querySelectorAll('*')]) {
        const said = b.tagName === 'IMG' ? b.getAttribute('alt') : b.childElementCount ? null : b.textContent;
        if (said && HOST_BADGE.test(squash(said))) return true;
      }
    }
  return false;
}

export const douyin: Adapter = {
  id: 'douyin',
  matches: MATCHES,
  roomKey,
  findChatList,
  parseRow,
  readRoom,
  readProducts,
  pageState: (doc, chat) => pageState(doc, chat ? chat.isConnected : findChatList(doc) !== null),
};
