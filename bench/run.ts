/**
 * Runs every benchmark, one after the other, each in its own process: capture (the extension in
 * Chromium), detect (the detection engine in Node), verify (packages against SHA-256), screenshots and idb (the extension in Chromium:
 * bursts of screenshot triggers, IndexedDB writes), export (a one-hour package) and video (the video
 * guard, 10 minutes). Arguments go to the capture benchmark
 * (`npm run bench -- --seconds 60`). Never fails: a benchmark reports, it does not gate.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../src/cli/build';

const TSX = join(ROOT, 'node_modules/.bin/tsx');
const BENCHES: { script: string; args: string[] }[] = [
  { script: 'bench/capture/index.ts', args: process.argv.slice(2) },
  { script: 'bench/detect/index.ts', args: [] },
  { script: 'bench/verify/index.ts', args: [] },
  { script: 'bench/screenshots/index.ts', args: [] },
  { script: 'bench/idb/index.ts', args: [] },
  { script: 'bench/export/index.ts', args: [] },
  { script: 'bench/video/index.ts', args: [] },
];

for (const { script, args } of BENCHES) {
  console.log(`\n=== ${script} ${args.join(' ')}`.trimEnd() + '\n');
  const r = spawnSync(TSX, [join(ROOT, script), ...args], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) console.log(`${script} ended with ${r.error?.message ?? `exit code ${r.status}`}`);
}
