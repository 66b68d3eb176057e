import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexOfBlob } from '../../../src/core/hash';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256HexOfBlob', () => {
  it('gives the SHA-256 of a package-sized Blob read piece by piece, the same as WebCrypto and Node', async () => {
    const parts = [randomBytes(3 * 1024 * 1024 + 17), randomBytes(1), randomBytes(250_000)];
    const whole = Buffer.concat(parts);
    const blob = new Blob(parts);
    const hex = await sha256HexOfBlob(blob);
    expect(hex).toBe(node(whole));
    expect(hex).toBe(await sha256Hex(whole));
  });

  it('knows the empty Blob and a one-byte change', async () => {
    expect(await sha256HexOfBlob(new Blob([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    const bytes = randomBytes(70_000);
    const before = await sha256HexOfBlob(new Blob([bytes]));
    bytes[69_999] = bytes[69_999]! ^ 1;
    expect(await sha256HexOfBlob(new Blob([bytes]))).not.toBe(before);
    expect(await sha256HexOfBlob(new Blob([bytes]))).toBe(node(bytes));
  });
});
