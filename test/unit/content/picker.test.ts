// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatPicker } from '../../../src/content/picker';
import { translator } from '../../../src/core/i18n';

const CHAT = `<main><div class="player"><button id="buy">去抢购</button></div>
  <aside class="panel"><h2>直播间聊天</h2><ul class="x8Yq2">
    <li><span class="n">小鹿乱撞：</span><span class="t">多少钱</span></li>
    <li><span class="n">王大妈：</span><span class="t">包邮吗</span></li>
    <li><span class="n">七月：</span><span class="t">已拍</span></li>
  </ul></aside></main>`;

/** The picker's closed shadow root, caught as it is made (the page itself can never reach it). */
function catchShadow(): () => ShadowRoot {
  const spy = vi.spyOn(HTMLElement.prototype, 'attachShadow');
  return () => spy.mock.results.at(-1)!.value as ShadowRoot;
}

const move = (el: Element) =>
  el.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, composed: true, clientX: 5, clientY: 5 }));
const click = (el: Element) =>
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
const frame = () => new Promise((resolve) => setTimeout(resolve, 50));

const pickers: ChatPicker[] = [];
function picker(lang: 'zh_CN' | 'en' = 'zh_CN'): ChatPicker {
  const p = new ChatPicker(translator(lang));
  pickers.push(p);
  return p;
}

afterEach(() => {
  for (const p of pickers.splice(0)) p.cancel();
  vi.restoreAllMocks();
  document.documentElement.querySelectorAll('liveproof-picker').forEach((e) => e.remove());
  document.body.innerHTML = '';
});

describe('ChatPicker: pointing at the chat area', () => {
  it('shows the instruction in Chinese, outlines the list under the pointer and takes it on a click', async () => {
    document.body.innerHTML = CHAT;
    const shadow = catchShadow();
    const p = picker();
    const chosen = p.pick();
    const root = shadow();
    expect(document.querySelector('liveproof-picker')).not.toBeNull();
    expect(root.querySelector('.bar')!.textContent).toContain('点击直播的聊天区域');
    expect(root.querySelector('.bar')!.textContent).toContain('Esc');

    move(document.querySelector('.n')!);
    await frame();
    expect(root.querySelector('.box')!.className).toBe('box on');
    expect(root.querySelector('.tag')!.textContent).toBe('这一块：3 行');

    const pageClicks = vi.fn();
    document.addEventListener('click', pageClicks);
    click(document.querySelectorAll('.t')[1]!);
    expect(await chosen).toBe(document.querySelector('ul'));
    // The page never saw the click that chose its chat.
    expect(pageClicks).not.toHaveBeenCalled();
    expect(root.querySelector('.tag')!.textContent).toBe('已选定并记住');
    expect(p.active).toBe(false);
    document.removeEventListener('click', pageClicks);
  });

  it('speaks English when the browser does', () => {
    document.body.innerHTML = CHAT;
    const shadow = catchShadow();
    void picker('en').pick();
    const bar = shadow().querySelector('.bar')!;
    expect(bar.textContent).toContain('Click the live chat area');
    expect(bar.querySelector('button')!.textContent).toBe('Cancel');
  });

  it('Escape cancels: nothing chosen, the overlay gone, the page’s clicks work again', async () => {
    document.body.innerHTML = CHAT;
    const chosen = picker().pick();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(await chosen).toBeNull();
    expect(document.querySelector('liveproof-picker')).toBeNull();
    const buy = vi.fn();
    document.getElementById('buy')!.addEventListener('click', buy);
    click(document.getElementById('buy')!);
    expect(buy).toHaveBeenCalledOnce();
  });

  it('the cancel button on the bar cancels too', async () => {
    document.body.innerHTML = CHAT;
    const shadow = catchShadow();
    const chosen = picker().pick();
    shadow().querySelector('button')!.click();
    expect(await chosen).toBeNull();
    expect(document.querySelector('liveproof-picker')).toBeNull();
  });

  it('points into an open shadow root of the page', async () => {
    document.body.innerHTML = '<main><chat-panel></chat-panel></main>';
    const root = document.querySelector('chat-panel')!.attachShadow({ mode: 'open' });
    root.innerHTML = CHAT;
    const chosen = picker().pick();
    click(root.querySelector('.n')!);
    expect(await chosen).toBe(root.querySelector('ul'));
  });
});
