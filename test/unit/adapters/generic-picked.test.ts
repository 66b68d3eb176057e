// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"enableIframePageLoading": true}}
import { afterEach, describe, expect, it } from 'vitest';
import {
  chatPathOf,
  isHashedName,
  listAround,
  resolveChatPath,
  selectorFor,
} from '../../../src/adapters/generic';

afterEach(() => {
  document.body.innerHTML = '';
});

function html(markup: string): void {
  document.body.innerHTML = markup;
}

/** The selector finds the element it was made for, and only that one. */
function roundTrip(el: Element): string {
  const sel = selectorFor(el);
  const root = el.getRootNode() as ParentNode;
  expect(root.querySelectorAll(sel)).toHaveLength(1);
  expect(root.querySelector(sel)).toBe(el);
  return sel;
}

const rows = (n: number, cls = 'msg') =>
  Array.from(
    { length: n },
    (_, i) => `<div class="${cls}"><span class="nick">观众${i}</span><span>第${i}条</span></div>`,
  ).join('');

describe('isHashedName: names a build tool made up', () => {
  it.each([
    'TNg5meqw',
    'commentItem-AzWZJ8',
    'chat_list__3xY7a',
    'sc-bdVaJa',
    'css-1x2y3z',
    'r7',
    'zz',
    'bqxzt',
    'xBazmQ',
    'comment-1234567',
  ])('%s is hashed', (name) => expect(isHashedName(name)).toBe(true));

  it.each([
    'chat-list',
    'webcast-chatroom___item',
    'chatItem',
    'ChatRoom',
    'danmaku',
    'message-list',
    'side',
  ])('%s is stable', (name) => expect(isHashedName(name)).toBe(false));
});

describe('selectorFor: a selector that finds the same element again', () => {
  it('uses a stable id', () => {
    html(`<div id="chat-box">${rows(3)}</div><div class="chat-box">x</div>`);
    expect(roundTrip(document.getElementById('chat-box')!)).toBe('#chat-box');
  });

  it('does not use an id made of counters or a framework’s generated id', () => {
    html(`<section class="panel"><div id="comment-88123456">${rows(3)}</div></section>
      <section class="other"><div id=":r1:">${rows(2)}</div></section>`);
    const sel = roundTrip(document.getElementById('comment-88123456')!);
    expect(sel).not.toContain('88123456');
    expect(roundTrip(document.getElementById(':r1:')!)).not.toContain('r1');
  });

  it('uses stable class names and leaves hashed and state classes out', () => {
    html(
      `<div class="webcast-chatroom__list TNg5meqw is-active">${rows(3)}</div><div class="webcast-chatroom__gifts xQz9ab">礼物</div>`,
    );
    const sel = roundTrip(document.querySelector('.TNg5meqw')!);
    expect(sel).toBe('div.webcast-chatroom__list');
  });

  it('uses a role or test attribute when the classes are all hashed', () => {
    html(`<div class="a8Xq2 Lm3Pq9" role="log">${rows(3)}</div><div class="a8Xq2 Lm3Pq9">菜单</div>`);
    expect(roundTrip(document.querySelector('[role="log"]')!)).toBe('div[role="log"]');
    html(`<div class="a8Xq2" data-e2e="chat-list">${rows(3)}</div><div class="a8Xq2">x</div>`);
    expect(roundTrip(document.querySelector('[data-e2e]')!)).toBe('div[data-e2e="chat-list"]');
  });

  it('falls back to a structural path from an ancestor with a name of its own', () => {
    html(`<aside class="side"><h2>聊天</h2><ul>${rows(3)}</ul></aside><main><ul><li>菜单</li></ul></main>`);
    const ul = document.querySelector('aside ul')!;
    expect(roundTrip(ul)).toBe('aside.side > ul');
  });

  it('counts siblings of the same kind when nothing else tells them apart', () => {
    html(`<div class="Xk2p9"><div class="Qz8w1">${rows(2)}</div><div class="Qz8w1">${rows(3)}</div></div>`);
    const second = document.querySelectorAll('.Qz8w1')[1]!;
    const sel = roundTrip(second);
    expect(sel).toMatch(/nth-of-type\(2\)/);
    expect(sel).not.toMatch(/Xk2p9|Qz8w1/);
  });

  it('escapes names that are not plain identifiers', () => {
    html(`<div id="1st-chat">${rows(2)}</div><div class="live.chat">${rows(2)}</div>`);
    roundTrip(document.getElementById('1st-chat')!);
    roundTrip(document.querySelector('[class="live.chat"]')!);
  });

  it('works within a shadow root', () => {
    html('<chat-panel></chat-panel>');
    const root = document.querySelector('chat-panel')!.attachShadow({ mode: 'open' });
    root.innerHTML = `<div class="wrap"><div class="x9Yq2">${rows(3)}</div></div>`;
    roundTrip(root.querySelector('.x9Yq2')!);
  });
});

describe('chatPathOf and resolveChatPath: the way back, through shadow roots and frames', () => {
  it('a list in the page', () => {
    html(`<aside class="side"><ul>${rows(3)}</ul></aside>`);
    const ul = document.querySelector('ul')!;
    const path = chatPathOf(ul)!;
    expect(path).toEqual(['aside.side > ul']);
    expect(resolveChatPath(document, path)).toBe(ul);
  });

  it('a list in a shadow root inside a frame', () => {
    html('<div class="player"></div><iframe class="chat-frame"></iframe>');
    const frame = document.querySelector('iframe')!;
    const doc = frame.contentDocument!;
    // happy-dom leaves out `frameElement`, which browsers give a same-origin frame's window.
    Object.defineProperty(doc.defaultView!, 'frameElement', { value: frame });
    doc.body.innerHTML = '<live-chat></live-chat>';
    const root = doc.querySelector('live-chat')!.attachShadow({ mode: 'open' });
    root.innerHTML = `<div class="list">${rows(4)}</div>`;
    const list = root.querySelector('.list')!;
    const path = chatPathOf(list)!;
    expect(path).toEqual(['iframe.chat-frame', 'live-chat', 'div.list']);
    expect(resolveChatPath(document, path)).toBe(list);
  });

  it('finds nothing when a step is missing or leads nowhere', () => {
    html(`<aside class="side"><ul>${rows(3)}</ul></aside>`);
    expect(resolveChatPath(document, ['aside.gone > ul'])).toBeNull();
    expect(resolveChatPath(document, ['aside.side', 'ul'])).toBeNull(); // not a host or frame
    expect(resolveChatPath(document, ['::garbage(('])).toBeNull();
  });
});

describe('listAround: what pointing at the chat means', () => {
  const CHAT = `<aside class="panel"><h2>聊天</h2><ul class="c">
      <li class="row"><span class="badge">Lv3</span><span class="nick">小美：</span><span class="t">好看</span></li>
      <li class="row is-host"><span class="badge">主播</span><span class="nick">主播：</span><span class="t">上链接</span></li>
      <li class="row"><span class="nick">七月：</span><span class="t">赞<img alt="[赞]" src="data:,"><img alt="[赞]" src="data:,"><img alt="[赞]" src="data:,"></span></li>
    </ul><div class="input">说点什么</div></aside>`;

  it('a nickname, a message or the list itself all mean the list', () => {
    html(CHAT);
    const ul = document.querySelector('ul')!;
    expect(listAround(document.querySelector('.nick')!)).toBe(ul);
    expect(listAround(document.querySelectorAll('.t')[1]!)).toBe(ul);
    expect(listAround(ul)).toBe(ul);
  });

  it('a message of three emoji pictures still means the list, not the message', () => {
    html(CHAT);
    expect(listAround(document.querySelector('img')!)).toBe(document.querySelector('ul'));
  });

  it('a bare list without any names', () => {
    html(
      '<div><div><ul><li><span>小美：</span><span>好</span></li><li><span>阿强：</span><span>来了</span></li></ul></div></div>',
    );
    expect(listAround(document.querySelector('span')!)).toBe(document.querySelector('ul'));
  });

  it('an element with nothing like rows around it is taken as it is', () => {
    html('<div class="video"><canvas></canvas></div>');
    const canvas = document.querySelector('canvas')!;
    expect(listAround(canvas)).toBe(canvas);
  });
});
