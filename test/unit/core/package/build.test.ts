import { createHash, createPublicKey, randomBytes, verify as cryptoVerify } from 'node:crypto';
import Papa from 'papaparse';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  DATAPACKAGE,
  DIGEST,
  DataPackage,
  Digest,
  PackageBuildError,
  REPORT,
  VERIFY_PAGE,
  buildPackage,
  chatCsvPath,
  eventsPath,
  screenshotPath,
  verifyPackage,
  videoPath,
  zipPackage,
} from '../../../../src/core/package';
import { canonicalJson } from '../../../../src/core/canonical';
import { translator } from '../../../../src/core/i18n';
import {
  BLUE,
  GREEN,
  KEY,
  RED,
  VERIFIER_SCRIPT,
  SESSION_A,
  SESSION_B,
  bytesOfFile,
  filesOf,
  localEntries,
  packageInput,
  samplePackage,
  sessionA,
  sha256,
  withVideo,
  zipFiles,
} from './fixtures';

/** The file's text, keeping a byte-order mark (TextDecoder would drop it by default). */
const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

async function buildError(p: Promise<unknown>): Promise<PackageBuildError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PackageBuildError);
  return err as PackageBuildError;
}

describe('buildPackage: what the receiver gets', () => {
  it('holds the manifest, its digest, each session’s events, chat and screenshots, and the report', async () => {
    const built = await samplePackage();
    expect(built.name).toBe('liveproof-20261128-103000-a1b2c3');
    expect(built.files.map((f) => f.path).sort()).toEqual(
      [
        DATAPACKAGE,
        DIGEST,
        REPORT,
        VERIFY_PAGE,
        eventsPath(SESSION_A),
        chatCsvPath(SESSION_A),
        `sessions/${SESSION_A}/screenshots/000003.png`,
        `sessions/${SESSION_A}/screenshots/000007.png`,
        eventsPath(SESSION_B),
        chatCsvPath(SESSION_B),
        `sessions/${SESSION_B}/screenshots/000002.png`,
      ].sort(),
    );
  });

  it('stores every screenshot byte for byte at the six-digit seq of the event that seals it', async () => {
    const files = filesOf(await samplePackage());
    expect(files.get(screenshotPath(SESSION_A, 3))).toEqual(RED);
    expect(files.get(screenshotPath(SESSION_A, 7))).toEqual(BLUE);
    expect(files.get(screenshotPath(SESSION_B, 2))).toEqual(GREEN);
  });

  it('lists every other file in the manifest with its SHA-256, size and media type', async () => {
    const built = await samplePackage();
    const dp = JSON.parse(text(filesOf(built).get(DATAPACKAGE)!)) as DataPackage;
    expect(v.safeParse(DataPackage, dp).success).toBe(true);
    expect(dp).toEqual(built.datapackage);
    const listed = built.files.filter((f) => f.path !== DATAPACKAGE && f.path !== DIGEST);
    expect(dp.resources).toEqual(
      listed.map((f) => ({
        path: f.path,
        hash: `sha256:${sha256(bytesOfFile(f))}`,
        bytes: bytesOfFile(f).length,
        mediatype: f.mediatype,
      })),
    );
    const types = Object.fromEntries(dp.resources.map((r) => [r.path.split('.').pop(), r.mediatype]));
    expect(types).toEqual({
      png: 'image/png',
      jsonl: 'application/jsonl',
      csv: 'text/csv',
      html: 'text/html',
    });
  });

  it('the digest is the SHA-256 of the exact manifest bytes, signed by the installation’s key', async () => {
    const built = await samplePackage();
    const files = filesOf(built);
    const digest = JSON.parse(text(files.get(DIGEST)!)) as Digest;
    expect(v.safeParse(Digest, digest).success).toBe(true);
    const hash = `sha256:${sha256(files.get(DATAPACKAGE)!)}`;
    expect(digest).toEqual({
      path: DATAPACKAGE,
      hash,
      created: '2026-11-28T10:30:00.000Z',
      signature: {
        algorithm: 'ECDSA-P256-SHA256',
        publicKey: Buffer.from(KEY.spki).toString('base64'),
        value: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/),
      },
    });
    expect(built.digest).toEqual(digest);
    // Anyone can check it with a stock ECDSA implementation: here Node's, over the tagged statement.
    const signed = Buffer.from(`liveproof/package-signature/v1\n${hash}`);
    const key = createPublicKey({ key: Buffer.from(KEY.spki), format: 'der', type: 'spki' });
    const value = Buffer.from(digest.signature!.value, 'base64');
    expect(cryptoVerify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, value)).toBe(true);
  });

  it('carries verify.html: the verifier inline, allowed by its hash and no other script (WebAssembly may be compiled)', async () => {
    const built = await samplePackage('en');
    const page = text(filesOf(built).get(VERIFY_PAGE)!);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)![1]!;
    const script = /<script>([\s\S]*)<\/script>/.exec(page)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(page)![1]!;
    expect(script).toBe(VERIFIER_SCRIPT);
    const b64 = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `script-src 'sha256-${b64(script)}' 'wasm-unsafe-eval'`,
      `style-src 'sha256-${b64(style)}'`,
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(page).toMatch(/<html lang="en" data-lang="en" data-package="liveproof-20261128-103000-a1b2c3">/);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(built.datapackage.resources.find((r) => r.path === VERIFY_PAGE)).toMatchObject({
      mediatype: 'text/html',
    });
  });

  it('refuses a verifier script that would end its own <script> element', async () => {
    const input = await packageInput();
    await expect(buildPackage({ ...input, verifierScript: 'var s = "</script><b>";' })).rejects.toThrow(
      /<\/script/,
    );
  });

  it('writes events.jsonl as one JCS line per sealed event, in order, each ending with \\n', async () => {
    const input = await packageInput();
    const built = await buildPackage(input);
    const jsonl = text(filesOf(built).get(eventsPath(SESSION_A))!);
    expect(jsonl).toBe(input.sessions[0]!.events.map((e) => canonicalJson(e) + '\n').join(''));
    expect(
      jsonl
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(input.sessions[0]!.events);
  });

  it('summarises each session: counts, genesis, chain head, and whether it was still open', async () => {
    const input = await packageInput();
    const { datapackage } = await buildPackage(input);
    const [a, b] = datapackage.liveproof.sessions;
    const eventsA = input.sessions[0]!.events;
    expect(a).toMatchObject({
      id: SESSION_A,
      eventCount: eventsA.length,
      chatCount: 5,
      screenshotCount: 2,
      genesis: sha256(`liveproof/genesis/v1\n${SESSION_A}`),
      chainHead: eventsA[eventsA.length - 1]!.hash,
      events: eventsPath(SESSION_A),
      endedAt: eventsA[eventsA.length - 1]!.time,
    });
    expect(b).toMatchObject({
      id: SESSION_B,
      eventCount: 3,
      chatCount: 1,
      screenshotCount: 1,
      endedAt: null,
    });
    expect(datapackage.liveproof).toMatchObject({
      format: 'liveproof-package',
      formatVersion: 2,
      chainFormat: 'liveproof-chain/1',
      tool: { name: 'LiveProof', version: '0.1.0' },
      environment: input.environment,
    });
  });

  it('a session with no events yet has the genesis as its chain head', async () => {
    const input = await packageInput();
    const a = input.sessions[0]!;
    const built = await buildPackage({ ...input, sessions: [{ ...a, events: [], blobs: new Map() }] });
    const [s] = built.datapackage.liveproof.sessions;
    expect(s).toMatchObject({ eventCount: 0, chainHead: s!.genesis });
    expect(text(filesOf(built).get(eventsPath(SESSION_A))!)).toBe('');
    expect((await verifyPackage(await zipFiles(filesOf(built)))).ok).toBe(true);
  });

  it('zips PNGs uncompressed and text deflated, and the zip verifies as intact', async () => {
    const built = await samplePackage();
    const zipBytes = await zipPackage(built.files, 'uint8array');
    const entries = localEntries(zipBytes).filter((e) => !e.name.endsWith('/')); // folders hold no data
    expect(entries.map((e) => e.name).sort()).toEqual(built.files.map((f) => f.path).sort());
    for (const e of entries) expect(e.method, e.name).toBe(e.name.endsWith('.png') ? 0 : 8); // 0 stored, 8 deflate
    const report = await verifyPackage(zipBytes);
    expect(report.problems).toEqual([]);
  });

  it('reports progress up to the total', async () => {
    const seen: [number, number][] = [];
    await buildPackage(await packageInput(), (done, total) => seen.push([done, total]));
    expect(seen[seen.length - 1]).toEqual([15, 15]); // 11 + 3 events, and the report
  });
});

describe('buildPackage: chat.csv inside the package', () => {
  it('has one row per chat event with its seq, time, author, text, kind, backlog and hash', async () => {
    const input = await packageInput();
    const files = filesOf(await buildPackage(input));
    const csv = text(files.get(chatCsvPath(SESSION_A))!);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = Papa.parse<string[]>(csv.slice(1), {
      delimiter: ',',
      newline: '\r\n',
      skipEmptyLines: true,
    }).data;
    const t = translator('zh_CN');
    expect(rows[0]).toEqual([
      t('csvSeq'),
      t('csvTimeUtc'),
      t('csvAuthor'),
      t('csvText'),
      t('csvKind'),
      t('csvBacklog'),
      t('csvEventHash'),
    ]);
    const chat = input.sessions[0]!.events.filter((e) => e.type === 'chat');
    const neutral = (s: string) => (/^[=+\-@\t\r＝＋－＠]/.test(s) ? `'${s}` : s);
    expect(rows.slice(1)).toEqual(
      chat.map((e) => [
        String(e.seq),
        e.time,
        neutral(String(e.data.author)),
        neutral(String(e.data.text)),
        e.data.kind === 'host' ? t('csvKindHost') : t('csvKindChat'),
        e.data.backlog ? t('csvYes') : '',
        e.hash,
      ]),
    );
    // The hostile cells really were neutralised, and the multi-line one survived.
    expect(rows.slice(1).map((r) => r[3])).toEqual(
      expect.arrayContaining([
        '\'=HYPERLINK("http://evil.example","点我退款")',
        '\'-5元优惠券, "限时", 第二行\n第三行',
      ]),
    );
  });

  it('is headed in the language of the export', async () => {
    const files = filesOf(await samplePackage('en'));
    const header = text(files.get(chatCsvPath(SESSION_B))!)
      .slice(1)
      .split('\r\n')[0];
    const t = translator('en');
    expect(header).toBe(
      [
        t('csvSeq'),
        t('csvTimeUtc'),
        t('csvAuthor'),
        t('csvText'),
        t('csvKind'),
        t('csvBacklog'),
        t('csvEventHash'),
      ].join(','),
    );
  });
});

describe('buildPackage: refusing to export what cannot be proven', () => {
  it('no sessions', async () => {
    const err = await buildError(buildPackage({ ...(await packageInput()), sessions: [] }));
    expect(err.code).toBe('no-sessions');
  });

  it('a screenshot whose bytes are missing names the session and the event', async () => {
    const input = await packageInput();
    const a = input.sessions[0]!;
    const blobs = new Map(a.blobs);
    blobs.delete(sha256(BLUE));
    const err = await buildError(buildPackage({ ...input, sessions: [{ ...a, blobs }] }));
    expect(err).toMatchObject({ code: 'screenshot-missing', params: [SESSION_A, '7'] });
  });

  it('a screenshot whose stored bytes no longer match its sealed hash names the session and the event', async () => {
    const input = await packageInput();
    const a = input.sessions[0]!;
    const damaged = RED.slice();
    damaged[damaged.length - 5]! ^= 0x01;
    const blobs = new Map(a.blobs).set(sha256(RED), damaged);
    const err = await buildError(buildPackage({ ...input, sessions: [{ ...a, blobs }] }));
    expect(err).toMatchObject({ code: 'screenshot-damaged', params: [SESSION_A, '3'] });
  });

  it('a truncated screenshot is damaged too', async () => {
    const input = await packageInput();
    const a = input.sessions[0]!;
    const blobs = new Map(a.blobs).set(sha256(BLUE), BLUE.slice(0, 20));
    const err = await buildError(buildPackage({ ...input, sessions: [{ ...a, blobs }] }));
    expect(err).toMatchObject({ code: 'screenshot-damaged', params: [SESSION_A, '7'] });
  });

  it('screenshots handed over as Blobs (as IndexedDB keeps them) go in byte for byte, and are checked', async () => {
    const input = await packageInput();
    const asBlobs = input.sessions.map((s) => ({
      ...s,
      blobs: new Map([...s.blobs].map(([sha, b]) => [sha, new Blob([b as Uint8Array<ArrayBuffer>])])),
    }));
    const created = new Date('2026-11-28T12:00:00.000Z');
    const fromBytes = await buildPackage({ ...input, shortId: 'c0ffee' });
    const built = await buildPackage({ ...input, sessions: asBlobs, shortId: 'c0ffee' });
    // The ZIP refers to the same Blobs rather than holding copies of them.
    const shot = built.files.find((f) => f.path === screenshotPath(SESSION_A, 3));
    expect(shot && 'data' in shot && shot.data instanceof Blob).toBe(true);
    const contents = async (files: typeof built.files) =>
      Promise.all(
        files
          .filter((f) => f.path !== DIGEST) // signed with a fresh random nonce each time
          .map(async (f) => {
            const data = 'data' in f ? f.data : f.bytes;
            const raw = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data;
            return [f.path, 'data' in f ? f.crc : 0, Buffer.from(raw).toString('base64')];
          }),
      );
    expect(await contents(built.files)).toEqual(await contents(fromBytes.files));
    const asArray = await zipPackage(built.files, 'uint8array', undefined, created);
    const asBlob = new Uint8Array(
      await (await zipPackage(built.files, 'blob', undefined, created)).arrayBuffer(),
    );
    expect(Buffer.from(asBlob).equals(Buffer.from(asArray))).toBe(true);
    const report = await verifyPackage(asArray);
    expect([report.ok, report.sessions[0]?.screenshots]).toEqual([true, 2]);

    const damaged = RED.slice();
    damaged[damaged.length - 5]! ^= 0x01;
    const a = asBlobs[0]!;
    const blobs = new Map(a.blobs).set(sha256(RED), new Blob([damaged]));
    const err = await buildError(buildPackage({ ...input, sessions: [{ ...a, blobs }] }));
    expect(err).toMatchObject({ code: 'screenshot-damaged', params: [SESSION_A, '3'] });
  });

  it('a screenshot whose stored file can no longer be read names the session and the event, as missing', async () => {
    // What Chromium hands back for a picture whose file under IndexedDB is gone: a Blob of the right
    // size whose every read fails ("network error").
    class GoneBlob extends Blob {
      override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
        return new ReadableStream({ type: 'bytes', pull: (c) => c.error(new TypeError('network error')) });
      }
      override arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new TypeError('network error'));
      }
    }
    const input = await packageInput();
    const a = input.sessions[0]!;
    const asBlobs = new Map([...a.blobs].map(([sha, b]) => [sha, new Blob([b as Uint8Array<ArrayBuffer>])]));
    for (const gone of [RED, BLUE]) {
      const blobs = new Map(asBlobs).set(sha256(gone), new GoneBlob([gone as Uint8Array<ArrayBuffer>]));
      const err = await buildError(buildPackage({ ...input, sessions: [{ ...a, blobs }] }));
      expect(err).toMatchObject({
        code: 'screenshot-missing',
        params: [SESSION_A, gone === RED ? '3' : '7'],
      });
    }
  });

  it('video chunks handed over as Blobs go in byte for byte, though one buffer reads them all; an unreadable one is missing', async () => {
    // Chunks of one clip in two segments, some larger than the reader's buffer (512 kB) so it grows.
    const CLIP = '20261128-094500-abc123';
    const chunks = [
      [0, 0, 40],
      [0, 1, 700_000],
      [0, 2, 7],
      [1, 0, 1_300_001],
      [1, 1, 120],
    ].map(([segment, chunk, size]) => ({ segment: segment!, chunk: chunk!, bytes: randomBytes(size!) }));
    const input = await packageInput();
    const { session, video } = await withVideo(input, CLIP, chunks, true);
    const files = filesOf(await buildPackage({ ...input, sessions: [session] }));
    for (const segment of [0, 1]) {
      const expected = Buffer.concat(chunks.filter((c) => c.segment === segment).map((c) => c.bytes));
      expect(Buffer.from(files.get(videoPath(SESSION_A, CLIP, segment))!).equals(expected)).toBe(true);
    }

    class GoneBlob extends Blob {
      override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
        return new ReadableStream({ type: 'bytes', pull: (c) => c.error(new TypeError('network error')) });
      }
    }
    const gone = chunks[3]!;
    const broken = new Map(session.blobs).set(sha256(gone.bytes), new GoneBlob([gone.bytes]));
    const err = await buildError(buildPackage({ ...input, sessions: [{ ...session, blobs: broken }] }));
    expect(err).toMatchObject({ code: 'video-missing', params: [SESSION_A, String(video[3]!.seq)] });
  });

  it('events that do not run 0, 1, 2, … (a gap) name the session and the missing seq', async () => {
    const a = await sessionA();
    const events = a.events.filter((e) => e.seq !== 4);
    const err = await buildError(buildPackage({ ...(await packageInput()), sessions: [{ ...a, events }] }));
    expect(err).toMatchObject({ code: 'chain-gap', params: [SESSION_A, '4'] });
  });
});
