import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers } from '../../../src/background/router';
import { LIMITS } from '../../../src/core/evidence';
import { PROTOCOL_VERSION, ProtocolError, type SenderLike, type TabStatus } from '../../../src/core/protocol';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const SELF = { id: ID, origin: `chrome-extension://${ID}` };
const POPUP: SenderLike = { id: ID, url: `${SELF.origin}/src/popup/index.html` };
const CONTENT: SenderLike = { id: ID, url: 'https://live.douyin.com/880123456', tab: { id: 7 }, frameId: 0 };
const STRANGER: SenderLike = {
  id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
  url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/x.html',
};

const STATUS: TabStatus = {
  tabId: 3,
  url: 'https://live.douyin.com/880123456',
  state: 'available',
  reason: 'platform-off',
  storage: { full: null, freeBytes: 10_000_000_000, floorBytes: 64 * 1024 * 1024 },
  session: null,
};

const VIDEO = { on: false, since: null, buffered: 0, bufferSeconds: 180, stoppedBecause: null };

function setup() {
  const handlers = {
    'tab.status': vi.fn(async (): Promise<TabStatus> => STATUS),
    'session.start': vi.fn(async () => ({ started: true })),
    'session.stop': vi.fn(async () => ({ stopped: true })),
    'screenshot.take': vi.fn(async () => ({ seq: 12 })),
    'chat.pick': vi.fn(async () => ({ asked: true })),
    'chat.forget': vi.fn(async () => ({ forgotten: true })),
    'key.info': vi.fn(async () => ({ fingerprint: 'ab'.repeat(32), formatted: 'abab', createdAt: '' })),
    'sessions.stamp': vi.fn(async () => ({ done: true })),
    'session.pause': vi.fn(async () => ({ paused: true })),
    'session.resume': vi.fn(async () => ({ resumed: true })),
    'moment.save': vi.fn(async () => ({ seq: 4, noteSeq: 5 })),
    'storage.retry': vi.fn(async () => STATUS.storage),
    'video.status': vi.fn(async () => VIDEO),
    'video.guard': vi.fn(async () => VIDEO),
    'video.save': vi.fn(async () => ({ clip: 'c', chunks: 1, seconds: 1, seq: 3 })),
    'video.ended': vi.fn(async () => ({ done: true })),
  } satisfies Handlers;
  const dispatch = createRouter(handlers, SELF);
  const called = () => Object.values(handlers).reduce((n, h) => n + h.mock.calls.length, 0);
  return { handlers, dispatch, called };
}

const msg = (name: string, req: unknown) => ({ v: PROTOCOL_VERSION, name, req });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('router: a good request', () => {
  it('is answered with the handler’s data, the handler getting the parsed request and who asked', async () => {
    const { dispatch, handlers } = setup();
    expect(await dispatch(msg('tab.status', { tabId: 3 }), POPUP)).toEqual({ ok: true, data: STATUS });
    expect(handlers['tab.status']).toHaveBeenCalledWith(
      { tabId: 3 },
      { sender: POPUP, kind: 'extension-page' },
    );
  });

  it('routes each message to its own handler', async () => {
    const { dispatch, handlers } = setup();
    expect(await dispatch(msg('screenshot.take', { tabId: 3, note: '主播说七天无理由' }), POPUP)).toEqual({
      ok: true,
      data: { seq: 12 },
    });
    expect(await dispatch(msg('session.stop', { tabId: 3 }), POPUP)).toEqual({
      ok: true,
      data: { stopped: true },
    });
    expect(handlers['screenshot.take']).toHaveBeenCalledTimes(1);
    expect(handlers['session.stop']).toHaveBeenCalledTimes(1);
    expect(handlers['session.start']).not.toHaveBeenCalled();
  });
});

describe('router: who may ask', () => {
  it.each<[string, SenderLike]>([
    ['another extension', STRANGER],
    ['a sender without an id', { url: `${SELF.origin}/src/popup/index.html` }],
    ['a look-alike origin', { id: ID, url: `chrome-extension://${ID}evil/popup.html` }],
  ])('%s is refused before anything else is looked at', async (_, sender) => {
    const { dispatch, called } = setup();
    // Even garbage gets "forbidden-sender", not "bad-message": nothing of it is parsed.
    for (const raw of [msg('tab.status', { tabId: 3 }), 'garbage', null, { v: 99 }])
      expect(await dispatch(raw, sender)).toEqual({
        ok: false,
        error: { code: 'forbidden-sender', message: 'forbidden-sender' },
      });
    expect(called()).toBe(0);
  });

  it('a content script may not send extension-page messages', async () => {
    const { dispatch, called } = setup();
    for (const name of ['tab.status', 'session.start', 'session.stop', 'screenshot.take', 'chat.pick'])
      expect(await dispatch(msg(name, { tabId: 7 }), CONTENT), name).toEqual({
        ok: false,
        error: { code: 'forbidden-sender', message: name },
      });
    expect(called()).toBe(0);
  });
});

describe('router: what may be asked', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'tab.status'],
    ['an array', [PROTOCOL_VERSION, 'tab.status', { tabId: 3 }]],
    ['no version', { name: 'tab.status', req: { tabId: 3 } }],
    ['another protocol version', { v: PROTOCOL_VERSION + 1, name: 'tab.status', req: { tabId: 3 } }],
    ['a name that is not a string', { v: PROTOCOL_VERSION, name: 42, req: {} }],
    ['a name over 64 characters', msg('x'.repeat(65), {})],
    ['an extra envelope member', { ...msg('tab.status', { tabId: 3 }), admin: true }],
  ])('bad-message: %s', async (_, raw) => {
    const { dispatch, called } = setup();
    expect(await dispatch(raw, POPUP)).toEqual({
      ok: false,
      error: { code: 'bad-message', message: 'bad-message' },
    });
    expect(called()).toBe(0);
  });

  it.each([
    'tab.delete',
    '',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'prototype',
  ])('unknown-message: %j, not looked up on the prototype', async (name) => {
    const { dispatch, called } = setup();
    expect(await dispatch(msg(name, { tabId: 3 }), POPUP)).toEqual({
      ok: false,
      error: { code: 'unknown-message', message: name },
    });
    expect(called()).toBe(0);
  });

  it.each<[string, string, unknown]>([
    ['no request', 'tab.status', undefined],
    ['a tab id as text', 'tab.status', { tabId: '3' }],
    ['a negative tab id', 'session.start', { tabId: -1 }],
    ['a fractional tab id', 'session.stop', { tabId: 1.5 }],
    ['an extra member', 'tab.status', { tabId: 3, url: 'https://evil.example/' }],
    ['a note over the limit', 'screenshot.take', { tabId: 3, note: '长'.repeat(LIMITS.noteChars + 1) }],
    ['a note that is not text', 'screenshot.take', { tabId: 3, note: { toString: 'x' } }],
  ])('bad-request: %s', async (_, name, req) => {
    const { dispatch, called } = setup();
    const reply = await dispatch(msg(name, req), POPUP);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(called()).toBe(0);
  });

  it('a note exactly at the limit is accepted', async () => {
    const { dispatch, handlers } = setup();
    const note = '长'.repeat(LIMITS.noteChars);
    expect(await dispatch(msg('screenshot.take', { tabId: 3, note }), POPUP)).toMatchObject({ ok: true });
    expect(handlers['screenshot.take']).toHaveBeenCalledWith({ tabId: 3, note }, expect.anything());
  });
});

describe('router: when the handler fails', () => {
  it('passes a ProtocolError back with its code and message', async () => {
    const { dispatch, handlers } = setup();
    handlers['session.start'].mockRejectedValueOnce(
      new ProtocolError('unsupported-page', 'chrome://settings/'),
    );
    handlers['screenshot.take'].mockRejectedValueOnce(new ProtocolError('tab-not-visible'));
    expect(await dispatch(msg('session.start', { tabId: 3 }), POPUP)).toEqual({
      ok: false,
      error: { code: 'unsupported-page', message: 'chrome://settings/' },
    });
    expect(await dispatch(msg('screenshot.take', { tabId: 3 }), POPUP)).toEqual({
      ok: false,
      error: { code: 'tab-not-visible', message: 'tab-not-visible' },
    });
  });

  it('turns any other error into "internal" with its message, and logs it', async () => {
    const { dispatch, handlers } = setup();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    handlers['tab.status'].mockRejectedValueOnce(new Error('IndexedDB went away'));
    expect(await dispatch(msg('tab.status', { tabId: 3 }), POPUP)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'IndexedDB went away' },
    });
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('a thrown non-Error still answers (the popup must not wait forever)', async () => {
    const { dispatch, handlers } = setup();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    handlers['tab.status'].mockImplementationOnce(() => Promise.reject('quota'));
    expect(await dispatch(msg('tab.status', { tabId: 3 }), POPUP)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'quota' },
    });
  });

  it('the reply survives being sent between extension parts (plain JSON)', async () => {
    const { dispatch, handlers } = setup();
    handlers['session.start'].mockRejectedValueOnce(new ProtocolError('not-preserving'));
    const reply = await dispatch(msg('session.start', { tabId: 3 }), POPUP);
    expect(JSON.parse(JSON.stringify(reply))).toEqual(reply);
  });
});
