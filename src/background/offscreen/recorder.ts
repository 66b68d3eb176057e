/**
 * The video guard's recorder, in an offscreen document (MV3 service workers have no MediaRecorder).
 * Per guarded tab: the tab's stream from its stream id, recorded in one-second WebM chunks that go
 * straight to IndexedDB (never minutes of video in memory). The recorder is restarted every segment
 * so that any run of whole segments plays on its own, and whole segments are deleted once they are
 * older than the buffer: disk use stays bounded however long the guard runs.
 */
import { EvidenceDb, type VideoChunkRow } from '../../db';
import { PROTOCOL_VERSION } from '../../core/protocol';
import {
  SEGMENT_MS,
  TIMESLICE_MS,
  VIDEO_BITS_PER_SECOND,
  isRecorderCommand,
  type RecorderCommand,
  type RecorderReply,
} from '../video-protocol';

const db = new EvidenceDb();

const MIME_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm'];

interface Segment {
  number: number;
  recorder: MediaRecorder;
  stopped: Promise<void>;
}

class TabRecorder {
  private current: Segment | null = null;
  private next = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private rotating: Promise<number | null> = Promise.resolve(null);
  private readonly closed: { number: number; end: number }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly audio = new AudioContext();
  private ended = false;

  constructor(
    readonly tabId: number,
    readonly recording: string,
    private readonly stream: MediaStream,
    readonly mimeType: string,
    private readonly bufferMs: number,
    private readonly onEnded: (cause: string) => void,
  ) {
    // Capturing a tab silences it for the user; play its sound back through this document.
    this.audio.createMediaStreamSource(stream).connect(this.audio.destination);
    for (const track of stream.getTracks())
      track.addEventListener('ended', () => this.end('ended'), { once: true });
    this.current = this.startSegment();
    this.timer = setInterval(() => void this.cut(), SEGMENT_MS);
  }

  private startSegment(): Segment {
    const number = this.next++;
    const recorder = new MediaRecorder(this.stream, {
      mimeType: this.mimeType,
      videoBitsPerSecond: VIDEO_BITS_PER_SECOND,
    });
    let chunk = 0;
    let last = Date.now();
    recorder.addEventListener('dataavailable', (e: BlobEvent) => {
      const end = Date.now();
      const start = last;
      last = end;
      if (!e.data.size) return;
      const row: VideoChunkRow = {
        recording: this.recording,
        tabId: this.tabId,
        segment: number,
        chunk: chunk++,
        start,
        end,
        mediatype: e.data.type || this.mimeType,
        bytes: e.data.size,
        blob: e.data,
      };
      this.writes = this.writes
        .then(() => db.videoChunks.add(row))
        .catch((err: unknown) => {
          console.error('[liveproof] video chunk not written', err);
          this.end('storage');
        });
    });
    recorder.addEventListener('error', () => this.end('recorder'));
    const stopped = new Promise<void>((resolve) =>
      recorder.addEventListener('stop', () => resolve(), { once: true }),
    );
    recorder.start(TIMESLICE_MS);
    return { number, recorder, stopped };
  }

  /** Closes the running segment and starts the next; resolves with the closed segment once written. */
  cut(): Promise<number | null> {
    this.rotating = this.rotating.then(async () => {
      const old = this.current;
      if (this.ended || !old) return null;
      // The next recorder starts before the old one stops: the segments overlap, never leave a gap.
      this.current = this.startSegment();
      await this.close(old);
      await this.rollOff();
      return old.number;
    });
    return this.rotating;
  }

  private async close(segment: Segment): Promise<void> {
    if (segment.recorder.state !== 'inactive') segment.recorder.stop();
    await segment.stopped; // after the last `dataavailable`
    await this.writes;
    this.closed.push({ number: segment.number, end: Date.now() });
  }

  /** Deletes whole segments that ended before the buffer's start. */
  private async rollOff(): Promise<void> {
    const cutoff = Date.now() - this.bufferMs;
    while (this.closed.length && this.closed[0]!.end < cutoff) {
      const { number } = this.closed.shift()!;
      await db.videoChunks.where('[recording+segment]').equals([this.recording, number]).delete();
    }
  }

  /** Stops recording and deletes the buffer: only what was kept (sealed) stays. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.rotating;
    this.ended = true;
    if (this.current) await this.close(this.current);
    this.current = null;
    for (const track of this.stream.getTracks()) track.stop();
    await this.audio.close().catch(() => undefined);
    await db.videoChunks.where('recording').equals(this.recording).delete();
  }

  private end(cause: string): void {
    if (this.ended) return;
    this.onEnded(cause);
  }
}

const recorders = new Map<number, TabRecorder>();

function tellBackground(tabId: number, cause: string): void {
  void chrome.runtime
    .sendMessage({ v: PROTOCOL_VERSION, name: 'video.ended', req: { tabId, cause } })
    .catch(() => undefined);
}

async function handle(cmd: RecorderCommand): Promise<RecorderReply> {
  if (cmd.op === 'list') return { ok: true, tabs: [...recorders.keys()] };
  if (cmd.op === 'start') {
    await recorders.get(cmd.tabId)?.stop();
    recorders.delete(cmd.tabId);
    const source = { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: cmd.streamId } };
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: source,
        video: source,
      } as unknown as MediaStreamConstraints);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      return { ok: false, name: e.name ?? 'Error', error: e.message ?? String(err) };
    }
    const mimeType = MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    if (!mimeType) {
      for (const track of stream.getTracks()) track.stop();
      return { ok: false, name: 'NotSupportedError', error: 'no WebM recorder' };
    }
    const recorder = new TabRecorder(cmd.tabId, cmd.recording, stream, mimeType, cmd.bufferMs, (cause) => {
      void (async () => {
        if (recorders.get(cmd.tabId) !== recorder) return;
        recorders.delete(cmd.tabId);
        await recorder.stop();
        tellBackground(cmd.tabId, cause);
      })();
    });
    recorders.set(cmd.tabId, recorder);
    return { ok: true, mimeType };
  }
  const recorder = recorders.get(cmd.tabId);
  if (!recorder) return { ok: false, name: 'NotRecording', error: 'not recording' };
  if (cmd.op === 'cut') return { ok: true, closed: await recorder.cut() };
  recorders.delete(cmd.tabId);
  await recorder.stop();
  return { ok: true };
}

chrome.runtime.onMessage.addListener((message: unknown, _sender, reply: (r: RecorderReply) => void) => {
  if (!isRecorderCommand(message)) return undefined;
  handle(message).then(reply, (err: unknown) =>
    reply({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
  return true;
});
