/**
 * Cases, receipts, marks and the audit log (schema version 3), and deleting evidence: by hand with an
 * audit entry, or by the retention setting for sessions that are in no case.
 */
import Dexie from 'dexie';
import { sniffReceipt, type SniffResult } from '../core/case/sniff';
import { emptyFields, type Mark, type Moment } from '../core/case/model';
import { sha256Hex } from '../core/hash';
import { isoTime, randomHex } from '../core/time';
import type { AuditRow, CaseRow, EvidenceDb, ReceiptRow, SessionRow } from './schema';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function audit(db: EvidenceDb, entry: Omit<AuditRow, 'id' | 'time'>, time = isoTime()) {
  await db.audit.add({ time, ...entry });
}

export async function createCase(
  db: EvidenceDb,
  title: string,
  sessionIds: readonly string[],
): Promise<CaseRow> {
  const now = isoTime();
  const row: CaseRow = {
    id: `c-${now.slice(0, 19).replace(/\D/g, '')}-${randomHex(3)}`,
    title,
    createdAt: now,
    updatedAt: now,
    fields: emptyFields(),
    ranges: sessionIds.map((session) => ({ session })),
    redaction: 'names',
    receipts: [],
  };
  await db.transaction('rw', db.cases, db.audit, async () => {
    await db.cases.add(row);
    await audit(db, { action: 'case-created', subject: row.id, detail: title });
  });
  return row;
}

export async function updateCase(
  db: EvidenceDb,
  id: string,
  change: Partial<Omit<CaseRow, 'id'>>,
): Promise<void> {
  await db.cases.update(id, { ...change, updatedAt: isoTime() });
}

export async function deleteCase(db: EvidenceDb, id: string): Promise<void> {
  await db.transaction('rw', db.cases, db.receipts, db.audit, async () => {
    const row = await db.cases.get(id);
    if (!row) return;
    await db.receipts.where('caseId').equals(id).delete();
    await db.cases.delete(id);
    await audit(db, { action: 'case-deleted', subject: id, detail: row.title });
  });
}

export type AttachResult =
  { ok: true; receipt: ReceiptRow } | { ok: false; name: string; sniff: Exclude<SniffResult, { ok: true }> };

/**
 * Attaches a file to a case after judging its first bytes; hashed now, so what is exported later is
 * provably what was attached. A refused file changes nothing in the case.
 */
export async function attachReceipt(
  db: EvidenceDb,
  caseId: string,
  file: { name: string; bytes: Uint8Array },
): Promise<AttachResult> {
  const sniff = sniffReceipt(file.bytes);
  if (!sniff.ok) return { ok: false, name: file.name, sniff };
  const receipt: ReceiptRow = {
    id: `r-${randomHex(6)}`,
    caseId,
    name: file.name.slice(0, 300),
    label: '',
    mediatype: sniff.mediatype,
    ext: sniff.ext,
    sha256: await sha256Hex(file.bytes),
    bytes: file.bytes.length,
    blob: new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: sniff.mediatype }),
    attachedAt: isoTime(),
  };
  await db.transaction('rw', db.cases, db.receipts, async () => {
    const row = await db.cases.get(caseId);
    if (!row) throw new Error(`case ${caseId} not found`);
    await db.receipts.add(receipt);
    await db.cases.update(caseId, { receipts: [...row.receipts, receipt.id], updatedAt: isoTime() });
  });
  return { ok: true, receipt };
}

export async function updateReceipt(
  db: EvidenceDb,
  id: string,
  change: { label?: string; moment?: Moment | null },
): Promise<void> {
  await db.receipts
    .where('id')
    .equals(id)
    .modify((r) => {
      if (change.label !== undefined) r.label = change.label.slice(0, 300);
      if (change.moment === null) delete r.moment;
      else if (change.moment) r.moment = change.moment;
    });
}

export async function removeReceipt(db: EvidenceDb, caseId: string, id: string): Promise<void> {
  await db.transaction('rw', db.cases, db.receipts, async () => {
    const row = await db.cases.get(caseId);
    await db.receipts.delete(id);
    if (row)
      await db.cases.update(caseId, { receipts: row.receipts.filter((r) => r !== id), updatedAt: isoTime() });
  });
}

/** Sets or clears a mark; a mark with neither a note nor the key flag is removed. */
export async function setMark(db: EvidenceDb, mark: Omit<Mark, 'time'>): Promise<void> {
  if (!mark.key && !mark.note.trim()) await db.marks.delete([mark.session, mark.seq]);
  else await db.marks.put({ ...mark, note: mark.note.slice(0, 1000), time: isoTime() });
}

/** Session ids that some case is about (never deleted by retention). */
export async function sessionsInCases(db: EvidenceDb): Promise<Set<string>> {
  const ids = new Set<string>();
  await db.cases.each((c) => c.ranges.forEach((r) => ids.add(r.session)));
  return ids;
}

/**
 * Deletes sessions with their events, marks and the screenshots no remaining session points to, and
 * leaves an audit entry for each. Open sessions are never deleted.
 */
export async function deleteSessions(
  db: EvidenceDb,
  sessions: readonly SessionRow[],
  action: 'session-deleted' | 'session-expired',
  why: (s: SessionRow) => string,
): Promise<string[]> {
  const gone: string[] = [];
  for (const s of sessions) {
    await db.transaction('rw', [db.sessions, db.pages, db.marks, db.audit], async () => {
      const row = await db.sessions.get(s.id);
      if (!row || row.status === 'open') return;
      await db.pages.where('[sessionId+seq]').between([s.id, Dexie.minKey], [s.id, Dexie.maxKey]).delete();
      await db.marks.where('session').equals(s.id).delete();
      await db.sessions.delete(s.id);
      await audit(db, { action, subject: s.id, detail: why(row) });
      gone.push(s.id);
    });
  }
  if (gone.length) await dropUnusedBlobs(db);
  return gone;
}

/** Screenshots that no sealed event points to any more. */
async function dropUnusedBlobs(db: EvidenceDb): Promise<void> {
  const used = new Set<string>();
  await db.pages.each((page) => {
    for (const e of page.events)
      if (e.type === 'screenshot' || e.type === 'video') used.add(String(e.data.sha256));
  });
  const unused = (await db.blobs.toCollection().primaryKeys()).filter((k) => !used.has(k));
  await db.blobs.bulkDelete(unused);
}

/**
 * The retention setting: sessions that ended more than `days` days ago and are in no case are
 * deleted, each with an audit entry. 0 keeps everything.
 */
export async function applyRetention(db: EvidenceDb, days: number, now = Date.now()): Promise<string[]> {
  if (!(days > 0)) return [];
  const cutoff = new Date(now - days * DAY_MS).toISOString();
  const kept = await sessionsInCases(db);
  const old = await db.sessions.where('startedAt').below(cutoff).toArray();
  const expired = old.filter(
    (s) => s.status !== 'open' && !kept.has(s.id) && (s.endedAt ?? s.startedAt) < cutoff,
  );
  return deleteSessions(
    db,
    expired,
    'session-expired',
    (s) => `retention ${days}d · ${s.title || s.url} · ${s.startedAt}`,
  );
}
