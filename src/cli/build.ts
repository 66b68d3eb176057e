/**
 * Builds the extension into `dist/` when it is missing or stale. Staleness is decided by a hash of
 * every input (not mtimes, which a fresh clone resets), stored in `dist/.liveproof-build.json`.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { t } from './lang';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const STAMP = join(DIST, '.liveproof-build.json');
const INPUTS = ['src', 'manifest.json', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'];
const SKIP = new Set(['cli']);

function files(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !(relative(ROOT, path) === 'src' && SKIP.has(name)))
    .sort()
    .flatMap((name) => files(join(path, name)));
}

export function inputsHash(): string {
  const h = createHash('sha256');
  for (const input of INPUTS) {
    const p = join(ROOT, input);
    if (!existsSync(p)) continue;
    for (const f of files(p)) {
      h.update(relative(ROOT, f));
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
  }
  return h.digest('hex');
}

export function isBuildFresh(): boolean {
  if (!existsSync(join(DIST, 'manifest.json')) || !existsSync(STAMP)) return false;
  try {
    return (JSON.parse(readFileSync(STAMP, 'utf8')) as { inputs?: string }).inputs === inputsHash();
  } catch {
    return false;
  }
}

/** Returns true when it had to build. Throws when the build fails. */
export function ensureBuilt(log: (line: string) => void = console.error): boolean {
  if (isBuildFresh()) return false;
  log(t('cliBuilding'));
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    // Vite's own chatter (deprecation notes of its plugins) is kept from a newcomer's first run and
    // shown only when the build fails, where it says why.
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0 || !isBuildFresh()) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    if (output) log(output);
    throw new Error(t('cliBuildFailed', String(r.status ?? r.signal ?? r.error?.message)));
  }
  return true;
}

/** Records what `dist/` was built from; vite.config.ts calls it when a build has been written. */
export function writeBuildStamp(inputs: string): void {
  writeFileSync(STAMP, JSON.stringify({ inputs, builtAt: new Date().toISOString() }) + '\n');
}
