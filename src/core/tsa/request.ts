/**
 * RFC 3161 §2.4.1 TimeStampReq. Only the hash leaves the machine: the request carries the message
 * imprint, a random nonce and `certReq`, and nothing else (no policy, no extensions).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, buffer, fromHex, integerBytes } from './der';
import { cryptoEngine } from './engine';

/** The media types of RFC 3161 §3.4 (time-stamp protocol over HTTP). */
export const TIMESTAMP_QUERY = 'application/timestamp-query';
export const TIMESTAMP_REPLY = 'application/timestamp-reply';

/** Nonce size the background uses: 64 random bits, as OpenSSL's `ts -query` does. */
export const NONCE_BYTES = 8;

export function sha256Imprint(imprintHex: string): pkijs.MessageImprint {
  if (!/^[0-9a-f]{64}$/.test(imprintHex)) throw new TypeError('imprint must be 64 lowercase hex digits');
  return new pkijs.MessageImprint({
    // NULL parameters, as OpenSSL writes them; TSAs accept both that and absent parameters.
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.sha256,
      algorithmParams: new asn1js.Null(),
    }),
    hashedMessage: new asn1js.OctetString({ valueHex: buffer(fromHex(imprintHex)) }),
  });
}

/**
 * A DER TimeStampReq for a SHA-256 imprint (`imprintHex`: the 32 bytes as hex, sent as they are,
 * not hashed again), with `nonce` as a positive INTEGER and `certReq` true, so the token carries the
 * TSA's certificate.
 */
export function buildRequest(imprintHex: string, nonce: Uint8Array): Uint8Array {
  if (nonce.length < 1 || nonce.length > 32) throw new TypeError('nonce must be 1 to 32 bytes');
  cryptoEngine();
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: sha256Imprint(imprintHex),
    nonce: new asn1js.Integer({ valueHex: buffer(integerBytes(nonce)) }),
    certReq: true,
  });
  return new Uint8Array(req.toSchema().toBER());
}
