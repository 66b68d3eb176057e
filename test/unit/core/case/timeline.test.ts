import { describe, expect, it } from 'vitest';
import { parseInert } from '../../support/inert-html';
import {
  CHART_HEADROOM,
  CHART_PAD,
  niceTicks,
  priceCurrency,
  priceValue,
  timelineSeries,
  timelineSvg,
  type ChartLabels,
} from '../../../../src/core/case/timeline';
import type { SealedEvent } from '../../../../src/core/evidence';
import { renderReport } from '../../../../src/core/report';
import type { SessionSummary } from '../../../../src/core/package/manifest';

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

  it('knows the currency a price was shown in', () => {
    expect(priceCurrency('¥1,299.00')).toEqual({ prefix: '¥', suffix: '' });
    expect(priceCurrency('到手价 ￥99')).toEqual({ prefix: '¥', suffix: '' });
    expect(priceCurrency('US$ 5.99')).toEqual({ prefix: 'US$', suffix: '' });
    expect(priceCurrency('到手价 99 元')).toEqual({ prefix: '', suffix: ' 元' });
    expect(priceCurrency('99')).toBeNull();
    expect(priceCurrency('面议')).toBeNull();
  });

  it('ticks at round numbers that take in the whole range', () => {
    expect(niceTicks(0, 99)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 99, 2)).toEqual([0, 50, 100]);
    expect(niceTicks(0, 168)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(1259, 1299)).toEqual([1250, 1260, 1270, 1280, 1290, 1300]);
    expect(niceTicks(0, 0.03)).toEqual([0, 0.01, 0.02, 0.03]);
    expect(niceTicks(0, 1)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

/** A stream whose card shows ¥99, then ¥1 (with a detection), then ¥99 again, under busy chat. */
function priceDropStream(): SealedEvent[] {
  const events: SealedEvent[] = [];
  for (let i = 0; i < 300; i++) events.push(ev('chat', i * 0.4 + (i % 7), { author: `a${i}`, text: 'hi' }));
  events.push(ev('product', 5, { state: 'shown', price: '¥99' }));
  events.push(ev('product', 60, { state: 'changed', price: '¥99', finalPrice: '¥1' }));
  events.push(ev('detection', 61, { category: 'price-trap', text: '1 元秒杀' }));
  events.push(ev('product', 90, { state: 'changed', price: '¥99' }));
  return events.sort((a, b) => a.time.localeCompare(b.time));
}

const LABELS: ChartLabels = {
  title: 't',
  chatRate: 'chat (per minute)',
  detections: 'd',
  price: 'price',
  priceIn: (c) => `price (${c})`,
  time: String,
};

const texts = (doc: Document, selector: string) =>
  [...doc.querySelectorAll(selector)].map((e) => e.textContent!.trim());

describe('the timeline chart as a reader sees it', () => {
  it('labels the price axis with round amounts in the currency shown, and each price with its amount', () => {
    const doc = parseInert(timelineSvg(timelineSeries(priceDropStream())!, LABELS).html);
    // Not the padded ends of the range (0.9 and 109) but round amounts from zero past the highest.
    const ticks = texts(doc, '.price-axis');
    expect(ticks).toEqual(['¥0', '¥25', '¥50', '¥75', '¥100']);
    // The prices the card showed, each beside its step.
    expect(texts(doc, '.price-label')).toEqual(['¥99', '¥1', '¥99']);
    expect(texts(doc, '.price-title')).toEqual(['price (¥)']);
    // Every axis number is a value on its axis, drawn at the height of that value.
    const frame = doc.querySelector('rect.plot')!;
    const top = Number(frame.getAttribute('y'));
    const bottom = top + Number(frame.getAttribute('height'));
    const ys = [...doc.querySelectorAll('.price-axis')].map((e) => Number(e.getAttribute('y')) - 4);
    expect(ys[0]).toBeCloseTo(bottom);
    const dots = [...doc.querySelectorAll('circle.price-dot')].map((c) => Number(c.getAttribute('cy')));
    const at = (v: number) => bottom - (v / 100) * (bottom - ys[ys.length - 1]!);
    expect(dots[0]).toBeCloseTo(at(99), 0);
    expect(dots[1]).toBeCloseTo(at(1), 0);
  });

  it('keeps the chat line and the prices off the frame’s top edge, and says what the line is', () => {
    const s = timelineSeries(priceDropStream())!;
    const doc = parseInert(timelineSvg(s, LABELS).html);
    const ys = doc
      .querySelector('polyline.rate')!
      .getAttribute('points')!
      .split(' ')
      .map((p) => Number(p.split(',')[1]));
    // The busiest bucket is drawn at its value (168 a minute), with room above it.
    expect(Math.max(...s.chatPerMin)).toBe(168);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(CHART_PAD.top + CHART_HEADROOM);
    const dots = [...doc.querySelectorAll('circle.price-dot')].map((c) => Number(c.getAttribute('cy')));
    expect(Math.min(...dots)).toBeGreaterThanOrEqual(CHART_PAD.top + CHART_HEADROOM);
    // Its axis is named over it and in the legend, and its ticks are round rates.
    expect(texts(doc, '.rate-title')).toEqual(['chat (per minute)']);
    expect(texts(doc, '.legend text')).toContain('chat (per minute)');
    expect(texts(doc, '.rate-axis')).toEqual(['0', '50', '100', '150', '200']);
  });

  it('puts each price label beside its dot, clear of the bars and of the other labels', () => {
    // A drop with risky statements on both sides of it, and three steps a second apart at the end.
    const events = priceDropStream();
    events.push(ev('detection', 57, { category: 'price-trap' }));
    for (const [s, price] of [
      [110, '¥98'],
      [111, '¥97'],
      [112, '¥96'],
    ] as const)
      events.push(ev('product', s, { state: 'changed', price }));
    events.sort((a, b) => a.time.localeCompare(b.time));
    const doc = parseInert(timelineSvg(timelineSeries(events)!, LABELS).html);
    const num = (e: Element, a: string) => Number(e.getAttribute(a));
    // A label's box as the widest bold face draws it: 7.7px a character, 10px above its baseline, 3 below.
    const labels = [...doc.querySelectorAll('text.price-label')].map((t) => {
      const w = t.textContent!.length * 7.7;
      const x0 = t.getAttribute('text-anchor') === 'end' ? num(t, 'x') - w : num(t, 'x');
      return { text: t.textContent!, dot: 0, x0, x1: x0 + w, y0: num(t, 'y') - 10, y1: num(t, 'y') + 3 };
    });
    expect(labels.map((l) => l.text)).toEqual(['¥99', '¥1', '¥99', '¥98', '¥97', '¥96']);
    const bars = [...doc.querySelectorAll('rect.det')]
      .filter((r) => !r.closest('.legend'))
      .map((r) => ({
        x0: num(r, 'x'),
        x1: num(r, 'x') + num(r, 'width'),
        y0: num(r, 'y'),
        y1: num(r, 'y') + num(r, 'height'),
      }));
    expect(bars).toHaveLength(2);
    const dots = [...doc.querySelectorAll('circle.price-dot')].map((c) => num(c, 'cx'));
    type Box = { x0: number; x1: number; y0: number; y1: number };
    const hit = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    labels.forEach((l, i) => {
      for (const b of bars) expect(hit(l, b), `${l.text} on a bar`).toBe(false);
      for (const m of labels.slice(i + 1)) expect(hit(l, m), `${l.text} on ${m.text}`).toBe(false);
      expect(Math.min(Math.abs(l.x0 - dots[i]!), Math.abs(l.x1 - dots[i]!)), l.text).toBeLessThanOrEqual(6);
      expect(l.x0).toBeGreaterThanOrEqual(CHART_PAD.left);
      expect(l.x1).toBeLessThanOrEqual(760 - CHART_PAD.right);
    });
  });

  it('labels only the lowest and highest price when there are many, and prices without a currency plainly', () => {
    const events: SealedEvent[] = [];
    for (let i = 0; i < 40; i++)
      events.push(ev('product', i * 3, { state: 'changed', price: `${10 + (i % 5)}.5` }));
    const doc = parseInert(timelineSvg(timelineSeries(events)!, LABELS).html);
    expect(texts(doc, '.price-label')).toEqual(['10.50', '14.50']);
    expect(texts(doc, '.price-axis')).toEqual(['10', '11', '12', '13', '14', '15']);
    expect(texts(doc, '.price-title')).toEqual(['price']);
  });

  it('names the price axis with its currency in report.html, in Chinese and in English', async () => {
    const events = priceDropStream();
    const summary = {
      id: '20261128-094000-3f9a2c1b',
      startedAt: events[0]!.time,
      endedAt: events[events.length - 1]!.time,
    } as SessionSummary;
    for (const [lang, rate, price] of [
      ['zh_CN', '聊天（条/分钟）', '价格（¥）'],
      ['en', 'chat (per minute)', 'price (¥)'],
    ] as const) {
      const doc = parseInert(
        renderReport({ name: 'p', created: 'c', lang, toolVersion: '0', sessions: [{ summary, events }] }),
      );
      const chart = doc.querySelector('svg.timeline')!;
      expect(texts(chart as unknown as Document, '.rate-title'), lang).toEqual([rate]);
      expect(texts(chart as unknown as Document, '.price-title'), lang).toEqual([price]);
      expect(texts(chart as unknown as Document, '.price-axis'), lang).toEqual([
        '¥0',
        '¥25',
        '¥50',
        '¥75',
        '¥100',
      ]);
      expect(texts(chart as unknown as Document, '.price-label'), lang).toEqual(['¥99', '¥1', '¥99']);
    }
  });
});
