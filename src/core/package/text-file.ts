/**
 * A big text file of the package (events.jsonl, chat.csv, report.html) written as it is made: its
 * text is encoded straight into one UTF-8 buffer, each new megabyte goes to the deflater at once, and
 * the CRC-32 comes from the deflater's own gzip trailer (native zlib). No whole-file string is ever
 * built, and once finished the file is held only deflated (see docs/performance.md, "Export
 * benchmark", and docs/architecture.md).
 *
 * The bytes are the same as `utf8(wholeText)`; only the work is spread out.
 */
import { sha256Hex } from '../hash';

const CHUNK = 1 << 20;
/** Text gathered before it is encoded: one `encodeInto` call per ~32k characters, not per line. */
const PENDING = 1 << 15;

/** A file already in its ZIP form: `zipPackage` writes it as it is. */
export interface PackedFile {
  path: string;
  mediatype: string;
  /** Uncompressed size in bytes. */
  size: number;
  sha256: string;
  crc: number;
  /** 8 = deflated, 0 = stored (the deflater did not make it smaller, or a picture). */
  method: 0 | 8;
  /** What the ZIP holds; a `Blob` (a screenshot as IndexedDB keeps it) is not read again to be zipped. */
  data: Uint8Array | Blob;
}

const encoder = new TextEncoder();

/**
 * One turn of the event loop, unthrottled (a nested `setTimeout` waits 4 ms in a browser): Node's
 * `setImmediate`, else Chromium's `scheduler.yield()`, else a message to ourselves. The locker page
 * repaints its progress bar meanwhile.
 */
const yieldToLoop: () => Promise<void> = (() => {
  if (typeof setImmediate === 'function') return () => new Promise<void>((resolve) => setImmediate(resolve));
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return () => scheduler.yield!();
  return () =>
    new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
})();

/**
 * The raw deflate stream, CRC-32 and size out of a gzip member (RFC 1952), checking each field: the
 * header's optional parts are skipped whatever the platform's `CompressionStream` puts there.
 */
export function ungzip(gz: Uint8Array): { deflated: Uint8Array; crc: number; size: number } {
  if (gz.length < 18 || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8) throw new Error('not a gzip stream');
  const flags = gz[3]!;
  let at = 10;
  if (flags & 4) at += 2 + (gz[at]! | (gz[at + 1]! << 8)); // FEXTRA
  if (flags & 8) while (gz[at++] !== 0 && at < gz.length); // FNAME
  if (flags & 16) while (gz[at++] !== 0 && at < gz.length); // FCOMMENT
  if (flags & 2) at += 2; // FHCRC
  const end = gz.length - 8;
  if (at > end) throw new Error('not a gzip stream');
  const v = new DataView(gz.buffer, gz.byteOffset + end, 8);
  return { deflated: gz.subarray(at, end), crc: v.getUint32(0, true), size: v.getUint32(4, true) };
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Deflates chunks as they come, on the platform's zlib; the gzip wrapper's trailer gives the CRC. */
class Deflater {
  private readonly stream = new CompressionStream('gzip');
  private readonly writer = this.stream.writable.getWriter();
  private readonly out = collect(this.stream.readable);
  private failed: unknown;

  /** Chunks handed over and not yet deflated. */
  private behind = 0;

  write(chunk: Uint8Array): void {
    this.behind++;
    this.writer.write(chunk as Uint8Array<ArrayBuffer>).then(
      () => this.behind--,
      (e: unknown) => (this.failed ??= e),
    );
  }

  /**
   * Gives the deflater its turn: in Node its zlib runs on another thread and only needs the event
   * loop to be handed the next chunk, so a producer just yields; a deflater far behind is waited for.
   */
  async drain(): Promise<void> {
    if (this.behind > 8) await this.writer.ready;
    else if (this.behind > 0) await yieldToLoop();
  }

  async close(size: number): Promise<{ deflated: Uint8Array; crc: number }> {
    await this.writer.close();
    const gz = await this.out;
    if (this.failed) throw this.failed;
    const { deflated, crc, size: isize } = ungzip(gz);
    if (isize !== size >>> 0) throw new Error(`deflater saw ${isize} bytes, not ${size}`);
    return { deflated, crc };
  }
}

/** Deflates `bytes` in one go: raw deflate and CRC-32, both from native zlib. */
export async function deflateWithCrc(bytes: Uint8Array): Promise<{ deflated: Uint8Array; crc: number }> {
  const d = new Deflater();
  d.write(bytes);
  return d.close(bytes.length);
}

export class TextFile {
  /** The file so far, in one buffer: joined already when it is hashed, and returned to the system whole. */
  private buffer: Uint8Array;
  private used = 0;
  /** How much of `buffer` the deflater has been given. */
  private given = 0;
  private pending = '';
  private readonly deflater = new Deflater();

  /**
   * @param expected a guess at the size in bytes: space for it is reserved at once (pages never written
   *   cost no memory), and the buffer grows if the guess was short
   */
  constructor(
    readonly path: string,
    readonly mediatype: string,
    expected = CHUNK,
  ) {
    this.buffer = new Uint8Array(Math.max(CHUNK, Math.ceil(expected)));
  }

  /** Appends text (the UTF-8 of it). */
  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= PENDING) this.encode();
  }

  /**
   * Lets the deflater take the chunks handed to it when it is behind (in Node its zlib runs on
   * another thread: the text of the next chunk is made meanwhile). Call it between rows.
   */
  drain(): Promise<void> {
    return this.deflater.drain();
  }

  private encode(): void {
    let text = this.pending;
    this.pending = '';
    while (text.length) {
      // Room for the whole text even if every UTF-16 unit takes 3 bytes, so one call encodes it all.
      if (this.buffer.length - this.used < text.length * 3) this.grow(text.length * 3);
      const { read, written } = encoder.encodeInto(text, this.buffer.subarray(this.used));
      this.used += written;
      text = read < text.length ? text.slice(read) : '';
    }
    if (this.used - this.given >= CHUNK) this.give();
  }

  private grow(room: number): void {
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.used + room));
    next.set(this.buffer.subarray(0, this.used));
    // The deflater may still hold views of the old buffer: they stay valid, and it goes when they do.
    this.buffer = next;
  }

  /** Hands what was written since the last time to the deflater. */
  private give(): void {
    if (this.used === this.given) return;
    this.deflater.write(this.buffer.subarray(this.given, this.used));
    this.given = this.used;
  }

  /** The file in its ZIP form, with its SHA-256; the text is no longer held after this. */
  async finish(): Promise<PackedFile & { data: Uint8Array }> {
    this.encode();
    this.give();
    const size = this.used;
    const whole = this.buffer.subarray(0, size);
    this.buffer = new Uint8Array(0);
    // WebCrypto has no incremental SHA-256 but is much faster than one in JavaScript: the file's
    // bytes are hashed once they are all there, while the deflater finishes.
    const [{ deflated, crc }, sha256] = await Promise.all([this.deflater.close(size), sha256Hex(whole)]);
    const stored = size === 0 || deflated.length >= size;
    return {
      path: this.path,
      mediatype: this.mediatype,
      size,
      sha256,
      crc,
      method: stored ? 0 : 8,
      // A stored file keeps a copy of its size, not the whole reserved buffer.
      data: stored ? whole.slice() : deflated,
    };
  }
}
