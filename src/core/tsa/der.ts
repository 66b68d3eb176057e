/**
 * Small byte and ASN.1 helpers shared by the request builder, the response parser and the token
 * checker. Every parse of outside bytes goes through `parseDer`, which bounds depth and node count.
 */
import * as asn1js from 'asn1js';

export const OID = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  extKeyUsage: '2.5.29.37',
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

/** WebCrypto's name for a digest algorithm OID, or undefined when WebCrypto has none. */
export const DIGEST_NAME: Record<string, string> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** A token is a few kilobytes; anything this large is not one. */
export const MAX_DER_BYTES = 64 * 1024;

/** WebCrypto and pkijs take `BufferSource`; a plain `Uint8Array` may sit on a shared buffer in TS's eyes. */
export const buffer = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new TypeError('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * The bytes of a non-negative INTEGER in minimal two's-complement form: leading zero bytes dropped,
 * one put back when the top bit would make it negative. Two encodings of one number compare equal.
 */
export function integerBytes(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const rest = bytes.subarray(i);
  if (!rest.length) return new Uint8Array([0]);
  if (rest[0]! & 0x80) {
    const out = new Uint8Array(rest.length + 1);
    out.set(rest, 1);
    return out;
  }
  return rest.slice();
}

/** Lowercase hex of an INTEGER's magnitude without leading zero bytes (`00` for zero). */
export function integerHex(int: asn1js.Integer): string {
  const bytes = new Uint8Array(int.valueBlock.valueHexView);
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let out = '';
  for (const b of bytes.subarray(i)) out += b.toString(16).padStart(2, '0');
  return out || '00';
}

/** Parses exactly one BER/DER value that fills `bytes`; null for anything else. */
export function parseDer(bytes: Uint8Array): asn1js.AsnType | null {
  if (!bytes.length || bytes.length > MAX_DER_BYTES) return null;
  const parsed = asn1js.fromBER(buffer(bytes), { maxDepth: 64, maxNodes: 20_000 });
  if (parsed.offset === -1 || parsed.offset !== bytes.length) return null;
  return parsed.result;
}

/** The exact bytes a parsed value was read from (header included). */
export function encodedBytes(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.valueBeforeDecodeView);
}
