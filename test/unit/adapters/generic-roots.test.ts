// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"enableIframePageLoading": true}}
import { afterEach, describe, expect, it } from 'vitest';
import {
  findChatList,
  generic,
  knownNestedList,
  nestedRoots,
  parseRow,
  WALK_LIMITS,
} from '../../../src/adapters/generic';

afterEach(() => {
  document.body.innerHTML = '';
});

const CHAT = `<ul class="chat-list" role="log">
  <li class="chat-item"><span class="user-name">小鹿乱撞：</span><span class="chat-text">多少钱</span></li>
  <li class="chat-item"><span class="user-name">王大妈：</span><span class="chat-text">包邮吗</span></li>
</ul>`;

/** A custom element with an open shadow root holding `inner`; returns the root. */
function shadowHost(
  parent: ParentNode,
  tag: string,
  inner: string,
  mode: 'open' | 'closed' = 'open',
): ShadowRoot {
  const host = document.createElement(tag);
  parent.append(host);
  const root = host.attachShadow({ mode });
  root.innerHTML = inner;
  return root;
}

/** A same-origin frame whose document holds `inner`. */
function frameWith(inner: string): { frame: HTMLIFrameElement; doc: Document } {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const doc = frame.contentDocument!;
  doc.body.innerHTML = inner;
  return { frame, doc };
}

describe('generic findChatList inside shadow roots', () => {
  it('finds a chat list in the open shadow root of a custom element', () => {
    document.body.innerHTML = '<header>小美优选</header><main id="app"></main>';
    const root = shadowHost(document.getElementById('app')!, 'live-chat-panel', CHAT);
    const list = findChatList(document);
    expect(list).toBe(root.querySelector('ul'));
    expect([...list!.children].map((r) => parseRow(r))).toEqual([
      { author: '小鹿乱撞', text: '多少钱', kind: 'chat' },
      { author: '王大妈', text: '包邮吗', kind: 'chat' },
    ]);
  });

  it('finds one in a shadow root inside another shadow root (a micro-frontend in a web component)', () => {
    document.body.innerHTML = '<div id="app"></div>';
    const outer = shadowHost(
      document.getElementById('app')!,
      'wujie-app',
      '<section class="shell"></section>',
    );
    const inner = shadowHost(outer.querySelector('section')!, 'chat-room', CHAT);
    expect(findChatList(document)).toBe(inner.querySelector('ul'));
  });

  it('does not open closed shadow roots (only the page itself can)', () => {
    document.body.innerHTML = '<div id="app"></div>';
    shadowHost(document.getElementById('app')!, 'secret-chat', CHAT, 'closed');
    expect(findChatList(document)).toBeNull();
  });

  it('prefers the page’s own chat list to one in a shadow root', () => {
    document.body.innerHTML = `<div id="app"></div>${CHAT.replace('chat-list', 'chat-list top')}`;
    shadowHost(document.getElementById('app')!, 'live-chat-panel', CHAT);
    expect(findChatList(document)!.className).toBe('chat-list top');
  });

  it('remembers the nested list while it is shown, so the page reads as live without a new walk', () => {
    document.body.innerHTML = '<div id="app"></div>';
    const root = shadowHost(document.getElementById('app')!, 'live-chat-panel', CHAT);
    expect(generic.pageState(document)).toBe('unknown');
    expect(findChatList(document)).toBe(root.querySelector('ul'));
    expect(knownNestedList(document)).toBe(root.querySelector('ul'));
    expect(generic.pageState(document)).toBe('live');
    document.getElementById('app')!.remove();
    expect(knownNestedList(document)).toBeNull();
    expect(findChatList(document)).toBeNull();
  });
});

describe('generic findChatList inside same-origin frames', () => {
  it('finds a chat list in the document of a same-origin iframe', () => {
    document.body.innerHTML = '<h1>好物直播</h1>';
    const { doc } = frameWith(CHAT);
    expect(findChatList(document)).toBe(doc.querySelector('ul'));
  });

  it('finds one in a shadow root inside a frame', () => {
    const { doc } = frameWith('<div id="mount"></div>');
    const host = doc.createElement('chat-room');
    doc.getElementById('mount')!.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = CHAT;
    expect(findChatList(document)).toBe(root.querySelector('ul'));
  });

  it('skips a frame of another origin, whose document it may not read', () => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    Object.defineProperty(frame, 'contentDocument', {
      get() {
        throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
      },
    });
    expect(nestedRoots(document)).toEqual([]);
    expect(findChatList(document)).toBeNull();
  });
});

describe('nestedRoots: a bounded walk', () => {
  it('returns the outer roots before the inner ones', () => {
    document.body.innerHTML = '<div id="a"></div><div id="b"></div>';
    const a = shadowHost(document.getElementById('a')!, 'x-a', '<div id="a2"></div>');
    const a2 = shadowHost(a.getElementById('a2')!, 'x-a2', '<p>inner</p>');
    const b = shadowHost(document.getElementById('b')!, 'x-b', '<p>b</p>');
    expect(nestedRoots(document)).toEqual([a, b, a2]);
  });

  it('stops after its budget of elements, roots and depth', () => {
    document.body.innerHTML = `${'<p>filler</p>'.repeat(50)}<div id="late"></div>`;
    const late = shadowHost(document.getElementById('late')!, 'x-late', '<p>late</p>');
    expect(nestedRoots(document, { ...WALK_LIMITS, elements: 20 })).toEqual([]);
    expect(nestedRoots(document)).toEqual([late]);

    document.body.innerHTML = '<div id="r"></div>';
    let parent: ParentNode = document.getElementById('r')!;
    const chain: ShadowRoot[] = [];
    for (let i = 0; i < 6; i++) {
      const root = shadowHost(parent, `x-level-${i}`, '<div class="mount"></div>');
      chain.push(root);
      parent = root.querySelector('.mount')!;
    }
    expect(nestedRoots(document)).toEqual(chain.slice(0, WALK_LIMITS.depth));
    expect(nestedRoots(document, { ...WALK_LIMITS, roots: 2 })).toEqual(chain.slice(0, 2));
  });
});
