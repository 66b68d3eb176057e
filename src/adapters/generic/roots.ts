/**
 * The other places a page keeps markup: open shadow roots (custom elements, micro-frontends such as
 * WeChat's `<wujie-app>`) and same-origin frames (Bilibili's chat, a shop's embedded player). A
 * document's own `querySelectorAll` sees neither, so the chat search walks into them — only while
 * no chat is found, and within a fixed budget, as the walk visits every element once.
 *
 * Nodes of a frame belong to another realm, so nothing here uses `instanceof`: node types only.
 */

/** Where a search can run: a document or an open shadow root (both have `querySelectorAll`). */
export type SearchRoot = Document | ShadowRoot;

export interface WalkLimits {
  /** Elements looked at in all roots together. */
  elements: number;
  /** Nested roots returned. */
  roots: number;
  /** Roots inside roots inside roots… */
  depth: number;
}

export const WALK_LIMITS: WalkLimits = { elements: 20_000, roots: 40, depth: 4 };

export function isShadowRoot(node: Node | null | undefined): node is ShadowRoot {
  return !!node && node.nodeType === 11 && 'host' in node;
}

export function isDocument(node: Node | null | undefined): node is Document {
  return !!node && node.nodeType === 9;
}

/** The document of a same-origin frame element; null for other elements and for other origins. */
export function frameDocument(el: Element): Document | null {
  const tag = el.tagName;
  if (tag !== 'IFRAME' && tag !== 'FRAME') return null;
  try {
    return (el as HTMLIFrameElement).contentDocument ?? null;
  } catch {
    // Another origin: browsers return null, some older ones throw.
    return null;
  }
}

/** The element a nested root hangs from: the shadow host, or the frame element. */
export function hostOf(root: SearchRoot): Element | null {
  if (isShadowRoot(root)) return root.host;
  try {
    return root.defaultView?.frameElement ?? null;
  } catch {
    return null;
  }
}

/**
 * The open shadow roots and same-origin frame documents inside `doc`, breadth first (the outermost
 * first), not `doc` itself. Stops when the budget is spent: a page with more is searched in part.
 */
export function nestedRoots(doc: Document, limits: WalkLimits = WALK_LIMITS): SearchRoot[] {
  const found: SearchRoot[] = [];
  let budget = limits.elements;
  const queue: { root: SearchRoot; depth: number }[] = [{ root: doc, depth: 0 }];
  for (let i = 0; i < queue.length && budget > 0; i++) {
    const { root, depth } = queue[i]!;
    if (depth >= limits.depth) continue;
    const start = isDocument(root) ? root.documentElement : root;
    if (!start) continue;
    const walker = (isDocument(root) ? root : root.ownerDocument).createTreeWalker(start, 1 /* elements */);
    for (
      let n: Node | null = isDocument(root) ? walker.currentNode : walker.nextNode();
      n;
      n = walker.nextNode()
    ) {
      if (--budget <= 0) break;
      const el = n as Element;
      const inner = el.shadowRoot ?? frameDocument(el);
      if (!inner || (isDocument(inner) && !inner.documentElement)) continue;
      found.push(inner);
      queue.push({ root: inner, depth: depth + 1 });
      if (found.length >= limits.roots) return found;
    }
  }
  return found;
}
