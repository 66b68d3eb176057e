/** Builds the files of a complaint package from sealed sessions (pure: no browser, no Dexie). */
import { canonicalJsonOfSealed } from '../canonical';
import { BlobReader, concatBytes } from '../bytes';
import { sha256Hex, utf8 } from '../hash';
import type { SealedEvent } from '../evidence';
import type { Lang } from '../i18n';
import { isoTime } from '../time';
import { writeChatCsv } from './chat-csv';
import { writeReport } from '../report';
import { TextFile, type PackedFile } from './text-file';
import { crc32 } from './zip';
import { PackageBuildError } from './errors';
import { planPackage } from './plan';
import type { DataPackage, Digest, Resource, SessionSummary } from './manifest';
import { renderVerifyPage } from './verify-page';
import { SIGNATURE_ALGORITHM, signedStatement, toBase64, type PackageSigner } from '../sign';
import {
  DATAPACKAGE,
  DIGEST,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  REPORT,
  VERIFY_PAGE,
  chatCsvPath,
  eventsPath,
  mediatypeOf,
  packageName,
  screenshotPath,
  videoPath,
} from './layout';
import { CHAIN_FORMAT, genesisHash } from '../chain';
import { translator } from '../i18n';
import { keyFingerprint, formatFingerprint } from '../sign';
import { Redactor } from '../case/redact';
import { NARRATIVE_LIMIT, renderComplaint } from '../case/complaint';
import type { CaseInput, CaseManifest, ReceiptEntry, Redaction } from '../case/model';
import { CASE_FILE, COMPLAINT_FILES, receiptPath } from './layout';

export { PackageBuildError };

export interface SessionMeta {
  id: string;
  url: string;
  title: string;
  platform: string;
  adapter: string;
  startedAt: string;
  endedAt: string | null;
}

export interface SessionExport {
  session: SessionMeta;
  /** Every sealed event from seq 0 up to the head being exported, in order. */
  events: readonly SealedEvent[];
  /**
   * Screenshot and video chunk bytes by their SHA-256 (hex). A `Blob` (as IndexedDB hands them back)
   * is read once, to check its hash and take its CRC-32, and goes into the ZIP as the same `Blob`:
   * a screenshot's bytes are never all held by the page at once.
   */
  blobs: ReadonlyMap<string, Uint8Array | Blob>;
}

export interface PackageInput {
  created: Date;
  toolVersion: string;
  environment: DataPackage['liveproof']['environment'];
  sessions: readonly SessionExport[];
  lang: Lang;
  /** The installation's key, which signs the manifest's hash. */
  signer: PackageSigner;
  /** The bundled verifier that `verify.html` carries inline (see src/locker/verify-page/). */
  verifierScript: string;
  /** Six hex digits that make the name unique; random when absent. */
  shortId?: string;
  /** The case this package is for: its receipts, fields and marks go in too, with the letters. */
  case?: CaseInput;
  /** What the report and the CSV hide of other viewers (the case's choice wins); none by default. */
  redaction?: Redaction;
}

export interface PackageFile {
  path: string;
  bytes: Uint8Array;
  mediatype: string;
}

export interface BuiltPackage {
  name: string;
  /** In the ZIP's order; the big text files already deflated (see text-file.ts). */
  files: (PackageFile | PackedFile)[];
  datapackage: DataPackage;
  digest: Digest;
}

export type Progress = (done: number, total: number) => void;

/**
 * Checks of screenshot and video bytes against their sealed SHA-256, a few at a time: WebCrypto
 * hashes off the main thread, which meanwhile writes events.jsonl. The first failure in the events'
 * order is the one reported, as when they were checked one after the other.
 *
 * A `Blob` is read into one buffer that every read uses again (`BlobReader`), one Blob after the
 * other: `take` gets the bytes at once (to take what the ZIP needs of them, or a copy) and WebCrypto
 * copies them when the hash is asked for, so the next read may overwrite them. What `take` returned
 * goes to `checked` once the hash matched. No picture's bytes are left behind for the garbage
 * collector (docs/performance.md, "Memory in the browser").
 */
class HashChecks {
  private readonly running: Promise<PackageBuildError | null>[] = [];
  private readonly reader = new BlobReader(1 << 19);
  /** The last read: the next one waits for it, since both use the reader's buffer. */
  private reading: Promise<unknown> = Promise.resolve();

  /**
   * @param failure the error when the bytes do not match their hash
   * @param unreadable the error when the Blob cannot be read at all (in Chromium, a picture whose file
   *   under IndexedDB is gone: its reads fail with "network error", words that name no picture)
   */
  async add<T>(
    source: Uint8Array | Blob,
    sha: string,
    failure: () => PackageBuildError,
    unreadable: () => PackageBuildError,
    take: (bytes: Uint8Array) => T,
    checked: (taken: T) => void,
  ): Promise<void> {
    const read = this.reading.then(async () => {
      const bytes = source instanceof Uint8Array ? source : await this.reader.whole(source).catch(() => null);
      if (!bytes) return null;
      const taken = take(bytes);
      // The digest is asked for before this returns: WebCrypto has copied the bytes by then.
      const hash = sha256Hex(bytes);
      hash.catch(() => undefined);
      return { taken, hash };
    });
    this.reading = read.catch(() => undefined);
    const check = read.then(async (r) => {
      if (!r) return unreadable();
      if ((await r.hash) !== sha) return failure();
      checked(r.taken);
      return null;
    });
    // Waited for in turn (`settle`); a check that fails before its turn is not an unhandled rejection.
    check.catch(() => undefined);
    this.running.push(check);
    if (this.running.length >= 8) {
      const e = await this.running.shift()!;
      if (e) throw e;
    }
  }

  /** Every check so far has passed (or the first failure is thrown). */
  async settle(): Promise<void> {
    while (this.running.length) {
      const e = await this.running.shift()!;
      if (e) throw e;
    }
  }
}

export async function buildPackage(input: PackageInput, onProgress?: Progress): Promise<BuiltPackage> {
  if (input.sessions.length === 0) throw new PackageBuildError('no-sessions', []);
  // A package that could not be written, or that the verifier would refuse, is refused before
  // anything is read (the sizes of what is stored are known).
  planPackage(input);
  const created = isoTime(input.created);
  const name = packageName(input.created, input.shortId);
  const files: (PackageFile | PackedFile)[] = [];
  const summaries: SessionSummary[] = [];
  const total = input.sessions.reduce((n, s) => n + s.events.length, 0) + 1;
  let done = 0;

  const add = (path: string, bytes: Uint8Array) => files.push({ path, bytes, mediatype: mediatypeOf(path) });
  /**
   * A text file still being deflated and hashed takes its place in the list now and is waited for
   * later: meanwhile the next file is written (the deflater and WebCrypto work off the main thread).
   */
  const finishing: Promise<void>[] = [];
  const later = (file: Promise<PackedFile>) => {
    const at = files.push(undefined as never) - 1;
    const done = file.then((f) => void (files[at] = f));
    done.catch(() => undefined);
    finishing.push(done);
  };
  /** SHA-256 of each file by path, as far as already known (a screenshot's is checked on the way). */
  const hashes = new Map<string, string>();
  const t = translator(input.lang);
  const redaction = input.case?.redaction ?? input.redaction ?? 'none';
  const redactor = Redactor.for(
    redaction,
    input.sessions.map((s) => s.events),
    (n) => t('reportViewerPseudonym', n),
  );
  const ranges = new Map((input.case?.ranges ?? []).map((r) => [r.session, r]));
  const inRangeOf = (id: string) => {
    const r = ranges.get(id);
    return (e: SealedEvent) => !r || ((!r.from || e.time >= r.from) && (!r.to || e.time <= r.to));
  };

  for (const { session, events, blobs } of input.sessions) {
    const eventsFile = new TextFile(eventsPath(session.id), mediatypeOf(eventsPath(session.id)));
    const checks = new HashChecks();
    let chatCount = 0;
    let screenshotCount = 0;
    /** Video segment files in the order their first chunk was sealed: path → chunk bytes in order. */
    const video = new Map<string, Uint8Array[]>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.seq !== i) {
        await checks.settle();
        throw new PackageBuildError('chain-gap', [session.id, String(i)]);
      }
      eventsFile.write(canonicalJsonOfSealed(e) + '\n');
      if (e.type === 'chat') chatCount++;
      if (e.type === 'screenshot') {
        const sha = String(e.data.sha256);
        const bytes = blobs.get(sha);
        if (!bytes) {
          await checks.settle();
          throw new PackageBuildError('screenshot-missing', [session.id, String(e.seq)]);
        }
        const path = screenshotPath(session.id, e.seq);
        // Its place in the list now; the entry once the bytes are checked (stored: PNGs do not deflate).
        const at = files.push(undefined as never) - 1;
        await checks.add(
          bytes,
          sha,
          () => new PackageBuildError('screenshot-damaged', [session.id, String(e.seq)]),
          () => new PackageBuildError('screenshot-missing', [session.id, String(e.seq)]),
          (read) => ({ size: read.length, crc: crc32(read) }),
          ({ size, crc }) => {
            files[at] = {
              path,
              mediatype: mediatypeOf(path),
              size,
              sha256: sha,
              crc,
              method: 0,
              data: bytes,
            };
          },
        );
        hashes.set(path, sha);
        screenshotCount++;
      }
      if (e.type === 'video') {
        const sha = String(e.data.sha256);
        const bytes = blobs.get(sha);
        if (!bytes) {
          await checks.settle();
          throw new PackageBuildError('video-missing', [session.id, String(e.seq)]);
        }
        const path = videoPath(session.id, String(e.data.clip), Number(e.data.segment));
        const parts = video.get(path) ?? [];
        const at = parts.push(undefined as never) - 1;
        video.set(path, parts);
        await checks.add(
          bytes,
          sha,
          () => new PackageBuildError('video-damaged', [session.id, String(e.seq)]),
          () => new PackageBuildError('video-missing', [session.id, String(e.seq)]),
          // Kept until the segment's file is joined: a copy, since the reader's buffer is used again.
          (read) => (read === bytes ? read : read.slice()),
          (kept) => void (parts[at] = kept),
        );
      }
      done++;
      if (done % 2000 === 0) {
        onProgress?.(done, total);
        await eventsFile.drain();
      }
    }
    await checks.settle();
    later(eventsFile.finish());
    for (const [path, parts] of video) add(path, concatBytes(parts));
    const shown = events.filter(inRangeOf(session.id));
    const csv = new TextFile(chatCsvPath(session.id), mediatypeOf(chatCsvPath(session.id)));
    await writeChatCsv(shown, input.lang, redactor, csv);
    later(csv.finish());
    const genesis = await genesisHash(session.id);
    summaries.push({
      ...session,
      eventCount: events.length,
      chatCount,
      screenshotCount,
      genesis,
      chainHead: events.length ? events[events.length - 1]!.hash : genesis,
      events: eventsPath(session.id),
    });
  }

  // The case: receipts (checked against their hash again: what was attached is what goes out).
  let caseManifest: CaseManifest | undefined;
  const c = input.case;
  if (c) {
    const receipts: ReceiptEntry[] = [];
    for (const [i, r] of c.receipts.entries()) {
      // A Blob whose stored file is gone fails to read (Chromium: "NotReadableError", "network
      // error"): named by the receipt, as a picture is.
      const bytes =
        r.bytes instanceof Uint8Array
          ? r.bytes
          : await r.bytes.arrayBuffer().then(
              (b) => new Uint8Array(b),
              () => null,
            );
      if (!bytes) throw new PackageBuildError('receipt-unreadable', [r.name]);
      if ((await sha256Hex(bytes)) !== r.sha256) throw new PackageBuildError('receipt-damaged', [r.name]);
      const path = receiptPath(i, r.sha256, r.ext);
      add(path, bytes);
      receipts.push({
        path,
        sha256: r.sha256,
        bytes: bytes.length,
        mediatype: r.mediatype,
        name: r.name,
        label: r.label,
        attachedAt: r.attachedAt,
        ...(r.moment ? { moment: r.moment } : {}),
      });
    }
    caseManifest = { id: c.id, title: c.title, redaction, ranges: c.ranges, receipts, file: CASE_FILE };
    add(
      CASE_FILE,
      utf8(
        JSON.stringify(
          { id: c.id, title: c.title, fields: c.fields, ranges: c.ranges, marks: c.marks, receipts },
          null,
          2,
        ) + '\n',
      ),
    );
  }

  await Promise.all(finishing);
  const fingerprint = await keyFingerprint(input.signer.publicKey);
  for (const f of files)
    if (!hashes.has(f.path)) hashes.set(f.path, 'data' in f ? f.sha256 : await sha256Hex(f.bytes));

  if (c && caseManifest) {
    const timeZone = input.environment.timeZone;
    for (const lang of ['zh_CN', 'en'] as const) {
      const text = renderComplaint(
        {
          packageName: name,
          fields: c.fields,
          sessions: input.sessions.map((s) => ({
            id: s.session.id,
            url: s.session.url,
            startedAt: s.session.startedAt,
            events: s.events.filter(inRangeOf(s.session.id)),
          })),
          marks: c.marks,
          receipts: caseManifest.receipts,
          time: (iso) => zonedTime(iso, timeZone),
          fingerprint: formatFingerprint(fingerprint),
        },
        translator(lang),
        NARRATIVE_LIMIT[lang],
      );
      add(COMPLAINT_FILES[lang], utf8(text));
    }
  }

  const report = new TextFile(REPORT, mediatypeOf(REPORT));
  await writeReport(
    {
      name,
      created,
      lang: input.lang,
      toolVersion: input.toolVersion,
      sessions: input.sessions.map((s, i) => ({
        summary: summaries[i]!,
        events: s.events,
        ...(ranges.get(s.session.id) ? { range: ranges.get(s.session.id)! } : {}),
      })),
      hashes,
      ...(c && caseManifest
        ? { case: { title: c.title, fields: c.fields, marks: c.marks, receipts: caseManifest.receipts } }
        : {}),
      redactor,
      fingerprint,
    },
    report,
  );
  files.push(await report.finish());

  add(VERIFY_PAGE, utf8(await renderVerifyPage({ script: input.verifierScript, lang: input.lang, name })));

  const resources: Resource[] = [];
  for (const f of files) {
    resources.push({
      path: f.path,
      hash: `sha256:${'data' in f ? f.sha256 : (hashes.get(f.path) ?? (await sha256Hex(f.bytes)))}`,
      bytes: 'data' in f ? f.size : f.bytes.length,
      mediatype: f.mediatype,
    });
  }

  const datapackage: DataPackage = {
    profile: 'data-package',
    name,
    title: `LiveProof evidence package ${name}`,
    created,
    resources,
    liveproof: {
      format: PACKAGE_FORMAT,
      formatVersion: PACKAGE_FORMAT_VERSION,
      chainFormat: CHAIN_FORMAT,
      tool: { name: 'LiveProof', version: input.toolVersion },
      created,
      environment: input.environment,
      sessions: summaries,
      ...(caseManifest ? { case: caseManifest } : {}),
    },
  };
  const manifestBytes = utf8(JSON.stringify(datapackage, null, 2) + '\n');
  const hash = `sha256:${await sha256Hex(manifestBytes)}`;
  const digest: Digest = {
    path: DATAPACKAGE,
    hash,
    created,
    signature: {
      algorithm: SIGNATURE_ALGORITHM,
      publicKey: toBase64(input.signer.publicKey),
      value: toBase64(await input.signer.sign(signedStatement(hash))),
    },
  };

  files.unshift(
    { path: DATAPACKAGE, bytes: manifestBytes, mediatype: 'application/json' },
    { path: DIGEST, bytes: utf8(JSON.stringify(digest, null, 2) + '\n'), mediatype: 'application/json' },
  );
  onProgress?.(total, total);
  return { name, files, datapackage, digest };
}

/** `2026-11-28 17:56:06 (Asia/Shanghai)`: the exporter's wall clock, for the letters. */
export function zonedTime(iso: string, timeZone: string): string {
  try {
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
    return `${local} (${timeZone})`;
  } catch {
    return `${iso.slice(0, 19).replace('T', ' ')} (UTC)`;
  }
}
