/** The package's own ZIP writer: standard CRC-32, and archives other tools read back byte for byte. */
import { crc32 as nodeCrc32, inflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { crc32, zipPackage, zipParts } from '../../../../src/core/package/zip';
import { readDirectory, type PackageSource } from '../../../../src/core/package/unzip';
import type { PackedFile } from '../../../../src/core/package/text-file';
import { localEntries, refusal } from './fixtures';

describe('zipPackage', () => {
  it('computes CRC-32 as zlib does, for every length and alignment', () => {
    const bytes = new Uint8Array(randomBytes(4099));
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 4099])
      for (const off of [0, 1, 3]) {
        const part = bytes.subarray(off, off + n);
        expect(crc32(part), `${off}+${n}`).toBe(nodeCrc32(part));
      }
  });

  it('writes archives JSZip reads back exactly: text deflated, images and PDFs stored, an empty file kept', async () => {
    const text = new TextEncoder().encode('小美优选 七天无理由退货\n'.repeat(500));
    const png = new Uint8Array(randomBytes(3000));
    png.set([0x89, 0x50, 0x4e, 0x47]);
    const files = [
      { path: 'sessions/x/events.jsonl', bytes: text, mediatype: 'application/jsonl' },
      { path: 'sessions/x/screenshots/000001.png', bytes: png, mediatype: 'image/png' },
      {
        path: 'case/receipts/001-0123456789abcdef.pdf',
        bytes: text.subarray(0, 100),
        mediatype: 'application/pdf',
      },
      { path: 'empty.txt', bytes: new Uint8Array(), mediatype: 'text/plain' },
    ];
    const zip = await zipPackage(files, 'uint8array', undefined, new Date('2026-11-28T10:30:00Z'));
    const read = await JSZip.loadAsync(zip);
    for (const f of files) expect(await read.file(f.path)!.async('uint8array'), f.path).toEqual(f.bytes);
    const entries = localEntries(zip);
    expect(entries.map((e) => [e.name, e.method])).toEqual([
      ['sessions/x/events.jsonl', 8],
      ['sessions/x/screenshots/000001.png', 0],
      ['case/receipts/001-0123456789abcdef.pdf', 0],
      ['empty.txt', 0],
    ]);
    const first = entries[0]!;
    const packed = new DataView(zip.buffer).getUint32(18, true);
    expect(new Uint8Array(inflateRawSync(zip.subarray(first.dataOffset, first.dataOffset + packed)))).toEqual(
      text,
    );
  });
});

/** A stored file whose bytes are a Blob of `size` bytes: laying a ZIP out reads only its size. */
class SizedBlob extends Blob {
  constructor(private readonly claimed: number) {
    super([]);
  }
  override get size(): number {
    return this.claimed;
  }
}
const picture = (i: number, size: number, data: Uint8Array | Blob = new SizedBlob(size)): PackedFile => ({
  path: `sessions/x/screenshots/${String(i).padStart(6, '0')}.png`,
  mediatype: 'image/png',
  size,
  sha256: '0'.repeat(64),
  crc: 0,
  method: 0,
  data,
});

const GiB = 2 ** 30;

/** The ZIP `zipParts` laid out, to read its directory: the headers' bytes, zeros for a Blob's data. */
function laidOut(parts: readonly (Uint8Array | Blob)[]): PackageSource {
  const at: number[] = [];
  let size = 0;
  for (const p of parts) {
    at.push(size);
    size += p instanceof Uint8Array ? p.length : p.size;
  }
  return {
    size,
    read: async (offset, length) => {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      parts.forEach((p, i) => {
        if (!(p instanceof Uint8Array)) return;
        const from = Math.max(offset, at[i]!);
        const to = Math.min(offset + out.length, at[i]! + p.length);
        if (from < to) out.set(p.subarray(from - at[i]!, to - at[i]!), from - offset);
      });
      return out;
    },
  };
}

describe('zipParts: what a ZIP without ZIP64 can hold', () => {
  it('refuses a package of 4 GiB or more, saying how big it would be, instead of writing wrapped offsets', async () => {
    // Five pictures of 1 GiB (the most one file may be): their offsets and the directory's would wrap past 2^32.
    const files = [0, 1, 2, 3, 4].map((i) => picture(i, GiB));
    const err = await refusal(zipParts(files));
    expect(err.code).toBe('too-large');
    expect(Number(err.params[0])).toBeGreaterThanOrEqual(5 * 1024);

    // One byte more than the largest ZIP whose every offset fits in 32 bits is refused too.
    const name = picture(0, 0).path.length;
    const fixed = 4 * (30 + name + 46 + name) + 22;
    const last = 2 ** 32 - fixed - 3 * GiB;
    const justOver = [0, 1, 2].map((i) => picture(i, GiB)).concat(picture(3, last));
    expect((await refusal(zipParts(justOver))).code).toBe('too-large');
  });

  it('lays out a package just under 4 GiB with its true offsets', async () => {
    const name = picture(0, 0).path.length;
    const fixed = 30 + name + 46 + name;
    const quarter = Math.floor((2 ** 32 - 1 - 4 * fixed - 22) / 4);
    const parts = await zipParts([0, 1, 2, 3].map((i) => picture(i, quarter)));
    const sizeOf = (p: Uint8Array | Blob) => (p instanceof Uint8Array ? p.length : p.size);
    expect(parts.reduce((n, p) => n + sizeOf(p), 0)).toBeLessThanOrEqual(2 ** 32 - 1);
    const end = parts.at(-1) as Uint8Array;
    const dirAt = new DataView(end.buffer).getUint32(16, true);
    expect(dirAt).toBe(4 * (30 + name + quarter));
    const fourth = parts.at(-2) as Uint8Array;
    expect(new DataView(fourth.buffer).getUint32(42, true)).toBe(3 * (30 + name + quarter));
  });

  it('never writes a file its own verifier would refuse (over 1 GiB): names it, with its size', async () => {
    const err = await refusal(zipParts([picture(0, 10), picture(1, GiB + 1)]));
    expect(err).toMatchObject({ code: 'file-too-large', params: [picture(1, 0).path, '1025'] });
    // A text file the builder made is judged by its unpacked size, not by what it deflated to.
    const text: PackedFile = {
      ...picture(2, GiB + 1, new Uint8Array(8)),
      path: 'sessions/x/events.jsonl',
      method: 8,
    };
    expect(await refusal(zipParts([text]))).toMatchObject({
      code: 'file-too-large',
      params: [text.path, '1025'],
    });
    // Exactly 1 GiB is taken, by the verifier too.
    const parts = await zipParts([picture(0, GiB)]);
    const { entries, problems } = await readDirectory(laidOut(parts));
    expect(problems.filter((p) => p.code === 'too-large')).toEqual([]);
    expect(entries[0]?.size).toBe(GiB);
  });

  it('refuses 65,535 files or more (the ZIP’s 16-bit count), and lists 65,534', async () => {
    const none = new Uint8Array(0);
    const many = (n: number) => Array.from({ length: n }, (_, i) => picture(i, 0, none));
    const err = await refusal(zipParts(many(65_535)));
    expect(err.code).toBe('too-many-files');
    expect(err.params[0]).toBe('65535');

    const parts = await zipParts(many(65_534));
    const end = new DataView((parts.at(-1) as Uint8Array).buffer);
    expect([end.getUint16(8, true), end.getUint16(10, true)]).toEqual([65_534, 65_534]);
  });
});
