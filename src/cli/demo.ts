/**
 * `npm run demo`: serves the simulated live room on 127.0.0.1, preserves it with the real extension
 * in headless Chromium for about 20 seconds, exports and verifies the package, and says where it is.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { startDemoServer } from './demo-server';
import { runCapture, summaryLine } from './capture-run';
import { describeProblem } from './verify-text';
import { ROOT } from './build';
import { t } from './lang';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      out: { type: 'string', default: join(ROOT, 'out') + '/' },
      headed: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    console.error(t('cliBadSeconds', String(values.seconds)));
    return 2;
  }
  const server = await startDemoServer();
  try {
    const url = server.roomUrl({ rate: 5 });
    console.error(t('cliDemoServing', url));
    const result = await runCapture({ url, seconds, out: values.out, headless: !values.headed });
    console.log(t('cliWrote', result.path));
    console.log(summaryLine(result));
    if (!result.report.ok) console.log(t('verifyFirstProblem', describeProblem(result.report.problems[0]!)));
    return result.report.ok ? 0 : 1;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
