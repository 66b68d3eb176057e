/**
 * Kuaishou chat: the `.chat-history` wrapper and its `.comment-cell` rows (nickname, text with
 * emoji pictures, gift, like, entry and system cells).
 */
import type { ChatRow, RowKind } from '../types';
import { firstMatch } from '../common';
import { squash, stripNameSeparator, textWithAlt } from '../text';
import { CELL, CHAT_LIST, ENTER_TEXT, HOST_BADGE_TEXT, ROW } from './selectors';

export function findChatList(doc: Document): Element | null {
  const list = firstMatch(doc, CHAT_LIST);
  if (list) return list;
  // A build without the named wrapper: the cells' own parent is the list.
  const cell = doc.querySelector(CELL);
  return cell?.parentElement ?? null;
}

const isBadge = (el: Element) => el.matches(ROW.badge);

/**
 * `textWithAlt` that also leaves out skipped pictures: badges here are often a bare
 * `<img class="level-badge" alt="23">`, and `textWithAlt` reads an `<img>` before asking `skip`.
 */
function textOf(el: Element, skip: (el: Element) => boolean): string {
  const hidden = el.getAttribute('aria-hidden') === 'true' && !el.querySelector('img[alt]');
  if (el.tagName === 'IMG' || hidden || !el.querySelector('img')) return textWithAlt(el, skip);
  let out = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== 1) out += textWithAlt(c, skip);
    else if (!skip(c as Element)) out += textOf(c as Element, skip);
  }
  return out;
}

export function parseRow(row: Element): ChatRow | null {
  const cell = row.matches(CELL) ? row : row.querySelector(CELL);
  if (!cell) {
    // Not a message cell (a divider, "有新消息" tip): keep its words as a notice, never as chat.
    const text = squash(textWithAlt(row));
    return text ? { author: '', text, kind: 'system' } : null;
  }
  const id = messageId(row, cell);
  const withId = (r: ChatRow): ChatRow => (id ? { ...r, id } : r);

  if (cell.matches(ROW.system)) {
    const text = squash(textOf(cell, isBadge));
    return text ? withId({ author: '', text, kind: 'system' }) : null;
  }

  const nameEl = firstMatch(cell, ROW.name);
  const author = nameEl ? stripNameSeparator(textOf(nameEl, isBadge)) : '';
  const bodyEl = firstMatch(cell, ROW.comment);
  const body = bodyEl ? textOf(bodyEl, isBadge) : textOf(cell, (el) => el === nameEl || isBadge(el));
  const text = squash(body).replace(/^[:：]\s*/, '');
  if (!author && !text) return null;
  return withId({ author, text, kind: kindOf(cell, text) });
}

function kindOf(cell: Element, text: string): RowKind {
  if (cell.matches(ROW.gift) || cell.querySelector(ROW.gift)) return 'gift';
  if (cell.matches(ROW.like) || cell.querySelector(ROW.like)) return 'like';
  if (cell.matches(ROW.enter) || cell.querySelector(ROW.enter) || ENTER_TEXT.test(text)) return 'enter';
  if (isHost(cell)) return 'host';
  return 'chat';
}

/**
 * The anchor's own message: a "主播" badge or a host class. A nickname equal to the anchor's is not
 * enough: anyone may take that name, and evidence must not credit an impersonator to the host.
 */
function isHost(cell: Element): boolean {
  if (cell.matches(ROW.hostClass) || cell.querySelector(ROW.hostClass)) return true;
  for (const b of cell.querySelectorAll(ROW.badge))
    if (HOST_BADGE_TEXT.test(squash(textWithAlt(b)))) return true;
  return false;
}

function messageId(row: Element, cell: Element): string | undefined {
  for (const el of [row, cell])
    for (const a of ROW.idAttrs) {
      const v = el.getAttribute(a)?.trim();
      if (v) return v;
    }
  return undefined;
}
