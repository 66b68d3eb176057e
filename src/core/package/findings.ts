/**
 * A verification report as sentences in one language: the same findings, in the same order, for the
 * three front doors (the CLI's table, verify.html and the locker's verify view).
 */
import type { MessageKey, Translate } from '../i18n';
import { formatFingerprint } from '../sign';
import type { Problem, VerifyReport } from './verify';

/** `ok` holds, `bad` does not, `unchecked` could not be checked here, `info` is a plain fact. */
export type Mark = 'ok' | 'bad' | 'unchecked' | 'info';

export interface FindingRow {
  label: string;
  value: string;
  mark: Mark;
  /** Set for values a person compares character by character (hashes, fingerprints). */
  mono?: boolean;
}

export interface Findings {
  ok: boolean;
  verdict: string;
  /** Package, export time, files, manifest digest, signature, key fingerprint. */
  rows: FindingRow[];
  /** One row per session: its id, what it holds, and its chain. */
  sessions: FindingRow[];
  /** One row per sealed time-stamp: where, and what the authority vouches for. */
  timestamps: FindingRow[];
  problems: string[];
  proves: string;
  doesNotProve: string;
}

export function describeProblem(p: Problem, t: Translate): string {
  return t(`verifyProblem_${p.code.replace(/-/g, '_')}` as MessageKey, ...p.params);
}

export function describeFindings(r: VerifyReport, t: Translate): Findings {
  const problems = r.problems.map((p) => describeProblem(p, t));
  const rows: FindingRow[] = [];
  if (r.name) {
    rows.push({ label: t('verifyRowPackage'), value: r.name, mark: 'info' });
    if (r.created) rows.push({ label: t('verifyRowCreated'), value: r.created, mark: 'info' });
    rows.push({
      label: t('verifyRowFiles'),
      value: t('verifyFilesValue', r.resources.intact, r.resources.total),
      mark: r.resources.intact === r.resources.total ? 'ok' : 'bad',
    });
    if (r.receipts.total)
      rows.push({
        label: t('caseVerifyRowReceipts'),
        value: t('verifyFilesValue', r.receipts.intact, r.receipts.total),
        mark: r.receipts.intact === r.receipts.total ? 'ok' : 'bad',
      });
  }
  if (r.manifestHash) {
    rows.push({
      label: t('verifyRowDigest'),
      value: r.digestOk ? t('verifyDigestMatches') : t('verifyDigestBroken'),
      mark: r.digestOk ? 'ok' : 'bad',
    });
    const s = r.signature;
    const signature: Record<typeof s.status, [MessageKey, Mark]> = {
      valid: ['verifySignatureValid', 'ok'],
      invalid: ['verifySignatureInvalid', 'bad'],
      missing: ['verifySignatureMissing', 'bad'],
      unchecked: ['verifySignatureUnchecked', 'unchecked'],
    };
    const [key, mark] = signature[s.status];
    rows.push({ label: t('verifyRowSignature'), value: t(key), mark });
    if (s.fingerprint)
      rows.push({
        label: t('verifyRowKey'),
        value: formatFingerprint(s.fingerprint),
        mark: s.status === 'valid' ? 'info' : 'bad',
        mono: true,
      });
  }
  const sessions = r.sessions.map((s) => ({
    label: t('verifySessionLabel', s.id),
    value: `${t('verifySessionCounts', s.events, s.chat, s.screenshots)} · ${
      s.chainOk ? t('verifyChainIntact') : t('verifyChainBroken')
    }`,
    mark: (s.chainOk ? 'ok' : 'bad') as Mark,
  }));
  const timestamps = r.timestamps.map((ts) => ({
    label: t('verifyTimestampWhere', ts.seq, ts.session, ts.covers ?? '?'),
    value:
      ts.status === 'valid'
        ? t('verifyTimestampValid', ts.tsa ?? '?', ts.time ?? '?')
        : ts.status === 'invalid'
          ? t('verifyTimestampInvalid', ts.reason ?? '')
          : t('verifyTimestampUnchecked', ts.claimed.tsa ?? '?', ts.claimed.time ?? '?'),
    mark: (ts.status === 'valid' ? 'ok' : ts.status === 'invalid' ? 'bad' : 'unchecked') as Mark,
  }));
  return {
    ok: r.ok,
    verdict: r.ok ? t('verifyVerdictOk') : t('verifyVerdictBad', problems[0] ?? ''),
    rows,
    sessions,
    timestamps,
    problems,
    proves: t('verifyProves'),
    doesNotProve: t('verifyDoesNotProve'),
  };
}
