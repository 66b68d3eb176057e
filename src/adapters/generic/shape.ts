/**
 * Reads a chat row by its shape: the row's class and its children's classes, learnt once per shape,
 * say which child is a badge, which a nickname and whether the row is the host's, so a row of a
 * known shape is read with one `textContent` per child and two selector checks instead of a walk
 * and a dozen selector matches (rows are read for every message, on the page's main thread).
 *
 * Only rows whose parts hold nothing but text and plain pictures (emoji, read as their alt text)
 * take this path: a row with a hidden part, code, an attribute a hint looks at, a picture with a
 * class or an element below a part's child is read in full by `parseRow`, which gives the same
 * result for a row of this path (the unit tests compare the two).
 */
import { squash } from '../text';
import { BADGE_HINTS, HOST_BADGE_TEXT, HOST_HINTS, NAME_HINTS } from './selectors';

/** What the parts of a row of one shape are. */
interface Shape {
  /** The row or one of its children is marked as the host's (a class hint). */
  host: boolean;
  /** Per child, in order: 1 a badge, 2 a nickname, 0 neither (a badge that also names is a badge). */
  parts: Uint8Array;
}

/** A row of a shape: what `parseRow` needs, read. */
export interface ShapedRow {
  /** What was said, badges left out, squashed. */
  full: string;
  /** Marked as the host's, or a badge says so. */
  host: boolean;
  /** The first nickname part's text that can be a nickname (see `parseRow`), or ''. */
  name: string;
}

/**
 * What makes a row differ from its children's text: the row's own marks that change how it is
 * read (code, a picture, hidden, the host's attribute).
 */
const ROW_GUARD = 'img,[aria-hidden="true"],script,style,template,noscript,[author-type]';
/** Anything in the row that the shape does not know: a grandchild, a picture, hidden parts, hint attributes. */
const INSIDE_GUARD = `:scope > * > *,${ROW_GUARD},[data-uname]`;
/**
 * The same, but letting pictures through that sit right inside a part and carry no hint (emoji in
 * the text: `<span>好美<img alt="[赞]"></span>`); asked only when `INSIDE_GUARD` met something.
 */
const PICTURE_GUARD =
  ':scope > * > :not(img),:scope > * > * > *,:scope > img,img[class],img[data-uname],img[author-type],' +
  '[aria-hidden="true"],script,style,template,noscript,[data-uname],[author-type]';

const BADGE = 1;
const NAME = 2;
/** Shapes kept; a page whose rows come in more shapes than this learns the oldest again. */
const MAX_SHAPES = 32;

/** A shape learnt, by the row's class and its children's (in order). */
interface Known {
  rowClass: string | null;
  classes: (string | null)[];
  shape: Shape | null;
}

/**
 * Known shapes, the latest learnt first. Compared class by class: the page's class strings come
 * back as the same string each time, so a row of a known shape costs no string building or hashing.
 */
let known: Known[] = [];

function learn(row: Element): Shape | null {
  // A row that is itself a badge reads as nothing: the full reading says so.
  if (row.matches(BADGE_HINTS)) return null;
  let host = row.matches(HOST_HINTS);
  const parts: number[] = [];
  for (let c = row.firstElementChild; c; c = c.nextElementSibling) {
    if (c.matches(HOST_HINTS)) host = true;
    parts.push(c.matches(BADGE_HINTS) ? BADGE : c.matches(NAME_HINTS) ? NAME : 0);
  }
  return { host, parts: Uint8Array.from(parts) };
}

function shapeOf(row: Element, rowClass: string | null, classes: (string | null)[]): Shape | null {
  search: for (const k of known) {
    if (k.rowClass !== rowClass || k.classes.length !== classes.length) continue;
    for (let i = 0; i < classes.length; i++) if (k.classes[i] !== classes[i]) continue search;
    return k.shape;
  }
  const shape = learn(row);
  known = [{ rowClass, classes, shape }, ...known.slice(0, MAX_SHAPES - 1)];
  return shape;
}

/**
 * The row read by its shape, or null when it has to be read in full (see the top of this file).
 * `full` is '' for a row with no text; the caller decides what that means.
 */
export function readByShape(row: Element): ShapedRow | null {
  if (row.matches(ROW_GUARD)) return null;
  const pictures = row.querySelector(INSIDE_GUARD) !== null;
  if (pictures && row.querySelector(PICTURE_GUARD)) return null;
  // The row's own text nodes (spaces between the parts, a separator) and each child's text, in order.
  const texts: string[] = [];
  /** With pictures: each child's text with the pictures' alt text in place (`texts` has none). */
  const withAlt: (string | null)[] = [];
  /** Per entry of `texts`: the child's place among the children, or -1 for the row's own text. */
  const owner: number[] = [];
  const classes: (string | null)[] = [];
  for (let n = row.firstChild; n; n = n.nextSibling) {
    const type = n.nodeType;
    if (type === 3) {
      texts.push((n as Text).data);
      withAlt.push(null);
      owner.push(-1);
    } else if (type === 1) {
      owner.push(classes.length);
      classes.push((n as Element).getAttribute('class'));
      texts.push(n.textContent ?? '');
      withAlt.push(pictures && (n as Element).firstElementChild ? altText(n as Element) : null);
    }
  }
  const shape = shapeOf(row, row.getAttribute('class'), classes);
  if (!shape || shape.parts.length !== classes.length) return null;
  let said = '';
  let host = shape.host;
  for (let i = 0; i < texts.length; i++) {
    const part = owner[i]! < 0 ? 0 : shape.parts[owner[i]!];
    // A badge says 主播 by its text alone; what was said reads pictures as their alt text.
    if (part === BADGE) {
      if (!host && HOST_BADGE_TEXT.test(squash(texts[i]!))) host = true;
    } else said += withAlt[i] ?? texts[i]!;
  }
  const full = squash(said);
  let name = '';
  for (let i = 0; i < texts.length; i++) {
    if (owner[i]! < 0 || shape.parts[owner[i]!] !== NAME) continue;
    const t = squash(withAlt[i] ?? texts[i]!);
    if (t.length > 0 && t.length <= 60 && t !== full) {
      name = t;
      break;
    }
  }
  return { full, host, name };
}

/** A part's text with its pictures (each right inside it, see `PICTURE_GUARD`) read as their alt text. */
function altText(part: Element): string {
  let out = '';
  for (let n = part.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 3) out += (n as Text).data;
    else if (n.nodeType === 1) out += (n as Element).getAttribute('alt') ?? '';
  }
  return out;
}

/** Forgets the shapes learnt (tests). */
export function forgetShapes(): void {
  known = [];
}
