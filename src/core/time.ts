/** ISO 8601 UTC with milliseconds, the only time format inside sealed events. */
export function isoTime(date?: Date): string {
  return date ? date.toISOString() : nowIso(Date.now());
}

let second = NaN;
let secondPrefix = '';

/**
 * `new Date(ms).toISOString()` for the clock's now, formatted once a second: the content script
 * stamps every chat message, hundreds a second in a busy room, on the page's own main thread.
 */
export function nowIso(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    const full = new Date(s * 1000).toISOString();
    // Years outside 0000–9999 are written with a sign and six digits: no shortcut for those.
    if (full.length !== 24) return new Date(ms).toISOString();
    second = s;
    secondPrefix = full.slice(0, 20);
  }
  const milli = ms - s * 1000;
  return secondPrefix + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli + 'Z';
}

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** `YYYYMMDD-HHMMSS` in UTC, used in package and session names. */
export function compactUtc(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A session id that sorts by start time and is safe as a folder name: `20261128-174012-3f9a2c1b`. */
export function newSessionId(now: Date = new Date()): string {
  return `${compactUtc(now)}-${randomHex(4)}`;
}

export const SESSION_ID = /^\d{8}-\d{6}-[0-9a-f]{8}$/;
