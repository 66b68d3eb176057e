/**
 * `youtube`: YouTube Live. The watch page (`/live/<id>`, `/watch?v=<id>`) gives the room and the
 * shopping cards; the chat runs in its own document (`/live_chat`, popout or iframe), which a content
 * script reaches only when it runs in that frame. Both give the same room key, the video id.
 */
import type { Adapter } from '../types';
import { findChatList, parseRow } from './chat';
import { pageState, readProducts, readRoom, roomKey } from './page';

export { findChatList, parseRow } from './chat';
export { pageState, readProducts, readRoom, roomKey, videoIdFromContinuation, videoIdOf } from './page';

/**
 * The live page and the chat (both in KNOWN_PLATFORMS), the chat replay (an ended stream), and the
 * watch page, which is not started by itself but may be started by hand: claiming it keeps the
 * watch page and its chat frame in one session.
 */
const MATCHES: readonly RegExp[] = [
  /^https:\/\/www\.youtube\.com\/live\/[\w-]+\/?(?:[?#]|$)/,
  /^https:\/\/www\.youtube\.com\/live_chat(?:_replay)?\/?(?:[?#]|$)/,
  /^https:\/\/www\.youtube\.com\/watch\/?\?(?:[^#]*&)?v=[\w-]+/,
];

export const youtube: Adapter = {
  id: 'youtube',
  matches: MATCHES,
  roomKey,
  findChatList,
  parseRow,
  readRoom,
  readProducts,
  pageState,
};
