// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COLLAPSE_MS, REDRAW_MS, WarningBanner, type Warning } from '../../../src/content/warning-banner';
import { translator } from '../../../src/core/i18n';

/** The banner's shadow root is closed to the page; the test keeps the root it was given. */
let roots: ShadowRoot[] = [];
beforeEach(() => {
  roots = [];
  const attach = HTMLElement.prototype.attachShadow;
  vi.spyOn(HTMLElement.prototype, 'attachShadow').mockImplementation(function (this: HTMLElement, init) {
    const root = attach.call(this, init);
    roots.push(root);
    return root;
  });
  vi.useFakeTimers();
});
const banners: WarningBanner[] = [];
/** A banner in `lang`, dismissed after the test (it would otherwise put itself back on the page). */
function banner(lang: 'zh_CN' | 'en' = 'zh_CN'): WarningBanner {
  const b = new WarningBanner(translator(lang));
  banners.push(b);
  return b;
}
afterEach(() => {
  for (const b of banners.splice(0)) b.dismiss();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const pusher: Warning = {
  seq: 12,
  time: '2026-11-29T06:00:00.000Z',
  category: 'off-platform',
  tier: 'block',
  rule: 'off-platform/contact-wechat',
  text: '喜欢的加我威信 meimei_2025 直接给你发货',
  author: '福利小助手',
};

const host = () => document.querySelector('liveproof-warning') as HTMLElement | null;
const text = () => roots[0]!.textContent ?? '';
const settle = () => Promise.resolve();

describe('the in-page warning', () => {
  it('says what was said, by whom, why it is risky and that it was saved (Chinese)', () => {
    banner().show(pusher);
    expect(host()).not.toBeNull();
    expect(roots[0]!.mode).toBe('closed');
    expect(text()).toContain('有人在拉你私下交易');
    expect(text()).toContain('福利小助手 说：');
    expect(text()).toContain('meimei_2025');
    expect(text()).toContain('不要在平台外付款');
    expect(text()).toContain('已保存');
  });

  it('speaks English to an English browser, and names a price trap as such', () => {
    banner('en').show({
      ...pusher,
      category: 'price-trap',
      rule: 'price-trap/headline-fee',
      text: '1分钱秒杀 运费99',
      author: '小美优选',
      host: true,
    });
    expect(text()).toContain('Price trap');
    expect(text()).toContain('The host 小美优选 said:');
    expect(text()).toContain('Check the real amount before you pay');
  });

  it('shrinks to a small pill after a while, so it never covers the buy button for long, and opens again', () => {
    const b = banner();
    b.show(pusher);
    vi.advanceTimersByTime(COLLAPSE_MS + 1);
    expect(text()).not.toContain('meimei_2025');
    const pill = roots[0]!.querySelector('button')!;
    expect(pill.textContent).toContain('LiveProof 提醒（1）');
    pill.click();
    expect(text()).toContain('meimei_2025');
  });

  it('stays open while warnings keep coming, and shrinks a while after the last one', () => {
    const b = banner();
    for (let i = 1; i <= 4; i++) {
      b.show({ ...pusher, seq: i, text: `加我威信 id_${i}` });
      vi.advanceTimersByTime(COLLAPSE_MS / 2);
    }
    // Two collapse times since the first warning, half of one since the last: still open.
    expect(text()).toContain('加我威信 id_4');
    vi.advanceTimersByTime(COLLAPSE_MS / 2 - 10);
    expect(text()).toContain('加我威信 id_4');
    vi.advanceTimersByTime(20);
    expect(text()).not.toContain('加我威信 id_4');
    expect(text()).toContain('LiveProof 提醒（4）');
  });

  it('is dismissed with its button and then leaves the page', () => {
    banner().show(pusher);
    roots[0]!.querySelector('button')!.click();
    expect(host()).toBeNull();
  });

  it('is put back, with its own style, when the page removes or restyles it', async () => {
    banner().show(pusher);
    const style = host()!.getAttribute('style');
    expect(style).toContain('position: fixed !important');
    host()!.setAttribute('style', 'display:none');
    await settle();
    expect(host()!.getAttribute('style')).toBe(style);
    host()!.remove();
    await settle();
    expect(host()).not.toBeNull();
  });

  it('shows the latest warnings first, at most three, and counts them all', () => {
    const b = banner();
    for (let i = 1; i <= 5; i++) b.show({ ...pusher, seq: i, text: `加我威信 id_${i}` });
    const quotes = () => [...roots[0]!.querySelectorAll('blockquote')].map((q) => q.textContent);
    // The first is shown at once; a burst right after it is drawn together a moment later.
    expect(quotes()).toEqual(['加我威信 id_1']);
    vi.advanceTimersByTime(REDRAW_MS - 1);
    expect(quotes()).toEqual(['加我威信 id_1']);
    vi.advanceTimersByTime(1);
    expect(quotes()).toEqual(['加我威信 id_5', '加我威信 id_4', '加我威信 id_3']);
    vi.advanceTimersByTime(COLLAPSE_MS + 1);
    expect(text()).toContain('LiveProof 提醒（5）');
  });

  it('keeps the keyboard on its button while more warnings come in', () => {
    const b = banner();
    b.show(pusher);
    const button = roots[0]!.querySelector('.row button') as HTMLButtonElement;
    button.focus();
    expect(roots[0]!.activeElement).toBe(button);
    for (let i = 1; i <= 4; i++) b.show({ ...pusher, seq: 20 + i, text: `加我威信 id_${i}` });
    vi.advanceTimersByTime(REDRAW_MS);
    const quotes = [...roots[0]!.querySelectorAll('blockquote')].map((q) => q.textContent);
    expect(quotes).toEqual(['加我威信 id_4', '加我威信 id_3', '加我威信 id_2']);
    expect(roots[0]!.activeElement).toBe(button);
  });

  it('shows page text as text, never as markup', () => {
    banner().show({
      ...pusher,
      text: '<img src=x onerror=alert(1)>',
      author: '<b>x</b>',
    });
    expect(roots[0]!.querySelector('img')).toBeNull();
    expect(roots[0]!.querySelector('b')).toBeNull();
    expect(text()).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('what the banner says about preservation itself', () => {
  it('says that preservation stopped for lack of space and that nothing kept is harmed, until it resumes', () => {
    const b = banner();
    b.showNotice('storage-full');
    expect(text()).toContain('LiveProof 已停止保全');
    expect(text()).toContain('之前保存的内容完好无损');
    vi.advanceTimersByTime(COLLAPSE_MS * 3);
    expect(text()).toContain('LiveProof 已停止保全'); // a stop does not fade away
    b.showNotice('storage-resumed');
    expect(text()).toContain('LiveProof 已继续保全');
    expect(text()).not.toContain('已停止保全');
    vi.advanceTimersByTime(COLLAPSE_MS + 1);
    expect(host()).toBeNull(); // "resumed" goes away by itself
  });

  it('speaks English, and a warning that comes meanwhile is shown with it', () => {
    const b = banner('en');
    b.showNotice('storage-full');
    b.show(pusher);
    expect(text()).toContain('LiveProof stopped preserving');
    expect(text()).toContain('meimei_2025');
  });
});
