/**
 * The package verifier (pure; shared by the CLI and, later, verify.html and the locker).
 * It reports every problem it finds, in a stable order: the container, the manifest and its digest,
 * each listed file, then each session's chain. `problems[0]` is "the first broken thing".
 */
import JSZip from 'jszip';
import * as v from 'valibot';
import { sha256Hex } from '../hash';
import { firstChainProblem, genesisHash } from '../chain';
import type { SealedEvent } from '../evidence';
import { DataPackage, Digest, EventLine } from './manifest';
import { DATAPACKAGE, DIGEST, screenshotPath } from './layout';

export type ProblemCode =
  | 'not-zip'
  | 'unsafe-path'
  | 'entry-duplicate'
  | 'too-large'
  | 'manifest-missing'
  | 'manifest-unreadable'
  | 'manifest-invalid'
  | 'digest-missing'
  | 'digest-invalid'
  | 'digest-mismatch'
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
  | 'screenshot-missing';

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
  chainOk: boolean;
  head: string | null;
}

export interface VerifyReport {
  ok: boolean;
  name: string | null;
  manifestHash: string | null;
  digestOk: boolean;
  resources: { total: number; intact: number };
  sessions: SessionCheck[];
  problems: Problem[];
}

export const VERIFY_LIMITS = {
  entries: 200_000,
  manifestBytes: 64 * 1024 * 1024,
  entryBytes: 2 * 1024 * 1024 * 1024,
};

function unsafePath(name: string): boolean {
  return (
    name.startsWith('/') ||
    name.includes('\\') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((s) => s === '..' || s === '.') ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f]/.test(name)
  );
}

function parseEventLine(line: string): SealedEvent | 'unreadable' | 'invalid' {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'unreadable';
  }
  return v.safeParse(EventLine, value).success ? (value as SealedEvent) : 'invalid';
}

export async function verifyPackage(zipBytes: Uint8Array): Promise<VerifyReport> {
  const report: VerifyReport = {
    ok: false,
    name: null,
    manifestHash: null,
    digestOk: false,
    resources: { total: 0, intact: 0 },
    sessions: [],
    problems: [],
  };
  const problem = (p: Problem) => report.problems.push(p);

  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBytes, { checkCRC32: false });
  } catch (err) {
    problem({ code: 'not-zip', params: [err instanceof Error ? err.message : String(err)] });
    return report;
  }

  // JSZip keeps only the last of two entries with one name: a decoy read first by another tool
  // (or by a person unzipping by hand) would then go unnoticed. Name such entries from the zip's own
  // directory.
  for (const name of duplicateEntryNames(zipBytes))
    problem({ code: 'entry-duplicate', params: [name], path: name });

  const entries = new Map<string, JSZip.JSZipObject>();
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    // JSZip resolves `a/../b` to `b` (and lets it replace a real `b`): judge the name as stored.
    const stored = entry.unsafeOriginalName ?? entry.name;
    if (unsafePath(stored)) {
      problem({ code: 'unsafe-path', params: [stored], path: stored });
      continue;
    }
    entries.set(entry.name, entry);
  }
  if (entries.size > VERIFY_LIMITS.entries) {
    problem({ code: 'too-large', params: [String(entries.size)] });
    return report;
  }
  /** An entry's bytes, or null (and a problem naming it) when the zip data itself is damaged. */
  const unreadable = new Set<string>();
  const read = async (name: string): Promise<Uint8Array | null> => {
    try {
      return await entries.get(name)!.async('uint8array');
    } catch (err) {
      if (!unreadable.has(name)) {
        unreadable.add(name);
        problem({
          code: 'file-unreadable',
          params: [name, err instanceof Error ? err.message : String(err)],
          path: name,
        });
      }
      return null;
    }
  };

  // The manifest and its digest.
  const manifestEntry = entries.get(DATAPACKAGE);
  if (!manifestEntry) {
    problem({ code: 'manifest-missing', params: [DATAPACKAGE], path: DATAPACKAGE });
    return report;
  }
  const manifestBytes = await read(DATAPACKAGE);
  if (!manifestBytes) return report;
  if (manifestBytes.length > VERIFY_LIMITS.manifestBytes) {
    problem({ code: 'too-large', params: [DATAPACKAGE], path: DATAPACKAGE });
    return report;
  }
  report.manifestHash = await sha256Hex(manifestBytes);

  const digestEntry = entries.get(DIGEST);
  if (!digestEntry) {
    problem({ code: 'digest-missing', params: [DIGEST], path: DIGEST });
  } else {
    const digestBytes = await read(DIGEST);
    const parsed = digestBytes ? safeJson(new TextDecoder().decode(digestBytes)) : undefined;
    const digest = v.safeParse(Digest, parsed);
    if (!digest.success) problem({ code: 'digest-invalid', params: [DIGEST], path: DIGEST });
    else if (digest.output.hash !== `sha256:${report.manifestHash}`)
      problem({ code: 'digest-mismatch', params: [DATAPACKAGE], path: DATAPACKAGE });
    else report.digestOk = true;
  }

  const manifestJson = safeJson(new TextDecoder('utf-8', { fatal: false }).decode(manifestBytes));
  if (manifestJson === undefined) {
    problem({ code: 'manifest-unreadable', params: [DATAPACKAGE], path: DATAPACKAGE });
    return report;
  }
  const parsed = v.safeParse(DataPackage, manifestJson);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
    problem({ code: 'manifest-invalid', params: [where || '(root)'], path: DATAPACKAGE });
    return report;
  }
  const manifest = parsed.output;
  report.name = manifest.name;

  // Every listed file, byte for byte.
  const listed = new Map<string, string>();
  report.resources.total = manifest.resources.length;
  for (const r of manifest.resources) {
    listed.set(r.path, r.hash);
    const entry = entries.get(r.path);
    if (!entry) {
      problem({ code: 'file-missing', params: [r.path], path: r.path });
      continue;
    }
    const bytes = await read(r.path);
    if (!bytes) continue;
    if (bytes.length !== r.bytes) {
      problem({ code: 'file-size', params: [r.path, String(r.bytes), String(bytes.length)], path: r.path });
      continue;
    }
    if (`sha256:${await sha256Hex(bytes)}` !== r.hash) {
      problem({ code: 'file-hash', params: [r.path], path: r.path });
      continue;
    }
    report.resources.intact++;
  }
  for (const name of entries.keys()) {
    if (name !== DATAPACKAGE && name !== DIGEST && !listed.has(name))
      problem({ code: 'file-unlisted', params: [name], path: name });
  }

  // Each session's hash chain, and the screenshots its events point to.
  for (const s of manifest.liveproof.sessions) {
    const check: SessionCheck = { id: s.id, events: 0, chat: 0, screenshots: 0, chainOk: false, head: null };
    report.sessions.push(check);
    if (!entries.has(s.events)) {
      problem({ code: 'events-missing', params: [s.events], path: s.events });
      continue;
    }
    const eventBytes = await read(s.events);
    if (!eventBytes) continue;
    const text = new TextDecoder().decode(eventBytes);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const events: SealedEvent[] = [];
    let lineProblem = false;
    for (let i = 0; i < lines.length; i++) {
      const e = parseEventLine(lines[i]!);
      if (typeof e === 'string') {
        problem({
          code: e === 'unreadable' ? 'event-unreadable' : 'event-invalid',
          params: [s.events, String(i + 1)],
          path: s.events,
          seq: i,
        });
        lineProblem = true;
        break;
      }
      events.push(e);
    }
    if (lineProblem) continue;
    check.events = events.length;
    check.chat = events.filter((e) => e.type === 'chat').length;
    check.head = events.length ? events[events.length - 1]!.hash : null;

    let chainOk = true;
    if (s.genesis !== (await genesisHash(s.id))) {
      problem({ code: 'chain-genesis', params: [s.id], path: s.events });
      chainOk = false;
    }
    const chain = await firstChainProblem(s.id, events);
    if (chain) {
      problem({ code: chain.code, params: [s.events, String(chain.seq)], path: s.events, seq: chain.seq });
      chainOk = false;
    }
    if (events.length !== s.eventCount) {
      problem({
        code: 'event-count',
        params: [s.id, String(s.eventCount), String(events.length)],
        path: s.events,
      });
      chainOk = false;
    }
    if ((check.head ?? s.genesis) !== s.chainHead) {
      problem({ code: 'chain-head', params: [s.id], path: s.events });
      chainOk = false;
    }
    check.chainOk = chainOk;

    for (const e of events) {
      if (e.type !== 'screenshot') continue;
      const path = screenshotPath(s.id, e.seq);
      if (listed.get(path) !== `sha256:${String(e.data.sha256)}`) {
        problem({ code: 'screenshot-missing', params: [path, String(e.seq)], path, seq: e.seq });
      } else check.screenshots++;
    }
  }

  report.ok = report.problems.length === 0;
  return report;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Names that occur more than once in the zip's central directory (ZIP and ZIP64). Returns nothing
 * when the directory cannot be found; JSZip has then refused the file already.
 */
export function duplicateEntryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (o: number) => (o + 4 <= bytes.length ? view.getUint32(o, true) : -1);
  const u16 = (o: number) => (o + 2 <= bytes.length ? view.getUint16(o, true) : -1);
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--)
    if (u32(o) === 0x06054b50) {
      eocd = o;
      break;
    }
  if (eocd < 0) return [];
  let count = u16(eocd + 10);
  let offset = u32(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (u32(locator) !== 0x07064b50) return [];
    const z64 = Number(view.getBigUint64(locator + 8, true));
    if (u32(z64) !== 0x06064b50) return [];
    count = Number(view.getBigUint64(z64 + 32, true));
    offset = Number(view.getBigUint64(z64 + 48, true));
  }
  const seen = new Set<string>();
  const dup = new Set<string>();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let i = 0, o = offset; i < count; i++) {
    if (u32(o) !== 0x02014b50) break;
    const nameLen = u16(o + 28);
    const name = decoder.decode(bytes.subarray(o + 46, o + 46 + nameLen));
    if (seen.has(name)) dup.add(name);
    seen.add(name);
    o += 46 + nameLen + u16(o + 30) + u16(o + 32);
  }
  return [...dup];
}
