/**
 * A big text file of the package (events.jsonl, chat.csv, report.html) written as it is made: its
 * text goes straight into UTF-8 chunks of 1 MB, each chunk goes to the deflater as soon as it is
 * full, and the CRC-32 comes from the deflater's own gzip trailer (native zlib). No whole-file string
 * is ever built, and at the end the file is held only deflated (see docs/performance.md, "Export").
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
  /** 8 = deflated, 0 = stored (the deflater did not make it smaller). */
  method: 0 | 8;
  data: Uint8Array;
}

const encoder = new TextEncoder();

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

  write(chunk: Uint8Array): void {
    this.writer.write(chunk as Uint8Array<ArrayBuffer>).catch((e: unknown) => (this.failed ??= e));
  }

  /** Whether a chunk still waits for the deflater (a producer may then let it run). */
  get busy(): boolean {
    return (this.writer.desiredSize ?? 1) <= 0;
  }

  get ready(): Promise<unknown> {
    return this.writer.ready;
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
  private chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(CHUNK);
  private used = 0;
  private pending = '';
  private size = 0;
  private readonly deflater = new Deflater();

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
   * Lets the deflater take the chunks handed to it when it is behind (in Node its zlib runs on
   * another thread: the text of the next chunk is made meanwhile). Call it between rows.
   */
  async drain(): Promise<void> {
    if (this.deflater.busy) await this.deflater.ready;
  }

  private encode(): void {
    let text = this.pending;
    this.pending = '';
    while (text.length) {
      const { read, written } = encoder.encodeInto(text, this.chunk.subarray(this.used));
      this.used += written;
      text = read < text.length ? text.slice(read) : '';
      // Full (a character of up to 4 bytes may not fit in what is left): the chunk goes out.
      if (text.length || this.used > CHUNK - 4) this.flush();
    }
  }

  private flush(): void {
    if (!this.used) return;
    const full = this.chunk.subarray(0, this.used);
    this.chunks.push(full);
    this.size += full.length;
    this.deflater.write(full);
    this.chunk = new Uint8Array(CHUNK);
    this.used = 0;
  }

  /** The file in its ZIP form, with its SHA-256; the text is no longer held after this. */
  async finish(): Promise<PackedFile> {
    this.encode();
    this.flush();
    const { deflated, crc } = await this.deflater.close(this.size);
    // WebCrypto has no incremental SHA-256 and is still much faster than one in JavaScript: the
    // file's bytes are joined once, hashed, and let go.
    const whole = join(this.chunks, this.size);
    this.chunks = [];
    this.chunk = new Uint8Array(0);
    const sha256 = await sha256Hex(whole);
    const stored = this.size === 0 || deflated.length >= this.size;
    return {
      path: this.path,
      mediatype: this.mediatype,
      size: this.size,
      sha256,
      crc,
      method: stored ? 0 : 8,
      data: stored ? whole : deflated,
    };
  }
}

function join(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
