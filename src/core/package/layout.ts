/** The one place that knows where things go inside a complaint package. */
import { compactUtc, randomHex } from '../time';

export const PACKAGE_FORMAT = 'liveproof-package';
export const PACKAGE_FORMAT_VERSION = 2;

export const DATAPACKAGE = 'datapackage.json';
export const DIGEST = 'datapackage-digest.json';
export const REPORT = 'report.html';
export const VERIFY_PAGE = 'verify.html';

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
};

export function mediatypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}
