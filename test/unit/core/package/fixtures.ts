/**
 * Sealed sessions with real PNG screenshots, a complaint package built from them, and the tools a
 * tamperer would use on it: unzip to a file map, edit, re-seal the manifest and digest, zip again.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { solidPng } from '../../../support/png';
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { emptyHead, sealAfter, type Unsealed } from '../../../../src/core/chain';
import { canonicalJson } from '../../../../src/core/canonical';
import type { SealedEvent } from '../../../../src/core/evidence';
import type { Lang } from '../../../../src/core/i18n';
import {
  DATAPACKAGE,
  DIGEST,
  PackageBuildError,
  buildPackage,
  eventsPath,
  mediatypeOf,
  zipPackage,
  type BuiltPackage,
  type DataPackage,
  type PackageInput,
  type SessionExport,
} from '../../../../src/core/package';
import { SIGNATURE_ALGORITHM, signedStatement, type PackageSigner } from '../../../../src/core/sign';
import { emptyFields, type CaseInput } from '../../../../src/core/case/model';

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

// ---- The signing key of the installation that made the sample package ----

/** A P-256 key made for these tests only (PKCS#8 DER, base64); it signs nothing else. */
const TEST_KEY_PKCS8 =
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRAbmygV5V+19UM+38QT9QRSu1BEqNtTppClN+gmrH4mhRANCAAQP+xeP39X6SP/6y5dwK6DHpJ6KOQmS2tAk2gfzWNZnOPkobFXQN8Uv+cvvGG2yW/WZuGVm/l3Fp52qtoYyXjpi';

export interface TestKey {
  privateKey: KeyObject;
  spki: Uint8Array;
  fingerprint: string;
}

export function testKey(pkcs8Base64: string = TEST_KEY_PKCS8): TestKey {
  const privateKey = createPrivateKey({
    key: Buffer.from(pkcs8Base64, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  return { privateKey, spki, fingerprint: sha256(spki) };
}

export const KEY = testKey();

/** ECDSA P-256 / SHA-256 as WebCrypto gives it (r || s), synchronously, with Node's crypto. */
export function signWith(key: TestKey, statement: Uint8Array): Uint8Array {
  return new Uint8Array(sign('sha256', statement, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
}

export const signerOf = (key: TestKey): PackageSigner => ({
  publicKey: key.spki,
  sign: async (statement) => signWith(key, statement),
});

/** Stands in for the bundled verifier (the real one is built by Vite, and tested end to end). */
export const VERIFIER_SCRIPT = 'document.getElementById("app").dataset.ready = "1";';

/** A valid RGB PNG of one colour. */
export const png = (width: number, height: number, rgb: readonly [number, number, number]): Uint8Array =>
  new Uint8Array(solidPng(width, height, rgb));

export const RED = png(4, 3, [200, 30, 30]);
export const BLUE = png(5, 2, [30, 30, 200]);
export const GREEN = png(2, 2, [30, 200, 30]);

export const SESSION_A = '20261128-094000-3f9a2c1b';
export const SESSION_B = '20261128-101500-0badcafe';
export const LIVE_A = 'https://live.douyin.com/880123456';
export const LIVE_B = 'https://live.kuaishou.com/u/3xabc';

let clock = Date.parse('2026-11-28T09:40:00.000Z');
const at = () => new Date((clock += 750)).toISOString();

const page = (url: string, title: string): Unsealed => ({
  type: 'page',
  time: at(),
  data: {
    url,
    title,
    platform: 'douyin',
    adapter: 'generic',
    extensionVersion: '0.1.0',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
    os: 'linux/x86-64',
    timeZone: 'Asia/Shanghai',
    language: 'zh-CN',
    deviceClock: at(),
  },
});

export const chatDraft = (author: string, text: string, extra: Record<string, unknown> = {}): Unsealed => ({
  type: 'chat',
  time: at(),
  data: { author, text, kind: 'chat', ...extra },
});

const shot = (bytes: Uint8Array, reason = 'manual'): Unsealed => ({
  type: 'screenshot',
  time: at(),
  data: { sha256: sha256(bytes), bytes: bytes.length, mediatype: 'image/png', reason },
});

export async function sealed(sessionId: string, drafts: readonly Unsealed[]): Promise<SealedEvent[]> {
  return sealAfter(await emptyHead(sessionId), drafts);
}

/** Session A (ended): page, chat incl. the host and hostile text, two screenshots, a note, a miss, the end. */
export async function sessionA(): Promise<SessionExport> {
  const events = await sealed(SESSION_A, [
    page(LIVE_A, '小美优选直播间'),
    chatDraft('小鹿乱撞', '这个锅多少钱？'),
    chatDraft('小美优选', '今天直播间只要 99 元，七天无理由退货！', { kind: 'host' }),
    shot(RED, 'start'),
    chatDraft('早到的观众', '已经在屏幕上的留言', { backlog: true }),
    chatDraft('"><img src=x onerror=alert(1)>', '=HYPERLINK("http://evil.example","点我退款")'),
    { type: 'note', time: at(), data: { text: '主播承诺七天无理由' } },
    shot(BLUE),
    { type: 'screenshot-missed', time: at(), data: { reason: 'periodic', cause: 'tab-hidden' } },
    chatDraft('路人甲', '-5元优惠券, "限时", 第二行\n第三行'),
    { type: 'session-end', time: at(), data: { cause: 'stopped-by-user' } },
  ]);
  return {
    session: {
      id: SESSION_A,
      url: LIVE_A,
      title: '小美优选直播间',
      platform: 'douyin',
      adapter: 'generic',
      startedAt: events[0]!.time,
      endedAt: events[events.length - 1]!.time,
    },
    events,
    blobs: new Map([
      [sha256(RED), RED],
      [sha256(BLUE), BLUE],
    ]),
  };
}

/** Session B (still open at export): page, chat, a screenshot. */
export async function sessionB(): Promise<SessionExport> {
  const events = await sealed(SESSION_B, [
    page(LIVE_B, '快手好物'),
    chatDraft('买家小王', '链接在哪里？'),
    shot(GREEN, 'command'),
  ]);
  return {
    session: {
      id: SESSION_B,
      url: LIVE_B,
      title: '快手好物',
      platform: 'kuaishou',
      adapter: 'generic',
      startedAt: events[0]!.time,
      endedAt: null,
    },
    events,
    blobs: new Map([[sha256(GREEN), GREEN]]),
  };
}

export async function packageInput(lang: Lang = 'zh_CN'): Promise<PackageInput> {
  return {
    created: new Date('2026-11-28T10:30:00.000Z'),
    toolVersion: '0.1.0',
    environment: {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
      os: 'linux/x86-64',
      timeZone: 'Asia/Shanghai',
      language: 'zh-CN',
    },
    sessions: [await sessionA(), await sessionB()],
    lang,
    signer: signerOf(KEY),
    verifierScript: VERIFIER_SCRIPT,
    shortId: 'a1b2c3',
  };
}

export async function samplePackage(lang: Lang = 'zh_CN'): Promise<BuiltPackage> {
  return buildPackage(await packageInput(lang));
}

// ---- Taking a package apart and putting it back together ----

export type FileMap = Map<string, Uint8Array>;

/** A built file's bytes: the big text files come already deflated (see src/core/package/text-file.ts). */
export function bytesOfFile(f: BuiltPackage['files'][number]): Uint8Array {
  if (!('data' in f)) return f.bytes;
  // The fixtures hand the builder bytes, never Blobs, so every entry is bytes too.
  if (!(f.data instanceof Uint8Array)) throw new Error(`${f.path}: a Blob entry`);
  return f.method === 8 ? new Uint8Array(inflateRawSync(f.data)) : f.data;
}

export const filesOf = (built: BuiltPackage): FileMap =>
  new Map(built.files.map((f) => [f.path, bytesOfFile(f)]));

export function zipFiles(files: FileMap): Promise<Uint8Array> {
  return zipPackage(
    [...files].map(([path, bytes]) => ({ path, bytes, mediatype: mediatypeOf(path) })),
    'uint8array',
  );
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (s: string) => new TextEncoder().encode(s);

export function manifestOf(files: FileMap): DataPackage {
  return JSON.parse(text(files.get(DATAPACKAGE)!)) as DataPackage;
}

/** `datapackage-digest.json` for these manifest bytes, signed by `key` (or unsigned with `null`). */
export function digestFor(manifest: Uint8Array, created: string, key: TestKey | null = KEY): Uint8Array {
  const hash = `sha256:${sha256(manifest)}`;
  const signature = key && {
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: Buffer.from(key.spki).toString('base64'),
    value: Buffer.from(signWith(key, signedStatement(hash))).toString('base64'),
  };
  return bytesOf(
    JSON.stringify({ path: DATAPACKAGE, hash, created, ...(signature ? { signature } : {}) }, null, 2) + '\n',
  );
}

/**
 * What a careful forger does after editing files: lists every file again with its new hash and size
 * (after `edit` of the manifest), and writes a digest that matches the new manifest. By default the
 * forger even holds the installation's key (the worst case: only the chains can tell); `key: null`
 * leaves the digest unsigned and `key: 'keep'` keeps the old signature.
 */
export function reseal(
  files: FileMap,
  edit: (dp: DataPackage) => void = () => {},
  key: TestKey | null | 'keep' = KEY,
): void {
  const dp = manifestOf(files);
  for (const r of dp.resources) {
    const bytes = files.get(r.path);
    if (!bytes) continue;
    r.hash = `sha256:${sha256(bytes)}`;
    r.bytes = bytes.length;
  }
  edit(dp);
  const manifest = bytesOf(JSON.stringify(dp, null, 2) + '\n');
  files.set(DATAPACKAGE, manifest);
  if (key !== 'keep') return void files.set(DIGEST, digestFor(manifest, dp.created, key));
  const digest = JSON.parse(text(files.get(DIGEST)!)) as { hash: string };
  digest.hash = `sha256:${sha256(manifest)}`;
  files.set(DIGEST, bytesOf(JSON.stringify(digest, null, 2) + '\n'));
}

export function eventsOf(files: FileMap, sessionId: string): SealedEvent[] {
  return text(files.get(eventsPath(sessionId))!)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SealedEvent);
}

export function writeEvents(files: FileMap, sessionId: string, events: readonly unknown[]): void {
  files.set(eventsPath(sessionId), bytesOf(events.map((e) => canonicalJson(e) + '\n').join('')));
}

/** The local file headers of a ZIP, as stored: entry name, compression method, where its data starts. */
export function localEntries(zip: Uint8Array): { name: string; method: number; dataOffset: number }[] {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: { name: string; method: number; dataOffset: number }[] = [];
  let i = 0;
  while (i + 30 <= zip.length && dv.getUint32(i, true) === 0x04034b50) {
    const compressed = dv.getUint32(i + 18, true);
    const nameLength = dv.getUint16(i + 26, true);
    const extraLength = dv.getUint16(i + 28, true);
    const name = new TextDecoder().decode(zip.subarray(i + 30, i + 30 + nameLength));
    const dataOffset = i + 30 + nameLength + extraLength;
    out.push({ name, method: dv.getUint16(i + 8, true), dataOffset });
    i = dataOffset + compressed;
  }
  return out;
}

// ---- Hand-made ZIP files, for containers no zip tool would write ----

export interface RawEntry {
  name: string;
  /** The bytes as stored (already deflated when `method` is 8). */
  data: Uint8Array;
  method?: 0 | 8;
  /** The unpacked size the directory declares (default: the stored length). */
  size?: number;
  /** Point the directory at another entry's local header (overlapping entries). */
  headerOf?: number;
}

/** A ZIP whose every field is what the caller says, true or not. */
export function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6);
    head.writeUInt16LE(e.method ?? 0, 8);
    head.writeUInt32LE(crc32(e.data), 14);
    head.writeUInt32LE(e.data.length, 18);
    head.writeUInt32LE(e.size ?? e.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    offsets.push(at);
    const local = Buffer.concat([head, name, e.data]);
    locals.push(local);
    at += local.length;
  }
  const central: Buffer[] = [];
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf8');
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(e.method ?? 0, 10);
    c.writeUInt32LE(crc32(e.data), 16);
    c.writeUInt32LE(e.data.length, 20);
    c.writeUInt32LE(e.size ?? e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offsets[e.headerOf ?? i]!, 42);
    central.push(c, name);
  });
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(at, 16);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

// ---- A case: receipts, fields and marks on top of the sample sessions ----

/** A small PDF whose trailer is intact (what a payment voucher exported as PDF looks like at its ends). */
export const PDF = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** An order-page screenshot (a PNG unlike any screenshot in the sessions). */
export const ORDER_PNG = png(6, 4, [250, 250, 250]);

export function caseOf(sessions: readonly SessionExport[]): CaseInput {
  const a = sessions[0]!;
  const promise = a.events.find((e) => e.type === 'chat' && e.data.kind === 'host')!;
  const fields = emptyFields();
  Object.assign(fields, {
    complainantName: '张三',
    merchantName: '小美优选旗舰店',
    creditCode: '91330100MA2KXXXX1X',
    platform: '抖音直播',
    anchorAccount: '小美优选',
    roomId: '880123456',
    product: '不粘锅 32cm',
    orderNumber: '6912345678901234',
    purchaseTime: '2026-11-28 09:41',
    amount: '99 元',
    problemType: '虚假宣传',
    whatHappened: '收到后涂层起皮，商家拒绝七天无理由退货',
    negotiation: '联系客服三次，答复“特价商品不退不换”',
    demand: '退货退款 99 元',
  });
  return {
    id: 'case-1',
    title: '不粘锅虚假宣传',
    fields,
    ranges: [{ session: a.session.id }],
    marks: [
      {
        session: a.session.id,
        seq: promise.seq,
        key: true,
        note: '主播承诺七天无理由',
        time: '2026-11-28T11:00:00.000Z',
      },
    ],
    receipts: [
      {
        id: 'r1',
        name: '订单截图.png',
        label: '订单页',
        mediatype: 'image/png',
        ext: 'png',
        sha256: sha256(ORDER_PNG),
        attachedAt: '2026-11-28T11:01:00.000Z',
        moment: { session: a.session.id, seq: promise.seq },
        bytes: ORDER_PNG,
      },
      {
        id: 'r2',
        name: 'payment voucher.pdf',
        label: '付款凭证',
        mediatype: 'application/pdf',
        ext: 'pdf',
        sha256: sha256(PDF),
        attachedAt: '2026-11-28T11:02:00.000Z',
        bytes: PDF,
      },
    ],
    redaction: 'names',
  };
}

export async function casePackage(lang: Lang = 'zh_CN'): Promise<BuiltPackage> {
  const input = await packageInput(lang);
  return buildPackage({ ...input, case: caseOf(input.sessions) });
}

// ---- A video clip ----

export interface VideoChunkFixture {
  segment: number;
  chunk: number;
  bytes: Uint8Array;
}

/**
 * The first session of `input` with a clip's chunks sealed after its events, their bytes among its
 * blobs (as Blobs, the way IndexedDB hands them back, with `asBlobs`). Also the chunks' events.
 */
export async function withVideo(
  input: PackageInput,
  clip: string,
  chunks: readonly VideoChunkFixture[],
  asBlobs = false,
): Promise<{ session: SessionExport; video: SealedEvent[] }> {
  const a = input.sessions[0]!;
  const last = a.events[a.events.length - 1]!;
  const video = await sealAfter(
    { seq: last.seq, hash: last.hash },
    chunks.map((c, i) => ({
      type: 'video',
      time: new Date(Date.parse(last.time) + 1000 + i).toISOString(),
      data: {
        clip,
        segment: c.segment,
        chunk: c.chunk,
        sha256: sha256(c.bytes),
        bytes: c.bytes.length,
        mediatype: 'video/webm;codecs=vp8,opus',
        start: '2026-11-28T09:44:00.000Z',
        end: '2026-11-28T09:44:01.000Z',
        reason: 'manual',
      },
    })),
  );
  const blobs = new Map<string, Uint8Array | Blob>(a.blobs);
  for (const c of chunks)
    blobs.set(sha256(c.bytes), asBlobs ? new Blob([c.bytes as Uint8Array<ArrayBuffer>]) : c.bytes);
  return { session: { ...a, events: [...a.events, ...video], blobs }, video };
}

/** The PackageBuildError a build or a zip was refused with (the test fails when it was not). */
export async function refusal(p: Promise<unknown>): Promise<PackageBuildError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PackageBuildError);
  return err as PackageBuildError;
}
