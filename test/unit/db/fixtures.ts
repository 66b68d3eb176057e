/**
 * A fresh evidence database per test (fake-indexeddb, a new name each time) and small event drafts.
 * Import `fake-indexeddb/auto` in the test file before this module.
 */
import { EvidenceDb, EvidenceStore, type Keyed, type SessionRow } from '../../../src/db';
import { newSessionId, randomHex } from '../../../src/core/time';

export function freshStore(): EvidenceStore {
  return new EvidenceStore(new EvidenceDb(`liveproof-test-${randomHex(8)}`));
}

export function openSession(
  store: EvidenceStore,
  overrides: Partial<Pick<SessionRow, 'tabId' | 'url' | 'platform'>> = {},
): Promise<SessionRow> {
  return store.createSession({
    id: newSessionId(),
    tabId: 1,
    url: 'https://live.douyin.com/880123456',
    title: '小美优选直播间',
    platform: 'douyin',
    adapter: 'generic',
    startedAt: new Date().toISOString(),
    ...overrides,
  });
}

let clock = Date.parse('2026-11-28T09:40:00.000Z');
const nextTime = () => new Date((clock += 250)).toISOString();

export function chat(key: string, text = `message ${key}`, author = '小鹿乱撞'): Keyed {
  return { key, type: 'chat', time: nextTime(), data: { author, text, kind: 'chat' } };
}

export function screenshotEvent(key: string): Keyed {
  return {
    key,
    type: 'screenshot',
    time: nextTime(),
    data: { sha256: 'a'.repeat(64), bytes: 68, mediatype: 'image/png', reason: 'manual' },
  };
}

export function note(key: string, text: string): Keyed {
  return { key, type: 'note', time: nextTime(), data: { text } };
}

/** Keys `prefix:0` … `prefix:n-1` as chat drafts. */
export function chats(prefix: string, n: number): Keyed[] {
  return Array.from({ length: n }, (_, i) => chat(`${prefix}:${i}`));
}
