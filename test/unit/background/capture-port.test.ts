/**
 * The background end of the capture Port, with a real evidence store (fake-indexeddb) behind it: what
 * a content script may say, and what is refused before anything is sealed.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveCapturePort, type PortLike } from '../../../src/background/capture-port';
import { TabSessions } from '../../../src/background/sessions';
import { TabState, type KeyValueArea } from '../../../src/background/tab-state';
import type { CaptureEnvironment } from '../../../src/background/environment';
import { LIMITS } from '../../../src/core/evidence';
import { clipText } from '../../../src/core/canonical';
import { firstChainProblem } from '../../../src/core/chain';
import { CAPTURE_PORT, PROTOCOL_VERSION, type PortOut, type SenderLike } from '../../../src/core/protocol';
import { readSessionEvents, type EvidenceStore } from '../../../src/db';
import { freshStore } from '../db/fixtures';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const SELF = { id: ID, origin: `chrome-extension://${ID}` };
const LIVE = 'https://live.douyin.com/880123456';
const TAB = 7;
const CONTENT: SenderLike = { id: ID, url: LIVE, tab: { id: TAB }, frameId: 0 };

const ENV: CaptureEnvironment = {
  extensionVersion: '0.1.0',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
  os: 'linux/x86-64',
  timeZone: 'Asia/Shanghai',
  language: 'zh-CN',
};

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

/** The background's side of a Port: records what the background posts; `send` is the content script talking. */
class ServerPort implements PortLike {
  readonly posted: PortOut[] = [];
  disconnected = false;
  private listeners: ((m: unknown) => void)[] = [];
  readonly onMessage = { addListener: (cb: (m: unknown) => void) => void this.listeners.push(cb) };
  readonly onDisconnect = { addListener: () => {} };

  constructor(
    readonly sender: SenderLike = CONTENT,
    readonly name: string = CAPTURE_PORT,
  ) {}

  postMessage(message: PortOut): void {
    this.posted.push(structuredClone(message));
  }
  disconnect(): void {
    this.disconnected = true;
  }
  send(message: unknown): void {
    for (const cb of this.listeners) cb(structuredClone(message));
  }
  /** Waits until the background has answered `n` messages in all. */
  async answers(n: number): Promise<PortOut[]> {
    await vi.waitFor(() => expect(this.posted).toHaveLength(n), { interval: 2 });
    return this.posted;
  }
}

const stores: EvidenceStore[] = [];
function setup() {
  const store = freshStore();
  stores.push(store);
  const sessions = new TabSessions(store, new TabState(new MemoryArea()), async () => ENV);
  const serve = (port: ServerPort) =>
    serveCapturePort(port, { self: SELF, store, sessions, connected: new Map() });
  return { store, serve };
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.db.delete();
});

const hello = (extra: Record<string, unknown> = {}) => ({
  t: 'hello',
  v: PROTOCOL_VERSION,
  instance: 'a1b2c3d4',
  url: LIVE,
  title: '小美优选直播间',
  adapter: 'generic',
  platform: 'douyin',
  ...extra,
});

let n = 0;
const chat = (text = `第 ${++n} 条`, extra: Record<string, unknown> = {}) => ({
  key: `a1b2c3d4:${++n}`,
  type: 'chat',
  time: '2026-11-28T09:40:01.250Z',
  data: { author: '小鹿乱撞', text, kind: 'chat' },
  ...extra,
});

const batch = (id: number, events: unknown[], extra: Record<string, unknown> = {}) => ({
  t: 'batch',
  id,
  events,
  ...extra,
});

/** Opens a Port and says hello; returns the port and the session it writes to. */
async function connected() {
  const ctx = setup();
  const port = new ServerPort();
  ctx.serve(port);
  port.send(hello());
  const [ready] = await port.answers(1);
  expect(ready).toMatchObject({ t: 'ready' });
  const sessionId = (ready as { sessionId: string }).sessionId;
  const stored = () => readSessionEvents(ctx.store.db, sessionId);
  return { ...ctx, port, sessionId, stored };
}

async function expectRefused(message: unknown) {
  const { port, stored } = await connected();
  const before = (await stored()).length;
  port.send(message);
  expect((await port.answers(2))[1]).toEqual({ t: 'refused', code: 'bad-request' });
  expect(port.disconnected).toBe(true);
  expect(await stored()).toHaveLength(before);
}

describe('capture Port: a good conversation', () => {
  it('hello is answered with the session, and an acked batch is sealed in order after the page event', async () => {
    const { port, sessionId, stored } = await connected();
    const events = [chat('这个锅多少钱？'), chat('链接在哪'), chat('已下单')];
    port.send(batch(1, events));

    expect((await port.answers(2))[1]).toEqual({ t: 'ack', id: 1, stored: 3, duplicates: 0 });
    const sealed = await stored();
    expect(sealed.map((e) => e.type)).toEqual(['page', 'chat', 'chat', 'chat']);
    expect(sealed.slice(1).map((e) => e.data.text)).toEqual(['这个锅多少钱？', '链接在哪', '已下单']);
    expect(await firstChainProblem(sessionId, sealed)).toBeNull();
  });

  it('a batch sent again is acked as duplicates and not sealed twice', async () => {
    const { port, stored } = await connected();
    const events = [chat(), chat()];
    port.send(batch(1, events));
    port.send(batch(1, events));
    expect((await port.answers(3))[2]).toEqual({ t: 'ack', id: 1, stored: 0, duplicates: 2 });
    expect(await stored()).toHaveLength(3);
  });

  it(`takes a batch of exactly ${LIMITS.batchEvents} events, and text of exactly ${LIMITS.textChars} characters`, async () => {
    const { port, stored } = await connected();
    const events = Array.from({ length: LIMITS.batchEvents }, () => chat());
    events[0] = chat('长'.repeat(LIMITS.textChars));
    port.send(batch(1, events));
    expect((await port.answers(2))[1]).toEqual({
      t: 'ack',
      id: 1,
      stored: LIMITS.batchEvents,
      duplicates: 0,
    });
    expect(await stored()).toHaveLength(LIMITS.batchEvents + 1);
  });

  it('a batch before hello is not stored: "not-preserving", and the Port stays open', async () => {
    const { serve, store } = setup();
    const port = new ServerPort();
    serve(port);
    port.send(batch(4, [chat()]));
    expect(await port.answers(1)).toEqual([{ t: 'nack', id: 4, code: 'not-preserving' }]);
    expect(port.disconnected).toBe(false);
    expect(await store.db.pages.count()).toBe(0);
  });
});

describe('capture Port: chat messages in short (`ChatLine`)', () => {
  const T0 = Date.parse('2026-11-28T09:40:01.250Z');
  /** The same messages in full and in short: author, text, flags, ms after t0, counter, id. */
  const full = [
    chat('这个锅多少钱？', { key: 'a1b2c3d4:7', time: '2026-11-28T09:40:01.250Z' }),
    {
      key: 'a1b2c3d4:8',
      type: 'chat',
      time: '2026-11-28T09:40:02.005Z',
      data: { author: '小美优选', text: '3号链接', kind: 'host', id: 'm-88', backlog: true },
    },
    {
      key: 'a1b2c3d4:9',
      type: 'chat',
      time: '2026-11-28T09:40:03.000Z',
      data: { author: '夜猫子', text: '长'.repeat(LIMITS.textChars), kind: 'chat', truncated: true },
    },
  ];
  const lines = [
    ['小鹿乱撞', '这个锅多少钱？', 0, 0, 7],
    ['小美优选', '3号链接', 1 | 2, 755, 8, 'm-88'],
    ['夜猫子', '长'.repeat(LIMITS.textChars), 4, 1750, 9],
  ];
  const sealedForm = (e: { type: string; time: string; data: unknown }) =>
    JSON.stringify({ type: e.type, time: e.time, data: e.data });

  it('are sealed exactly as the same messages sent in full', async () => {
    const a = await connected();
    a.port.send(batch(1, full));
    expect((await a.port.answers(2))[1]).toEqual({ t: 'ack', id: 1, stored: 3, duplicates: 0 });
    const b = await connected();
    b.port.send(batch(1, lines, { t0: T0 }));
    expect((await b.port.answers(2))[1]).toEqual({ t: 'ack', id: 1, stored: 3, duplicates: 0 });
    const inFull = (await a.stored()).slice(1);
    const inShort = (await b.stored()).slice(1);
    expect(inShort.map(sealedForm)).toEqual(inFull.map(sealedForm));
    expect(await firstChainProblem(b.sessionId, await b.stored())).toBeNull();
  });

  it('share their keys with the full form: a line sent again, in either form, is a duplicate', async () => {
    const { port, stored } = await connected();
    port.send(batch(1, lines, { t0: T0 }));
    port.send(batch(1, lines, { t0: T0 }));
    port.send(batch(2, full));
    expect((await port.answers(4)).slice(2)).toEqual([
      { t: 'ack', id: 1, stored: 0, duplicates: 3 },
      { t: 'ack', id: 2, stored: 0, duplicates: 3 },
    ]);
    expect(await stored()).toHaveLength(4);
  });

  it.each([
    ['without the batch’s t0', batch(1, [['阿强', '来了', 0, 0, 1]])],
    ['with an unknown flag', batch(1, [['阿强', '来了', 8, 0, 1]], { t0: T0 })],
    ['with a time before t0', batch(1, [['阿强', '来了', 0, -5, 1]], { t0: T0 })],
    [
      'with a text over the limit',
      batch(1, [['阿强', '长'.repeat(LIMITS.textChars + 1), 0, 0, 1]], { t0: T0 }),
    ],
    [
      'with an author over the limit',
      batch(1, [['阿'.repeat(LIMITS.authorChars + 1), '来了', 0, 0, 1]], { t0: T0 }),
    ],
    ['with a field too many', batch(1, [['阿强', '来了', 0, 0, 1, 'id', 'more']], { t0: T0 })],
    ['with a missing counter', batch(1, [['阿强', '来了', 0, 0]], { t0: T0 })],
  ])('are refused %s, and nothing is sealed', async (_, message) => {
    await expectRefused(message);
  });
});

describe('capture Port: who may connect', () => {
  it.each<[string, ServerPort]>([
    ['a Port with another name', new ServerPort(CONTENT, 'liveproof/other')],
    ['another extension', new ServerPort({ ...CONTENT, id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' })],
    ['an extension page', new ServerPort({ id: ID, url: `${SELF.origin}/src/popup/index.html`, frameId: 0 })],
    ['a page outside a tab', new ServerPort({ id: ID, url: LIVE, frameId: 0 })],
    ['a file:// page', new ServerPort({ ...CONTENT, url: 'file:///home/me/live.html' })],
  ])('%s is disconnected at once and never heard', async (_, port) => {
    const { serve, store } = setup();
    serve(port);
    expect(port.disconnected).toBe(true);
    port.send(hello());
    port.send(batch(1, [chat()]));
    await new Promise((r) => setTimeout(r, 20));
    expect(port.posted).toEqual([]);
    expect(await store.db.sessions.count()).toBe(0);
  });
});

describe('capture Port: malformed messages refuse the whole Port, and nothing is sealed', () => {
  it(`a batch of ${LIMITS.batchEvents + 1} events`, async () => {
    await expectRefused(
      batch(
        1,
        Array.from({ length: LIMITS.batchEvents + 1 }, () => chat()),
      ),
    );
  });

  it('an empty batch', async () => {
    await expectRefused(batch(1, []));
  });

  it.each(['page', 'screenshot', 'screenshot-missed', 'note', 'session-end', 'payment'])(
    'a draft of type %j (content scripts send chat only)',
    async (type) => {
      await expectRefused(batch(1, [chat(), { ...chat(), type }]));
    },
  );

  it(`chat text over ${LIMITS.textChars} characters`, async () => {
    await expectRefused(batch(1, [chat('长'.repeat(LIMITS.textChars + 1))]));
  });

  it(`an author over ${LIMITS.authorChars} characters`, async () => {
    await expectRefused(
      batch(1, [
        { ...chat(), data: { author: 'a'.repeat(LIMITS.authorChars + 1), text: 'x', kind: 'chat' } },
      ]),
    );
  });

  it.each<[string, unknown]>([
    ['on the batch', batch(1, [chat()], { sessionId: '20261128-094000-3f9a2c1b' })],
    ['on a draft', batch(1, [chat('x', { seq: 0 })])],
    [
      'in chat data',
      batch(1, [{ ...chat(), data: { author: 'a', text: 'x', kind: 'chat', hash: 'f'.repeat(64) } }]),
    ],
    ['on hello', hello({ sessionToken: 'x' })],
  ])('an extra member %s', async (_, message) => {
    await expectRefused(message);
  });

  it.each<[string, unknown]>([
    ['a hello of another protocol version', hello({ v: PROTOCOL_VERSION + 1 })],
    ['a hello without a version', { ...hello(), v: undefined }],
    ['an unknown message kind', { t: 'seal', events: [chat()] }],
    ['a negative batch id', batch(-1, [chat()])],
    ['an event key that is empty', batch(1, [chat('x', { key: '' })])],
    [
      `an event key over ${LIMITS.keyChars} characters`,
      batch(1, [chat('x', { key: 'k'.repeat(LIMITS.keyChars + 1) })]),
    ],
    ['a time that is not ISO UTC', batch(1, [chat('x', { time: '2026-11-28 17:40:01' })])],
    [
      'a chat kind the format does not have',
      batch(1, [{ ...chat(), data: { author: 'a', text: 'x', kind: 'admin' } }]),
    ],
    ['a string', 'hello'],
    ['null', null],
  ])('%s', async (_, message) => {
    await expectRefused(message);
  });

  it('refusing one Port does not affect what was already sealed', async () => {
    const { port, stored, sessionId } = await connected();
    port.send(batch(1, [chat('先说的话')]));
    await port.answers(2);
    port.send(
      batch(
        2,
        Array.from({ length: LIMITS.batchEvents + 1 }, () => chat()),
      ),
    );
    expect((await port.answers(3))[2]).toEqual({ t: 'refused', code: 'bad-request' });
    const sealed = await stored();
    expect(sealed.map((e) => e.data.text)).toEqual([undefined, '先说的话']);
    expect(await firstChainProblem(sessionId, sealed)).toBeNull();
  });
});

describe('capture Port: text at the edge of what can be sealed', () => {
  it('a chat text cut inside an emoji at the limit is still sealed', async () => {
    const { port } = await connected();
    const cut = clipText('长'.repeat(LIMITS.textChars - 1) + '😀x', LIMITS.textChars);
    port.send(batch(1, [chat(cut), chat('同一批的另一条')]));
    expect((await port.answers(2))[1]).toEqual({ t: 'ack', id: 1, stored: 2, duplicates: 0 });
  });

  it('a page title cut inside an emoji at the limit still opens a session', async () => {
    const { serve } = setup();
    const port = new ServerPort();
    serve(port);
    port.send(hello({ title: clipText('直'.repeat(LIMITS.titleChars - 1) + '😀', LIMITS.titleChars) }));
    expect((await port.answers(1))[0]).toMatchObject({ t: 'ready' });
  });

  it('a lone surrogate from a content script that did not clean it is repaired, not failed on for ever', async () => {
    const { port } = await connected();
    port.send(batch(1, [chat('半个表情\ud83d')]));
    expect((await port.answers(2))[1]).toEqual({ t: 'ack', id: 1, stored: 1, duplicates: 0 });
  });
});

describe('capture Port: where the page stands with its chat', () => {
  function withChatList() {
    const { store } = setup();
    const sessions = new TabSessions(store, new TabState(new MemoryArea()), async () => ENV);
    const onChatList = vi.fn();
    const port = new ServerPort();
    serveCapturePort(port, { self: SELF, store, sessions, connected: new Map(), onChatList });
    return { port, onChatList };
  }

  it('is passed on after hello, and ignored before it', async () => {
    const { port, onChatList } = withChatList();
    port.send({ t: 'chat-list', state: 'searching' });
    port.send(hello());
    await port.answers(1);
    port.send({ t: 'chat-list', state: 'picked' });
    port.send(batch(1, [chat()]));
    await port.answers(2); // handled in order: the state before the batch's ack
    expect(onChatList.mock.calls.map((c) => c[2])).toEqual(['picked']);
    expect(onChatList.mock.calls[0]![0]).toBe(TAB);
  });

  it.each<[string, unknown]>([
    ['a state it does not know', { t: 'chat-list', state: 'lost' }],
    ['an extra member', { t: 'chat-list', state: 'found', selector: 'ul' }],
  ])('%s refuses the Port', async (_, message) => {
    await expectRefused(message);
  });
});

describe('capture Port: paused, or no room to store', () => {
  async function withDeps(extra: Partial<Parameters<typeof serveCapturePort>[1]>) {
    const store = freshStore();
    stores.push(store);
    const sessions = new TabSessions(store, new TabState(new MemoryArea()), async () => ENV);
    const port = new ServerPort();
    serveCapturePort(port, { self: SELF, store, sessions, connected: new Map(), ...extra });
    port.send(hello());
    const [ready] = await port.answers(1);
    const sessionId = (ready as { sessionId: string }).sessionId;
    return { store, sessions, port, sessionId, stored: () => readSessionEvents(store.db, sessionId) };
  }

  it('while the user paused: a batch is acknowledged but nothing is sealed, and it is not asked for again', async () => {
    const { store, port, sessionId, stored } = await withDeps({});
    await store.pause(sessionId, 'user');
    port.send(batch(0, [chat('暂停时说的')]));
    expect((await port.answers(2))[1]).toEqual({ t: 'ack', id: 0, stored: 0, duplicates: 0 });
    expect((await stored()).map((e) => e.type)).toEqual(['page', 'pause']);
  });

  it('says a pause to a page that connects again while paused', async () => {
    const { store, sessionId, sessions } = await withDeps({});
    await store.pause(sessionId, 'user');
    const again = new ServerPort();
    serveCapturePort(again, { self: SELF, store, sessions, connected: new Map() });
    again.send(hello({ sessionId }));
    expect(await again.answers(2)).toEqual([
      { t: 'ready', sessionId },
      { t: 'paused', cause: 'user' },
    ]);
  });

  it('with no room: the batch is refused for now (the page keeps it) and the background hears why', async () => {
    const full: [number, string, boolean][] = [];
    let room = false;
    const { port, sessionId, stored } = await withDeps({
      roomToStore: async () => room,
      onStorageFull: (tab, id, failed) => full.push([tab, id, failed]),
    });
    port.send(batch(0, [chat('满盘时说的')]));
    expect((await port.answers(2))[1]).toEqual({ t: 'nack', id: 0, code: 'storage-full' });
    expect(full).toEqual([[TAB, sessionId, false]]);
    room = true;
    port.send(batch(0, [chat('满盘时说的')]));
    expect((await port.answers(3))[2]).toMatchObject({ t: 'ack', id: 0, stored: 1 });
    expect((await stored()).map((e) => e.type)).toEqual(['page', 'chat']);
  });

  it('a write that fails for lack of space is refused for now and reported as a failed write', async () => {
    const full: boolean[] = [];
    const { store, port } = await withDeps({ onStorageFull: (_t, _id, failed) => full.push(failed) });
    store.db.pages.bulkAdd = (() => {
      throw Object.assign(new Error('disk'), {
        name: 'DataError',
        message: 'Failed to write blobs (IOError)',
      });
    }) as typeof store.db.pages.bulkAdd;
    port.send(batch(0, [chat('写不进去')]));
    expect((await port.answers(2))[1]).toEqual({ t: 'nack', id: 0, code: 'storage-full' });
    expect(full).toEqual([true]);
  });
});
