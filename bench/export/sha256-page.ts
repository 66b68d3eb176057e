/** Page side of bench/export/sha256-browser.ts: the export's incremental SHA-256, by each way. */
import { createSHA256 } from 'hash-wasm';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/core/hash';
import { createIncrementalSha256, sha256Engine } from '../../src/core/hash-stream';

const CHUNK = 1 << 20;

export interface WayResult {
  way: string;
  mbps: number;
  hex: string;
}

async function timed(way: string, bytes: number, run: () => Promise<string> | string): Promise<WayResult> {
  const t0 = performance.now();
  const hex = await run();
  return { way, mbps: bytes / 1e6 / ((performance.now() - t0) / 1000), hex };
}

/** `mb` megabytes of pseudo-random bytes hashed in 1 MB pieces by each incremental way, and whole by WebCrypto. */
async function run(mb: number): Promise<{ engine: string; wasm: boolean; ways: WayResult[] }> {
  const data = new Uint8Array(mb * CHUNK);
  for (let at = 0; at < data.length; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
  const pieces = (f: (piece: Uint8Array) => void) => {
    for (let at = 0; at < data.length; at += CHUNK) f(data.subarray(at, at + CHUNK));
  };
  const ways: WayResult[] = [];
  const wasm = typeof WebAssembly !== 'undefined';
  if (wasm)
    ways.push(
      await timed('hash-wasm, 1 MB pieces', data.length, async () => {
        const h = await createSHA256();
        h.init();
        pieces((p) => h.update(p));
        return h.digest('hex');
      }),
    );
  ways.push(
    await timed('@noble/hashes, 1 MB pieces', data.length, () => {
      const h = nobleSha256.create();
      pieces((p) => h.update(p));
      return toHex(h.digest());
    }),
  );
  ways.push(
    await timed('createIncrementalSha256 (the export)', data.length, async () => {
      const h = await createIncrementalSha256();
      pieces((p) => h.update(p));
      return h.digestHex();
    }),
  );
  ways.push(
    await timed('WebCrypto, whole (not incremental)', data.length, async () =>
      toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', data))),
    ),
  );
  return { engine: await sha256Engine(), wasm, ways };
}

(globalThis as unknown as { __sha256Bench: unknown }).__sha256Bench = { run };
