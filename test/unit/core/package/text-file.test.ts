/** The big text files of a package, written as they are made: same bytes, CRC and hash as written whole. */
import { createHash } from 'node:crypto';
import { crc32, gzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TextFile, ungzip, type PackedFile } from '../../../../src/core/package/text-file';

type PackedText = PackedFile & { data: Uint8Array };

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const unpacked = (f: PackedText) => (f.method === 8 ? new Uint8Array(inflateRawSync(f.data)) : f.data);

async function written(pieces: readonly string[]): Promise<PackedText> {
  const file = new TextFile('sessions/x/events.jsonl', 'application/jsonl');
  for (const [i, p] of pieces.entries()) {
    file.write(p);
    if (i % 97 === 0) await file.drain();
  }
  return file.finish();
}

describe('TextFile: a package text file written piece by piece', () => {
  it('holds exactly the UTF-8 of the whole text, with its size, CRC-32 and SHA-256, over many chunks', async () => {
    // Chinese (3 bytes), emoji (4 bytes, a surrogate pair) and ASCII, so that characters straddle
    // every 1 MB chunk boundary and the 32k-character batches; some pieces far larger than a chunk.
    const pieces: string[] = [];
    for (let i = 0; i < 40_000; i++)
      pieces.push(`{"seq":${i},"text":"小美优选 😀 ${'链接'.repeat(i % 13)}"}\n`);
    pieces.push('七天无理由退货'.repeat(100_000), '😀'.repeat(300_001), 'end\n');
    const whole = new TextEncoder().encode(pieces.join(''));
    const f = await written(pieces);
    expect(f.size).toBe(whole.length);
    expect(f.method).toBe(8);
    // (compared as buffers: a deep comparison of megabytes element by element takes minutes)
    expect(Buffer.from(unpacked(f)).equals(whole)).toBe(true);
    expect(f.crc).toBe(crc32(whole));
    expect(f.sha256).toBe(sha256(whole));
    expect(f.path).toBe('sessions/x/events.jsonl');
    expect(f.mediatype).toBe('application/jsonl');
  });

  it('stores an empty file, and a file deflate cannot shrink, as it is', async () => {
    const empty = await written([]);
    expect([empty.size, empty.method, empty.data.length, empty.crc]).toEqual([0, 0, 0, 0]);
    expect(empty.sha256).toBe(sha256(new Uint8Array()));

    // Deflate makes one byte bigger, never smaller: it is stored.
    const f = await written(['x']);
    expect([f.size, f.method, new TextDecoder().decode(f.data)]).toEqual([1, 0, 'x']);
    expect(f.crc).toBe(crc32(Buffer.from('x')));
  });
});

describe('ungzip: the raw deflate stream and CRC out of a gzip member', () => {
  const body = Buffer.from('小美优选 七天无理由退货\n'.repeat(200));
  const gz = new Uint8Array(gzipSync(body));

  it('takes the CRC and size from the trailer and leaves a raw deflate stream', () => {
    const { deflated, crc, size } = ungzip(gz);
    expect(crc).toBe(crc32(body));
    expect(size).toBe(body.length);
    expect(Buffer.from(inflateRawSync(deflated))).toEqual(body);
  });

  it('skips the optional header fields a gzip writer may add (extra, name, comment, header CRC)', () => {
    const extra = [4, 0, 0x41, 0x42, 1, 2];
    const name = [...Buffer.from('events.jsonl'), 0];
    const comment = [...Buffer.from('LiveProof'), 0];
    const header = [...gz.subarray(0, 10)];
    header[3] = 4 | 8 | 16 | 2;
    const withFields = new Uint8Array([
      ...header,
      ...extra,
      ...name,
      ...comment,
      0xaa,
      0xbb,
      ...gz.subarray(10),
    ]);
    const { deflated, crc } = ungzip(withFields);
    expect(crc).toBe(crc32(body));
    expect(Buffer.from(inflateRawSync(deflated))).toEqual(body);
  });

  it('refuses what is not gzip', () => {
    expect(() => ungzip(new Uint8Array(40))).toThrow('not a gzip stream');
    expect(() => ungzip(gz.subarray(0, 12))).toThrow('not a gzip stream');
  });
});
