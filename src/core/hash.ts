import { createSHA256, type IHasher } from 'hash-wasm';
import { sha256 as jsSha256 } from '@noble/hashes/sha2.js';
import { BlobReader } from './bytes';

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/** SHA-256 with WebCrypto (present in extension contexts and in Node ≥ 20 alike), as lowercase hex. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

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

/** Lines longer than this (in UTF-16 units) are handed to hash-wasm as text instead of the buffer. */
const TEXT_BUFFER_CHARS = 16 * 1024;

/**
 * SHA-256 of short texts (event lines) with one reused hash-wasm hasher, as lowercase hex: encoded
 * into one buffer, then init, update and digest in one synchronous step, so that callers awaiting in
 * between (several packages verified at once) never find the hasher part-way through another's text.
 * In Chromium 156 about 2 µs for a 235-byte line against ~5 µs for a WebCrypto digest
 * (`bench/verify/browser.ts`). `h` may be shared with other synchronous users that set their own state.
 */
export function textSha256(h: IHasher): (text: string) => string {
  const buffer = new Uint8Array(TEXT_BUFFER_CHARS * 3);
  return (text) => {
    h.init();
    if (text.length > TEXT_BUFFER_CHARS) h.update(text);
    else h.update(buffer.subarray(0, encoder.encodeInto(text, buffer).written));
    return toHex(h.digest('binary'));
  };
}
