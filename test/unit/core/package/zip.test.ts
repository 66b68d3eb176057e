/** The package's own ZIP writer: standard CRC-32, and archives other tools read back byte for byte. */
import { crc32 as nodeCrc32, inflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { crc32, zipPackage } from '../../../../src/core/package/zip';
import { localEntries } from './fixtures';

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
