/**
 * report.html's chart and text as a receiver's Chromium lays them out (no extension needed): the
 * price axis reads in round amounts of the currency shown and every price step carries its amount,
 * the chat line keeps off the frame's top edge, no two of the chart's words cover each other, no
 * price label covers a risk-statement bar or the price line (bars on both sides of a step too), and
 * "SHA-256" is never broken at its hyphen, in Chinese and in English. Screenshots are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../src/cli/chromium';
import { renderReport } from '../../src/core/report';
import { emptyHead, sealAfter, type Unsealed } from '../../src/core/chain';
import type { SessionSummary } from '../../src/core/package/manifest';
import { ARTIFACTS, termLines } from './harness';

const work = mkdtempSync(join(tmpdir(), 'liveproof-report-chart-'));
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: findChromium() });
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * Two minutes of busy chat while the card shows ¥99, then ¥1 (said to be a trap), then ¥99 again;
 * `flanked` adds a risky statement just before the drop too, so that bars stand on both sides of it.
 */
async function reportFile(lang: 'zh_CN' | 'en', flanked = false): Promise<string> {
  const id = '20261128-094000-3f9a2c1b';
  const at = (s: number) => new Date(Date.parse('2026-11-28T09:40:00.000Z') + s * 1000).toISOString();
  const inputs: { s: number; e: Omit<Unsealed, 'time'> }[] = [
    ...Array.from({ length: 300 }, (_, i) => ({
      s: i * 0.4 + (i % 7),
      e: { type: 'chat' as const, data: { author: `观众${i}`, text: '多少钱', kind: 'chat' } },
    })),
    { s: 5, e: { type: 'product', data: { state: 'shown', title: '保温杯', price: '¥99' } } },
    {
      s: 60,
      e: { type: 'product', data: { state: 'changed', title: '保温杯', price: '¥99', finalPrice: '¥1' } },
    },
    { s: 61, e: { type: 'detection', data: { category: 'price-trap', text: '1 元秒杀' } } },
    ...(flanked
      ? [{ s: 57, e: { type: 'detection' as const, data: { category: 'price-trap', text: '马上 1 元' } } }]
      : []),
    { s: 90, e: { type: 'product', data: { state: 'changed', title: '保温杯', price: '¥99' } } },
  ];
  inputs.sort((a, b) => a.s - b.s);
  const events = await sealAfter(
    await emptyHead(id),
    inputs.map(({ s, e }) => ({ ...e, time: at(s) })),
  );
  const summary: SessionSummary = {
    id,
    url: 'https://live.example/room/880123456',
    title: '保温杯专场',
    platform: 'web',
    adapter: 'generic',
    startedAt: events[0]!.time,
    endedAt: events[events.length - 1]!.time,
    eventCount: events.length,
    chatCount: 300,
    screenshotCount: 0,
    genesis: events[0]!.prev,
    chainHead: events[events.length - 1]!.hash,
    events: `sessions/${id}/events.jsonl`,
  };
  const file = join(work, `report-${lang}${flanked ? '-flanked' : ''}.html`);
  writeFileSync(
    file,
    renderReport({
      name: 'liveproof-test',
      created: at(200),
      lang,
      toolVersion: '0.1.0',
      sessions: [{ summary, events }],
    }),
  );
  return pathToFileURL(file).href;
}

/** The chart's words (axis numbers, titles, labels, legend) that cover one another, as pairs. */
function overlappingWords(page: Page): Promise<string[]> {
  return page
    .locator('svg.timeline')
    .first()
    .evaluate((svg) => {
      const boxes = [...svg.querySelectorAll('text')]
        .map((t) => ({ text: t.textContent!.trim(), r: t.getBoundingClientRect() }))
        .filter((b) => b.text && b.r.width > 0);
      const out: string[] = [];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!.r, boxes[j]!.r];
          // A pixel of slack: glyph boxes of neighbouring lines touch.
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
            out.push(`${boxes[i]!.text} / ${boxes[j]!.text}`);
        }
      return out;
    });
}

/**
 * What covers a price's label in the first chart, as `label / what` pairs: a risk-statement bar, the
 * price line, another label; and each label whose near edge is not beside its step's dot.
 */
function labelClashes(page: Page): Promise<string[]> {
  return page
    .locator('svg.timeline')
    .first()
    .evaluate((svg) => {
      interface Box {
        left: number;
        right: number;
        top: number;
        bottom: number;
      }
      const hit = (a: Box, b: Box) =>
        a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const labels = [...svg.querySelectorAll('text.price-label')].map((t) => ({
        text: t.textContent!.trim(),
        r: t.getBoundingClientRect(),
      }));
      const bars = [...svg.querySelectorAll('rect.det')]
        .filter((r) => !r.closest('.legend'))
        .map((r) => r.getBoundingClientRect());
      const dots = [...svg.querySelectorAll('circle.price-dot')].map((c) => c.getBoundingClientRect());
      // The price line's segments, from its path (user units) to the page's pixels, as thin boxes.
      const ctm = (svg as SVGSVGElement).getScreenCTM()!;
      const px = (x: number, y: number) => new DOMPoint(x, y).matrixTransform(ctm);
      const segments: Box[] = [];
      let at = { x: 0, y: 0 };
      for (const [, op, a, b] of svg
        .querySelector('path.price')!
        .getAttribute('d')!
        .matchAll(/([MHV])([\d.]+)(?:,([\d.]+))?/g)) {
        const next = op === 'M' ? { x: +a!, y: +b! } : op === 'H' ? { x: +a!, y: at.y } : { x: at.x, y: +a! };
        if (op !== 'M') {
          const [p, q] = [px(at.x, at.y), px(next.x, next.y)];
          segments.push({
            left: Math.min(p.x, q.x) - 0.5,
            right: Math.max(p.x, q.x) + 0.5,
            top: Math.min(p.y, q.y) - 0.5,
            bottom: Math.max(p.y, q.y) + 0.5,
          });
        }
        at = next;
      }
      const out: string[] = [];
      labels.forEach((l, i) => {
        for (const b of bars) if (hit(l.r, b)) out.push(`${l.text} / bar`);
        for (const s of segments) if (hit(l.r, s)) out.push(`${l.text} / price line`);
        for (const m of labels.slice(i + 1)) if (hit(l.r, m.r)) out.push(`${l.text} / ${m.text}`);
        const dot = (dots[i]!.left + dots[i]!.right) / 2;
        if (Math.min(Math.abs(l.r.left - dot), Math.abs(l.r.right - dot)) > 12)
          out.push(`${l.text} / far from its dot`);
      });
      return out;
    });
}

describe.each(['zh_CN', 'en'] as const)('report.html in Chromium (%s)', (lang) => {
  let page: Page;
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(await reportFile(lang));
  });
  afterAll(async () => {
    await page?.close();
  });

  it('reads the price axis in round amounts of the currency shown, with ¥99 and ¥1 labelled at their steps', async () => {
    const chart = page.locator('svg.timeline').first();
    await chart.screenshot({ path: join(ARTIFACTS, `report-chart-${lang}.png`) });
    expect(await chart.locator('.price-axis').allTextContents()).toEqual(['¥0', '¥25', '¥50', '¥75', '¥100']);
    expect(await chart.locator('.price-label').allTextContents()).toEqual(['¥99', '¥1', '¥99']);
    expect(await chart.locator('.price-title').textContent()).toBe(lang === 'en' ? 'price (¥)' : '价格（¥）');
    // Each label sits at its step's height, and the ticks at theirs: ¥99 just under ¥100, ¥1 just over ¥0.
    const heights = await chart.evaluate((svg) => {
      const mid = (e: Element) => {
        const r = e.getBoundingClientRect();
        return (r.top + r.bottom) / 2;
      };
      const tick = (v: string) =>
        mid([...svg.querySelectorAll('.price-axis')].find((e) => e.textContent === v)!);
      const dots = [...svg.querySelectorAll('circle.price-dot')].map(mid);
      return { t0: tick('¥0'), t100: tick('¥100'), dots };
    });
    const value = (y: number) => ((heights.t0 - y) / (heights.t0 - heights.t100)) * 100;
    expect(value(heights.dots[0]!)).toBeCloseTo(99, -0.5);
    expect(value(heights.dots[1]!)).toBeCloseTo(1, -0.5);
  });

  it('keeps the chat line below the frame’s top edge, titled over its axis, and no two words of the chart overlap', async () => {
    const chart = page.locator('svg.timeline').first();
    const gap = await chart.evaluate((svg) => {
      const frame = svg.querySelector('rect.plot')!.getBoundingClientRect();
      const line = svg.querySelector('polyline.rate')!.getBoundingClientRect();
      const prices = svg.querySelector('path.price')!.getBoundingClientRect();
      return { line: line.top - frame.top, prices: prices.top - frame.top, height: frame.height };
    });
    expect(gap.line).toBeGreaterThan(gap.height * 0.05);
    expect(gap.prices).toBeGreaterThan(gap.height * 0.05);
    expect(await chart.locator('.rate-title').textContent()).toBe(
      lang === 'en' ? 'chat (per minute)' : '聊天（条/分钟）',
    );
    expect(await overlappingWords(page)).toEqual([]);
    expect(await labelClashes(page)).toEqual([]);
    // Every word lies inside the drawing (none cut off at its edges).
    const outside = await chart.evaluate((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')]
        .filter((t) => {
          const r = t.getBoundingClientRect();
          return r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
        })
        .map((t) => t.textContent);
    });
    expect(outside).toEqual([]);
  });

  it('never breaks "SHA-256" at its hyphen, at any width from a phone to a desktop', async () => {
    const broken: string[] = [];
    for (let width = 300; width <= 1000; width += 5) {
      await page.setViewportSize({ width, height: 900 });
      const lines = await termLines(page);
      expect(lines.length).toBeGreaterThanOrEqual(3);
      if (lines.some((n) => n > 1)) broken.push(`${width}px: ${lines.join(',')}`);
    }
    expect(broken).toEqual([]);
  });
});

describe.each(['zh_CN', 'en'] as const)(
  'report.html in Chromium with bars on both sides of a price drop (%s)',
  (lang) => {
    it('labels every price step beside its dot, clear of the bars, the price line and each other', async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      try {
        await page.goto(await reportFile(lang, true));
        const chart = page.locator('svg.timeline').first();
        await chart.screenshot({ path: join(ARTIFACTS, `report-chart-flanked-${lang}.png`) });
        expect(await chart.locator('rect.det:not(.legend *)').count()).toBe(2);
        expect(await chart.locator('.price-label').allTextContents()).toEqual(['¥99', '¥1', '¥99']);
        expect(await labelClashes(page)).toEqual([]);
        expect(await overlappingWords(page)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  },
);
