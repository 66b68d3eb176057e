/** Visible text of an element, with emoji images replaced by their alt text (`[赞]`). */
export function textWithAlt(node: Node, skip?: (el: Element) => boolean): string {
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

export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Removes the separator a nickname carries in chat rows: `小美：`, `Ann: `. */
export function stripNameSeparator(name: string): string {
  return squash(name).replace(/\s*[:：]\s*$/, '');
}
