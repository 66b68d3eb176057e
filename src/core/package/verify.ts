/**
 * The package verifier (pure): one implementation behind the CLI, verify.html and the locker.
 * It treats every package as hostile. The container is judged from the ZIP directory before anything
 * is unpacked, and refused outright when it is unsafe; files are then streamed one at a time, each
 * listed file hashed while each session's events are checked link by link in the same pass.
 * Problems come in a stable order: the container, the manifest, its digest and signature, each
 * listed file, then each session's chain and time-stamps. `problems[0]` is "the first broken thing".
 */
import * as v from 'valibot';
import { createSHA256, type IHasher } from 'hash-wasm';
import { concatBytes } from '../bytes';
import { sha256Hex, textSha256, toHex } from '../hash';
import { EVENT_TAG, eventHashInput, genesisHash } from '../chain';
import type { SealedEvent } from '../evidence';
import { fromBase64, keyFingerprint, normalizeFingerprint, signedStatement, verifySignature } from '../sign';
import { DataPackage, Digest, isEventLine } from './manifest';
import {
  CASE_FILE,
  DATAPACKAGE,
  DIGEST,
  RECEIPT_PATH,
  eventsPath,
  screenshotPath,
  videoPath,
} from './layout';
import {
  EntryError,
  ZIP_LIMITS,
  blobSource,
  bytesSource,
  entryChunks,
  readAheadSource,
  readDirectory,
  type ContainerProblem,
  type InflateRaw,
  type PackageSource,
  type ZipEntry,
  type ZipLimits,
} from './unzip';

export type ProblemCode =
  | 'not-zip'
  | 'unsafe-path'
  | 'entry-duplicate'
  | 'too-large'
  | 'too-many-entries'
  | 'too-large-total'
  | 'zip-bomb'
  | 'manifest-missing'
  | 'manifest-unreadable'
  | 'manifest-invalid'
  | 'digest-missing'
  | 'digest-invalid'
  | 'digest-mismatch'
  | 'signature-missing'
  | 'signature-invalid'
  | 'signature-key'
  | 'file-missing'
  | 'file-size'
  | 'file-hash'
  | 'file-unlisted'
  | 'file-unreadable'
  | 'events-missing'
  | 'event-unreadable'
  | 'event-invalid'
  | 'chain-seq'
  | 'chain-prev'
  | 'chain-hash'
  | 'chain-genesis'
  | 'chain-head'
  | 'event-count'
  | 'screenshot-missing'
  | 'receipt-missing'
  | 'video-missing'
  | 'video-chunk'
  | 'timestamp-invalid';

export interface Problem {
  code: ProblemCode;
  /** Values for the message (file path, sequence number, …), in the order the message uses them. */
  params: string[];
  path?: string;
  seq?: number;
}

export interface SessionCheck {
  id: string;
  events: number;
  chat: number;
  screenshots: number;
  /** Video chunks whose bytes match their sealed hash (present only when the session has video). */
  video?: number;
  chainOk: boolean;
  head: string | null;
}

export interface SignatureCheck {
  /** `valid`: made by the key below over this manifest; `unchecked`: there was no digest to check. */
  status: 'valid' | 'invalid' | 'missing' | 'unchecked';
  /** SHA-256 of the public key (SPKI DER), hex, when the digest carries a readable key. */
  fingerprint: string | null;
}

/** What an RFC 3161 token says once checked (the parser lives in core/tsa). */
export interface TokenCheck {
  ok: boolean;
  /** The time-stamping authority, as named in its certificate. */
  tsa?: string;
  /** The time it vouches for, ISO 8601 UTC. */
  time?: string;
  /** Why it does not hold, when `ok` is false. */
  reason?: string;
}

/** Checks a token against the hash it must cover; connect `checkTimeStampToken` from core/tsa here. */
export type CheckToken = (token: Uint8Array, expectedImprintHex: string) => Promise<TokenCheck>;

export interface TimestampFinding {
  session: string;
  seq: number;
  /** The last event the stamp covers (the one whose hash was stamped); null when none in this chain. */
  covers: number | null;
  /** `unchecked` when the verifier was given no `checkToken`. */
  status: 'valid' | 'invalid' | 'unchecked';
  /** The authority and its time, as the checked token says (null unless checked). */
  tsa: string | null;
  time: string | null;
  /** What the sealed event itself records: where the request went and the time the token gave. */
  claimed: { tsa: string | null; time: string | null };
  /** The hash the token must cover (hex). */
  imprint: string;
  reason?: string;
}

export interface VerifyReport {
  ok: boolean;
  name: string | null;
  created: string | null;
  manifestHash: string | null;
  digestOk: boolean;
  signature: SignatureCheck;
  resources: { total: number; intact: number };
  /** The case's receipts (§2a): listed with the hash the case names, and intact. */
  receipts: { total: number; intact: number };
  sessions: SessionCheck[];
  timestamps: TimestampFinding[];
  problems: Problem[];
}

/** Incremental SHA-256 of a file; the default is `webHashing`'s. */
export interface Sha256Stream {
  update(chunk: Uint8Array): void;
  digest(): string | Promise<string>;
}

export interface VerifyOptions {
  /** A streaming SHA-256 for files (Node's `createHash` in the CLI); `webHashing`'s by default. */
  sha256?: () => Sha256Stream;
  /** SHA-256 of a short text, for chain links; `webHashing`'s by default. */
  sha256Text?: (text: string) => string | Promise<string>;
  /** Deflate decoder; `DecompressionStream` by default. */
  inflateRaw?: InflateRaw;
  /** Checks RFC 3161 tokens of `timestamp` events; without it they are reported as not checked. */
  checkToken?: CheckToken;
  /** Refuse a signature by any other key (hex, grouped or not). */
  expectedFingerprint?: string;
  /** Bytes unpacked so far, of the total to unpack. */
  onProgress?: (done: number, total: number) => void;
  limits?: Partial<VerifyLimits>;
}

export interface VerifyLimits extends ZipLimits {
  manifestBytes: number;
  digestBytes: number;
  /** Longest event line (characters). */
  lineChars: number;
}

/** Read at each call, so a test (or a careful receiver) can tighten them. */
export const VERIFY_LIMITS: VerifyLimits = {
  ...ZIP_LIMITS,
  manifestBytes: 32 * 1024 * 1024,
  digestBytes: 64 * 1024,
  lineChars: 1024 * 1024,
};

/** WebCrypto on an entry gathered whole (what the web front doors did for every file until now). */
const gatherSha256 = (): Sha256Stream => {
  const chunks: Uint8Array[] = [];
  return {
    update(chunk) {
      chunks.push(chunk);
    },
    digest: () => sha256Hex(concatBytes(chunks)),
  };
};

/**
 * Files up to this size are gathered and handed to WebCrypto, which hashes ~1,000 MB/s in Chromium
 * 156 against hash-wasm's ~400 (`bench/verify/browser.ts`); past it a file is streamed through
 * hash-wasm instead, so a big one (a video segment, a long chat's events) is never held whole.
 */
export const GATHER_BYTES = 4 * 1024 * 1024;

/**
 * A file's SHA-256: gathered for WebCrypto up to `gatherBytes`, then streamed through `h`. `h` is
 * shared (with the line hasher and other files' streams): each update loads this stream's own state,
 * updates and saves it in one synchronous step.
 */
function fileSha256(h: IHasher, gatherBytes: number): Sha256Stream {
  let chunks: Uint8Array[] = [];
  let size = 0;
  let state: Uint8Array | null = null;
  return {
    update(chunk) {
      if (state) {
        h.load(state).update(chunk);
        state = h.save();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
      if (size <= gatherBytes) return;
      h.init();
      for (const c of chunks) h.update(c);
      state = h.save();
      chunks = [];
    },
    digest() {
      if (!state) return sha256Hex(concatBytes(chunks));
      return toHex(h.load(state).digest('binary'));
    },
  };
}

/** The hashing verify.html and the locker use when the caller gives none (the CLI gives Node's). */
export interface WebHashing {
  /** `webcrypto` when hash-wasm could not be instantiated (WebAssembly disabled, or a policy forbids it). */
  engine: 'wasm' | 'webcrypto';
  sha256: () => Sha256Stream;
  sha256Text: (text: string) => string | Promise<string>;
}

/**
 * Event lines are hashed by one reused hash-wasm hasher, synchronously (`textSha256`: ~2 µs a line
 * in Chromium against ~5 µs for WebCrypto's per-call cost), files as `fileSha256` says. Without
 * WebAssembly everything goes to WebCrypto, as before: slower on chat, the same findings.
 */
export async function createWebHashing(
  opts: { create?: () => Promise<IHasher>; gatherBytes?: number } = {},
): Promise<WebHashing> {
  let h: IHasher;
  try {
    h = await (opts.create ?? createSHA256)();
  } catch {
    return { engine: 'webcrypto', sha256: gatherSha256, sha256Text: (text) => sha256Hex(text) };
  }
  const gatherBytes = opts.gatherBytes ?? GATHER_BYTES;
  return { engine: 'wasm', sha256: () => fileSha256(h, gatherBytes), sha256Text: textSha256(h) };
}

let shared: Promise<WebHashing> | undefined;

/** The page's web hashing, instantiated once (hash-wasm's instance creation is asynchronous). */
export function webHashing(): Promise<WebHashing> {
  return (shared ??= createWebHashing());
}

function toSource(input: Uint8Array | Blob | PackageSource): PackageSource {
  if (input instanceof Uint8Array) return bytesSource(input);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return readAheadSource(blobSource(input));
  return readAheadSource(input as PackageSource);
}

function containerProblem(p: ContainerProblem): Problem {
  switch (p.code) {
    case 'not-zip':
      return { code: 'not-zip', params: [p.reason] };
    case 'too-large':
      if (p.what === 'entries') return { code: 'too-many-entries', params: [String(p.limit)] };
      if (p.what === 'total') return { code: 'too-large-total', params: [String(p.limit)] };
      if (p.what === 'directory')
        return { code: 'too-large', params: ['(ZIP central directory)', String(p.limit)] };
      return { code: 'too-large', params: [p.what, String(p.limit)], path: p.what };
    case 'unsafe-path':
    case 'entry-duplicate':
      return { code: p.code, params: [p.name], path: p.name };
    case 'zip-bomb':
      return { code: 'zip-bomb', params: [p.name, p.reason], path: p.name };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What a sealed `timestamp` event claims (core/evidence `TimestampData`): an RFC 3161 token over
 * `data.hash`, the hash of the earlier event `data.seq` (core/tsa stamps a chain head's hash itself).
 * The chain check has already proved the event unchanged since sealing; the verifier still checks
 * that the stamped hash is that event's, and, given a `checkToken`, the token itself.
 */
export function timestampClaim(e: SealedEvent): {
  token: Uint8Array | null;
  imprint: string;
  seq: number | null;
  tsa: string | null;
  time: string | null;
} {
  const d = e.data;
  return {
    token: typeof d.token === 'string' ? fromBase64(d.token) : null,
    imprint: typeof d.hash === 'string' ? d.hash : e.prev,
    seq: typeof d.seq === 'number' ? d.seq : null,
    tsa: typeof d.tsa === 'string' ? d.tsa : null,
    time: typeof d.genTime === 'string' ? d.genTime : null,
  };
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;

/** Every link's hash, 32 bytes each, so a time-stamp can be matched to the event it covers. */
class Hashes {
  private bytes = new Uint8Array(32 * 1024);
  count = 0;
  add(hex: string): void {
    if ((this.count + 1) * 32 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    const at = this.count++ * 32;
    for (let i = 0; i < 32; i++)
      this.bytes[at + i] = (HEX_VALUE[hex.charCodeAt(2 * i)]! << 4) | HEX_VALUE[hex.charCodeAt(2 * i + 1)]!;
  }
  /** The last seq (before `before`) whose hash is `hex`, or -1. */
  find(hex: string, before: number): number {
    if (!/^[0-9a-f]{64}$/.test(hex)) return -1;
    const want = new Uint8Array(32);
    for (let i = 0; i < 32; i++)
      want[i] = (HEX_VALUE[hex.charCodeAt(2 * i)]! << 4) | HEX_VALUE[hex.charCodeAt(2 * i + 1)]!;
    for (let seq = Math.min(before, this.count) - 1; seq >= 0; seq--) {
      const at = seq * 32;
      let same = true;
      for (let i = 0; i < 32 && same; i++) same = this.bytes[at + i] === want[i];
      if (same) return seq;
    }
    return -1;
  }
}

type LineProblem = 'event-unreadable' | 'event-invalid';

function parseLine(line: string, lineChars: number): SealedEvent | LineProblem {
  if (line.length > lineChars) return 'event-unreadable';
  const value = safeJson(line);
  if (value === undefined) return 'event-unreadable';
  return isEventLine(value) ? (value as SealedEvent) : 'event-invalid';
}

const HASH_MARKER = ',"hash":"';

/**
 * The hashed form of a line as LiveProof writes it: the JCS form of all six members, so the hashed
 * form is the line without its `"hash"` member. Tried first, it saves canonicalising; it is sound
 * because a hash match means those exact bytes were sealed, and in a line that parsed with a
 * top-level `hash` that member can only sit between two others. Null for any other line (one
 * reformatted by another tool, say), which is canonicalised as the format document says.
 */
function writtenHashInput(line: string, e: SealedEvent): string | null {
  const at = line.lastIndexOf(HASH_MARKER);
  const end = at + HASH_MARKER.length + 64;
  if (at <= 0 || line.charCodeAt(end) !== 0x22 || line.slice(at + HASH_MARKER.length, end) !== e.hash)
    return null;
  return EVENT_TAG + line.slice(0, at) + line.slice(end + 1);
}

/**
 * One session's events.jsonl, checked as its bytes stream past. The lines of each chunk are parsed
 * and their hashes started all at once (an asynchronous hash, WebCrypto, works on them in parallel;
 * a synchronous one simply returns them), then the links are checked in order.
 */
class ChainCheck {
  readonly check: SessionCheck;
  problem: Problem | null = null;
  /** The first line that cannot be read stops the session's check (nothing after it is trusted). */
  private stopped = false;
  private chainBroken = false;
  private prev: string;
  private partial = '';
  private lineNo = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  readonly shots: { seq: number; sha256: string }[] = [];
  /** Each video chunk's sealed hash and size, grouped by the segment file that must hold it, in order. */
  readonly video = new Map<string, { seq: number; chunk: number; sha256: string; bytes: number }[]>();
  /** Each `timestamp` event, with the seq of the event whose hash it stamps (-1: none in this chain). */
  readonly stamps: { event: SealedEvent; covers: number }[] = [];
  private readonly hashes = new Hashes();

  constructor(
    readonly id: string,
    readonly path: string,
    genesis: string,
    private readonly hashText: (text: string) => string | Promise<string>,
    private readonly lineChars: number,
  ) {
    this.check = { id, events: 0, chat: 0, screenshots: 0, chainOk: false, head: null };
    this.prev = genesis;
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (this.stopped) return;
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lines.push(text.slice(start, nl));
      start = nl + 1;
    }
    this.partial = text.slice(start);
    await this.lines(lines);
    if (!this.stopped && this.partial.length > this.lineChars) this.fail('event-unreadable');
  }

  async finish(): Promise<void> {
    if (this.stopped) return;
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    if (rest !== '') await this.lines([rest]);
  }

  private fail(code: LineProblem): void {
    this.problem = { code, params: [this.path, String(this.lineNo + 1)], path: this.path, seq: this.lineNo };
    this.stopped = true;
  }

  private async lines(lines: readonly string[]): Promise<void> {
    const events: SealedEvent[] = [];
    let bad: LineProblem | null = null;
    for (const line of lines) {
      const e = parseLine(line, this.lineChars);
      if (typeof e === 'string') {
        bad = e;
        break;
      }
      events.push(e);
    }
    const started = this.chainBroken
      ? []
      : events.map((e, k) => {
          const input = writtenHashInput(lines[k]!, e);
          return input === null ? null : this.hashText(input);
        });
    const hashes = started.some((h) => typeof h === 'object' && h !== null)
      ? await Promise.all(started)
      : started;
    for (let k = 0; k < events.length; k++) {
      const accepted = this.accept(events[k]!, hashes[k] as string | null | undefined);
      if (accepted) await accepted;
    }
    if (bad) this.fail(bad);
  }

  /** Counts the event and checks its link; a promise only when the line must be canonicalised. */
  private accept(e: SealedEvent, written: string | null | undefined): Promise<void> | void {
    const i = this.lineNo++;
    const c = this.check;
    c.events++;
    if (e.type === 'chat') c.chat++;
    else if (e.type === 'screenshot') this.shots.push({ seq: e.seq, sha256: String(e.data.sha256) });
    else if (e.type === 'video') {
      const path = videoPath(this.id, String(e.data.clip), Number(e.data.segment));
      const list = this.video.get(path) ?? [];
      list.push({
        seq: e.seq,
        chunk: Number(e.data.chunk),
        sha256: String(e.data.sha256),
        bytes: Number(e.data.bytes),
      });
      this.video.set(path, list);
    }
    c.head = e.hash;
    if (this.chainBroken) return;
    if (e.type === 'timestamp') {
      const claim = timestampClaim(e);
      const found = this.hashes.find(claim.imprint, i);
      this.stamps.push({ event: e, covers: claim.seq === null || claim.seq === found ? found : -1 });
    }
    if (e.seq !== i) return this.broken('chain-seq', e);
    if (e.prev !== this.prev) return this.broken('chain-prev', e);
    if (written === e.hash) return this.link(e);
    const recomputed = this.hashText(eventHashInput(e));
    const settle = (hash: string) => (hash === e.hash ? this.link(e) : this.broken('chain-hash', e));
    return typeof recomputed === 'string' ? settle(recomputed) : recomputed.then(settle);
  }

  private link(e: SealedEvent): void {
    this.hashes.add(e.hash);
    this.prev = e.hash;
  }

  private broken(code: 'chain-seq' | 'chain-prev' | 'chain-hash', e: SealedEvent): void {
    this.chainBroken = true;
    this.problem = { code, params: [this.path, String(e.seq)], path: this.path, seq: e.seq };
  }
}

export async function verifyPackage(
  input: Uint8Array | Blob | PackageSource,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const limits: VerifyLimits = { ...VERIFY_LIMITS, ...options.limits };
  const web = options.sha256 && options.sha256Text ? null : await webHashing();
  const sha256 = options.sha256 ?? web!.sha256;
  const hashText = options.sha256Text ?? web!.sha256Text;
  const report: VerifyReport = {
    ok: false,
    name: null,
    created: null,
    manifestHash: null,
    digestOk: false,
    signature: { status: 'unchecked', fingerprint: null },
    resources: { total: 0, intact: 0 },
    receipts: { total: 0, intact: 0 },
    sessions: [],
    timestamps: [],
    problems: [],
  };
  const problem = (p: Problem) => report.problems.push(p);
  const src = toSource(input);

  // The container: judged from the directory alone, refused before anything is unpacked.
  let directory;
  try {
    directory = await readDirectory(src, limits);
  } catch (err) {
    problem({ code: 'not-zip', params: [err instanceof Error ? err.message : String(err)] });
    return report;
  }
  if (directory.problems.length) {
    for (const p of directory.problems) problem(containerProblem(p));
    return report;
  }
  const entries = new Map<string, ZipEntry>();
  for (const e of directory.entries) if (!e.name.endsWith('/')) entries.set(e.name, e);

  let done = 0;
  const toUnpack = [...entries.values()].reduce((n, e) => n + e.size, 0);
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, toUnpack);
  };

  /** Streams an entry to `sink`; false (and a problem naming it) when its data is damaged. */
  const stream = async (
    name: string,
    sink: (chunk: Uint8Array) => void | Promise<void>,
  ): Promise<boolean> => {
    try {
      for await (const chunk of entryChunks(src, entries.get(name)!, limits, options.inflateRaw)) {
        await sink(chunk);
        progress(chunk.length);
      }
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof EntryError && err.kind === 'bomb')
        problem({ code: 'zip-bomb', params: [name, 'size'], path: name });
      else problem({ code: 'file-unreadable', params: [name, message], path: name });
      return false;
    }
  };
  /** A small file read whole, refused above `max` bytes. */
  const readSmall = async (name: string, max: number): Promise<Uint8Array | null> => {
    const e = entries.get(name)!;
    if (e.size > max) {
      problem({ code: 'too-large', params: [name, String(max)], path: name });
      return null;
    }
    const out = new Uint8Array(e.size);
    let at = 0;
    const ok = await stream(name, (c) => {
      out.set(c, at);
      at += c.length;
    });
    return ok ? out : null;
  };

  // The manifest, its digest and the signature over it.
  if (!entries.has(DATAPACKAGE)) {
    problem({ code: 'manifest-missing', params: [DATAPACKAGE], path: DATAPACKAGE });
    return report;
  }
  const manifestBytes = await readSmall(DATAPACKAGE, limits.manifestBytes);
  if (!manifestBytes) return report;
  report.manifestHash = await sha256Hex(manifestBytes);

  if (!entries.has(DIGEST)) {
    problem({ code: 'digest-missing', params: [DIGEST], path: DIGEST });
  } else {
    const digestBytes = await readSmall(DIGEST, limits.digestBytes);
    const digest = v.safeParse(
      Digest,
      digestBytes ? safeJson(new TextDecoder().decode(digestBytes)) : undefined,
    );
    if (!digestBytes) {
      // already reported
    } else if (!digest.success) {
      problem({ code: 'digest-invalid', params: [DIGEST], path: DIGEST });
    } else {
      if (digest.output.hash !== `sha256:${report.manifestHash}`)
        problem({ code: 'digest-mismatch', params: [DATAPACKAGE], path: DATAPACKAGE });
      else report.digestOk = true;
      await checkSignature(report, digest.output, options.expectedFingerprint);
    }
  }

  const manifestJson = safeJson(new TextDecoder('utf-8', { fatal: false }).decode(manifestBytes));
  if (manifestJson === undefined) {
    problem({ code: 'manifest-unreadable', params: [DATAPACKAGE], path: DATAPACKAGE });
    return report;
  }
  const parsed = v.safeParse(DataPackage, manifestJson);
  const where = parsed.success
    ? manifestInconsistency(parsed.output)
    : parsed.issues[0]?.path?.map((p) => String(p.key)).join('.') || '(root)';
  if (!parsed.success || where) {
    problem({ code: 'manifest-invalid', params: [where!], path: DATAPACKAGE });
    return report;
  }
  const manifest = parsed.output;
  report.name = manifest.name;
  report.created = manifest.created;

  // Every listed file byte for byte; a session's events are checked in the same pass.
  const chains = new Map<string, ChainCheck>();
  for (const s of manifest.liveproof.sessions)
    chains.set(s.events, new ChainCheck(s.id, s.events, await genesisHash(s.id), hashText, limits.lineChars));
  const chainRead = new Set<string>();
  const readChain = async (path: string, extra?: (c: Uint8Array) => void): Promise<boolean> => {
    const chain = chains.get(path)!;
    chainRead.add(path);
    const ok = await stream(path, async (c) => {
      extra?.(c);
      await chain.push(c);
    });
    if (ok) await chain.finish();
    return ok;
  };

  const listed = new Map<string, string>();
  const intact = new Set<string>();
  report.resources.total = manifest.resources.length;
  for (const r of manifest.resources) {
    listed.set(r.path, r.hash);
    if (!entries.has(r.path)) {
      problem({ code: 'file-missing', params: [r.path], path: r.path });
      continue;
    }
    const hash = sha256();
    let size = 0;
    const take = (c: Uint8Array) => {
      hash.update(c);
      size += c.length;
    };
    const ok = chains.has(r.path) ? await readChain(r.path, take) : await stream(r.path, take);
    if (!ok) continue;
    if (size !== r.bytes) {
      problem({ code: 'file-size', params: [r.path, String(r.bytes), String(size)], path: r.path });
      continue;
    }
    if (`sha256:${await hash.digest()}` !== r.hash) {
      problem({ code: 'file-hash', params: [r.path], path: r.path });
      continue;
    }
    report.resources.intact++;
    intact.add(r.path);
  }
  for (const name of entries.keys()) {
    if (name !== DATAPACKAGE && name !== DIGEST && !listed.has(name))
      problem({ code: 'file-unlisted', params: [name], path: name });
  }

  // The case's receipts: each where the layout puts receipts, listed with the hash the case names
  // (so a receipt swapped together with its listing is caught), and intact.
  const kase = manifest.liveproof.case;
  if (kase) {
    if (!listed.has(CASE_FILE)) problem({ code: 'file-missing', params: [CASE_FILE], path: CASE_FILE });
    report.receipts.total = kase.receipts.length;
    const sizes = new Map(manifest.resources.map((r) => [r.path, r.bytes]));
    for (const r of kase.receipts) {
      const named =
        RECEIPT_PATH.test(r.path) &&
        listed.get(r.path) === `sha256:${r.sha256}` &&
        sizes.get(r.path) === r.bytes &&
        r.path.includes(`-${r.sha256.slice(0, 16)}.`);
      if (!named) problem({ code: 'receipt-missing', params: [r.path, r.name], path: r.path });
      else if (intact.has(r.path)) report.receipts.intact++;
    }
  }

  // Each session's hash chain, the screenshots its events point to, and its time-stamps.
  for (const s of manifest.liveproof.sessions) {
    const chain = chains.get(s.events)!;
    report.sessions.push(chain.check);
    if (!entries.has(s.events)) {
      problem({ code: 'events-missing', params: [s.events], path: s.events });
      continue;
    }
    // An events file that is not listed was not read above; its chain is still checked.
    if (!chainRead.has(s.events) && !(await readChain(s.events))) continue;
    if (
      chain.problem &&
      (chain.problem.code === 'event-unreadable' || chain.problem.code === 'event-invalid')
    ) {
      chain.check.events = chain.check.chat = 0;
      chain.check.head = null;
      problem(chain.problem);
      continue;
    }
    let chainOk = true;
    if (s.genesis !== (await genesisHash(s.id))) {
      problem({ code: 'chain-genesis', params: [s.id], path: s.events });
      chainOk = false;
    }
    if (chain.problem) {
      problem(chain.problem);
      chainOk = false;
    }
    if (chain.check.events !== s.eventCount) {
      problem({
        code: 'event-count',
        params: [s.id, String(s.eventCount), String(chain.check.events)],
        path: s.events,
      });
      chainOk = false;
    }
    if ((chain.check.head ?? s.genesis) !== s.chainHead) {
      problem({ code: 'chain-head', params: [s.id], path: s.events });
      chainOk = false;
    }
    chain.check.chainOk = chainOk;

    for (const shot of chain.shots) {
      const path = screenshotPath(s.id, shot.seq);
      if (listed.get(path) !== `sha256:${shot.sha256}`) {
        problem({ code: 'screenshot-missing', params: [path, String(shot.seq)], path, seq: shot.seq });
      } else chain.check.screenshots++;
    }

    // Each video segment file is its sealed chunks, in order, byte for byte: cut it where the
    // events say and hash each piece, so a changed chunk is named by its own event.
    for (const [path, chunks] of chain.video) {
      chain.check.video ??= 0;
      if (!listed.has(path) || !entries.has(path)) {
        problem({ code: 'video-missing', params: [path, String(chunks[0]!.seq)], path, seq: chunks[0]!.seq });
        continue;
      }
      let k = 0;
      let filled = 0;
      let hash = sha256();
      let bad: number | null = null;
      const finishChunk = async () => {
        const c = chunks[k]!;
        if (bad === null && (await hash.digest()) !== c.sha256) bad = c.seq;
        else if (bad === null) chain.check.video!++;
        k++;
        filled = 0;
        hash = sha256();
      };
      const ok = await stream(path, async (data) => {
        let at = 0;
        while (at < data.length) {
          const c = chunks[k];
          if (!c) {
            bad ??= chunks[chunks.length - 1]!.seq; // bytes after the last sealed chunk
            return;
          }
          const take = Math.min(c.bytes - filled, data.length - at);
          hash.update(data.subarray(at, at + take));
          filled += take;
          at += take;
          if (filled === c.bytes) await finishChunk();
        }
      });
      if (!ok) continue;
      if (k < chunks.length) bad ??= chunks[k]!.seq; // the file ends before its last chunk
      for (let i = 1; i < chunks.length && bad === null; i++)
        if (chunks[i]!.chunk <= chunks[i - 1]!.chunk) bad = chunks[i]!.seq;
      if (bad !== null) problem({ code: 'video-chunk', params: [path, String(bad)], path, seq: bad });
    }

    for (const { event: e, covers } of chain.stamps) {
      const claim = timestampClaim(e);
      const finding: TimestampFinding = {
        session: s.id,
        seq: e.seq,
        covers: covers >= 0 ? covers : null,
        status: 'unchecked',
        tsa: null,
        time: null,
        claimed: { tsa: claim.tsa, time: claim.time },
        imprint: claim.imprint,
      };
      report.timestamps.push(finding);
      let result: TokenCheck | null = null;
      if (covers < 0) result = { ok: false, reason: 'the stamped hash is not that of an earlier event' };
      else if (!claim.token) result = { ok: false, reason: 'no token' };
      else if (options.checkToken) {
        try {
          result = await options.checkToken(claim.token, claim.imprint);
        } catch (err) {
          result = { ok: false, reason: err instanceof Error ? err.message : String(err) };
        }
      }
      if (!result) continue;
      finding.status = result.ok ? 'valid' : 'invalid';
      finding.tsa = result.tsa ?? null;
      finding.time = result.time ?? null;
      if (!result.ok) {
        finding.reason = result.reason ?? '';
        problem({
          code: 'timestamp-invalid',
          params: [s.events, String(e.seq), finding.reason],
          path: s.events,
          seq: e.seq,
        });
      }
    }
  }

  report.ok = report.problems.length === 0;
  return report;
}

/** What the schema cannot say: no path listed twice, each session's events where the layout puts them. */
function manifestInconsistency(dp: DataPackage): string | null {
  const paths = new Set<string>();
  for (const [i, r] of dp.resources.entries()) {
    if (paths.has(r.path) || r.path === DATAPACKAGE || r.path === DIGEST) return `resources.${i}.path`;
    paths.add(r.path);
  }
  const ids = new Set<string>();
  for (const [i, s] of dp.liveproof.sessions.entries()) {
    if (ids.has(s.id)) return `liveproof.sessions.${i}.id`;
    ids.add(s.id);
    if (s.events !== eventsPath(s.id)) return `liveproof.sessions.${i}.events`;
  }
  const receipts = new Set<string>();
  for (const [i, r] of (dp.liveproof.case?.receipts ?? []).entries()) {
    if (receipts.has(r.path)) return `liveproof.case.receipts.${i}.path`;
    receipts.add(r.path);
  }
  return null;
}

async function checkSignature(report: VerifyReport, digest: Digest, expected?: string): Promise<void> {
  const sig = digest.signature;
  if (!sig) {
    report.signature.status = 'missing';
    report.problems.push({ code: 'signature-missing', params: [DIGEST], path: DIGEST });
    return;
  }
  const spki = fromBase64(sig.publicKey);
  const value = fromBase64(sig.value);
  if (spki) report.signature.fingerprint = await keyFingerprint(spki);
  const valid = !!spki && !!value && (await verifySignature(spki, signedStatement(digest.hash), value));
  report.signature.status = valid ? 'valid' : 'invalid';
  if (!valid) {
    report.problems.push({ code: 'signature-invalid', params: [DIGEST], path: DIGEST });
    return;
  }
  if (expected && normalizeFingerprint(expected) !== report.signature.fingerprint)
    report.problems.push({
      code: 'signature-key',
      params: [report.signature.fingerprint!, normalizeFingerprint(expected)],
      path: DIGEST,
    });
}
