/**
 * A big text file of the package (events.jsonl, chat.csv, report.html) written as it is made: its
 * text is encoded straight into UTF-8 chunks of a megabyte, each chunk goes to the deflater and to
 * an incremental SHA-256 as soon as it is full, and the CRC-32 comes from the deflater's own gzip
 * trailer (native zlib). No whole-file string or buffer is ever built, and once finished the file is
 * held only deflated (see docs/performance.md, "Export benchmark" and "Memory in the browser", and
 * docs/architecture.md).
 *
 * The bytes are the same as `utf8(wholeText)`; only the work is spread out.
 */
import { concatBytes } from '../bytes';
import { createIncrementalSha256, type IncrementalSha256 } from '../hash-stream';

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
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return concatBytes(parts);
}

/** Deflates chunks as they come, on the platform's zlib; the gzip wrapper's trailer gives the CRC. */
class Deflater {
  private readonly stream = new CompressionStream('gzip');
  private readonly writer = this.stream.writable.getWriter();
  private readonly out = collect(this.stream.readable);
  private failed: unknown;

  /** Hands a chunk over; settles once the stream has taken it (never rejects: `close` reports a failure). */
  write(chunk: Uint8Array): Promise<void> {
    return this.writer.write(chunk as Uint8Array<ArrayBuffer>).then(
      () => undefined,
      (e: unknown) => void (this.failed ??= e),
    );
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

/**
 * Whether a chunk may be filled again once the deflater's `write` has settled. Chromium's
 * `CompressionStream` deflates each chunk within its transform, before the write settles, so the same
 * few chunks serve every file of every export: the page never hands Blink a new buffer, which Blink
 * would keep until a full garbage collection (a buffer once given to a Web API cannot be freed early,
 * not even by detaching it). Node's adapter over zlib may settle a write before zlib has read the
 * chunk: there each chunk is new, and Node's collector takes it afterwards.
 */
const REUSE_CHUNKS = !(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;

/** Chunks free to be filled, shared by all text files (at most `SPARE` are kept). */
const spare: Uint8Array[] = [];
const SPARE = 8;
/** Chunks a file may have handed over and not got back before `drain` waits for the oldest. */
const IN_FLIGHT = 4;

const takeChunk = (): Uint8Array => spare.pop() ?? new Uint8Array(CHUNK);
const giveBack = (chunk: Uint8Array) => {
  if (REUSE_CHUNKS && spare.length < SPARE) spare.push(chunk);
};

export class TextFile {
  /** The chunk being filled. */
  private chunk = takeChunk();
  private used = 0;
  /** Bytes handed over so far. */
  private size = 0;
  private pending = '';
  private readonly deflater = new Deflater();
  private readonly hasher: Promise<IncrementalSha256> = createIncrementalSha256();
  /** Chunks handed over, oldest first, each with the promise that the deflater and the hash have read it. */
  private readonly busy: { chunk: Uint8Array; read: Promise<void> }[] = [];
  /** The last chunk handed over and how many there were: a file of one chunk may be stored as it is. */
  private last: Uint8Array | null = null;
  private chunks = 0;

  constructor(
    readonly path: string,
    readonly mediatype: string,
  ) {}

  /** Appends text (the UTF-8 of it). */
  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= PENDING) this.encode();
  }

  /**
   * Lets the deflater take the chunks handed to it (in Node its zlib runs on another thread: the text
   * of the next chunk is made meanwhile) and waits while too many are still unread. Call it between rows.
   */
  async drain(): Promise<void> {
    while (this.busy.length >= IN_FLIGHT) await this.recycle();
    if (this.busy.length > 0) await yieldToLoop();
  }

  private encode(): void {
    let text = this.pending;
    this.pending = '';
    while (text.length) {
      const { read, written } = encoder.encodeInto(text, this.chunk.subarray(this.used));
      this.used += written;
      text = read < text.length ? text.slice(read) : '';
      // The chunk is full (the rest, or its next character, did not fit): hand it over.
      if (text.length) this.give();
    }
  }

  /** Hands the chunk being filled to the deflater and the hash, and takes a free one. */
  private give(): void {
    if (this.used === 0) return;
    const chunk = this.chunk;
    const bytes = chunk.subarray(0, this.used);
    this.size += this.used;
    this.chunks++;
    this.last = chunk;
    const hashed = this.hasher.then((h) => void h.update(bytes));
    const read = Promise.all([this.deflater.write(bytes), hashed]).then(() => undefined);
    read.catch(() => undefined);
    this.busy.push({ chunk, read });
    this.chunk = takeChunk();
    this.used = 0;
  }

  /** Waits until the oldest chunk handed over has been read, and frees it. */
  private async recycle(): Promise<void> {
    const { chunk, read } = this.busy.shift()!;
    await read;
    if (chunk !== this.last) giveBack(chunk);
  }

  /** The file in its ZIP form, with its SHA-256; the text is no longer held after this. */
  async finish(): Promise<PackedFile & { data: Uint8Array }> {
    this.encode();
    this.give();
    giveBack(this.chunk);
    const size = this.size;
    const closed = this.deflater.close(size);
    closed.catch(() => undefined);
    while (this.busy.length) await this.recycle();
    const sha256 = (await this.hasher).digestHex();
    const { deflated, crc } = await closed;
    // A file of one chunk that deflate does not shrink is stored as it is (a copy of its size); a
    // longer one is text that always shrinks, and stays deflated in any case.
    const stored = size === 0 || (this.chunks === 1 && deflated.length >= size);
    const data = stored ? (this.last?.slice(0, size) ?? new Uint8Array(0)) : deflated;
    if (this.last) giveBack(this.last);
    this.last = null;
    return { path: this.path, mediatype: this.mediatype, size, sha256, crc, method: stored ? 0 : 8, data };
  }
}
