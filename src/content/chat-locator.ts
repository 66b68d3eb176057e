/**
 * Finds the page's chat list and keeps a `ChatObserver` on it, in this order:
 *  1. the area the user pointed at on this site (now, or remembered from an earlier visit), which
 *     replaces a list found otherwise as soon as it is known and shown;
 *  2. the adapter's own search (for `generic`: lists that name themselves chat, in the page, its open
 *     shadow roots and same-origin frames);
 *  3. for `generic` only, the element that keeps growing rows or rewriting them (`GrowthWatcher`),
 *     watched in the page and in each shadow root and frame, one MutationObserver per root.
 * Everything beyond the observer on the found list runs only while no list is found.
 */
import type { Adapter } from '../adapters/types';
import { GrowthWatcher, nestedRoots, resolveChatPath, type SearchRoot } from '../adapters/generic';
import type { ChatListState } from '../core/protocol';
import { ChatObserver, type ObservedRow } from './chat-observer';

export interface ChatLocatorOptions {
  adapter: Adapter;
  onRow: (row: ObservedRow) => void;
  /** Called when the state changes (not on every look). */
  onState?: (state: ChatListState) => void;
  doc?: Document;
  now?: () => number;
}

/** Nested roots are looked for again every this many looks while the growth is watched. */
const ROOT_SCAN_EVERY = 2;
/** More roots than this are not watched (a page of hundreds of custom elements). */
const MAX_WATCHED_ROOTS = 60;
/** Changed nodes looked at per batch of mutations: a page that rewrites everything costs no more. */
const MAX_CHANGED_PER_BATCH = 300;

export class ChatLocator {
  private chat: ChatObserver | null = null;
  private source: 'found' | 'picked' = 'found';
  private pickPath: readonly string[] | null = null;
  private growth: GrowthScan | null = null;
  private current: ChatListState | null = null;
  private readonly doc: Document;
  private readonly now: () => number;

  constructor(private readonly opts: ChatLocatorOptions) {
    this.doc = opts.doc ?? document;
    this.now = opts.now ?? Date.now;
  }

  get state(): ChatListState | null {
    return this.current;
  }

  /** The list being observed, if any. */
  get element(): Element | null {
    return this.chat?.element ?? null;
  }

  /** The area remembered for this site, tried before anything else. */
  setPickPath(path: readonly string[] | null): void {
    this.pickPath = path;
  }

  /** (Re)finds the chat list; call it now and then (a page may render it late or replace it). */
  locate(): void {
    if (this.chat && !this.chat.detached) {
      if (this.source === 'picked') return;
      // The area the user chose wins as soon as it is there (it may come later than the found list).
      const picked = this.picked();
      if (picked && picked !== this.chat.element) return this.attach(picked, 'picked');
      // A list still empty may be only the container the rows will go into: look again until it fills.
      if (!this.chat.empty) return;
      const better = this.opts.adapter.findChatList(this.doc);
      if (!better || better === this.chat.element) return;
    }
    this.detach();
    const picked = this.picked();
    if (picked) return this.attach(picked, 'picked');
    const list = this.opts.adapter.findChatList(this.doc);
    if (list) return this.attach(list, 'found');
    // Only the generic adapter guesses by growth: a site adapter knows where its chat is (and a page
    // such as YouTube's watch page has its chat in a frame, not in a list of related videos).
    if (this.opts.adapter.id === 'generic' && this.doc.body) {
      this.growth ??= new GrowthScan(this.doc, this.now, (found) => this.attach(found, 'found'));
      this.growth.look();
    }
    this.setState('searching');
  }

  /** The user pointed at `list`: observe it from now on (`path` is how it will be found again). */
  usePicked(list: Element, path: readonly string[] | null): void {
    this.pickPath = path;
    this.detach();
    this.attach(list, 'picked');
  }

  /** The remembered area was forgotten: look for the chat by other means. */
  forgetPick(): void {
    this.pickPath = null;
    if (this.chat && this.source === 'picked') {
      this.detach();
      this.locate();
    }
  }

  /** Reads at once the rows the observer has noted and not read yet (see `ChatObserver.flush`). */
  flush(): void {
    this.chat?.flush();
  }

  stop(): void {
    this.detach();
    this.growth?.stop();
    this.growth = null;
  }

  private picked(): Element | null {
    return this.pickPath ? resolveChatPath(this.doc, this.pickPath) : null;
  }

  private attach(list: Element, source: 'found' | 'picked'): void {
    this.detach();
    this.growth?.stop();
    this.growth = null;
    this.source = source;
    this.chat = new ChatObserver(this.opts.adapter, list, this.opts.onRow);
    this.chat.start();
    this.setState(source);
  }

  private detach(): void {
    this.chat?.stop();
    this.chat = null;
  }

  private setState(state: ChatListState): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onState?.(state);
  }
}

/**
 * Watches the page, and each open shadow root and same-origin frame in it, for a list that grows or
 * whose rows are rewritten in place.
 */
class GrowthScan {
  private readonly watcher = new GrowthWatcher();
  private readonly observers: MutationObserver[] = [];
  private readonly watched = new WeakSet<Node>();
  private looks = 0;
  private done = false;

  constructor(
    private readonly doc: Document,
    private readonly now: () => number,
    private readonly found: (list: Element) => void,
  ) {}

  look(): void {
    if (this.done) return;
    if (this.doc.body) this.watch(this.doc.body);
    if (this.looks++ % ROOT_SCAN_EVERY !== 0) return;
    for (const root of nestedRoots(this.doc)) {
      const target = rootTarget(root);
      if (target) this.watch(target);
    }
  }

  stop(): void {
    this.done = true;
    for (const o of this.observers.splice(0)) o.disconnect();
  }

  private watch(target: Node): void {
    if (this.watched.has(target) || this.observers.length >= MAX_WATCHED_ROOTS) return;
    this.watched.add(target);
    const observer = new MutationObserver((records) => this.onMutations(records));
    observer.observe(target, { childList: true, subtree: true, characterData: true });
    this.observers.push(observer);
  }

  private onMutations(records: MutationRecord[]): void {
    if (this.done) return;
    const now = this.now();
    const changed = new Set<Node>();
    for (const r of records) {
      // Text changed, or children put in or taken out: the element may be a row rewritten in place
      // (a framework re-renders a recycled row), and what was put in may be a new row.
      if (changed.size < MAX_CHANGED_PER_BATCH) changed.add(r.target);
      for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        const list = this.watcher.added(n as Element, now);
        if (list) return this.found(list);
      }
    }
    for (const n of changed) {
      const list = this.watcher.rewritten(n, now);
      if (list) return this.found(list);
    }
  }
}

function rootTarget(root: SearchRoot): Node | null {
  return root.nodeType === 9 ? ((root as Document).body ?? (root as Document).documentElement) : root;
}
