import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkijs from 'pkijs';
import { TOKEN_PROBLEMS, checkTimeStampToken, problemText, type TokenCheck } from '../../../../src/core/tsa';
import { issueToken, testPki, type TokenOptions } from '../../../support/tsa-server';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const HEAD = '6e9d2b1e'.repeat(8);
const NONCE = new Uint8Array([0x8f, 0x10, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]);
const GEN_TIME = new Date('2026-11-28T17:56:14.670Z');

const token = (opts: Partial<TokenOptions> = {}) =>
  issueToken({ imprintHex: HEAD, nonce: NONCE, genTime: GEN_TIME, ...opts });
/** Every code a test below has seen, so the last test can tell whether each one was provoked. */
const seen = new Set<string>();
const codes = (c: TokenCheck) => {
  for (const p of c.problems) seen.add(p.code);
  return c.problems.map((p) => p.code);
};

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('checkTimeStampToken: a good token from the test TSA', () => {
  it('passes and reports genTime, serial, policy and the TSA’s name', async () => {
    const check = await checkTimeStampToken(await token({ serial: 0xbeefn }), HEAD, { nonce: NONCE });
    expect(check).toEqual({
      ok: true,
      genTime: '2026-11-28T17:56:14.670Z',
      serial: 'beef',
      policy: '1.3.6.1.4.1.55555.3161.1',
      tsaName: 'CN=LiveProof Test TSA, O=LiveProof Tests, C=CN',
      problems: [],
      chain: 'incomplete',
    });
  });

  it('classifies the chain: incomplete without the root, self-contained with it, trusted-root when given', async () => {
    const pki = await testPki();
    const bare = await token();
    const withRoot = await token({ includeRoot: true });
    expect((await checkTimeStampToken(bare, HEAD)).chain).toBe('incomplete');
    expect((await checkTimeStampToken(withRoot, HEAD)).chain).toBe('self-contained');
    for (const t of [bare, withRoot]) {
      const trusted = await checkTimeStampToken(t, HEAD, { trustedRoots: [pki.root.der] });
      expect(trusted).toMatchObject({ ok: true, chain: 'trusted-root' });
    }
  });

  it('accepts the older ESS signing-certificate (SHA-1) attribute', async () => {
    expect(await checkTimeStampToken(await token({ ess: 'v1' }), HEAD)).toMatchObject({
      ok: true,
      problems: [],
    });
  });

  it('does not need a nonce when none is asked for', async () => {
    expect((await checkTimeStampToken(await token({ nonce: undefined }), HEAD)).ok).toBe(true);
  });
});

describe('checkTimeStampToken: every problem, by its code', () => {
  it('unparsable: not DER, not a ContentInfo, not a signed TSTInfo', async () => {
    const pki = await testPki();
    const good = await token();
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode('not a token'),
      good.subarray(0, good.length - 1),
      new Uint8Array([...good, 0]),
      pki.tsa.der,
    ]) {
      const check = await checkTimeStampToken(bytes, HEAD);
      expect(check.ok).toBe(false);
      expect(codes(check)).toEqual(['unparsable']);
      expect(check.chain).toBe('incomplete');
    }
  });

  it('imprint-mismatch: another hash, or another hash algorithm', async () => {
    expect(codes(await checkTimeStampToken(await token(), 'ab'.repeat(32)))).toEqual(['imprint-mismatch']);
    expect(codes(await checkTimeStampToken(await token(), 'not hex'))).toEqual(['imprint-mismatch']);
    const sha512 = await token({ imprintAlgorithm: '2.16.840.1.101.3.4.2.3' });
    const check = await checkTimeStampToken(sha512, HEAD);
    expect(codes(check)).toEqual(['imprint-mismatch']);
    expect(check.problems[0]!.detail).toBe('hash algorithm 2.16.840.1.101.3.4.2.3');
  });

  it('nonce-mismatch: missing or different', async () => {
    const other = new Uint8Array([1, 2, 3]);
    expect(codes(await checkTimeStampToken(await token(), HEAD, { nonce: other }))).toEqual([
      'nonce-mismatch',
    ]);
    expect(
      codes(await checkTimeStampToken(await token({ nonce: undefined }), HEAD, { nonce: NONCE })),
    ).toEqual(['nonce-mismatch']);
    // The same number with a different number of leading zero bytes is the same nonce.
    const padded = new Uint8Array([0, 0, ...NONCE]);
    expect((await checkTimeStampToken(await token(), HEAD, { nonce: padded })).ok).toBe(true);
  });

  it('signer-count: RFC 3161 allows exactly one signer', async () => {
    expect(codes(await checkTimeStampToken(await token({ twoSigners: true }), HEAD))).toEqual([
      'signer-count',
    ]);
  });

  it('no-signer-cert: the token does not carry the signer’s certificate (certReq ignored)', async () => {
    const check = await checkTimeStampToken(await token({ certReq: false }), HEAD);
    expect(codes(check)).toEqual(['no-signer-cert']);
    expect(check.genTime).toBe('2026-11-28T17:56:14.670Z');
  });

  it('bad-signature: a broken signature value', async () => {
    expect(codes(await checkTimeStampToken(await token({ breakSignature: true }), HEAD))).toEqual([
      'bad-signature',
    ]);
  });

  it('unsupported-algorithm: a digest WebCrypto does not have', async () => {
    const md5 = await token({ digestOid: '1.2.840.113549.2.5' });
    expect(codes(await checkTimeStampToken(md5, HEAD))).toEqual(['unsupported-algorithm']);
  });

  it('no-signing-certificate / signing-certificate-mismatch: the ESS binding', async () => {
    expect(codes(await checkTimeStampToken(await token({ ess: 'none' }), HEAD))).toEqual([
      'no-signing-certificate',
    ]);
    expect(codes(await checkTimeStampToken(await token({ ess: 'wrong' }), HEAD))).toEqual([
      'signing-certificate-mismatch',
    ]);
  });

  it('not-timestamping-cert: no timeStamping purpose, or not marked critical', async () => {
    const plain = await checkTimeStampToken(await token({ signer: 'plain' }), HEAD);
    expect(codes(plain)).toEqual(['not-timestamping-cert']);
    expect(plain.problems[0]!.detail).toBe('no timeStamping extended key usage');
    const soft = await checkTimeStampToken(await token({ signer: 'softEku' }), HEAD);
    expect(soft.problems).toEqual([
      { code: 'not-timestamping-cert', detail: 'extended key usage is not critical' },
    ]);
  });

  it('cert-not-valid-at-gentime: stamped after the TSA certificate expired', async () => {
    const late = await token({ genTime: new Date('2041-01-01T00:00:00Z') });
    expect(codes(await checkTimeStampToken(late, HEAD))).toEqual(['cert-not-valid-at-gentime']);
  });

  it('bad-chain: the token carries an issuer of the right name that did not sign the TSA certificate', async () => {
    const pki = await testPki();
    const check = await checkTimeStampToken(await token({ extraCerts: [pki.impostorRoot.der] }), HEAD);
    expect(codes(check)).toEqual(['bad-chain']);
    expect(check.chain).toBe('incomplete');
  });

  it('untrusted-chain: trusted roots were given and none is where the chain leads', async () => {
    const pki = await testPki();
    const openSslRoot = new Uint8Array(readFileSync(join(FIXTURES, 'root.der')));
    for (const roots of [[openSslRoot], [pki.impostorRoot.der], [new Uint8Array([1, 2, 3])]]) {
      const check = await checkTimeStampToken(await token({ includeRoot: true }), HEAD, {
        trustedRoots: roots,
      });
      expect(codes(check)).toEqual(['untrusted-chain']);
      expect(check.chain).toBe('self-contained');
    }
  });

  it('every listed code was provoked above', () => {
    expect([...seen].sort()).toEqual([...TOKEN_PROBLEMS].sort());
  });
});

describe('checkTimeStampToken: tampered bytes', () => {
  it('a changed genTime no longer matches the signed digest', async () => {
    const good = await token();
    const at = indexOf(good, new TextEncoder().encode('20261128175614'));
    expect(at).toBeGreaterThan(0);
    const bad = good.slice();
    bad[at + 3] = 0x37; // 2026 → 2027
    const check = await checkTimeStampToken(bad, HEAD);
    expect(check.genTime).toBe('2027-11-28T17:56:14.670Z');
    expect(check.problems).toEqual([
      { code: 'bad-signature', detail: 'the TSTInfo does not match its signed digest' },
    ]);
    expect(check.ok).toBe(false);
  });

  it('a changed imprint is reported both as not the head and as not what the TSA signed', async () => {
    const good = await token();
    const at = indexOf(good, Buffer.from(HEAD, 'hex'));
    const bad = good.slice();
    bad[at] = bad[at]! ^ 0xff;
    const forged = Buffer.from(bad.subarray(at, at + 32)).toString('hex');
    const both = await checkTimeStampToken(bad, HEAD);
    expect(codes(both)).toEqual(['imprint-mismatch', 'bad-signature']);
    expect(problemText(both.problems)).toBe(
      'imprint-mismatch; bad-signature (the TSTInfo does not match its signed digest)',
    );
    expect(codes(await checkTimeStampToken(bad, forged))).toEqual(['bad-signature']);
  });

  it('any single flipped byte in the signed attributes or the signature fails the token', async () => {
    const good = await token();
    const signed = new pkijs.SignedData({
      schema: new pkijs.ContentInfo({ schema: pkijs.ContentInfo.fromBER(good.slice().buffer).toSchema() })
        .content,
    });
    const sig = new Uint8Array(signed.signerInfos[0]!.signature.valueBlock.valueHexView);
    const at = indexOf(good, sig);
    expect(at).toBeGreaterThan(0);
    for (const offset of [at, at + 100, at + sig.length - 1, at - 40]) {
      const bad = good.slice();
      bad[offset] = bad[offset]! ^ 0x01;
      const check = await checkTimeStampToken(bad, HEAD);
      expect(check.ok, `byte ${offset}`).toBe(false);
    }
  });
});

describe('checkTimeStampToken: tokens made by OpenSSL (`openssl ts -reply`), an independent implementation', () => {
  const head = readFileSync(join(FIXTURES, 'head.txt'), 'utf8').trim();
  const root = new Uint8Array(readFileSync(join(FIXTURES, 'root.der')));
  const request = pkijs.TimeStampReq.fromBER(readFileSync(join(FIXTURES, 'request.tsq')));
  const nonce = new Uint8Array(request.nonce!.valueBlock.valueHexView);
  const read = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

  it('ESS v1, chain carried: passes, self-contained, and trusted to its root', async () => {
    const t = read('ess-v1-chain.tst');
    const check = await checkTimeStampToken(t, head, { nonce });
    expect(check).toMatchObject({
      ok: true,
      chain: 'self-contained',
      policy: '1.3.6.1.4.1.55555.3161.2',
      tsaName: 'CN=OpenSSL Fixture TSA, O=LiveProof Tests, C=CN',
    });
    expect(check.genTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await checkTimeStampToken(t, head, { nonce, trustedRoots: [root] })).chain).toBe('trusted-root');
  });

  it('ESS v2 (SHA-256), signer certificate only: passes, incomplete until the root is given', async () => {
    const t = read('ess-v2.tst');
    expect(await checkTimeStampToken(t, head, { nonce })).toMatchObject({ ok: true, chain: 'incomplete' });
    expect(await checkTimeStampToken(t, head, { nonce, trustedRoots: [root] })).toMatchObject({
      ok: true,
      chain: 'trusted-root',
    });
    expect(codes(await checkTimeStampToken(t, HEAD, { nonce }))).toEqual(['imprint-mismatch']);
  });
});
