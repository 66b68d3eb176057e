/**
 * PKI.js's crypto engine over the WebCrypto every runtime we target has as `globalThis.crypto`: the
 * extension's service worker and pages, Node ≥ 20 (CLI verifier, tests) and a plain browser page.
 * Set once, on first use, and also passed explicitly to every PKI.js call that takes one.
 */
import * as pkijs from 'pkijs';

let engine: pkijs.CryptoEngine | undefined;

export function cryptoEngine(): pkijs.CryptoEngine {
  if (!engine) {
    if (!globalThis.crypto?.subtle) throw new Error('WebCrypto is not available');
    engine = new pkijs.CryptoEngine({ name: 'liveproof-webcrypto', crypto: globalThis.crypto });
    pkijs.setEngine('liveproof-webcrypto', engine);
  }
  return engine;
}

/** A digest with WebCrypto (`SHA-256`, `SHA-1`, …). */
export async function digest(name: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(name, data as Uint8Array<ArrayBuffer>));
}
