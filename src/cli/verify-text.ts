/** Verification findings as a plain-text table, in the CLI's language. */
import {
  describeFindings,
  describeProblem as describeIn,
  type FindingRow,
  type Mark,
  type Problem,
  type VerifyReport,
} from '../core/package';
import { t } from './lang';

const MARKS: Record<Mark, string> = { ok: '✓', bad: '✗', unchecked: '?', info: ' ' };

/** Columns a string takes in a terminal: CJK and full-width characters take two. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  return w;
}

/** A problem as a sentence in the CLI's language. */
export function describeProblem(p: Problem): string {
  return describeIn(p, t);
}

const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));

export function describeReport(file: string, r: VerifyReport): string[] {
  const f = describeFindings(r, t);
  const lines = [t('verifyPackageLine', file, r.ok ? t('verifyIntact') : t('verifyBroken'))];
  const stampRows: FindingRow[] = f.timestamps.length
    ? f.timestamps
    : r.name
      ? [{ label: t('verifyRowTimestamps'), value: t('verifyTimestampsNone'), mark: 'info' }]
      : [];
  const rows = [...f.rows, ...f.sessions, ...stampRows];
  // Not Math.max(...rows): a package's rows grow with its sessions, and a spread of that many
  // arguments can overflow the stack.
  const labelWidth = rows.reduce((w, row) => Math.max(w, width(row.label)), 0);
  for (const row of rows) lines.push(`  ${pad(row.label, labelWidth)}  ${MARKS[row.mark]} ${row.value}`);
  if (f.problems.length) {
    lines.push(`  ${t('verifyFirstProblem', f.problems[0]!)}`);
    for (const p of f.problems.slice(1, 10)) lines.push(`    - ${p}`);
    if (f.problems.length > 10) lines.push(`    ${t('verifyMoreProblems', f.problems.length - 10)}`);
  }
  return lines;
}

/** What verification proves and what it does not: the last words of every report. */
export function scopeLines(): string[] {
  return [t('verifyProves'), t('verifyDoesNotProve')];
}
