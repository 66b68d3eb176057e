import { describe, expect, it } from 'vitest';
import { splitTerms } from '../../../src/core/terms';

const shown = (text: string) => splitTerms(text).map((p) => `${p.kind}:${p.text}`);

describe('terms kept on one line', () => {
  it('cuts out each SHA-256 and keeps the text around it as it is', () => {
    const text = '文件 a.jsonl 已被改动：SHA-256 与清单不符（SHA-256）';
    const parts = splitTerms(text);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.kind === 'term').map((p) => p.text)).toEqual(['SHA-256', 'SHA-256']);
    expect(splitTerms('SHA-256')).toEqual([{ text: 'SHA-256', kind: 'term' }]);
    expect(splitTerms('no term')).toEqual([{ text: 'no term', kind: 'text' }]);
    expect(splitTerms('')).toEqual([{ text: '', kind: 'text' }]);
  });

  it('keeps each hyphen of an id with its neighbours, and lets the rest of the id break', () => {
    expect(shown('场次 20261128-174012-3f9a2c1b')).toEqual([
      'text:场次 ',
      'id:2026112',
      'term:8-1',
      'id:7401',
      'term:2-3',
      'id:f9a2c1b',
    ]);
    const text = '文件 sessions/20261128-174012-3f9a2c1b/events.jsonl 已被改动：SHA-256 与清单不符';
    expect(
      splitTerms(text)
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
    expect(shown(text).slice(-4)).toEqual([
      'id:f9a2c1b',
      'text:/events.jsonl 已被改动：',
      'term:SHA-256',
      'text: 与清单不符',
    ]);
    expect(shown('liveproof-20261128-174012-a1b2c3.zip')).toEqual([
      'id:liveproo',
      'term:f-2',
      'id:026112',
      'term:8-1',
      'id:7401',
      'term:2-a',
      'id:1b2c3',
      'text:.zip',
    ]);
    // Hyphens one character apart make one piece; words without a digit break as words do.
    expect(shown('2026-11-28T17:40:12Z')).toEqual(['id:202', 'term:6-11-2', 'id:8T17', 'text::40:12Z']);
    expect(shown('a time-stamp')).toEqual(['text:a time-stamp']);
  });
});
