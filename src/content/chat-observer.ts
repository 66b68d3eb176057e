/**
 * Watches a chat list and reports every message once. Rows that are added are read when they
 * appear; rows whose text is rewritten in place (virtualised lists recycle their elements) are read
 * again and reported when their content changed. Rows already there at the start are the backlog.
 */
import type { Adapter, ChatRow } from '../adapters/types';

export interface ObservedRow extends ChatRow {
  backlog: boolean;
}

export class ChatObserver {
  private observer: MutationObserver | null = null;
  private seen = new WeakMap<Element, string>();

  constructor(
    private readonly adapter: Adapter,
    private readonly list: Element,
    private readonly emit: (row: ObservedRow) => void,
  ) {}

  start(): void {
    for (let row = this.list.firstElementChild; row; row = row.nextElementSibling) this.read(row, true);
    this.observer = new MutationObserver((records) => this.onMutations(records));
    this.observer.observe(this.list, { childList: true, subtree: true, characterData: true });
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = null;
  }

  /** The list element was removed from the page (a re-render); the caller should look for it again. */
  get detached(): boolean {
    return !this.list.isConnected;
  }

  private onMutations(records: MutationRecord[]): void {
    // Collect the rows touched by this tick, in document order, each read once.
    const touched = new Set<Element>();
    for (const r of records) {
      if (r.type === 'childList' && r.target === this.list) {
        r.addedNodes.forEach((n) => {
          if (n.nodeType === 1) touched.add(n as Element);
        });
      } else {
        const row = this.rowOf(r.target);
        if (row) touched.add(row);
      }
    }
    for (const row of touched) if (row.parentElement === this.list) this.read(row, false);
  }

  private rowOf(node: Node): Element | null {
    let n: Node | null = node;
    while (n && n.parentNode !== this.list) n = n.parentNode;
    return n && n.nodeType === 1 ? (n as Element) : null;
  }

  private read(row: Element, backlog: boolean): void {
    const parsed = this.adapter.parseRow(row);
    if (!parsed) return;
    const signature = `${parsed.author}\u241f${parsed.text}`;
    if (this.seen.get(row) === signature) return;
    this.seen.set(row, signature);
    this.emit({ ...parsed, backlog });
  }
}
