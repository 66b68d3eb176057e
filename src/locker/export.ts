/** Export on the locker page: read the sealed sessions, build the package, zip it. */
import browser from 'webextension-polyfill';
import verifierScript from 'virtual:liveproof/verify-script';
import { buildPackage, zipPackage, type SessionExport } from '../core/package';
import { sha256Hex } from '../core/hash';
import { keyFingerprint } from '../core/sign';
import type { Lang } from '../core/i18n';
import { installSigner, readSessionEvents, type EvidenceDb } from '../db';

export interface ExportedPackage {
  name: string;
  fileName: string;
  blob: Blob;
  sha256: string;
  /** The fingerprint of the key that signed it (hex). */
  fingerprint: string;
}

export type ExportProgress = (phase: 'reading' | 'building' | 'zipping', percent: number) => void;

export async function exportSessions(
  db: EvidenceDb,
  sessionIds: readonly string[],
  lang: Lang,
  onProgress: ExportProgress = () => undefined,
): Promise<ExportedPackage> {
  const sessions: SessionExport[] = [];
  for (let i = 0; i < sessionIds.length; i++) {
    onProgress('reading', (i / sessionIds.length) * 100);
    const id = sessionIds[i]!;
    // One read transaction: the events and the blobs they point to belong to the same moment.
    const part = await db.transaction('r', db.sessions, db.events, db.blobs, async () => {
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
    const blobs = new Map<string, Uint8Array>();
    for (const row of part.rows) if (row) blobs.set(row.sha256, new Uint8Array(await row.blob.arrayBuffer()));
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
    },
    (done, total) => onProgress('building', (done / total) * 100),
  );
  const blob = await zipPackage(built.files, 'blob', (p) => onProgress('zipping', p));
  const sha256 = await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
  return {
    name: built.name,
    fileName: `${built.name}.zip`,
    blob,
    sha256,
    fingerprint: await keyFingerprint(signer.publicKey),
  };
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
