/**
 * The evidence database, in the extension's origin only (background and extension pages).
 * Versioned from the start: a later version adds stores or indexes with `this.version(n)`.
 */
import Dexie, { type Table } from 'dexie';
import type { EventType } from '../core/evidence';

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
  events!: Table<EventRow, [string, number]>;
  blobs!: Table<BlobRow, string>;
  keys!: Table<KeyRow, string>;
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
    // Version 4 (3 is another feature's): the video guard's rolling buffer.
    this.version(4).stores({ videoChunks: '++id, recording, [recording+segment]' });
  }
}
