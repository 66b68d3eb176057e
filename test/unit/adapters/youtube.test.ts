// @vitest-environment happy-dom
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../src/adapters/registry';
import { isKnownLivePage, platformOf } from '../../../src/adapters/platforms';
import {
  findChatList,
  pageState,
  parseRow,
  readRoom,
  roomKey,
  videoIdFromContinuation,
  videoIdOf,
  youtube,
} from '../../../src/adapters/youtube';
import { openFixture, type FixturePage } from './fixture-dom';

const ID = 'Zx3qLmN8pQw';
const LIVE_PAGE = `https://www.youtube.com/live/${ID}`;

const pages: FixturePage[] = [];
function open(fixture: string, url: string): Document {
  const page = openFixture('youtube', fixture, url);
  pages.push(page);
  return page.document;
}
afterAll(async () => {
  await Promise.all(pages.map((p) => p.close()));
});
afterEach(() => {
  document.body.innerHTML = '';
});

/** One row inside a chat list, built from its markup; returns the row. */
function row(markup: string): Element {
  document.body.innerHTML = `<yt-live-chat-item-list-renderer><div id="items">${markup}</div></yt-live-chat-item-list-renderer>`;
  return document.querySelector('#items')!.firstElementChild!;
}

/** A text message row with the usual author chip. */
function textMessage(attrs: string, name: string, message: string, extra = ''): string {
  return `<yt-live-chat-text-message-renderer ${attrs}><div id="content"><span id="timestamp">8:10 PM</span>
    <yt-live-chat-author-chip><span id="author-name" dir="auto">${name}<span id="chip-badges"></span></span>
    <span id="chat-badges">${extra}</span></yt-live-chat-author-chip><span id="message">${message}</span>
    <span id="deleted-state"></span></div></yt-live-chat-text-message-renderer>`;
}

describe('youtube URLs', () => {
  const CLAIMED = [
    `https://www.youtube.com/live/${ID}`,
    `https://www.youtube.com/live/${ID}?si=Fh2kE9bQ`,
    `https://www.youtube.com/live_chat?is_popout=1&v=${ID}`,
    `https://www.youtube.com/live_chat?v=${ID}&is_popout=1`,
    'https://www.youtube.com/live_chat?continuation=0ofMyAOAARpeQ2lr&dark_theme=true&authuser=0',
  ];
  // Not started by themselves, but served when the user starts them: the watch page and the replay.
  const CLAIMED_BY_HAND = [
    `https://www.youtube.com/watch?v=${ID}`,
    `https://www.youtube.com/watch?app=desktop&v=${ID}&t=95s`,
    'https://www.youtube.com/live_chat_replay?continuation=op2w0wRgGlhDaWtx&playerOffsetMs=0',
  ];
  const OTHERS = [
    'https://www.youtube.com/',
    'https://www.youtube.com/@LinaDealRoom/live',
    'https://www.youtube.com/@LinaDealRoom',
    'https://www.youtube.com/live',
    'https://www.youtube.com/watch',
    'https://www.youtube.com/watch?list=PL123',
    `https://www.youtube.com/shorts/${ID}`,
    'https://www.youtube.com/feed/subscriptions',
    'https://www.youtube.com/results?search_query=live+shopping',
    `https://www.youtube.com/live_chatter?v=${ID}`,
    `https://m.youtube.com/watch?v=${ID}`,
    `https://studio.youtube.com/live_chat?v=${ID}`,
    `https://www.youtube.com.example.com/live/${ID}`,
    `https://example.com/www.youtube.com/live/${ID}`,
    `http://www.youtube.com/live/${ID}`,
  ];

  it.each(CLAIMED)('claims %s, a live page the manifest runs on', (url) => {
    expect(adapterFor(url).id).toBe('youtube');
    expect(isKnownLivePage(url)).toBe(true);
  });

  it.each(CLAIMED_BY_HAND)('serves %s when preservation is started by hand', (url) => {
    expect(adapterFor(url).id).toBe('youtube');
    expect(platformOf(url)).toBe('youtube');
  });

  it.each(OTHERS)('leaves %s to others', (url) => {
    expect(youtube.matches.some((m) => m.test(url))).toBe(false);
  });
});

describe('youtube roomKey', () => {
  it('gives the live page, its watch form and its popout chat one key: the video', () => {
    const key = roomKey(LIVE_PAGE);
    expect(key).toBe(`https://www.youtube.com/watch?v=${ID}`);
    expect(roomKey(`https://www.youtube.com/watch?v=${ID}&t=95s&list=PL1`)).toBe(key);
    expect(roomKey(`https://www.youtube.com/live/${ID}?si=Fh2kE9bQ`)).toBe(key);
    expect(roomKey(`https://www.youtube.com/live_chat?is_popout=1&v=${ID}`)).toBe(key);
    expect(roomKey(`https://www.youtube.com/live_chat?v=${ID}`)).toBe(key);
  });

  it('gives the chat frame embedded in the live page the page’s key, though its URL names no video', () => {
    const doc = open('live-page.html', LIVE_PAGE);
    const src = doc.querySelector('iframe#chatframe')!.getAttribute('src')!;
    expect(new URL(src).searchParams.has('v')).toBe(false);
    expect(roomKey(src)).toBe(roomKey(LIVE_PAGE));
  });

  it('gives another video another key', () => {
    expect(roomKey('https://www.youtube.com/live/Qm7Rt2Kd9Xa')).not.toBe(roomKey(LIVE_PAGE));
    expect(roomKey('https://www.youtube.com/live_chat?v=Qm7Rt2Kd9Xa')).not.toBe(roomKey(LIVE_PAGE));
  });

  it('keeps chats whose token it cannot read apart, and apart from every video', () => {
    const a = roomKey('https://www.youtube.com/live_chat?continuation=opaque-token-a');
    const b = roomKey('https://www.youtube.com/live_chat?continuation=opaque-token-b');
    expect(a).not.toBe(b);
    expect(a).not.toMatch(/watch\?v=/);
  });
});

describe('youtube video ids', () => {
  it('reads the video out of a continuation token and shrugs at anything else', () => {
    const src = new URL(open('live-page.html', LIVE_PAGE).querySelector('#chatframe')!.getAttribute('src')!);
    expect(videoIdFromContinuation(src.searchParams.get('continuation')!)).toBe(ID);
    for (const junk of ['', 'opaque', '%%%', '0ofMyAOAARpe', 'A'.repeat(400)])
      expect(videoIdFromContinuation(junk)).toBeUndefined();
  });

  it('takes v= before anything else and rejects what is not an id', () => {
    expect(videoIdOf(`https://www.youtube.com/watch?v=${ID}`)).toBe(ID);
    expect(videoIdOf('https://www.youtube.com/watch?v=../../x')).toBeUndefined();
    expect(videoIdOf('https://www.youtube.com/@LinaDealRoom/live')).toBeUndefined();
    expect(videoIdOf('not a url')).toBeUndefined();
  });
});

describe('youtube parseRow', () => {
  it('keeps the "[message deleted]" note of a retracted message', () => {
    const r = row(
      `<yt-live-chat-text-message-renderer id="ChwKGkDEL" is-deleted=""><div id="content">
        <yt-live-chat-author-chip><span id="author-name">@spam_bot_22</span></yt-live-chat-author-chip>
        <span id="message"></span><span id="deleted-state">[message deleted]</span></div></yt-live-chat-text-message-renderer>`,
    );
    expect(parseRow(r)).toEqual({
      author: '@spam_bot_22',
      text: '[message deleted]',
      kind: 'chat',
      id: 'ChwKGkDEL',
    });
  });

  it('knows the host by the owner class of the name when the row has no author-type', () => {
    const r = row(
      textMessage('id="ChwKGkOWN"', '@LinaDealRoom', 'timer is on').replace(
        'id="author-name"',
        'id="author-name" class="owner style-scope yt-live-chat-author-chip"',
      ),
    );
    expect(parseRow(r)).toMatchObject({ author: '@LinaDealRoom', kind: 'host' });
  });

  it('leaves badge pictures (member, verified) out of the name', () => {
    const badge = `<yt-live-chat-author-badge-renderer type="member" aria-label="Member (2 years)"><div id="image"><img alt="Member (2 years)" src="data:,"></div></yt-live-chat-author-badge-renderer>`;
    const r = row(
      textMessage('id="ChwKGkMEM" author-type="member"', '@Tomoko_M', 'hi').replace(
        '<span id="chip-badges"></span>',
        `<span id="chip-badges">${badge}</span>`,
      ),
    );
    expect(parseRow(r)).toEqual({ author: '@Tomoko_M', text: 'hi', kind: 'chat', id: 'ChwKGkMEM' });
  });

  it('reads a Super Sticker as a gift: amount and the sticker’s name', () => {
    const r = row(
      `<yt-live-chat-paid-sticker-renderer id="ChwKGkSTK"><yt-img-shadow id="author-photo"><img id="img" alt="" src="data:,"></yt-img-shadow>
        <div id="content"><div id="author-info"><yt-live-chat-author-chip><span id="author-name">@BuyerBob</span></yt-live-chat-author-chip>
        <div id="purchase-amount-chip">US$2.00</div></div>
        <div id="sticker-container"><yt-img-shadow id="sticker"><img id="img" alt="Cat holding a shopping bag" src="data:,"></yt-img-shadow></div></div>
        </yt-live-chat-paid-sticker-renderer>`,
    );
    expect(parseRow(r)).toEqual({
      author: '@BuyerBob',
      text: 'US$2.00 Cat holding a shopping bag',
      kind: 'gift',
      id: 'ChwKGkSTK',
    });
  });

  it('reads a membership milestone with its message', () => {
    const r = row(
      `<yt-live-chat-membership-item-renderer id="ChwKGkMLS"><div id="header"><div id="header-content-inner-column">
        <yt-live-chat-author-chip><span id="author-name" class="member">@Tomoko_M</span></yt-live-chat-author-chip></div>
        <div id="header-primary-text">Member for 6 months</div><div id="header-subtext">Lina's Deal Room</div></div>
        <div id="content"><div id="message">half a year of bargains <img class="emoji" alt="🎉" src="data:,"></div></div>
        </yt-live-chat-membership-item-renderer>`,
    );
    expect(parseRow(r)).toEqual({
      author: '@Tomoko_M',
      text: "Member for 6 months Lina's Deal Room half a year of bargains 🎉",
      kind: 'gift',
      id: 'ChwKGkMLS',
    });
  });

  it('reads gifted memberships as gifts', () => {
    const r = row(
      `<ytd-sponsorships-live-chat-gift-purchase-announcement-renderer id="ChwKGkGFT"><div id="header">
        <ytd-sponsorships-live-chat-header-renderer><div id="content"><div id="header">
        <yt-live-chat-author-chip><span id="author-name">@BigSpender</span></yt-live-chat-author-chip>
        <span id="primary-text">Sent 5 Lina's Deal Room gift memberships</span></div></div>
        </ytd-sponsorships-live-chat-header-renderer></div></ytd-sponsorships-live-chat-gift-purchase-announcement-renderer>`,
    );
    expect(parseRow(r)).toEqual({
      author: '@BigSpender',
      text: "Sent 5 Lina's Deal Room gift memberships",
      kind: 'gift',
      id: 'ChwKGkGFT',
    });
  });

  it('reads chat mode changes as notices without an author', () => {
    const r = row(
      `<yt-live-chat-mode-change-message-renderer id="ChwKGkMOD"><yt-icon id="icon"></yt-icon><div id="content">
        <span id="text">Slow mode is on</span><span id="subtext">Send a message every 30 seconds</span></div>
        </yt-live-chat-mode-change-message-renderer>`,
    );
    expect(parseRow(r)).toEqual({
      author: '',
      text: 'Slow mode is on Send a message every 30 seconds',
      kind: 'system',
      id: 'ChwKGkMOD',
    });
  });

  it('reads a row type it does not know by its author and message', () => {
    const r = row(
      textMessage('id="ChwKGkNEW"', '@mike_r', 'hello').replace(
        /yt-live-chat-text-message-renderer/g,
        'yt-live-chat-future-message-renderer',
      ),
    );
    expect(parseRow(r)).toEqual({ author: '@mike_r', text: 'hello', kind: 'chat', id: 'ChwKGkNEW' });
  });

  it('gives null for placeholders and empty rows', () => {
    expect(
      parseRow(
        row(
          '<yt-live-chat-placeholder-item-renderer id="p1" style="height: 32px"></yt-live-chat-placeholder-item-renderer>',
        ),
      ),
    ).toBeNull();
    expect(
      parseRow(
        row(
          '<yt-live-chat-text-message-renderer id="e1"><div id="content"></div></yt-live-chat-text-message-renderer>',
        ),
      ),
    ).toBeNull();
  });
});

describe('youtube findChatList and pageState', () => {
  it('finds #items in the chat document, and nothing on the watch page, whose chat is in a frame', () => {
    expect(findChatList(open('live-chat-frame.html', `https://www.youtube.com/live_chat?v=${ID}`))!.id).toBe(
      'items',
    );
    expect(findChatList(open('live-page.html', LIVE_PAGE))).toBeNull();
  });

  it('finds the chat when a watch page renders it inline', () => {
    const doc = open('live-page.html', LIVE_PAGE);
    doc.querySelector('ytd-live-chat-frame')!.innerHTML =
      '<yt-live-chat-item-list-renderer><div id="item-offset"><div id="items"></div></div></yt-live-chat-item-list-renderer>';
    expect(findChatList(doc)).toBe(doc.querySelector('#item-offset > #items'));
  });

  it('is not fooled by viewers or the description saying the stream ended', () => {
    const doc = open('live-page.html', LIVE_PAGE);
    doc.querySelector('#attributed-snippet-text')!.textContent =
      'This live stream has ended. Streamed live yesterday.';
    expect(pageState(doc)).toBe('live');

    const chat = open('live-chat-frame.html', `https://www.youtube.com/live_chat?v=${ID}`);
    chat.querySelector('#items #message')!.textContent = 'This live stream has ended lol';
    expect(pageState(chat)).toBe('live');
  });

  it('calls a chat replay ended, even with its rows on screen', () => {
    const doc = open(
      'live-chat-frame.html',
      'https://www.youtube.com/live_chat_replay?continuation=op2w0wRgGlhDaWtx',
    );
    expect(findChatList(doc)).not.toBeNull();
    expect(pageState(doc)).toBe('ended');
  });

  it('does not know the state of a stream whose chat is disabled', () => {
    document.body.innerHTML = `<yt-live-chat-app><div id="contents"><yt-live-chat-message-renderer>
      <div id="content"><yt-formatted-string id="text">Chat is disabled for this live stream.</yt-formatted-string></div>
      </yt-live-chat-message-renderer></div></yt-live-chat-app>`;
    expect(pageState(document)).toBe('unknown');
  });

  it('calls the chat app’s "ended" message ended', () => {
    document.body.innerHTML = `<yt-live-chat-app><div id="contents"><yt-live-chat-message-renderer>
      <div id="content"><yt-formatted-string id="text">This live stream has ended.</yt-formatted-string></div>
      </yt-live-chat-message-renderer></div></yt-live-chat-app>`;
    expect(pageState(document)).toBe('ended');
  });

  it('reports the age and bot checks as a login wall', () => {
    document.body.innerHTML = `<ytd-watch-flexy video-id="${ID}"><div id="player"><yt-playability-error-supported-renderers>
      <div class="reason">Sign in to confirm you’re not a bot</div></yt-playability-error-supported-renderers></div></ytd-watch-flexy>`;
    expect(pageState(document)).toBe('login');
  });

  it('reads no room title from the chat document’s own tab title', () => {
    const doc = open('live-chat-frame.html', `https://www.youtube.com/live_chat?v=${ID}`);
    expect(doc.title).toBe('Live chat');
    expect(readRoom(doc, `https://www.youtube.com/live_chat?v=${ID}`).title).toBeUndefined();
  });
});
