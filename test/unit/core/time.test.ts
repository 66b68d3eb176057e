import { describe, expect, it } from 'vitest';
import { isoTime, nowIso } from '../../../src/core/time';
describe('nowIso: the clock formatted once a second', () => {
  it('writes exactly what toISOString writes, across seconds, minutes, days and odd years', () => {
    const starts = [
      Date.parse('2026-11-28T23:59:58.990Z'),
      Date.parse('1999-12-31T23:59:59.000Z'),
      Date.parse('2026-02-28T12:00:00.000Z'),
      0,
      Date.parse('0001-01-01T00:00:00.000Z'),
      8.64e15 - 5000, // the last instant a Date can hold, a six-digit year
    ];
    for (const start of starts)
      for (let ms = start; ms < start + 3000; ms += 7) expect(nowIso(ms)).toBe(new Date(ms).toISOString());
  });

  it('isoTime() is the clock now, isoTime(date) that date', () => {
    const before = Date.now();
    const now = Date.parse(isoTime());
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    expect(isoTime(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });
});
