/**
 * What makes an element's text differ from its `textContent`: pictures (their alt text is read),
 * hidden parts and code. An element with none of them inside reads as its `textContent`, natively,
 * instead of being walked node by node in script (rows are read for every chat message).
 */
const NOT_PLAIN = 'img,[aria-hidden="true"],script,style,template,noscript';

/**
 * Visible text of an element, with emoji images replaced by their alt text (`[赞]`). `skip` leaves
 * out elements (and what is in them): a predicate, or a selector — a selector also lets an element
 * with nothing to leave out be read in one native call.
 */
export function textWithAlt(
  node: Node,
  skip?: ((el: Element) => boolean) | string,
  /** With a selector: receives the elements left out (the outermost of each), in document order. */
  skipped?: Element[],
): string {
  if (typeof skip === 'string') {
    if (node.nodeType !== 1) return node.nodeType === 3 ? (node.nodeValue ?? '') : '';
    return plainText(node as Element, skip, `${NOT_PLAIN},${skip}`, skipped);
  }
  if (!skip && node.nodeType === 1) {
    const el = node as Element;
    if (!el.matches(NOT_PLAIN) && !el.querySelector(NOT_PLAIN)) return el.textContent ?? '';
  }
  return walkText(node, skip);
}

/**
 * `textWithAlt` with a selector to skip: the parts of `el` with nothing special in them are read
 * natively; only the elements on the way down to a picture, a badge or code are visited.
 */
function plainText(el: Element, skip: string, special: string, skipped?: Element[]): string {
  const leaveOut = (e: Element) => {
    if (!e.matches(skip)) return false;
    skipped?.push(e);
    return true;
  };
  if (el.matches(special)) return leaveOut(el) ? '' : walkText(el, leaveOut);
  if (!el.querySelector(special)) return el.textContent ?? '';
  let out = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) out += c.nodeValue ?? '';
    else if (c.nodeType === 1) out += plainText(c as Element, skip, special, skipped);
  }
  return out;
}

function walkText(node: Node, skip?: (el: Element) => boolean): string {
  let out = '';
  const walk = (n: Node) => {
    if (n.nodeType === 3) {
      out += n.nodeValue ?? '';
      return;
    }
    if (n.nodeType !== 1) return;
    const el = n as Element;
    const tag = el.tagName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE' || tag === 'NOSCRIPT') return;
    if (skip?.(el)) return;
    if (tag === 'IMG') {
      out += el.getAttribute('alt') ?? '';
      return;
    }
    if (el.getAttribute('aria-hidden') === 'true' && !el.querySelector('img[alt]')) return;
    for (let c = el.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(node);
  return out;
}

/** Text that `squash` changes: whitespace other than a space, two spaces, or a space at either end. */
const UNSQUASHED = /[^\S ]| {2}|^ | $/;

/** Runs of whitespace made one space, none at either end. */
export function squash(text: string): string {
  // Most chat text needs nothing done: tested first, it is not copied (rows are read per message).
  return UNSQUASHED.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

/** Removes the separator a nickname carries in chat rows: `小美：`, `Ann: `. */
export function stripNameSeparator(name: string): string {
  return squash(name).replace(/\s*[:：]\s*$/, '');
}
