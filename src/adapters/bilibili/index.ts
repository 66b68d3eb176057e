/**
 * `bilibili`: Bilibili live rooms (live.bilibili.com/<roomid>, and the same room as /blanc/<roomid>).
 * The chat is `#chat-items`; the rows carry their sender and text as data attributes.
 */
import type { Adapter } from '../types';
import { findChatList, parseRow } from './chat';
import { pageState, readProducts, readRoom, roomKey } from './page';

export { findChatList, parseRow } from './chat';
export { anchorUid, pageState, readProducts, readRoom, roomIdOf, roomKey } from './page';

/**
 * Room pages only. The manifest's `https://live.bilibili.com/*` also reaches the live home page and
 * the area lists, which are not rooms: those are left to `generic`.
 */
const MATCHES: readonly RegExp[] = [/^https:\/\/live\.bilibili\.com\/(?:blanc\/)?\d+\/?(?:[?#]|$)/];

export const bilibili: Adapter = {
  id: 'bilibili',
  matches: MATCHES,
  roomKey,
  findChatList,
  parseRow,
  readRoom,
  readProducts,
  pageState,
};
