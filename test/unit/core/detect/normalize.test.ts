import { describe, expect, it } from 'vitest';
import { normalize, normalizeLayer } from '../../../../src/core/detect';
import { fold, refine, skeleton } from '../../../../src/core/detect/normalize';

/** The original text covered by normalised units [start, end), by the documented formula. */
function covered(original: string, map: number[], start: number, end: number): string {
  return original.slice(map[start], map[end - 1]! + 1);
}

describe('normalize', () => {
  it.each([
    ['ｖｘ ａｂｃ１２３', '微信 abc123'],
    ['微\u200b信\u200d号', '微信号'],
    ['①③⑧ ❶❸❾ ➀➂➈ ➊➌➒ ⓵⓷⓽ ⓿', '138 139 139 139 139 0'],
    ['⓫⓴', '1120'],
    ['⑴⑵⒈⒉', '1212'],
    ['𝟏𝟑𝟖 ⁹₈', '138 98'],
    ['1️⃣3️⃣8️⃣', '138'],
    ['🅥🅧 🇻🇽', '微信 微信'],
    ['HELLO World', 'hello world'],
  ])('folds %s', (input, expected) => {
    expect(normalize(input).text).toBe(expected);
  });

  it('maps look-alikes and homophones of WeChat, QQ and Telegram to one form', () => {
    for (const s of [
      '威信',
      '薇信',
      '徽信',
      '维信',
      '溦信',
      '嶶信',
      '矀信',
      '微伩',
      'V信',
      'vx',
      'wx',
      'weixin',
      'WeChat',
      '卫星',
      '绿泡泡',
      '🛰️',
      '薇❤信',
      'v/x',
    ])
      expect(normalize(s).text, s).toBe('微信');
    for (const s of ['扣扣', '抠抠', '蔻蔻', '🐧']) expect(normalize(s).text, s).toBe('qq');
    expect(normalize('企鹅号').text).toBe('qq号');
    for (const s of ['纸飞机', '电报', 'TG', '✈️']) expect(normalize(s).text, s).toBe('telegram');
    expect(normalize('whats app').text).toBe('whatsapp');
    expect(normalize('➕V').text).toBe('+v');
  });

  it('applies the whitelist before folding', () => {
    for (const s of [
      '安徽信息',
      '威信县',
      '很有威信',
      '警徽信息',
      '维信金科',
      '北斗卫星',
      '卫星电视',
      '扣扣子',
      '折纸飞机',
    ])
      expect(normalize(s).text, s).toBe(s);
  });

  it('converts Chinese, financial and spelled-out numerals only inside digit runs', () => {
    expect(normalize('一三八一二三四五六七八').text).toBe('13812345678');
    expect(normalize('壹叁捌 幺贰叁肆 伍陆柒捌').text).toBe('138 1234 5678');
    expect(normalize('第一次买两件，一二三').text).toBe('第一次买两件,一二三'); // NFKC: ，→ ,
    expect(normalize('three zero five five five one two three four').text).toBe('3 0 5 5 5 1 2 3 4');
    expect(normalize('one of two').text).toBe('one of two');
    expect(normalize('l38l2345678').text).toBe('13812345678');
    expect(normalize('hello123456 lollipop').text).toBe('hello123456 lollipop');
  });

  it('keeps an offset map whose spans cover the original', () => {
    const original = '加我 威信：ＭＥＩ ①③⑧ 一二三四五';
    const { text, map } = normalize(original);
    expect(map).toHaveLength(text.length);
    const at = text.indexOf('微信');
    expect(covered(original, map, at, at + 2)).toBe('威信');
    const mei = text.indexOf('mei');
    expect(covered(original, map, mei, mei + 3)).toBe('ＭＥＩ');
    const digits = text.indexOf('138');
    expect(covered(original, map, digits, digits + 3)).toBe('①③⑧');
    const run = text.indexOf('12345');
    expect(covered(original, map, run, run + 5)).toBe('一二三四五');
    // The map never goes backwards.
    for (let i = 1; i < map.length; i++) expect(map[i]).toBeGreaterThanOrEqual(map[i - 1]!);
  });

  it('round-trips every span of mixed text', () => {
    const original = '薇❤信 ｘｉａｏ 1 3 8 - 1234 运费¥99 three four five six seven 安徽信息';
    const { text, map } = normalize(original);
    for (let start = 0; start < text.length; start++)
      for (let end = start + 1; end <= text.length; end++) {
        const piece = covered(original, map, start, end);
        expect(original.includes(piece)).toBe(true);
        expect(map[start]).toBeLessThanOrEqual(map[end - 1]!);
      }
  });

  it('gives full cluster ends for surrogate pairs and keycaps', () => {
    const original = '𝟏𝟑 1️⃣🐧';
    const layer = normalizeLayer(original);
    expect(layer.text).toBe('13 1qq');
    const qq = layer.text.indexOf('qq');
    expect(original.slice(layer.start[qq], layer.end[qq + 1])).toBe('🐧');
    const one = layer.text.indexOf('1', 3);
    expect(original.slice(layer.start[one], layer.end[one])).toBe('1️⃣');
    expect(original.slice(layer.start[0], layer.end[1])).toBe('𝟏𝟑');
  });

  it('builds a skeleton without separators that keeps IDs, decimals and times', () => {
    const sk = (s: string) => skeleton(refine(fold(s))).text;
    expect(sk('微 信-号：1 3 8-1234-5678')).toBe('微信号:13812345678');
    expect(sk('meimei_2025 hl-fashion01')).toBe('meimei_2025hl-fashion01');
    expect(sk('9.9 元 20:30 138.1234.5678')).toBe('9.9元20:3013812345678');
    expect(sk('¥138 ¥1234')).toBe('¥138¥1234');
    const layer = skeleton(refine(fold('加 我 ab')));
    expect(layer.text).toBe('加我ab');
    expect(layer.src).toEqual([0, 2, 4, 5]);
  });
});
