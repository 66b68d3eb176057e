/** `npm run verify -- <package.zip…> [--json]`: exit 0 only when every package is intact. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyPackage, type VerifyReport } from '../core/package';
import { describeProblem, describeReport } from './verify-text';
import { t } from './lang';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (!positionals.length) {
    console.error(t('verifyUsage'));
    return 2;
  }
  const results: { file: string; report: VerifyReport | null; error?: string }[] = [];
  for (const file of positionals) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (err) {
      results.push({ file, report: null, error: t('verifyCannotRead', file, (err as Error).message) });
      continue;
    }
    results.push({ file, report: await verifyPackage(bytes) });
  }
  const intact = results.filter((r) => r.report?.ok).length;
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          ok: intact === results.length,
          packages: results.map((r) => ({
            file: r.file,
            ok: r.report?.ok ?? false,
            error: r.error,
            firstProblem: r.report?.problems[0] ? describeProblem(r.report.problems[0]) : undefined,
            ...r.report,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const r of results) {
      if (r.report) console.log(describeReport(r.file, r.report).join('\n'));
      else console.log(`${t('verifyPackageLine', r.file, t('verifyBroken'))}\n  ${r.error}`);
    }
    if (results.length > 1) console.log(t('verifySummary', results.length, intact, results.length - intact));
    console.log(t('verifyScope'));
  }
  return intact === results.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
