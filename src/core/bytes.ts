/** Decodes a `data:<type>;base64,<payload>` URL (what `captureVisibleTab` returns) to bytes. */
export function dataUrlBytes(dataUrl: string): { mediatype: string; bytes: Uint8Array } {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(dataUrl);
  if (!m) throw new TypeError('not a base64 data URL');
  const bin = atob(m[2]!);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { mediatype: m[1]!, bytes };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Readers with a read under way, held from a root while they read. Chromium (156) collects a
 * BYOB-read stream of a Blob that IndexedDB handed back while a read waits for its bytes, when
 * nothing but that read refers to it: the read never settles. A page that started 100 such reads,
 * kept no reference and forced collections saw 74–75 of them finish, the default reader 100, a held
 * reader 100; in exports it left 4 of 26 runs waiting forever at "zipping" with the page's heap
 * collected under them (docs/performance.md, "Memory in the browser").
 */
const reading = new Set<ReadableStreamBYOBReader | ReadableStreamDefaultReader<Uint8Array>>();

/** `parts` as one array: the part itself when there is only one, else a new array holding them in order. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Reads Blobs (screenshots as IndexedDB hands them back, a finished package) into one buffer of its
 * own, used again for every read: a BYOB reader fills it in place, so nothing is allocated per read.
 * `blob.arrayBuffer()` or a plain stream reader makes a new ArrayBuffer each time, which the page's
 * process keeps until a full garbage collection: in Chromium these reads, unreachable but not yet
 * collected, were most of an export's peak memory (docs/performance.md, "Memory in the browser").
 *
 * The bytes a read hands over are valid until the next read with the same reader, which takes the
 * buffer over (a BYOB read transfers it): a view kept past that is detached and reads as empty, so
 * copy what must outlive it. Where a Blob's stream is not a byte stream, each read allocates as before.
 */
export class BlobReader {
  private buffer: ArrayBuffer;

  /** @param size the buffer's size to start with: `whole` grows it to the largest Blob read */
  constructor(size = 1 << 20) {
    this.buffer = new ArrayBuffer(size);
  }

  /** The whole Blob, in the reader's buffer (grown to fit it). */
  async whole(blob: Blob): Promise<Uint8Array> {
    // Room for one byte more than it says, so that the read that finds the end has a place to read into.
    if (this.buffer.byteLength <= blob.size) this.buffer = new ArrayBuffer(blob.size + (1 << 16));
    const reader = this.byob(blob);
    if (!reader) return new Uint8Array(await blob.arrayBuffer());
    let at = 0;
    reading.add(reader);
    try {
      for (;;) {
        if (at === this.buffer.byteLength) {
          // Longer than it said: grow, keeping what was read.
          const more = new Uint8Array(at * 2 || 1 << 16);
          more.set(new Uint8Array(this.buffer));
          this.buffer = more.buffer;
        }
        const { done, value } = await this.read(reader, at);
        if (done || !value) break;
        at += value.length;
      }
    } finally {
      reading.delete(reader);
      reader.releaseLock();
    }
    return new Uint8Array(this.buffer, 0, at);
  }

  /** The Blob piece by piece, in order; each piece is valid only during the call. */
  async pieces(blob: Blob, onPiece: (bytes: Uint8Array) => void): Promise<void> {
    const reader = this.byob(blob);
    if (!reader) {
      const plain = blob.stream().getReader();
      reading.add(plain);
      try {
        for (;;) {
          const { done, value } = await plain.read();
          if (done) return;
          onPiece(value);
        }
      } finally {
        reading.delete(plain);
      }
    }
    reading.add(reader);
    try {
      for (;;) {
        const { done, value } = await this.read(reader, 0);
        if (done || !value) break;
        onPiece(value);
      }
    } finally {
      reading.delete(reader);
      reader.releaseLock();
    }
  }

  private byob(blob: Blob): ReadableStreamBYOBReader | null {
    try {
      return blob.stream().getReader({ mode: 'byob' });
    } catch {
      return null;
    }
  }

  /**
   * One read into the buffer from `at` on. The stream takes the buffer for the read and gives it back
   * with the bytes (transferred, not copied); a read that fails leaves it detached, so a new one is made.
   */
  private async read(
    reader: ReadableStreamBYOBReader,
    at: number,
  ): Promise<{ done: boolean; value: Uint8Array | undefined }> {
    const size = this.buffer.byteLength;
    const view = new Uint8Array(this.buffer, at);
    try {
      const { done, value } = await reader.read(view);
      if (value) this.buffer = value.buffer as ArrayBuffer;
      return { done, value };
    } finally {
      if (this.buffer.byteLength === 0) this.buffer = new ArrayBuffer(size || 1 << 16);
    }
  }
}
