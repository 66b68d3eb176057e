/**
 * Property: every single tampering of a real package is caught. 1,200 tamperings drawn from a seeded
 * generator (the same every run; LIVEPROOF_TAMPER_SEED picks another) over two packages: a flipped
 * byte in any file, an event line deleted, inserted, duplicated or reordered, a screenshot swapped,
 * a file removed or added, datapackage.json edited with or without updating its digest, the
 * signature replaced. Each forger may also re-list the files and re-make the digest afterwards,
 * unsigned, with the old signature, or — for what the hash chains cover — even signed with the
 * installation's own key.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DATAPACKAGE,
  DIGEST,
  eventsPath,
  verifyPackage,
  type DataPackage,
} from '../../../../src/core/package';
import { sealAfter } from '../../../../src/core/chain';
import { canonicalJson } from '../../../../src/core/canonical';
import {
  KEY,
  SESSION_A,
  SESSION_B,
  digestFor,
  filesOf,
  manifestOf,
  png,
  reseal,
  samplePackage,
  sha256,
  signWith,
  testKey,
  zipFiles,
  type FileMap,
} from './fixtures';

const RUNS = 1200;
const SEED = Number(process.env.LIVEPROOF_TAMPER_SEED ?? 20261128);

/** mulberry32: small, fast, and the same sequence for the same seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]! };
}
type Rng = ReturnType<typeof rng>;

const OTHER = testKey(
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5Y11n9ZAU2jOEVLrgFbqWp8idPLJD8pPTHIFHzAPzF6hRANCAARvy+eHwYUUPOFdSuKrmTkd3rcQA15uayXRFoqink4aepH8jbPtMmzTl1/bAbRRUfsF1SmYMRSNDkhPzZ1abWQS',
);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytesOf = (s: string) => new TextEncoder().encode(s);
const SESSIONS = [SESSION_A, SESSION_B];

/** After the change, what the forger does with the manifest and the digest. */
type Cover = 'none' | 'unsigned' | 'old-signature' | 'own-key';
function cover(files: FileMap, how: Cover, edit?: (dp: DataPackage) => void): void {
  if (how === 'none') return;
  reseal(files, edit, how === 'unsigned' ? null : how === 'old-signature' ? 'keep' : KEY);
}

const lines = (files: FileMap, id: string) =>
  text(files.get(eventsPath(id))!)
    .split('\n')
    .filter(Boolean);
const setLines = (files: FileMap, id: string, ls: readonly string[]) =>
  files.set(eventsPath(id), bytesOf(ls.map((l) => l + '\n').join('')));

interface Tampering {
  kind: string;
  /** Changes `files`; returns a short description for the failure message. */
  apply(files: FileMap, r: Rng): string | Promise<string>;
  /** Options to verify with (a receiver who pins the expected key). */
  pin?: boolean;
}

const anyCover = (r: Rng): Cover => r.pick(['none', 'unsigned', 'old-signature'] as const);
/** For what the chains cover, the forger may even hold the installation's key. */
const chainCover = (r: Rng): Cover => r.pick(['none', 'unsigned', 'old-signature', 'own-key'] as const);

const TAMPERINGS: Tampering[] = [
  {
    kind: 'flip a byte in any file',
    apply(files, r) {
      const path = r.pick([...files.keys()]);
      const bytes = files.get(path)!.slice();
      const at = r.int(bytes.length);
      bytes[at]! ^= 1 + r.int(255);
      files.set(path, bytes);
      const how = path === DATAPACKAGE || path === DIGEST ? 'none' : anyCover(r);
      cover(files, how);
      return `${path}@${at} ${how}`;
    },
  },
  {
    kind: 'delete an event line',
    apply(files, r) {
      const id = r.pick(SESSIONS);
      const ls = lines(files, id);
      const at = r.int(ls.length);
      ls.splice(at, 1);
      setLines(files, id, ls);
      const how = chainCover(r);
      cover(files, how);
      return `${id}#${at} ${how}`;
    },
  },
  {
    kind: 'insert an event line',
    async apply(files, r) {
      const id = r.pick(SESSIONS);
      const ls = lines(files, id);
      const at = r.int(ls.length + 1);
      const source = r.int(3);
      let line: string;
      if (source === 0) line = r.pick(lines(files, r.pick(SESSIONS.filter((s) => s !== id))));
      else {
        // A new event sealed properly after the event before it: the forger knows the format.
        const prev = at === 0 ? null : (JSON.parse(ls[at - 1]!) as { seq: number; hash: string });
        const head = prev
          ? { seq: prev.seq, hash: prev.hash }
          : { seq: -1, hash: sha256(`liveproof/genesis/v1\n${id}`) };
        const [e] = await sealAfter(head, [
          {
            type: 'chat',
            time: '2026-11-28T09:40:30.000Z',
            data: { author: '小美优选', text: '本商品不退不换', kind: 'host' },
          },
        ]);
        line = source === 1 ? canonicalJson(e) : JSON.stringify(e);
      }
      ls.splice(at, 0, line);
      setLines(files, id, ls);
      const how = chainCover(r);
      cover(files, how);
      return `${id}#${at} source ${source} ${how}`;
    },
  },
  {
    kind: 'duplicate an event line',
    apply(files, r) {
      const id = r.pick(SESSIONS);
      const ls = lines(files, id);
      const from = r.int(ls.length);
      const to = r.int(ls.length + 1);
      ls.splice(to, 0, ls[from]!);
      setLines(files, id, ls);
      const how = chainCover(r);
      cover(files, how);
      return `${id}#${from}->${to} ${how}`;
    },
  },
  {
    kind: 'reorder event lines',
    apply(files, r) {
      const id = r.pick(SESSIONS);
      const ls = lines(files, id);
      const a = r.int(ls.length);
      let b = r.int(ls.length - 1);
      if (b >= a) b++;
      if (r.int(2)) [ls[a], ls[b]] = [ls[b]!, ls[a]!];
      else ls.splice(b, 0, ls.splice(a, 1)[0]!);
      setLines(files, id, ls);
      const how = chainCover(r);
      cover(files, how);
      return `${id} ${a}<->${b} ${how}`;
    },
  },
  {
    kind: 'swap a screenshot',
    apply(files, r) {
      const shots = [...files.keys()].filter((p) => p.endsWith('.png'));
      const path = r.pick(shots);
      const others = shots.filter((p) => p !== path).map((p) => files.get(p)!);
      const replacement = r.int(2)
        ? r.pick(others)
        : png(3 + r.int(5), 2 + r.int(5), [r.int(256), r.int(256), r.int(256)]);
      files.set(path, replacement);
      const how = chainCover(r);
      cover(files, how);
      return `${path} ${how}`;
    },
  },
  {
    kind: 'remove a file',
    apply(files, r) {
      const path = r.pick([...files.keys()]);
      files.delete(path);
      const how =
        path === DATAPACKAGE || path === DIGEST
          ? 'none'
          : r.pick(['none', 'unsigned', 'old-signature', 'own-key'] as const);
      // Removing a file from the listing too only hides it when nothing sealed names it; with the
      // key, that is a legitimate re-export of less, so the key holder only gets the chained files.
      if (how === 'own-key' && !path.endsWith('.png') && !path.endsWith('events.jsonl'))
        cover(files, 'unsigned');
      else cover(files, how, (dp) => void (dp.resources = dp.resources.filter((x) => x.path !== path)));
      return `${path} ${how}`;
    },
  },
  {
    kind: 'add a file',
    apply(files, r) {
      const path = r.pick([
        'receipt.png',
        'report2.html',
        `sessions/${r.pick(SESSIONS)}/screenshots/${String(90 + r.int(9)).padStart(6, '0')}.png`,
        'sessions/extra/events.jsonl',
        'verify.js',
      ]);
      files.set(path, r.int(2) ? png(2, 2, [1, 2, 3]) : bytesOf('<h1>退款已完成</h1>'));
      const how = anyCover(r);
      cover(files, how, (dp) =>
        dp.resources.push({
          path,
          hash: `sha256:${sha256(files.get(path)!)}`,
          bytes: files.get(path)!.length,
          mediatype: 'text/html',
        }),
      );
      return `${path} ${how}`;
    },
  },
  {
    kind: 'edit datapackage.json',
    apply(files, r) {
      const edits: [string, (dp: DataPackage) => void][] = [
        ['title', (dp) => void (dp.title += ' ')],
        ['session title', (dp) => void (dp.liveproof.sessions[r.int(2)]!.title = '另一个直播间')],
        ['session url', (dp) => void (dp.liveproof.sessions[r.int(2)]!.url = 'https://live.douyin.com/1')],
        ['created', (dp) => void (dp.liveproof.created = '2026-11-27T10:30:00.000Z')],
        ['chat count', (dp) => void (dp.liveproof.sessions[r.int(2)]!.chatCount += 1)],
        ['ended', (dp) => void (dp.liveproof.sessions[1]!.endedAt = '2026-11-28T10:20:00.000Z')],
        ['environment', (dp) => void (dp.liveproof.environment.timeZone = 'UTC')],
        ['platform', (dp) => void (dp.liveproof.sessions[0]!.platform = 'taobao')],
        ['drop a resource', (dp) => void dp.resources.splice(r.int(dp.resources.length), 1)],
      ];
      const [what, edit] = r.pick(edits);
      const updateDigest = r.int(2) === 1;
      if (updateDigest) cover(files, r.pick(['unsigned', 'old-signature'] as const), edit);
      else {
        const dp = manifestOf(files);
        edit(dp);
        files.set(DATAPACKAGE, bytesOf(JSON.stringify(dp, null, 2) + '\n'));
      }
      return `${what} digest ${updateDigest ? 'updated' : 'kept'}`;
    },
  },
  {
    kind: 'replace the signature',
    apply(files, r) {
      const digest = JSON.parse(text(files.get(DIGEST)!)) as {
        hash: string;
        signature: { publicKey: string; value: string };
      };
      const how = r.int(4);
      if (how === 0) digest.signature.value = randomBytes(64).toString('base64');
      else if (how === 1) {
        // A genuine signature by the same key, over another package's manifest.
        digest.signature.value = Buffer.from(
          signWith(KEY, bytesOf(`liveproof/package-signature/v1\nsha256:${sha256('another manifest')}`)),
        ).toString('base64');
      } else if (how === 2) {
        // Another key's signature over this very manifest, with the genuine public key left in place.
        digest.signature.value = Buffer.from(
          signWith(OTHER, bytesOf(`liveproof/package-signature/v1\n${digest.hash}`)),
        ).toString('base64');
      } else digest.signature.publicKey = Buffer.from(OTHER.spki).toString('base64');
      files.set(DIGEST, bytesOf(JSON.stringify(digest)));
      return `way ${how}`;
    },
  },
  {
    kind: 're-sign everything with another key (the receiver checks the fingerprint)',
    pin: true,
    apply(files, r) {
      const dp = manifestOf(files);
      if (r.int(2)) dp.liveproof.sessions[0]!.title = '另一个直播间';
      const manifest = bytesOf(JSON.stringify(dp, null, 2) + '\n');
      files.set(DATAPACKAGE, manifest);
      files.set(DIGEST, digestFor(manifest, dp.created, OTHER));
      return 'other key';
    },
  },
];

let bases: FileMap[] = [];

beforeAll(async () => {
  bases = [filesOf(await samplePackage('zh_CN')), filesOf(await samplePackage('en'))];
  for (const base of bases) expect((await verifyPackage(await zipFiles(base))).ok).toBe(true);
});

describe('every single tampering of a real package is caught', () => {
  it(`${RUNS} seeded tamperings (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const r = rng(SEED);
    const tally = new Map<string, number>();
    const firstCodes = new Map<string, number>();
    const missed: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = TAMPERINGS[i % TAMPERINGS.length]!;
      const files: FileMap = new Map(r.pick(bases));
      const what = await t.apply(files, r);
      const report = await verifyPackage(
        await zipFiles(files),
        t.pin ? { expectedFingerprint: KEY.fingerprint } : {},
      );
      tally.set(t.kind, (tally.get(t.kind) ?? 0) + 1);
      if (report.ok) missed.push(`#${i} ${t.kind}: ${what}`);
      else firstCodes.set(report.problems[0]!.code, (firstCodes.get(report.problems[0]!.code) ?? 0) + 1);
    }
    expect(missed).toEqual([]);
    expect([...tally.values()].every((n) => n >= 100)).toBe(true);
    // Caught for many different reasons, not one catch-all.
    expect(firstCodes.size).toBeGreaterThanOrEqual(10);
  });
});
