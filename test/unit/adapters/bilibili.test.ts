// @vitest-environment happy-dom
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../src/adapters/registry';
import { isKnownLivePage } from '../../../src/adapters/platforms';
import {
  bilibili,
  findChatList,
  pageState,
  parseRow,
  readProducts,
  roomKey,
} from '../../../src/adapters/bilibili';
import { openFixture, type FixturePage } from './fixture-dom';

const pages: FixturePage[] = [];
function open(fixture: string, url: string): Document {
  const page = openFixture('bilibili', fixture, url);
  pages.push(page);
  return page.document;
}
afterAll(async () => {
  await Promise.all(pages.map((p) => p.close()));
});
afterEach(() => {
  document.body.innerHTML = '';
});

/** One row in #chat-items (with the room owner's link in the header when `ownerUid` is given). */
function row(markup: string, ownerUid?: string): Element {
  const header = ownerUid
    ? `<div id="head-info-vm"><a class="room-owner-username" href="//space.bilibili.com/${ownerUid}/" title="小鹿优选">小鹿优选</a></div>`
    : '';
  document.body.innerHTML = `${header}<div id="chat-items" class="chat-items">${markup}</div>`;
  return document.querySelector('#chat-items')!.firstElementChild!;
}

/** A danmaku row as the room renders it. */
function danmaku(attrs: string, name: string, right: string, left = ''): string {
  return `<div class="chat-item danmaku-item" data-type="0" ${attrs}><div class="danmaku-item-left">${left}
    <div class="common-nickname-wrapper"><span class="user-name v-middle pointer open-menu">${name} : </span></div></div>
    <span class="danmaku-item-right v-middle pointer ts-dot-2 open-menu">${right}</span></div>`;
}

describe('bilibili URLs', () => {
  const ROOMS = [
    'https://live.bilibili.com/21452505',
    'https://live.bilibili.com/21452505/',
    'https://live.bilibili.com/21452505?spm_id_from=333.1007.tianma.1-1-1.click',
    'https://live.bilibili.com/21452505?broadcast_type=0&is_room_feed=1#/',
    'https://live.bilibili.com/blanc/21452505',
    'https://live.bilibili.com/blanc/21452505?liteVersion=true',
    'https://live.bilibili.com/6',
  ];
  const NOT_ROOMS = [
    'https://live.bilibili.com/',
    'https://live.bilibili.com/p/eden/area-tags?parentAreaId=300&areaId=372',
    'https://live.bilibili.com/lol',
    'https://live.bilibili.com/all',
    'https://live.bilibili.com/activity/live-activity-full/full-next/index.html',
    'https://live.bilibili.com/21452505abc',
    'https://www.bilibili.com/video/BV1xx411c7mD',
    'https://space.bilibili.com/3493118',
    'https://live.bilibili.com.example.com/21452505',
    'https://example.com/live.bilibili.com/21452505',
    'http://live.bilibili.com/21452505',
  ];

  it.each(ROOMS)('claims the live room %s, a page the manifest also runs on', (url) => {
    expect(adapterFor(url).id).toBe('bilibili');
    expect(isKnownLivePage(url)).toBe(true);
  });

  it.each(NOT_ROOMS)('leaves %s to others', (url) => {
    expect(bilibili.matches.some((m) => m.test(url))).toBe(false);
  });
});

describe('bilibili roomKey', () => {
  it('gives one key for a room whatever the query, hash, slash or /blanc/ form', () => {
    const key = roomKey('https://live.bilibili.com/21452505');
    expect(key).toBe('https://live.bilibili.com/21452505');
    expect(roomKey('https://live.bilibili.com/21452505?spm_id_from=333.1007.tianma.1-1-1.click')).toBe(key);
    expect(roomKey('https://live.bilibili.com/21452505/#/')).toBe(key);
    expect(roomKey('https://live.bilibili.com/blanc/21452505')).toBe(key);
    expect(roomKey('https://live.bilibili.com/blanc/21452505?liteVersion=true')).toBe(key);
    expect(roomKey('https://live.bilibili.com/h5/21452505')).toBe(key);
  });

  it('gives another room another key, and a page that is no room its own path', () => {
    expect(roomKey('https://live.bilibili.com/21452506')).not.toBe(
      roomKey('https://live.bilibili.com/21452505'),
    );
    expect(roomKey('https://live.bilibili.com/p/eden/area-tags?parentAreaId=300')).toBe(
      'https://live.bilibili.com/p/eden/area-tags',
    );
  });
});

describe('bilibili parseRow', () => {
  it('reads an emoticon once, as its alt text, not also as the text shown when the picture fails', () => {
    const r = row(
      danmaku(
        'data-uname="七月流火" data-uid="1688213" data-ct="0B7D52E4" data-danmaku="好耶[打call]"',
        '七月流火',
        '好耶<span class="danmaku-item-right emoticon"><img class="open-menu" alt="[打call]" src="data:,"><span class="open-menu">[打call]</span></span>',
      ),
    );
    expect(parseRow(r)).toEqual({ author: '七月流火', text: '好耶[打call]', kind: 'chat', id: '0B7D52E4' });
  });

  it('falls back to data-danmaku when the row renders no text', () => {
    const r = row(
      danmaku('data-uname="阿橙" data-uid="52017746" data-ct="AA01" data-danmaku="还有货吗"', '阿橙', ''),
    );
    expect(parseRow(r)).toEqual({ author: '阿橙', text: '还有货吗', kind: 'chat', id: 'AA01' });
  });

  it('reads the name from .user-name (without " : ") when the row has no data-uname', () => {
    const r = row(
      `<div class="chat-item danmaku-item" data-uid="52017746" data-ct="AA02"><span class="user-name">阿橙 : </span><span class="danmaku-content">上链接</span></div>`,
    );
    expect(parseRow(r)).toEqual({ author: '阿橙', text: '上链接', kind: 'chat', id: 'AA02' });
  });

  it('knows the anchor by uid when the row shows no 主播 icon, and only then', () => {
    const markup = danmaku(
      'data-uname="小鹿优选" data-uid="3493118" data-ct="AA03" data-danmaku="上链接了"',
      '小鹿优选',
      '上链接了',
    );
    expect(parseRow(row(markup, '3493118'))!.kind).toBe('host');
    expect(parseRow(row(markup, '999'))!.kind).toBe('chat');
    expect(parseRow(row(markup))!.kind).toBe('chat');
  });

  it('leaves medals and the 房管 badge out of name and text; a moderator is chat, not host', () => {
    const r = row(
      danmaku(
        'data-uname="房管小王" data-uid="77023561" data-ct="AA04" data-danmaku="认准小黄车"',
        '房管小王',
        '认准小黄车',
        '<div class="admin-icon">房管</div><div class="fans-medal-item-ctnr"><span class="fans-medal-content">小鹿</span><div class="fans-medal-level">21</div></div>',
      ),
      '3493118',
    );
    expect(parseRow(r)).toEqual({ author: '房管小王', text: '认准小黄车', kind: 'chat', id: 'AA04' });
  });

  it('prefers data-id_str to data-ct, and sets no id where the row has none', () => {
    const withBoth = danmaku('data-uname="a" data-uid="1" data-ct="CT1" data-id_str="IDSTR1"', 'a', 'x');
    expect(parseRow(row(withBoth))!.id).toBe('IDSTR1');
    const zeroIdStr = danmaku('data-uname="a" data-uid="1" data-ct="CT2" data-id_str="0"', 'a', 'x');
    expect(parseRow(row(zeroIdStr))!.id).toBe('CT2');
    const none = danmaku('data-uname="a" data-uid="1"', 'a', 'x');
    expect(parseRow(row(none))).not.toHaveProperty('id');
  });

  it('reads likes, guard entries and 提督 purchases by their row class', () => {
    expect(
      parseRow(
        row('<div class="chat-item" data-type="6"><span class="user-name">晚风</span> 为主播点赞了</div>'),
      ),
    ).toEqual({
      author: '晚风',
      text: '为主播点赞了',
      kind: 'like',
    });
    expect(
      parseRow(
        row(
          '<div class="chat-item welcome-guard"><span class="guard-icon"></span><span class="user-name">夜航船</span> 来了</div>',
        ),
      ),
    ).toEqual({ author: '夜航船', text: '来了', kind: 'enter' });
    expect(
      parseRow(
        row(
          '<div class="chat-item misc-msg guard-buy"><span style="color: red">大户</span> 在小鹿优选的直播间开通了提督</div>',
        ),
      ),
    ).toEqual({ author: '大户', text: '在小鹿优选的直播间开通了提督', kind: 'gift' });
  });

  it('reads a 分享 prompt as a notice, not as an entry', () => {
    expect(
      parseRow(
        row(
          '<div class="chat-item important-prompt-item"><span class="user-name">路人甲</span> 分享了直播间</div>',
        ),
      ),
    ).toEqual({ author: '路人甲', text: '分享了直播间', kind: 'system' });
  });

  it('gives null for empty rows', () => {
    expect(parseRow(row('<div class="chat-item danmaku-item"></div>'))).toBeNull();
    expect(parseRow(row('<div class="chat-item convention-msg border-box">  </div>'))).toBeNull();
  });
});

describe('bilibili pageState and products', () => {
  const ROOM = 'https://live.bilibili.com/8864521';

  it('stays live when an on-screen danmaku says the anchor went off air', () => {
    const doc = open('live-room.html', ROOM);
    doc
      .querySelector('#live-player')!
      .insertAdjacentHTML(
        'beforeend',
        '<div class="web-player-danmaku"><div class="danmaku-item-container"><div class="bili-dm">主播下播了吗？直播已结束？</div></div></div>',
      );
    expect(pageState(doc)).toBe('live');
  });

  it('calls a replay carousel (轮播) ended', () => {
    const doc = open('live-room.html', ROOM);
    doc
      .querySelector('#live-player')!
      .insertAdjacentHTML('afterbegin', '<div class="web-player-round-title">当前为轮播视频</div>');
    expect(pageState(doc)).toBe('ended');
  });

  it('stays live when the login dialog covers a room whose chat is running', () => {
    const doc = open('live-room.html', ROOM);
    doc.body.insertAdjacentHTML(
      'beforeend',
      '<div class="bili-mini-mask"><div class="bili-mini-login-right-wp"><div class="tab__form">密码登录</div></div></div>',
    );
    expect(findChatList(doc)).not.toBeNull();
    expect(pageState(doc)).toBe('live');
  });

  it('does not know the state of a page that shows neither chat, nor idle panel, nor login', () => {
    document.body.innerHTML =
      '<div class="live-room-app"><div id="live-player"><div class="web-player-loading"></div></div></div>';
    expect(pageState(document)).toBe('unknown');
  });

  it("reads shipping and stock from the card's words where no element of their own holds them", () => {
    document.body.innerHTML = `<ul class="goods-list"><li class="goods-item" data-goods-id="43">
      <div class="goods-title">山核桃仁 500g</div><span class="sale-price">¥49.9</span><span>运费 ¥10</span><span>仅剩 12 件</span></li></ul>`;
    expect(readProducts(document)).toEqual([
      { id: '43', title: '山核桃仁 500g', price: '¥49.9', shipping: '运费 ¥10', stock: '仅剩 12 件' },
    ]);
  });

  it('takes a card once when a part of it also looks like a card', () => {
    document.body.innerHTML = `<ul class="goods-list"><li class="goods-item" data-goods-id="42">
      <div class="goods-title">山核桃仁 500g</div><div class="goods-item-price"><span class="sale-price">¥49.9</span></div></li></ul>`;
    expect(readProducts(document)).toEqual([{ id: '42', title: '山核桃仁 500g', price: '¥49.9' }]);
  });
});
