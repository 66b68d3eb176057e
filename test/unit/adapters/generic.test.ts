// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findChatList, generic, GrowthWatcher, isRowLike, parseRow } from '../../../src/adapters/generic';
import { loadDemoRoom, type DemoRoom } from './demo-page';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

/** The demo's chat rows, as the page built them. */
const rows = (room: DemoRoom) => [...room.chat.children];

/** Emits one message at a time until `pick` accepts one; returns its row. */
function emitUntil(room: DemoRoom, pick: (m: DemoRoom['emitted'][number]) => boolean): HTMLElement {
  for (let i = 0; i < 200; i++) {
    room.emit(1);
    if (pick(room.emitted[room.emitted.length - 1]!)) return room.chat.lastElementChild as HTMLElement;
  }
  throw new Error('the demo never showed such a message');
}

function html(markup: string): void {
  document.body.innerHTML = markup;
}

describe('generic adapter on the demo live room', () => {
  it('finds the chat list #chat', () => {
    const room = loadDemoRoom();
    room.emit(8);
    expect(findChatList(document)).toBe(room.chat);
  });

  it('finds #chat before the first message arrives', () => {
    const room = loadDemoRoom();
    expect(findChatList(document)).toBe(room.chat);
  });

  it('reads every message the room shows as the room said it: author, text and host or viewer', () => {
    const room = loadDemoRoom();
    room.emit(60);
    expect(rows(room).map((row) => parseRow(row))).toEqual(room.emitted);
    expect(room.emitted.some((m) => m.kind === 'host')).toBe(true);
  });

  it('drops the trailing "：" from the nickname and leaves the level badge out of the text', () => {
    const room = loadDemoRoom();
    const row = emitUntil(room, (m) => m.kind === 'chat');
    const { author, text } = room.emitted[room.emitted.length - 1]!;

    expect(row.querySelector('.user-name')!.textContent).toBe(`${author}：`);
    expect(row.querySelector('.user-badge')!.textContent).toMatch(/^Lv\d+$/);
    expect(parseRow(row)).toEqual({ author, text, kind: 'chat' });
  });

  it('keeps an emoji picture as its alt text [赞]', () => {
    const room = loadDemoRoom();
    const row = emitUntil(room, (m) => m.text.includes('[赞]'));
    expect(row.querySelector('img')!.getAttribute('alt')).toBe('[赞]');
    expect(parseRow(row)!.text).toMatch(/\[赞\]$/);
  });

  it('recognises the host’s own messages (is-host row, 主播 badge)', () => {
    const room = loadDemoRoom();
    const row = emitUntil(room, (m) => m.kind === 'host');
    expect(row.classList.contains('is-host')).toBe(true);
    expect(parseRow(row)).toMatchObject({ author: '小美优选', kind: 'host' });
    expect(parseRow(row)!.text).not.toContain('主播');
  });

  it('reads a row built like the demo’s with an exact Lv12 badge', () => {
    html(
      `<ul id="chat"><li class="chat-item"><span class="user-badge">Lv12</span><span class="user-name">阿珍爱吃鱼：</span><span class="chat-text">主播好美<img alt="[赞]" src="data:,"></span></li></ul>`,
    );
    expect(parseRow(document.querySelector('li')!)).toEqual({
      author: '阿珍爱吃鱼',
      text: '主播好美[赞]',
      kind: 'chat',
    });
  });

  it('is the adapter of last resort: no URL patterns, serves any page', () => {
    expect(generic.id).toBe('generic');
    expect(generic.matches).toEqual([]);
  });
});

describe('generic parseRow on other markup', () => {
  const row = (markup: string) => {
    html(`<div class="comment-list">${markup}</div>`);
    return parseRow(document.querySelector('.comment-list')!.firstElementChild!);
  };

  it('takes the author from a "名字：" prefix when no element names it', () => {
    expect(row('<div>小美：今天全场包邮</div>')).toEqual({
      author: '小美',
      text: '今天全场包邮',
      kind: 'chat',
    });
    expect(row('<div>Ann: is it real?</div>')).toEqual({ author: 'Ann', text: 'is it real?', kind: 'chat' });
  });

  it('keeps a colon inside the message text', () => {
    expect(row('<div><b class="nick">王大妈</b>：价格：99 元</div>')).toEqual({
      author: '王大妈',
      text: '价格：99 元',
      kind: 'chat',
    });
  });

  it('reads a row without any author as text only', () => {
    expect(row('<div>欢迎来到直播间</div>')).toEqual({ author: '', text: '欢迎来到直播间', kind: 'chat' });
  });

  it('leaves level, medal and tag badges out of both author and text', () => {
    expect(
      row(
        '<div><span class="fans-medal">燕窝团 8</span><span class="uname">七月</span><i class="level-icon">Lv3</i><span>已拍</span></div>',
      ),
    ).toEqual({ author: '七月', text: '已拍', kind: 'chat' });
  });

  it('recognises a host row by its 主播 badge alone', () => {
    expect(
      row('<div><span class="badge">主播</span><span class="name">小美优选</span>上链接了</div>'),
    ).toEqual({
      author: '小美优选',
      text: '上链接了',
      kind: 'host',
    });
  });

  it('gives null for placeholder and empty rows', () => {
    expect(row('<div></div>')).toBeNull();
    expect(row('<div>   \n  </div>')).toBeNull();
    expect(row('<div><span class="user-badge">Lv3</span></div>')).toBeNull();
    expect(row('<div><img src="data:,"></div>')).toBeNull();
    expect(row('<div><span aria-hidden="true">•••</span></div>')).toBeNull();
  });
});

describe('generic findChatList', () => {
  const NAV = `<nav class="site-nav"><ul>
      <li><a href="/">首页</a></li><li><a href="/live">直播</a></li><li><a href="/shop">商城</a></li>
      <li><a href="/me">我的</a></li><li><a href="/help">帮助</a></li></ul></nav>`;

  it('ignores a navigation menu, which is a list of links and not chat', () => {
    html(`<header>${NAV}</header><main><p>欢迎</p></main>`);
    expect(findChatList(document)).toBeNull();
  });

  it('prefers the chat over a navigation menu on the same page', () => {
    const room = loadDemoRoom();
    document.body.insertAdjacentHTML('afterbegin', NAV);
    room.emit(3);
    expect(findChatList(document)).toBe(room.chat);
  });

  it('finds an empty live region (role="log") while the chat has not started', () => {
    html('<div class="panel"><div role="log" id="x"></div></div>');
    expect(findChatList(document)).toBe(document.getElementById('x'));
  });

  it('does not take a single hinted element without rows for chat', () => {
    html('<div class="chat-title">聊天</div><div class="message-count">3</div>');
    expect(findChatList(document)).toBeNull();
  });

  it('prefers the list with more rows among lists that name themselves chat', () => {
    html(`<div class="comment-box"><p>a：1</p><p>b：2</p></div>
      <div class="danmaku-layer"><p>c：3</p><p>d：4</p><p>e：5</p><p>f：6</p></div>`);
    expect(findChatList(document)!.className).toBe('danmaku-layer');
  });

  it('takes the list, not its only row, while the chat has one message', () => {
    html(`<ul class="comments"><li class="chat-item"><span class="name">小美</span><span class="text">欢迎</span></li></ul>
      <div class="chat-box"><p>无关</p></div>`);
    expect(findChatList(document)).toBeNull();
    document
      .querySelector('ul')!
      .insertAdjacentHTML(
        'beforeend',
        '<li class="chat-item"><span class="name">阿强</span><span class="text">来了</span></li>',
      );
    expect(findChatList(document)!.className).toBe('comments');
  });

  it('prefers a young chat over a header menu of "message" links', () => {
    html(`<div class="message-menu"><div><a href="/in">收件箱</a></div><div><a href="/out">已发送</a></div>
        <div><a href="/d">草稿</a></div><div><a href="/s">设置</a></div></div>
      <div class="chat-list"><div>小美：欢迎</div><div>阿强：来了</div></div>`);
    expect(findChatList(document)!.className).toBe('chat-list');
  });

  it('does not count a whole panel (too many nodes) as one row', () => {
    const big = `<div>${'<span>x</span>'.repeat(100)}</div>`;
    html(big);
    expect(isRowLike(document.body.firstElementChild!)).toBe(false);
    html('<div><span class="name">A</span>：hi</div>');
    expect(isRowLike(document.body.firstElementChild!)).toBe(true);
  });
});

describe('GrowthWatcher: a chat whose markup says nothing', () => {
  const PAGE = `<div id="app"><div class="x9f"><div class="q1">今晚 8 点开播</div></div>
    <div class="k2"><div class="zz" id="target"></div></div></div>`;

  function row(text: string): HTMLElement {
    const el = document.createElement('div');
    el.className = 'r7';
    el.innerHTML = `<span class="a1">观众${text.length}</span><span class="a2">${text}</span>`;
    return el;
  }

  it('finds the list after three rows are appended to it, as they arrive on the page', async () => {
    html(PAGE);
    expect(findChatList(document)).toBeNull();
    const target = document.getElementById('target')!;
    const watcher = new GrowthWatcher();
    const found: (Element | null)[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) found.push(watcher.added(n as Element, 1000));
    });
    observer.observe(document.body, { childList: true, subtree: true });

    target.append(row('多少钱'));
    target.append(row('包邮吗'));
    await Promise.resolve();
    expect(found).toEqual([null, null]);
    target.append(row('已拍'));
    await Promise.resolve();
    observer.disconnect();
    expect(found[2]).toBe(target);
  });

  it('does not take rows spread over more than five seconds', () => {
    html(PAGE);
    const target = document.getElementById('target')!;
    const watcher = new GrowthWatcher();
    const add = (t: number) => watcher.added(target.appendChild(row(`第${t}条`)), t);
    expect([add(0), add(3000), add(6000)]).toEqual([null, null, null]);
    expect(add(7000)).toBeNull();
    expect(add(8000)).toBe(target);
  });

  it('ignores elements added straight to the body and elements that are not rows', () => {
    html(PAGE);
    const watcher = new GrowthWatcher();
    for (let i = 0; i < 5; i++) expect(watcher.added(document.body.appendChild(row('hi')), i)).toBeNull();
    const target = document.getElementById('target')!;
    for (let i = 0; i < 5; i++)
      expect(watcher.added(target.appendChild(document.createElement('div')), i)).toBeNull();
    for (let i = 0; i < 5; i++)
      expect(watcher.added(target.appendChild(document.createElement('script')), i)).toBeNull();
  });
});
