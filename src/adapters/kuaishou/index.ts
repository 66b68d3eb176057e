/**
 * `kuaishou`: live rooms on live.kuaishou.com/u/{principalId}. Chat from the `.chat-history` cells
 * (research/platforms.md §2); room facts and cart cards from named Vue classes where known, the
 * rest from the same readers `generic` would use.
 */
import type { Adapter } from '../types';
import { findChatList, parseRow } from './chat';
import { MATCHES, pageState, readProducts, readRoom, roomKey } from './page';

export { findChatList, parseRow } from './chat';
export { MATCHES, pageState, readProducts, readRoom, roomKey } from './page';

export const kuaishou: Adapter = {
  id: 'kuaishou',
  matches: MATCHES,
  roomKey,
  findChatList,
  parseRow,
  readRoom,
  readProducts,
  pageState,
};
