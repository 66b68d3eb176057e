/** Export on the locker page: read the sealed sessions (and a case), build the package, zip it. */
import browser from 'webextension-polyfill';
import verifierScript from 'virtual:liveproof/verify-script';
import { buildPackage, zipBlob, zipParts, type SessionExport } from '../core/package';
import { sha256HexOfParts } from '../core/hash-stream';
import { keyFingerprint } from '../core/sign';
import type { Lang } from '../core/i18n';
import { SETTINGS_KEY, readSettings } from '../core/settings';
import type { CaseInput, Redaction } from '../core/case/model';
import { audit, installSigner, readSessionEvents, type EvidenceDb } from '../db';

export interface ExportedPackage {
  name: string;
  fileName: string;
  blob: Blob;
  sha256: string;
  /** The fingerprint of the key that signed it (hex). */
  fingerprint: string;
  /**
   * The package is complete, but the export could not be noted in the locker's log (the browser's
   * storage full, say): shown beside the result, never instead of it.
   */
  notLogged?: true;
}

/**
 * The export's steps: reading the evidence, building the files, zipping them, and hashing the
 * finished package for the SHA-256 the locker shows (seconds for a big one).
 */
export type ExportPhase = 'reading' | 'building' | 'zipping' | 'hashing';
export type ExportProgress = (phase: ExportPhase, percent: number) => void;

/** Every sealed event of each session with the screenshots they point to, one read transaction each. */
export async function readSessions(
  db: EvidenceDb,
  sessionIds: readonly string[],
  onProgress: ExportProgress = () => undefined,
): Promise<SessionExport[]> {
  const sessions: SessionExport[] = [];
  for (let i = 0; i < sessionIds.length; i++) {
    onProgress('reading', (i / sessionIds.length) * 100);
    const id = sessionIds[i]!;
    // One read transaction: the events and the blobs they point to belong to the same moment.
    const part = await db.transaction('r', db.sessions, db.pages, db.blobs, async () => {
      const s = await db.sessions.get(id);
      if (!s) throw new Error(`session ${id} not found`);
      const events = await readSessionEvents(db, id);
      const hashes = [
        ...new Set(
          events
            .filter((e) => e.type === 'screenshot' || e.type === 'video')
            .map((e) => String(e.data.sha256)),
        ),
      ];
      const rows = await db.blobs.bulkGet(hashes);
      return { s, events, rows };
    });
    // The pictures stay Blobs: the builder reads each once to check it, and the ZIP refers to them.
    const blobs = new Map<string, Blob>();
    for (const row of part.rows) if (row) blobs.set(row.sha256, row.blob);
    sessions.push({
      session: {
        id: part.s.id,
        url: part.s.url,
        title: part.s.title,
        platform: part.s.platform,
        adapter: part.s.adapter,
        startedAt: part.s.startedAt,
        endedAt: part.s.endedAt,
      },
      events: part.events,
      blobs,
    });
  }
  return sessions;
}

/** The exporter's redaction setting (other viewers' contacts by default). */
async function redactionSetting(): Promise<Redaction> {
  try {
    return readSettings((await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY]).settings.redaction;
  } catch {
    return 'contacts';
  }
}

async function build(
  db: EvidenceDb,
  sessions: SessionExport[],
  lang: Lang,
  onProgress: ExportProgress,
  kase?: CaseInput,
): Promise<ExportedPackage> {
  const signer = await installSigner(db);
  const platform = await browser.runtime.getPlatformInfo();
  const built = await buildPackage(
    {
      created: new Date(),
      toolVersion: browser.runtime.getManifest().version,
      environment: {
        userAgent: navigator.userAgent.slice(0, 1000),
        os: `${platform.os}/${platform.arch}`,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
        language: navigator.language,
      },
      sessions,
      lang,
      signer,
      verifierScript,
      redaction: await redactionSetting(),
      ...(kase ? { case: kase } : {}),
    },
    (done, total) => onProgress('building', (done / total) * 100),
  );
  const parts = await zipParts(built.files, (p) => onProgress('zipping', p));
  const blob = zipBlob(parts);
  // Hashed from its parts: the screenshots' Blobs one by one, not the joined Blob read back.
  let shown = -1;
  const sha256 = await sha256HexOfParts(parts, (done, total) => {
    // Once per whole percent: a package of thousands of files has hundreds of thousands of parts.
    const percent = total ? Math.floor((done / total) * 100) : 100;
    if (percent !== shown) onProgress('hashing', (shown = percent));
  });
  return {
    name: built.name,
    fileName: `${built.name}.zip`,
    blob,
    sha256,
    fingerprint: await keyFingerprint(signer.publicKey),
  };
}

export async function exportSessions(
  db: EvidenceDb,
  sessionIds: readonly string[],
  lang: Lang,
  onProgress: ExportProgress = () => undefined,
): Promise<ExportedPackage> {
  return build(db, await readSessions(db, sessionIds, onProgress), lang, onProgress);
}

/** A case's package: its sessions, receipts (bytes as attached), fields and marks, and the letters. */
export async function exportCase(
  db: EvidenceDb,
  caseId: string,
  lang: Lang,
  onProgress: ExportProgress = () => undefined,
): Promise<ExportedPackage> {
  const row = await db.cases.get(caseId);
  if (!row) throw new Error(`case ${caseId} not found`);
  const ids = row.ranges.map((r) => r.session);
  const sessions = await readSessions(db, ids, onProgress);
  const receiptRows = (await db.receipts.bulkGet(row.receipts)).filter((r) => r !== undefined);
  const marks = (await db.marks.where('session').anyOf(ids).toArray()).map(
    ({ session, seq, key, note, time }) => ({
      session,
      seq,
      key,
      note,
      time,
    }),
  );
  const kase: CaseInput = {
    id: row.id,
    title: row.title,
    fields: row.fields,
    ranges: row.ranges,
    marks,
    redaction: row.redaction,
    receipts: receiptRows.map((r) => ({
      id: r.id,
      name: r.name,
      label: r.label,
      mediatype: r.mediatype,
      ext: r.ext,
      sha256: r.sha256,
      attachedAt: r.attachedAt,
      ...(r.moment ? { moment: r.moment } : {}),
      // Read by the builder, which names a receipt whose stored file cannot be read any more.
      bytes: r.blob,
    })),
  };
  const pkg = await build(db, sessions, lang, onProgress, kase);
  // The package is complete whatever becomes of the log: a failed write (storage full) loses only
  // the log entry, which the locker says, and changes nothing stored (the write is its own transaction).
  try {
    await audit(db, {
      action: 'case-exported',
      subject: caseId,
      detail: `${pkg.fileName} sha256:${pkg.sha256}`,
    });
  } catch (err) {
    console.warn('[liveproof] the export could not be logged', err);
    return { ...pkg, notLogged: true };
  }
  return pkg;
}

/** Hands the package to the browser's downloads (an anchor click works in every extension page). */
export function download(pkg: ExportedPackage): void {
  const url = URL.createObjectURL(pkg.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = pkg.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
