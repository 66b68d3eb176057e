/**
 * The chat area the user pointed at: which element that click means (the list around the pointer,
 * not the word under it), and a way to find the same element again on a later visit.
 *
 * The way back is a `ChatPath`: one CSS selector per root, from the top document down through the
 * shadow hosts and frames the list lives in. Each selector prefers what survives a site's next
 * release — an id, class names without build hashes, a role or test attribute — and falls back to a
 * structural path only where those do not single the element out.
 */
import { frameDocument, hostOf, isDocument, isShadowRoot, type SearchRoot } from './roots';
import { alikeRows, isStateClass } from './rows';

/** Selectors from the top document to the element, one per root it is nested in (at most 8). */
export type ChatPath = string[];

export const MAX_PATH_ROOTS = 8;
export const MAX_SELECTOR_CHARS = 1000;

/**
 * A class name (or id) that a build tool made up and will change with the next release: CSS
 * modules' `__3xY7a`, styled-components' `sc-…`, Douyin's `TNg5meqw`, minified `r7`.
 */
export function isHashedName(name: string): boolean {
  if (name.length < 3) return true;
  if (/^(css|sc|jsx|emotion|styled|svelte|tw)-/i.test(name)) return true;
  if (/\d{3,}/.test(name)) return true; // ids and counters: comment-1234567
  for (const seg of name.split(/[-_]+/)) {
    if (seg.length >= 4 && /\d/.test(seg) && /[a-z]/i.test(seg)) return true;
    // Mixed case that is not words in camelCase or PascalCase: `xBazmQ`, `AzWZJ`.
    if (
      seg.length >= 5 &&
      /[a-z]/.test(seg) &&
      /[A-Z]/.test(seg) &&
      !/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/.test(seg)
    )
      return true;
  }
  // Letters without a vowel are not a word: `bqxzt`.
  return /^[a-z]{5,}$/i.test(name) && !/[aeiouy]/i.test(name);
}

/** Class names worth naming: no build hashes, no states that come and go. */
export function stableClasses(el: Element): string[] {
  const out: string[] = [];
  for (const c of el.classList) if (!isHashedName(c) && !isStateClass(c) && !out.includes(c)) out.push(c);
  return out;
}

/** CSSOM's "serialize an identifier", so any id or class name becomes a valid selector. */
export function cssIdent(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (code === 0) out += '\uFFFD';
    else if (
      (code >= 1 && code <= 0x1f) ||
      code === 0x7f ||
      (i === 0 && code >= 0x30 && code <= 0x39) ||
      (i === 1 && code >= 0x30 && code <= 0x39 && s[0] === '-')
    )
      out += `\\${code.toString(16)} `;
    else if (i === 0 && ch === '-' && s.length === 1) out += '\\-';
    else if (code >= 0x80 || ch === '-' || ch === '_' || /[0-9a-zA-Z]/.test(ch)) out += ch;
    else out += `\\${ch}`;
  }
  return out;
}

const cssString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\a ')}"`;

/** Attributes sites keep for tests and accessibility, which survive restyling. */
const STABLE_ATTRS = ['data-testid', 'data-e2e', 'data-role', 'role', 'aria-label'] as const;

function stableId(el: Element): string | null {
  const id = el.getAttribute('id');
  return id && !isHashedName(id) && !/[:\s]/.test(id) && id.length <= 80 ? id : null;
}

function isUnique(root: SearchRoot, selector: string, el: Element): boolean {
  try {
    const all = root.querySelectorAll(selector);
    return all.length === 1 && all[0] === el;
  } catch {
    return false;
  }
}

/** Ways to name the element by itself, most robust first. */
function ownSelectors(el: Element): string[] {
  const tag = el.localName.includes('-') ? cssIdent(el.localName) : el.localName;
  const out: string[] = [];
  const id = stableId(el);
  if (id) out.push(`#${cssIdent(id)}`);
  const classes = stableClasses(el)
    .slice(0, 3)
    .map((c) => `.${cssIdent(c)}`)
    .join('');
  const attrs: string[] = [];
  for (const a of STABLE_ATTRS) {
    const v = el.getAttribute(a);
    if (v && v.length <= 80 && !isHashedName(v.replace(/\s+/g, '-'))) attrs.push(`[${a}=${cssString(v)}]`);
  }
  if (classes) out.push(tag + classes);
  for (const a of attrs) out.push(tag + a, classes ? tag + classes + a : '');
  return out.filter(Boolean);
}

/** A short name for one step of a structural path: the element among its siblings. */
function stepSelector(el: Element): string {
  const tag = el.localName.includes('-') ? cssIdent(el.localName) : el.localName;
  const classes = stableClasses(el)
    .slice(0, 2)
    .map((c) => `.${cssIdent(c)}`)
    .join('');
  const role = el.getAttribute('role');
  const base = tag + classes + (role && !classes ? `[role=${cssString(role)}]` : '');
  const parent = el.parentElement;
  const siblings = parent ? [...parent.children] : [...(el.parentNode?.childNodes ?? [])];
  const same = siblings.filter((s) => s.nodeType === 1 && (s as Element).localName === el.localName);
  if (same.length <= 1) return base;
  const alike = same.filter((s) => matches(s as Element, base));
  if (alike.length <= 1) return base;
  return `${base}:nth-of-type(${same.indexOf(el) + 1})`;
}

function matches(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}

/**
 * A selector that finds `el` and nothing else within its own root (its document or shadow root):
 * an id, stable classes, a role or test attribute; else a path of such steps from the nearest
 * ancestor that has a unique name of its own.
 */
export function selectorFor(el: Element): string {
  const root = el.getRootNode() as SearchRoot;
  for (const s of ownSelectors(el)) if (isUnique(root, s, el)) return s;

  let path = stepSelector(el);
  // A custom element's own name says what it is (`<live-chat>`).
  if (el.localName.includes('-') && isUnique(root, path, el)) return path;
  for (let up = el.parentElement; up; up = up.parentElement) {
    const anchor = ownSelectors(up).find((s) => isUnique(root, s, up));
    if (anchor) {
      const sel = `${anchor} > ${path}`;
      if (isUnique(root, sel, el)) return sel;
    }
    path = `${stepSelector(up)} > ${path}`;
    if (isUnique(root, path, el)) return path;
  }
  return path;
}

/**
 * The element's path from the top document: the selector of each shadow host or frame on the way,
 * then its own. Null when it cannot be written down (too deep, too long).
 */
export function chatPathOf(el: Element): ChatPath | null {
  const path: string[] = [];
  for (let cur: Element | null = el; cur;) {
    if (path.length >= MAX_PATH_ROOTS) return null;
    const sel = selectorFor(cur);
    if (sel.length > MAX_SELECTOR_CHARS) return null;
    path.unshift(sel);
    const root = cur.getRootNode();
    if (isShadowRoot(root)) cur = root.host;
    else if (isDocument(root))
      cur = hostOf(root); // the frame element; null at the top
    else return null; // not in a document at all
  }
  return path;
}

/** Follows a `ChatPath` from `doc`; null when any step finds nothing or leads nowhere. */
export function resolveChatPath(doc: Document, path: readonly string[]): Element | null {
  let root: SearchRoot = doc;
  for (let i = 0; i < path.length; i++) {
    let el: Element | null;
    try {
      el = root.querySelector(path[i]!);
    } catch {
      return null;
    }
    if (!el) return null;
    if (i === path.length - 1) return el;
    const inner: SearchRoot | null = el.shadowRoot ?? frameDocument(el);
    if (!inner) return null;
    root = inner;
  }
  return null;
}

const MAX_UP = 8;

/**
 * The list the user means when pointing at `target`: of `target` and its ancestors (within its own
 * root), the one with the most rows alike, the outer one on a tie. A pointer on a nickname thus
 * chooses the whole chat, not the row. Falls back to `target` when nothing around it has rows.
 */
export function listAround(target: Element): Element {
  let best: Element | null = null;
  let bestRows = 1;
  let el: Element | null = target;
  for (let i = 0; el && i < MAX_UP; i++, el = el.parentElement) {
    if (el.localName === 'body' || el.localName === 'html') break;
    const n = alikeRows(el);
    // On a tie the outer one: two rows of a short chat beat the name and text of one row.
    if (n >= bestRows && n > 1) {
      best = el;
      bestRows = n;
    }
  }
  return best ?? target;
}
