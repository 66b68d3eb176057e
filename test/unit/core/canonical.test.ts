import { describe, expect, it } from 'vitest';
import { canonicalJson, clipText, wellFormed } from '../../../src/core/canonical';

describe('canonicalJson: RFC 8785 (JCS), the bytes every hash is taken over', () => {
  it('matches the RFC 8785 §3.2.2 example (numbers, escapes, literals)', () => {
    const value = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(value)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, as the RFC 8785 §3.2.3 example does', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [-0, '0'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [-1.5e-300, '-1.5e-300'],
    [Number('9007199254740993'), '9007199254740992'], // beyond 2^53: the nearest double
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('writes the number %s as %s (ECMAScript Number serialisation)', (n, text) => {
    expect(canonicalJson(n)).toBe(text);
    expect(canonicalJson({ n })).toBe(`{"n":${text}}`);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %s, which has no JSON form', (n) => {
    expect(() => canonicalJson({ n })).toThrow();
  });

  it('escapes control characters as \\uXXXX (lowercase) or their short forms, and nothing else', () => {
    const text = '\u0000\u0001\u0008\t\n\u000b\f\r\u001f "\\/ \u007f\u2028\u2029é中😀';
    expect(canonicalJson(text)).toBe(
      '"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\"\\\\/ \u007f\u2028\u2029é中😀"',
    );
  });

  it('gives the same bytes for the same value whatever order its keys were written in', () => {
    const a = {
      seq: 3,
      type: 'chat',
      data: { text: '你好', author: '小鹿', kind: 'chat' },
      list: [{ b: 1, a: 2 }],
    };
    const b = {
      list: [{ a: 2, b: 1 }],
      data: { kind: 'chat', author: '小鹿', text: '你好' },
      type: 'chat',
      seq: 3,
    };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"data":{"author":"小鹿","kind":"chat","text":"你好"},"list":[{"a":2,"b":1}],"seq":3,"type":"chat"}',
    );
  });

  it('keeps array order (an array is a sequence, not a set)', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('leaves out undefined members, as JSON does, so an absent optional field hashes like a missing one', () => {
    expect(canonicalJson({ a: 1, backlog: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('throws on a value with no JSON form at all', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('rejects a lone surrogate in a string or a key (JCS requires well-formed text)', () => {
    expect(() => canonicalJson({ text: 'a\ud800b' })).toThrow(/surrogate/i);
    expect(() => canonicalJson({ text: 'end\udc00' })).toThrow(/surrogate/i);
    expect(() => canonicalJson({ ['\ud83d']: 1 })).toThrow(/surrogate/i);
    expect(canonicalJson({ text: '\ud83d\ude00' })).toBe('{"text":"😀"}');
  });
});

describe('wellFormed: hostile page text made sealable', () => {
  it('replaces each lone surrogate with U+FFFD and keeps surrogate pairs', () => {
    expect(wellFormed('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormed('a\udc00b')).toBe('a\ufffdb');
    expect(wellFormed('\ude00\ud83d')).toBe('\ufffd\ufffd'); // a pair in the wrong order is two lone halves
    expect(wellFormed('x\ud83d')).toBe('x\ufffd');
    expect(wellFormed('\ud83d\ude00\ud83d\ude00')).toBe('😀😀');
    expect(wellFormed('普通的中文 text')).toBe('普通的中文 text');
  });

  it('keeps the length, so limits counted before and after agree', () => {
    const hostile = '\ud800'.repeat(10) + '😀' + '\udfff';
    expect(wellFormed(hostile)).toHaveLength(hostile.length);
  });

  it('always produces text canonicalJson accepts', () => {
    for (const s of ['\ud800', '\udc00\ud800', 'a\ud800\ud800\udc00', '\udbff\udfff\udbff']) {
      expect(() => canonicalJson({ text: wellFormed(s) }), JSON.stringify(s)).not.toThrow();
      expect(() => encodeURIComponent(wellFormed(s))).not.toThrow(); // throws on lone surrogates
    }
  });
});

describe('clipText: cutting page text at a limit', () => {
  it('never leaves half of an emoji, so the cut text can be sealed', () => {
    const cut = clipText('长'.repeat(9) + '😀x', 10);
    expect(cut).toBe('长'.repeat(9));
    expect(() => canonicalJson({ t: cut })).not.toThrow();
  });

  it('keeps text within the limit as it is, and repairs lone surrogates', () => {
    expect(clipText('主播说😀', 10)).toBe('主播说😀');
    expect(clipText('a\udc00b', 10)).toBe('a\ufffdb');
  });
});
