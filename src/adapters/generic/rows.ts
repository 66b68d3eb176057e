/** What a chat row looks like to the generic adapter: some text, not a whole panel, not a menu entry. */
import { squash, textWithAlt } from '../text';

const MAX_ROW_CHARS = 1000;
const MAX_ROW_NODES = 80;

/** Whether `el` holds more than `limit` elements; stops counting there, so a whole page costs no more. */
export function moreElementsThan(el: Element, limit: number): boolean {
  let n = 0;
  let cur: Element | null = el.firstElementChild;
  while (cur) {
    if (++n > limit) return true;
    if (cur.firstElementChild) {
      cur = cur.firstElementChild;
      continue;
    }
    while (cur !== el && !cur.nextElementSibling) cur = cur.parentElement!;
    if (cur === el) return false;
    cur = cur.nextElementSibling;
  }
  return false;
}

/** A child that could be a chat message: some text, not a whole panel. */
export function isRowLike(el: Element): boolean {
  const tag = el.tagName;
  if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE' || tag === 'LINK') return false;
  if (moreElementsThan(el, MAX_ROW_NODES)) return false;
  const len = squash(textWithAlt(el)).length;
  return len > 0 && len <= MAX_ROW_CHARS;
}

/** A menu entry rather than a message: a link or button, or a row whose only text is one. */
export function isNavItem(el: Element): boolean {
  if (el.matches('a,button,input,select,label')) return true;
  const controls = el.querySelectorAll('a,button');
  if (controls.length === 0) return false;
  let inControls = '';
  controls.forEach((c) => (inControls += textWithAlt(c)));
  return squash(inControls) === squash(textWithAlt(el));
}

export function rowLikeChildren(el: Element): number {
  let n = 0;
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (isRowLike(c) && !isNavItem(c)) n++;
  return n;
}

const STATE_CLASS =
  /^(is-|has-)?(active|hover|hovered|focus|focused|selected|open|opened|show|shown|hidden|visible|current|disabled|expanded|collapsed|loading|loaded|scrolling)$/i;

/** A class that says what state an element is in (`active`, `is-open`), not what it is. */
export function isStateClass(name: string): boolean {
  return STATE_CLASS.test(name);
}

/** What makes rows of one list look alike: the tag and the first class that is not a state. */
function shapeOf(el: Element): string {
  let first = '';
  for (const c of el.classList)
    if (!STATE_CLASS.test(c)) {
      first = c;
      break;
    }
  return `${el.localName}.${first}`;
}

/**
 * How many children of `el` are rows of one shape (the most common shape among them): a chat's
 * rows share a tag and a class, the parts of one row (badge, name, text) do not.
 */
export function alikeRows(el: Element): number {
  const counts = new Map<string, number>();
  let best = 0;
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    // Pictures alone (emoji in a message) are no rows.
    if (c.tagName === 'IMG' || !isRowLike(c) || isNavItem(c)) continue;
    const k = shapeOf(c);
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    if (n > best) best = n;
  }
  return best;
}
