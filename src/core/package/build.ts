/** Builds the files of a complaint package from sealed sessions (pure: no browser, no Dexie). */
import { canonicalJson } from '../canonical';
import { sha256Hex, utf8 } from '../hash';
import type { SealedEvent } from '../evidence';
import type { Lang } from '../i18n';
import { isoTime } from '../time';
import { chatCsv } from './chat-csv';
import { renderReport } from '../report';
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
  /** Screenshot and video chunk bytes by their SHA-256 (hex). */
  blobs: ReadonlyMap<string, Uint8Array>;
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
}

export interface PackageFile {
  path: string;
  bytes: Uint8Array;
  mediatype: string;
}

export interface BuiltPackage {
  name: string;
  files: PackageFile[];
  datapackage: DataPackage;
  digest: Digest;
}

export class PackageBuildError extends Error {
  constructor(
    readonly code:
      | 'no-sessions'
      | 'screenshot-missing'
      | 'screenshot-damaged'
      | 'video-missing'
      | 'video-damaged'
      | 'chain-gap',
    readonly params: string[],
  ) {
    super(`${code}: ${params.join(' ')}`);
  }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export type Progress = (done: number, total: number) => void;

export async function buildPackage(input: PackageInput, onProgress?: Progress): Promise<BuiltPackage> {
  if (input.sessions.length === 0) throw new PackageBuildError('no-sessions', []);
  const created = isoTime(input.created);
  const name = packageName(input.created, input.shortId);
  const files: PackageFile[] = [];
  const summaries: SessionSummary[] = [];
  const total = input.sessions.reduce((n, s) => n + s.events.length, 0) + 1;
  let done = 0;

  const add = (path: string, bytes: Uint8Array) => files.push({ path, bytes, mediatype: mediatypeOf(path) });

  for (const { session, events, blobs } of input.sessions) {
    const lines: string[] = [];
    let chatCount = 0;
    let screenshotCount = 0;
    /** Video segment files in the order their first chunk was sealed: path → chunk bytes in order. */
    const video = new Map<string, Uint8Array[]>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.seq !== i) throw new PackageBuildError('chain-gap', [session.id, String(i)]);
      lines.push(canonicalJson(e));
      if (e.type === 'chat') chatCount++;
      if (e.type === 'screenshot') {
        const sha = String(e.data.sha256);
        const bytes = blobs.get(sha);
        if (!bytes) throw new PackageBuildError('screenshot-missing', [session.id, String(e.seq)]);
        if ((await sha256Hex(bytes)) !== sha)
          throw new PackageBuildError('screenshot-damaged', [session.id, String(e.seq)]);
        add(screenshotPath(session.id, e.seq), bytes);
        screenshotCount++;
      }
      if (e.type === 'video') {
        const sha = String(e.data.sha256);
        const bytes = blobs.get(sha);
        if (!bytes) throw new PackageBuildError('video-missing', [session.id, String(e.seq)]);
        if ((await sha256Hex(bytes)) !== sha)
          throw new PackageBuildError('video-damaged', [session.id, String(e.seq)]);
        const path = videoPath(session.id, String(e.data.clip), Number(e.data.segment));
        const parts = video.get(path) ?? [];
        parts.push(bytes);
        video.set(path, parts);
      }
      done++;
      if (onProgress && done % 2000 === 0) onProgress(done, total);
    }
    add(eventsPath(session.id), utf8(lines.join('\n') + (lines.length ? '\n' : '')));
    for (const [path, parts] of video) add(path, concatBytes(parts));
    add(chatCsvPath(session.id), utf8(chatCsv(events, input.lang)));
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

  add(
    REPORT,
    utf8(
      renderReport({
        name,
        created,
        lang: input.lang,
        toolVersion: input.toolVersion,
        sessions: input.sessions.map((s, i) => ({ summary: summaries[i]!, events: s.events })),
      }),
    ),
  );

  add(VERIFY_PAGE, utf8(await renderVerifyPage({ script: input.verifierScript, lang: input.lang, name })));

  const resources: Resource[] = [];
  for (const f of files) {
    resources.push({
      path: f.path,
      hash: `sha256:${await sha256Hex(f.bytes)}`,
      bytes: f.bytes.length,
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
