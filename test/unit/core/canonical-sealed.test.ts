import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonOfSealed } from '../../../src/core/canonical';
import { sessionA, sessionB } from './package/fixtures';

describe('canonicalJsonOfSealed: the fast path for events already sealed', () => {
  it('writes exactly what canonicalJson writes, for the RFC 8785 examples and awkward values', () => {
    const values: unknown[] = [
      JSON.parse(
        '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001,-0,1e21,1e-7],' +
          '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
      ),
      { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\u0080': 5, '\ud83d\ude00': 6, '\u00f6': 7, a: [] },
      {
        text: '小美优选 😀 \u202egnp.exe \u200b\u0000\u001f\u007f\u2028\u2029 <script>"\'\\',
        n: [1.5, -2, 0.1 + 0.2],
      },
      { nested: { z: { y: [{ b: 1, a: 2 }, [], {}] }, a: null }, skip: undefined },
      [undefined, 'x'],
      'plain',
      42,
      null,
    ];
    for (const v of values) expect(canonicalJsonOfSealed(v)).toBe(canonicalJson(v));
  });

  it('agrees with canonicalJson on every event of the sample sessions', async () => {
    for (const s of [await sessionA(), await sessionB()])
      for (const e of s.events) expect(canonicalJsonOfSealed(e)).toBe(canonicalJson(e));
  });
});
