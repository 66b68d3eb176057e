/**
 * What the background says to the offscreen recorder and what it answers. Both are extension
 * pages of this extension, so these never cross a trust boundary; they are still checked by shape,
 * because every extension page receives every `runtime.sendMessage`.
 */
export const RECORDER_TARGET = 'liveproof/video-recorder';

/** Seconds per recorder run: each segment is a playable WebM on its own. */
export const SEGMENT_MS = 30_000;
/** One MediaRecorder timeslice: a chunk a second, written to IndexedDB as it arrives. */
export const TIMESLICE_MS = 1000;
/** Bits per second for the video track: bounded, predictable disk use (≈ 11 MB a minute). */
export const VIDEO_BITS_PER_SECOND = 1_500_000;

export type RecorderCommand =
  | {
      target: typeof RECORDER_TARGET;
      op: 'start';
      tabId: number;
      streamId: string;
      recording: string;
      bufferMs: number;
    }
  | { target: typeof RECORDER_TARGET; op: 'stop'; tabId: number }
  /** Closes the running segment (so it can be kept) and starts the next one at once. */
  | { target: typeof RECORDER_TARGET; op: 'cut'; tabId: number }
  | { target: typeof RECORDER_TARGET; op: 'list' };

export type RecorderReply =
  | { ok: true; mimeType?: string; closed?: number | null; tabs?: number[] }
  | { ok: false; error: string; name?: string };

export function isRecorderCommand(m: unknown): m is RecorderCommand {
  return typeof m === 'object' && m !== null && (m as { target?: unknown }).target === RECORDER_TARGET;
}
