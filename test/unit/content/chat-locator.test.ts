// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"enableIframePageLoading": true}}
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatLocator } from '../../../src/content/chat-locator';
import { BATCH_MS, type ObservedRow } from '../../../src/content/chat-observer';
import { chatPathOf, generic } from '../../../src/adapters/generic';
import type { ChatListState } from '../../../src/core/protocol';
import { loadDemoRoom } from '../adapters/demo-page';

/** MutationObserver callbacks run as a microtask; the rows they noted are read within `BATCH_MS`. */
const settle = () => new Promise((resolve) => setTimeout(resolve, BATCH_MS + 20));

const locators: ChatLocator[] = [];
function locate(adapter = generic) {
  const rows: ObservedRow[] = [];
  const states: ChatListState[] = [];
  const locator = new ChatLocator({
    adapter,
    onRow: (r) => rows.push(r),
    onState: (s) => states.push(s),
  });
  locators.push(locator);
  return { locator, rows, states, said: () => rows.map((r) => `${r.author}：${r.text}`) };
}

afterEach(() => {
  for (const l of locators.splice(0)) l.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

/** A row without any hint in its markup. */
function bareRow(doc: Document, author: string, text: string): HTMLElement {
  const li = doc.createElement('div');
  li.innerHTML = `<span>${author}：</span><span>${text}</span>`;
  return li;
}

describe('ChatLocator: a chat in a shadow root or a frame', () => {
  it('finds a hinted list in a shadow root and reports its rows, then new ones', async () => {
    document.body.innerHTML = '<main><live-chat-panel></live-chat-panel></main>';
    const root = document.querySelector('live-chat-panel')!.attachShadow({ mode: 'open' });
    root.innerHTML =
      '<ul class="chat-list" role="log"><li class="chat-item"><span class="user-name">小美：</span><span>欢迎</span></li></ul>';
    const { locator, said, states } = locate();
    locator.locate();
    expect(locator.element).toBe(root.querySelector('ul'));
    expect(states).toEqual(['found']);
    const li = document.createElement('li');
    li.className = 'chat-item';
    li.innerHTML = '<span class="user-name">阿强：</span><span>来了</span>';
    root.querySelector('ul')!.append(li);
    await settle();
    expect(said()).toEqual(['小美：欢迎', '阿强：来了']);
  });

  it('finds a list without hints in a shadow root by its growth', async () => {
    document.body.innerHTML = '<main id="app"></main>';
    const host = document.createElement('x-room');
    document.getElementById('app')!.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<div class="k2"><div class="zz"></div></div>';
    const { locator, said, states } = locate();
    locator.locate();
    expect(states).toEqual(['searching']);
    const list = root.querySelector('.zz')!;
    for (const [a, t] of [
      ['甲', '一'],
      ['乙', '二'],
      ['丙', '三'],
    ])
      list.append(bareRow(document, a!, t!));
    await settle();
    expect(locator.element).toBe(list);
    expect(states).toEqual(['searching', 'found']);
    list.append(bareRow(document, '丁', '四'));
    await settle();
    // The rows that showed it to be the list are the backlog; what comes after is read as it comes.
    expect(said()).toEqual(['甲：一', '乙：二', '丙：三', '丁：四']);
  });

  it('finds a list without hints in a same-origin frame by its growth', async () => {
    document.body.innerHTML = '<div class="player"></div><iframe></iframe>';
    const doc = document.querySelector('iframe')!.contentDocument!;
    doc.body.innerHTML = '<div class="k2"><div class="zz"></div></div>';
    const { locator, said } = locate();
    locator.locate();
    const list = doc.querySelector('.zz')!;
    for (const t of ['一', '二', '三', '四']) {
      list.append(bareRow(doc, '观众', t));
      await settle();
    }
    expect(locator.element).toBe(list);
    expect(said()).toEqual(['观众：一', '观众：二', '观众：三', '观众：四']);
  });
});

describe('ChatLocator: a virtualised list whose rows are rewritten in place', () => {
  it('takes the demo’s hint-less "shift" list and then keeps every message once', async () => {
    const room = loadDemoRoom('list=shift&bare=1&keep=10&burst=10');
    const list = document.querySelector('aside.side ul')!;
    expect(list.children).toHaveLength(10);
    const { locator, said, states } = locate();
    locator.locate();
    expect(states).toEqual(['searching']);
    room.emit(1);
    await settle();
    room.emit(1);
    await settle();
    expect(locator.element).toBe(list);
    expect(states).toEqual(['searching', 'found']);
    const before = room.emitted.length;
    for (let i = 0; i < 5; i++) {
      room.emit(1);
      await settle();
    }
    const line = (m: { author: string; text: string }) => `${m.author}：${m.text}`;
    // From the moment it was found: the ten rows shown then (backlog), then each new message once.
    expect(said()).toEqual(room.emitted.slice(before - 10).map(line));
  });
});

describe('ChatLocator: the area the user pointed at', () => {
  it('is used before the adapter’s own choice, and found again by its path', () => {
    const room = loadDemoRoom();
    room.emit(3);
    document.body.insertAdjacentHTML(
      'beforeend',
      '<section class="comments-extra"><p>甲：一</p><p>乙：二</p><p>丙：三</p></section>',
    );
    const chosen = document.querySelector('.comments-extra')!;
    const path = chatPathOf(chosen)!;

    const { locator, states, said } = locate();
    locator.setPickPath(path);
    locator.locate();
    expect(locator.element).toBe(chosen);
    expect(states).toEqual(['picked']);
    expect(said()).toEqual(['甲：一', '乙：二', '丙：三']);
    expect(room.chat).not.toBe(chosen);
  });

  it('takes over from the list found meanwhile once the remembered path is known', () => {
    const room = loadDemoRoom();
    room.emit(2);
    document.body.insertAdjacentHTML('beforeend', '<div class="side"><p>甲：一</p><p>乙：二</p></div>');
    const { locator, states } = locate();
    locator.locate();
    expect(locator.element).toBe(room.chat);
    locator.setPickPath(['div.side']);
    locator.locate();
    expect(locator.element).toBe(document.querySelector('.side'));
    expect(states).toEqual(['found', 'picked']);
  });

  it('usePicked switches to the list now; forgetPick goes back to the adapter’s choice', () => {
    const room = loadDemoRoom();
    room.emit(2);
    document.body.insertAdjacentHTML('beforeend', '<div class="side"><p>甲：一</p><p>乙：二</p></div>');
    const { locator, states } = locate();
    locator.locate();
    expect(locator.element).toBe(room.chat);
    const side = document.querySelector('.side')!;
    locator.usePicked(side, chatPathOf(side));
    expect(locator.element).toBe(side);
    locator.locate();
    expect(locator.element).toBe(side);
    locator.forgetPick();
    expect(locator.element).toBe(room.chat);
    expect(states).toEqual(['found', 'picked', 'found']);
  });

  it('falls back to searching when the remembered path finds nothing on this visit', () => {
    document.body.innerHTML = '<main><p>欢迎</p></main>';
    const { locator, states } = locate();
    locator.setPickPath(['aside.side > ul']);
    locator.locate();
    expect(locator.element).toBeNull();
    expect(states).toEqual(['searching']);
    document.body.insertAdjacentHTML('beforeend', '<aside class="side"><ul><li>甲：一</li></ul></aside>');
    locator.locate();
    expect(locator.element).toBe(document.querySelector('aside ul'));
    expect(states).toEqual(['searching', 'picked']);
  });
});
