/**
 * Exporting where hash-wasm cannot be instantiated (a browser with V8's JIT turned off has no
 * WebAssembly; a policy may refuse to compile it): the export's incremental SHA-256 falls back to
 * @noble/hashes and gives the same digests, for the finished package and for each text file. Each
 * test loads src/core/hash.ts afresh, after refusing WebAssembly the way such a browser does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Hash from '../../../src/core/hash-stream';
import type * as Text from '../../../src/core/package/text-file';
import * as wasmHash from '../../../src/core/hash-stream';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** hash.ts and text-file.ts as a page without WebAssembly loads them. */
async function fresh(): Promise<{ hash: typeof Hash; text: typeof Text }> {
  vi.resetModules();
  return {
    hash: await import('../../../src/core/hash-stream'),
    text: await import('../../../src/core/package/text-file'),
  };
}

/** Taken before any test takes the global away. */
const { CompileError } = WebAssembly;
const refused = () => Promise.reject(new CompileError('Wasm code generation disallowed by embedder'));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

/** Bytes and Blobs as a package's ZIP has them: many small headers, big pieces, an empty one. */
function packageParts(): { parts: (Uint8Array | Blob)[]; whole: Buffer } {
  const bytes = [
    randomBytes(30),
    randomBytes(3 * 1024 * 1024 + 5),
    randomBytes(0),
    randomBytes(63),
    randomBytes(65),
  ];
  const blob = randomBytes(1_500_001);
  const parts = [bytes[0]!, new Blob([blob]), bytes[1]!, bytes[2]!, bytes[3]!, new Blob([]), bytes[4]!];
  return { parts, whole: Buffer.concat([bytes[0]!, blob, ...bytes.slice(1)]) };
}

describe('the export’s SHA-256 without WebAssembly', () => {
  it('hashes a package with the JavaScript hasher when there is no WebAssembly global, the same digest as hash-wasm', async () => {
    const { parts, whole } = packageParts();
    const withWasm = await wasmHash.sha256HexOfParts(parts);
    expect(await wasmHash.sha256Engine()).toBe('wasm');

    vi.stubGlobal('WebAssembly', undefined);
    const { hash } = await fresh();
    expect(await hash.sha256Engine()).toBe('js');
    const seen: number[] = [];
    const hex = await hash.sha256HexOfParts(parts, (done) => void seen.push(done));
    expect(hex).toBe(withWasm);
    expect(hex).toBe(node(whole));
    expect(seen.at(-1)).toBe(whole.length);
    expect(await hash.sha256HexOfParts([])).toBe(node(Buffer.alloc(0)));
  });

  it('tries to instantiate hash-wasm once when compiling is refused, and every file hashes as before', async () => {
    let tries = 0;
    const refuse = () => (tries++, refused());
    vi.stubGlobal('WebAssembly', { ...WebAssembly, compile: refuse, instantiate: refuse });
    const { hash } = await fresh();
    const texts = ['', 'a', '小美优选 😀 七天无理由退货'.repeat(5000), 'x'.repeat(64), 'y'.repeat(65)];
    for (const t of texts) {
      const h = await hash.createIncrementalSha256();
      const bytes = new TextEncoder().encode(t);
      // In uneven pieces, crossing the 64-byte blocks.
      for (let at = 0; at < bytes.length; at += 1000 + (at % 7))
        h.update(bytes.subarray(at, at + 1000 + (at % 7)));
      expect(h.digestHex()).toBe(node(bytes));
    }
    expect(await hash.sha256Engine()).toBe('js');
    expect(tries).toBe(1);
  });

  it('writes text files with the same SHA-256 as hash-wasm does, two files at once', async () => {
    const lines = Array.from(
      { length: 30_000 },
      (_, i) => `{"seq":${i},"text":"链接 ${'😀'.repeat(i % 11)}"}\n`,
    );
    const csv = Array.from({ length: 20_000 }, (_, i) => `${i},小美,"${'优选'.repeat(i % 17)}"\n`);
    const write = async (T: typeof Text.TextFile) => {
      const events = new T('sessions/x/events.jsonl', 'application/jsonl');
      const chat = new T('sessions/x/chat.csv', 'text/csv');
      for (let i = 0; i < lines.length; i++) {
        events.write(lines[i]!);
        if (i < csv.length) chat.write(csv[i]!);
        if (i % 500 === 0) await Promise.all([events.drain(), chat.drain()]);
      }
      return Promise.all([events.finish(), chat.finish()]);
    };
    const withWasm = await write((await import('../../../src/core/package/text-file')).TextFile);
    expect(withWasm.map((f) => f.sha256)).toEqual([
      node(Buffer.from(lines.join(''))),
      node(Buffer.from(csv.join(''))),
    ]);

    vi.stubGlobal('WebAssembly', undefined);
    const { hash, text } = await fresh();
    const without = await write(text.TextFile);
    expect(await hash.sha256Engine()).toBe('js');
    expect(without.map((f) => [f.path, f.size, f.sha256, f.crc])).toEqual(
      withWasm.map((f) => [f.path, f.size, f.sha256, f.crc]),
    );
  });
});

describe('the export’s SHA-256 with WebAssembly', () => {
  it('keeps streams apart on the one hash-wasm hasher, updated in turn', async () => {
    const a = randomBytes(200_000);
    const b = randomBytes(3_333 * 21);
    const [ha, hb, hempty] = await Promise.all([
      wasmHash.createIncrementalSha256(),
      wasmHash.createIncrementalSha256(),
      wasmHash.createIncrementalSha256(),
    ]);
    for (let at = 0; at < a.length; at += 9_999) {
      ha.update(a.subarray(at, at + 9_999));
      hb.update(b.subarray(at / 3, (at + 9_999) / 3));
    }
    expect(hempty.digestHex()).toBe(node(Buffer.alloc(0)));
    expect(hb.digestHex()).toBe(node(b));
    expect(ha.digestHex()).toBe(node(a));
    expect(() => ha.update(a)).toThrow();
    expect(await wasmHash.sha256Engine()).toBe('wasm');
  });
});
