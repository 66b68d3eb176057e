/**
 * The verifier, as a receiver uses it: an intact package passes, and each way a package can be broken
 * or forged is reported with its own code, naming the first broken file or event.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DATAPACKAGE,
  DIGEST,
  REPORT,
  VERIFY_LIMITS,
  buildPackage,
  bytesSource,
  readAheadSource,
  chatCsvPath,
  eventsPath,
  screenshotPath,
  videoPath,
  verifyPackage,
  type DataPackage,
  type Problem,
  type ProblemCode,
  type VerifyReport,
} from '../../../../src/core/package';
import { CATALOGS } from '../../../../src/core/i18n';
import { formatFingerprint } from '../../../../src/core/sign';
import { sealAfter } from '../../../../src/core/chain';
import {
  KEY,
  RED,
  digestFor,
  rawZip,
  testKey,
  SESSION_A,
  SESSION_B,
  eventsOf,
  filesOf,
  localEntries,
  reseal,
  samplePackage,
  sealed,
  sha256,
  writeEvents,
  zipFiles,
  packageInput,
  casePackage,
  ORDER_PNG,
  PDF,
  manifestOf,
  withVideo,
  type FileMap,
} from './fixtures';

/** Every code the verifier can report; the type check below fails when verify.ts adds one. */
const ALL_CODES = [
  'not-zip',
  'unsafe-path',
  'entry-duplicate',
  'too-large',
  'too-many-entries',
  'too-large-total',
  'zip-bomb',
  'manifest-missing',
  'manifest-unreadable',
  'manifest-invalid',
  'digest-missing',
  'digest-invalid',
  'digest-mismatch',
  'signature-missing',
  'signature-invalid',
  'signature-key',
  'file-missing',
  'file-size',
  'file-hash',
  'file-unlisted',
  'file-unreadable',
  'events-missing',
  'event-unreadable',
  'event-invalid',
  'chain-seq',
  'chain-prev',
  'chain-hash',
  'chain-genesis',
  'chain-head',
  'event-count',
  'screenshot-missing',
  'receipt-missing',
  'video-missing',
  'video-chunk',
  'timestamp-invalid',
] as const satisfies readonly ProblemCode[];
const everyCodeListed: Exclude<ProblemCode, (typeof ALL_CODES)[number]> extends never ? true : false = true;

const EVENTS_A = eventsPath(SESSION_A);
/** Another installation's key. */
const OTHER = testKey(
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5Y11n9ZAU2jOEVLrgFbqWp8idPLJD8pPTHIFHzAPzF6hRANCAARvy+eHwYUUPOFdSuKrmTkd3rcQA15uayXRFoqink4aepH8jbPtMmzTl1/bAbRRUfsF1SmYMRSNDkhPzZ1abWQS',
);
const bytesOf = (s: string) => new TextEncoder().encode(s);

/** Every problem any test here saw, to check each code was exercised and has a message. */
const seen: Problem[] = [];

async function verify(bytes: Uint8Array): Promise<VerifyReport> {
  const report = await verifyPackage(bytes);
  seen.push(...report.problems);
  expect(report.ok).toBe(report.problems.length === 0);
  return report;
}

/** Builds the sample package, lets `edit` change its files, zips and verifies it. */
async function verifyEdited(edit: (files: FileMap) => void | Promise<void>): Promise<VerifyReport> {
  const files = filesOf(await samplePackage());
  await edit(files);
  return verify(await zipFiles(files));
}

describe('verifyPackage: an intact package', () => {
  it('is intact, names itself, and counts what it holds', async () => {
    const built = await samplePackage();
    const files = filesOf(built);
    const report = await verify(await zipFiles(files));
    expect(report).toEqual({
      ok: true,
      name: 'liveproof-20261128-103000-a1b2c3',
      created: '2026-11-28T10:30:00.000Z',
      manifestHash: sha256(files.get(DATAPACKAGE)!),
      digestOk: true,
      signature: { status: 'valid', fingerprint: KEY.fingerprint },
      resources: { total: 9, intact: 9 },
      receipts: { total: 0, intact: 0 },
      sessions: [
        {
          id: SESSION_A,
          events: 11,
          chat: 5,
          screenshots: 2,
          chainOk: true,
          head: built.datapackage.liveproof.sessions[0]!.chainHead,
        },
        {
          id: SESSION_B,
          events: 3,
          chat: 1,
          screenshots: 1,
          chainOk: true,
          head: built.datapackage.liveproof.sessions[1]!.chainHead,
        },
      ],
      timestamps: [],
      problems: [],
    });
  });

  it('stays intact after the forger’s own tools re-zip it unchanged', async () => {
    const report = await verifyEdited((files) => reseal(files));
    expect(report.problems).toEqual([]);
  });
});

describe('verifyPackage: the container', () => {
  it.each([
    ['a PNG', () => RED],
    ['text', () => bytesOf('this is not a zip')],
    ['nothing', () => new Uint8Array()],
  ])('not-zip: %s', async (_, bytes) => {
    const report = await verify(await bytes());
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.code).toBe('not-zip');
    expect(report.name).toBeNull();
  });

  it('not-zip: a package cut off half-way (an interrupted download)', async () => {
    const zip = await zipFiles(filesOf(await samplePackage()));
    const report = await verify(zip.slice(0, Math.floor(zip.length / 2)));
    expect(report.problems[0]!.code).toBe('not-zip');
  });

  it.each([
    '../evil.txt',
    'sessions/../../evil.txt',
    '/etc/evil.txt',
    'C:/evil.txt',
    'sessions\\evil.txt',
    'sessions/./evil.txt',
    'evil\u0001.txt',
  ])('unsafe-path: an entry named %j is named, not followed', async (name) => {
    const report = await verifyEdited((files) => void files.set(name, bytesOf('evil')));
    expect(report.problems[0]).toMatchObject({ code: 'unsafe-path', params: [name], path: name });
  });

  it('unsafe-path: `x/../datapackage.json` cannot stand in for the real manifest', async () => {
    const report = await verifyEdited(async (files) => {
      const forged = filesOf(await samplePackage());
      reseal(forged, (dp) => void (dp.title = 'forged'));
      files.set('sessions/../datapackage.json', forged.get(DATAPACKAGE)!);
    });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ code: 'unsafe-path', path: 'sessions/../datapackage.json' });
  });

  it('too-large: more entries than the verifier takes on', async () => {
    const saved = VERIFY_LIMITS.entries;
    VERIFY_LIMITS.entries = 5;
    try {
      let count = 0;
      const report = await verifyEdited((files) => void (count = files.size));
      expect(count).toBeGreaterThan(5);
      expect(report.problems).toEqual([{ code: 'too-many-entries', params: ['5'] }]);
    } finally {
      VERIFY_LIMITS.entries = saved;
    }
  });

  it('too-large: a manifest bigger than the verifier reads', async () => {
    const saved = VERIFY_LIMITS.manifestBytes;
    VERIFY_LIMITS.manifestBytes = 1000;
    try {
      const report = await verifyEdited(() => {});
      expect(report.problems).toEqual([
        { code: 'too-large', params: [DATAPACKAGE, '1000'], path: DATAPACKAGE },
      ]);
    } finally {
      VERIFY_LIMITS.manifestBytes = saved;
    }
  });

  it('file-unreadable: damaged compressed data names the file', async () => {
    const zip = await zipFiles(filesOf(await samplePackage()));
    const entry = localEntries(zip).find((e) => e.name === REPORT)!;
    expect(entry.method).toBe(8);
    zip[entry.dataOffset] = 0xff; // an invalid deflate block type
    const report = await verify(zip);
    expect(report.problems[0]).toMatchObject({ code: 'file-unreadable', path: REPORT });
    expect(report.problems[0]!.params[0]).toBe(REPORT);
    expect(report.resources).toEqual({ total: 9, intact: 8 });
  });
});

describe('verifyPackage: the manifest and its digest', () => {
  it('manifest-missing', async () => {
    const report = await verifyEdited((files) => void files.delete(DATAPACKAGE));
    expect(report.problems).toEqual([{ code: 'manifest-missing', params: [DATAPACKAGE], path: DATAPACKAGE }]);
  });

  it('manifest-unreadable: not JSON (even with a digest that matches it)', async () => {
    const report = await verifyEdited((files) => {
      const junk = bytesOf('{"profile": "data-package", ');
      files.set(DATAPACKAGE, junk);
      files.set(DIGEST, digestFor(junk, '2026-11-28T10:30:00.000Z'));
    });
    expect(report.digestOk).toBe(true);
    expect(report.signature.status).toBe('valid');
    expect(report.problems).toEqual([
      { code: 'manifest-unreadable', params: [DATAPACKAGE], path: DATAPACKAGE },
    ]);
  });

  it.each<[string, (dp: Record<string, unknown> & DataPackage) => void, string]>([
    [
      'a format version it does not know',
      (dp) => void (dp.liveproof.formatVersion = 3 as 2),
      'liveproof.formatVersion',
    ],
    [
      'a chain format it does not know',
      (dp) => void (dp.liveproof.chainFormat = 'liveproof-chain/2' as 'liveproof-chain/1'),
      'liveproof.chainFormat',
    ],
    ['an unknown member', (dp) => void (dp.signedBy = 'the platform'), 'signedBy'],
    [
      'a listed path that climbs out',
      (dp) => void (dp.resources[0]!.path = '../evil.txt'),
      'resources.0.path',
    ],
    ['a bad session id', (dp) => void (dp.liveproof.sessions[1]!.id = '../../x'), 'liveproof.sessions.1.id'],
  ])('manifest-invalid: %s, named by where it is', async (_, edit, where) => {
    const report = await verifyEdited((files) => reseal(files, (dp) => edit(dp as never)));
    expect(report.problems).toEqual([{ code: 'manifest-invalid', params: [where], path: DATAPACKAGE }]);
    expect(report.name).toBeNull();
  });

  it('digest-missing: the rest is still checked', async () => {
    const report = await verifyEdited((files) => void files.delete(DIGEST));
    expect(report.problems).toEqual([{ code: 'digest-missing', params: [DIGEST], path: DIGEST }]);
    expect(report.digestOk).toBe(false);
    expect(report.sessions.every((s) => s.chainOk)).toBe(true);
  });

  it.each([
    ['not JSON', 'sha256:'],
    ['the wrong shape', JSON.stringify({ path: DATAPACKAGE, hash: 'md5:0000' })],
    [
      'about another file',
      JSON.stringify({ path: REPORT, hash: `sha256:${'0'.repeat(64)}`, created: '2026-11-28T10:30:00.000Z' }),
    ],
  ])('digest-invalid: %s', async (_, digest) => {
    const report = await verifyEdited((files) => void files.set(DIGEST, bytesOf(digest)));
    expect(report.problems).toEqual([{ code: 'digest-invalid', params: [DIGEST], path: DIGEST }]);
  });

  it('digest-mismatch: the manifest was edited after sealing', async () => {
    const report = await verifyEdited((files) => {
      const digest = files.get(DIGEST)!;
      reseal(files, (dp) => void (dp.liveproof.sessions[0]!.title = '另一个直播间'));
      files.set(DIGEST, digest);
    });
    expect(report.problems).toEqual([{ code: 'digest-mismatch', params: [DATAPACKAGE], path: DATAPACKAGE }]);
    expect(report.digestOk).toBe(false);
  });
});

describe('verifyPackage: the listed files', () => {
  it('file-missing', async () => {
    const report = await verifyEdited((files) => void files.delete(REPORT));
    expect(report.problems).toEqual([{ code: 'file-missing', params: [REPORT], path: REPORT }]);
    expect(report.resources).toEqual({ total: 9, intact: 8 });
  });

  it('file-size: bytes appended to chat.csv', async () => {
    const path = chatCsvPath(SESSION_B);
    let listed = 0;
    const report = await verifyEdited((files) => {
      listed = files.get(path)!.length;
      files.set(path, new Uint8Array([...files.get(path)!, ...bytesOf('=cmd|evil\r\n')]));
    });
    expect(report.problems).toEqual([
      { code: 'file-size', params: [path, String(listed), String(listed + 11)], path },
    ]);
  });

  it('file-hash: one byte of a screenshot changed', async () => {
    const path = screenshotPath(SESSION_A, 7);
    const report = await verifyEdited((files) => {
      const png = files.get(path)!.slice();
      png[png.length - 20]! ^= 0x01;
      files.set(path, png);
    });
    expect(report.problems).toEqual([{ code: 'file-hash', params: [path], path }]);
  });

  it('entry-duplicate: a decoy report.html before the real one is named', async () => {
    const real = filesOf(await samplePackage());
    const zip = await zipFiles(
      new Map([['report.htmx', new TextEncoder().encode('<h1>退款已完成</h1>')], ...real]),
    );
    const [from, to] = [new TextEncoder().encode('report.htmx'), new TextEncoder().encode(REPORT)];
    for (let i = 0; i + from.length <= zip.length; i++)
      if (from.every((b, k) => zip[i + k] === b)) zip.set(to, i);
    const report = await verify(zip);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ code: 'entry-duplicate', path: REPORT });
  });

  it('file-unlisted: a file slipped in', async () => {
    const path = `sessions/${SESSION_A}/screenshots/000004.png`;
    const report = await verifyEdited(
      (files) => void files.set(path, files.get(screenshotPath(SESSION_A, 3))!),
    );
    expect(report.problems).toEqual([{ code: 'file-unlisted', params: [path], path }]);
  });

  it('a changed events file is named before the chain problem it causes', async () => {
    const report = await verifyEdited((files) => {
      const events = eventsOf(files, SESSION_A);
      events[2]!.data.text = '今天直播间只要 199 元';
      writeEvents(files, SESSION_A, events);
    });
    expect(report.problems.map((p) => p.code)).toEqual(['file-size', 'chain-hash']);
    expect(report.problems[0]!.path).toBe(EVENTS_A);
    expect(report.problems[1]).toMatchObject({ path: EVENTS_A, seq: 2 });
  });
});

describe('verifyPackage: the chains, after a forger re-listed the files and re-made the digest', () => {
  const forge = (edit: (files: FileMap) => void | Promise<void>) =>
    verifyEdited(async (files) => {
      await edit(files);
      reseal(files);
    });

  it('events-missing', async () => {
    const report = await verifyEdited((files) => {
      files.delete(EVENTS_A);
      reseal(files, (dp) => void (dp.resources = dp.resources.filter((r) => r.path !== EVENTS_A)));
    });
    expect(report.problems).toEqual([{ code: 'events-missing', params: [EVENTS_A], path: EVENTS_A }]);
    expect(report.sessions.map((s) => s.chainOk)).toEqual([false, true]);
  });

  it('event-unreadable: a line that is not JSON, by line number', async () => {
    const report = await forge((files) => {
      const lines = new TextDecoder().decode(files.get(EVENTS_A)!).split('\n');
      lines[2] = lines[2]!.slice(0, -1);
      files.set(EVENTS_A, bytesOf(lines.join('\n')));
    });
    expect(report.problems).toEqual([
      { code: 'event-unreadable', params: [EVENTS_A, '3'], path: EVENTS_A, seq: 2 },
    ]);
  });

  it.each<[string, (e: Record<string, unknown> & { data: Record<string, unknown> }) => void]>([
    ['an extra member', (e) => void (e.signature = 'x')],
    ['a type the format does not have', (e) => void (e.type = 'refund')],
    ['data of the wrong shape', (e) => void (e.data.kind = 'admin')],
    ['chat text over the limit', (e) => void (e.data.text = '长'.repeat(4001))],
  ])('event-invalid: %s, by line number', async (_, edit) => {
    const report = await forge((files) => {
      const events = eventsOf(files, SESSION_A);
      edit(events[5] as never);
      writeEvents(files, SESSION_A, events);
    });
    expect(report.problems).toEqual([
      { code: 'event-invalid', params: [EVENTS_A, '6'], path: EVENTS_A, seq: 5 },
    ]);
  });

  it('chain-hash: the anchor’s promise changed, at its seq', async () => {
    const report = await forge((files) => {
      const events = eventsOf(files, SESSION_A);
      events[2]!.data.text = '今天直播间只要 199 元，不退不换';
      writeEvents(files, SESSION_A, events);
    });
    expect(report.problems).toEqual([
      { code: 'chain-hash', params: [EVENTS_A, '2'], path: EVENTS_A, seq: 2 },
    ]);
    expect(report.sessions.map((s) => s.chainOk)).toEqual([false, true]);
  });

  it('chain-seq: an event removed from the middle, at the first seq out of place', async () => {
    const report = await forge((files) => {
      writeEvents(
        files,
        SESSION_A,
        eventsOf(files, SESSION_A).filter((e) => e.seq !== 4),
      );
    });
    expect(report.problems[0]).toEqual({
      code: 'chain-seq',
      params: [EVENTS_A, '5'],
      path: EVENTS_A,
      seq: 5,
    });
    expect(report.problems.map((p) => p.code)).toContain('event-count');
  });

  it('chain-prev: an event removed and the rest renumbered', async () => {
    const report = await forge((files) => {
      const events = eventsOf(files, SESSION_A)
        .filter((e) => e.seq !== 4)
        .map((e, i) => ({ ...e, seq: i }));
      writeEvents(files, SESSION_A, events);
    });
    expect(report.problems[0]).toEqual({
      code: 'chain-prev',
      params: [EVENTS_A, '4'],
      path: EVENTS_A,
      seq: 4,
    });
  });

  it('chain-prev: session B’s events passed off as session A’s', async () => {
    const report = await forge((files) => {
      files.set(EVENTS_A, files.get(eventsPath(SESSION_B))!);
    });
    expect(report.problems[0]).toEqual({
      code: 'chain-prev',
      params: [EVENTS_A, '0'],
      path: EVENTS_A,
      seq: 0,
    });
  });

  it('chain-genesis: the manifest gives a session another genesis', async () => {
    const report = await verifyEdited((files) =>
      reseal(files, (dp) => void (dp.liveproof.sessions[0]!.genesis = dp.liveproof.sessions[1]!.genesis)),
    );
    expect(report.problems).toEqual([{ code: 'chain-genesis', params: [SESSION_A], path: EVENTS_A }]);
  });

  it('chain-head: the manifest names another last event', async () => {
    const report = await verifyEdited((files) =>
      reseal(files, (dp) => void (dp.liveproof.sessions[0]!.chainHead = 'e'.repeat(64))),
    );
    expect(report.problems).toEqual([{ code: 'chain-head', params: [SESSION_A], path: EVENTS_A }]);
  });

  it('event-count and chain-head: the last events cut off (the session end and the last chat)', async () => {
    const report = await forge((files) => {
      writeEvents(files, SESSION_A, eventsOf(files, SESSION_A).slice(0, 9));
    });
    expect(report.problems).toEqual([
      { code: 'event-count', params: [SESSION_A, '11', '9'], path: EVENTS_A },
      { code: 'chain-head', params: [SESSION_A], path: EVENTS_A },
    ]);
  });

  it('event-count and chain-head: a whole chain forged for the session id, sealed properly, still differs from the manifest', async () => {
    const report = await forge(async (files) => {
      const forged = await sealed(SESSION_A, [
        {
          type: 'chat',
          time: '2026-11-28T09:40:01.000Z',
          data: { author: '小美优选', text: '本商品不退不换', kind: 'host' },
        },
      ]);
      writeEvents(files, SESSION_A, forged);
    });
    expect(report.problems.map((p) => p.code)).toEqual(['event-count', 'chain-head']);
  });

  it('screenshot-missing: a screenshot and its listing removed, named with its event', async () => {
    const path = screenshotPath(SESSION_A, 7);
    const report = await verifyEdited((files) => {
      files.delete(path);
      reseal(files, (dp) => void (dp.resources = dp.resources.filter((r) => r.path !== path)));
    });
    expect(report.problems).toEqual([{ code: 'screenshot-missing', params: [path, '7'], path, seq: 7 }]);
    expect(report.sessions[0]).toMatchObject({ chainOk: true, screenshots: 1 });
  });

  it('screenshot-missing: another picture put in its place and listed', async () => {
    const path = screenshotPath(SESSION_A, 3);
    const report = await forge((files) => void files.set(path, files.get(screenshotPath(SESSION_B, 2))!));
    expect(report.problems).toEqual([{ code: 'screenshot-missing', params: [path, '3'], path, seq: 3 }]);
  });
});

describe('verifyPackage: kept video', () => {
  /** Two segments of one clip, in chunks of different sizes (the verifier does not parse WebM). */
  const CHUNKS = [
    [0, 0, 40],
    [0, 1, 300],
    [0, 2, 7],
    [1, 0, 55],
    [1, 1, 120],
  ].map(([segment, chunk, size]) => ({
    segment: segment!,
    chunk: chunk!,
    bytes: new Uint8Array(randomBytes(size!)),
  }));
  const CLIP = '20261128-094500-abc123';
  const path0 = videoPath(SESSION_A, CLIP, 0);
  const path1 = videoPath(SESSION_A, CLIP, 1);

  async function videoPackage(): Promise<FileMap> {
    const input = await packageInput();
    const { session } = await withVideo(input, CLIP, CHUNKS);
    const built = await buildPackage({ ...input, sessions: [session, ...input.sessions.slice(1)] });
    return filesOf(built);
  }
  const seqOf = (i: number) => 11 + i; // session A holds 11 events before the video

  it('is intact: each segment file is its chunks in order, and every chunk is counted', async () => {
    const files = await videoPackage();
    const concat = (segment: number) =>
      Buffer.concat(CHUNKS.filter((c) => c.segment === segment).map((c) => c.bytes));
    expect(Buffer.from(files.get(path0)!)).toEqual(concat(0));
    expect(Buffer.from(files.get(path1)!)).toEqual(concat(1));
    const report = await verify(await zipFiles(files));
    expect(report.problems).toEqual([]);
    expect(report.sessions[0]).toMatchObject({ chainOk: true, video: 5 });
    expect(report.sessions[1]!.video).toBeUndefined();
  });

  it('video-chunk: one byte of a chunk changed and the file re-listed, named by that chunk’s event', async () => {
    const files = await videoPackage();
    const bytes = new Uint8Array(files.get(path0)!);
    bytes[40 + 150] = bytes[40 + 150]! ^ 1; // inside chunk 1 of segment 0
    files.set(path0, bytes);
    reseal(files);
    const report = await verify(await zipFiles(files));
    expect(report.problems).toEqual([
      { code: 'video-chunk', params: [path0, String(seqOf(1))], path: path0, seq: seqOf(1) },
    ]);
  });

  it('video-chunk: a chunk left out of the file, or bytes added after the last one', async () => {
    const cut = await videoPackage();
    cut.set(path1, cut.get(path1)!.slice(0, 55));
    reseal(cut);
    const short = await verify(await zipFiles(cut));
    expect(short.problems).toEqual([
      { code: 'video-chunk', params: [path1, String(seqOf(4))], path: path1, seq: seqOf(4) },
    ]);
    const longer = await videoPackage();
    longer.set(path1, new Uint8Array([...longer.get(path1)!, 1, 2, 3]));
    reseal(longer);
    expect((await verify(await zipFiles(longer))).problems.map((p) => p.code)).toEqual(['video-chunk']);
  });

  it('a changed chunk without re-listing: the file’s hash and the chunk are both named', async () => {
    const files = await videoPackage();
    const bytes = new Uint8Array(files.get(path1)!);
    bytes[0] = bytes[0]! ^ 0xff;
    files.set(path1, bytes);
    const report = await verify(await zipFiles(files));
    expect(report.problems.map((p) => p.code)).toEqual(['file-hash', 'video-chunk']);
    expect(report.problems[1]!.seq).toBe(seqOf(3));
  });

  it('video-missing: a segment file and its listing removed', async () => {
    const files = await videoPackage();
    files.delete(path1);
    reseal(files, (dp) => void (dp.resources = dp.resources.filter((r) => r.path !== path1)));
    const report = await verify(await zipFiles(files));
    expect(report.problems).toEqual([
      { code: 'video-missing', params: [path1, String(seqOf(3))], path: path1, seq: seqOf(3) },
    ]);
  });

  it('the package is not built when a kept chunk’s bytes are missing or differ', async () => {
    const input = await packageInput();
    const a = input.sessions[0]!;
    const last = a.events[a.events.length - 1]!;
    const c = CHUNKS[0]!;
    const more = await sealAfter({ seq: last.seq, hash: last.hash }, [
      {
        type: 'video',
        time: '2026-11-28T09:44:02.000Z',
        data: {
          clip: CLIP,
          segment: 0,
          chunk: 0,
          sha256: sha256(c.bytes),
          bytes: c.bytes.length,
          mediatype: 'video/webm',
          start: '2026-11-28T09:44:00.000Z',
          end: '2026-11-28T09:44:01.000Z',
          reason: 'command',
        },
      },
    ]);
    const events = [...a.events, ...more];
    const build = (blobs: Map<string, Uint8Array | Blob>) =>
      buildPackage({ ...input, sessions: [{ ...a, events, blobs }] });
    await expect(build(new Map(a.blobs))).rejects.toMatchObject({ code: 'video-missing' });
    await expect(build(new Map([...a.blobs, [sha256(c.bytes), new Uint8Array([1])]]))).rejects.toMatchObject({
      code: 'video-damaged',
    });
  });
});

describe('verifyPackage: hostile containers are refused, in bounded memory and time', () => {
  /** Verifies, and says how many bytes the verifier unpacked and how long it took. */
  async function refused(bytes: Uint8Array, limits?: Partial<typeof VERIFY_LIMITS>) {
    let unpacked = 0;
    const started = performance.now();
    const report = await verifyPackage(bytes, { limits, onProgress: (done) => void (unpacked = done) });
    seen.push(...report.problems);
    return { report, unpacked, ms: performance.now() - started };
  }
  const zeros = (n: number) => deflateRawSync(new Uint8Array(n), { level: 9 });

  it('zip-bomb: an entry that says it unpacks 1,000 times bigger is refused before unpacking', async () => {
    const packed = zeros(64 * 1024 * 1024);
    const { report, unpacked, ms } = await refused(
      rawZip([{ name: 'sessions/x/bomb.bin', data: packed, method: 8, size: 64 * 1024 * 1024 }]),
    );
    expect(report.problems).toEqual([
      { code: 'zip-bomb', params: ['sessions/x/bomb.bin', 'ratio'], path: 'sessions/x/bomb.bin' },
    ]);
    expect(unpacked).toBe(0);
    expect(ms).toBeLessThan(1000);
  });

  it('zip-bomb: a manifest that lies about its size is stopped at the size it declared', async () => {
    const packed = zeros(64 * 1024 * 1024);
    const { report, unpacked, ms } = await refused(
      rawZip([{ name: DATAPACKAGE, data: packed, method: 8, size: packed.length * 2 }]),
    );
    expect(report.problems).toEqual([{ code: 'zip-bomb', params: [DATAPACKAGE, 'size'], path: DATAPACKAGE }]);
    expect(unpacked).toBeLessThanOrEqual(packed.length * 2);
    expect(ms).toBeLessThan(1000);
  });

  it('zip-bomb: entries that share their bytes (a non-recursive zip bomb)', async () => {
    const data = bytesOf('{"profile":"data-package"}');
    const { report, unpacked } = await refused(
      rawZip([
        { name: DATAPACKAGE, data },
        { name: 'report.html', data, headerOf: 0 },
      ]),
    );
    expect(report.problems).toEqual([
      { code: 'zip-bomb', params: [DATAPACKAGE, 'overlap'], path: DATAPACKAGE },
    ]);
    expect(unpacked).toBe(0);
  });

  it('zip-bomb: a stored entry whose sizes disagree', async () => {
    const { report } = await refused(
      rawZip([{ name: 'report.html', data: bytesOf('<p>hi</p>'), size: 1e9 }]),
    );
    expect(report.problems).toEqual([
      { code: 'zip-bomb', params: ['report.html', 'size'], path: 'report.html' },
    ]);
  });

  it('too-large: one entry bigger than the verifier unpacks, refused from the directory alone', async () => {
    const { report, unpacked } = await refused(await zipFiles(filesOf(await samplePackage())), {
      entryBytes: 2000,
    });
    expect(report.problems[0]).toMatchObject({ code: 'too-large', params: [expect.any(String), '2000'] });
    expect(report.ok).toBe(false);
    expect(unpacked).toBe(0);
  });

  it('too-large: more in all than the verifier unpacks', async () => {
    const { report } = await refused(await zipFiles(filesOf(await samplePackage())), { totalBytes: 10_000 });
    expect(report.problems).toEqual([{ code: 'too-large-total', params: ['10000'] }]);
  });

  it('too-large: a huge datapackage.json (40 MB, incompressible) is refused unread', async () => {
    const huge = bytesOf(`{"title":"${Buffer.from(randomBytes(30 * 1024 * 1024)).toString('base64')}"}`);
    const { report, unpacked, ms } = await refused(rawZip([{ name: DATAPACKAGE, data: huge }]));
    expect(report.problems).toEqual([
      { code: 'too-large', params: [DATAPACKAGE, String(VERIFY_LIMITS.manifestBytes)], path: DATAPACKAGE },
    ]);
    expect(unpacked).toBe(0);
    expect(ms).toBeLessThan(1000);
  });

  it('entry-duplicate and unsafe-path: every hostile name is named, and nothing is unpacked', async () => {
    const data = bytesOf('x');
    const { report, unpacked } = await refused(
      rawZip([
        { name: 'report.html', data },
        { name: 'report.html', data },
        { name: '/abs/evil', data },
        { name: 'a/../../evil', data },
      ]),
    );
    expect(report.problems.map((p) => [p.code, p.path])).toEqual([
      ['entry-duplicate', 'report.html'],
      ['unsafe-path', '/abs/evil'],
      ['unsafe-path', 'a/../../evil'],
    ]);
    expect(unpacked).toBe(0);
  });

  it('not-zip: a directory that points outside the file', async () => {
    const zip = rawZip([{ name: 'report.html', data: bytesOf('x') }]);
    new DataView(zip.buffer).setUint32(zip.length - 6, 0x7fffffff, true);
    const { report } = await refused(zip);
    expect(report.problems[0]!.code).toBe('not-zip');
  });

  it('reads a package from a Blob piece by piece, as the browser does', async () => {
    // A package with a 10 MB screenshot: never read whole, but in windows of 4 MiB at most.
    const big = randomBytes(10 * 1024 * 1024);
    const input = await packageInput();
    const events = await sealed(SESSION_B, [
      {
        type: 'screenshot',
        time: '2026-11-28T10:15:00.000Z',
        data: { sha256: sha256(big), bytes: big.length, mediatype: 'image/png', reason: 'manual' },
      },
    ]);
    input.sessions = [
      { ...input.sessions[1]!, events, blobs: new Map([[sha256(big), new Uint8Array(big)]]) },
    ];
    const zip = await zipFiles(filesOf(await buildPackage(input)));
    const blob = new Blob([zip as Uint8Array<ArrayBuffer>]);
    let biggest = 0;
    const report = await verifyPackage(
      {
        size: blob.size,
        read: async (offset, length) => {
          biggest = Math.max(biggest, length);
          return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
        },
      },
      { limits: { chunkBytes: 64 * 1024 } },
    );
    expect(report.problems).toEqual([]);
    expect(zip.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(biggest).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});

describe('readAheadSource', () => {
  it('gives exactly the bytes asked for, within, across and beyond its windows', async () => {
    const bytes = new Uint8Array(randomBytes(10_000));
    const direct = bytesSource(bytes);
    const windowed = readAheadSource(direct, 1000);
    let state = 7;
    const next = (n: number) => (state = (state * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 500; i++) {
      const offset = next(10_200);
      const length = next(i % 10 === 0 ? 2500 : 1000);
      expect(await windowed.read(offset, length), `${offset}+${length}`).toEqual(
        await direct.read(offset, length),
      );
    }
  });
});

describe('verifyPackage: the signature', () => {
  it('signature-missing: a digest without a signature', async () => {
    const report = await verifyEdited((files) => reseal(files, () => {}, null));
    expect(report.problems).toEqual([{ code: 'signature-missing', params: [DIGEST], path: DIGEST }]);
    expect(report.signature).toEqual({ status: 'missing', fingerprint: null });
    expect(report.digestOk).toBe(true);
  });

  it('signature-invalid: the manifest edited and its digest updated, by someone without the key', async () => {
    const report = await verifyEdited((files) =>
      reseal(files, (dp) => void (dp.liveproof.sessions[0]!.title = '另一个直播间'), 'keep'),
    );
    expect(report.problems).toEqual([{ code: 'signature-invalid', params: [DIGEST], path: DIGEST }]);
    expect(report.signature).toEqual({ status: 'invalid', fingerprint: KEY.fingerprint });
  });

  it.each<[string, (sig: Record<string, string>) => void]>([
    ['random bytes', (sig) => void (sig.value = Buffer.from(randomBytes(64)).toString('base64'))],
    ['another key’s public key', (sig) => void (sig.publicKey = Buffer.from(OTHER.spki).toString('base64'))],
    ['a truncated value', (sig) => void (sig.value = sig.value!.slice(0, 40))],
    ['a public key that is not one', (sig) => void (sig.publicKey = 'AAAA')],
  ])('signature-invalid: %s', async (_, edit) => {
    const report = await verifyEdited((files) => {
      const digest = JSON.parse(new TextDecoder().decode(files.get(DIGEST)!)) as {
        signature: Record<string, string>;
      };
      edit(digest.signature);
      files.set(DIGEST, bytesOf(JSON.stringify(digest)));
    });
    expect(report.problems).toEqual([{ code: 'signature-invalid', params: [DIGEST], path: DIGEST }]);
  });

  it('signature-key: a package signed by another installation, when the receiver expects this one', async () => {
    const files = filesOf(await samplePackage());
    reseal(files, () => {}, OTHER);
    const zip = await zipFiles(files);
    // Without an expected key, a package sealed afresh by another installation is intact…
    const free = await verify(zip);
    expect(free.ok).toBe(true);
    expect(free.signature).toEqual({ status: 'valid', fingerprint: OTHER.fingerprint });
    // …and the fingerprint is what tells them apart.
    const pinned = await verifyPackage(zip, { expectedFingerprint: formatFingerprint(KEY.fingerprint) });
    seen.push(...pinned.problems);
    expect(pinned.problems).toEqual([
      { code: 'signature-key', params: [OTHER.fingerprint, KEY.fingerprint], path: DIGEST },
    ]);
    const same = await verifyPackage(zip, { expectedFingerprint: OTHER.fingerprint.toUpperCase() });
    expect(same.ok).toBe(true);
  });
});

describe('verifyPackage: trusted time-stamps', () => {
  it('reports none for a package without timestamp events', async () => {
    const report = await verifyEdited(() => {});
    expect(report.timestamps).toEqual([]);
  });

  /** A `timestamp` event's data (core/evidence `TimestampData`) stamping event `seq`. */
  const timestampData = (seq: number, hash: string, token: string) => ({
    seq,
    hash,
    tsa: 'https://tsa.example/tsr',
    token,
    genTime: '2026-11-28T10:16:01.000Z',
    serial: '1f',
  });

  /** Session B with a sealed time-stamp of its first two events appended, re-exported. */
  async function stampedPackage(token: string, stamped?: string) {
    const input = await packageInput();
    const events = [...input.sessions[1]!.events];
    const data = timestampData(1, stamped ?? events[1]!.hash, token);
    const head = { seq: events.length - 1, hash: events[events.length - 1]!.hash };
    events.push(...(await sealAfter(head, [{ type: 'timestamp', time: '2026-11-28T10:16:00.000Z', data }])));
    input.sessions = [{ ...input.sessions[1]!, events }];
    return { zip: await zipFiles(filesOf(await buildPackage(input))), events };
  }

  it('reports a sealed token as not checked while no token checker is connected', async () => {
    const { zip, events } = await stampedPackage(Buffer.from('token').toString('base64'));
    const report = await verify(zip);
    expect(report.problems).toEqual([]);
    expect(report.timestamps).toEqual([
      {
        session: SESSION_B,
        seq: 3,
        covers: 1,
        status: 'unchecked',
        tsa: null,
        time: null,
        claimed: { tsa: 'https://tsa.example/tsr', time: '2026-11-28T10:16:01.000Z' },
        imprint: events[1]!.hash,
      },
    ]);
  });

  it('asks the connected checker about the token and the stamped hash, and reports what it says', async () => {
    const { zip, events } = await stampedPackage(Buffer.from('good token').toString('base64'));
    const asked: [string, string][] = [];
    const checkToken = async (token: Uint8Array, imprint: string) => {
      asked.push([new TextDecoder().decode(token), imprint]);
      return { ok: true, tsa: 'CN=Test TSA', time: '2026-11-28T10:16:01.000Z' };
    };
    const report = await verifyPackage(zip, { checkToken });
    expect(asked).toEqual([['good token', events[1]!.hash]]);
    expect(report.timestamps[0]).toMatchObject({ status: 'valid', tsa: 'CN=Test TSA', covers: 1 });
    expect(report.ok).toBe(true);
  });

  it('timestamp-invalid: the checker refuses the token, or the stamped hash is not in the chain', async () => {
    const { zip } = await stampedPackage(Buffer.from('bad').toString('base64'));
    const refusing = async () => ({ ok: false, reason: 'imprint-mismatch' });
    const refused = await verifyPackage(zip, { checkToken: refusing });
    seen.push(...refused.problems);
    const path = eventsPath(SESSION_B);
    expect(refused.problems).toEqual([
      { code: 'timestamp-invalid', params: [path, '3', 'imprint-mismatch'], path, seq: 3 },
    ]);
    const elsewhere = await verify((await stampedPackage('dG9rZW4=', 'f'.repeat(64))).zip);
    expect(elsewhere.problems[0]).toMatchObject({ code: 'timestamp-invalid', seq: 3 });
  });
});

describe('verifyPackage: a case with receipts', () => {
  const ORDER = () => manifestOf(caseFiles!).liveproof.case!.receipts[0]!.path;
  let caseFiles: FileMap | null = null;
  const verifyCase = async (edit: (files: FileMap) => void | Promise<void>) => {
    caseFiles = filesOf(await casePackage());
    await edit(caseFiles);
    return verify(await zipFiles(caseFiles));
  };

  it('is intact as built, and counts its receipts', async () => {
    const report = await verifyCase(() => {});
    expect(report.problems).toEqual([]);
    expect(report.receipts).toEqual({ total: 2, intact: 2 });
    const dp = manifestOf(caseFiles!);
    expect(dp.liveproof.case!.receipts.map((r) => [r.sha256, r.mediatype])).toEqual([
      [sha256(ORDER_PNG), 'image/png'],
      [sha256(PDF), 'application/pdf'],
    ]);
  });

  it('file-hash: one byte of a receipt changed', async () => {
    let path = '';
    const report = await verifyCase((files) => {
      path = ORDER();
      const bytes = files.get(path)!.slice();
      bytes[30]! ^= 0x01;
      files.set(path, bytes);
    });
    expect(report.problems).toEqual([{ code: 'file-hash', params: [path], path }]);
    expect(report.receipts).toEqual({ total: 2, intact: 1 });
  });

  it('receipt-missing: a receipt swapped for another picture and re-listed by a forger', async () => {
    let path = '';
    const report = await verifyCase((files) => {
      path = ORDER();
      files.set(path, RED.slice().reverse());
      reseal(files);
    });
    expect(report.problems).toEqual([{ code: 'receipt-missing', params: [path, '订单截图.png'], path }]);
    expect(report.receipts.intact).toBe(1);
  });

  it('receipt-missing: a receipt and its listing removed', async () => {
    let path = '';
    const report = await verifyCase((files) => {
      path = ORDER();
      files.delete(path);
      reseal(files, (dp) => void (dp.resources = dp.resources.filter((r) => r.path !== path)));
    });
    expect(report.problems).toEqual([{ code: 'receipt-missing', params: [path, '订单截图.png'], path }]);
  });

  it('receipt-missing: a case that points a receipt at another file of the package', async () => {
    const report = await verifyCase((files) =>
      reseal(files, (dp) => {
        const r = dp.liveproof.case!.receipts[0]!;
        const shot = dp.resources.find((x) => x.path === screenshotPath(SESSION_A, 3))!;
        r.path = shot.path;
        r.sha256 = shot.hash.slice(7);
        r.bytes = shot.bytes;
      }),
    );
    expect(report.problems[0]).toMatchObject({ code: 'receipt-missing', path: screenshotPath(SESSION_A, 3) });
  });

  it('file-unlisted: a receipt slipped in without a listing', async () => {
    const path = 'case/receipts/009-0000000000000000.pdf';
    const report = await verifyCase(
      (files) => void files.set(path, new TextEncoder().encode('%PDF-1.4 fake\n%%EOF')),
    );
    expect(report.problems).toEqual([{ code: 'file-unlisted', params: [path], path }]);
  });

  it('file-missing: the case file removed with its listing', async () => {
    const report = await verifyCase((files) => {
      files.delete('case/case.json');
      reseal(files, (dp) => void (dp.resources = dp.resources.filter((r) => r.path !== 'case/case.json')));
    });
    expect(report.problems).toEqual([
      { code: 'file-missing', params: ['case/case.json'], path: 'case/case.json' },
    ]);
  });
});

describe('the verifier’s problem messages', () => {
  it('every problem code has a message in both languages that uses the params the problem carries', () => {
    expect(everyCodeListed).toBe(true);
    for (const code of ALL_CODES) {
      const key = `verifyProblem_${code.replaceAll('-', '_')}`;
      for (const lang of ['zh_CN', 'en'] as const)
        expect(CATALOGS[lang][key], `${lang} ${key}`).toBeDefined();
    }
  });

  // Runs last (tests in a file run in order): every code was produced by a test above.
  it('every problem code was produced by a test in this file', () => {
    expect([...new Set(seen.map((p) => p.code))].sort()).toEqual([...ALL_CODES].sort());
  });

  afterAll(() => {
    // Whatever subset ran: each problem carries a value for every $n its message shows.
    for (const p of seen) {
      const message = CATALOGS.en[`verifyProblem_${p.code.replaceAll('-', '_')}`]!.message;
      const most = Math.max(0, ...(message.match(/\$[1-9]/g) ?? []).map((m) => Number(m[1])));
      expect(p.params.length, p.code).toBeGreaterThanOrEqual(most);
    }
  });
});
