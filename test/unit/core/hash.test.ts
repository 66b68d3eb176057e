import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlobReader } from '../../../src/core/bytes';
import { sha256Hex } from '../../../src/core/hash';
import { sha256HexOfParts } from '../../../src/core/hash-stream';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256HexOfParts of one Blob', () => {
  it('gives the SHA-256 of a package-sized Blob read piece by piece, the same as WebCrypto and Node', async () => {
    const parts = [randomBytes(3 * 1024 * 1024 + 17), randomBytes(1), randomBytes(250_000)];
    const whole = Buffer.concat(parts);
    const blob = new Blob(parts);
    const hex = await sha256HexOfParts([blob]);
    expect(hex).toBe(node(whole));
    expect(hex).toBe(await sha256Hex(whole));
  });

  it('knows the empty Blob and a one-byte change', async () => {
    expect(await sha256HexOfParts([new Blob([])])).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    const bytes = randomBytes(70_000);
    const before = await sha256HexOfParts([new Blob([bytes])]);
    bytes[69_999] = bytes[69_999]! ^ 1;
    expect(await sha256HexOfParts([new Blob([bytes])])).not.toBe(before);
    expect(await sha256HexOfParts([new Blob([bytes])])).toBe(node(bytes));
  });
});

describe('BlobReader', () => {
  it('reads screenshots of any size whole, one after the other, each byte for byte', async () => {
    const reader = new BlobReader(1000);
    const shots = [
      randomBytes(250_000),
      randomBytes(10),
      Buffer.alloc(0),
      randomBytes(1_500_001),
      randomBytes(999),
    ];
    for (const shot of shots) {
      const read = await reader.whole(new Blob([shot]));
      expect(Buffer.from(read).equals(shot)).toBe(true);
    }
  });

  it('reads a Blob made of Blobs and bytes piece by piece, in order', async () => {
    const parts = [randomBytes(3 * 1024 * 1024 + 5), randomBytes(7), randomBytes(300_000)];
    const blob = new Blob([parts[0]!, new Blob([parts[1]!]), parts[2]!]);
    const seen: Buffer[] = [];
    await new BlobReader(64 * 1024).pieces(blob, (piece) => void seen.push(Buffer.from(piece)));
    expect(seen.length).toBeGreaterThan(1);
    expect(Buffer.concat(seen).equals(Buffer.concat(parts))).toBe(true);
  });
});

describe('sha256HexOfParts', () => {
  it('gives the SHA-256 of the parts joined, bytes and Blobs mixed, as the package file has it', async () => {
    const parts = [
      randomBytes(30),
      new Blob([randomBytes(250_000)]),
      randomBytes(0),
      new Blob([randomBytes(1_500_003)]),
    ];
    const joined = Buffer.from(await new Blob(parts as BlobPart[]).arrayBuffer());
    expect(await sha256HexOfParts(parts)).toBe(node(joined));
    expect(await sha256HexOfParts([])).toBe(node(Buffer.alloc(0)));
  });

  it('says how far it has got, in bytes, from 0 to the whole package, also inside a big Blob', async () => {
    const parts = [randomBytes(30), new Blob([randomBytes(3_000_000)]), randomBytes(22)];
    const seen: [number, number][] = [];
    const hex = await sha256HexOfParts(parts, (done, total) => void seen.push([done, total]));
    expect(hex).toBe(node(Buffer.from(await new Blob(parts as BlobPart[]).arrayBuffer())));
    const total = 3_000_052;
    expect(seen[0]).toEqual([0, total]);
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.every(([, t]) => t === total)).toBe(true);
    expect(seen.every(([d], i) => i === 0 || d >= seen[i - 1]![0])).toBe(true);
    // Part of the way through the Blob's own bytes, not only between parts.
    expect(seen.some(([d]) => d > 30 && d < 3_000_030)).toBe(true);
  });
});
