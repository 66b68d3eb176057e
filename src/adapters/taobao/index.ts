/**
 * `taobao`: Taobao Live rooms on tbzb.taobao.com (`/live?liveId=…`). Chat from `#liveComment` and
 * its CSS-module rows (research/platforms.md §3); room facts and goods cards from CSS-module name
 * prefixes, largely GUESSed where no public source covers the viewer page.
 */
import type { Adapter } from '../types';
import { findChatList, parseRow } from './chat';
import { MATCHES, pageState, readProducts, readRoom, roomKey } from './page';

export { findChatList, parseRow } from './chat';
export { MATCHES, pageState, readProducts, readRoom, roomKey } from './page';

export const taobao: Adapter = {
  id: 'taobao',
  matches: MATCHES,
  roomKey,
  findChatList,
  parseRow,
  readRoom,
  readProducts,
  pageState,
};
