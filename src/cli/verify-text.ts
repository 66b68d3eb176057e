/** Verification findings as sentences and tables, in the CLI's language. */
import type { MessageKey } from '../core/i18n';
import type { Problem, VerifyReport } from '../core/package';
import { t } from './lang';

export function describeProblem(p: Problem): string {
  return t(`verifyProblem_${p.code.replace(/-/g, '_')}` as MessageKey, ...p.params);
}

export function describeReport(file: string, r: VerifyReport): string[] {
  const lines = [t('verifyPackageLine', file, r.ok ? t('verifyIntact') : t('verifyBroken'))];
  if (r.name) {
    lines.push(`  ${t('verifyFiles', r.resources.intact, r.resources.total)}`);
    lines.push(`  ${t('verifyDigest', r.digestOk ? t('verifyIntact') : t('verifyBroken'))}`);
  }
  for (const s of r.sessions)
    lines.push(
      `  ${t('verifySessionLine', s.id, s.events, s.chat, s.screenshots, s.chainOk ? t('verifyIntact') : t('verifyBroken'))}`,
    );
  if (r.problems.length) {
    lines.push(`  ${t('verifyFirstProblem', describeProblem(r.problems[0]!))}`);
    for (const p of r.problems.slice(1, 10)) lines.push(`    - ${describeProblem(p)}`);
    if (r.problems.length > 10) lines.push(`    ${t('verifyMoreProblems', r.problems.length - 10)}`);
  }
  return lines;
}
