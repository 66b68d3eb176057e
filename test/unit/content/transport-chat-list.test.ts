import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CaptureTransport } from '../../../src/content/transport';
import { PROTOCOL_VERSION, type Hello } from '../../../src/core';
import { FakePort } from './fake-background';

function hello(sessionId: string | undefined): Hello {
  return {
    t: 'hello',
    v: PROTOCOL_VERSION,
    instance: 'a1b2c3d4',
    url: 'https://shop.example.com/live/556677',
    title: '好物直播间',
    adapter: 'generic',
    platform: 'web',
    ...(sessionId ? { sessionId } : {}),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const kinds = (port: FakePort) =>
  port.received.map((m) => (m as { t: string; state?: string }).state ?? (m as { t: string }).t);

describe('CaptureTransport: where the chat stands, and the picker', () => {
  it('says its chat-list state after ready, on each change, and again after every reconnect', () => {
    const ports: FakePort[] = [];
    const t = new CaptureTransport(
      {
        connect: () => {
          ports.push(new FakePort());
          return ports.at(-1)!;
        },
        hello,
      },
      'a1b2c3d4',
    );
    t.start();
    t.reportChatList('searching'); // before ready: kept, not sent
    expect(kinds(ports[0]!)).toEqual(['hello']);
    ports[0]!.reply({ t: 'ready', sessionId: '20261128-094000-3f9a2c1b' });
    expect(kinds(ports[0]!)).toEqual(['hello', 'searching']);
    t.reportChatList('searching');
    t.reportChatList('picked');
    expect(kinds(ports[0]!)).toEqual(['hello', 'searching', 'picked']);
    expect(ports[0]!.received.at(-1)).toEqual({ t: 'chat-list', state: 'picked' });

    // The worker restarted: the new Port hears it again (the background kept it only in memory).
    ports[0]!.drop();
    vi.advanceTimersByTime(0);
    ports[1]!.reply({ t: 'ready', sessionId: '20261128-094000-3f9a2c1b' });
    expect(kinds(ports[1]!)).toEqual(['hello', 'picked']);

    // A single-page navigation to another room: a new hello, and the state again after its ready.
    t.rehello();
    expect(kinds(ports[1]!)).toEqual(['hello', 'picked', 'hello']);
    ports[1]!.reply({ t: 'ready', sessionId: '20261128-094100-aaaaaaaa' });
    expect(kinds(ports[1]!)).toEqual(['hello', 'picked', 'hello', 'picked']);
  });

  it('passes the background’s "pick" and "forget-pick" on', () => {
    const port = new FakePort();
    const onPick = vi.fn();
    const onForgetPick = vi.fn();
    const t = new CaptureTransport({ connect: () => port, hello, onPick, onForgetPick }, 'a1b2c3d4');
    t.start();
    port.reply({ t: 'ready', sessionId: '20261128-094000-3f9a2c1b' });
    port.reply({ t: 'pick' });
    expect(onPick).toHaveBeenCalledOnce();
    port.reply({ t: 'forget-pick' });
    expect(onForgetPick).toHaveBeenCalledOnce();
  });
});
