/**
 * Sealing on arrival: events are hashed into their session's chain and written once, never updated.
 * Appends to one session run one after another; a batch is written in one transaction together with
 * the session's new head, so a worker killed mid-write leaves either all of the batch or none.
 *
 * Group commit: appends that wait behind a running one (the page sends faster than the database
 * writes) are sealed and written together, in one read and one write transaction, and each caller
 * still learns what became of its own events. A transaction costs milliseconds and a row a fraction
 * of one (docs/performance.md §IndexedDB writes), so batches grow exactly when writes fall behind.
 */
import Dexie from 'dexie';
import { sealAfter, emptyHead, type Unsealed } from '../core/chain';
import type { SealedEvent } from '../core/evidence';
import { isoTime } from '../core/time';
import {
  PAGE_EVENTS,
  pageKey,
  type EvidenceDb,
  type EventPage,
  type PauseState,
  type SessionRow,
  type WarningSummary,
} from './schema';

export interface Keyed extends Unsealed {
  key: string;
}

export interface AppendResult {
  sealed: SealedEvent[];
  duplicates: number;
}

export class StorageFullError extends Error {
  constructor(cause: unknown) {
    super('storage full', { cause });
  }
}

export class SessionClosedError extends Error {}

/** The session is paused: what the page shows is not sealed until it resumes. */
export class SessionPausedError extends Error {
  constructor(readonly pause: PauseState) {
    super(`session paused (${pause.cause})`);
  }
}

/** Event types a pause stops; the background's own records (page, notes, stamps, the end) go on. */
const PAUSED_TYPES = new Set(['chat', 'product', 'room', 'screenshot', 'screenshot-missed']);

const MAX_WARNINGS = 5;

/** Events written together at most: bounds a transaction's size and what a crash mid-write undoes. */
const GROUP_EVENTS = 2000;

/** One caller's append, waiting to be written with the others queued beside it. */
interface Request {
  drafts: readonly Keyed[];
  resolve(result: AppendResult): void;
  reject(err: unknown): void;
}

/** Detections the shopper is warned about: any off-platform solicitation, and price traps. */
export function isWarning(data: Record<string, unknown>): boolean {
  return data.category === 'off-platform' || data.category === 'price-trap';
}

function warningOf(e: SealedEvent): WarningSummary | null {
  const d = e.data;
  if (!isWarning(d)) return null;
  return {
    seq: e.seq,
    time: e.time,
    category: String(d.category),
    ...(typeof d.tier === 'string' ? { tier: d.tier } : {}),
    rule: String(d.rule),
    text: String(d.text).slice(0, 300),
    ...(typeof d.author === 'string' && d.author ? { author: d.author } : {}),
  };
}

/**
 * The quota is exceeded, or the disk itself is full: Chromium reports a full disk while writing a
 * blob as `DataError: Failed to write blobs (IOError)` (measured on a full tmpfs, docs/storage.md).
 */
export function isQuotaError(err: unknown): boolean {
  const errors = [err, (err as { inner?: unknown })?.inner] as { name?: string; message?: string }[];
  return errors.some(
    (e) =>
      e?.name === 'QuotaExceededError' ||
      ((e?.name === 'DataError' || e?.name === 'UnknownError') &&
        /IOError|no space|disk (is )?full/i.test(String(e?.message))),
  );
}

function anchorOf(e: SealedEvent): string | undefined {
  const d = e.data as { anchorName?: unknown; room?: { anchorName?: unknown } };
  const name = e.type === 'room' ? d.anchorName : e.type === 'page' ? d.room?.anchorName : undefined;
  return typeof name === 'string' && name ? name : undefined;
}

/** A guess of `EvidenceStore.commit` was wrong: the write transaction aborts and nothing is written. */
class GuessWrong extends Error {}

/** The session's counts, latest warnings and anchor after `sealed`. */
function tally(
  session: SessionRow,
  sealed: readonly SealedEvent[],
): Pick<SessionRow, 'counts' | 'warnings' | 'anchor'> {
  const counts = { ...session.counts };
  let warnings = session.warnings;
  let anchor = session.anchor;
  for (const e of sealed) {
    anchor = anchorOf(e) ?? anchor;
    counts.events++;
    if (e.type === 'chat') counts.chat++;
    else if (e.type === 'screenshot') counts.screenshots++;
    else if (e.type === 'product') counts.products = (counts.products ?? 0) + 1;
    else if (e.type === 'detection') {
      counts.detections = (counts.detections ?? 0) + 1;
      const w = warningOf(e);
      if (w) {
        counts.warnings = (counts.warnings ?? 0) + 1;
        warnings = [w, ...(warnings ?? [])].slice(0, MAX_WARNINGS);
      }
    }
  }
  return { counts, ...(warnings ? { warnings } : {}), ...(anchor ? { anchor } : {}) };
}

export class EvidenceStore {
  private queues = new Map<string, Promise<unknown>>();
  /** Per session, the head this store wrote last (while open and not paused): see `commit`. */
  private heads = new Map<string, { headSeq: number; headHash: string }>();
  /** Per session, the appends queued and not started yet, which a later append may join. */
  private waiting = new Map<string, { requests: Request[]; events: number }>();

  constructor(readonly db: EvidenceDb) {}

  /** Runs `task` after every earlier task of the same session; later appends queue behind it. */
  private serial<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    this.waiting.delete(sessionId);
    const prev = this.queues.get(sessionId) ?? Promise.resolve();
    const next = prev.then(task, task);
    this.queues.set(
      sessionId,
      next.catch(() => undefined),
    );
    return next;
  }

  async createSession(
    row: Omit<SessionRow, 'genesis' | 'headSeq' | 'headHash' | 'counts' | 'status' | 'endedAt'>,
  ): Promise<SessionRow> {
    const head = await emptyHead(row.id);
    const session: SessionRow = {
      ...row,
      status: 'open',
      endedAt: null,
      genesis: head.hash,
      headSeq: head.seq,
      headHash: head.hash,
      counts: { events: 0, chat: 0, screenshots: 0, products: 0, detections: 0, warnings: 0 },
    };
    await this.guard(() => this.db.sessions.add(session));
    return session;
  }

  /**
   * Seals and stores `drafts` after the session's head, dropping those whose key is already stored
   * (here or earlier in the same group). Resolves with this call's own events once they are stored.
   */
  append(sessionId: string, drafts: readonly Keyed[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      const request = { drafts, resolve, reject };
      const group = this.waiting.get(sessionId);
      if (group && group.events + drafts.length <= GROUP_EVENTS) {
        group.requests.push(request);
        group.events += drafts.length;
        return;
      }
      const next = { requests: [request], events: drafts.length };
      void this.serial(sessionId, async () => {
        if (this.waiting.get(sessionId) === next) this.waiting.delete(sessionId);
        let results: (AppendResult | Error)[];
        try {
          results = await this.commit(
            sessionId,
            next.requests.map((r) => r.drafts),
          );
        } catch (err) {
          for (const r of next.requests) r.reject(err);
          return;
        }
        next.requests.forEach((r, i) => {
          const result = results[i]!;
          if (result instanceof Error) r.reject(result);
          else r.resolve(result);
        });
      });
      this.waiting.set(sessionId, next);
    });
  }

  /** One batch alone (the background's own records: the end, a pause, a resume). */
  private async appendNow(
    sessionId: string,
    drafts: readonly Keyed[],
    closing = false,
    paused?: PauseState | null,
  ): Promise<AppendResult> {
    const [result] = await this.commit(sessionId, [drafts], closing, paused);
    if (result instanceof Error) throw result;
    return result!;
  }

  /**
   * Seals the batches after the session's head, in order, and writes them in one transaction with
   * the new head. A batch the session refuses (paused) gets its error and the others go on; a failed
   * write fails them all, and nothing of any of them is stored.
   *
   * When this store wrote the session's head last, it first assumes that head and that none of the
   * keys is stored (a content script numbers its keys upwards) and checks both inside the write
   * transaction: one transaction instead of two. If either guess is wrong, nothing is written and the
   * batches go the careful way: read the head and the stored keys, then write.
   */
  private async commit(
    sessionId: string,
    batches: readonly (readonly Keyed[])[],
    closing = false,
    paused?: PauseState | null,
  ): Promise<(AppendResult | Error)[]> {
    const keys = [...new Set(batches.flatMap((b) => b.map((d) => pageKey(sessionId, d.key))))].sort();
    const head = this.heads.get(sessionId);
    this.heads.delete(sessionId);
    if (head && !closing && paused === undefined) {
      const done = await this.write(sessionId, batches, keys, { ...head, paused: null }, new Set(), {
        guessed: true,
      });
      if (done) return done;
    }
    const [session, existing] = await this.db.transaction('r', this.db.sessions, this.db.pages, () =>
      Promise.all([this.db.sessions.get(sessionId), storedKeys(this.db, keys)]),
    );
    if (!session) throw new SessionClosedError(`no session ${sessionId}`);
    if (session.status !== 'open') throw new SessionClosedError(`session ${sessionId} is closed`);
    return (await this.write(sessionId, batches, keys, session, new Set(existing), { closing, paused }))!;
  }

  /**
   * Seals what of `batches` is not in `known` after `base`'s head and writes it. With `guessed`, the
   * head and "no key stored" are guesses checked in the write transaction: null when one was wrong.
   */
  private async write(
    sessionId: string,
    batches: readonly (readonly Keyed[])[],
    keys: readonly string[],
    base: Pick<SessionRow, 'headSeq' | 'headHash' | 'paused'>,
    known: Set<string>,
    how: { guessed?: boolean; closing?: boolean; paused?: PauseState | null },
  ): Promise<(AppendResult | Error)[] | null> {
    const { guessed = false, closing = false, paused } = how;
    const fresh: Keyed[] = [];
    const parts = batches.map((drafts): { from: number; to: number; duplicates: number } | Error => {
      if (base.paused && paused === undefined && drafts.some((d) => PAUSED_TYPES.has(d.type)))
        return new SessionPausedError(base.paused);
      const from = fresh.length;
      for (const d of drafts) {
        const key = pageKey(sessionId, d.key);
        if (known.has(key)) continue;
        known.add(key);
        fresh.push(d);
      }
      return { from, to: fresh.length, duplicates: drafts.length - (fresh.length - from) };
    });
    const outcome = (sealed: SealedEvent[]) =>
      parts.map((p) =>
        p instanceof Error ? p : { sealed: sealed.slice(p.from, p.to), duplicates: p.duplicates },
      );
    if (!fresh.length) return guessed ? null : outcome([]);

    const sealed = await sealAfter({ seq: base.headSeq, hash: base.headHash }, fresh);
    const pages: EventPage[] = [];
    for (let i = 0; i < sealed.length; i += PAGE_EVENTS)
      pages.push({
        sessionId,
        seq: sealed[i]!.seq,
        events: sealed.slice(i, i + PAGE_EVENTS),
        keys: fresh.slice(i, i + PAGE_EVENTS).map((d) => pageKey(sessionId, d.key)),
      });
    const last = sealed[sealed.length - 1]!;
    try {
      await this.guard(() =>
        this.db.transaction('rw', this.db.sessions, this.db.pages, async () => {
          // Requests issued together run back to back in the database: each round trip costs.
          const [current, taken] = await Promise.all([
            this.db.sessions.get(sessionId),
            guessed ? storedKeys(this.db, keys).then((stored) => stored.length) : 0,
          ]);
          if (
            guessed &&
            (!current ||
              current.headSeq !== base.headSeq ||
              current.status !== 'open' ||
              current.paused ||
              taken)
          )
            throw new GuessWrong();
          // Only this queue writes a session's head; a mismatch means two writers, which must not seal.
          if (!current || current.headSeq !== base.headSeq) throw new Error('session head moved');
          await Promise.all([
            this.db.pages.bulkAdd(pages),
            this.db.sessions.put({
              ...current,
              headSeq: last.seq,
              headHash: last.hash,
              ...tally(current, sealed),
              ...(paused !== undefined ? { paused } : {}),
              ...(closing ? { status: 'closed' as const, endedAt: last.time } : {}),
            }),
          ]);
        }),
      );
    } catch (err) {
      if (err instanceof GuessWrong) return null;
      throw err;
    }
    if (!closing && !(paused ?? base.paused))
      this.heads.set(sessionId, { headSeq: last.seq, headHash: last.hash });
    return outcome(sealed);
  }

  /** Seals the session's end and closes it; a closed session takes no more events. */
  close(
    sessionId: string,
    cause: 'tab-closed' | 'navigated' | 'stopped-by-user' | 'browser-restarted',
  ): Promise<boolean> {
    return this.serial(sessionId, async () => {
      const session = await this.db.sessions.get(sessionId);
      if (!session || session.status !== 'open') return false;
      const end = { key: `end:${sessionId}`, type: 'session-end' as const, time: isoTime(), data: { cause } };
      await this.appendNow(sessionId, [end], true);
      return true;
    });
  }

  /**
   * Pauses the session: seals a `pause` event and stops sealing what the page shows until `resume`.
   * False when it is closed or already paused.
   */
  pause(sessionId: string, cause: PauseState['cause']): Promise<boolean> {
    return this.serial(sessionId, async () => {
      const session = await this.db.sessions.get(sessionId);
      if (!session || session.status !== 'open' || session.paused) return false;
      const since = isoTime();
      const draft = { key: `pause:${since}`, type: 'pause' as const, time: since, data: { cause } };
      await this.appendNow(sessionId, [draft], false, { cause, since });
      return true;
    });
  }

  /**
   * Seals a `resume` event and lets the page's events in again. `since` says when sealing stopped
   * when no pause could be written (the disk was full); otherwise the pause's own time is used.
   * False when it is closed or was not stopped.
   */
  resume(sessionId: string, cause: PauseState['cause'], since?: string): Promise<boolean> {
    return this.serial(sessionId, async () => {
      const session = await this.db.sessions.get(sessionId);
      if (!session || session.status !== 'open') return false;
      if (session.paused && session.paused.cause !== cause) return false;
      const from = session.paused?.since ?? since;
      if (!from) return false;
      const time = isoTime();
      const draft = { key: `resume:${time}`, type: 'resume' as const, time, data: { cause, since: from } };
      await this.appendNow(sessionId, [draft], false, null);
      return true;
    });
  }

  async putBlob(sha256: string, mediatype: string, bytes: Uint8Array): Promise<void> {
    await this.guard(() =>
      this.db.blobs.put({
        sha256,
        mediatype,
        bytes: bytes.length,
        blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediatype }),
      }),
    );
  }

  private async guard<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isQuotaError(err)) throw new StorageFullError(err);
      throw err;
    }
  }
}

/**
 * Which of `keys` (as `pageKey` makes them, sorted) are stored. When nothing is stored between the
 * first and the last of them, one count says so; otherwise they are looked up by a cursor that jumps
 * from one of them to the next. Keys sort as strings, so an older key often lies between a batch's
 * own (`…:25` and `…:246` between `…:2452` and `…:2510`): the count alone would take that for a
 * stored key of the batch.
 */
export async function storedKeys(db: EvidenceDb, keys: readonly string[]): Promise<string[]> {
  if (!keys.length) return [];
  const index = db.pages.where('keys');
  if (!(await index.between(keys[0]!, keys.at(-1)!, true, true).count())) return [];
  return (await db.pages.where('keys').anyOf(keys).keys()) as string[];
}

/** Pages read at a time by `readSessionEvents` (4,096 events at most, about 1.5 MB as stored). */
export const READ_PAGES = 64;

/**
 * Every sealed event of a session, in order, read in one read transaction (the caller's, if it has
 * one with `pages`) a few dozen pages at a time. One `toArray` of a busy hour's 1,600 pages made
 * Chromium's browser process hold all their values at once to send them (+50–100 MiB for 100,000
 * events, freed right after), on top of what the page then held: in slices, what is in transit at
 * any moment is a slice (docs/performance.md, "Memory in the browser").
 */
export async function readSessionEvents(db: EvidenceDb, sessionId: string): Promise<SealedEvent[]> {
  return db.transaction('r', db.pages, async () => {
    const events: SealedEvent[] = [];
    let from: [string, number] = [sessionId, Dexie.minKey as number];
    for (;;) {
      const pages = await db.pages
        .where('[sessionId+seq]')
        .between(from, [sessionId, Dexie.maxKey], false, true)
        .limit(READ_PAGES)
        .toArray();
      for (const p of pages) for (const e of p.events) events.push(e);
      if (pages.length < READ_PAGES) return events;
      from = [sessionId, pages.at(-1)!.seq];
    }
  });
}

/** One sealed event of a session by its seq, or undefined. */
export async function readEvent(
  db: EvidenceDb,
  sessionId: string,
  seq: number,
): Promise<SealedEvent | undefined> {
  const page = await db.pages
    .where('[sessionId+seq]')
    .between([sessionId, Dexie.minKey], [sessionId, seq], true, true)
    .last();
  return page?.events[seq - page.seq];
}
