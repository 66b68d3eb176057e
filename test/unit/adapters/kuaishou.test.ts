// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../src/adapters/registry';
import { isKnownLivePage } from '../../../src/adapters/platforms';
import { findChatList, kuaishou, pageState, parseRow, roomKey } from '../../../src/adapters/kuaishou';

afterEach(() => {
  document.body.innerHTML = '';
});

function html(markup: string): void {
  document.body.innerHTML = markup;
}

/** One `.item` row holding a `.comment-cell` with the given inner markup. */
function row(cell: string, cellClass = 'comment-cell'): Element {
  html(
    `<div class="chat-history"><div class="wrapper"><div class="item"><div class="${cellClass}">${cell}</div></div></div></div>`,
  );
  return document.querySelector('.item')!;
}

describe('kuaishou URLs', () => {
  const ROOMS = [
    'https://live.kuaishou.com/u/3xk9mdpq7vbnc2e',
    'https://live.kuaishou.com/u/3xk9mdpq7vbnc2e/',
    'https://live.kuaishou.com/u/xianguo777?cc=share_copylink&shareMethod=TOKEN&kpn=KUAISHOU',
    'https://live.kuaishou.com/u/tangguo_888#chat',
  ];
  const NOT_ROOMS = [
    'https://live.kuaishou.com/',
    'https://live.kuaishou.com/u/',
    'https://live.kuaishou.com/cate/SYXX/',
    'https://live.kuaishou.com/profile/3xk9mdpq7vbnc2e',
    'https://www.kuaishou.com/short-video/3xk9mdpq7vbnc2e',
    'https://www.kuaishou.com/profile/3xk9mdpq7vbnc2e',
    'https://v.kuaishou.com/Jx8b2Q',
    'http://live.kuaishou.com/u/3xk9mdpq7vbnc2e',
    'https://live.kuaishou.com.example.com/u/3xk9mdpq7vbnc2e',
  ];

  it.each(ROOMS)('claims the live room %s, a page the manifest also runs on', (url) => {
    expect(adapterFor(url).id).toBe('kuaishou');
    expect(isKnownLivePage(url)).toBe(true);
  });

  it.each(NOT_ROOMS)('leaves %s to others', (url) => {
    expect(kuaishou.matches.some((m) => m.test(url))).toBe(false);
  });
});

describe('kuaishou roomKey', () => {
  it('gives one key for the same room whatever the query, hash or trailing slash', () => {
    const key = roomKey('https://live.kuaishou.com/u/3xk9mdpq7vbnc2e');
    expect(roomKey('https://live.kuaishou.com/u/3xk9mdpq7vbnc2e/?cc=share_copylink&fid=1827')).toBe(key);
    expect(roomKey('https://live.kuaishou.com/u/3xk9mdpq7vbnc2e#gift')).toBe(key);
  });

  it('gives another room another key', () => {
    expect(roomKey('https://live.kuaishou.com/u/3xk9mdpq7vbnc2e')).not.toBe(
      roomKey('https://live.kuaishou.com/u/tangguo_888'),
    );
  });

  it('falls back to the page address off the live host', () => {
    expect(roomKey('https://www.kuaishou.com/profile/3x1?a=1')).toBe('https://www.kuaishou.com/profile/3x1');
  });
});

describe('kuaishou parseRow', () => {
  it.each([
    ['小七：', '小七'],
    ['小七:', '小七'],
    ['小七 ： ', '小七'],
    ['Ann:Lee：', 'Ann:Lee'],
    ['橙子爱好者', '橙子爱好者'],
  ])('strips the separator from the nickname %j', (shown, author) => {
    const r = row(`<span class="username">${shown}</span><span class="comment">好</span>`);
    expect(parseRow(r)).toEqual({ author, text: '好', kind: 'chat' });
  });

  it('keeps colons inside the message', () => {
    const r = row('<span class="username">阿杰：</span><span class="comment">价格：多少？链接：2号</span>');
    expect(parseRow(r)).toEqual({ author: '阿杰', text: '价格：多少？链接：2号', kind: 'chat' });
  });

  it('keeps a long message whole', () => {
    const long = '这个橙子真的很甜'.repeat(150);
    const r = row(`<span class="username">老粉：</span><span class="comment">${long}</span>`);
    expect(parseRow(r)).toEqual({ author: '老粉', text: long, kind: 'chat' });
  });

  it('reads emoji nested in wrappers as their alt text, in place', () => {
    const r = row(
      '<span class="username">小橘子：</span><span class="comment">好<span class="e"><span><img class="emoji" alt="[赞]"></span></span>甜<img class="emoji" alt="[爱心]"></span>',
    );
    expect(parseRow(r)).toEqual({ author: '小橘子', text: '好[赞]甜[爱心]', kind: 'chat' });
  });

  it('leaves badge pictures and fan-club names out of nickname and text', () => {
    const r = row(
      '<span class="fans-badge"><img alt="9"><span class="fans-name">七七团</span></span><span class="username"><img class="level-icon" alt="Lv30">甜甜：</span><span class="comment">在吗</span>',
    );
    expect(parseRow(r)).toEqual({ author: '甜甜', text: '在吗', kind: 'chat' });
  });

  it('reads a cell without a nickname with an empty author', () => {
    expect(parseRow(row('<span class="comment">已下单</span>'))).toEqual({
      author: '',
      text: '已下单',
      kind: 'chat',
    });
  });

  it('does not credit the host for a viewer who took the anchor’s nickname', () => {
    html(
      '<div class="name-group"><h4 class="name">鲜果小七</h4></div><div class="chat-history"><div class="wrapper"><div class="item"><div class="comment-cell"><span class="username">鲜果小七：</span><span class="comment">加我私聊下单更便宜</span></div></div></div></div>',
    );
    expect(parseRow(document.querySelector('.item')!)).toEqual({
      author: '鲜果小七',
      text: '加我私聊下单更便宜',
      kind: 'chat',
    });
  });

  it('reads a row that is the cell itself', () => {
    html('<div class="chat-list"><div class="comment-cell system">欢迎来到直播间</div></div>');
    expect(parseRow(document.querySelector('.comment-cell')!)).toEqual({
      author: '',
      text: '欢迎来到直播间',
      kind: 'system',
    });
  });

  it('tells a typed "来了" (chat) from the entry row', () => {
    expect(parseRow(row('<span class="username">阿杰：</span><span class="comment">来了</span>'))?.kind).toBe(
      'chat',
    );
    expect(
      parseRow(row('<span class="username">阿杰</span><span class="comment">进入直播间</span>'))?.kind,
    ).toBe('enter');
  });

  it('takes the message id where a row carries one', () => {
    html(
      '<div class="wrapper"><div class="item" data-id="9f3c2a"><div class="comment-cell"><span class="username">阿杰：</span><span class="comment">1</span></div></div></div>',
    );
    expect(parseRow(document.querySelector('.item')!)).toEqual({
      author: '阿杰',
      text: '1',
      kind: 'chat',
      id: '9f3c2a',
    });
  });

  it('skips empty rows and keeps other words as a notice, never as chat', () => {
    html('<div class="wrapper"><div class="item"></div><div class="new-tip">有 3 条新消息</div></div>');
    const [empty, tip] = [...document.querySelector('.wrapper')!.children];
    expect(parseRow(empty!)).toBeNull();
    expect(parseRow(tip!)).toEqual({ author: '', text: '有 3 条新消息', kind: 'system' });
  });
});

describe('kuaishou findChatList and pageState', () => {
  it('finds the wrapper before the first message arrives', () => {
    html('<div class="chat-history"><div class="wrapper flex-1 flex-col"></div></div>');
    expect(findChatList(document)).toBe(document.querySelector('.wrapper'));
    expect(pageState(document)).toBe('live');
  });

  it('takes the cells’ parent when no named wrapper is there', () => {
    html(
      '<section><div id="x"><div class="comment-cell"><span class="username">a：</span>1</div></div></section>',
    );
    expect(findChatList(document)).toBe(document.getElementById('x'));
  });

  it('has no list and an unknown state on a page still loading', () => {
    html('<div id="app"><div class="loading">加载中</div></div>');
    expect(findChatList(document)).toBeNull();
    expect(pageState(document)).toBe('unknown');
  });

  it('is not fooled by a viewer asking whether the stream has ended', () => {
    row('<span class="username">a：</span><span class="comment">直播已结束了吗？扫码登录是什么</span>');
    expect(pageState(document)).toBe('live');
  });
});
