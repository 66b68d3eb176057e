import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../src/cli/demo-server';
import { ARTIFACTS, npm, openPackage } from './harness';

/** Flips one byte of `file` at `offset`, writing the result to `out`. */
function flipByte(file: string, offset: number, out: string): void {
  const bytes = readFileSync(file);
  bytes[offset] = bytes[offset]! ^ 0x01;
  writeFileSync(out, bytes);
}

/** Where an entry's data starts in a zip (after its local header). */
function entryDataOffset(zip: Buffer, name: string): number {
  const at = zip.indexOf(Buffer.from(name));
  const header = at - 30;
  if (header < 0 || zip.readUInt32LE(header) !== 0x04034b50) throw new Error(`no local header for ${name}`);
  return header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
}

let demo: DemoServer;
const pkg = join(ARTIFACTS, 'cli-capture.zip');

beforeAll(async () => {
  demo = await startDemoServer();
});
afterAll(async () => {
  await demo?.close();
});

describe('npm run capture', () => {
  it('preserves an unknown page on 127.0.0.1 for N seconds and writes a verified package', async () => {
    const url = demo.roomUrl({ rate: 6, seed: 21 });
    const r = await npm(['capture', '--', url, '--seconds', '4', '--out', pkg]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Package: ${pkg}`);
    expect(r.stdout).toMatch(/events \d+, chat messages [1-9]\d*, screenshots [1-9]\d*, verified: yes/);
    const opened = await openPackage(pkg);
    expect(opened.report.ok).toBe(true);
    const [events] = [...opened.sessions.values()];
    expect(events![0]).toMatchObject({ type: 'page', data: { url, adapter: 'generic' } });
  });

  it('refuses what it cannot preserve, with a clear message', async () => {
    const r = await npm(['capture', '--', 'ftp://example.com/x', '--seconds', '1'], 'zh_CN');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('只能保全 http 或 https 网址');
  });
});

describe('npm run verify', () => {
  it('says intact and exits 0 for an untouched package', async () => {
    expect(existsSync(pkg)).toBe(true);
    const r = await npm(['verify', '--', pkg]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Package ${pkg}: intact`);
    const json = await npm(['verify', '--', pkg, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, packages: [{ ok: true, problems: [] }] });
  });

  it('names the changed file when one byte of a screenshot changes, and exits 1', async () => {
    const zip = readFileSync(pkg);
    const png = zip.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const broken = join(ARTIFACTS, 'cli-broken-screenshot.zip');
    flipByte(pkg, png + 200, broken);
    const r = await npm(['verify', '--', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Package ${broken}: BROKEN`);
    expect(r.stdout).toMatch(/first problem: sessions\/[\w-]+\/screenshots\/\d{6}\.png was changed/);
  });

  it('names the events file when one byte of the sealed events changes', async () => {
    const zip = readFileSync(pkg);
    const name = [...(await openPackage(pkg)).sessions.keys()].map((id) => `sessions/${id}/events.jsonl`)[0]!;
    const broken = join(ARTIFACTS, 'cli-broken-events.zip');
    flipByte(pkg, entryDataOffset(zip, name) + 40, broken);
    const r = await npm(['verify', '--', broken, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      packages: { firstProblem: string; problems: { path: string }[] }[];
    };
    expect(out.ok).toBe(false);
    expect(out.packages[0]!.problems[0]!.path).toBe(name);
    expect(out.packages[0]!.firstProblem).toContain(name);
  });

  it('checks several packages in one run and fails when any is broken', async () => {
    const r = await npm(['verify', '--', pkg, join(ARTIFACTS, 'cli-broken-screenshot.zip')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 packages checked: 1 intact, 1 broken');
  });

  it('explains its use when given nothing, and says when a file cannot be read', async () => {
    expect((await npm(['verify'])).code).toBe(2);
    const missing = await npm(['verify', '--', join(ARTIFACTS, 'no-such-package.zip')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('cannot read');
  });
});

describe('npm run demo', () => {
  it('preserves the simulated live room, exports and verifies a package, and says where it is', async () => {
    const r = await npm(['demo', '--', '--seconds', '5'], 'zh_CN');
    expect(r.code).toBe(0);
    const path = /证据包：(\S+\.zip)/.exec(r.stdout)?.[1];
    expect(path).toBeDefined();
    expect(existsSync(path!)).toBe(true);
    expect(r.stdout).toMatch(/记录 \d+ 条，聊天 [1-9]\d* 条，截图 [1-9]\d* 张，核验：通过/);
    expect((await openPackage(path!)).report.ok).toBe(true);
  });
});
