import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { TabSessions } from '../../../src/background/sessions';
import { TabState, type KeyValueArea } from '../../../src/background/tab-state';
import type { CaptureEnvironment } from '../../../src/background/environment';
import { PROTOCOL_VERSION, ProtocolError, type Hello } from '../../../src/core/protocol';
import { firstChainProblem } from '../../../src/core/chain';
import { readSessionEvents, type EvidenceStore, type SessionRow } from '../../../src/db';
import { freshStore } from '../db/fixtures';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';

/** `storage.session` in memory. */
class MemoryArea implements KeyValueArea {
  readonly items = new Map<string, unknown>();
  async get(key: string) {
    return this.items.has(key) ? { [key]: structuredClone(this.items.get(key)) } : {};
  }
  async set(items: Record<string, unknown>) {
    for (const [k, v] of Object.entries(items)) this.items.set(k, structuredClone(v));
  }
  async remove(key: string) {
    this.items.delete(key);
  }
}

const ENV: CaptureEnvironment = {
  extensionVersion: '0.1.0',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
  os: 'linux/x86-64',
  timeZone: 'Asia/Shanghai',
  language: 'zh-CN',
};

const LIVE = 'https://live.douyin.com/880123456';
const TAB = 7;

function hello(url: string, instance = 'a1b2c3d4', sessionId?: string): Hello {
  return {
    t: 'hello',
    v: PROTOCOL_VERSION,
    instance,
    url,
    title: '小美优选直播间',
    adapter: 'generic',
    platform: 'douyin',
    ...(sessionId ? { sessionId } : {}),
  };
}

const stores: EvidenceStore[] = [];
function setup() {
  const store = freshStore();
  stores.push(store);
  const area = new MemoryArea();
  const sessions = new TabSessions(store, new TabState(area), async () => ENV);
  return { store, area, sessions };
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.db.delete();
});

async function opened(outcome: Awaited<ReturnType<TabSessions['hello']>>): Promise<SessionRow> {
  if ('refused' in outcome) throw new Error(`refused: ${outcome.refused}`);
  return outcome.session;
}

const types = async (store: EvidenceStore, id: string) =>
  (await readSessionEvents(store.db, id)).map((e) => e.type);

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return err instanceof ProtocolError ? err.code : String(err);
}

describe('TabSessions.hello: which session a page writes to', () => {
  it('opening a live room starts a session whose first event records the page and the browser', async () => {
    const { store, sessions } = setup();
    const outcome = await sessions.hello(TAB, LIVE, hello(LIVE));

    expect(outcome).toMatchObject({ isNew: true });
    const session = await opened(outcome);
    expect(session).toMatchObject({
      tabId: TAB,
      url: LIVE,
      title: '小美优选直播间',
      platform: 'douyin',
      adapter: 'generic',
      status: 'open',
    });
    const [page] = await readSessionEvents(store.db, session.id);
    expect(page).toMatchObject({
      seq: 0,
      type: 'page',
      data: { url: LIVE, platform: 'douyin', adapter: 'generic', ...ENV },
    });
    expect(await sessions.openSession(TAB)).toMatchObject({ id: session.id });
  });

  it('the same page reconnecting (the worker restarted) continues the session without a new page event', async () => {
    const { store, area, sessions } = setup();
    const first = await opened(await sessions.hello(TAB, LIVE, hello(LIVE)));

    // A new worker: new objects, the same database and storage.session.
    const restarted = new TabSessions(store, new TabState(area), async () => ENV);
    const again = await restarted.hello(TAB, LIVE, hello(LIVE, 'a1b2c3d4', first.id));

    expect(again).toMatchObject({ isNew: false, session: { id: first.id } });
    expect(await types(store, first.id)).toEqual(['page']);
  });

  it('a reload of the same page continues the session and records the new page load', async () => {
    const { store, sessions } = setup();
    const first = await opened(await sessions.hello(TAB, LIVE, hello(LIVE)));

    const reload = await sessions.hello(TAB, LIVE, hello(`${LIVE}?enter_from=reload#top`, 'e5f6a7b8'));

    expect(reload).toMatchObject({ isNew: false, session: { id: first.id } });
    const events = await readSessionEvents(store.db, first.id);
    expect(events.map((e) => e.type)).toEqual(['page', 'page']);
    expect(events[1]!.data.url).toBe(`${LIVE}?enter_from=reload#top`);
  });

  it('going to another live room in the tab ends the old session as "navigated" and starts a new one', async () => {
    const { store, sessions } = setup();
    const first = await opened(await sessions.hello(TAB, LIVE, hello(LIVE)));
    const other = 'https://live.douyin.com/990000001';

    const second = await opened(await sessions.hello(TAB, other, hello(other, 'e5f6a7b8')));

    expect(second.id).not.toBe(first.id);
    const old = await readSessionEvents(store.db, first.id);
    expect(old[old.length - 1]).toMatchObject({ type: 'session-end', data: { cause: 'navigated' } });
    expect(await store.db.sessions.get(first.id)).toMatchObject({ status: 'closed' });
    expect(await types(store, second.id)).toEqual(['page']);
    expect(await store.db.sessions.where('status').equals('open').count()).toBe(1);
    expect(await firstChainProblem(first.id, old)).toBeNull();
  });

  it.each([
    [
      'Taobao',
      'https://tbzb.taobao.com/live?liveId=111&spm=a1',
      'https://tbzb.taobao.com/live?liveId=222&spm=a1',
    ],
    [
      'YouTube chat',
      'https://www.youtube.com/live_chat?v=abcdefghijk',
      'https://www.youtube.com/live_chat?v=zyxwvutsrqp',
    ],
  ])('a %s room that differs only in its query is another room', async (_name, a, b) => {
    const { store, sessions } = setup();
    const first = await opened(await sessions.hello(TAB, a, hello(a)));
    const again = await opened(
      await sessions.hello(TAB, a, hello(a.replace('spm=a1', 'spm=b2'), 'c0c0c0c0')),
    );
    expect(again.id).toBe(first.id);
    const second = await opened(await sessions.hello(TAB, b, hello(b, 'e5f6a7b8')));
    expect(second.id).not.toBe(first.id);
    expect(await store.db.sessions.get(first.id)).toMatchObject({ status: 'closed' });
  });

  it('two hellos from one tab at the same moment open one session, not two', async () => {
    const { store, sessions } = setup();
    const [a, b] = await Promise.all([
      sessions.hello(TAB, LIVE, hello(LIVE, 'aaaa0001')),
      sessions.hello(TAB, LIVE, hello(LIVE, 'bbbb0002')),
    ]);
    expect((await opened(a)).id).toBe((await opened(b)).id);
    expect(await store.db.sessions.count()).toBe(1);
  });

  it('the room’s chat frame joins the tab’s session; a frame of another room ends nothing', async () => {
    const { store, sessions } = setup();
    const page = 'https://www.youtube.com/live/abcdefghijk';
    const frame = 'https://www.youtube.com/live_chat?v=abcdefghijk&is_popout=0';
    const top = await opened(await sessions.hello(TAB, page, hello(page)));
    const joined = await opened(await sessions.hello(TAB, frame, hello(frame, 'f0f0f0f0'), false));
    expect(joined.id).toBe(top.id);
    const stranger = 'https://www.youtube.com/live_chat?v=zyxwvutsrqp';
    expect(await sessions.hello(TAB, stranger, hello(stranger, 'f1f1f1f1'), false)).toEqual({
      refused: 'not-preserving',
    });
    expect(await store.db.sessions.get(top.id)).toMatchObject({ status: 'open' });
  });

  it('does not start by itself on a known platform’s page that is not a live room (Bilibili’s live home)', async () => {
    const { sessions } = setup();
    const home = 'https://live.bilibili.com/';
    expect(await sessions.hello(TAB, home, hello(home))).toEqual({ refused: 'not-preserving' });
    await sessions.startManual(TAB, home);
    expect('session' in (await sessions.hello(TAB, home, hello(home)))).toBe(true);
  });

  it('does not start by itself on a platform the user turned off, but still when started by hand', async () => {
    const store = freshStore();
    stores.push(store);
    const platforms = { ...DEFAULT_SETTINGS.platforms, douyin: false };
    const sessions = new TabSessions(
      store,
      new TabState(new MemoryArea()),
      async () => ENV,
      async () => ({ platforms }),
    );
    expect(await sessions.hello(TAB, LIVE, hello(LIVE))).toEqual({ refused: 'not-preserving' });
    const bili = 'https://live.bilibili.com/21452505';
    expect('session' in (await sessions.hello(8, bili, hello(bili)))).toBe(true);
    await sessions.startManual(TAB, LIVE);
    expect('session' in (await sessions.hello(TAB, LIVE, hello(LIVE)))).toBe(true);
  });

  it('keeps the sessions of two tabs apart', async () => {
    const { sessions } = setup();
    const a = await opened(await sessions.hello(1, LIVE, hello(LIVE)));
    const b = await opened(await sessions.hello(2, LIVE, hello(LIVE)));
    expect(a.id).not.toBe(b.id);
    expect((await sessions.openSession(1))!.id).toBe(a.id);
    expect((await sessions.openSession(2))!.id).toBe(b.id);
  });

  it('refuses a hello whose URL is not the page that sent it', async () => {
    const { store, sessions } = setup();
    expect(await sessions.hello(TAB, 'https://evil.example/', hello(LIVE))).toEqual({
      refused: 'bad-request',
    });
    expect(await store.db.sessions.count()).toBe(0);
  });

  it('refuses a page that is not a known live room and was not started by hand', async () => {
    const { store, sessions } = setup();
    const url = 'https://example.com/live/1';
    expect(await sessions.hello(TAB, url, hello(url))).toEqual({ refused: 'not-preserving' });
    expect(await store.db.sessions.count()).toBe(0);
  });
});

describe('TabSessions: manual start, stop and which tabs are allowed', () => {
  const SHOP = 'http://127.0.0.1:8080/live/1';

  it('preserves known live rooms without being asked, and nothing else', async () => {
    const { sessions } = setup();
    expect(await sessions.allowed(TAB, LIVE)).toBe(true);
    expect(await sessions.allowed(TAB, 'https://www.douyin.com/video/1')).toBe(false);
    expect(await sessions.allowed(TAB, SHOP)).toBe(false);
  });

  it('a tab started by hand is preserved on that site only', async () => {
    const { sessions } = setup();
    await sessions.startManual(TAB, SHOP);
    expect(await sessions.allowed(TAB, SHOP)).toBe(true);
    expect(await sessions.allowed(TAB, 'http://127.0.0.1:8080/live/2')).toBe(true);
    expect(await sessions.allowed(TAB, 'http://127.0.0.1:9090/live/1')).toBe(false);
    expect(await sessions.allowed(TAB + 1, SHOP)).toBe(false);

    const session = await opened(await sessions.hello(TAB, SHOP, hello(SHOP)));
    expect(session.platform).toBe('web');
  });

  it('cannot be started on browser pages, files or a tab without a URL', async () => {
    const { area, sessions } = setup();
    for (const url of ['chrome://extensions/', 'file:///home/me/page.html', 'about:blank', undefined])
      expect(await errorCode(sessions.startManual(TAB, url)), String(url)).toBe('unsupported-page');
    expect(area.items.size).toBe(0);
  });

  it('stop ends the session as "stopped-by-user" and the tab stays stopped, even on a live room', async () => {
    const { store, sessions } = setup();
    const session = await opened(await sessions.hello(TAB, LIVE, hello(LIVE)));

    expect(await sessions.stop(TAB)).toBe(true);

    const events = await readSessionEvents(store.db, session.id);
    expect(events[events.length - 1]).toMatchObject({
      type: 'session-end',
      data: { cause: 'stopped-by-user' },
    });
    expect(await sessions.openSession(TAB)).toBeUndefined();
    expect(await sessions.allowed(TAB, LIVE)).toBe(false);
    expect(await sessions.hello(TAB, LIVE, hello(LIVE, 'e5f6a7b8'))).toEqual({ refused: 'not-preserving' });
    expect(await store.db.sessions.count()).toBe(1);
  });

  it('stop on a tab with nothing open says so and still keeps the tab from starting', async () => {
    const { sessions } = setup();
    expect(await sessions.stop(TAB)).toBe(false);
    expect(await sessions.allowed(TAB, LIVE)).toBe(false);
  });

  it('starting by hand after a stop preserves the tab again', async () => {
    const { sessions } = setup();
    await sessions.stop(TAB);
    await sessions.startManual(TAB, LIVE);
    expect(await sessions.allowed(TAB, LIVE)).toBe(true);
  });
});

describe('TabSessions: the tab goes away or moves on', () => {
  const SHOP = 'http://127.0.0.1:8080/live/1';

  it('closing the tab ends its session as "tab-closed" and forgets the tab', async () => {
    const { store, area, sessions } = setup();
    await sessions.startManual(TAB, SHOP);
    const session = await opened(await sessions.hello(TAB, SHOP, hello(SHOP)));

    await sessions.tabClosed(TAB);

    expect(await types(store, session.id)).toEqual(['page', 'session-end']);
    expect((await readSessionEvents(store.db, session.id))[1]!.data).toEqual({ cause: 'tab-closed' });
    expect(area.items.size).toBe(0);
    // Tab ids are reused: a new tab with the same id is not preserved by the old choice.
    expect(await sessions.allowed(TAB, SHOP)).toBe(false);
  });

  it('a manual tab loading another page of the same site asks for the content script again', async () => {
    const { sessions } = setup();
    await sessions.startManual(TAB, SHOP);
    const session = await opened(await sessions.hello(TAB, SHOP, hello(SHOP)));
    expect(await sessions.tabLoaded(TAB, 'http://127.0.0.1:8080/live/1?page=2')).toBe(true);
    expect(await sessions.openSession(TAB)).toMatchObject({ id: session.id, status: 'open' });
  });

  it('a manual tab leaving the site ends preservation there', async () => {
    const { store, sessions } = setup();
    await sessions.startManual(TAB, SHOP);
    const session = await opened(await sessions.hello(TAB, SHOP, hello(SHOP)));

    expect(await sessions.tabLoaded(TAB, 'https://example.com/')).toBe(false);

    const events = await readSessionEvents(store.db, session.id);
    expect(events[events.length - 1]).toMatchObject({ type: 'session-end', data: { cause: 'navigated' } });
    expect(await sessions.allowed(TAB, SHOP)).toBe(false);
  });

  it('a manual tab going to a browser page ends preservation too', async () => {
    const { sessions } = setup();
    await sessions.startManual(TAB, SHOP);
    await sessions.hello(TAB, SHOP, hello(SHOP));
    expect(await sessions.tabLoaded(TAB, 'chrome://newtab/')).toBe(false);
    expect(await sessions.openSession(TAB)).toBeUndefined();
  });

  it('page loads in tabs nobody started by hand change nothing (the static content script handles them)', async () => {
    const { store, sessions } = setup();
    const session = await opened(await sessions.hello(TAB, LIVE, hello(LIVE)));
    expect(await sessions.tabLoaded(TAB, 'https://example.com/')).toBe(false);
    expect(await sessions.openSession(TAB)).toMatchObject({ id: session.id });
    expect(await types(store, session.id)).toEqual(['page']);
  });

  it('after a browser restart every open session is ended as "browser-restarted", and only those', async () => {
    const { store, sessions } = setup();
    const closed = await opened(await sessions.hello(1, LIVE, hello(LIVE)));
    await sessions.tabClosed(1);
    const a = await opened(await sessions.hello(2, LIVE, hello(LIVE)));
    const b = await opened(await sessions.hello(3, LIVE, hello(LIVE)));

    await sessions.closeAllOpen();

    expect(await store.db.sessions.where('status').equals('open').count()).toBe(0);
    for (const id of [a.id, b.id]) {
      const events = await readSessionEvents(store.db, id);
      expect(events.map((e) => e.type)).toEqual(['page', 'session-end']);
      expect(events[1]!.data).toEqual({ cause: 'browser-restarted' });
    }
    expect((await readSessionEvents(store.db, closed.id))[1]!.data).toEqual({ cause: 'tab-closed' });
    expect(await types(store, closed.id)).toEqual(['page', 'session-end']);
  });
});

describe('why a tab is not preserved', () => {
  function withPlatforms(douyin: boolean) {
    const store = freshStore();
    stores.push(store);
    const settings = { ...DEFAULT_SETTINGS, platforms: { ...DEFAULT_SETTINGS.platforms, douyin } };
    const tabs = new TabState(new MemoryArea());
    return {
      tabs,
      sessions: new TabSessions(
        store,
        tabs,
        async () => ENV,
        async () => settings,
      ),
    };
  }

  it('names an unknown site, a platform turned off, a page that is not a live room, and a tab the user stopped', async () => {
    const on = withPlatforms(true);
    expect(await on.sessions.whyNot(TAB, 'http://127.0.0.1:8080/live/1')).toBe('unknown-site');
    expect(await on.sessions.whyNot(TAB, 'https://www.douyin.com/')).toBe('not-live');
    const off = withPlatforms(false);
    expect(await off.sessions.whyNot(TAB, LIVE)).toBe('platform-off');
    await off.tabs.set(TAB, { mode: 'stopped' });
    expect(await off.sessions.whyNot(TAB, LIVE)).toBe('stopped');
  });

  it('pauses and resumes only a tab that is being preserved', async () => {
    const { sessions, store } = setup();
    await expect(sessions.pause(TAB)).rejects.toBeInstanceOf(ProtocolError);
    const outcome = await sessions.hello(TAB, LIVE, hello(LIVE));
    const id = (outcome as { session: SessionRow }).session.id;
    expect(await sessions.pause(TAB)).toBe(true);
    expect(await sessions.pause(TAB)).toBe(false);
    expect(await sessions.resume(TAB)).toBe(true);
    expect((await readSessionEvents(store.db, id)).map((e) => e.type)).toEqual(['page', 'pause', 'resume']);
  });
});
