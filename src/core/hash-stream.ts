/**
 * Incremental SHA-256 for the export: each text file as it is written, and the finished package from
 * its parts. Kept apart from `hash.ts` (WebCrypto, used by the service worker, the popup and the
 * chain) so that only the pages that export load hash-wasm's WebAssembly and @noble/hashes.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import { sha256 as jsSha256 } from '@noble/hashes/sha2.js';
import { BlobReader } from './bytes';
import { toHex } from './hash';

/** An incremental SHA-256: bytes handed over in any number of pieces, then the digest once. */
export interface IncrementalSha256 {
  /** Reads `bytes` before returning (the caller may fill the buffer again at once). */
  update(bytes: Uint8Array): void;
  /** The SHA-256 of everything handed over, as lowercase hex; the hasher is finished after it. */
  digestHex(): string;
}

/**
 * The hasher `createIncrementalSha256` gives: hash-wasm's SHA-256 (WebAssembly), or, where hash-wasm
 * cannot be instantiated, @noble/hashes' (JavaScript). Browsers with V8's JIT turned off (an enterprise
 * policy blocking JavaScript JIT, Edge's enhanced security mode, `--jitless`) have no WebAssembly;
 * WebCrypto, which they keep, has no incremental API.
 */
export type Sha256Engine = 'wasm' | 'js';

let engine: Promise<IHasher | null> | undefined;

/**
 * hash-wasm's SHA-256, instantiated once for the page and shared by every stream; `null` once it
 * could not be (remembered: never tried again for the next file).
 */
function wasmHasher(): Promise<IHasher | null> {
  return (engine ??= createSHA256().then(
    (h) => h,
    () => null,
  ));
}

/** Which hasher `createIncrementalSha256` gives on this page (instantiating hash-wasm the first time). */
export async function sha256Engine(): Promise<Sha256Engine> {
  return (await wasmHasher()) ? 'wasm' : 'js';
}

/** A stream's state on the shared hash-wasm hasher while another stream holds it. */
interface WasmStream {
  saved: Uint8Array | null;
}

/** The stream whose state the shared hash-wasm hasher holds now (the others keep theirs saved). */
let owner: WasmStream | null = null;

/**
 * One stream on the shared hash-wasm hasher: its state is saved only when another stream takes the
 * hasher in between (two text files written at once), so a lone stream never copies it.
 */
function wasmSha256(h: IHasher): IncrementalSha256 {
  const stream: WasmStream = { saved: null };
  let done = false;
  const take = () => {
    if (done) throw new Error('SHA-256 already finished');
    if (owner === stream) return;
    if (owner) owner.saved = h.save();
    if (stream.saved) h.load(stream.saved);
    else h.init();
    stream.saved = null;
    owner = stream;
  };
  return {
    update(bytes) {
      take();
      h.update(bytes);
    },
    digestHex() {
      take();
      done = true;
      owner = null;
      return h.digest('hex');
    },
  };
}

/**
 * An incremental SHA-256 for the export (each text file as it is written, the finished package):
 * hash-wasm's, or @noble/hashes' where WebAssembly is unavailable. The same digests either way; the
 * JavaScript one is slower (see docs/performance.md, "Exporting without WebAssembly").
 */
export async function createIncrementalSha256(): Promise<IncrementalSha256> {
  const h = await wasmHasher();
  if (h) return wasmSha256(h);
  const js = jsSha256.create();
  return {
    update(bytes) {
      js.update(bytes);
    },
    digestHex: () => toHex(js.digest()),
  };
}

/**
 * SHA-256 of bytes given in parts (a package's ZIP as `zipParts` lays it out), as lowercase hex: a
 * Blob part is read piece by piece into one buffer (`BlobReader`). WebCrypto could hash a package only
 * once it was read back whole, and copies it (twice the package in memory at the end of an export).
 * hash-wasm's SHA-256 (WebAssembly) holds one piece at a time and hashes ~300 MB/s in Chromium here, a
 * third of WebCrypto's speed and four times a JavaScript one's (seconds for a big package: the
 * locker shows it as its own step, `onProgress` after each part or piece read, in bytes). Without
 * WebAssembly the JavaScript one (`createIncrementalSha256`).
 */
export async function sha256HexOfParts(
  parts: readonly (Uint8Array | Blob)[],
  onProgress?: (done: number, total: number) => void,
): Promise<string> {
  const h = await createIncrementalSha256();
  const reader = new BlobReader();
  const total = parts.reduce((n, p) => n + (p instanceof Uint8Array ? p.length : p.size), 0);
  let done = 0;
  onProgress?.(0, total);
  for (const part of parts)
    if (part instanceof Uint8Array) {
      h.update(part);
      done += part.length;
      onProgress?.(done, total);
    } else
      await reader.pieces(part, (piece) => {
        h.update(piece);
        done += piece.length;
        onProgress?.(done, total);
      });
  return h.digestHex();
}
