import { describe, expect, it } from 'vitest';
import { priceValue, timelineSeries, timelineSvg } from '../../../../src/core/case/timeline';
import type { SealedEvent } from '../../../../src/core/evidence';

const at = (s: number) => new Date(Date.parse('2026-11-28T09:40:00.000Z') + s * 1000).toISOString();
let seq = 0;
const ev = (type: SealedEvent['type'], s: number, data: Record<string, unknown> = {}): SealedEvent => ({
  seq: seq++,
  type,
  time: at(s),
  data,
  prev: '0'.repeat(64),
  hash: '0'.repeat(64),
});

describe('the timeline chart', () => {
  it('reads prices as shown', () => {
    expect(priceValue('¥1,299.00')).toBe(1299);
    expect(priceValue('到手价 99 元')).toBe(99);
    expect(priceValue('¥0.01')).toBe(0.01);
    expect(priceValue('面议')).toBeNull();
    expect(priceValue(undefined)).toBeNull();
  });

  it('buckets chat per minute, counts detections, steps the price, and leaves the backlog out', () => {
    const events = [
      ev('chat', 0, { backlog: true }),
      ...Array.from({ length: 30 }, (_, i) => ev('chat', i)), // 30 in the first half minute
      ev('product', 5, { state: 'shown', price: '¥99' }),
      ev('product', 20, { state: 'changed', price: '¥99' }), // same price: no step
      ev('product', 40, { state: 'changed', price: '¥1', finalPrice: '¥1' }),
      ev('detection', 41, { category: 'price-trap' }),
      ev('chat', 119),
    ];
    const s = timelineSeries(events)!;
    expect(s.bucketMs).toBe(2000);
    expect(s.chatPerMin.reduce((a, b) => a + b, 0) * (s.bucketMs / 60_000)).toBe(31);
    expect(s.detections.reduce((a, b) => a + b, 0)).toBe(1);
    expect(s.prices.map((p) => p.value)).toEqual([99, 1]);
    expect(s.end - s.start).toBe(s.chatPerMin.length * s.bucketMs);
  });

  it('charts a stream of 300,000 events and 50,000 price changes (more than a call takes as arguments)', () => {
    const events: SealedEvent[] = [];
    for (let i = 0; i < 300_000; i++) events.push(ev('chat', i / 100));
    for (let i = 0; i < 50_000; i++)
      events.push(ev('product', i / 20, { state: 'changed', price: `¥${i % 2 ? 1 : 99}` }));
    const s = timelineSeries(events)!;
    expect(s.chatPerMin.reduce((a, b) => a + b, 0) * (s.bucketMs / 60_000)).toBeCloseTo(300_000);
    const svg = timelineSvg(s, { title: 't', chatRate: 'c', detections: 'd', price: 'p', time: String }).html;
    expect(svg).toContain('<svg');
  });

  it('draws every point inside the plot, even for a stream of a few seconds', () => {
    const s = timelineSeries([ev('chat', 0), ev('chat', 3), ev('chat', 11)])!;
    const svg = timelineSvg(s, { title: 't', chatRate: 'c', detections: 'd', price: 'p', time: String }).html;
    const points = /points="([^"]+)"/
      .exec(svg)![1]!
      .split(' ')
      .map((p) => Number(p.split(',')[0]));
    for (const x of points) {
      expect(x).toBeGreaterThanOrEqual(48);
      expect(x).toBeLessThanOrEqual(760 - 56);
    }
  });
});
