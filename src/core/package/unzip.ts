/**
 * A ZIP reader for packages from others, who may be hostile. It reads the central directory, judges
 * every entry before unpacking anything (unsafe or duplicate names, sizes, compression ratio,
 * entries that overlap), and then streams one entry at a time, never more than the directory
 * promised. Memory is bounded by the chunk size (and, for a whole entry read at once, by the
 * per-entry limit); nothing is ever written anywhere.
 */

/** Random access to the package's bytes: a Uint8Array, a Blob (browser file) or a file handle (Node). */
export interface PackageSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): PackageSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

export function blobSource(blob: Blob): PackageSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/**
 * Reads `src` in windows of `window` bytes and asks for the next window while the current one is
 * used, so a verifier walking the file front to back never waits for the disk (or the Blob) between
 * pieces and entries. Keeps at most a few windows.
 */
export function readAheadSource(src: PackageSource, window = 4 * 1024 * 1024): PackageSource {
  const windows = new Map<number, Promise<Uint8Array>>();
  const last = Math.ceil(src.size / window) - 1;
  const load = (k: number): Promise<Uint8Array> => {
    let w = windows.get(k);
    if (!w) {
      w = src.read(k * window, Math.min(window, src.size - k * window));
      w.catch(() => undefined); // reported to whoever awaits it
      windows.set(k, w);
    }
    return w;
  };
  return {
    size: src.size,
    async read(offset, length) {
      if (length > window || offset < 0 || offset >= src.size) return src.read(offset, length);
      const end = Math.min(offset + length, src.size);
      const [k0, k1] = [Math.floor(offset / window), Math.floor((end - 1) / window)];
      for (const k of windows.keys()) if (k < k0 - 1 || k > k1 + 2) windows.delete(k);
      const wanted = k0 === k1 ? [load(k0)] : [load(k0), load(k1)];
      // Two windows ahead: the disk keeps reading while the hash works through this one.
      if (k1 < last) void load(k1 + 1);
      if (k1 + 1 < last) void load(k1 + 2);
      const parts = await Promise.all(wanted);
      if (parts.length === 1) return parts[0]!.subarray(offset - k0 * window, end - k0 * window);
      const out = new Uint8Array(end - offset);
      const first = parts[0]!.subarray(offset - k0 * window);
      out.set(first);
      out.set(parts[1]!.subarray(0, end - offset - first.length), first.length);
      return out;
    },
  };
}

export interface ZipLimits {
  /** Entries in the central directory. */
  entries: number;
  /** Size of the central directory itself. */
  directoryBytes: number;
  /** Unpacked size of one entry. */
  entryBytes: number;
  /** Unpacked size of all entries together. */
  totalBytes: number;
  /** Unpacked / packed size of a deflated entry bigger than `ratioFloor`. */
  ratio: number;
  ratioFloor: number;
  /** How much is read (or unpacked) at a time. */
  chunkBytes: number;
}

export const ZIP_LIMITS: ZipLimits = {
  entries: 100_000,
  directoryBytes: 32 * 1024 * 1024,
  entryBytes: 1024 * 1024 * 1024,
  totalBytes: 16 * 1024 * 1024 * 1024,
  ratio: 100,
  ratioFloor: 1024 * 1024,
  chunkBytes: 1024 * 1024,
};

export interface ZipEntry {
  /** The name exactly as stored (UTF-8), never normalised. */
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  /** Unpacked size as the central directory declares it. */
  size: number;
  headerOffset: number;
  /** Where the next entry (or the directory) starts: this entry's data must end before it. */
  end: number;
}

/** Why a container is refused before anything in it is unpacked. */
export type ContainerProblem =
  | { code: 'not-zip'; reason: string }
  | { code: 'too-large'; what: string; limit: number }
  | { code: 'unsafe-path'; name: string }
  | { code: 'entry-duplicate'; name: string }
  | { code: 'zip-bomb'; name: string; reason: 'ratio' | 'overlap' | 'size' };

export interface ZipDirectory {
  entries: ZipEntry[];
  problems: ContainerProblem[];
}

/** An entry that cannot be unpacked as the directory describes it. */
export class EntryError extends Error {
  constructor(
    readonly kind: 'damaged' | 'bomb',
    message: string,
  ) {
    super(message);
  }
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;

/**
 * A name a receiver could be tricked by: absolute, a drive, `..` or `.` parts, a backslash, an empty
 * part, or a control character. (Names are judged as stored, before any tool "cleans" them.)
 */
export function unsafePath(name: string): boolean {
  return (
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((s, i, all) => s === '..' || s === '.' || (s === '' && i < all.length - 1)) ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(name)
  );
}

class View {
  private readonly dv: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  has(offset: number, length: number): boolean {
    return offset >= 0 && offset + length <= this.bytes.length;
  }
  u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  u64(o: number): number {
    const n = this.dv.getBigUint64(o, true);
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
  }
}

const notZip = (reason: string): ZipDirectory => ({ entries: [], problems: [{ code: 'not-zip', reason }] });

/** Reads and judges the central directory. Any problem means: refuse, unpack nothing. */
export async function readDirectory(
  src: PackageSource,
  limits: ZipLimits = ZIP_LIMITS,
): Promise<ZipDirectory> {
  if (src.size < 22) return notZip('too short to be a ZIP file');
  const tailLength = Math.min(src.size, 22 + 0xffff + 20);
  const tailStart = src.size - tailLength;
  const tail = new View(await src.read(tailStart, tailLength));
  let eocd = -1;
  for (let o = tail.bytes.length - 22; o >= 0; o--) {
    if (tail.u32(o) === SIG_EOCD && o + 22 + tail.u16(o + 20) <= tail.bytes.length) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) return notZip('no end of central directory record');
  if (tail.u16(eocd + 4) !== 0 || tail.u16(eocd + 6) !== 0) return notZip('a multi-part archive');
  let count = tail.u16(eocd + 10);
  let dirSize = tail.u32(eocd + 12);
  let dirOffset = tail.u32(eocd + 16);
  let dirEnd = tailStart + eocd;
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.u32(locator) !== SIG_LOCATOR64)
      return notZip('a ZIP64 archive without its locator');
    const at = tail.u64(locator + 8);
    if (at + 56 > tailStart + eocd) return notZip('the ZIP64 record is out of place');
    const rec = new View(await src.read(at, 56));
    if (!rec.has(0, 56) || rec.u32(0) !== SIG_EOCD64) return notZip('the ZIP64 record is missing');
    count = rec.u64(32);
    dirSize = rec.u64(40);
    dirOffset = rec.u64(48);
    dirEnd = at;
  }
  if (count > limits.entries)
    return { entries: [], problems: [{ code: 'too-large', what: 'entries', limit: limits.entries }] };
  if (dirSize > limits.directoryBytes)
    return {
      entries: [],
      problems: [{ code: 'too-large', what: 'directory', limit: limits.directoryBytes }],
    };
  if (dirOffset + dirSize > dirEnd) return notZip('the central directory is out of place');

  const dir = new View(await src.read(dirOffset, dirSize));
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const entries: ZipEntry[] = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    if (!dir.has(o, 46) || dir.u32(o) !== SIG_CENTRAL) return notZip('the central directory is damaged');
    const nameLength = dir.u16(o + 28);
    const extraLength = dir.u16(o + 30);
    const commentLength = dir.u16(o + 32);
    if (!dir.has(o + 46, nameLength + extraLength + commentLength))
      return notZip('the central directory is damaged');
    let compressedSize = dir.u32(o + 20);
    let size = dir.u32(o + 24);
    let headerOffset = dir.u32(o + 42);
    // ZIP64: the extra field holds, in this order, whichever of the three were 0xffffffff.
    if (size === 0xffffffff || compressedSize === 0xffffffff || headerOffset === 0xffffffff) {
      let e = o + 46 + nameLength;
      const extraEnd = e + extraLength;
      let found = false;
      while (e + 4 <= extraEnd) {
        const id = dir.u16(e);
        const len = dir.u16(e + 2);
        if (id === 0x0001) {
          let f = e + 4;
          const take = () => {
            const v = f + 8 <= e + 4 + len ? dir.u64(f) : -1;
            f += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (headerOffset === 0xffffffff) headerOffset = take();
          found = size >= 0 && compressedSize >= 0 && headerOffset >= 0;
          break;
        }
        e += 4 + len;
      }
      if (!found) return notZip('a ZIP64 entry without its sizes');
    }
    entries.push({
      name: decoder.decode(dir.bytes.subarray(o + 46, o + 46 + nameLength)),
      flags: dir.u16(o + 8),
      method: dir.u16(o + 10),
      compressedSize,
      size,
      headerOffset,
      end: dirOffset,
    });
    o += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, problems: judge(entries, dirOffset, limits) };
}

/** Everything that makes the container hostile, found from the directory alone. */
function judge(entries: ZipEntry[], dirOffset: number, limits: ZipLimits): ContainerProblem[] {
  const problems: ContainerProblem[] = [];
  const seen = new Set<string>();
  const reported = new Set<string>();
  let total = 0;
  // An unsafe folder entry is named only when no unsafe file inside it already names it
  // (zip tools add `../` before `../evil.txt`).
  const unsafeFiles = entries.filter((e) => !e.name.endsWith('/') && unsafePath(e.name)).map((e) => e.name);
  for (const e of entries) {
    if (unsafePath(e.name)) {
      if (!e.name.endsWith('/') || !unsafeFiles.some((f) => f.startsWith(e.name)))
        problems.push({ code: 'unsafe-path', name: e.name });
    } else if (seen.has(e.name)) {
      if (!reported.has(e.name)) problems.push({ code: 'entry-duplicate', name: e.name });
      reported.add(e.name);
    }
    seen.add(e.name);
    if (e.size > limits.entryBytes)
      problems.push({ code: 'too-large', what: e.name, limit: limits.entryBytes });
    else if (e.method === 0 && e.size !== e.compressedSize)
      problems.push({ code: 'zip-bomb', name: e.name, reason: 'size' });
    else if (e.method === 8 && e.size > limits.ratioFloor && e.size > e.compressedSize * limits.ratio)
      problems.push({ code: 'zip-bomb', name: e.name, reason: 'ratio' });
    total += e.size;
  }
  if (total > limits.totalBytes)
    problems.push({ code: 'too-large', what: 'total', limit: limits.totalBytes });

  // Entries must not share bytes: overlapping entries are how a small file unpacks to terabytes.
  const byOffset = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
  for (let i = 0; i < byOffset.length; i++) {
    const e = byOffset[i]!;
    e.end = i + 1 < byOffset.length ? byOffset[i + 1]!.headerOffset : dirOffset;
    const minimum = 30 + new TextEncoder().encode(e.name).length + e.compressedSize;
    if (e.headerOffset + minimum > e.end)
      problems.push({ code: 'zip-bomb', name: e.name, reason: 'overlap' });
  }
  return problems;
}

/** Where an entry's data starts, after checking its local header against the directory. */
async function dataOffset(src: PackageSource, e: ZipEntry): Promise<number> {
  const nameBytes = new TextEncoder().encode(e.name);
  const head = new View(await src.read(e.headerOffset, 30 + nameBytes.length));
  if (!head.has(0, 30) || head.u32(0) !== SIG_LOCAL) throw new EntryError('damaged', 'no local header');
  const nameLength = head.u16(26);
  if (nameLength !== nameBytes.length || !nameBytes.every((b, i) => head.bytes[30 + i] === b))
    throw new EntryError('damaged', 'the local header names another file');
  const start = e.headerOffset + 30 + nameLength + head.u16(28);
  if (start + e.compressedSize > e.end) throw new EntryError('bomb', 'its data overlaps the next entry');
  return start;
}

/** Turns deflated bytes into plain ones; `DecompressionStream` unless a faster one is given (Node's zlib). */
export type InflateRaw = () => ReadableWritablePair<Uint8Array, Uint8Array>;
export const webInflateRaw: InflateRaw = () =>
  new DecompressionStream('deflate-raw') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;

/**
 * The entry's unpacked bytes, chunk by chunk. Never yields more than the directory declared: an
 * entry that would unpack to more is stopped at once (a zip bomb that lies about its size).
 */
export async function* entryChunks(
  src: PackageSource,
  e: ZipEntry,
  limits: ZipLimits = ZIP_LIMITS,
  inflateRaw: InflateRaw = webInflateRaw,
): AsyncGenerator<Uint8Array> {
  if (e.flags & 0x1) throw new EntryError('damaged', 'it is encrypted');
  if (e.method !== 0 && e.method !== 8) throw new EntryError('damaged', `compression method ${e.method}`);
  const start = await dataOffset(src, e);
  const chunk = limits.chunkBytes;
  // The next piece is asked for before this one is handed on, so reading overlaps hashing.
  let at = 0;
  let ahead: Promise<Uint8Array> | null = null;
  const next = async (): Promise<Uint8Array | null> => {
    if (at >= e.compressedSize) return null;
    const length = Math.min(chunk, e.compressedSize - at);
    const bytes = await (ahead ?? src.read(start + at, length));
    if (bytes.length !== length) throw new EntryError('damaged', 'the file ends early');
    at += length;
    ahead = at < e.compressedSize ? src.read(start + at, Math.min(chunk, e.compressedSize - at)) : null;
    ahead?.catch(() => undefined); // awaited (and its failure reported) on the next call, if any
    return bytes;
  };
  if (e.method === 0) {
    for (let bytes = await next(); bytes; bytes = await next()) yield bytes;
    return;
  }
  const packed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const bytes = await next();
        if (bytes) controller.enqueue(bytes);
        else controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
  const reader = packed.pipeThrough(inflateRaw()).getReader();
  let produced = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (err) {
        if (err instanceof EntryError) throw err;
        throw new EntryError('damaged', err instanceof Error ? err.message : String(err));
      }
      if (result.done) break;
      produced += result.value.length;
      if (produced > e.size)
        throw new EntryError('bomb', `it unpacks to more than the ${e.size} bytes declared`);
      yield result.value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (produced !== e.size) throw new EntryError('damaged', `${produced} bytes unpacked, ${e.size} declared`);
}

/** The whole entry at once, for files that must be read whole (at most `max` bytes). */
export async function entryBytes(
  src: PackageSource,
  e: ZipEntry,
  limits: ZipLimits = ZIP_LIMITS,
  inflateRaw?: InflateRaw,
): Promise<Uint8Array> {
  const out = new Uint8Array(e.size);
  let at = 0;
  for await (const c of entryChunks(src, e, limits, inflateRaw)) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
