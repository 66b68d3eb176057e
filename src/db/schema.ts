/**
 * The evidence database, in the extension's origin only (background and extension pages).
 * Versioned from the start: a later version adds stores or indexes with `this.version(n)`.
 */
import Dexie, { type Table } from 'dexie';
import type { EventType, SealedEvent } from '../core/evidence';
import type { CaseFields, Mark, Moment, Redaction, SessionRange } from '../core/case/model';

export interface SessionRow {
  id: string;
  tabId: number;
  url: string;
  title: string;
  platform: string;
  adapter: string;
  startedAt: string;
  endedAt: string | null;
  status: 'open' | 'closed';
  /** Hash of `prev` for seq 0. */
  genesis: string;
  /** The last sealed event: -1 / genesis while the session is empty. */
  headSeq: number;
  headHash: string;
  counts: SessionCounts;
  /** The latest warnings (off-platform and price-trap detections), newest first, at most five. */
  warnings?: WarningSummary[];
  /** The anchor's name as the page last showed it (from `page` and `room` events). */
  anchor?: string;
  /** Sealing of what the page shows is paused (by the user, or because the disk is nearly full). */
  paused?: PauseState | null;
}

export interface PauseState {
  cause: 'user' | 'storage-full';
  /** When sealing stopped. */
  since: string;
}

export interface SessionCounts {
  events: number;
  chat: number;
  screenshots: number;
  /** `product` events: cards shown, changed or gone. */
  products?: number;
  /** All `detection` events. */
  detections?: number;
  /** Detections the shopper is warned about: off-platform (either tier) and price traps. */
  warnings?: number;
}

export interface WarningSummary {
  seq: number;
  time: string;
  category: string;
  tier?: string;
  rule: string;
  text: string;
  author?: string;
}

/** A sealed event as versions 1–4 stored it, one row each; version 5 moves them into pages. */
export interface EventRow {
  sessionId: string;
  seq: number;
  /** Transport identity of the observation; unique per session, used to drop resent duplicates. */
  key: string;
  type: EventType;
  time: string;
  data: Record<string, unknown>;
  prev: string;
  hash: string;
}

/**
 * Consecutive sealed events of one session in one row (version 5): IndexedDB's cost is per row far
 * more than per byte, so a page of up to `PAGE_EVENTS` events is written for about the price of one
 * (docs/storage.md). Pages are written once, never updated.
 */
export interface EventPage {
  sessionId: string;
  /** The first event's seq; the page holds `events.length` events from there, without gaps. */
  seq: number;
  events: SealedEvent[];
  /** Each event's transport key as `pageKey(sessionId, key)`, in a multi-entry index: resends are found by it. */
  keys: string[];
}

/** Events in a page at most: well below the size where Chromium stores a value as a blob of its own. */
export const PAGE_EVENTS = 64;

/** A transport key as the pages' `keys` index holds it. */
export const pageKey = (sessionId: string, key: string): string => `${sessionId}|${key}`;

/** Rows of version 4, in key order, as pages: a page ends at `PAGE_EVENTS`, a new session or a gap. */
function pagesOf(rows: readonly EventRow[]): EventPage[] {
  const pages: EventPage[] = [];
  for (const { sessionId, key, ...event } of rows) {
    const page = pages.at(-1);
    if (
      page &&
      page.sessionId === sessionId &&
      page.events.length < PAGE_EVENTS &&
      page.events.at(-1)!.seq + 1 === event.seq
    ) {
      page.events.push(event);
      page.keys.push(pageKey(sessionId, key));
    } else pages.push({ sessionId, seq: event.seq, events: [event], keys: [pageKey(sessionId, key)] });
  }
  return pages;
}

export interface BlobRow {
  sha256: string;
  mediatype: string;
  bytes: number;
  blob: Blob;
}

/**
 * The installation's signing key. The CryptoKey objects are stored as they are: IndexedDB's
 * structured clone keeps a non-extractable private key usable without ever exposing its bytes.
 */
export interface KeyRow {
  /** `install`: the one key this installation signs packages with. */
  id: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** SubjectPublicKeyInfo DER of the public key. */
  spki: Uint8Array;
  /** SHA-256 of `spki`, hex. */
  fingerprint: string;
  createdAt: string;
}

/** A case the user is putting together (version 3). Outside every chain: it edits no evidence. */
export interface CaseRow {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  fields: CaseFields;
  /** The sessions (or parts of them) the case is about, in the order picked. */
  ranges: SessionRange[];
  redaction: Redaction;
  /** Receipt ids in the order they were attached. */
  receipts: string[];
}

/** A receipt attached to a case: its bytes, typed by its first bytes and hashed on attach. */
export interface ReceiptRow {
  id: string;
  caseId: string;
  /** The file name on the user's disk (shown only). */
  name: string;
  label: string;
  mediatype: string;
  ext: string;
  sha256: string;
  bytes: number;
  blob: Blob;
  attachedAt: string;
  moment?: Moment;
}

/** A note or key-moment mark on a sealed event; the event itself is never changed. */
export type MarkRow = Mark;

/** What the user (or the retention setting) did to the evidence: deletions above all. */
export interface AuditRow {
  id?: number;
  time: string;
  action: 'session-deleted' | 'session-expired' | 'case-created' | 'case-deleted' | 'case-exported';
  /** The session or case it concerns. */
  subject: string;
  /** A line for people: the session's title and address, the package's name, the rule applied. */
  detail: string;
}

/**
 * One chunk of the video guard's rolling buffer (a MediaRecorder timeslice), written by the
 * offscreen recorder as it arrives and deleted, a whole segment at a time, as it rolls off. Kept
 * chunks are copied into `blobs` by their hash and sealed; these rows are never evidence themselves.
 */
export interface VideoChunkRow {
  id?: number;
  /** One guard run on one tab (a new id each time the guard is switched on). */
  recording: string;
  tabId: number;
  /** The recorder is restarted every segment, so each segment's chunks make a playable WebM. */
  segment: number;
  chunk: number;
  /** Milliseconds since the epoch (device clock). */
  start: number;
  end: number;
  mediatype: string;
  bytes: number;
  blob: Blob;
}

export const DB_NAME = 'liveproof';

export class EvidenceDb extends Dexie {
  sessions!: Table<SessionRow, string>;
  pages!: Table<EventPage, [string, number]>;
  blobs!: Table<BlobRow, string>;
  keys!: Table<KeyRow, string>;
  cases!: Table<CaseRow, string>;
  receipts!: Table<ReceiptRow, string>;
  marks!: Table<MarkRow, [string, number]>;
  audit!: Table<AuditRow, number>;
  videoChunks!: Table<VideoChunkRow, number>;

  constructor(name: string = DB_NAME) {
    super(name);
    this.version(1).stores({
      sessions: 'id, tabId, status, startedAt',
      events: '[sessionId+seq], &[sessionId+key]',
      blobs: 'sha256',
    });
    // Version 2: the signing key. Earlier stores are untouched; an upgrade only adds this one.
    this.version(2).stores({ keys: 'id' });
    // Version 3: cases, their receipts, marks beside the originals, and the audit log. Only adds stores.
    this.version(3).stores({
      cases: 'id, updatedAt',
      receipts: 'id, caseId',
      marks: '[session+seq], session',
      audit: '++id, time',
    });
    // Version 4: the video guard's rolling buffer. Only adds a store.
    this.version(4).stores({ videoChunks: '++id, recording, [recording+segment]' });
    // Version 5: events move into pages of consecutive events (one row per page, not per event).
    // The upgrade copies every stored event, unchanged, into pages; version 6 then drops the old store.
    this.version(5)
      .stores({ pages: '[sessionId+seq], *keys' })
      .upgrade(async (tx) => {
        const events = tx.table<EventRow, [string, number]>('events');
        let after: [string, number] | undefined;
        // A few thousand rows at a time, so that a large database is not read into memory at once.
        for (;;) {
          const rows = await (after ? events.where(':id').above(after) : events.toCollection())
            .limit(4096)
            .toArray();
          if (!rows.length) break;
          await tx.table<EventPage, [string, number]>('pages').bulkAdd(pagesOf(rows));
          const last = rows.at(-1)!;
          after = [last.sessionId, last.seq];
        }
      });
    this.version(6).stores({ events: null });
  }
}
