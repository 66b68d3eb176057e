/**
 * What the builder refuses before it reads a byte (a package past a ZIP's limits, a file the verifier
 * would refuse), and receipts handed over as the Blobs IndexedDB keeps them.
 */
import { describe, expect, it } from 'vitest';
import type { Unsealed } from '../../../../src/core/chain';
import {
  type PackageBuildError,
  ZIP_LIMITS,
  buildPackage,
  planPackage,
  screenshotPath,
  verifyPackage,
  videoPath,
  zipParts,
  type PackageInput,
  type SessionExport,
} from '../../../../src/core/package';
import { PDF, SESSION_A, caseOf, packageInput, refusal, sealed, sha256, withVideo } from './fixtures';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** A stored file of `size` bytes that must not be read: every read is counted, and fails. */
class UnreadBlob extends Blob {
  static reads = 0;
  constructor(private readonly claimed: number) {
    super([]);
  }
  override get size(): number {
    return this.claimed;
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    UnreadBlob.reads++;
    throw new Error('read');
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    UnreadBlob.reads++;
    return Promise.reject(new Error('read'));
  }
  override slice(): Blob {
    UnreadBlob.reads++;
    throw new Error('read');
  }
}

/** What Chromium hands back for a stored file that is gone: a Blob whose every read fails. */
class GoneBlob extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new ReadableStream({ type: 'bytes', pull: (c) => c.error(new TypeError('network error')) });
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.reject(new DOMException('A requested file could not be read', 'NotReadableError'));
  }
}

const shotDraft = (sha: string, bytes: number): Unsealed => ({
  type: 'screenshot',
  time: '2026-11-28T09:41:00.000Z',
  data: { sha256: sha, bytes, mediatype: 'image/png', reason: 'periodic' },
});

const chunkDraft = (sha: string, bytes: number, segment: number, chunk: number): Unsealed => ({
  type: 'video',
  time: '2026-11-28T09:42:00.000Z',
  data: {
    clip: 'clip-1',
    segment,
    chunk,
    sha256: sha,
    bytes,
    mediatype: 'video/webm;codecs=vp8,opus',
    start: '2026-11-28T09:42:00.000Z',
    end: '2026-11-28T09:42:01.000Z',
    reason: 'manual',
  },
});

/** Session A with these events, its stored files never read (`UnreadBlob`), by SHA-256. */
async function sessionOf(
  drafts: readonly Unsealed[],
  sizes: ReadonlyMap<string, number>,
): Promise<SessionExport> {
  const input = await packageInput();
  const a = input.sessions[0]!;
  return {
    ...a,
    events: await sealed(SESSION_A, drafts),
    blobs: new Map([...sizes].map(([sha, size]) => [sha, new UnreadBlob(size)])),
  };
}

/** The build's refusal, and how many stored files it read before it. */
async function refusedBuild(input: PackageInput): Promise<{ err: PackageBuildError; reads: number }> {
  UnreadBlob.reads = 0;
  const err = await refusal(buildPackage(input));
  return { err, reads: UnreadBlob.reads };
}

describe('buildPackage: a package that could not be written is refused before anything is read', () => {
  it('past 4 GiB from the stored pictures alone: refused at once, with the size in MiB', async () => {
    const shas = [0, 1, 2, 3, 4].map((i) => sha256(`picture ${i}`));
    const session = await sessionOf(
      shas.map((sha) => shotDraft(sha, GiB)),
      new Map(shas.map((sha) => [sha, GiB])),
    );
    const { err, reads } = await refusedBuild({ ...(await packageInput()), sessions: [session] });
    expect(err.code).toBe('too-large');
    expect(Number(err.params[0])).toBeGreaterThanOrEqual(5 * 1024);
    expect(reads).toBe(0);
  });

  it('65,535 files or more: refused at once, with the count; 65,534 are planned', async () => {
    const sha = sha256('one small picture');
    // Events and chat of the session, the report, verify.html, the manifest and its digest: 6 files.
    const drafts = Array.from({ length: 65_529 }, () => shotDraft(sha, 100));
    const session = await sessionOf(drafts, new Map([[sha, 100]]));
    const input = { ...(await packageInput()), sessions: [session] };
    const { err, reads } = await refusedBuild(input);
    expect(err).toMatchObject({ code: 'too-many-files', params: ['65535'] });
    expect(reads).toBe(0);

    const fewer = { ...session, events: session.events.slice(0, -1) };
    expect(planPackage({ ...input, sessions: [fewer] }).files).toBe(65_534);
  });
});

describe('buildPackage: never a file the verifier would refuse (over 1 GiB)', () => {
  it('a picture over 1 GiB is named by its file, with its size, before anything is read', async () => {
    const small = sha256('small');
    const huge = sha256('huge');
    const session = await sessionOf(
      [shotDraft(small, 10), shotDraft(huge, GiB + 1)],
      new Map([
        [small, 10],
        [huge, GiB + 1],
      ]),
    );
    const { err, reads } = await refusedBuild({ ...(await packageInput()), sessions: [session] });
    expect(err).toMatchObject({ code: 'file-too-large', params: [screenshotPath(SESSION_A, 1), '1025'] });
    expect(reads).toBe(0);
  });

  it('a video segment whose chunks together pass 1 GiB is named by its file (its chunks cannot be split)', async () => {
    const shas = [0, 1].map((i) => sha256(`chunk ${i}`));
    const sizes = new Map(shas.map((sha) => [sha, 600 * MiB]));
    const together = await sessionOf(
      shas.map((sha, i) => chunkDraft(sha, 600 * MiB, 0, i)),
      sizes,
    );
    const { err, reads } = await refusedBuild({ ...(await packageInput()), sessions: [together] });
    expect(err).toMatchObject({
      code: 'file-too-large',
      params: [videoPath(SESSION_A, 'clip-1', 0), '1200'],
    });
    expect(reads).toBe(0);

    // The same chunks in two segments are two files of 600 MiB: within the limit.
    const apart = await sessionOf(
      shas.map((sha, i) => chunkDraft(sha, 600 * MiB, i, 0)),
      sizes,
    );
    expect(planPackage({ ...(await packageInput()), sessions: [apart] }).knownBytes).toBeGreaterThan(
      1200 * MiB,
    );
  });

  it('a receipt over 1 GiB is named by the name it was attached with, before anything is read', async () => {
    const input = await packageInput();
    const kase = caseOf(input.sessions);
    kase.receipts[1] = { ...kase.receipts[1]!, bytes: new UnreadBlob(ZIP_LIMITS.entryBytes + 1) };
    const { err, reads } = await refusedBuild({ ...input, case: kase });
    expect(err).toMatchObject({ code: 'receipt-too-large', params: ['payment voucher.pdf', '1025'] });
    expect(reads).toBe(0);
  });
});

describe('planPackage agrees with what the builder makes', () => {
  it('counts every file of a case with a video clip, and no more bytes than the ZIP takes', async () => {
    const input = await packageInput();
    const chunks = [0, 1, 2].map((i) => ({
      segment: i >> 1,
      chunk: i,
      bytes: new Uint8Array(1000 + i).fill(i),
    }));
    const { session } = await withVideo(input, 'clip-9', chunks, true);
    const full = { ...input, sessions: [session, input.sessions[1]!], case: caseOf(input.sessions) };
    const plan = planPackage(full);
    const built = await buildPackage(full);
    expect(plan.files).toBe(built.files.length);
    const parts = await zipParts(built.files);
    const zipped = parts.reduce((n, p) => n + (p instanceof Uint8Array ? p.length : p.size), 0);
    expect(plan.knownBytes).toBeLessThanOrEqual(zipped);
  });
});

describe('buildPackage: receipts handed over as Blobs', () => {
  it('go in byte for byte and verify; one whose stored file cannot be read is named, not the browser’s words', async () => {
    const input = await packageInput();
    const kase = caseOf(input.sessions);
    const asBlobs = {
      ...kase,
      receipts: kase.receipts.map((r) => ({
        ...r,
        bytes: new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: r.mediatype }),
      })),
    };
    const built = await buildPackage({ ...input, case: asBlobs });
    const report = await verifyPackage(
      new Uint8Array(await new Blob((await zipParts(built.files)) as BlobPart[]).arrayBuffer()),
    );
    expect([report.ok, report.receipts]).toEqual([true, { total: 2, intact: 2 }]);

    const gone = {
      ...asBlobs,
      receipts: [asBlobs.receipts[0]!, { ...asBlobs.receipts[1]!, bytes: new GoneBlob([PDF]) }],
    };
    const err = await refusal(buildPackage({ ...input, case: gone }));
    expect(err).toMatchObject({ code: 'receipt-unreadable', params: ['payment voucher.pdf'] });
  });
});
