/**
 * What is known of a package before a byte of it is read: how many files it will hold, and the sizes
 * of the files stored as they are kept (screenshots, video segments, receipts). A package that could
 * not be written (past a ZIP's 65,534 files or 4 GiB without ZIP64, see zip.ts) or that the verifier
 * would refuse (a file over `ZIP_LIMITS.entryBytes`, see unzip.ts) is refused from this, before the
 * build reads, hashes and deflates everything; `zipParts` checks the finished files again.
 */
import { PackageBuildError, mebibytes } from './errors';
import {
  CASE_FILE,
  COMPLAINT_FILES,
  DATAPACKAGE,
  DIGEST,
  REPORT,
  VERIFY_PAGE,
  chatCsvPath,
  eventsPath,
  receiptPath,
  screenshotPath,
  videoPath,
} from './layout';
import { ZIP_LIMITS } from './unzip';
import { MAX_ENTRIES, MAX_ZIP_BYTES } from './zip';
import type { PackageInput } from './build';

const encoder = new TextEncoder();

export interface PackagePlan {
  /** Every file the package will hold. */
  files: number;
  /**
   * The ZIP's size as far as known: every header and directory entry, and the data of the stored
   * files. The text files (events, chat, report, letters) only add to it.
   */
  knownBytes: number;
}

const sizeOf = (b: Uint8Array | Blob | undefined) =>
  b === undefined ? 0 : b instanceof Blob ? b.size : b.length;

/**
 * The plan of the package `buildPackage(input)` would make; throws the refusal the package would
 * meet at the end (`file-too-large`, `receipt-too-large`, `too-many-files`, `too-large`).
 */
export function planPackage(input: PackageInput): PackagePlan {
  let files = 0;
  let knownBytes = 22; // the end of central directory record
  /** A file of the package: its local header and its directory entry, and what is known of its data. */
  const file = (path: string, bytes = 0) => {
    files++;
    knownBytes += 30 + 46 + 2 * encoder.encode(path).length + bytes;
  };
  const tooLarge = (bytes: number) => bytes > ZIP_LIMITS.entryBytes;

  for (const { session, events, blobs } of input.sessions) {
    file(eventsPath(session.id));
    file(chatCsvPath(session.id));
    /** Each video segment file's size: its chunks joined. */
    const video = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'screenshot') {
        const path = screenshotPath(session.id, e.seq);
        const bytes = sizeOf(blobs.get(String(e.data.sha256)));
        if (tooLarge(bytes)) throw new PackageBuildError('file-too-large', [path, mebibytes(bytes)]);
        file(path, bytes);
      } else if (e.type === 'video') {
        const path = videoPath(session.id, String(e.data.clip), Number(e.data.segment));
        video.set(path, (video.get(path) ?? 0) + sizeOf(blobs.get(String(e.data.sha256))));
      }
    }
    for (const [path, bytes] of video) {
      if (tooLarge(bytes)) throw new PackageBuildError('file-too-large', [path, mebibytes(bytes)]);
      file(path, bytes);
    }
  }
  const c = input.case;
  if (c) {
    for (const [i, r] of c.receipts.entries()) {
      const bytes = sizeOf(r.bytes);
      if (tooLarge(bytes)) throw new PackageBuildError('receipt-too-large', [r.name, mebibytes(bytes)]);
      file(receiptPath(i, r.sha256, r.ext), bytes);
    }
    file(CASE_FILE);
    for (const path of Object.values(COMPLAINT_FILES)) file(path);
  }
  for (const path of [REPORT, VERIFY_PAGE, DATAPACKAGE, DIGEST]) file(path);

  if (files > MAX_ENTRIES) throw new PackageBuildError('too-many-files', [String(files)]);
  if (knownBytes > MAX_ZIP_BYTES) throw new PackageBuildError('too-large', [mebibytes(knownBytes)]);
  return { files, knownBytes };
}
