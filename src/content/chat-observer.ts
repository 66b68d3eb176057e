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
 *
 * The rows are read in batches, not in every MutationObserver callback (one per message in a busy
 * room): the callback only notes the records, and the rows they touched are read together at most
 * `BATCH_MS` later (or at once by `flush`, on `pagehide` and the like), each with the time of the
 * callback that first saw it. What could change before that read is read at once instead: a callback
 * that rewrites a row already read (a list that moves its text, an edited row) or takes out a row
 * still waiting to be read. A row put in and then refilled whole while it waits (a recycling list
 * going round within one batch) gives every message it showed, from the records (`overwritten`).
 */
import type { Adapter, ChatRow } from '../adapters/types';

export interface ObservedRow extends ChatRow {
  backlog: boolean;
  /** When the row was seen (ms since the epoch): the callback that first noted it. */
  seenAt: number;
}

export interface ChatObserverOptions {
  /** The longest a noted row waits to be read (default `BATCH_MS`). */
  batchMs?: number;
  now?: () => number;
}

/** Rows waiting to be read are read within this many ms (a few frames, one batch for the transport). */
export const BATCH_MS = 100;
const RECENT = 300;
const RECENT_IDS = 5000;

/**
 * The last `limit` signatures, kept in a ring: adding one costs no hashing (signatures are new
 * strings every time), and `has` (asked only while the list scrolls back) looks through them all.
 */
class RecentRing {
  private readonly items: string[] = [];
  private next = 0;
  constructor(private readonly limit: number) {}
  has(k: string): boolean {
    return this.items.includes(k);
  }
  add(k: string): void {
    if (this.items.length < this.limit) this.items.push(k);
    else this.items[this.next] = k;
    this.next = (this.next + 1) % this.limit;
  }
}

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
  private readonly recent = new RecentRing(RECENT);
  private readonly ids = new RecentSet(RECENT_IDS);
  /** The list showed older messages lately; new ones at the bottom are checked until one is new. */
  private scrolledBack = false;
  private inert: Document | null = null;
  /** The records noted since the last read, the row each touches (null: the list itself) and when. */
  private notes: MutationRecord[] = [];
  private noteRows: (Element | null)[] = [];
  private noteTimes: number[] = [];
  /** Rows put into the list since the last read, with the callback that put them in. */
  private waiting = new Map<Element, number>();
  /** Rows put in since the last read and taken out again by a later callback: read all the same. */
  private outlived: Set<Element> | null = null;
  private callbacks = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly batchMs: number;
  private readonly now: () => number;

  constructor(
    private readonly adapter: Adapter,
    private readonly list: Element,
    private readonly emit: (row: ObservedRow) => void,
    options: ChatObserverOptions = {},
  ) {
    this.batchMs = options.batchMs ?? BATCH_MS;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const now = this.now();
    for (let row = this.list.firstElementChild; row; row = row.nextElementSibling) this.read(row, now);
    this.observer = new MutationObserver((records) => this.onMutations(records));
    this.observer.observe(this.list, { childList: true, subtree: true, characterData: true });
  }

  /** Reads what waits now (the page is going away, the session ends). */
  flush(): void {
    const late = this.observer?.takeRecords();
    if (late?.length) this.note(late);
    this.readWaiting(this.notes.length);
  }

  stop(): void {
    this.flush();
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

  /**
   * Reads the noted records: those before `split` as one batch, then the rest as another (the
   * callback that made the read urgent, read as the page's batch it is). A row waiting to be read
   * that the later records rewrote is read as it was before them, from those records.
   */
  private readWaiting(split: number): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const notes = this.notes;
    if (!notes.length) return;
    const rows = this.noteRows;
    const times = this.noteTimes;
    const outlived = this.outlived;
    const waiting = this.waiting;
    this.notes = [];
    this.noteRows = [];
    this.noteTimes = [];
    this.waiting = new Map();
    this.outlived = null;
    if (split >= notes.length) return this.readNoted(notes, rows, times, outlived, null);
    let asBefore: Map<Element, Node[] | null> | null = null;
    for (let i = split; i < notes.length; i++) {
      const row = rows[i];
      if (!row || asBefore?.has(row) || !waiting.has(row) || waiting.get(row)! >= this.callbacks) continue;
      (asBefore ??= new Map()).set(row, this.kidsBefore(row, notes.slice(split), rows.slice(split)));
    }
    if (split > 0) {
      // What the later records put in was not in the list yet.
      const later = new Set<Element>();
      for (let i = split; i < notes.length; i++) {
        if (rows[i]) continue;
        const nodes = notes[i]!.addedNodes;
        for (let j = 0; j < nodes.length; j++) if (nodes[j]!.nodeType === 1) later.add(nodes[j] as Element);
      }
      this.readNoted(notes.slice(0, split), rows.slice(0, split), times.slice(0, split), outlived, {
        asBefore,
        later,
      });
    }
    this.readNoted(notes.slice(split), rows.slice(split), times.slice(split), outlived, null);
  }

  /**
   * The children `row` had before `records` (the row's own records among them undone), or null when
   * they changed more than its children (the row is then read as it is now).
   */
  private kidsBefore(row: Element, records: MutationRecord[], rows: (Element | null)[]): Node[] | null {
    let kids: Node[] = [...row.childNodes];
    for (let i = records.length - 1; i >= 0; i--) {
      if (rows[i] !== row) continue;
      const r = records[i]!;
      if (r.target !== row || r.type !== 'childList') return null;
      kids = undo(kids, r);
    }
    return kids;
  }

  /**
   * A copy of `row` with the given children, in a document of our own with no window: no picture
   * loads, no page code runs. The row's own attributes are those of its latest message (a host's
   * mark on the row itself would be wrong for the earlier ones): the copy has none, its children tell.
   */
  private copyOf(row: Element, kids: readonly Node[]): Element {
    const inert = (this.inert ??= this.list.ownerDocument.implementation.createHTMLDocument(''));
    const copy = inert.createElementNS(row.namespaceURI, row.localName);
    for (const n of kids) copy.append(inert.importNode(n, true));
    return copy;
  }

  private onMutations(records: MutationRecord[]): void {
    const before = this.notes.length;
    if (this.note(records)) this.readWaiting(before);
    else if (this.timer === null && this.notes.length)
      this.timer = setTimeout(() => {
        this.timer = null;
        this.readWaiting(this.notes.length);
      }, this.batchMs);
  }

  /**
   * Notes a callback's records; true when they must be read now: a row already read, or put in by
   * an earlier callback, was rewritten (its next rewrite would lose what it shows now), or a row
   * still waiting was taken out.
   */
  private note(records: MutationRecord[]): boolean {
    // Called for every message the page shows, on its main thread: plain loops, and each record's
    // and node's properties read once (every read crosses into the page's DOM).
    const list = this.list;
    const waiting = this.waiting;
    const notes = this.notes;
    const rows = this.noteRows;
    const times = this.noteTimes;
    const callback = ++this.callbacks;
    const now = this.now();
    let urgent = false;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const target = r.target;
      // Records on an element (the list, a row) are childList records: attributes are not observed.
      if (target === list) {
        if (waiting.size) {
          const gone = r.removedNodes;
          for (let j = 0, n = gone.length; j < n; j++) {
            const node = gone[j] as Element;
            const at = waiting.get(node);
            // Put in and taken out within one callback: the page never showed it (as before).
            if (at === undefined || at === callback) continue;
            (this.outlived ??= new Set()).add(node);
            urgent = true;
          }
        }
        const nodes = r.addedNodes;
        for (let j = 0, n = nodes.length; j < n; j++) {
          const node = nodes[j]!;
          if (node.nodeType === 1 && !waiting.has(node as Element)) waiting.set(node as Element, callback);
        }
        notes.push(r);
        rows.push(null);
        times.push(now);
        continue;
      }
      const row = this.rowOf(target);
      if (!row) continue;
      notes.push(r);
      rows.push(row);
      times.push(now);
      // A row is read as the page left it after the callback that put it in: a later change to it
      // (or to a row read before) is read now, against what the row showed before it.
      if (waiting.get(row) !== callback) urgent = true;
    }
    return urgent;
  }

  private readNoted(
    records: MutationRecord[],
    rowsOf: (Element | null)[],
    times: number[],
    outlived: Set<Element> | null,
    earlier: { asBefore: Map<Element, Node[] | null> | null; later: Set<Element> } | null,
  ): void {
    const asBefore = earlier?.asBefore ?? null;
    const list = this.list;
    /** Each touched row, in the order the page wrote them, with the first record that touched it. */
    const touched = new Map<Element, number>();
    const added = new Set<Element>();
    /** Per row, the records that put children into it in this batch, with their place in the batch. */
    let fills: Map<Element, { at: number; record: MutationRecord }[]> | null = null;
    for (let at = 0; at < records.length; at++) {
      const r = records[at]!;
      const row = rowsOf[at];
      if (!row) {
        const nodes = r.addedNodes;
        for (let i = 0, n = nodes.length; i < n; i++) {
          const node = nodes[i]!;
          if (node.nodeType !== 1) continue;
          const el = node as Element;
          if (!touched.has(el)) touched.set(el, at);
          added.add(el);
        }
        continue;
      }
      if (!touched.has(row)) touched.set(row, at);
      if (r.target === row) {
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
    /** Rows put in and still in the list: those above a shown row are older. */
    let addedInList = 0;
    for (const [row, at] of touched) {
      const inList = row.parentElement === list;
      if (!inList && !outlived?.has(row)) continue;
      if (inList && added.has(row)) addedInList++;
      const kids = asBefore?.get(row);
      const parsed = this.adapter.parseRow(kids ? this.copyOf(row, kids) : row);
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
    const older = addedInList ? this.aboveShown(added, addedInList, earlier?.later ?? null) : null;
    const placeOf = (row: Element): Place => (older?.has(row) ? 'older' : 'bottom');
    const when = (c: { at: number }) => times[c.at]!;
    // The usual batch (new rows at the bottom, or rows rewritten in no pattern): no shift can be in
    // it and no row lost a message; each is reported where it is.
    if (rewrites < 2 && !fills) {
      for (const c of changed) this.report(c.parsed, c.sig, false, placeOf(c.row), when(c));
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
      if (added.has(c.row)) place.set(c.row, placeOf(c.row));
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
    const lost = shift || !fills ? [] : this.overwritten(fills, changed, added, asBefore);
    if (!lost.length) for (const c of rest) this.report(c.parsed, c.sig, false, place.get(c.row)!, when(c));
    else {
      const items = [
        ...rest.map((c) => ({ at: c.at, c, parsed: c.parsed, sig: c.sig })),
        ...lost.map((l) => ({ at: l.at, c: null, parsed: l.parsed, sig: l.sig })),
      ].sort((a, b) => a.at - b.at);
      for (const i of items)
        this.report(i.parsed, i.sig, false, i.c ? place.get(i.c.row)! : 'bottom', when(i));
    }
    // The new messages of a shift, in order. One that says what its row showed before (the same
    // words again, `k` messages later) left the row as it was: the shift shows it is new all the same.
    for (const row of fresh) {
      const c = changed.find((x) => x.row === row);
      if (c) this.report(c.parsed, c.sig, false, 'bottom', when(c));
      else {
        const parsed = this.adapter.parseRow(row);
        if (parsed) this.report(parsed, signatureOf(parsed), false, 'bottom', times[times.length - 1]!);
      }
    }
    for (const c of below) this.report(c.parsed, c.sig, false, 'bottom', when(c));
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
    asBefore: Map<Element, Node[] | null> | null,
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
      let kids: Node[] = asBefore?.get(c.row) ?? [...c.row.childNodes];
      for (let i = f.length - 1; i >= 0; i--) {
        kids = undo(kids, f[i]!.record);
        before[i] = kids;
      }
      const found: { at: number; parsed: ChatRow; sig: string }[] = [];
      for (let i = 0; i < f.length; i++) {
        if (!replacing(i) || !before[i]!.length) continue;
        const parsed = this.adapter.parseRow(this.copyOf(c.row, before[i]!));
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

  /**
   * The rows put in above rows that were already shown (the list scrolls back), of the `count` put
   * in and still in the list: one walk up from the bottom, which ends at the highest of them. Rows
   * in `later` were put in after the batch being read.
   */
  private aboveShown(added: Set<Element>, count: number, later: Set<Element> | null): Set<Element> | null {
    let out: Set<Element> | null = null;
    let shownBelow = false;
    let left = count;
    for (let n = this.list.lastElementChild; n && left > 0; n = n.previousElementSibling) {
      if (later?.has(n)) {
        // Put in (again) after this batch: not there yet when it was shown.
        if (added.has(n)) left--;
      } else if (added.has(n)) {
        left--;
        if (shownBelow) (out ??= new Set()).add(n);
      } else if (this.seen.has(n)) shownBelow = true;
    }
    return out;
  }

  private rowOf(node: Node): Element | null {
    let n: Node | null = node;
    while (n && n.parentNode !== this.list) n = n.parentNode;
    return n && n.nodeType === 1 ? (n as Element) : null;
  }

  /** A row of the backlog (already shown when the observer started). */
  private read(row: Element, now: number): void {
    const parsed = this.adapter.parseRow(row);
    if (!parsed) return;
    const sig = signatureOf(parsed);
    this.seen.set(row, sig);
    this.report(parsed, sig, true, 'bottom', now);
  }

  private report(parsed: ChatRow, signature: string, backlog: boolean, place: Place, seenAt: number): void {
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
    this.emit({ ...parsed, backlog, seenAt });
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
