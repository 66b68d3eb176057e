import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buildRequest } from '../../../../src/core/tsa';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const HEAD = '6e9d2b1e' + 'a1'.repeat(28);
const hex = (b: ArrayBuffer | Uint8Array) =>
  Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

describe('buildRequest: the TimeStampReq sent for a chain head', () => {
  it('is a DER TimeStampReq v1: SHA-256 imprint of the head bytes, the nonce, certReq, nothing else', () => {
    const nonce = new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
    const der = buildRequest(HEAD, nonce);
    const req = pkijs.TimeStampReq.fromBER(der.slice().buffer);
    expect(req.version).toBe(1);
    expect(req.messageImprint.hashAlgorithm.algorithmId).toBe('2.16.840.1.101.3.4.2.1');
    // The head hash is sent as it is, not hashed again.
    expect(hex(req.messageImprint.hashedMessage.valueBlock.valueHexView)).toBe(HEAD);
    expect(hex(req.nonce!.valueBlock.valueHexView)).toBe('123456789abcdef0');
    expect(req.certReq).toBe(true);
    expect(req.reqPolicy).toBeUndefined();
    expect(req.extensions).toBeUndefined();
    // DER: re-encoding what was parsed gives the very same bytes.
    expect(hex(new Uint8Array(req.toSchema().toBER()))).toBe(hex(der));
  });

  it('keeps the nonce a positive INTEGER in minimal form', () => {
    const high = pkijs.TimeStampReq.fromBER(buildRequest(HEAD, new Uint8Array([0x9a, 0x01])).slice().buffer);
    expect(hex(high.nonce!.valueBlock.valueHexView)).toBe('009a01');
    expect(high.nonce!.toBigInt()).toBe(0x9a01n);
    const padded = pkijs.TimeStampReq.fromBER(
      buildRequest(HEAD, new Uint8Array([0, 0, 0x05])).slice().buffer,
    );
    expect(hex(padded.nonce!.valueBlock.valueHexView)).toBe('05');
  });

  it('is byte for byte what `openssl ts -query -sha256 -cert` writes for the same head and nonce', () => {
    const openssl = new Uint8Array(readFileSync(join(FIXTURES, 'request.tsq')));
    const head = readFileSync(join(FIXTURES, 'head.txt'), 'utf8').trim();
    const parsed = asn1js.fromBER(openssl.slice().buffer);
    const nonce = new pkijs.TimeStampReq({ schema: parsed.result }).nonce!;
    expect(hex(buildRequest(head, new Uint8Array(nonce.valueBlock.valueHexView)))).toBe(hex(openssl));
  });

  it('refuses an imprint that is not a SHA-256 hex hash, and an empty or huge nonce', () => {
    const nonce = new Uint8Array(8);
    expect(() => buildRequest('abc', nonce)).toThrow(TypeError);
    expect(() => buildRequest(HEAD.toUpperCase(), nonce)).toThrow(TypeError);
    expect(() => buildRequest(HEAD + '00', nonce)).toThrow(TypeError);
    expect(() => buildRequest(HEAD, new Uint8Array(0))).toThrow(TypeError);
    expect(() => buildRequest(HEAD, new Uint8Array(33))).toThrow(TypeError);
  });
});
