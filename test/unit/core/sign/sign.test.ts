/**
 * The installation key and the package signature: made with WebCrypto, private half sealed in,
 * fingerprint as documented, signatures that any stock ECDSA P-256 implementation accepts.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_TAG,
  exportSpki,
  formatFingerprint,
  fromBase64,
  generateInstallKey,
  keyFingerprint,
  normalizeFingerprint,
  signedStatement,
  signerOf,
  toBase64,
  verifySignature,
} from '../../../../src/core/sign';

describe('the installation key', () => {
  it('is ECDSA P-256, and its private half cannot be exported', async () => {
    const pair = await generateInstallKey();
    expect(pair.privateKey.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(pair.privateKey.extractable).toBe(false);
    expect(pair.privateKey.usages).toEqual(['sign']);
    await expect(crypto.subtle.exportKey('pkcs8', pair.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow();
  });

  it('survives a structured clone (what IndexedDB stores) and still signs', async () => {
    const pair = await generateInstallKey();
    const clone = structuredClone(pair.privateKey);
    expect(clone.extractable).toBe(false);
    const spki = await exportSpki(pair.publicKey);
    const statement = signedStatement(`sha256:${'ab'.repeat(32)}`);
    const signature = await signerOf(clone, spki).sign(statement);
    expect(await verifySignature(spki, statement, signature)).toBe(true);
  });

  it('has a fingerprint: SHA-256 of the SPKI DER, hex, shown in sixteen groups of four', async () => {
    const pair = await generateInstallKey();
    const spki = await exportSpki(pair.publicKey);
    expect(spki.length).toBe(91);
    const fp = await keyFingerprint(spki);
    expect(fp).toBe(createHash('sha256').update(spki).digest('hex'));
    const shown = formatFingerprint(fp);
    expect(shown).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    expect(normalizeFingerprint(shown.toUpperCase())).toBe(fp);
    expect(normalizeFingerprint(fp.match(/../g)!.join(':'))).toBe(fp);
  });
});

describe('the package signature', () => {
  it('signs the tagged statement, and Node’s own ECDSA accepts it', async () => {
    const pair = await generateInstallKey();
    const spki = await exportSpki(pair.publicKey);
    const hash = `sha256:${'0f'.repeat(32)}`;
    const statement = signedStatement(hash);
    expect(new TextDecoder().decode(statement)).toBe(`liveproof/package-signature/v1\n${hash}`);
    expect(SIGNATURE_TAG).toBe('liveproof/package-signature/v1\n');
    const signature = await signerOf(pair.privateKey, spki).sign(statement);
    expect(signature).toHaveLength(64);
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    expect(nodeVerify('sha256', statement, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('does not verify for another statement, another key, or malformed input', async () => {
    const [a, b] = [await generateInstallKey(), await generateInstallKey()];
    const [spkiA, spkiB] = [await exportSpki(a.publicKey), await exportSpki(b.publicKey)];
    const statement = signedStatement(`sha256:${'11'.repeat(32)}`);
    const signature = await signerOf(a.privateKey, spkiA).sign(statement);
    expect(await verifySignature(spkiA, statement, signature)).toBe(true);
    expect(await verifySignature(spkiA, signedStatement(`sha256:${'12'.repeat(32)}`), signature)).toBe(false);
    expect(await verifySignature(spkiB, statement, signature)).toBe(false);
    expect(await verifySignature(new Uint8Array([1, 2, 3]), statement, signature)).toBe(false);
    expect(await verifySignature(spkiA, statement, signature.subarray(0, 63))).toBe(false);
    expect(await verifySignature(new Uint8Array(5000), statement, signature)).toBe(false);
  });
});

describe('base64', () => {
  it('round-trips and refuses what is not strict base64', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    for (const bad of ['abc', 'a=bc', '****', 'YQ', 'YQ=']) expect(fromBase64(bad), bad).toBeNull();
    expect(fromBase64('')).toEqual(new Uint8Array());
  });
});
