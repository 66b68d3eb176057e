/**
 * Hints that an element is a chat list, a nickname, a badge or the host's own row. Case-insensitive
 * substring matches on class and id, as sites hash the rest of their class names.
 */
export const LIST_HINTS = [
  '[role="log"]',
  '[aria-live="polite"]',
  '[aria-live="assertive"]',
  '[class*="chat" i]',
  '[id*="chat" i]',
  '[class*="comment" i]',
  '[id*="comment" i]',
  '[class*="danmaku" i]',
  '[class*="danmu" i]',
  '[class*="barrage" i]',
  '[class*="message" i]',
  '[id*="message" i]',
];

export const NAME_HINTS = [
  '[class*="name" i]',
  '[class*="nick" i]',
  '[class*="author" i]',
  '[class*="user" i]',
  '[data-uname]',
].join(',');

export const BADGE_HINTS = [
  '[class*="badge" i]',
  '[class*="level" i]',
  '[class*="medal" i]',
  '[class*="tag" i]',
].join(',');

export const HOST_HINTS = [
  '[class*="host" i]',
  '[class*="anchor" i]',
  '[class*="streamer" i]',
  '[author-type="owner"]',
].join(',');

export const HOST_BADGE_TEXT = /^(主播|房主|Host|Owner|Streamer)$/i;
