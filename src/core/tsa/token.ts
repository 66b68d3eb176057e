/**
 * Checks an RFC 3161 TimeStampToken (a CMS SignedData over a TSTInfo) for a known imprint, using only
 * what the token carries (and the roots a caller trusts, when it gives some):
 *
 *   - the TSTInfo's messageImprint is SHA-256 and equals the expected hash; its nonce, when asked;
 *   - exactly one signer, whose certificate is in the token; the signed attributes name the TSTInfo
 *     content type and its digest, and the signature over them holds under that certificate;
 *   - the ESS signing-certificate(-v2) attribute binds that very certificate (RFC 5035);
 *   - the certificate's extended key usage is timeStamping only, critical (RFC 3161 §2.3), and it
 *     and its issuers were valid at genTime;
 *   - a chain is built from the token's certificates: to a self-signed root inside the token
 *     (`self-contained`), to one of `trustedRoots` with RFC 5280 path validation (`trusted-root`), or
 *     it stops at an issuer the token does not carry (`incomplete`, not a problem by itself).
 *
 * Never throws on bad input: every finding is a problem with a stable code.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  DIGEST_NAME,
  OID,
  buffer,
  encodedBytes,
  fromHex,
  integerBytes,
  integerHex,
  parseDer,
  sameBytes,
} from './der';
import { cryptoEngine, digest } from './engine';

export const TOKEN_PROBLEMS = [
  /** Not a CMS SignedData over a TSTInfo (or not DER/BER at all). */
  'unparsable',
  /** The TSTInfo's imprint is not SHA-256, or not the expected hash. */
  'imprint-mismatch',
  /** A nonce was expected and the token's is missing or different. */
  'nonce-mismatch',
  /** Not exactly one SignerInfo. */
  'signer-count',
  /** The signer's certificate is not in the token. */
  'no-signer-cert',
  /** The signature, the signed content type or the content digest does not hold. */
  'bad-signature',
  /** A digest or signature algorithm WebCrypto cannot compute. */
  'unsupported-algorithm',
  /** No ESS signing-certificate(-v2) signed attribute. */
  'no-signing-certificate',
  /** The ESS attribute names another certificate than the signer's. */
  'signing-certificate-mismatch',
  /** The signer certificate's extended key usage is not timeStamping alone, marked critical. */
  'not-timestamping-cert',
  /** A certificate of the chain was not valid at genTime. */
  'cert-not-valid-at-gentime',
  /** A certificate in the token claims an issuer whose signature on it does not verify, or that is no CA. */
  'bad-chain',
  /** Trusted roots were given and no valid path leads to one. */
  'untrusted-chain',
] as const;
export type TokenProblemCode = (typeof TOKEN_PROBLEMS)[number];

export interface TokenProblem {
  code: TokenProblemCode;
  detail?: string;
}

export type ChainKind = 'self-contained' | 'trusted-root' | 'incomplete';

export interface TokenCheck {
  ok: boolean;
  /** The TSA's time (TSTInfo genTime), ISO 8601 UTC with milliseconds. */
  genTime?: string;
  /** The TSTInfo serial number, lowercase hex without leading zero bytes. */
  serial?: string;
  /** The TSTInfo `tsa` name when present, else the signer certificate's subject. */
  tsaName?: string;
  /** The TSA policy OID. */
  policy?: string;
  problems: TokenProblem[];
  chain: ChainKind;
}

export interface CheckOptions {
  /** The nonce sent in the request; the token must echo it. */
  nonce?: Uint8Array;
  /** DER certificates trusted as roots; when given, the chain must lead to one of them. */
  trustedRoots?: Uint8Array[];
}

interface Cert {
  cert: pkijs.Certificate;
  /** The certificate exactly as the token carries it (what ESS hashes). */
  der: Uint8Array;
}

interface Parsed {
  signed: pkijs.SignedData;
  tst: pkijs.TSTInfo;
  /** The TSTInfo DER, the signed content. */
  content: Uint8Array;
  certs: Cert[];
}

/** The problems in one line, for a report: `imprint-mismatch; bad-signature (no signed attributes)`. */
export function problemText(problems: readonly TokenProblem[]): string {
  return problems.map((p) => (p.detail ? `${p.code} (${p.detail})` : p.code)).join('; ');
}

const MAX_CHAIN = 8;

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'E',
};

/** `CN=…, O=…, C=…` (most specific first, as RFC 4514 writes names). */
export function nameText(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const value = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      return `${ATTRIBUTE_NAMES[tv.type] ?? tv.type}=${typeof value === 'string' ? value : '#'}`;
    })
    .reverse()
    .join(', ');
}

function generalNameText(name: pkijs.GeneralName): string | undefined {
  if (name.type === 4 && name.value instanceof pkijs.RelativeDistinguishedNames) return nameText(name.value);
  if ((name.type === 1 || name.type === 2 || name.type === 6) && typeof name.value === 'string')
    return name.value;
  return undefined;
}

function readToken(bytes: Uint8Array): Parsed | string {
  const node = parseDer(bytes);
  if (!node) return 'not a single DER value';
  try {
    const info = new pkijs.ContentInfo({ schema: node });
    if (info.contentType !== OID.signedData) return `content type ${info.contentType}, not signedData`;
    const signed = new pkijs.SignedData({ schema: info.content });
    if (signed.encapContentInfo.eContentType !== OID.tstInfo)
      return `encapsulated ${signed.encapContentInfo.eContentType}, not TSTInfo`;
    const e = signed.encapContentInfo.eContent;
    if (!e) return 'no TSTInfo inside';
    const content = new Uint8Array(e.getValue());
    const tstNode = parseDer(content);
    if (!tstNode) return 'TSTInfo is not DER';
    const tst = new pkijs.TSTInfo({ schema: tstNode });
    if (tst.version !== 1) return `TSTInfo version ${tst.version}`;
    return { signed, tst, content, certs: carriedCertificates(info.content as asn1js.Sequence, signed) };
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The token's certificates, each with its bytes as carried (the SignedData's `[0]` member). */
function carriedCertificates(signedNode: asn1js.Sequence, signed: pkijs.SignedData): Cert[] {
  const set = signedNode.valueBlock.value.find(
    (n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0,
  ) as asn1js.Constructed | undefined;
  const raw = set?.valueBlock.value ?? [];
  const out: Cert[] = [];
  (signed.certificates ?? []).forEach((c, i) => {
    if (c instanceof pkijs.Certificate && raw[i]) out.push({ cert: c, der: encodedBytes(raw[i]) });
  });
  return out;
}

async function findSigner(sid: pkijs.SignerInfo['sid'], certs: Cert[]): Promise<Cert | undefined> {
  if (sid instanceof pkijs.IssuerAndSerialNumber)
    return certs.find(
      (c) => c.cert.issuer.isEqual(sid.issuer) && c.cert.serialNumber.isEqual(sid.serialNumber),
    );
  // [0] SubjectKeyIdentifier: the certificate's own SKI extension, or SHA-1 of its key (RFC 5280 §4.2.1.2).
  const node = sid as asn1js.Constructed & asn1js.Primitive;
  const keyId = new Uint8Array(
    node.idBlock.isConstructed
      ? (node.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView
      : node.valueBlock.valueHexView,
  );
  for (const c of certs) {
    const ski = c.cert.extensions?.find((x) => x.extnID === '2.5.29.14')?.parsedValue;
    if (ski instanceof asn1js.OctetString && sameBytes(new Uint8Array(ski.valueBlock.valueHexView), keyId))
      return c;
    const keyBits = new Uint8Array(c.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
    if (sameBytes(await digest('SHA-1', keyBits), keyId)) return c;
  }
  return undefined;
}

/** RFC 5035 / RFC 2634: the first ESSCertID(v2) must be the signer's certificate. */
async function checkSigningCertificate(attrs: pkijs.Attribute[], signer: Cert): Promise<TokenProblem | null> {
  const v2 = attrs.find((a) => a.type === OID.signingCertificateV2);
  const attr = v2 ?? attrs.find((a) => a.type === OID.signingCertificate);
  if (!attr) return { code: 'no-signing-certificate' };
  try {
    const value = attr.values[0] as asn1js.Sequence;
    const first = (value.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let hashName = v2 ? 'SHA-256' : 'SHA-1';
    let i = 0;
    if (v2 && parts[0] instanceof asn1js.Sequence) {
      const oid = new pkijs.AlgorithmIdentifier({ schema: parts[0] }).algorithmId;
      const name = DIGEST_NAME[oid];
      if (!name) return { code: 'unsupported-algorithm', detail: `ESS hash ${oid}` };
      hashName = name;
      i = 1;
    }
    const certHash = new Uint8Array((parts[i] as asn1js.OctetString).valueBlock.valueHexView);
    if (!sameBytes(await digest(hashName, signer.der), certHash))
      return {
        code: 'signing-certificate-mismatch',
        detail: `${hashName} of the signer certificate differs`,
      };
    const issuerSerial = parts[i + 1];
    if (issuerSerial instanceof asn1js.Sequence) {
      const [names, serial] = issuerSerial.valueBlock.value as [asn1js.Sequence, asn1js.Integer];
      if (!signer.cert.serialNumber.isEqual(serial))
        return { code: 'signing-certificate-mismatch', detail: 'issuerSerial names another serial number' };
      for (const n of names.valueBlock.value) {
        const general = new pkijs.GeneralName({ schema: n });
        if (
          general.type === 4 &&
          !signer.cert.issuer.isEqual(general.value as pkijs.RelativeDistinguishedNames)
        )
          return { code: 'signing-certificate-mismatch', detail: 'issuerSerial names another issuer' };
      }
    }
    return null;
  } catch {
    return { code: 'signing-certificate-mismatch', detail: 'the attribute is malformed' };
  }
}

function timestampingProblem(cert: pkijs.Certificate): TokenProblem | null {
  const ext = cert.extensions?.find((x) => x.extnID === OID.extKeyUsage);
  const purposes = ext?.parsedValue instanceof pkijs.ExtKeyUsage ? ext.parsedValue.keyPurposes : null;
  if (!ext || !purposes?.includes(OID.timeStamping))
    return { code: 'not-timestamping-cert', detail: 'no timeStamping extended key usage' };
  if (purposes.length !== 1)
    return { code: 'not-timestamping-cert', detail: 'other key purposes besides timeStamping' };
  if (!ext.critical) return { code: 'not-timestamping-cert', detail: 'extended key usage is not critical' };
  return null;
}

function validAt(cert: pkijs.Certificate, at: Date): boolean {
  return cert.notBefore.value.getTime() <= at.getTime() && at.getTime() <= cert.notAfter.value.getTime();
}

function isCa(cert: pkijs.Certificate): boolean {
  const bc = cert.extensions?.find((x) => x.extnID === '2.5.29.19')?.parsedValue;
  return bc instanceof pkijs.BasicConstraints && !!bc.cA;
}

async function signedBy(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  try {
    return await cert.verify(issuer, cryptoEngine());
  } catch {
    return false;
  }
}

/** Walks issuer links through the token's certificates (and trusted roots) from the signer upwards. */
async function walkChain(
  signer: Cert,
  pool: Cert[],
  roots: Cert[],
  at: Date,
  problems: TokenProblem[],
): Promise<ChainKind> {
  const path: Cert[] = [signer];
  let cur = signer;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (roots.some((r) => sameBytes(r.der, cur.der))) return 'trusted-root';
    if (cur.cert.issuer.isEqual(cur.cert.subject) && (await signedBy(cur.cert, cur.cert)))
      return 'self-contained';
    const candidates = [...pool, ...roots].filter(
      (c) => c.cert.subject.isEqual(cur.cert.issuer) && !path.some((p) => sameBytes(p.der, c.der)),
    );
    let next: Cert | undefined;
    for (const c of candidates) if (!next && (await signedBy(cur.cert, c.cert))) next = c;
    if (!next) {
      // A carried certificate that claims to be the issuer and is not: the token contradicts itself.
      // (A trusted root of that name that did not sign it is reported as an untrusted chain instead.)
      if (candidates.some((c) => pool.includes(c)))
        problems.push({
          code: 'bad-chain',
          detail: `${nameText(cur.cert.subject)} is not signed by its issuer`,
        });
      return 'incomplete';
    }
    if (!isCa(next.cert)) {
      problems.push({ code: 'bad-chain', detail: `${nameText(next.cert.subject)} is not a CA` });
      return 'incomplete';
    }
    if (!validAt(next.cert, at))
      problems.push({ code: 'cert-not-valid-at-gentime', detail: nameText(next.cert.subject) });
    path.push(next);
    cur = next;
  }
  return 'incomplete';
}

/** RFC 5280 path validation by PKI.js, at genTime, from the token's certificates to a trusted root. */
async function validatesTo(signer: Cert, certs: Cert[], roots: Cert[], at: Date): Promise<string | null> {
  try {
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: roots.map((r) => r.cert),
      certs: [...certs.filter((c) => c !== signer).map((c) => c.cert), signer.cert],
      checkDate: at,
    });
    const result = await engine.verify({}, cryptoEngine());
    return result.result ? null : result.resultMessage || 'no valid path';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function parseCertificate(der: Uint8Array): Cert | null {
  const node = parseDer(der);
  if (!node) return null;
  try {
    return { cert: new pkijs.Certificate({ schema: node }), der: encodedBytes(node) };
  } catch {
    return null;
  }
}

export async function checkTimeStampToken(
  token: Uint8Array,
  expectedImprintHex: string,
  opts: CheckOptions = {},
): Promise<TokenCheck> {
  const crypto = cryptoEngine();
  const problems: TokenProblem[] = [];
  const parsed = readToken(token);
  if (typeof parsed === 'string')
    return { ok: false, problems: [{ code: 'unparsable', detail: parsed }], chain: 'incomplete' };
  const { signed, tst, content, certs } = parsed;

  const at = tst.genTime;
  const facts: Omit<TokenCheck, 'ok' | 'problems' | 'chain'> = {
    ...(Number.isNaN(at.getTime()) ? {} : { genTime: at.toISOString() }),
    serial: integerHex(tst.serialNumber),
    policy: tst.policy,
  };
  const done = (chain: ChainKind): TokenCheck => ({ ok: problems.length === 0, ...facts, problems, chain });
  if (!facts.genTime) problems.push({ code: 'unparsable', detail: 'genTime is not a time' });

  // What was stamped.
  const imprint = tst.messageImprint;
  const hashed = new Uint8Array(imprint.hashedMessage.valueBlock.valueHexView);
  if (imprint.hashAlgorithm.algorithmId !== OID.sha256)
    problems.push({
      code: 'imprint-mismatch',
      detail: `hash algorithm ${imprint.hashAlgorithm.algorithmId}`,
    });
  else if (!/^[0-9a-f]{64}$/.test(expectedImprintHex) || !sameBytes(hashed, fromHex(expectedImprintHex)))
    problems.push({ code: 'imprint-mismatch' });
  if (opts.nonce) {
    const echoed = tst.nonce ? new Uint8Array(tst.nonce.valueBlock.valueHexView) : null;
    if (!echoed) problems.push({ code: 'nonce-mismatch', detail: 'no nonce in the token' });
    else if (!sameBytes(integerBytes(echoed), integerBytes(opts.nonce)))
      problems.push({ code: 'nonce-mismatch' });
  }

  // Who signed it.
  if (signed.signerInfos.length !== 1) {
    problems.push({ code: 'signer-count', detail: String(signed.signerInfos.length) });
    return done('incomplete');
  }
  const info = signed.signerInfos[0]!;
  const signer = await findSigner(info.sid, certs);
  if (!signer) {
    problems.push({ code: 'no-signer-cert' });
    return done('incomplete');
  }
  facts.tsaName = (tst.tsa && generalNameText(tst.tsa)) || nameText(signer.cert.subject);

  // The signature over the signed attributes, which carry the content's digest.
  const digestName = DIGEST_NAME[info.digestAlgorithm.algorithmId];
  const attrs = info.signedAttrs?.attributes ?? [];
  if (!digestName) {
    problems.push({ code: 'unsupported-algorithm', detail: `digest ${info.digestAlgorithm.algorithmId}` });
  } else if (!info.signedAttrs) {
    problems.push({ code: 'bad-signature', detail: 'no signed attributes' });
  } else {
    const type = attrs.find((a) => a.type === OID.contentType)?.values[0];
    const md = attrs.find((a) => a.type === OID.messageDigest)?.values[0];
    if (!(type instanceof asn1js.ObjectIdentifier) || type.valueBlock.toString() !== OID.tstInfo)
      problems.push({ code: 'bad-signature', detail: 'signed content type is not TSTInfo' });
    else if (
      !(md instanceof asn1js.OctetString) ||
      !sameBytes(await digest(digestName, content), new Uint8Array(md.valueBlock.valueHexView))
    )
      problems.push({ code: 'bad-signature', detail: 'the TSTInfo does not match its signed digest' });
    else {
      try {
        const good = await crypto.verifyWithPublicKey(
          buffer(new Uint8Array(info.signedAttrs.encodedValue)),
          info.signature,
          signer.cert.subjectPublicKeyInfo,
          info.signatureAlgorithm,
          digestName,
        );
        if (!good) problems.push({ code: 'bad-signature' });
      } catch (err) {
        // PKI.js throws for an algorithm it cannot map to WebCrypto, and for a malformed signature value.
        const detail = err instanceof Error ? err.message : String(err);
        const code = /unsupported|not supported/i.test(detail) ? 'unsupported-algorithm' : 'bad-signature';
        problems.push({ code, detail });
      }
    }
    const ess = await checkSigningCertificate(attrs, signer);
    if (ess) problems.push(ess);
  }

  // The certificate: a time-stamping one, valid then, and where it comes from.
  const eku = timestampingProblem(signer.cert);
  if (eku) problems.push(eku);
  if (facts.genTime && !validAt(signer.cert, at))
    problems.push({ code: 'cert-not-valid-at-gentime', detail: nameText(signer.cert.subject) });

  const roots: Cert[] = [];
  for (const der of opts.trustedRoots ?? []) {
    const root = parseCertificate(der);
    if (root) roots.push(root);
  }
  let chain = await walkChain(signer, certs, roots, at, problems);
  if (opts.trustedRoots) {
    const failure = roots.length ? await validatesTo(signer, certs, roots, at) : 'no usable trusted root';
    if (failure) {
      problems.push({ code: 'untrusted-chain', detail: failure });
      if (chain === 'trusted-root') chain = 'incomplete';
    } else chain = 'trusted-root';
  }
  return done(chain);
}
