// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { adapterFor } from '../../../src/adapters/registry';
import { isKnownLivePage } from '../../../src/adapters/platforms';
import { findChatList, parseRow, roomKey, tiktok } from '../../../src/adapters/tiktok';
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

function open(fixture: string, url = 'https://www.tiktok.com/@glowbeauty.shop/live'): Document {
  const page = openFixture('tiktok', fixture, url);
  pages.push(page);
  return page.document;
}

/** A fixture's body in the test's own document, where MutationObserver runs. */
function mount(fixture: string): void {
  const html = readFileSync(join(FIXTURES, 'tiktok', fixture), 'utf8');
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!;
}

/** A 2026 chat row in its slot: avatar, then the name header and the words. */
function message(header: string, words: string, label = 'chat-message'): Element {
  document.body.innerHTML = `<div data-e2e="live-chat-container"><div class="w-full relative"><div data-index="7" class="w-full"><div data-e2e="${label}" class="w-full flex flex-row"><span class="shrink-0"><img src="https://p16-sign-va.tiktokcdn.com/avt.webp" alt=""></span><div class="flex flex-col break-words w-full"><div class="flex flex-row items-center gap-4">${header}</div><div class="w-full break-words align-middle">${words}</div></div></div></div></div></div>`;
  return document.querySelector('[data-index]')!;
}
const owner = (name: string, title = name) =>
  `<span data-e2e="message-owner-name" title="${title}" class="truncate">${name}</span>`;

describe('tiktok URLs', () => {
  const ROOMS = [
    'https://www.tiktok.com/@glowbeauty.shop/live',
    'https://www.tiktok.com/@glowbeauty.shop/live/',
    'https://www.tiktok.com/@glowbeauty.shop/live?enter_from_merge=others_homepage&enter_method=others_photo&lang=en',
    'https://www.tiktok.com/@Kitchen_Pro-US/live#chat',
  ];
  const NOT_ROOMS = [
    'https://www.tiktok.com/',
    'https://www.tiktok.com/live',
    'https://www.tiktok.com/@glowbeauty.shop',
    'https://www.tiktok.com/@liveshop',
    'https://www.tiktok.com/@glowbeauty.shop/video/7519612384410585870',
    'https://www.tiktok.com/@glowbeauty.shop/live/replay',
    'https://www.tiktok.com/shop/pdp/vitamin-c-serum/1729384756',
    'https://livecenter.tiktok.com/common_live_chat?room_id=7519612384410585870',
    'http://www.tiktok.com/@glowbeauty.shop/live',
    'https://www.tiktok.com.example.com/@glowbeauty.shop/live',
  ];

  it.each(ROOMS)('claims the LIVE room %s, a page the manifest also runs on', (url) => {
    expect(adapterFor(url).id).toBe('tiktok');
    expect(isKnownLivePage(url)).toBe(true);
  });

  it.each(NOT_ROOMS)('leaves %s to others', (url) => {
    expect(tiktok.matches.some((m) => m.test(url))).toBe(false);
  });
});

describe('tiktok roomKey', () => {
  it('gives two URLs of the same room the same key: handle case and parameters do not count', () => {
    const key = roomKey('https://www.tiktok.com/@glowbeauty.shop/live');
    expect(
      roomKey('https://www.tiktok.com/@GlowBeauty.Shop/live/?lang=en&enter_from_merge=others_homepage'),
    ).toBe(key);
    expect(roomKey('https://www.tiktok.com/@glowbeauty.shop/live#chat')).toBe(key);
  });

  it('gives another room another key', () => {
    expect(roomKey('https://www.tiktok.com/@glowbeauty.shop/live')).not.toBe(
      roomKey('https://www.tiktok.com/@glowbeauty.shop2/live'),
    );
    expect(roomKey('https://www.tiktok.com/@glowbeauty.shop/live')).not.toBe(
      roomKey('https://www.tiktok.com/@kitchenpro.us/live'),
    );
  });
});

describe('tiktok parseRow', () => {
  it('takes the name from its own element, with the title attribute when the text is cut away', () => {
    expect(parseRow(message(owner('Maya R.'), 'hi'))).toEqual({
      author: 'Maya R.',
      text: 'hi',
      kind: 'chat',
    });
    expect(parseRow(message(owner('', 'Maya R.'), 'hi'))!.author).toBe('Maya R.');
  });

  it('keeps a colon in a name or a message as written (names carry no separator)', () => {
    expect(parseRow(message(owner('Ann: the 1st'), 'price: $12?'))).toEqual({
      author: 'Ann: the 1st',
      text: 'price: $12?',
      kind: 'chat',
    });
  });

  it('leaves badge pictures and the Moderator label out of the words', () => {
    const badges =
      '<img src="https://p16-webcast.tiktokcdn.com/webcast-va/moderator_badge_icon_v1.png~tplv-obj.image" alt="moderator"><span class="rounded-2">Moderator</span>';
    expect(parseRow(message(owner('Kim') + badges, 'no spam please'))).toEqual({
      author: 'Kim',
      text: 'no spam please',
      kind: 'chat',
    });
  });

  it('reads a long message whole', () => {
    const long = 'does this ship to Canada and how long does it take, '.repeat(30).trim();
    expect(parseRow(message(owner('Bob'), long))!.text).toBe(long);
  });

  it('reads emotes nested in the words as their alt text, in place', () => {
    const words =
      'so good <span class="inline-flex"><span><img src="https://p16-webcast.tiktokcdn.com/webcast-va/emote_wow_v1.png~tplv-obj.image" alt="[wow]"></span></span> 想要';
    expect(parseRow(message(owner('小林'), words))!.text).toBe('so good [wow] 想要');
  });

  it('reads notices without an author', () => {
    document.body.innerHTML = `<div><div data-index="3"><div class="flex"><span><svg></svg></span><div>Leo_88 became the No. 3 fan in the Fan Club</div></div></div></div>`;
    expect(parseRow(document.querySelector('[data-index]')!)).toEqual({
      author: '',
      text: 'Leo_88 became the No. 3 fan in the Fan Club',
      kind: 'system',
    });
  });

  it('takes a row as the host’s by a Host label or a profile link to the room’s own handle, never by name', () => {
    expect(
      parseRow(message(owner('Glow Beauty Shop') + '<span class="rounded-2">Host</span>', 'hi'))!.kind,
    ).toBe('host');
    // A viewer may call themselves anything; a display name or an avatar's alt proves nothing.
    expect(parseRow(message(owner('Glow Beauty Shop'), 'I am the host'))!.kind).toBe('chat');
    expect(parseRow(message(owner('Host'), 'hello'))!.kind).toBe('chat');
    const avatar = message(owner('Zed'), 'hello');
    avatar.querySelector('img')!.setAttribute('alt', 'Host');
    expect(parseRow(avatar)!.kind).toBe('chat');

    const doc = open('live-room-2024.html', 'https://www.tiktok.com/@kitchenpro.us/live');
    const linked = [...findChatList(doc)!.children].find((r) =>
      r.querySelector('a[href="/@kitchenpro.us"]'),
    )!;
    expect(parseRow(linked)!.kind).toBe('host');
    const elsewhere = open('live-room-2024.html', 'https://www.tiktok.com/@someoneelse/live');
    const same = [...findChatList(elsewhere)!.children].find((r) =>
      r.querySelector('a[href="/@kitchenpro.us"]'),
    )!;
    expect(parseRow(same)!.kind).toBe('chat');
  });

  it('does not take a viewer typing "sent … x5" for a gift', () => {
    expect(parseRow(message(owner('Bob'), 'sent you the link x5'))!.kind).toBe('chat');
  });

  it('gives null for spacers, empty slots, the top-gifter strip and rows caught half-written', () => {
    document.body.innerHTML = `<div><div data-index="-1" class="w-full"></div><div data-index="9" class="w-full"></div><div data-index="10"><div class="flex"></div></div><div class="tiktok-6q1v4k-DivTopGiverContainer"><span>Top viewers</span></div></div>`;
    for (const r of document.body.firstElementChild!.children) expect(parseRow(r)).toBeNull();
    expect(parseRow(message(owner('Bob'), ''))).toBeNull();
  });
});

describe('tiktok findChatList', () => {
  it('takes the parent of the data-index slots, not the sticky join line nor the pinned message', () => {
    const doc = open('live-room.html');
    const list = findChatList(doc)!;
    expect([...list.children].every((c) => c.hasAttribute('data-index'))).toBe(true);
    expect(list.closest('[data-e2e="live-chat-container"]')).not.toBeNull();
  });

  it('takes the rows’ parent in the emotion layout, leaving the sticky container out', () => {
    const list = findChatList(open('live-room-2024.html', 'https://www.tiktok.com/@kitchenpro.us/live'))!;
    expect(list.className).toContain('DivChatMessageList');
  });

  it('finds the list before its first row, and none where no chat is built', () => {
    document.body.innerHTML = `<div class="tiktok-1fs9jlk-DivChatRoomContent"><div id="l" class="tiktok-1c9cfuz-DivChatMessageList"></div><div class="tiktok-1pwimsz-DivBottomStickyMessageContainer"><div data-e2e="enter-message"><span data-e2e="message-owner-name">Sam</span><span>joined</span></div></div></div>`;
    expect(findChatList(document)).toBe(document.getElementById('l'));
    document.body.innerHTML = `<div class="tiktok-1pwimsz-DivBottomStickyMessageContainer"><div data-e2e="enter-message"><span data-e2e="message-owner-name">Sam</span><span>joined</span></div></div>`;
    expect(findChatList(document)).toBeNull();
  });
});

describe('tiktok recycled slots', () => {
  it('reads a slot again after the list rewrote it for another message', () => {
    const doc = open('live-room.html');
    const slot = findChatList(doc)!.querySelector('[data-index="38"]')!;
    expect(parseRow(slot)).toMatchObject({ author: 'Maya R.' });

    slot.setAttribute('data-index', '48');
    slot.querySelector('[data-e2e="message-owner-name"]')!.textContent = 'jess.k';
    slot.querySelector('.align-middle')!.textContent = 'just ordered 2!';
    expect(parseRow(slot)).toEqual({ author: 'jess.k', text: 'just ordered 2!', kind: 'chat' });
  });

  it('is reported once more by the content script’s observer when its text is rewritten in place', async () => {
    mount('live-room.html');
    const list = findChatList(document)!;
    const seen: ObservedRow[] = [];
    const observer = new ChatObserver(tiktok, list, (r) => seen.push(r));
    observers.push(observer);
    observer.start();
    expect(seen).toHaveLength(9);

    const slot = list.querySelector('[data-index="46"]')!;
    slot.querySelector('[data-e2e="message-owner-name"]')!.firstChild!.nodeValue = 'Ann';
    slot.querySelector('.align-middle')!.firstChild!.nodeValue = 'added to cart';
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(9));
    expect(seen.slice(9)).toEqual([
      { author: 'Ann', text: 'added to cart', kind: 'chat', backlog: false, seenAt: expect.any(Number) },
    ]);
  });
});

describe('tiktok pageState and room', () => {
  it('stays live when a viewer types "LIVE has ended" or "Log in to TikTok" in the chat', () => {
    const doc = open('live-room.html');
    doc.querySelector('[data-index="38"] .align-middle')!.textContent =
      'LIVE has ended?? Log in to TikTok lol';
    expect(tiktok.pageState(doc)).toBe('live');
  });

  it('is unknown while the page has neither chat nor a verdict (the header Log in button is no wall)', () => {
    document.body.innerHTML = '<div id="app"><button id="header-login-button">Log in</button></div>';
    expect(tiktok.pageState(document)).toBe('unknown');
  });

  it('reads the @handle as written in the URL and no SSR data of another room', () => {
    const doc = open('live-room.html', 'https://www.tiktok.com/@GlowBeauty.Shop/live');
    expect(tiktok.readRoom(doc, 'https://www.tiktok.com/@GlowBeauty.Shop/live')).toMatchObject({
      anchorId: '@GlowBeauty.Shop',
      roomId: '7519612384410585870',
    });
    expect(tiktok.readRoom(doc, 'https://www.tiktok.com/@other.shop/live')).not.toHaveProperty('roomId');
  });
});

describe('tiktok readProducts', () => {
  it('marks a card featured when one of its tags says Pinned, wherever the card stands', () => {
    document.body.innerHTML = `<div data-e2e="live-product-item" data-product-id="1729">
      <span data-e2e="live-product-title">Ceramic mug 350 ml</span><span>Pinned</span><span>$12.99</span></div>
      <div data-e2e="live-product-item" data-product-id="1730">
      <span data-e2e="live-product-title">Glass teapot</span><span>$19.99</span></div>`;
    expect(tiktok.readProducts(document)).toEqual([
      { id: '1729', title: 'Ceramic mug 350 ml', price: '$12.99', featured: true },
      { id: '1730', title: 'Glass teapot', price: '$19.99' },
    ]);
  });

  it('takes a title without a hook even when it begins like a label ("Washable" is not "Was")', () => {
    document.body.innerHTML = `<div data-e2e="live-product-item" data-product-id="77">
      <span>Washable cotton tee</span><s>Was $30.00</s><span>$14.99</span><span>Free shipping</span></div>`;
    expect(tiktok.readProducts(document)).toEqual([
      {
        id: '77',
        title: 'Washable cotton tee',
        price: '$14.99',
        originalPrice: '$30.00',
        shipping: 'Free shipping',
      },
    ]);
  });
});
