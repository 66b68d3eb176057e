/**
 * The installation's signing key and the package signature (specified in docs/bundle-format.md §3).
 *
 *   key          ECDSA P-256, made with WebCrypto; the private half is not extractable
 *   statement    "liveproof/package-signature/v1\n" || "sha256:" || hex(SHA-256(datapackage.json))
 *   signature    ECDSA with SHA-256 over the statement, as WebCrypto gives it: r || s, 64 bytes
 *   fingerprint  SHA-256 of the public key's SPKI DER, hex, shown in groups of four
 *
 * Pure WebCrypto: the same code signs in the extension and checks in the CLI, verify.html and tests.
 */
import { sha256Hex, utf8 } from '../hash';

export const SIGNATURE_ALGORITHM = 'ECDSA-P256-SHA256';
export const SIGNATURE_TAG = 'liveproof/package-signature/v1\n';

const KEY_ALGORITHM: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN_ALGORITHM: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
/** A P-256 SPKI is 91 bytes; anything much longer is not one. */
const MAX_SPKI_BYTES = 200;

const subtle = () => globalThis.crypto.subtle;
const buffer = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

/** A new key pair for this installation. The private key can sign but can never be read out. */
export async function generateInstallKey(): Promise<CryptoKeyPair> {
  return subtle().generateKey(KEY_ALGORITHM, false, ['sign', 'verify']);
}

/** The public key as SubjectPublicKeyInfo DER (public keys stay exportable in WebCrypto). */
export async function exportSpki(publicKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('spki', publicKey));
}

/** SHA-256 of the SPKI DER, lowercase hex: the key's name in the locker, the popup and the letter. */
export function keyFingerprint(spki: Uint8Array): Promise<string> {
  return sha256Hex(spki);
}

/** `3f9a 2c1b …`: sixteen groups of four hex digits, easy to read aloud and compare. */
export function formatFingerprint(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}

/** A fingerprint as a person may type it (groups, colons, capitals) reduced to 64 lowercase hex digits. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/[\s:-]/g, '').toLowerCase();
}

/** The bytes that are signed, for the manifest hash written as `sha256:<hex>`. */
export function signedStatement(manifestHash: string): Uint8Array {
  return utf8(SIGNATURE_TAG + manifestHash);
}

/** What the package builder needs to sign; the private key itself never leaves the extension. */
export interface PackageSigner {
  /** SPKI DER of the public key. */
  publicKey: Uint8Array;
  sign(statement: Uint8Array): Promise<Uint8Array>;
}

export function signerOf(privateKey: CryptoKey, publicKey: Uint8Array): PackageSigner {
  return {
    publicKey,
    sign: async (statement) =>
      new Uint8Array(await subtle().sign(SIGN_ALGORITHM, privateKey, buffer(statement))),
  };
}

/** True when `signature` (r || s) over `statement` verifies with the P-256 key `spki`; false for any malformed input. */
export async function verifySignature(
  spki: Uint8Array,
  statement: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (spki.length > MAX_SPKI_BYTES || signature.length !== 64) return false;
  let key: CryptoKey;
  try {
    key = await subtle().importKey('spki', buffer(spki), KEY_ALGORITHM, false, ['verify']);
  } catch {
    return false;
  }
  return subtle().verify(SIGN_ALGORITHM, key, buffer(signature), buffer(statement));
}

// ---- base64 (standard alphabet, padded), as the digest file carries keys and signatures ----

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  return btoa(bin);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict base64; null for anything else. */
export function fromBase64(text: string): Uint8Array | null {
  if (!BASE64.test(text)) return null;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
