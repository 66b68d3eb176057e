/** The one place that knows where things go inside a complaint package. */
import { compactUtc, randomHex } from '../time';

export const PACKAGE_FORMAT = 'liveproof-package';
export const PACKAGE_FORMAT_VERSION = 2;

export const DATAPACKAGE = 'datapackage.json';
export const DIGEST = 'datapackage-digest.json';
export const REPORT = 'report.html';
export const VERIFY_PAGE = 'verify.html';
/** The case a package was exported for: fields, marks and notes (outside every chain). */
export const CASE_FILE = 'case/case.json';
export const COMPLAINT_FILES = { zh_CN: 'complaint.zh-CN.txt', en: 'complaint.en.txt' } as const;
/** Receipts the user attached, numbered in the case's order, named by their hash (never by the user's name). */
export const receiptPath = (index: number, sha256: string, ext: string) =>
  `case/receipts/${String(index + 1).padStart(3, '0')}-${sha256.slice(0, 16)}.${ext}`;
export const RECEIPT_PATH = /^case\/receipts\/\d{3}-[0-9a-f]{16}\.(png|jpg|pdf|webp|gif|heic)$/;

export const sessionDir = (sessionId: string) => `sessions/${sessionId}`;
export const eventsPath = (sessionId: string) => `${sessionDir(sessionId)}/events.jsonl`;
export const chatCsvPath = (sessionId: string) => `${sessionDir(sessionId)}/chat.csv`;
export const screenshotPath = (sessionId: string, seq: number) =>
  `${sessionDir(sessionId)}/screenshots/${String(seq).padStart(6, '0')}.png`;

/** One segment of a kept video clip: the segment's chunks concatenated, a playable WebM. */
export const videoPath = (sessionId: string, clip: string, segment: number) =>
  `${sessionDir(sessionId)}/video/${clip}-${String(segment).padStart(4, '0')}.webm`;

/** `liveproof-YYYYMMDD-HHMMSS-<short-id>` (UTC), the package's name and its file name without `.zip`. */
export function packageName(created: Date, shortId: string = randomHex(3)): string {
  return `liveproof-${compactUtc(created)}-${shortId}`;
}

export const MEDIA_TYPES: Record<string, string> = {
  jsonl: 'application/jsonl',
  json: 'application/json',
  csv: 'text/csv',
  png: 'image/png',
  webm: 'video/webm',
  html: 'text/html',
  txt: 'text/plain',
  jpg: 'image/jpeg',
  pdf: 'application/pdf',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
};

export function mediatypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}
