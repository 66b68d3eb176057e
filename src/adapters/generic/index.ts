/**
 * `generic`: finds and reads the chat of a page nobody wrote an adapter for. It looks for a list
 * that names itself as chat (role="log", aria-live, chat/comment/danmaku/message in class or id) and,
 * failing that, for the element that keeps receiving short rows (see `GrowthWatcher`).
 */
import type { Adapter, ChatRow } from '../types';
import { squash, stripNameSeparator, textWithAlt } from '../text';
import { LIST_HINTS, NAME_HINTS, BADGE_HINTS, HOST_HINTS, HOST_BADGE_TEXT } from './selectors';
import { pageState, readProducts, readRoom, roomKey } from './page';

export { readProducts, readRoom, roomKey } from './page';

const MAX_ROW_CHARS = 1000;
const MAX_ROW_NODES = 80;

/** A child that could be a chat message: some text, not a whole panel. */
export function isRowLike(el: Element): boolean {
  const tag = el.tagName;
  if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE' || tag === 'LINK') return false;
  if (el.getElementsByTagName('*').length > MAX_ROW_NODES) return false;
  const len = squash(textWithAlt(el)).length;
  return len > 0 && len <= MAX_ROW_CHARS;
}

/** A menu entry rather than a message: a link or button, or a row whose only text is one. */
function isNavItem(el: Element): boolean {
  if (el.matches('a,button,input,select,label')) return true;
  const controls = el.querySelectorAll('a,button');
  if (controls.length === 0) return false;
  let inControls = '';
  controls.forEach((c) => (inControls += textWithAlt(c)));
  return squash(inControls) === squash(textWithAlt(el));
}

function rowLikeChildren(el: Element): number {
  let n = 0;
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (isRowLike(c) && !isNavItem(c)) n++;
  return n;
}

/** A single chat row (it holds a nickname of its own), not the list of rows. */
function isSingleRow(el: Element): boolean {
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (c.matches(NAME_HINTS)) return true;
  return false;
}

export function findChatList(doc: Document): Element | null {
  let best: Element | null = null;
  let bestScore = 0;
  for (const el of doc.querySelectorAll(LIST_HINTS.join(','))) {
    if (isSingleRow(el)) continue;
    const rows = rowLikeChildren(el);
    const strong = el.matches('[role="log"],[aria-live]');
    if (rows < 2 && !strong) continue;
    // Rows matter most; an explicit live region breaks ties and wins while the chat is still empty.
    const score = rows * 10 + (strong ? 15 : 0) + depth(el) * 0.01;
    if (score > bestScore) {
      best = el;
      bestScore = score;
    }
  }
  return best;
}

function depth(el: Element): number {
  let d = 0;
  for (let p = el.parentElement; p; p = p.parentElement) d++;
  return d;
}

const isBadge = (el: Element) => el.matches(BADGE_HINTS);

export function parseRow(row: Element): ChatRow | null {
  const full = squash(textWithAlt(row, isBadge));
  if (!full) return null;
  const kind = isHost(row) ? 'host' : 'chat';

  const nameEl = [...row.querySelectorAll(NAME_HINTS)].find((el) => {
    const t = squash(textWithAlt(el, isBadge));
    return t.length > 0 && t.length <= 60 && t !== full;
  });
  if (nameEl) {
    const rawName = squash(textWithAlt(nameEl, isBadge));
    const at = full.indexOf(rawName);
    const body = at >= 0 ? squash(full.slice(0, at) + ' ' + full.slice(at + rawName.length)) : full;
    return { author: stripNameSeparator(rawName), text: body.replace(/^[:：]\s*/, ''), kind };
  }
  const m = /^(.{1,40}?)\s*[:：]\s*(.+)$/s.exec(full);
  if (m) return { author: m[1]!.trim(), text: m[2]!.trim(), kind };
  return { author: '', text: full, kind };
}

function isHost(row: Element): boolean {
  if (row.matches(HOST_HINTS) || row.querySelector(HOST_HINTS)) return true;
  for (const b of row.querySelectorAll(BADGE_HINTS))
    if (HOST_BADGE_TEXT.test(squash(b.textContent ?? ''))) return true;
  return false;
}

/**
 * Learns where chat is on pages whose markup says nothing: the parent that receives at least
 * `threshold` row-like children within `windowMs` is taken as the chat list.
 */
export class GrowthWatcher {
  private counts = new Map<Element, { n: number; since: number }>();
  constructor(
    private readonly threshold = 3,
    private readonly windowMs = 5000,
  ) {}

  /** Feeds one added element; returns its parent once that parent looks like a growing chat list. */
  added(el: Element, now: number): Element | null {
    const parent = el.parentElement;
    if (!parent || parent === el.ownerDocument.body || !isRowLike(el)) return null;
    const c = this.counts.get(parent);
    if (!c || now - c.since > this.windowMs) {
      this.counts.set(parent, { n: 1, since: now });
      return null;
    }
    c.n++;
    if (c.n >= this.threshold) {
      this.counts.clear();
      return parent;
    }
    return null;
  }
}

export const generic: Adapter = {
  id: 'generic',
  matches: [],
  roomKey,
  findChatList,
  parseRow,
  readRoom,
  readProducts,
  pageState: (doc) => pageState(doc, findChatList(doc)),
};
