// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatObserver, type ObservedRow } from '../../../src/content/chat-observer';
import { generic } from '../../../src/adapters/generic';
import { loadDemoRoom } from '../adapters/demo-page';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

type Say = (m: { author: string; text: string }) => void;

describe('ChatObserver: a list whose rows stay put while the text moves up', () => {
  it('keeps a new message that says what its row already showed (the same words, k messages later)', async () => {
    const room = loadDemoRoom('list=shift&keep=5&autostart=0');
    const say = (window as unknown as { __demo: { say: Say } }).__demo.say;
    for (const t of ['一', '二', '三', '四', '五']) say({ author: '甲', text: t });
    const seen: ObservedRow[] = [];
    const observer = new ChatObserver(generic, room.chat, (r) => seen.push(r));
    observer.start();
    // Two messages in one go: the rows now read 三 四 五 四 六, and the fourth row read 四 before.
    say({ author: '甲', text: '四' });
    say({ author: '甲', text: '六' });
    await settle();
    say({ author: '甲', text: '七' });
    await settle();
    observer.stop();
    expect(seen.map((r) => r.text)).toEqual(['一', '二', '三', '四', '五', '四', '六', '七']);
  });
});

describe('ChatObserver: the newest message says what the last row showed before', () => {
  it('keeps every message in order when the last row is left as it was', async () => {
    const room = loadDemoRoom('list=shift&keep=5&autostart=0');
    const say = (window as unknown as { __demo: { say: Say } }).__demo.say;
    for (const t of ['一', '二', '三', '四', '五']) say({ author: '甲', text: t });
    const seen: ObservedRow[] = [];
    const observer = new ChatObserver(generic, room.chat, (r) => seen.push(r));
    observer.start();
    // Three at once: the rows now read 四 五 六 七 五, and the last row read 五 before.
    say({ author: '甲', text: '六' });
    say({ author: '甲', text: '七' });
    say({ author: '甲', text: '五' });
    await settle();
    say({ author: '甲', text: '八' });
    await settle();
    observer.stop();
    expect(seen.map((r) => r.text)).toEqual(['一', '二', '三', '四', '五', '六', '七', '五', '八']);
  });

  it('a bottom row that never changes takes no part in the shift', async () => {
    const room = loadDemoRoom('list=shift&keep=5&autostart=0');
    const say = (window as unknown as { __demo: { say: Say } }).__demo.say;
    for (const t of ['一', '二', '三', '四', '五']) say({ author: '甲', text: t });
    const typing = document.createElement('li');
    typing.textContent = '有人正在输入…';
    const seen: ObservedRow[] = [];
    const observer = new ChatObserver(generic, room.chat, (r) => seen.push(r));
    observer.start();
    room.chat.append(typing);
    await settle();
    // The demo rewrites every row but the one it did not make.
    const rows = [...room.chat.children].slice(0, 5) as (HTMLElement & { __msg?: unknown })[];
    const texts = ['三', '四', '五', '六', '七'];
    rows.forEach((row, i) => (row.querySelector('.chat-text')!.textContent = texts[i]!));
    await settle();
    observer.stop();
    expect(seen.map((r) => r.text)).toEqual(['一', '二', '三', '四', '五', '有人正在输入…', '六', '七']);
  });
});

describe('ChatObserver: several messages between two looks, as on a busy or slow page', () => {
  it.each([
    ['filling up, then moving', 0],
    ['already full', 30],
  ])(
    'a list whose rows stay put, %s: every message once, in order',
    async (_, burst) => {
      for (let seed = 1; seed <= 8; seed++) {
        document.body.innerHTML = '';
        const room = loadDemoRoom(`list=shift&keep=30&seed=${seed}&autostart=0&burst=${burst}`);
        const seen: ObservedRow[] = [];
        const observer = new ChatObserver(generic, room.chat, (r) => seen.push(r));
        observer.start();
        let x = seed * 7919;
        for (let batch = 0; batch < 80; batch++) {
          x = (x * 1103515245 + 12345) & 0x7fffffff;
          room.emit(1 + (x % 6)); // one to six messages before the observer looks
          await settle();
        }
        observer.stop();
        const line = (m: { author: string; text: string }) => `${m.author}：${m.text}`;
        expect(seen.map(line), `seed ${seed}`).toEqual(room.emitted.map(line));
      }
      // Eight seeded rooms of 80 batches each: seconds on a quiet machine, more on a busy one.
    },
    60_000,
  );
});

describe('ChatObserver: a recycling list that goes round more than once between two looks', () => {
  it.each([
    ['one round at most', 30],
    ['up to three rounds', 90],
  ])(
    '%s: every message once, in order',
    async (_, most) => {
      for (let seed = 1; seed <= 6; seed++) {
        document.body.innerHTML = '';
        const room = loadDemoRoom(`list=recycle&keep=30&seed=${seed}&autostart=0`);
        const seen: ObservedRow[] = [];
        const observer = new ChatObserver(generic, room.chat, (r) => seen.push(r));
        observer.start();
        let x = seed * 104729;
        for (let batch = 0; batch < 40; batch++) {
          x = (x * 1103515245 + 12345) & 0x7fffffff;
          room.emit(1 + (x % most)); // a stalled page shows many messages before the observer looks
          await settle();
        }
        observer.stop();
        // The host's own messages stay the host's, recovered ones included.
        const line = (m: { author: string; text: string; kind: string }) =>
          `${m.kind} ${m.author}：${m.text}`;
        expect(seen.map(line), `seed ${seed}`).toEqual(room.emitted.map(line));
      }
    },
    60_000,
  );
});

describe('ChatObserver: a list whose text moves up, overrun between two looks', () => {
  it('loses what no one could read, but never reports a message twice', async () => {
    const room = loadDemoRoom('list=shift&keep=30&seed=5&autostart=0&burst=30');
    const seen: ObservedRow[] = [];
    const observer = new ChatObserver(generic, room.chat, (r) => seen.push(r));
    observer.start();
    for (const k of [3, 45, 2, 70, 5, 31, 1, 60]) {
      room.emit(k);
      await settle();
    }
    observer.stop();
    const line = (m: { author: string; text: string }) => `${m.author}：${m.text}`;
    const count = (lines: string[]) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map());
    const shown = count(room.emitted.map(line));
    for (const [l, n] of count(seen.map(line))) expect(n, l).toBeLessThanOrEqual(shown.get(l) ?? 0);
  }, 60_000);
});
