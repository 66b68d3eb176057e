import type { IHasher } from 'hash-wasm';

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
