// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH_MS, ChatObserver, type ObservedRow } from '../../../src/content/chat-observer';
import { generic } from '../../../src/adapters/generic';
import { loadDemoRoom, type DemoRoom } from '../adapters/demo-page';

/** MutationObserver callbacks run as a microtask; a macrotask later they have all run. */
const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0));
/** The page's batch is over and the observer has read it (as its timer would, `BATCH_MS` later). */
const settle = async () => {
  await macrotask();
  for (const o of observers) o.flush();
};

const observers: ChatObserver[] = [];
function observe(list: Element): ObservedRow[] {
  const seen: ObservedRow[] = [];
  const observer = new ChatObserver(generic, list, (row) => seen.push(row));
  observers.push(observer);
  observer.start();
  return seen;
}

afterEach(() => {
  for (const o of observers.splice(0)) o.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

const said = (room: DemoRoom, from = 0) => room.emitted.slice(from);
const plain = (rows: ObservedRow[]) => rows.map(({ author, text, kind }) => ({ author, text, kind }));

describe('ChatObserver on the demo live room', () => {
  it('reports the messages already on screen as backlog', () => {
    const room = loadDemoRoom();
    room.emit(4);
    const seen = observe(room.chat);
    expect(plain(seen)).toEqual(said(room));
    expect(seen.every((r) => r.backlog)).toBe(true);
  });

  it('reports each new message once, in order, as not backlog', async () => {
    const room = loadDemoRoom();
    room.emit(2);
    const seen = observe(room.chat);
    room.emit(3);
    await settle();
    room.emit(1);
    await settle();
    room.emit(5);
    await settle();

    expect(plain(seen)).toEqual(said(room));
    expect(seen.map((r) => r.backlog)).toEqual([true, true, ...Array<boolean>(9).fill(false)]);
  });

  it('reports nothing for rows the room removes from the top', async () => {
    const room = loadDemoRoom('keep=5');
    room.emit(5);
    const seen = observe(room.chat);
    for (let i = 0; i < 6; i++) {
      room.emit(4);
      await settle();
    }
    expect(room.chat.children).toHaveLength(5);
    expect(plain(seen)).toEqual(said(room));
    expect(seen).toHaveLength(29);
  });

  it('reports a row whose text is rewritten in place once more, with the new text', async () => {
    const room = loadDemoRoom();
    room.emit(3);
    const seen = observe(room.chat);
    const row = room.chat.children[1]!;

    row.querySelector('.user-name')!.textContent = '福利小助手：';
    row.querySelector('.chat-text')!.textContent = '想要的私聊我，给你内部价';
    await settle();

    expect(seen).toHaveLength(4);
    expect(seen[3]).toEqual({
      author: '福利小助手',
      text: '想要的私聊我，给你内部价',
      kind: 'chat',
      backlog: false,
      seenAt: expect.any(Number),
    });
  });

  it('does not report a row again when only its badge or nothing readable changed', async () => {
    const room = loadDemoRoom();
    room.emit(3);
    const seen = observe(room.chat);
    const row = room.chat.children[0]!;

    row.querySelector('.user-badge')!.textContent = 'Lv30';
    const text = row.querySelector('.chat-text')!;
    text.replaceChildren(...[...text.childNodes].map((n) => n.cloneNode(true)));
    await settle();

    expect(seen).toHaveLength(3);
  });

  it('stops reporting after stop()', async () => {
    const room = loadDemoRoom();
    const seen = observe(room.chat);
    observers[0]!.stop();
    room.emit(3);
    await settle();
    expect(seen).toEqual([]);
  });

  it('says when its list was taken off the page, so the caller looks for the chat again', () => {
    const room = loadDemoRoom();
    observe(room.chat);
    expect(observers[0]!.detached).toBe(false);
    room.chat.remove();
    expect(observers[0]!.detached).toBe(true);
  });
});

describe('ChatObserver on a recycling (virtualised) list', () => {
  function virtualList(size: number): HTMLElement {
    document.body.innerHTML = '<div class="chat-scroller"></div>';
    const list = document.body.firstElementChild as HTMLElement;
    for (let i = 0; i < size; i++)
      list.insertAdjacentHTML(
        'beforeend',
        `<div class="chat-row"><span class="nickname">观众${i}：</span><span class="content">第 ${i} 条</span></div>`,
      );
    return list;
  }

  /** Shows message `n` in slot `n % size`, as a virtualised list reuses its row elements. */
  function recycle(list: HTMLElement, n: number): void {
    const slot = list.children[n % list.children.length]!;
    slot.querySelector('.nickname')!.textContent = `观众${n}：`;
    (slot.querySelector('.content')!.firstChild as Text).nodeValue = `第 ${n} 条`;
  }

  it('reports every message shown in recycled rows exactly once', async () => {
    const list = virtualList(4);
    const seen = observe(list);
    for (let n = 4; n < 14; n++) {
      recycle(list, n);
      if (n % 3 === 0) await settle(); // several rewrites may land in one mutation tick
    }
    await settle();
    expect(seen.map((r) => r.text)).toEqual(Array.from({ length: 14 }, (_, n) => `第 ${n} 条`));
    expect(seen.map((r) => r.author)).toEqual(Array.from({ length: 14 }, (_, n) => `观众${n}`));
  });

  it('notices a message whose text node alone is rewritten (same viewer, new message)', async () => {
    const list = virtualList(2);
    const seen = observe(list);
    (list.children[0]!.querySelector('.content')!.firstChild as Text).nodeValue = '扣1';
    await settle();
    expect(plain(seen.slice(2))).toEqual([{ author: '观众0', text: '扣1', kind: 'chat' }]);
  });

  /** Rows keep their place and show messages `from`…`from + size - 1`, top to bottom. */
  function showFrom(list: HTMLElement, from: number): void {
    [...list.children].forEach((slot, i) => {
      slot.querySelector('.nickname')!.textContent = `观众${from + i}：`;
      (slot.querySelector('.content')!.firstChild as Text).nodeValue = `第 ${from + i} 条`;
    });
  }

  it('a list whose rows stay put while every row’s text moves up: each message once', async () => {
    const list = virtualList(4);
    const seen = observe(list);
    for (let from = 1; from <= 10; from++) {
      showFrom(list, from);
      if (from % 3 === 0) await settle(); // several moves may land in one batch
    }
    await settle();
    expect(seen.map((r) => r.text)).toEqual(Array.from({ length: 14 }, (_, n) => `第 ${n} 条`));
  });

  it('a viewer who says the same thing twice is kept twice, even in a list that moves its text', async () => {
    const list = virtualList(3);
    const seen = observe(list);
    const say = (i: number, name: string, text: string) => {
      const slot = list.children[i]!;
      slot.querySelector('.nickname')!.textContent = `${name}：`;
      (slot.querySelector('.content')!.firstChild as Text).nodeValue = text;
    };
    // The rows show 0, 1, 2; then 1, 2, "666"; then 2, "666", "666".
    say(0, '观众1', '第 1 条');
    say(1, '观众2', '第 2 条');
    say(2, '阿强', '666');
    await settle();
    say(0, '观众2', '第 2 条');
    say(1, '阿强', '666');
    say(2, '阿强', '666');
    await settle();
    expect(seen.map((r) => r.text)).toEqual(['第 0 条', '第 1 条', '第 2 条', '666', '666']);
  });

  it('a list that moves its text up keeps every message when two equal ones sit side by side', async () => {
    const list = virtualList(4);
    const seen = observe(list);
    const shown = ['第 0 条', '第 1 条', '第 2 条', '第 3 条'];
    const texts = ['扣1', '扣1', '第 6 条', '扣1', '扣1', '第 9 条'];
    for (const text of texts) {
      shown.push(text);
      shown.slice(-4).forEach((t, i) => {
        list.children[i]!.querySelector('.nickname')!.textContent =
          `${t.startsWith('扣') ? '阿强' : `观众${/\d+/.exec(t)![0]}`}：`;
        (list.children[i]!.querySelector('.content')!.firstChild as Text).nodeValue = t;
      });
      await settle();
    }
    expect(seen.map((r) => r.text)).toEqual(shown);
  });

  it('does not report old messages again when the list scrolls back', async () => {
    const list = virtualList(4);
    const seen = observe(list);
    for (let from = 1; from <= 8; from++) {
      showFrom(list, from);
      await settle();
    }
    for (let from = 7; from >= 3; from--) {
      showFrom(list, from); // the viewer scrolls up: every row shows the message above it
      await settle();
    }
    for (let from = 4; from <= 10; from++) {
      showFrom(list, from); // and back down, on to new messages
      await settle();
    }
    expect(seen.map((r) => r.text)).toEqual(Array.from({ length: 14 }, (_, n) => `第 ${n} 条`));
  });

  it('does not report old messages put back above the shown rows', async () => {
    const list = virtualList(3);
    const seen = observe(list);
    const first = list.firstElementChild!;
    first.remove();
    await settle();
    list.prepend(first.cloneNode(true));
    await settle();
    const append = (text: string) =>
      list.insertAdjacentHTML(
        'beforeend',
        `<div><span class="nickname">观众0：</span><span>${text}</span></div>`,
      );
    append('第 3 条');
    await settle();
    append('第 0 条');
    await settle();
    // The prepended copy is an old message; once a new one arrives at the bottom, a viewer repeating
    // an earlier message is kept again.
    expect(seen.map((r) => r.text)).toEqual(['第 0 条', '第 1 条', '第 2 条', '第 3 条', '第 0 条']);
  });

  it('reports a message with a platform id once, wherever it is shown again', async () => {
    const withId: typeof generic = {
      ...generic,
      parseRow: (row) => {
        const r = generic.parseRow(row);
        const id = row.getAttribute('data-id');
        return r && id ? { ...r, id } : r;
      },
    };
    document.body.innerHTML = '<div class="chat"></div>';
    const list = document.body.firstElementChild!;
    const seen: ObservedRow[] = [];
    const o = new ChatObserver(withId, list, (r) => seen.push(r));
    observers.push(o);
    o.start();
    const row = (id: string, text: string) =>
      `<div data-id="${id}"><span class="nickname">阿强：</span><span>${text}</span></div>`;
    list.insertAdjacentHTML('beforeend', row('m1', '666') + row('m2', '666'));
    await settle();
    list.insertAdjacentHTML('beforeend', row('m1', '666'));
    await settle();
    expect(seen.map((r) => r.id)).toEqual(['m1', 'm2']);
  });

  it('reads a row that appears empty and is filled in a moment later, once', async () => {
    const list = virtualList(0);
    const seen = observe(list);
    const row = document.createElement('div');
    list.append(row);
    await settle();
    expect(seen).toEqual([]);
    row.innerHTML = '<span class="nickname">夜猫子：</span><span>有没有检测报告</span>';
    await settle();
    row.append(''); // an empty text node: nothing readable changed
    await settle();
    expect(plain(seen)).toEqual([{ author: '夜猫子', text: '有没有检测报告', kind: 'chat' }]);
  });
});

describe('ChatObserver reads rows in batches, not in every callback', () => {
  /** An observer that reads on its own timer (no `flush` between the page's tasks). */
  function observeBatched(list: Element, now?: () => number): ObservedRow[] {
    const seen: ObservedRow[] = [];
    const observer = new ChatObserver(generic, list, (row) => seen.push(row), now ? { now } : {});
    observers.push(observer);
    observer.start();
    return seen;
  }
  const afterBatch = () => new Promise((resolve) => setTimeout(resolve, BATCH_MS + 30));

  it('reads messages appended over several page tasks together, each once, in order, stamped when it was shown', async () => {
    const room = loadDemoRoom();
    room.emit(2);
    let clock = 1_000_000;
    const seen = observeBatched(room.chat, () => clock);
    const shownAt: number[] = [];
    for (const k of [1, 3, 2]) {
      clock += 7;
      room.emit(k);
      for (let i = 0; i < k; i++) shownAt.push(clock);
      await macrotask();
    }
    // Noted, not read yet: the callbacks only take down what changed.
    expect(seen).toHaveLength(2);
    await afterBatch();
    expect(plain(seen)).toEqual(said(room));
    expect(seen.slice(2).map((r) => r.seenAt)).toEqual(shownAt);
    expect(seen.slice(2).every((r) => !r.backlog)).toBe(true);
  });

  it('a recycling list that refills a row twice inside one batch gives both messages', async () => {
    const room = loadDemoRoom('list=recycle&keep=3&autostart=0&burst=0');
    room.emit(3);
    const seen = observeBatched(room.chat);
    // Rows go round every three messages: the first row is moved down and refilled at the 4th and
    // again at the 7th message, one page task apart.
    for (let i = 0; i < 5; i++) {
      room.emit(1);
      await macrotask();
    }
    await afterBatch();
    const line = (m: { author: string; text: string; kind: string }) => `${m.kind} ${m.author}：${m.text}`;
    expect(seen.map(line)).toEqual(room.emitted.map(line));
  });

  it('reads a row the page takes out again before the batch is read', async () => {
    const room = loadDemoRoom('keep=2&autostart=0&burst=0');
    const seen = observeBatched(room.chat);
    for (let i = 0; i < 6; i++) {
      room.emit(1); // each new row pushes the oldest of two out
      await macrotask();
    }
    await afterBatch();
    expect(room.chat.children).toHaveLength(2);
    expect(plain(seen)).toEqual(said(room));
  });

  it('flush reads what waits at once (the page is going away)', async () => {
    const room = loadDemoRoom();
    const seen = observeBatched(room.chat);
    const before = seen.length;
    room.emit(4);
    await macrotask();
    expect(seen).toHaveLength(before);
    observers.at(-1)!.flush();
    expect(plain(seen)).toEqual(said(room));
  });
});
