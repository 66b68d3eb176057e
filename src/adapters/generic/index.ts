/**
 * `generic`: finds and reads the chat of a page nobody wrote an adapter for. It looks for a list
 * that names itself as chat (role="log", aria-live, chat/comment/danmaku/message in class or id), in
 * the page and, when the page has none, in its open shadow roots and same-origin frames; failing
 * that, for the element that keeps receiving short rows or whose rows keep being rewritten (see
 * `GrowthWatcher`). The user can also point at the chat (see `picked.ts`).
 */
import type { Adapter, ChatRow } from '../types';
import { squash, stripNameSeparator, textWithAlt } from '../text';
import { LIST_HINTS, NAME_HINTS, BADGE_HINTS, HOST_HINTS, HOST_BADGE_TEXT } from './selectors';
import { pageState, readProducts, readRoom, roomKey } from './page';
import { alikeRows, isRowLike, rowLikeChildren } from './rows';
import { hostOf, isDocument, isShadowRoot, nestedRoots, type SearchRoot } from './roots';
import { readByShape } from './shape';

export { readProducts, readRoom, roomKey } from './page';
export { isRowLike, isNavItem, alikeRows } from './rows';
export { nestedRoots, frameDocument, hostOf, WALK_LIMITS, type SearchRoot } from './roots';
export { chatPathOf, resolveChatPath, selectorFor, listAround, isHashedName, type ChatPath } from './picked';

/** A single chat row (it holds a nickname of its own), not the list of rows. */
function isSingleRow(el: Element): boolean {
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (c.matches(NAME_HINTS)) return true;
  return false;
}

const LIST_SELECTOR = LIST_HINTS.join(',');

/** The list in `root` that most looks like chat, with its score; null when none does. */
function bestListIn(root: SearchRoot): { el: Element; score: number } | null {
  let best: Element | null = null;
  let bestScore = 0;
  for (const el of root.querySelectorAll(LIST_SELECTOR)) {
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
  return best ? { el: best, score: bestScore } : null;
}

/** The chat list among the elements of `root` itself (a document or a shadow root), not inside its nested roots. */
export function findChatListIn(root: SearchRoot): Element | null {
  return bestListIn(root)?.el ?? null;
}

/** The last list found inside a nested root of each document, so that it is not walked for again. */
const nestedLists = new WeakMap<Document, Element>();

/** `el` is still shown in `doc`: connected through every shadow host and frame on the way up. */
function reachable(el: Element, doc: Document): boolean {
  for (let cur: Element | null = el; cur;) {
    if (!cur.isConnected) return false;
    const root = cur.getRootNode();
    if (root === doc) return true;
    cur = isShadowRoot(root) || isDocument(root) ? hostOf(root) : null;
  }
  return false;
}

/** The chat list found earlier inside a shadow root or frame of `doc`, while it is still there. */
export function knownNestedList(doc: Document): Element | null {
  const el = nestedLists.get(doc);
  if (el && reachable(el, doc)) return el;
  nestedLists.delete(doc);
  return null;
}

/**
 * The chat list of the page: in the document itself first; when it has none, in its open shadow
 * roots and same-origin frames (a bounded walk, made only while nothing is found).
 */
export function findChatList(doc: Document): Element | null {
  const top = bestListIn(doc);
  if (top) return top.el;
  const known = knownNestedList(doc);
  if (known) return known;
  let best: { el: Element; score: number } | null = null;
  for (const root of nestedRoots(doc)) {
    const found = bestListIn(root);
    if (found && (!best || found.score > best.score)) best = found;
  }
  if (best) nestedLists.set(doc, best.el);
  return best?.el ?? null;
}

function depth(el: Element): number {
  let d = 0;
  for (let p = el.parentElement; p; p = p.parentElement) d++;
  return d;
}

export function parseRow(row: Element): ChatRow | null {
  // Most rows are read by their shape (see shape.ts); the rest in full, with the same result.
  const shaped = readByShape(row);
  if (shaped) return shaped.full ? rowOf(shaped.full, shaped.host, shaped.name) : null;
  return parseRowInFull(row);
}

/** `parseRow` without the shortcut of shape.ts: the row walked down to every badge and picture. */
export function parseRowInFull(row: Element): ChatRow | null {
  // Badges (levels, medals) are no part of what was said; BADGE_HINTS as a selector lets a row
  // without pictures, badges or hidden parts be read natively (see textWithAlt).
  const badges: Element[] = [];
  const full = squash(textWithAlt(row, BADGE_HINTS, badges));
  if (!full) return null;
  const host = isHost(row, badges);

  let rawName = '';
  for (const el of row.querySelectorAll(NAME_HINTS)) {
    const t = squash(textWithAlt(el, BADGE_HINTS));
    if (t.length > 0 && t.length <= 60 && t !== full) {
      rawName = t;
      break;
    }
  }
  return rowOf(full, host, rawName);
}

/** `stripNameSeparator` for a name already squashed: most names end in neither `:` nor `：`. */
function withoutSeparator(name: string): string {
  const last = name.charCodeAt(name.length - 1);
  return last === 0x3a || last === 0xff1a ? stripNameSeparator(name) : name;
}

/** A row from what was said (`full`), whether the host said it and the nickname found in it, if any. */
function rowOf(full: string, host: boolean, rawName: string): ChatRow {
  const kind = host ? 'host' : 'chat';
  if (rawName) {
    const at = full.indexOf(rawName);
    const body = at >= 0 ? squash(full.slice(0, at) + ' ' + full.slice(at + rawName.length)) : full;
    return { author: withoutSeparator(rawName), text: body.replace(/^[:：]\s*/, ''), kind };
  }
  const m = /^(.{1,40}?)\s*[:：]\s*(.+)$/s.exec(full);
  if (m) return { author: m[1]!.trim(), text: m[2]!.trim(), kind };
  return { author: '', text: full, kind };
}

/**
 * The host's own message: marked as such, or carrying a badge that says 主播 / Host. `badges` are
 * the badges reading the row's text left out (the outermost ones; badges inside them are looked at
 * too).
 */
function isHost(row: Element, badges: readonly Element[]): boolean {
  if (row.matches(HOST_HINTS) || row.querySelector(HOST_HINTS)) return true;
  const says = (b: Element) => HOST_BADGE_TEXT.test(squash(b.textContent ?? ''));
  for (const b of badges) {
    if (says(b)) return true;
    if (b.firstElementChild)
      for (const inner of b.querySelectorAll(BADGE_HINTS)) if (says(inner)) return true;
  }
  return false;
}

/** How far up from a changed node a row may be: text → span → row, with room for wrappers. */
const REWRITE_LEVELS = 4;

/**
 * Learns where chat is on pages whose markup says nothing. Two signs, each within `windowMs`:
 *  - growth: one parent receives at least `threshold` row-like children, and has that many alike;
 *  - rewriting: a virtualised list keeps a fixed set of rows and writes new text into them, so
 *    at least `threshold` sibling rows of one shape get a different text (digits aside, so that
 *    counters and prices ticking over do not count) at least `2 × threshold` times in all.
 * The parent is then taken as the chat list.
 */
export class GrowthWatcher {
  private counts = new Map<Element, { n: number; since: number }>();
  private rewrites = new Map<Element, { rows: Set<Element>; n: number; since: number }>();
  private texts = new WeakMap<Element, string>();
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
      if (this.counts.size > 500) this.counts.clear();
      this.counts.set(parent, { n: 1, since: now });
      return null;
    }
    c.n++;
    // Rows alike, not the parts of one row (badge, name, text) that a re-render put back.
    if (c.n >= this.threshold && alikeRows(parent) >= this.threshold) {
      this.reset();
      return parent;
    }
    return null;
  }

  /**
   * Feeds a node whose content changed (a text node, or an element whose children were replaced);
   * returns the list once its rows look rewritten in place. Call it once per node and batch.
   */
  rewritten(node: Node, now: number): Element | null {
    let row: Element | null = node.nodeType === 1 ? (node as Element) : node.parentElement;
    for (let i = 0; row && i < REWRITE_LEVELS; i++, row = row.parentElement) {
      const list = row.parentElement;
      const doc = row.ownerDocument;
      if (!list || list === doc.body || list === doc.documentElement) return null;
      // A bigger ancestor is no row either: stop here rather than read whole panels.
      if (!isRowLike(row)) return null;
      const text = squash(textWithAlt(row)).replace(/\d+/g, '#');
      const before = this.texts.get(row);
      this.texts.set(row, text);
      if (before === undefined || before === text) continue;
      let c = this.rewrites.get(list);
      if (!c || now - c.since > this.windowMs) {
        if (this.rewrites.size > 500) this.rewrites.clear();
        c = { rows: new Set(), n: 0, since: now };
        this.rewrites.set(list, c);
      }
      c.rows.add(row);
      c.n++;
      if (c.rows.size >= this.threshold && c.n >= 2 * this.threshold && alikeRows(list) >= this.threshold) {
        this.reset();
        return list;
      }
    }
    return null;
  }

  private reset(): void {
    this.counts.clear();
    this.rewrites.clear();
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
  // The list inside a nested root is not in the document's text: the walk is not needed here.
  pageState: (doc, chat) => pageState(doc, chat ?? findChatListIn(doc) ?? knownNestedList(doc)),
};
