import { describe, expect, it } from 'vitest';
import { splitTerms } from '../../../src/core/terms';

describe('terms kept on one line', () => {
  it('cuts out each SHA-256 and keeps the text around it as it is', () => {
    const text = '文件 a.jsonl 已被改动：SHA-256 与清单不符（SHA-256）';
    const parts = splitTerms(text);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.term).map((p) => p.text)).toEqual(['SHA-256', 'SHA-256']);
    expect(splitTerms('SHA-256')).toEqual([{ text: 'SHA-256', term: true }]);
    expect(splitTerms('no term')).toEqual([{ text: 'no term', term: false }]);
    expect(splitTerms('')).toEqual([{ text: '', term: false }]);
  });
});
