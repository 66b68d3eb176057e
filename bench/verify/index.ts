/**
 * Verification throughput against plain SHA-256 of the same package file with Node's crypto (the
 * least any verifier must do: read every byte and hash it). Packages of three compositions are
 * built with the real package builder and written to a temporary folder; each is then
 *
 *   - hashed: the file streamed through `createHash('sha256')` (the baseline);
 *   - verified as `npm run verify` does: read piece by piece, Node's SHA-256;
 *   - verified with web APIs only (WebCrypto, DecompressionStream), as verify.html and the locker do.
 *
 * Prints MB/s of package bytes and the ratio to the baseline (goal: CLI ≥ 0.7×). Best of N runs.
 *
 * A second baseline, "floor", is the hashing the format itself demands of the same content, with
 * Node's SHA-256 and nothing else: every unpacked file hashed once, and every event line hashed
 * again on its own (each link of a chain is a separate digest), each with one `crypto.hash` call, the
 * cheapest way Node offers (half the time of a `createHash` object for a short line). Chat-heavy packages are a few bytes
 * of deflate per event, so against the file's bytes they can never come near the first baseline;
 * against the floor they show what the verifier adds (parsing, the schema, inflating).
 *
 *   npx tsx bench/verify/index.ts [runs]        (default 5)
 */
import { createHash, hash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPackage } from '../../src/core/package';
import { verifyFile } from '../../src/cli/verify';
import { COMPOSITIONS, SESSION_ID, packageOf, session } from './packages';

const RUNS = Number(process.argv[2] ?? 5);
const GOAL = 0.7;

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

/** The unpacked files, and each events file's lines, ready to be hashed as the format demands. */
async function contentOf(path: string): Promise<{ files: Uint8Array[]; lines: Buffer[] }> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const files: Uint8Array[] = [];
  const lines: Buffer[] = [];
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    const bytes = await entry.async('uint8array');
    files.push(bytes);
    if (!entry.name.endsWith('events.jsonl')) continue;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let start = 0, nl = buf.indexOf(10); nl >= 0; start = nl + 1, nl = buf.indexOf(10, start))
      lines.push(buf.subarray(start, nl));
  }
  return { files, lines };
}

function hashContent(content: { files: Uint8Array[]; lines: Buffer[] }): void {
  for (const f of content.files) hash('sha256', f, 'hex');
  for (const l of content.lines) hash('sha256', l, 'hex');
}

async function best(run: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const dir = mkdtempSync(join(tmpdir(), 'liveproof-bench-verify-'));
try {
  console.log(`verify throughput, best of ${RUNS} (${cpus()[0]?.model ?? 'cpu'}, node ${process.version})`);
  console.log(
    'composition'.padEnd(62) +
      'MB      sha256 MB/s   CLI MB/s (×)      web MB/s (×)    unpacked MB   floor ms   CLI ms (× floor)',
  );
  for (const [name, chat, shots, shotBytes] of COMPOSITIONS) {
    const file = join(dir, `${chat}-${shots}.zip`);
    writeFileSync(file, await packageOf(await session(SESSION_ID, chat, shots, shotBytes)));
    const mb = statSync(file).size / 1e6;
    const report = await verifyFile(file);
    if (!report.ok) throw new Error(`bench package does not verify: ${report.problems[0]?.code}`);
    const base = await best(() => hashFile(file));
    const cli = await best(() => verifyFile(file));
    const web = await best(async () => verifyPackage(new Blob([await readFile(file)])));
    const content = await contentOf(file);
    const floor = await best(async () => hashContent(content));
    const unpacked = content.files.reduce((n, f) => n + f.length, 0) / 1e6;
    const rate = (ms: number) => (mb / (ms / 1000)).toFixed(0);
    const ratio = (ms: number) => (base / ms).toFixed(2);
    console.log(
      `${name.padEnd(62)}${mb.toFixed(1).padStart(6)}${rate(base).padStart(13)}${rate(cli).padStart(10)} (${ratio(cli)}×)${rate(web).padStart(10)} (${ratio(web)}×)` +
        `${unpacked.toFixed(1).padStart(15)}${floor.toFixed(0).padStart(11)}${cli.toFixed(0).padStart(9)} (${(floor / cli).toFixed(2)}×)`,
    );
  }
  console.log(`goal: CLI ≥ ${GOAL}× plain SHA-256 of the same file; floor: the digests the format demands`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
