/**
 * A P-256 key made for the benchmarks only (PKCS#8 DER, base64): packages built by a benchmark are
 * signed as the extension signs them, with Node's crypto instead of WebCrypto.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';

const key = createPrivateKey({
  key: Buffer.from(
    'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRAbmygV5V+19UM+38QT9QRSu1BEqNtTppClN+gmrH4mhRANCAAQP+xeP39X6SP/6y5dwK6DHpJ6KOQmS2tAk2gfzWNZnOPkobFXQN8Uv+cvvGG2yW/WZuGVm/l3Fp52qtoYyXjpi',
    'base64',
  ),
  format: 'der',
  type: 'pkcs8',
});

export const benchSigner = {
  publicKey: new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' })),
  sign: async (s: Uint8Array) => new Uint8Array(sign('sha256', s, { key, dsaEncoding: 'ieee-p1363' })),
};
