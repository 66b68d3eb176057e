/**
 * The package's ZIP, written directly: text deflated by the platform's own `CompressionStream`
 * (native zlib in Chromium and in Node, several times faster than a deflate written in JavaScript,
 * see docs/performance.md "Export"; its gzip form, so that zlib computes the CRC-32 too, see
 * text-file.ts), images and PDFs stored as they are. No folder entries, UTF-8 names, times in UTC.
 * No ZIP64: a package that would need it (`MAX_ENTRIES`, `MAX_ZIP_BYTES`) is refused, not written
 * with counts and offsets wrapped past 16 or 32 bits; so is a file the verifier would refuse (over
 * `ZIP_LIMITS.entryBytes`). The builder refuses what it can foresee of these before it starts (plan.ts).
 */
import type { PackageFile } from './build';
import { PackageBuildError, mebibytes } from './errors';
import { ZIP_LIMITS } from './unzip';
import { deflateWithCrc, type PackedFile } from './text-file';

/** Media that deflate would not shrink: screenshots, photos of receipts, PDFs. */
export const isCompressed = (mediatype: string) =>
  mediatype.startsWith('image/') || mediatype === 'application/pdf';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const CRC_TABLES = (() => {
  // Slice-by-16 tables for CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320).
  const t = Array.from({ length: 16 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0]![n] = c;
  }
  for (let n = 0; n < 256; n++)
    for (let k = 1; k < 16; k++) t[k]![n] = t[0]![t[k - 1]![n]! & 0xff]! ^ (t[k - 1]![n]! >>> 8);
  return t;
})();

/**
 * CRC-32 in JavaScript, 16 bytes a step (what stored files need: screenshots and receipts; deflated
 * files take theirs from the deflater, see text-file.ts).
 */
export function crc32(bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15] = CRC_TABLES as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  let c = -1;
  let i = 0;
  const n = bytes.length;
  // Byte by byte up to a 4-byte boundary, then whole little-endian 32-bit words, 16 bytes a step.
  if (LITTLE_ENDIAN && n >= 32) {
    for (; (bytes.byteOffset + i) & 3; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, (n - i) >>> 2);
    const steps = (n - i) >>> 4;
    for (let w = 0; w < steps; w++) {
      const at = w << 2;
      const a = words[at]! ^ c;
      const b = words[at + 1]!;
      const d = words[at + 2]!;
      const e = words[at + 3]!;
      c =
        t15[a & 0xff]! ^
        t14[(a >>> 8) & 0xff]! ^
        t13[(a >>> 16) & 0xff]! ^
        t12[a >>> 24]! ^
        t11[b & 0xff]! ^
        t10[(b >>> 8) & 0xff]! ^
        t9[(b >>> 16) & 0xff]! ^
        t8[b >>> 24]! ^
        t7[d & 0xff]! ^
        t6[(d >>> 8) & 0xff]! ^
        t5[(d >>> 16) & 0xff]! ^
        t4[d >>> 24]! ^
        t3[e & 0xff]! ^
        t2[(e >>> 8) & 0xff]! ^
        t1[(e >>> 16) & 0xff]! ^
        t0[e >>> 24]!;
    }
    i += steps << 4;
  }
  for (; i < n; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

const encoder = new TextEncoder();

/** Files a package may hold: the end record counts them in 16 bits, and 0xFFFF means ZIP64. */
export const MAX_ENTRIES = 0xfffe;
/** The largest package: every offset and size fits in 32 bits (0xFFFFFFFF itself means ZIP64). */
export const MAX_ZIP_BYTES = 0xffffffff;

const UTF8_NAMES = 0x0800;
const UNIX_FILE = (0o100644 << 16) >>> 0;

/**
 * Text is deflated; images and PDFs are already compressed and are stored as they are. A file the
 * builder already deflated while writing it (a `PackedFile`) goes in as it is.
 */
export async function zipPackage<T extends 'uint8array' | 'blob'>(
  files: readonly (PackageFile | PackedFile)[],
  type: T,
  onProgress?: (percent: number) => void,
  now: Date = new Date(),
): Promise<T extends 'blob' ? Blob : Uint8Array> {
  const all = await zipParts(files, onProgress, now);
  if (type === 'blob') return zipBlob(all) as never;
  const out = new Uint8Array(all.reduce((n, p) => n + (p instanceof Uint8Array ? p.length : p.size), 0));
  let at = 0;
  for (const p of all) {
    const bytes = p instanceof Uint8Array ? p : new Uint8Array(await p.arrayBuffer());
    out.set(bytes, at);
    at += bytes.length;
  }
  return out as never;
}

/**
 * The package as a Blob of its parts. A Blob made of Blobs refers to their bytes (in Chromium, where
 * IndexedDB keeps them) without copying them.
 */
export function zipBlob(parts: readonly (Uint8Array | Blob)[]): Blob {
  return new Blob(parts as BlobPart[], { type: 'application/zip' });
}

/**
 * The ZIP's bytes in order, as parts: headers, the files' data (a screenshot's `Blob` as it is) and
 * the central directory. Joined they are the package (`zipPackage`); hashed one after the other
 * (`sha256HexOfParts`) they give its SHA-256 without reading the joined Blob back.
 */
export async function zipParts(
  files: readonly (PackageFile | PackedFile)[],
  onProgress?: (percent: number) => void,
  now: Date = new Date(),
): Promise<(Uint8Array | Blob)[]> {
  // The builder refused what it could foresee (plan.ts); this is the safety net, on the files as made.
  if (files.length > MAX_ENTRIES) throw new PackageBuildError('too-many-files', [String(files.length)]);
  const sizeOf = (f: PackageFile | PackedFile) => ('data' in f ? f.size : f.bytes.length);
  // The verifier refuses a file that unpacks to more than this: the exporter never writes one.
  for (const f of files)
    if (sizeOf(f) > ZIP_LIMITS.entryBytes)
      throw new PackageBuildError('file-too-large', [f.path, mebibytes(sizeOf(f))]);
  const { time, date } = dosTime(now);
  const lengthOf = (data: Uint8Array | Blob) => (data instanceof Uint8Array ? data.length : data.size);
  const total = files.reduce((n, f) => n + sizeOf(f), 0) || 1;
  let done = 0;
  // One file at a time: a single file's copies in the compressor are alive at once, not every file's.
  const entries: { name: Uint8Array; crc: number; size: number; data: Uint8Array | Blob; method: number }[] =
    [];
  for (const f of files) {
    let entry: { crc: number; size: number; data: Uint8Array | Blob; method: number };
    if ('data' in f) entry = f;
    else if (!isCompressed(f.mediatype) && f.bytes.length > 0) {
      const { deflated, crc } = await deflateWithCrc(f.bytes);
      entry =
        deflated.length < f.bytes.length
          ? { crc, size: f.bytes.length, data: deflated, method: 8 }
          : { crc, size: f.bytes.length, data: f.bytes, method: 0 };
    } else entry = { crc: crc32(f.bytes), size: f.bytes.length, data: f.bytes, method: 0 };
    entries.push({
      name: encoder.encode(f.path),
      crc: entry.crc,
      size: entry.size,
      data: entry.data,
      method: entry.method,
    });
    done += sizeOf(f);
    onProgress?.((done / total) * 100);
  }

  const parts: (Uint8Array | Blob)[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    /** The fields a local header and its central directory entry share, in the same order. */
    const fields = (v: DataView, at: number) => {
      v.setUint16(at, 20, true); // version needed: ZIP 2.0
      v.setUint16(at + 2, UTF8_NAMES, true);
      v.setUint16(at + 4, e.method, true);
      v.setUint16(at + 6, time, true);
      v.setUint16(at + 8, date, true);
      v.setUint32(at + 10, e.crc, true);
      v.setUint32(at + 14, lengthOf(e.data), true);
      v.setUint32(at + 18, e.size, true);
      v.setUint16(at + 22, e.name.length, true);
    };
    const local = new Uint8Array(30 + e.name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    fields(l, 4);
    local.set(e.name, 30);
    parts.push(local, e.data);

    const dir = new Uint8Array(46 + e.name.length);
    const c = new DataView(dir.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, (3 << 8) | 20, true); // made by UNIX, ZIP 2.0
    fields(c, 6);
    c.setUint32(38, UNIX_FILE, true);
    c.setUint32(42, offset, true);
    dir.set(e.name, 46);
    central.push(dir);
    offset += local.length + lengthOf(e.data);
  }
  const dirSize = central.reduce((n, d) => n + d.length, 0);
  const zipBytes = offset + dirSize + 22;
  if (zipBytes > MAX_ZIP_BYTES) throw new PackageBuildError('too-large', [mebibytes(zipBytes)]);
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, dirSize, true);
  v.setUint32(16, offset, true);
  return [...parts, ...central, end];
}
