import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CaptureTransport, type Draft, type TransportOptions } from '../../../src/content/transport';
import { PROTOCOL_VERSION, type ContentDraft, type Hello } from '../../../src/core';
import { CHAT_BACKLOG, CHAT_HOST, CHAT_TRUNCATED } from '../../../src/core/protocol';
import { FakeBackground } from './fake-background';

const FLUSH_MS = 100;
const NACK_RETRY_MS = 2000;

function message(text: string): Draft {
  return { type: 'chat', time: '2026-11-28T09:40:00.000Z', data: { author: '王大妈', text, kind: 'chat' } };
}

function hello(sessionId: string | undefined): Hello {
  return {
    t: 'hello',
    v: PROTOCOL_VERSION,
    instance: 'a1b2c3d4',
    url: 'https://live.douyin.com/880123456',
    title: '小美优选直播间',
    adapter: 'generic',
    platform: 'douyin',
    ...(sessionId ? { sessionId } : {}),
  };
}

function transport(bg: FakeBackground, opts: Partial<TransportOptions> = {}): CaptureTransport {
  return new CaptureTransport(
    { connect: bg.connect, hello, flushMs: FLUSH_MS, maxBatch: 4, ...opts },
    'a1b2c3d4',
  );
}

const texts = (bg: FakeBackground) => bg.stored.map((e) => (e.type === 'chat' ? e.data.text : e.type));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CaptureTransport: every message reaches the background exactly once', () => {
  it('survives the worker dying twice mid-stream, losing batches it had received and some it had stored', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    const said: string[] = [];
    const say = (n: number) => {
      for (let i = 0; i < n; i++) {
        const text = `消息 ${said.length}`;
        said.push(text);
        t.push(message(text));
      }
      vi.advanceTimersByTime(FLUSH_MS);
    };

    say(5); // batches of 4 + 1
    bg.serve();
    say(6); // 4 + 2, received by the worker, which then dies: the first stored but not acked, the second lost
    bg.die({ storedFirst: 1 });
    say(3); // pushed while nobody listens
    vi.advanceTimersByTime(0); // reconnect
    bg.serve({ ack: false }); // ready, then the resent batches are stored but not acked …
    say(2);
    bg.die(); // … and the worker dies again with the newest batch unhandled
    vi.advanceTimersByTime(0);
    bg.serve();
    say(4);
    bg.serve();

    expect(bg.ports).toHaveLength(3);
    expect(texts(bg)).toEqual(said);
    expect(bg.duplicatesDropped).toBeGreaterThan(0);
    expect(t.pendingEvents).toBe(0);
    expect(t.stats).toMatchObject({ queued: 20, reconnects: 2 });
    // Every event was confirmed: stored by this send, or found already stored by an earlier one.
    expect(t.stats.acked + t.stats.duplicates).toBe(20);
  });

  it('resends the unacknowledged batches in order once the background is ready again', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    for (let i = 0; i < 12; i++) t.push(message(`m${i}`)); // batches 0, 1, 2
    const [b0, b1, b2] = bg.port.batches;
    bg.port.reply({ t: 'ack', id: 1, stored: 4, duplicates: 0 });
    bg.port.drop();

    vi.advanceTimersByTime(0);
    const second = bg.port;
    expect(bg.ports).toHaveLength(2);
    expect(second.batches).toEqual([]); // nothing before `ready`
    second.reply({ t: 'ready', sessionId: bg.sessionId });

    expect(second.batches).toEqual([b0, b2]);
    expect(b1).toBeDefined();
  });

  it('a message pushed while reconnecting is delivered after the older unacknowledged ones', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    for (let i = 0; i < 4; i++) t.push(message(`old ${i}`));
    bg.die(); // the batch is lost with the worker
    vi.advanceTimersByTime(0); // reconnected, `ready` not yet received
    for (let i = 0; i < 4; i++) t.push(message(`new ${i}`));
    expect(bg.port.batches).toEqual([]);

    bg.serve();

    expect(texts(bg)).toEqual(['old 0', 'old 1', 'old 2', 'old 3', 'new 0', 'new 1', 'new 2', 'new 3']);
  });

  it('tells the background which session it was writing to when it reconnects', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    expect(bg.port.hellos[0]!.sessionId).toBeUndefined();
    bg.serve();
    bg.die();
    vi.advanceTimersByTime(0);
    expect(bg.port.hellos[0]!.sessionId).toBe(bg.sessionId);
  });

  it('keeps what was pushed before the first `ready` and sends it once ready', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    t.push(message('early'));
    t.flush();
    expect(bg.port.batches).toEqual([]);
    bg.serve();
    expect(texts(bg)).toEqual(['early']);
  });

  it('a send that throws because the worker just went away reconnects and resends', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    bg.port.open = false; // gone, but onDisconnect has not fired yet
    t.push(message('in the gap'));
    t.flush();
    vi.advanceTimersByTime(0);
    bg.serve();
    expect(texts(bg)).toEqual(['in the gap']);
    expect(t.pendingEvents).toBe(0);
  });

  it('backs off when the worker keeps going away before it is ready', () => {
    const bg = new FakeBackground();
    transport(bg).start();
    bg.port.drop();
    vi.advanceTimersByTime(0);
    expect(bg.ports).toHaveLength(2);
    bg.port.drop();
    vi.advanceTimersByTime(49);
    expect(bg.ports).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(bg.ports).toHaveLength(3);
    bg.port.drop();
    vi.advanceTimersByTime(199);
    expect(bg.ports).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(bg.ports).toHaveLength(4);
  });
});

describe('CaptureTransport: batching', () => {
  it('waits flushMs before sending a small batch', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    t.push(message('one'));
    t.push(message('two'));
    vi.advanceTimersByTime(FLUSH_MS - 1);
    expect(bg.port.batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(bg.port.batches.map((b) => b.events.length)).toEqual([2]);
  });

  it('sends a full batch at once', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    for (let i = 0; i < 4; i++) t.push(message(`m${i}`));
    expect(bg.port.batches.map((b) => b.events.length)).toEqual([4]);
  });

  it('flush() (what pagehide calls) sends at once, without waiting for the timer, and only once', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    t.push(message('before the page goes away'));
    t.flush();
    expect(bg.port.batches).toHaveLength(1);
    vi.advanceTimersByTime(FLUSH_MS * 10);
    expect(bg.port.batches).toHaveLength(1);
  });

  it('flushNow() (what pagehide calls) right after the worker died: reopens at once, posts hello then the batches, ready or not', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    for (let i = 0; i < 6; i++) t.push(message(`shown ${i}`)); // one full batch sent, two waiting
    bg.die(); // the worker is stopped; the Port would be reopened after the back-off
    t.flushNow(); // and the page goes away at once
    expect(bg.ports).toHaveLength(2);
    const last = bg.port;
    expect(last.received.map((m) => (m as { t: string }).t)).toEqual(['hello', 'batch', 'batch']);
    expect(last.hellos[0]!.sessionId).toBe(bg.sessionId);
    vi.advanceTimersByTime(10_000); // the page is gone: no timer opens another Port
    expect(bg.ports).toHaveLength(2);
    bg.serve(); // the worker starts, reads the Port in order and stores both batches
    expect(texts(bg)).toEqual(['shown 0', 'shown 1', 'shown 2', 'shown 3', 'shown 4', 'shown 5']);
  });

  it('gives every event a key of its own that starts with the instance id', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    for (let i = 0; i < 6; i++) t.push(message(`m${i}`));
    t.flush();
    const keys = bg.port.batches.flatMap((b) => b.events.map((e) => (e as { key: string }).key));
    expect(new Set(keys).size).toBe(6);
    expect(keys.every((k) => k.startsWith('a1b2c3d4:'))).toBe(true);
  });
});

describe('CaptureTransport: the background says no', () => {
  it('`nack` keeps the batch and sends it again later', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    t.push(message('disk was full'));
    t.flush();
    const [batch] = bg.port.batches;
    bg.port.handled = bg.port.received.length;
    bg.port.reply({ t: 'nack', id: batch!.id, code: 'storage-full' });

    vi.advanceTimersByTime(NACK_RETRY_MS - 1);
    expect(bg.port.batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(bg.port.batches).toEqual([batch, batch]);
    bg.serve();
    expect(texts(bg)).toEqual(['disk was full']);
    expect(t.pendingEvents).toBe(0);
    expect(t.stats.nacks).toBe(1);
  });

  it('`refused` stops preservation and says why', () => {
    const bg = new FakeBackground();
    const onStopped = vi.fn();
    const t = transport(bg, { onStopped });
    t.start();
    bg.port.reply({ t: 'refused', code: 'not-preserving' });

    expect(onStopped).toHaveBeenCalledWith('not-preserving');
    expect(bg.port.open).toBe(false);
    t.push(message('ignored'));
    vi.advanceTimersByTime(10_000);
    expect(bg.ports).toHaveLength(1);
    expect(bg.port.batches).toEqual([]);
    expect(t.pendingEvents).toBe(0);
  });

  it('`stop` (the user pressed stop) stops without reconnecting', () => {
    const bg = new FakeBackground();
    const onStopped = vi.fn();
    const t = transport(bg, { onStopped });
    t.start();
    bg.serve();
    bg.port.reply({ t: 'stop' });
    bg.port.drop();
    vi.advanceTimersByTime(10_000);
    expect(onStopped).toHaveBeenCalledWith('stopped');
    expect(bg.ports).toHaveLength(1);
  });

  it('stops quietly when the extension context is invalidated (connect throws)', () => {
    const bg = new FakeBackground();
    bg.invalidated = true;
    const onStopped = vi.fn();
    const t = transport(bg, { onStopped });
    expect(() => t.start()).not.toThrow();
    expect(onStopped).toHaveBeenCalledWith('context-invalidated');
    t.push(message('ignored'));
    expect(t.pendingEvents).toBe(0);
  });

  it('stops quietly when the extension was reloaded while the page stayed open', () => {
    const bg = new FakeBackground();
    const onStopped = vi.fn();
    const t = transport(bg, { onStopped });
    t.start();
    bg.serve();
    bg.invalidated = true;
    bg.port.drop();
    expect(() => vi.advanceTimersByTime(10_000)).not.toThrow();
    expect(onStopped).toHaveBeenCalledWith('context-invalidated');
    expect(bg.ports).toHaveLength(1);
  });
});

describe('CaptureTransport: chat messages in short', () => {
  const T = Date.parse('2026-11-28T09:40:00.000Z');

  it('sends chat lines with times counted from the batch’s earliest, and the background stores the same drafts as in full', () => {
    const bg = new FakeBackground();
    const t = transport(bg);
    t.start();
    bg.serve();
    t.pushChat('王大妈', '多少钱', 0, T + 40);
    t.push(message('in full'));
    t.pushChat('小美优选', '3号链接', CHAT_HOST | CHAT_BACKLOG, T + 25, 'm-1');
    t.flush();
    bg.serve();
    const [batch] = bg.port.batches;
    expect(batch!.t0).toBe(T + 25);
    expect(batch!.events[0]).toEqual(['王大妈', '多少钱', 0, 15, 0]);
    expect(batch!.events[2]).toEqual(['小美优选', '3号链接', 3, 0, 2, 'm-1']);
    expect(bg.stored).toEqual([
      {
        key: 'a1b2c3d4:0',
        type: 'chat',
        time: '2026-11-28T09:40:00.040Z',
        data: { author: '王大妈', text: '多少钱', kind: 'chat' },
      },
      { ...message('in full'), key: 'a1b2c3d4:1' },
      {
        key: 'a1b2c3d4:2',
        type: 'chat',
        time: '2026-11-28T09:40:00.025Z',
        data: { author: '小美优选', text: '3号链接', kind: 'host', id: 'm-1', backlog: true },
      },
    ]);
  });

  it('a page going away with no Port leaves its chat lines as full drafts for the background', () => {
    const bg = new FakeBackground();
    const stashed: ContentDraft[][] = [];
    const t = transport(bg, { stash: (_, events) => stashed.push(events) });
    t.start();
    bg.serve();
    t.pushChat('王大妈', '还有货吗', CHAT_TRUNCATED, T + 1);
    bg.die();
    t.flushNow();
    expect(stashed).toEqual([
      [
        {
          key: 'a1b2c3d4:0',
          type: 'chat',
          time: '2026-11-28T09:40:00.001Z',
          data: { author: '王大妈', text: '还有货吗', kind: 'chat', truncated: true },
        },
      ],
    ]);
  });
});
