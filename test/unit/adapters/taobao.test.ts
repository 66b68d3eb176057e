// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../src/adapters/registry';
import { isKnownLivePage } from '../../../src/adapters/platforms';
import { findChatList, pageState, parseRow, roomKey, taobao } from '../../../src/adapters/taobao';
import { cssModule } from '../../../src/adapters/taobao/selectors';

afterEach(() => {
  document.body.innerHTML = '';
});

function html(markup: string): void {
  document.body.innerHTML = markup;
}

/** One `itemWrap--` row in `#liveComment` with the given inner markup. */
function row(inner: string, itemClass = 'item--KqJ0B5nf'): Element {
  html(
    `<div id="liveComment"><div class="itemWrap--EcN_tFIg"><div class="${itemClass}">${inner}</div></div></div>`,
  );
  return document.querySelector('#liveComment')!.firstElementChild!;
}

const author = (name: string) => `<span class="authorTitle--_Dl75ZJ6">${name}</span>`;
const content = (text: string) => `<span class="content--pSjaTkyl">${text}</span>`;

describe('taobao URLs', () => {
  const ROOMS = [
    'https://tbzb.taobao.com/live?liveId=512839947302',
    'https://tbzb.taobao.com/live?liveId=512839947302&spm=a21tn.29386571.0.0',
    'https://tbzb.taobao.com/live?spm=a21tn.29386571.0.0&liveSource=pc_live.discovery&liveId=512839947302',
    'https://tbzb.taobao.com/live/?liveId=512839947302#comment',
  ];
  const NOT_ROOMS = [
    'https://tbzb.taobao.com/',
    'https://tbzb.taobao.com/live',
    'https://tbzb.taobao.com/live?spm=a21tn.29386571.0.0',
    'https://tbzb.taobao.com/live?liveId=abc',
    'https://tbzb.taobao.com/search?q=%E8%84%90%E6%A9%99',
    'https://tbzb.taobao.com/live?xliveId=512839947302',
    'https://www.taobao.com/',
    'https://item.taobao.com/item.htm?id=812345678901',
    'http://tbzb.taobao.com/live?liveId=512839947302',
    'https://tbzb.taobao.com.example.com/live?liveId=512839947302',
  ];

  it.each(ROOMS)('claims the live room %s, a page the manifest also runs on', (url) => {
    expect(adapterFor(url).id).toBe('taobao');
    expect(isKnownLivePage(url)).toBe(true);
  });

  it('claims the same player opened from the follow feed (started from the popup)', () => {
    const url =
      'https://tbzb.taobao.com/follow?spm=a21tn.29386571.0.0&accountId=3012345678&liveId=523948112706';
    expect(adapterFor(url).id).toBe('taobao');
  });

  it.each(NOT_ROOMS)('leaves %s to others', (url) => {
    expect(taobao.matches.some((m) => m.test(url))).toBe(false);
  });
});

describe('taobao roomKey', () => {
  it('keys the room by liveId, whatever the path, spm or order of the query', () => {
    const key = roomKey('https://tbzb.taobao.com/live?liveId=512839947302');
    expect(roomKey('https://tbzb.taobao.com/live?spm=a21tn.1.0.0&liveId=512839947302&liveSource=x')).toBe(
      key,
    );
    expect(roomKey('https://tbzb.taobao.com/follow?liveId=512839947302&accountId=1')).toBe(key);
    expect(roomKey('https://tbzb.taobao.com/live?liveId=512839947302#comment')).toBe(key);
  });

  it('gives another room another key', () => {
    expect(roomKey('https://tbzb.taobao.com/live?liveId=512839947302')).not.toBe(
      roomKey('https://tbzb.taobao.com/live?liveId=523948112706'),
    );
  });

  it('falls back to the page address without a liveId', () => {
    expect(roomKey('https://tbzb.taobao.com/live?spm=a')).toBe('https://tbzb.taobao.com/live');
  });
});

describe('cssModule', () => {
  it('matches the class token by its name, whatever the build hash, and no longer names', () => {
    html(
      '<p class="content--pSjaTkyl"></p><p class="x content--Hy2Rb6Nd"></p><p class="subContent--Aa1"></p><p class="contentWrap--Bb2"></p>',
    );
    expect(document.querySelectorAll(cssModule('content'))).toHaveLength(2);
  });
});

describe('taobao parseRow', () => {
  it.each([
    ['小鱼:', '小鱼'],
    ['小鱼：', '小鱼'],
    ['小鱼 : ', '小鱼'],
    ['a:b:', 'a:b'],
    ['t**2:', 't**2'],
  ])('strips the separator from the nickname %j', (shown, name) => {
    expect(parseRow(row(author(shown) + content('好')))).toEqual({ author: name, text: '好', kind: 'chat' });
  });

  it('keeps colons inside the message and a long message whole', () => {
    const long = '请问：这款脐橙是当季现摘的吗？'.repeat(80);
    expect(parseRow(row(author('王姐:') + content(long)))).toEqual({
      author: '王姐',
      text: long,
      kind: 'chat',
    });
  });

  it('reads emoji nested in wrappers as their alt text, in place', () => {
    const r = row(
      author('蘑菇:') + content('<span><span><img alt="[微笑]"></span></span>好的<img alt="[爱心]">'),
    );
    expect(parseRow(r)).toEqual({ author: '蘑菇', text: '[微笑]好的[爱心]', kind: 'chat' });
  });

  it('reads the marked notices of the comment channel by their words', () => {
    expect(parseRow(row(content('⁂ 晴天小猪 来了')))).toEqual({
      author: '晴天小猪',
      text: '来了',
      kind: 'enter',
    });
    expect(parseRow(row(content('\u23c7 阿猫 点赞了')))).toEqual({
      author: '阿猫',
      text: '点赞了',
      kind: 'like',
    });
    expect(parseRow(row(content('\u2230 路人甲 关注了主播')))).toEqual({
      author: '',
      text: '路人甲 关注了主播',
      kind: 'system',
    });
    expect(parseRow(row(content('⁂ 张三 送出 小红花 x2')))).toEqual({
      author: '张三',
      text: '送出 小红花 x2',
      kind: 'gift',
    });
  });

  it('reads a row without a nickname as a system notice', () => {
    expect(parseRow(row(content('直播间严禁私下交易')))).toEqual({
      author: '',
      text: '直播间严禁私下交易',
      kind: 'system',
    });
  });

  it('keeps a viewer’s "来了" or "送出了吗" as chat', () => {
    expect(parseRow(row(author('王姐:') + content('来了')))?.kind).toBe('chat');
    expect(parseRow(row(author('王姐:') + content('昨天的单送出了吗')))?.kind).toBe('chat');
  });

  it('takes the host from the "主播" tag, never from the nickname alone', () => {
    expect(
      parseRow(row('<span class="anchorTag--Vb7">主播</span>' + author('橙心果园:') + content('2号链接'))),
    ).toEqual({ author: '橙心果园', text: '2号链接', kind: 'host' });
    expect(
      parseRow(row('<span class="tag--Pa1"><img alt="主播"></span>' + author('橙心果园:') + content('1')))
        ?.kind,
    ).toBe('host');
    expect(parseRow(row('<span class="tag--Pa1">V5</span>' + author('橙心果园:') + content('1')))?.kind).toBe(
      'chat',
    );
  });

  it('takes the message id where a row carries one', () => {
    html(
      `<div id="liveComment"><div class="itemWrap--EcN_tFIg" data-comment-id="66120034981">${author('a:')}${content('1')}</div></div>`,
    );
    expect(parseRow(document.querySelector('#liveComment')!.firstElementChild!)).toEqual({
      author: 'a',
      text: '1',
      kind: 'chat',
      id: '66120034981',
    });
  });

  it('skips empty rows', () => {
    expect(parseRow(row(''))).toBeNull();
  });
});

describe('taobao findChatList and pageState', () => {
  it('finds #liveComment before the first message arrives', () => {
    html('<div id="liveComment" class="commentList--Ns7bGz2a"></div>');
    expect(findChatList(document)).toBe(document.getElementById('liveComment'));
    expect(pageState(document)).toBe('live');
  });

  it('takes the list the rows sit in when the container wraps one', () => {
    html(
      `<div class="chat-container"><div id="l"><div class="itemWrap--Zp0">${author('a:')}${content('1')}</div></div></div>`,
    );
    expect(findChatList(document)).toBe(document.getElementById('l'));
  });

  it('finds rows with no known container at all', () => {
    html(`<main><ul id="l"><li class="itemWrap--Q1">${author('a:')}${content('1')}</li></ul></main>`);
    expect(findChatList(document)).toBe(document.getElementById('l'));
  });

  it('has no list and an unknown state on a page still loading', () => {
    html('<div id="ice-container"></div>');
    expect(findChatList(document)).toBeNull();
    expect(pageState(document)).toBe('unknown');
  });

  it('is not fooled by a viewer writing the ended or login words', () => {
    row(author('a:') + content('直播已结束了吗？请先登录是什么意思'));
    expect(pageState(document)).toBe('live');
  });
});
