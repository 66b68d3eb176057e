/**
 * Taobao Live chat: the `#liveComment` list and its `itemWrap--` rows (`authorTitle--` nickname,
 * `content--` text), plus the notices the comment channel mixes in (entries, likes, gifts).
 */
import type { ChatRow, RowKind } from '../types';
import { firstMatch } from '../common';
import { squash, stripNameSeparator, textWithAlt } from '../text';
import {
  CHAT_CONTAINER,
  ENTER_TEXT,
  GIFT_TEXT,
  HOST_BADGE_TEXT,
  LIKE_TEXT,
  NOTICE_MARK,
  ROW,
  ROW_SELECTOR,
} from './selectors';

export function findChatList(doc: Document): Element | null {
  const container = firstMatch(doc, CHAT_CONTAINER);
  // Rows may sit in a list inside the container: the list is wherever the rows are.
  const row = (container ?? doc).querySelector(ROW_SELECTOR);
  return row?.parentElement ?? container;
}

const isBadge = (el: Element) => el.matches(ROW.badge);
const has = (row: Element, sel: string) => row.matches(sel) || row.querySelector(sel) !== null;

export function parseRow(row: Element): ChatRow | null {
  const authorEl = row.querySelector(ROW.author);
  const contentEl = row.querySelector(ROW.content);
  const author = authorEl ? stripNameSeparator(textWithAlt(authorEl, isBadge)) : '';
  const raw = contentEl
    ? textWithAlt(contentEl, isBadge)
    : textWithAlt(row, (el) => el === authorEl || isBadge(el));
  const marked = NOTICE_MARK.test(squash(raw));
  const text = squash(raw)
    .replace(NOTICE_MARK, '')
    .replace(/^[:：]\s*/, '');
  if (!author && !text) return null;
  const id = messageId(row);
  const kind = kindOf(row, author, text, marked);
  const parsed = author || kind === 'system' ? { author, text } : splitNotice(text);
  return id ? { ...parsed, kind, id } : { ...parsed, kind };
}

function kindOf(row: Element, author: string, text: string, marked: boolean): RowKind {
  if (has(row, ROW.gift)) return 'gift';
  if (has(row, ROW.enter)) return 'enter';
  if (has(row, ROW.like)) return 'like';
  if (has(row, ROW.system)) return 'system';
  // Notices come as text: marked by the comment channel, or without a nickname of their own.
  if (marked || !author) {
    if (ENTER_TEXT.test(text)) return 'enter';
    if (LIKE_TEXT.test(text)) return 'like';
    if (GIFT_TEXT.test(text)) return 'gift';
    return 'system';
  }
  if (has(row, ROW.hostClass)) return 'host';
  for (const b of row.querySelectorAll(ROW.badge))
    if (HOST_BADGE_TEXT.test(squash(textWithAlt(b)))) return 'host';
  return 'chat';
}

/** "晴天小猪 来了" → the nickname and what they did, when the notice names someone. */
function splitNotice(text: string): { author: string; text: string } {
  const m = /^(.*?)\s*((?:来了|(?:进入|加入)了?直播间|点赞了?|点了赞|为主播点赞))$/.exec(text);
  if (m && m[1]) return { author: m[1], text: m[2]! };
  const g = /^(.*?)\s*((?:送出了?|赠送了?)\s*\S.*)$/.exec(text);
  if (g && g[1]) return { author: g[1], text: g[2]! };
  return { author: '', text };
}

function messageId(row: Element): string | undefined {
  for (const el of [row, row.firstElementChild])
    for (const a of ROW.idAttrs) {
      const v = el?.getAttribute(a)?.trim();
      if (v) return v;
    }
  return undefined;
}
