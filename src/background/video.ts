/**
 * The video guard: per tab, the tab's picture and sound recorded into a rolling buffer of the last
 * few minutes (by the offscreen recorder, straight into IndexedDB), and "keep" turning part of that
 * buffer into a sealed clip. Nothing else is kept: the buffer rolls over and is deleted when the
 * guard goes off.
 *
 * Keeping a clip: the recorder closes its running segment (so the clip reaches up to now), the
 * segments that overlap the wanted span are read, each chunk is hashed, its bytes stored under that
 * hash, and a `video` event per chunk is sealed in the tab's session chain.
 */
import { ProtocolError } from '../core/protocol';
import type { VideoReason } from '../core/evidence';
import { sha256Hex } from '../core/hash';
import { compactUtc, isoTime, randomHex } from '../core/time';
import type { EvidenceStore, SessionRow, VideoChunkRow } from '../db';
import type { KeyValueArea } from './tab-state';
import { RECORDER_TARGET, type RecorderCommand, type RecorderReply } from './video-protocol';

/** How much the buffer holds (whole segments are dropped after this, so up to a segment more). */
export const BUFFER_MS = 3 * 60_000;
/** "Save the last two minutes". */
export const SAVE_MS = 2 * 60_000;
/** A warning keeps the minute around it: this much before it, and the rest after. */
export const DETECTION_BEFORE_MS = 40_000;
export const DETECTION_AFTER_MS = 20_000;

export interface VideoStatus {
  on: boolean;
  /** When the guard went on (ISO), while it is on. */
  since: string | null;
  /** Seconds of video in the buffer now. */
  buffered: number;
  bufferSeconds: number;
  /** Why the guard went off by itself (the tab closed, the stream ended), until it is switched on again. */
  stoppedBecause: string | null;
}

export interface SavedClip {
  clip: string;
  chunks: number;
  seconds: number;
  /** The `seq` of the clip's first sealed chunk. */
  seq: number;
}

interface GuardState {
  recording: string;
  since: string;
}

export interface VideoDeps {
  store: EvidenceStore;
  /** `storage.session`: the guard outlives a stopped service worker, not the browser. */
  area: KeyValueArea;
  getTab(tabId: number): Promise<{ active: boolean; url?: string } | null>;
  /** `tabCapture.getMediaStreamId`; Chrome refuses unless the user invoked the extension on the tab. */
  streamIdFor(tabId: number): Promise<string>;
  /** Creates the offscreen recorder document if it is not there. */
  ensureRecorder(): Promise<void>;
  closeRecorder(): Promise<void>;
  command(cmd: RecorderCommand): Promise<RecorderReply>;
  openSession(tabId: number): Promise<SessionRow | null>;
  /** Starts preserving the tab (the clip is sealed in its session). */
  startPreserving(tabId: number): Promise<void>;
  /** The badge while recording. */
  indicate(tabId: number, on: boolean): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const stateKey = (tabId: number) => `video:${tabId}`;
const endedKey = (tabId: number) => `video-ended:${tabId}`;

export class VideoGuard {
  private readonly pendingDetections = new Map<number, number>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: VideoDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private async state(tabId: number): Promise<GuardState | undefined> {
    return (await this.deps.area.get(stateKey(tabId)))[stateKey(tabId)] as GuardState | undefined;
  }

  async status(tabId: number): Promise<VideoStatus> {
    const s = await this.state(tabId);
    const ended = (await this.deps.area.get(endedKey(tabId)))[endedKey(tabId)] as string | undefined;
    let buffered = 0;
    if (s) {
      const rows = await this.deps.store.db.videoChunks.where('recording').equals(s.recording).toArray();
      buffered = bufferedSeconds(rows);
    }
    return {
      on: !!s,
      since: s?.since ?? null,
      buffered,
      bufferSeconds: BUFFER_MS / 1000,
      stoppedBecause: s ? null : (ended ?? null),
    };
  }

  /** Switches the guard on for a tab; must run in the turn of the user's gesture (popup, command). */
  async start(tabId: number): Promise<VideoStatus> {
    if (await this.state(tabId)) return this.status(tabId);
    const tab = await this.deps.getTab(tabId);
    if (!tab) throw new ProtocolError('tab-not-found');
    if (!tab.url || !/^https?:\/\//i.test(tab.url)) throw new ProtocolError('unsupported-page');
    if (!tab.active) throw new ProtocolError('video-background-tab');
    // The stream id first: Chrome accepts it only close to the gesture.
    let streamId: string;
    try {
      streamId = await this.deps.streamIdFor(tabId);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ProtocolError(
        /invoked|activeTab/i.test(message) ? 'video-not-invoked' : 'video-unavailable',
        message,
      );
    }
    if (!(await this.deps.openSession(tabId))) await this.deps.startPreserving(tabId);
    await this.deps.ensureRecorder();
    const recording = `${tabId}-${randomHex(6)}`;
    const reply = await this.deps.command({
      target: RECORDER_TARGET,
      op: 'start',
      tabId,
      streamId,
      recording,
      bufferMs: BUFFER_MS,
    });
    if (!reply.ok) {
      await this.closeRecorderIfIdle();
      throw new ProtocolError('video-unavailable', `${reply.name ?? 'Error'}: ${reply.error}`);
    }
    await this.deps.area.remove(endedKey(tabId));
    await this.deps.area.set({ [stateKey(tabId)]: { recording, since: isoTime(new Date(this.now())) } });
    this.deps.indicate(tabId, true);
    return this.status(tabId);
  }

  async stop(tabId: number): Promise<VideoStatus> {
    if (await this.state(tabId)) {
      await this.deps.command({ target: RECORDER_TARGET, op: 'stop', tabId }).catch(() => undefined);
      await this.forget(tabId);
      await this.closeRecorderIfIdle();
    }
    return this.status(tabId);
  }

  /** The recorder stopped by itself (the tab closed, the stream ended, storage failed). */
  async ended(tabId: number, cause: string): Promise<void> {
    await this.forget(tabId);
    await this.deps.area.set({ [endedKey(tabId)]: cause });
    await this.closeRecorderIfIdle();
  }

  async tabClosed(tabId: number): Promise<void> {
    if (await this.state(tabId)) await this.stop(tabId);
    await this.deps.area.remove(endedKey(tabId));
  }

  private async forget(tabId: number): Promise<void> {
    await this.deps.area.remove(stateKey(tabId));
    this.deps.indicate(tabId, false);
  }

  private async closeRecorderIfIdle(): Promise<void> {
    const list = await this.deps.command({ target: RECORDER_TARGET, op: 'list' }).catch(() => null);
    if (list?.ok && !list.tabs?.length) await this.deps.closeRecorder().catch(() => undefined);
  }

  /** Keeps the last two minutes (or the span given) as a clip sealed in the tab's session. */
  async save(
    tabId: number,
    reason: VideoReason,
    span: { from: number; to: number } = { from: this.now() - SAVE_MS, to: this.now() },
    source?: number,
  ): Promise<SavedClip> {
    const s = await this.state(tabId);
    if (!s) throw new ProtocolError('video-off');
    let session = await this.deps.openSession(tabId);
    for (let i = 0; !session && i < 20; i++) {
      await this.sleep(250); // a session just asked for is sealed when its page connects
      session = await this.deps.openSession(tabId);
    }
    if (!session) throw new ProtocolError('not-preserving');
    const cut = await this.deps.command({ target: RECORDER_TARGET, op: 'cut', tabId });
    if (!cut.ok || cut.closed === null || cut.closed === undefined)
      throw new ProtocolError('video-unavailable', cut.ok ? 'nothing recorded' : cut.error);
    const last = cut.closed;
    const rows = (await this.deps.store.db.videoChunks.where('recording').equals(s.recording).toArray())
      .filter((r) => r.segment <= last)
      .sort((a, b) => a.segment - b.segment || a.chunk - b.chunk);
    const bySegment = new Map<number, VideoChunkRow[]>();
    for (const r of rows) bySegment.set(r.segment, [...(bySegment.get(r.segment) ?? []), r]);
    const kept = [...bySegment.values()]
      .filter((seg) => seg[seg.length - 1]!.end >= span.from && seg[0]!.start <= span.to)
      .flat();
    if (!kept.length) throw new ProtocolError('video-empty');

    const clip = `${compactUtc(new Date(this.now()))}-${randomHex(3)}`;
    const first = kept[0]!.segment;
    const drafts = [];
    for (const r of kept) {
      const bytes = new Uint8Array(await r.blob.arrayBuffer());
      const sha256 = await sha256Hex(bytes);
      await this.deps.store.putBlob(sha256, 'video/webm', bytes);
      drafts.push({
        key: `video:${clip}:${r.segment}:${r.chunk}`,
        type: 'video' as const,
        time: isoTime(new Date(this.now())),
        data: {
          clip,
          segment: r.segment - first,
          chunk: r.chunk,
          sha256,
          bytes: bytes.length,
          mediatype: r.mediatype.slice(0, 100),
          start: isoTime(new Date(r.start)),
          end: isoTime(new Date(r.end)),
          reason,
          ...(source !== undefined ? { source } : {}),
        },
      });
    }
    const { sealed } = await this.deps.store.append(session.id, drafts);
    return {
      clip,
      chunks: kept.length,
      seconds: Math.round((kept[kept.length - 1]!.end - kept[0]!.start) / 1000),
      seq: sealed[0]?.seq ?? -1,
    };
  }

  /**
   * A `block`-tier detection or a price trap was sealed: while the guard is on, the minute around it
   * is kept, once the part after it has been recorded. Warnings close together share one clip.
   */
  detected(tabId: number, seq: number): Promise<void> {
    const at = this.now();
    const until = this.pendingDetections.get(tabId);
    if (until !== undefined && at <= until) return Promise.resolve();
    const mine = at + DETECTION_AFTER_MS;
    this.pendingDetections.set(tabId, mine);
    return (async () => {
      try {
        if (!(await this.state(tabId))) return;
        await this.sleep(DETECTION_AFTER_MS);
        await this.save(tabId, 'detection', { from: at - DETECTION_BEFORE_MS, to: mine }, seq);
      } catch (err) {
        console.warn('[liveproof] video for a warning', err);
      } finally {
        if (this.pendingDetections.get(tabId) === mine) this.pendingDetections.delete(tabId);
      }
    })();
  }
}

/** Seconds covered by the buffered chunks (segments overlap by a moment; that is not counted twice). */
export function bufferedSeconds(rows: readonly Pick<VideoChunkRow, 'start' | 'end'>[]): number {
  const spans = rows.map((r) => [r.start, r.end] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of spans) {
    const from = Math.max(start, reach);
    if (end > from) total += end - from;
    reach = Math.max(reach, end);
  }
  return Math.round(total / 1000);
}
