/**
 * Watches a chat list and reports every message once. Rows that are added are read when they
 * appear; rows whose text is rewritten in place (virtualised lists recycle their elements) are read
 * again and reported when their content changed. Rows already there at the start are the backlog.
 *
 * Virtualised lists show a message more than once, and each batch of mutations is read for what it
 * is:
 *  - rows added at the bottom (new elements, or an element moved there from the top and rewritten)
 *    are new messages;
 *  - rows rewritten in place where every row now shows what the row `k` below it showed (the text
 *    moves up by `k`) hold `k` new messages in the last `k` rows; a viewer may well say "666" twice,
 *    and both are kept;
 *  - rows added above the shown ones, or a text moving down (the viewer scrolls back), show older
 *    messages: those among the last `RECENT` are not reported again, and until a message that was
 *    not among them arrives at the bottom, what comes back at the bottom is checked the same way;
 *  - any other rewrite is a new message;
 *  - a message the platform gave an id is reported once per id and content.
 */
import type { Adapter, ChatRow } from '../adapters/types';

export interface ObservedRow extends ChatRow {
  backlog: boolean;
}

const RECENT = 300;
const RECENT_IDS = 5000;

/** A set that forgets its oldest entries beyond `limit`. */
class RecentSet {
  private readonly items = new Set<string>();
  constructor(private readonly limit: number) {}
  has(k: string): boolean {
    return this.items.has(k);
  }
  add(k: string): void {
    this.items.delete(k);
    this.items.add(k);
    if (this.items.size > this.limit) this.items.delete(this.items.values().next().value!);
  }
}

export class ChatObserver {
  private observer: MutationObserver | null = null;
  private seen = new WeakMap<Element, string>();
  private readonly recent = new RecentSet(RECENT);
  private readonly ids = new RecentSet(RECENT_IDS);
  /** The list showed older messages lately; new ones at the bottom are checked until one is new. */
  private scrolledBack = false;
  private inert: Document | null = null;

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

  get element(): Element {
    return this.list;
  }

  /** No row has been shown in the list yet. */
  get empty(): boolean {
    return this.list.firstElementChild === null;
  }

  /** The list element was removed from the page (a re-render); the caller should look for it again. */
  get detached(): boolean {
    return !this.list.isConnected;
  }

  private onMutations(records: MutationRecord[]): void {
    // Called for every message the page shows, on its main thread: plain loops, and each record's
    // and node's properties read once (every read crosses into the page's DOM).
    const list = this.list;
    /** Each touched row, in the order the page wrote them, with the first record that touched it. */
    const touched = new Map<Element, number>();
    const added = new Set<Element>();
    /** Per row, the records that put children into it in this batch, with their place in the batch. */
    let fills: Map<Element, { at: number; record: MutationRecord }[]> | null = null;
    for (let at = 0; at < records.length; at++) {
      const r = records[at]!;
      const childList = r.type === 'childList';
      const target = r.target;
      if (target === list) {
        if (!childList) continue;
        const nodes = r.addedNodes;
        for (let i = 0, n = nodes.length; i < n; i++) {
          const node = nodes[i]!;
          if (node.nodeType !== 1) continue;
          const row = node as Element;
          if (!touched.has(row)) touched.set(row, at);
          added.add(row);
        }
        continue;
      }
      const row = this.rowOf(target);
      if (!row) continue;
      if (!touched.has(row)) touched.set(row, at);
      if (childList && target === row) {
        fills ??= new Map();
        const f = fills.get(row);
        if (f) f.push({ at, record: r });
        else fills.set(row, [{ at, record: r }]);
      }
    }

    // Read every touched row once; keep those whose content changed, in the order the page wrote them.
    const changed: {
      row: Element;
      parsed: ChatRow;
      sig: string;
      old: string | undefined;
      at: number;
    }[] = [];
    /** Rows read before and rewritten in place: two or more may be a shift. */
    let rewrites = 0;
    for (const [row, at] of touched) {
      if (row.parentElement !== list) continue;
      const parsed = this.adapter.parseRow(row);
      if (!parsed) continue;
      const sig = signatureOf(parsed);
      const old = this.seen.get(row);
      const isAdded = added.has(row);
      if (sig === old && !isAdded) continue;
      this.seen.set(row, sig);
      if (!isAdded && old !== undefined) rewrites++;
      changed.push({ row, parsed, sig, old, at });
    }
    if (!changed.length) return;
    // The usual batch (new rows at the bottom, or rows rewritten in no pattern): no shift can be in
    // it and no row lost a message; each is reported where it is.
    if (rewrites < 2 && !fills) {
      for (const c of changed)
        this.report(
          c.parsed,
          c.sig,
          false,
          added.has(c.row) && this.isAboveShown(c.row, added) ? 'older' : 'bottom',
        );
      return;
    }
    const place = new Map<Element, Place>();
    const shift =
      rewrites < 2
        ? null
        : shiftOf(
            list,
            new Map(changed.filter((c) => !added.has(c.row) && c.old !== undefined).map((c) => [c.row, c])),
            (row) => this.seen.get(row),
            (row) => added.has(row),
          );
    for (const c of changed) {
      if (added.has(c.row)) place.set(c.row, this.isAboveShown(c.row, added) ? 'older' : 'bottom');
      else if (shift?.moved.has(c.row)) place.set(c.row, 'moved');
      else if (shift?.older.has(c.row)) place.set(c.row, 'older');
      else place.set(c.row, 'bottom');
    }
    const fresh = shift?.fresh ?? [];
    // Rows added below a shift (a list filling up its last places while it already scrolls) hold
    // messages newer than the shift's.
    const below = fresh.length
      ? changed.filter((c) => added.has(c.row) && place.get(c.row) === 'bottom')
      : [];
    const rest = changed.filter((c) => !fresh.includes(c.row) && !below.includes(c));
    // A recycling list that went round more than once between two looks: what its rows showed in
    // between is gone from the page, but not from the records (see `overwritten`).
    const lost = shift || !fills ? [] : this.overwritten(fills, changed, added);
    if (!lost.length) for (const c of rest) this.report(c.parsed, c.sig, false, place.get(c.row)!);
    else {
      const items = [
        ...rest.map((c) => ({ at: c.at, c, parsed: c.parsed, sig: c.sig })),
        ...lost.map((l) => ({ at: l.at, c: null, parsed: l.parsed, sig: l.sig })),
      ].sort((a, b) => a.at - b.at);
      for (const i of items) this.report(i.parsed, i.sig, false, i.c ? place.get(i.c.row)! : 'bottom');
    }
    // The new messages of a shift, in order. One that says what its row showed before (the same
    // words again, `k` messages later) left the row as it was: the shift shows it is new all the same.
    for (const row of fresh) {
      const c = changed.find((x) => x.row === row);
      if (c) this.report(c.parsed, c.sig, false, 'bottom');
      else {
        const parsed = this.adapter.parseRow(row);
        if (parsed) this.report(parsed, signatureOf(parsed), false, 'bottom');
      }
    }
    for (const c of below) this.report(c.parsed, c.sig, false, 'bottom');
  }

  /**
   * Messages a row showed and lost within one batch. The records of the row's own children say
   * what it held before each change (undone from the last record back: take out what was added,
   * put back what was removed, where it was). What it held when a replacement began (a record
   * removing children after one that added some, or the row as it was put in the list) was a
   * whole message; it is read from copies, the page's nodes are left alone. The row's current
   * message then takes the place of its last change. What the row showed before the batch is not
   * new; anything else is, even the same words again (viewers repeat themselves).
   */
  private overwritten(
    fills: Map<Element, { at: number; record: MutationRecord }[]>,
    changed: { row: Element; sig: string; old: string | undefined; at: number }[],
    added: Set<Element>,
  ): { at: number; parsed: ChatRow; sig: string }[] {
    const lost: { at: number; parsed: ChatRow; sig: string }[] = [];
    for (const c of changed) {
      // Only rows the list took in again in this batch (recycled: moved to the bottom and
      // refilled); a row that stays put while its text moves up shows nothing that is lost.
      if (!added.has(c.row)) continue;
      const f = fills.get(c.row);
      // The usual batch: a row that was read before is given one new message.
      if (!f || (f.length < 2 && c.old !== undefined)) continue;
      const replacing = (i: number) =>
        f[i]!.record.removedNodes.length > 0 && (i === 0 || f[i - 1]!.record.addedNodes.length > 0);
      let replacements = 0;
      for (let i = 0; i < f.length; i++) if (replacing(i)) replacements++;
      if (replacements === 0 || (replacements === 1 && c.old !== undefined)) continue;
      // The children before each record, from the last record back to the first.
      const before: Node[][] = new Array<Node[]>(f.length);
      let kids: Node[] = [...c.row.childNodes];
      for (let i = f.length - 1; i >= 0; i--) {
        kids = undo(kids, f[i]!.record);
        before[i] = kids;
      }
      const found: { at: number; parsed: ChatRow; sig: string }[] = [];
      for (let i = 0; i < f.length; i++) {
        if (!replacing(i) || !before[i]!.length) continue;
        // Copied into a document of our own with no window: no picture loads, no page code runs.
        const inert = (this.inert ??= this.list.ownerDocument.implementation.createHTMLDocument(''));
        // The row's own attributes are those of its latest message (a host's mark on the row
        // itself would be wrong for the earlier ones): the copy has none, its children tell.
        const copy = inert.createElementNS(c.row.namespaceURI, c.row.localName);
        for (const n of before[i]!) copy.append(inert.importNode(n, true));
        const parsed = this.adapter.parseRow(copy);
        if (!parsed) continue;
        const sig = signatureOf(parsed);
        // What the row showed before the batch was read then. (Compared without the kind, which
        // the copy may only know from the children.)
        if (i === 0 && c.old !== undefined && saidOf(sig) === saidOf(c.old)) continue;
        found.push({ at: i === 0 ? c.at : f[i - 1]!.at, parsed, sig });
      }
      if (!found.length) continue;
      for (const x of found) lost.push(x);
      // The row's own message comes after what it replaced.
      c.at = f[f.length - 1]!.at;
    }
    return lost;
  }

  /** Whether a row was put in above rows that were already shown (the list scrolls back). */
  private isAboveShown(row: Element, added: Set<Element>): boolean {
    for (let n = row.nextElementSibling; n; n = n.nextElementSibling)
      if (!added.has(n) && this.seen.has(n)) return true;
    return false;
  }

  private rowOf(node: Node): Element | null {
    let n: Node | null = node;
    while (n && n.parentNode !== this.list) n = n.parentNode;
    return n && n.nodeType === 1 ? (n as Element) : null;
  }

  private read(row: Element, backlog: boolean): void {
    const parsed = this.adapter.parseRow(row);
    if (!parsed) return;
    const sig = signatureOf(parsed);
    this.seen.set(row, sig);
    this.report(parsed, sig, backlog, 'bottom');
  }

  private report(parsed: ChatRow, signature: string, backlog: boolean, place: Place): void {
    if (place === 'moved') return;
    if (parsed.id !== undefined) {
      // Id and content together: a recycled row that kept a stale id shows a new message.
      const idKey = `${parsed.id}\u241f${signature}`;
      if (this.ids.has(idKey)) return;
      this.ids.add(idKey);
    } else if (place === 'older') {
      if (this.recent.has(signature)) {
        this.scrolledBack = true;
        return;
      }
    } else if (this.scrolledBack) {
      if (this.recent.has(signature)) return;
      this.scrolledBack = false;
    }
    this.recent.add(signature);
    this.emit({ ...parsed, backlog });
  }
}

type Place = 'bottom' | 'older' | 'moved';

/** The children before `r` happened, given those after it. */
function undo(after: readonly Node[], r: MutationRecord): Node[] {
  const removedNow = new Set<Node>();
  r.addedNodes.forEach((n) => removedNow.add(n));
  const out = after.filter((n) => !removedNow.has(n));
  const back: Node[] = [];
  r.removedNodes.forEach((n) => back.push(n));
  const prev = r.previousSibling;
  const at = prev ? out.indexOf(prev) + 1 : 0;
  out.splice(at, 0, ...back);
  return out;
}

/**
 * Rows rewritten in place where each row of the block from the first to the last rewritten one now
 * shows what the row `k` below (text moving up: new messages at the bottom) or above (moving down:
 * the viewer scrolls back) showed before. Rows in the block that did not change (two equal messages
 * next to each other) take part with their text. Returns which rows only moved, which show older
 * messages and which (in order) show new ones, or null when the rewrite is no such shift.
 */
function shiftOf(
  list: Element,
  rewritten: Map<Element, { sig: string; old: string | undefined }>,
  current: (row: Element) => string | undefined,
  addedNow: (row: Element) => boolean,
): { moved: Set<Element>; older: Set<Element>; fresh: Element[] } | null {
  if (rewritten.size < 2) return null;
  const block: { row: Element; sig: string; old: string }[] = [];
  let pending = rewritten.size;
  for (let r = list.firstElementChild; r && pending > 0; r = r.nextElementSibling) {
    const c = rewritten.get(r);
    if (!c && !block.length) continue;
    if (c) pending--;
    const sig = c ? c.sig : current(r);
    const old = c ? c.old : sig;
    if (sig === undefined || old === undefined) return null; // an unread row or a placeholder
    block.push({ row: r, sig, old });
  }
  // The newest message may say what the last row showed before, leaving that row as it was: the
  // unchanged rows below the block are tried as part of it first, then the block alone (a row at
  // the bottom that never changes, such as "someone is typing", is no part of the shift).
  const core = block.length;
  for (let r = block[core - 1]?.row.nextElementSibling; r; r = r.nextElementSibling) {
    const sig = current(r);
    if (sig === undefined || addedNow(r)) break;
    block.push({ row: r, sig, old: sig });
  }
  return shiftIn(block) ?? (block.length > core ? shiftIn(block.slice(0, core)) : null);
}

function shiftIn(
  block: readonly { row: Element; sig: string; old: string }[],
): { moved: Set<Element>; older: Set<Element>; fresh: Element[] } | null {
  const n = block.length;
  const rows = (from: number, to: number) => new Set(block.slice(from, to).map((b) => b.row));
  for (let k = 1; k < n; k++) {
    if (block.slice(0, n - k).every((b, j) => b.sig === block[j + k]!.old))
      return { moved: rows(0, n - k), older: new Set(), fresh: block.slice(n - k).map((b) => b.row) };
    if (block.slice(k).every((b, j) => b.sig === block[j]!.old))
      return { moved: rows(k, n), older: rows(0, k), fresh: [] };
  }
  return null;
}

function signatureOf(row: ChatRow): string {
  return `${row.author}\u241f${row.text}\u241f${row.kind}`;
}

/** Who said what, from a signature: the kind left out. */
function saidOf(signature: string): string {
  return signature.slice(0, signature.lastIndexOf('\u241f'));
}
