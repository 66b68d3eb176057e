import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Orphans, type StorageAreaLike } from '../../../src/background/orphans';
import { ORPHAN_PREFIX, type Orphan } from '../../../src/core/protocol';
import { readSessionEvents, type EvidenceStore } from '../../../src/db';
import { chat, chats, freshStore, openSession } from '../db/fixtures';

const stores: EvidenceStore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) await s.db.delete();
});

/** storage.local as the background sees it: what content scripts left, and the settings beside it. */
class Area implements StorageAreaLike {
  constructor(readonly items: Record<string, unknown>) {}
  get(): Promise<Record<string, unknown>> {
    return Promise.resolve(structuredClone(this.items));
  }
  remove(keys: string | string[]): Promise<void> {
    for (const k of [keys].flat()) delete this.items[k];
    return Promise.resolve();
  }
}

async function setup() {
  const store = freshStore();
  stores.push(store);
  const session = await openSession(store);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  return { store, session };
}

const texts = async (store: EvidenceStore, id: string) =>
  (await readSessionEvents(store.db, id)).map((e) => (e.type === 'chat' ? e.data.text : e.type));

describe('Orphans: what a page left behind when it went away', () => {
  it('seals the events into their session once, in order, and removes the stash', async () => {
    const { store, session } = await setup();
    await store.append(session.id, chats('a', 2)); // a:0 and a:1 reached the background before
    const left: Orphan = {
      sessionId: session.id,
      url: 'https://live.douyin.com/880123456?from=reload',
      events: [...chats('a', 2), chat('a:2', 'shown just before the reload')] as Orphan['events'],
    };
    const area = new Area({ [ORPHAN_PREFIX + 'a1b2c3d4']: left, settings: { language: 'zh_CN' } });
    const adopted = await new Orphans(area, store).adopt();

    expect(adopted).toHaveLength(1);
    expect(adopted[0]!.sealed.map((e) => e.seq)).toEqual([2]);
    expect(await texts(store, session.id)).toEqual([
      'message a:0',
      'message a:1',
      'shown just before the reload',
    ]);
    expect(Object.keys(area.items)).toEqual(['settings']);
  });

  it('does not seal a malformed stash, one for a closed session, or one from another site; removes them', async () => {
    const { store, session } = await setup();
    const closed = await openSession(store, { tabId: 2 });
    await store.close(closed.id, 'stopped-by-user');
    const events = [chat('x:0', 'not for this session')] as Orphan['events'];
    const area = new Area({
      [ORPHAN_PREFIX + 'bad']: { sessionId: session.id, url: 'javascript:alert(1)', events },
      [ORPHAN_PREFIX + 'closed']: { sessionId: closed.id, url: 'https://live.douyin.com/1', events },
      [ORPHAN_PREFIX + 'other']: { sessionId: session.id, url: 'https://evil.example/live', events },
    });
    expect(await new Orphans(area, store).adopt()).toEqual([]);
    expect(await texts(store, session.id)).toEqual([]);
    expect(area.items).toEqual({});
  });
});
