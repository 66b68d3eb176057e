/**
 * A real RFC 3161 time-stamping authority for tests, on 127.0.0.1: a test root CA, a TSA certificate
 * it issued (critical extended key usage timeStamping), and DER responses whose tokens are CMS
 * SignedData over a TSTInfo (genTime, the request's nonce echoed, a serial, a policy) with the ESS
 * signing-certificate-v2 attribute, carrying the certificates when the request asks (`certReq`).
 *
 * Built with PKI.js, asn1js and Node's WebCrypto, independently of the checker's code paths (it only
 * shares the libraries). Faults can be switched on to play an offline, failing or lying TSA.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const subtle = globalThis.crypto.subtle;
const engine = new pkijs.CryptoEngine({ name: 'test-tsa', crypto: globalThis.crypto });
pkijs.setEngine('test-tsa', engine);

export const OIDS = {
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha512: '2.16.840.1.101.3.4.2.3',
  /** A policy under the documentation arc: this TSA promises nothing. */
  testPolicy: '1.3.6.1.4.1.55555.3161.1',
} as const;

const ab = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

export interface Issued {
  cert: pkijs.Certificate;
  der: Uint8Array;
  keys: CryptoKeyPair;
}

export interface TestPki {
  /** The test root CA (ECDSA P-256), self-signed. */
  root: Issued;
  /** The TSA's certificate (RSA 2048), issued by `root`, EKU timeStamping, critical. */
  tsa: Issued;
  /** A certificate from the same root without the timeStamping purpose (serverAuth). */
  plain: Issued;
  /** A certificate from the same root with timeStamping, but not marked critical. */
  softEku: Issued;
  /** A second root with the very same name as `root` but another key: an impostor. */
  impostorRoot: Issued;
}

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

function name(cn: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.6',
        value: new asn1js.PrintableString({ value: 'CN' }),
      }),
      new pkijs.AttributeTypeAndValue({
        type: '2.5.4.10',
        value: new asn1js.Utf8String({ value: 'LiveProof Tests' }),
      }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }),
    ],
  });
}

function ext(extnID: string, critical: boolean, value: asn1js.AsnType | pkijs.PkiObject): pkijs.Extension {
  const schema = value instanceof pkijs.PkiObject ? (value as pkijs.ExtKeyUsage).toSchema() : value;
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false) });
}

let serialCounter = 1;

async function issue(opts: {
  cn: string;
  keys: CryptoKeyPair;
  issuer?: Issued;
  ca?: boolean;
  purposes?: string[];
  ekuCritical?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}): Promise<Issued> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serialCounter++ });
  cert.subject = name(opts.cn);
  cert.issuer = opts.issuer ? opts.issuer.cert.subject : name(opts.cn);
  cert.notBefore.value = opts.notBefore ?? new Date('2020-01-01T00:00:00Z');
  cert.notAfter.value = opts.notAfter ?? new Date('2040-01-01T00:00:00Z');
  await cert.subjectPublicKeyInfo.importKey(opts.keys.publicKey, engine);
  const keyId = new Uint8Array(
    await subtle.digest('SHA-1', ab(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)),
  );
  cert.extensions = [
    ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: !!opts.ca }).toSchema()),
    // keyUsage: keyCertSign + cRLSign for a CA, digitalSignature otherwise.
    ext(
      '2.5.29.15',
      true,
      opts.ca
        ? new asn1js.BitString({ valueHex: new Uint8Array([0x06]).buffer, unusedBits: 1 })
        : new asn1js.BitString({ valueHex: new Uint8Array([0x80]).buffer, unusedBits: 7 }),
    ),
    ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyId.buffer })),
  ];
  if (opts.purposes)
    cert.extensions.push(
      ext('2.5.29.37', opts.ekuCritical ?? true, new pkijs.ExtKeyUsage({ keyPurposes: opts.purposes })),
    );
  await cert.sign((opts.issuer?.keys ?? opts.keys).privateKey, 'SHA-256', engine);
  const der = new Uint8Array(cert.toSchema(true).toBER());
  return { cert: pkijs.Certificate.fromBER(der), der, keys: opts.keys };
}

let pkiOnce: Promise<TestPki> | undefined;

/** One test PKI per process (key generation takes a moment). */
export function testPki(): Promise<TestPki> {
  pkiOnce ??= (async () => {
    const gen = (p: RsaHashedKeyGenParams | EcKeyGenParams) =>
      subtle.generateKey(p, false, ['sign', 'verify']) as Promise<CryptoKeyPair>;
    const root = await issue({ cn: 'LiveProof Test Root CA', keys: await gen(EC), ca: true });
    const tsa = await issue({
      cn: 'LiveProof Test TSA',
      keys: await gen(RSA),
      issuer: root,
      purposes: [OIDS.timeStamping],
    });
    const plain = await issue({
      cn: 'LiveProof Test Web Server',
      keys: await gen(EC),
      issuer: root,
      purposes: [OIDS.serverAuth],
    });
    const softEku = await issue({
      cn: 'LiveProof Test Soft TSA',
      keys: await gen(EC),
      issuer: root,
      purposes: [OIDS.timeStamping],
      ekuCritical: false,
    });
    const impostorRoot = await issue({ cn: 'LiveProof Test Root CA', keys: await gen(EC), ca: true });
    return { root, tsa, plain, softEku, impostorRoot };
  })();
  return pkiOnce;
}

/** What a request asked for, as the TSA read it. */
export interface SeenRequest {
  imprintHex: string;
  hashAlgorithm: string;
  nonce?: Uint8Array;
  certReq: boolean;
  contentType: string | undefined;
  bodyBytes: number;
  /** Everything else in the request besides imprint, nonce and certReq (must stay empty). */
  extra: string[];
}

export interface TokenOptions {
  imprintHex: string;
  imprintAlgorithm?: string;
  /** The nonce to echo; omitted when undefined. */
  nonce?: Uint8Array;
  certReq?: boolean;
  /** Also carry the root in the token (a self-contained chain). */
  includeRoot?: boolean;
  genTime?: Date;
  serial?: bigint;
  /** Which certificate signs (default: the TSA's). */
  signer?: 'tsa' | 'plain' | 'softEku';
  /** The ESS attribute: v2 (default), v1, none, or v2 naming another certificate. */
  ess?: 'v2' | 'v1' | 'none' | 'wrong';
  /** More certificates to carry, DER. */
  extraCerts?: Uint8Array[];
  /** Corrupt the signature value after signing. */
  breakSignature?: boolean;
  /** Two SignerInfos instead of one (RFC 3161 allows exactly one). */
  twoSigners?: boolean;
  /** Rewrite the SignerInfo's digest algorithm after signing (an algorithm the checker lacks). */
  digestOid?: string;
}

function bigintBytes(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

let tokenSerial = 0x1000n;

async function essAttribute(kind: 'v2' | 'v1' | 'wrong', cert: Issued): Promise<pkijs.Attribute> {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 4 },
            value: [cert.cert.issuer.toSchema()],
          }),
        ],
      }),
      new asn1js.Integer({ valueHex: cert.cert.serialNumber.valueBlock.valueHexView.slice().buffer }),
    ],
  });
  if (kind === 'v1') {
    const hash = new Uint8Array(await subtle.digest('SHA-1', ab(cert.der)));
    const id = new asn1js.Sequence({
      value: [new asn1js.OctetString({ valueHex: hash.buffer }), issuerSerial],
    });
    return new pkijs.Attribute({
      type: OIDS.signingCertificate,
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [id] })] })],
    });
  }
  const hashed = kind === 'wrong' ? (await testPki()).plain.der : cert.der;
  const hash = new Uint8Array(await subtle.digest('SHA-256', ab(hashed)));
  // hashAlgorithm left out: its DEFAULT is SHA-256 (RFC 5035).
  const id = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: hash.buffer }), issuerSerial],
  });
  return new pkijs.Attribute({
    type: OIDS.signingCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [id] })] })],
  });
}

/** A DER TimeStampToken (ContentInfo) as this TSA would issue it, shaped by `opts`. */
export async function issueToken(opts: TokenOptions): Promise<Uint8Array> {
  const pki = await testPki();
  const signer = pki[opts.signer ?? 'tsa'];
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: OIDS.testPolicy,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: opts.imprintAlgorithm ?? OIDS.sha256,
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(fromHex(opts.imprintHex)) }),
    }),
    serialNumber: new asn1js.Integer({ valueHex: ab(bigintBytes(opts.serial ?? tokenSerial++)) }),
    genTime: opts.genTime ?? new Date(),
    accuracy: new pkijs.Accuracy({ seconds: 1 }),
    ...(opts.nonce ? { nonce: new asn1js.Integer({ valueHex: ab(opts.nonce) }) } : {}),
    tsa: new pkijs.GeneralName({ type: 4, value: signer.cert.subject }),
  });
  const content = new Uint8Array(tst.toSchema().toBER());
  const attributes = [
    new pkijs.Attribute({
      type: OIDS.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OIDS.tstInfo })],
    }),
    new pkijs.Attribute({
      type: OIDS.signingTime,
      values: [new asn1js.UTCTime({ valueDate: opts.genTime ?? new Date() })],
    }),
    new pkijs.Attribute({
      type: OIDS.messageDigest,
      values: [new asn1js.OctetString({ valueHex: await subtle.digest('SHA-256', ab(content)) })],
    }),
  ];
  const ess = opts.ess ?? 'v2';
  if (ess !== 'none') attributes.push(await essAttribute(ess, signer));

  const certificates: pkijs.Certificate[] = [];
  if (opts.certReq ?? true) {
    certificates.push(signer.cert);
    if (opts.includeRoot) certificates.push(pki.root.cert);
  }
  for (const der of opts.extraCerts ?? []) certificates.push(pkijs.Certificate.fromBER(ab(der)));

  const signed = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OIDS.tstInfo,
      eContent: new asn1js.OctetString({ valueHex: ab(content) }),
    }),
    signerInfos: Array.from(
      { length: opts.twoSigners ? 2 : 1 },
      () =>
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({
            issuer: signer.cert.issuer,
            serialNumber: signer.cert.serialNumber,
          }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
        }),
    ),
    ...(certificates.length ? { certificates } : {}),
  });
  for (let i = 0; i < signed.signerInfos.length; i++)
    await signed.sign(signer.keys.privateKey, i, 'SHA-256', undefined, engine);
  if (opts.digestOid)
    signed.signerInfos[0]!.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: opts.digestOid });
  if (opts.breakSignature) {
    const sig = new Uint8Array(signed.signerInfos[0]!.signature.valueBlock.valueHexView);
    sig[sig.length - 5]! ^= 0x01;
    signed.signerInfos[0]!.signature = new asn1js.OctetString({ valueHex: ab(sig) });
  }
  const info = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: signed.toSchema(true),
  });
  return new Uint8Array(info.toSchema().toBER());
}

/** A DER TimeStampResp: granted with `token`, or a rejection with failure bits. */
export function responseDer(
  token: Uint8Array | null,
  rejection?: { failBit: number; text: string },
): Uint8Array {
  const status = rejection
    ? new pkijs.PKIStatusInfo({
        status: pkijs.PKIStatus.rejection,
        statusStrings: [new asn1js.Utf8String({ value: rejection.text })],
        failInfo: (() => {
          const bytes = new Uint8Array(4);
          bytes[rejection.failBit >> 3]! |= 0x80 >> (rejection.failBit & 7);
          return new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 0 });
        })(),
      })
    : new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted });
  const members: asn1js.AsnType[] = [status.toSchema()];
  if (token) members.push(asn1js.fromBER(ab(token)).result);
  return new Uint8Array(new asn1js.Sequence({ value: members }).toBER());
}

/** Reads a TimeStampReq the way a TSA does. */
export function readRequest(der: Uint8Array): Omit<SeenRequest, 'contentType' | 'bodyBytes'> {
  const req = pkijs.TimeStampReq.fromBER(ab(der));
  const extra: string[] = [];
  if (req.reqPolicy) extra.push('reqPolicy');
  if (req.extensions?.length) extra.push('extensions');
  if (req.version !== 1) extra.push(`version ${req.version}`);
  const hex = Array.from(new Uint8Array(req.messageImprint.hashedMessage.valueBlock.valueHexView), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return {
    imprintHex: hex,
    hashAlgorithm: req.messageImprint.hashAlgorithm.algorithmId,
    ...(req.nonce ? { nonce: new Uint8Array(req.nonce.valueBlock.valueHexView) } : {}),
    certReq: !!req.certReq,
    extra,
  };
}

/** How the TSA misbehaves: as it should, unreachable, failing, refusing, or lying. */
export type TsaFault =
  | 'none'
  | 'down'
  | 'http-500'
  | 'rejection'
  | 'garbage'
  | 'wrong-imprint'
  | 'bad-signature'
  | 'wrong-nonce'
  | 'slow';

export interface TestTsa {
  url: string;
  pki: TestPki;
  fault: TsaFault;
  /** For `slow`: how long to wait before answering. */
  delayMs: number;
  /** Every request that reached the TSA (also those it then failed). */
  seen: SeenRequest[];
  /** Tokens it granted, in order. */
  granted: number;
  /** Connections it cut while `down` (requests that never reached it). */
  refused: number;
  close(): Promise<void>;
}

export async function startTestTsa(opts: { path?: string; now?: () => Date } = {}): Promise<TestTsa> {
  const pki = await testPki();
  const path = opts.path ?? '/tsr';
  const tsa: TestTsa = {
    url: '',
    pki,
    fault: 'none',
    delayMs: 0,
    seen: [],
    granted: 0,
    refused: 0,
    close: async () => undefined,
  };

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const fault = tsa.fault;
    if (fault === 'down') {
      tsa.refused++;
      req.socket.destroy();
      return;
    }
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    let seen: SeenRequest;
    try {
      seen = { ...readRequest(body), contentType: req.headers['content-type'], bodyBytes: body.length };
    } catch {
      res.writeHead(400).end();
      return;
    }
    tsa.seen.push(seen);
    if (fault === 'slow') await new Promise((r) => setTimeout(r, tsa.delayMs));
    if (fault === 'http-500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return;
    }
    const reply = (der: Uint8Array) =>
      res
        .writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': der.length })
        .end(Buffer.from(der));
    if (fault === 'garbage') return reply(new TextEncoder().encode('<html>captive portal</html>'));
    if (fault === 'rejection')
      return reply(responseDer(null, { failBit: 14, text: 'time source not available' }));
    if (seen.hashAlgorithm !== OIDS.sha256)
      return reply(responseDer(null, { failBit: 0, text: 'bad algorithm' }));
    const token = await issueToken({
      imprintHex: fault === 'wrong-imprint' ? 'ff'.repeat(32) : seen.imprintHex,
      ...(seen.nonce ? { nonce: fault === 'wrong-nonce' ? new Uint8Array([1, 2, 3]) : seen.nonce } : {}),
      certReq: seen.certReq,
      breakSignature: fault === 'bad-signature',
      ...(opts.now ? { genTime: opts.now() } : {}),
    });
    tsa.granted++;
    reply(responseDer(token));
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  tsa.url = `http://127.0.0.1:${port}${path}`;
  tsa.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return tsa;
}
