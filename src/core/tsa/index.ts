/**
 * Trusted time (RFC 3161): build a time-stamp request for a chain head, read the TSA's response and
 * check the token it returns. Pure: WebCrypto through `globalThis.crypto`, PKI.js and asn1js for the
 * ASN.1, so the same code runs in the service worker, in Node (CLI, tests) and in a plain page.
 *
 * What is stamped: a chain head's hash itself. The request's messageImprint is
 * `{ hashAlgorithm: sha256, hashedMessage: the 32 bytes of the head's hex hash }` — the chain hash is
 * already SHA-256, so it is not hashed again. A `timestamp` event's token therefore checks with
 * `checkTimeStampToken(token, data.hash)`.
 */
export { MAX_DER_BYTES } from './der';
export { buildRequest, sha256Imprint, NONCE_BYTES, TIMESTAMP_QUERY, TIMESTAMP_REPLY } from './request';
export { parseResponse, isGranted, PKI_STATUS, type TsaResponse, type TsaStatus } from './response';
export {
  checkTimeStampToken,
  problemText,
  TOKEN_PROBLEMS,
  type TokenCheck,
  type TokenProblem,
  type TokenProblemCode,
  type ChainKind,
  type CheckOptions,
} from './token';
