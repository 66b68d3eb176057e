// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { adapterFor } from '../../../src/adapters/registry';
import { isKnownLivePage } from '../../../src/adapters/platforms';
import { douyin, findChatList, parseRow, roomKey } from '../../../src/adapters/douyin';
import { ChatObserver, type ObservedRow } from '../../../src/content/chat-observer';
import { FIXTURES, openFixture, type FixturePage } from './fixture-dom';

const pages: FixturePage[] = [];
const observers: ChatObserver[] = [];
afterEach(() => {
  for (const o of observers.splice(0)) o.stop();
  document.body.innerHTML = '';
});
afterAll(async () => {
  await Promise.all(pages.map((p) => p.close()));
});

function open(fixture: string, url = 'https://live.douyin.com/80017709309'): Document {
  const page = openFixture('douyin', fixture, url);
  pages.push(page);
  return page.document;
}

/** A fixture's body in the test's own document, where MutationObserver runs. */
function mount(fixture: string): void {
  const html = readFileSync(join(FIXTURES, 'douyin', fixture), 'utf8');
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!;
}

/** A 2025-06 row: `___item > ___item-wrapper > div > [badges][nickname][content]`. */
function row(line: string, id = ''): Element {
  document.body.innerHTML = `<div class="webcast-chatroom___list"><div><div data-index="3"><div class="webcast-chatroom___item webcast-chatroom___enter-done" data-id="${id}"><div class="Cl4EfhXg webcast-chatroom___item-wrapper"><div class="NkS2Invn">${line}</div></div></div></div></div></div>`;
  return document.querySelector('[data-index]')!;
}
const typed = (text: string) =>
  `<span class="cL385mHb"><span class="webcast-chatroom___content-with-emoji-text">${text}</span></span>`;
const nick = (name: string) => `<span class="v8LY0gZF">${name}</span>`;
const badge = (alt = '') =>
  `<span><span class="uVbVarFF"><img src="https://p3-webcast.douyinpic.com/img/webcast/new_user_grade_level_v1_12.png~tplv-obj.image" alt="${alt}"></span></span>`;

describe('douyin URLs', () => {
  const ROOMS = [
    'https://live.douyin.com/80017709309',
    'https://live.douyin.com/80017709309/',
    'https://live.douyin.com/80017709309?enter_from_merge=web_share_link&enter_method=web_share_link',
    'https://live.douyin.com/80017709309#chat',
    'https://www.douyin.com/follow/live/7519223344556677889?anchor_id=98213647590',
    'https://www.douyin.com/root/live/880123456',
  ];
  const NOT_ROOMS = [
    'https://live.douyin.com/',
    'https://live.douyin.com/category/1_1',
    'https://live.douyin.com/hot_live',
    'https://www.douyin.com/',
    'https://www.douyin.com/video/7519223344556677889',
    'https://www.douyin.com/user/MS4wLjABAAAAx9c2',
    'https://www.douyin.com/search/%E7%BE%BD%E7%BB%92%E6%9C%8D?type=live',
    'https://www.douyin.com/follow',
    'http://live.douyin.com/80017709309',
    'https://live.douyin.com.example.com/80017709309',
  ];

  it.each(ROOMS)('claims the live room %s, a page the manifest also runs on', (url) => {
    expect(adapterFor(url).id).toBe('douyin');
    expect(isKnownLivePage(url)).toBe(true);
  });

  it.each(NOT_ROOMS)('leaves %s to others', (url) => {
    expect(douyin.matches.some((m) => m.test(url))).toBe(false);
  });
});

describe('douyin roomKey', () => {
  it('gives two URLs of the same room the same key, whatever their tracking parameters', () => {
    const key = roomKey('https://live.douyin.com/80017709309');
    expect(
      roomKey('https://live.douyin.com/80017709309/?enter_from_merge=web_share_link&action_type=click'),
    ).toBe(key);
    expect(roomKey('https://live.douyin.com/80017709309#chat')).toBe(key);
    expect(roomKey('https://www.douyin.com/follow/live/7519?anchor_id=1&from_tab_name=follow')).toBe(
      roomKey('https://www.douyin.com/follow/live/7519'),
    );
  });

  it('gives another room another key', () => {
    expect(roomKey('https://live.douyin.com/80017709309')).not.toBe(
      roomKey('https://live.douyin.com/646454278948'),
    );
    expect(roomKey('https://www.douyin.com/follow/live/7519')).not.toBe(
      roomKey('https://www.douyin.com/follow/live/7520'),
    );
  });
});

describe('douyin parseRow', () => {
  it('drops the name separator, full-width or not, and keeps a colon inside the message', () => {
    expect(parseRow(row(badge() + nick('小美：') + typed('多少钱')))).toMatchObject({
      author: '小美',
      text: '多少钱',
    });
    expect(parseRow(row(nick('Ann:') + typed('size M?')))).toMatchObject({ author: 'Ann', text: 'size M?' });
    expect(parseRow(row(nick('小美 ：') + typed('好')))).toMatchObject({ author: '小美', text: '好' });
    expect(parseRow(row(nick('a:b：') + typed('价格：99元')))).toMatchObject({
      author: 'a:b',
      text: '价格：99元',
    });
  });

  it('keeps a masked nickname as shown', () => {
    expect(parseRow(row(nick('z*****：') + typed('在吗')))).toEqual({
      author: 'z*****',
      text: '在吗',
      kind: 'chat',
    });
  });

  it('reads a long message whole', () => {
    const long = '请问这个尺码偏大还是偏小，'.repeat(40);
    expect(parseRow(row(nick('王大妈：') + typed(long)))!.text).toBe(long);
  });

  it('reads emoji pictures nested in the content as their alt text, in place', () => {
    const content = `<span class="cL385mHb"><span class="webcast-chatroom___content-with-emoji-text">好看</span><span class="x"><span class="webcast-chatroom___content-with-emoji-emoji"><img alt="[爱心]" src="data:,"></span></span><span class="webcast-chatroom___content-with-emoji-text">下单了</span><div class="webcast-chatroom___content-with-emoji-emoji"><div><img alt="[赞]" src="data:,"></div></div></span>`;
    expect(parseRow(row(badge('12') + nick('七月：') + content))!.text).toBe('好看[爱心]下单了[赞]');
  });

  it('keeps the level badge out of the author and the text', () => {
    expect(parseRow(row(badge('Lv12') + nick('七月：') + typed('已拍')))).toEqual({
      author: '七月',
      text: '已拍',
      kind: 'chat',
    });
  });

  it('carries the platform message id, and none for a recycled row whose data-id was cleared', () => {
    expect(parseRow(row(nick('七月：') + typed('已拍'), '7519243150996346634'))!.id).toBe(
      '7519243150996346634',
    );
    expect(parseRow(row(nick('七月：') + typed('已拍'), ''))).not.toHaveProperty('id');
  });

  it('reads rows without an author: room notices and a line with no nickname span', () => {
    document.body.innerHTML = `<div><div class="webcast-chatroom___item"><div class="webcast-chatroom__room-message">欢迎来到直播间！</div></div></div>`;
    expect(parseRow(document.querySelector('.webcast-chatroom___item')!)).toEqual({
      author: '',
      text: '欢迎来到直播间！',
      kind: 'system',
    });
    document.body.innerHTML = `<div><div class="webcast-chatroom___item"><div><span>晚风</span><span>为主播点赞了</span></div></div></div>`;
    expect(parseRow(document.querySelector('.webcast-chatroom___item')!)).toEqual({
      author: '晚风',
      text: '为主播点赞了',
      kind: 'like',
    });
  });

  it('tells what a viewer typed from what the platform wrote', () => {
    expect(parseRow(row(nick('Mia：') + typed('为主播点赞了')))!.kind).toBe('chat');
    expect(parseRow(row(nick('Mia：') + '<span class="cL385mHb">为主播点赞了</span>'))!.kind).toBe('like');
    expect(parseRow(row(nick('Mia：') + typed('来了')))!.kind).toBe('chat');
    expect(parseRow(row(nick('Mia：') + '<span class="cL385mHb">来了</span>'))!.kind).toBe('enter');
  });

  it('takes a row as the host’s only by its 主播 badge, never by a nickname', () => {
    const hostBadge = '<span><span class="eReAkD7x"><span class="K9oLOvZL">主播</span></span></span>';
    expect(parseRow(row(hostBadge + nick('小美优选：') + typed('上链接')))!.kind).toBe('host');
    expect(parseRow(row(badge() + nick('主播：') + typed('我才是主播')))!.kind).toBe('chat');
  });

  it('gives null for placeholders and rows caught half-written', () => {
    document.body.innerHTML =
      '<div><div data-index="9"></div><div data-index="10"><div class="webcast-chatroom___item" data-id=""></div></div></div>';
    for (const slot of document.querySelectorAll('[data-index]')) expect(parseRow(slot)).toBeNull();
    expect(parseRow(row(badge() + nick('七月：') + '<span class="cL385mHb"></span>'))).toBeNull();
    expect(parseRow(row(badge()))).toBeNull();
  });
});

describe('douyin findChatList', () => {
  it('takes the parent of the data-index slots, not the sticky line under the list', () => {
    const doc = open('live-room.html');
    const list = findChatList(doc)!;
    expect(list.getAttribute('style')).toContain('translateY');
    expect([...list.children].every((c) => c.hasAttribute('data-index'))).toBe(true);
    expect(list.closest('.webcast-chatroom___bottom-message')).toBeNull();
  });

  it('takes the rows’ parent in the layout without slots', () => {
    const list = findChatList(open('live-room-2024.html', 'https://live.douyin.com/646454278948'))!;
    expect(list.parentElement!.matches('.webcast-chatroom___items')).toBe(true);
  });

  it('finds the list before its first row, and none where no chat is built', () => {
    document.body.innerHTML = `<div class="webcast-chatroom"><div class="webcast-chatroom___list"><div class="gOr3NRD4" style="height: 0px;"><div id="l" style="transform: translateY(0px);"></div></div></div></div>`;
    expect(findChatList(document)).toBe(document.getElementById('l'));
    document.body.innerHTML = `<div class="webcast-chatroom"><div class="webcast-chatroom___items"><div id="l"></div></div></div>`;
    expect(findChatList(document)).toBe(document.getElementById('l'));
    document.body.innerHTML = `<div class="webcast-chatroom___bottom-message"><div class="webcast-chatroom___item"><span>晚风</span><span>来了</span></div></div>`;
    expect(findChatList(document)).toBeNull();
  });
});

describe('douyin recycled rows', () => {
  it('reads a slot again after the list rewrote it for another message', () => {
    const doc = open('live-room.html');
    const slot = findChatList(doc)!.querySelector('[data-index="17"]')!;
    expect(parseRow(slot)).toMatchObject({ author: 'z*****', text: '主播身高多少？穿什么码' });

    slot.setAttribute('data-index', '29');
    slot.querySelector('.webcast-chatroom___item')!.setAttribute('data-id', '7519243188812345678');
    slot.querySelector('.v8LY0gZF')!.firstChild!.nodeValue = '晚风：';
    slot.querySelector('.webcast-chatroom___content-with-emoji-text')!.firstChild!.nodeValue =
      '2号链接还有吗';
    expect(parseRow(slot)).toEqual({
      author: '晚风',
      text: '2号链接还有吗',
      kind: 'chat',
      id: '7519243188812345678',
    });
  });

  it('is reported once more by the content script’s observer when its text is rewritten in place', async () => {
    mount('live-room.html');
    const list = findChatList(document)!;
    const seen: ObservedRow[] = [];
    const observer = new ChatObserver(douyin, list, (r) => seen.push(r));
    observers.push(observer);
    observer.start();
    expect(seen).toHaveLength(11);

    // Recycled rows have their data-id cleared (2026-09 memo), so the observer goes by author and text.
    const slot = list.querySelector('[data-index="26"]')!;
    slot.querySelector('.webcast-chatroom___item')!.setAttribute('data-id', '');
    slot.querySelector('.v8LY0gZF')!.firstChild!.nodeValue = '大橘子：';
    slot.querySelector('.webcast-chatroom___content-with-emoji-text')!.firstChild!.nodeValue = '已拍两件';
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(11));
    expect(seen.slice(11)).toEqual([
      { author: '大橘子', text: '已拍两件', kind: 'chat', backlog: false, seenAt: expect.any(Number) },
    ]);
  });
});

describe('douyin pageState', () => {
  it('stays live when a viewer types 直播已结束 or 扫码登录 in the chat', () => {
    const doc = open('live-room.html');
    const text = doc.querySelector('[data-index="17"] .webcast-chatroom___content-with-emoji-text')!;
    text.textContent = '直播已结束了吗？扫码登录是什么';
    expect(douyin.pageState(doc)).toBe('live');
  });

  it('is live with the 需先登录 hint under a chat that runs', () => {
    const doc = open('live-room.html');
    expect(doc.body.textContent).toContain('需先登录，才能开始聊天');
    expect(douyin.pageState(doc)).toBe('live');
  });

  it('is unknown while the page has neither chat nor a verdict', () => {
    document.body.innerHTML = '<div id="root"><button>登录</button><div id="PlayerLayout"></div></div>';
    expect(douyin.pageState(document)).toBe('unknown');
  });
});

describe('douyin readRoom', () => {
  it('leaves the pinned message out when the pin shows only its label', () => {
    document.title = '小美优选的直播间 - 抖音直播';
    document.body.innerHTML = '<div class="webcast-chatroom___pin-message">置顶：</div>';
    const room = douyin.readRoom(document, 'https://live.douyin.com/880123456');
    expect(room).toEqual({ roomId: '880123456', title: '小美优选的直播间 - 抖音直播' });
  });
});

describe('douyin readProducts', () => {
  it('skips a card that shows no price', () => {
    document.body.innerHTML = `<div data-e2e="live-promotion-list"><div><div data-e2e="promotion-title">【5号】即将上架 敬请期待</div><button data-e2e="shop-buyBtn">即将开售</button></div></div>`;
    expect(douyin.readProducts(document)).toEqual([]);
  });

  it('marks a card of the list featured when it says 讲解中, in a tag or in its bare text', () => {
    document.body.innerHTML = `<div data-e2e="live-promotion-list"><div><div data-e2e="promotion-title">即食燕窝 6 瓶</div>讲解中<span>¥</span><span>99</span><button data-e2e="shop-buyBtn">去抢购</button></div><div><div data-e2e="promotion-title">保温杯 316不锈钢</div><span>¥39</span><button data-e2e="shop-buyBtn">去抢购</button></div></div>`;
    expect(douyin.readProducts(document)).toEqual([
      { id: 'title:即食燕窝 6 瓶', title: '即食燕窝 6 瓶', price: '¥99', featured: true },
      { id: 'title:保温杯 316不锈钢', title: '保温杯 316不锈钢', price: '¥39' },
    ]);
  });

  it('takes the product id from a product link when the card has one', () => {
    document.body.innerHTML = `<div data-e2e="live-promotion-list"><div><a href="https://haohuo.jinritemai.com/views/product/detail?id=3698765432101234567&origin_type=live"><div data-e2e="promotion-title">保温杯 316不锈钢</div></a><span>¥</span><span>39</span><button data-e2e="shop-buyBtn">去抢购</button></div></div>`;
    expect(douyin.readProducts(document)).toEqual([
      { id: '3698765432101234567', title: '保温杯 316不锈钢', price: '¥39' },
    ]);
  });
});
