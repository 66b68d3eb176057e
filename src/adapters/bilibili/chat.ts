/**
 * Bilibili live chat rows. `#chat-items` holds one `.chat-item` per row, appended at the bottom; a
 * danmaku row names its sender in `data-uname` / `data-uid`, its text in `data-danmaku` and its
 * message id in `data-id_str` (newer) or `data-ct`. Other rows (gifts, 舰长, 醒目留言, entries,
 * notices) are told apart by their class.
 */
import type { ChatRow, RowKind } from '../types';
import { squash, stripNameSeparator, textWithAlt } from '../text';
import { firstMatch } from '../common';
import { CHAT_LIST, IN_ROW, ROW } from './selectors';
import { anchorUid } from './page';

export function findChatList(doc: Document): Element | null {
  return firstMatch(doc, CHAT_LIST);
}

/**
 * Badges, and the text an emoticon shows only when its picture fails to load
 * (`<img alt="[打call]"><span>[打call]</span>`): the alt text already stands for the picture.
 */
function skip(el: Element): boolean {
  if (el.matches(IN_ROW.badges)) return true;
  const prev = el.previousElementSibling;
  return prev?.tagName === 'IMG' && el.parentElement?.classList.contains('emoticon') === true;
}

const textOf = (el: Element) => squash(textWithAlt(el, skip));

function partText(row: Element, selectors: readonly string[]): string {
  for (const sel of selectors) {
    const el = row.querySelector(sel);
    if (!el) continue;
    const t = textOf(el);
    if (t) return t;
  }
  return '';
}

function authorOf(row: Element): string {
  const uname = row.getAttribute('data-uname')?.trim();
  if (uname) return uname;
  const name = partText(row, IN_ROW.name);
  if (name) return stripNameSeparator(name);
  // 舰长 rows: `<span style="color…">name</span> 在…开通了舰长`.
  const first = row.firstElementChild;
  return first?.tagName === 'SPAN' ? stripNameSeparator(textOf(first)) : '';
}

/** The row's text after its author, for notices that are one sentence about someone. */
function restOf(row: Element, author: string): string {
  const full = textOf(row);
  return author && full.startsWith(author) ? squash(full.slice(author.length)) : full;
}

function messageId(row: Element): string | undefined {
  for (const attr of ['data-id_str', 'data-ct']) {
    const v = row.getAttribute(attr)?.trim();
    if (v && v !== '0') return v;
  }
  return undefined;
}

export function parseRow(row: Element): ChatRow | null {
  const cls = row.classList;
  const author = authorOf(row);
  let kind: RowKind;
  let text: string;
  if (cls.contains(ROW.superChat)) {
    kind = 'gift';
    const message = partText(row, IN_ROW.superChatText) || (row.getAttribute('data-danmaku') ?? '');
    text = squash(`${partText(row, IN_ROW.superChatAmount)} ${message}`);
  } else if (cls.contains(ROW.danmaku)) {
    kind = isHost(row) ? 'host' : 'chat';
    // What the viewer saw, emoticons as their alt text; the raw danmaku where nothing rendered.
    text = partText(row, IN_ROW.danmakuText) || squash(row.getAttribute('data-danmaku') ?? '');
  } else if (cls.contains(ROW.gift)) {
    kind = 'gift';
    text = squash(IN_ROW.giftParts.map((s) => partText(row, [s])).join(' ')) || restOf(row, author);
  } else if (cls.contains(ROW.guardBuy)) {
    kind = 'gift';
    text = restOf(row, author);
  } else if (row.getAttribute('data-type') === ROW.likeType || ROW.like.some((c) => cls.contains(c))) {
    kind = 'like';
    text = restOf(row, author);
  } else {
    text = restOf(row, author);
    const entering = ROW.enter.some((c) => cls.contains(c)) || /进入直播间|进场/.test(text);
    kind = entering ? 'enter' : /点赞/.test(text) && author ? 'like' : 'system';
  }
  if (!author && !text) return null;
  const parsed: ChatRow = { author, text, kind };
  const id = messageId(row);
  if (id) parsed.id = id;
  return parsed;
}

/** The anchor's own danmaku: the 主播 icon, or the sender's uid is the room owner's. */
function isHost(row: Element): boolean {
  if (row.querySelector(IN_ROW.hostIcon)) return true;
  const uid = row.getAttribute('data-uid');
  return uid !== null && uid !== '' && uid === anchorUid(row.ownerDocument);
}
