/** `npm run capture -- <url> [--seconds N] [--out FILE]`: preserve any http(s) page headlessly. */
import { parseArgs } from 'node:util';
import { runCapture, summaryLine } from './capture-run';
import { describeProblem } from './verify-text';
import { t } from './lang';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seconds: { type: 'string', default: '30' },
      out: { type: 'string' },
      headed: { type: 'boolean', default: false },
    },
  });
  const url = positionals[0];
  if (!url || positionals.length > 1) {
    console.error(t('cliCaptureUsage'));
    return 2;
  }
  if (!/^https?:\/\//i.test(url)) {
    console.error(t('cliBadUrl', url));
    return 2;
  }
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    console.error(t('cliBadSeconds', String(values.seconds)));
    return 2;
  }
  const result = await runCapture({ url, seconds, out: values.out, headless: !values.headed });
  console.log(t('cliWrote', result.path));
  console.log(summaryLine(result));
  if (!result.report.ok) console.log(t('verifyFirstProblem', describeProblem(result.report.problems[0]!)));
  return result.report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
