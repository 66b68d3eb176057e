/**
 * One session on one time axis: chat rate, detections and the price shown, bucketed for the
 * report's inline SVG chart (no script: a receiver reads it on paper too).
 */
import type { SealedEvent } from '../evidence';
import { html, type SafeHtml } from '../html';

export interface TimelineSeries {
  start: number;
  end: number;
  bucketMs: number;
  /** Chat messages per minute in each bucket. */
  chatPerMin: number[];
  /** Detections in each bucket. */
  detections: number[];
  /** Price steps: the time a card showed a (new) price and the amount. */
  prices: { at: number; value: number }[];
  /** The currency every price step was shown in, when they all name the same one (else null). */
  currency: Currency | null;
}

/** How a price's amount was marked: `¥` before it, or ` 元` after it. */
export interface Currency {
  prefix: string;
  suffix: string;
}

const STEPS_MS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600].map((s) => s * 1000);

const AMOUNT = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?/;

/** The first amount in a price as shown (`¥1,299.00`, `到手价 99 元`), or null. */
export function priceValue(shown: unknown): number | null {
  if (typeof shown !== 'string') return null;
  const m = AMOUNT.exec(shown);
  if (!m) return null;
  const value = Number(m[1]!.replace(/,/g, '') + (m[2] ? `.${m[2]}` : ''));
  return Number.isFinite(value) ? value : null;
}

/** The currency written next to the first amount of a price as shown (`¥1`, `US$ 5`, `99 元`), or null. */
export function priceCurrency(shown: unknown): Currency | null {
  if (typeof shown !== 'string') return null;
  const m = AMOUNT.exec(shown);
  if (!m) return null;
  const before = /(US\$|HK\$|NT\$|[¥￥$€£₩₹])\s*$/.exec(shown.slice(0, m.index));
  if (before) return { prefix: before[1] === '￥' ? '¥' : before[1]!, suffix: '' };
  const after = /^\s*(元|块)/.exec(shown.slice(m.index + m[0].length));
  if (after) return { prefix: '', suffix: ' 元' };
  return null;
}

export function timelineSeries(events: readonly SealedEvent[], maxBuckets = 60): TimelineSeries | null {
  const live = events.filter((e) => !(e.type === 'chat' && e.data.backlog));
  if (!live.length) return null;
  const times = live.map((e) => Date.parse(e.time));
  // Loops, not Math.min(...times): an hour of busy chat is more arguments than a call can take.
  let start = Infinity;
  let last = -Infinity;
  for (const t of times) {
    if (t < start) start = t;
    if (t > last) last = t;
  }
  const end = Math.max(last, start + 1000);
  const span = end - start;
  const bucketMs = STEPS_MS.find((s) => span / s <= maxBuckets) ?? Math.ceil(span / maxBuckets);
  const n = Math.max(1, Math.ceil(span / bucketMs));
  const chat = new Array<number>(n).fill(0);
  const detections = new Array<number>(n).fill(0);
  const prices: { at: number; value: number }[] = [];
  /** The currency of the steps so far: undefined before the first, null once two differ. */
  let currency: Currency | null | undefined;
  for (let i = 0; i < live.length; i++) {
    const e = live[i]!;
    const at = times[i]!;
    const b = Math.min(n - 1, Math.floor((at - start) / bucketMs));
    if (e.type === 'chat') chat[b]!++;
    else if (e.type === 'detection') detections[b]!++;
    else if (e.type === 'product' && e.data.state !== 'gone') {
      const shown = e.data.finalPrice ?? e.data.price;
      const value = priceValue(shown);
      if (value !== null && prices[prices.length - 1]?.value !== value) {
        prices.push({ at, value });
        const c = priceCurrency(shown);
        if (currency === undefined) currency = c;
        else if (currency && (c?.prefix !== currency.prefix || c.suffix !== currency.suffix)) currency = null;
      }
    }
  }
  const perMin = 60_000 / bucketMs;
  // The axis ends with the last bucket, so every bucket's middle lies inside the plot.
  return {
    start,
    end: start + n * bucketMs,
    bucketMs,
    chatPerMin: chat.map((c) => c * perMin),
    detections,
    prices,
    currency: currency ?? null,
  };
}

export interface ChartLabels {
  title: string;
  /** The chat line's name, over its axis and in the legend (it says the unit: per minute). */
  chatRate: string;
  detections: string;
  price: string;
  /** The price axis's title when the prices name their currency (`价格（¥）`). */
  priceIn?: (currency: string) => string;
  /** Formats an axis time (epoch ms). */
  time: (ms: number) => string;
}

const W = 760;
const H = 250;
/** Around the plot: the axes' numbers left and right, their titles above, the times and legend below. */
export const CHART_PAD = { left: 52, right: 68, top: 30, bottom: 46 };
const PAD = CHART_PAD;
/**
 * Room inside the plot above its highest tick: no line runs along the frame's top edge, and a
 * price's label above its step stays inside the frame.
 */
export const CHART_HEADROOM = 18;

/** Round ticks from at most `lo` to at least `hi`, about `count` steps (1, 2, 2.5 or 5 times 10ⁿ). */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * mag >= raw * (1 - 1e-9))! * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v < hi + step - 1e-9 * step; v += step) {
    ticks.push(Number(v.toPrecision(12)));
    if (v >= hi - 1e-9 * step) break;
  }
  return ticks;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0));

/** An amount as a reader writes it: `1,299`, `0.01`, `12.5` → `12.50`. */
function amount(n: number): string {
  const [whole, frac] = (Number.isInteger(n) ? String(n) : n.toFixed(2)).split('.');
  return whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
}

/**
 * Rough width of a label in the chart's 11px font (CJK characters are square); `bold` errs wide, as
 * the widest common bold face does (DejaVu Sans Bold's digits are 0.7em).
 */
const textWidth = (text: string, bold = false) =>
  [...text].reduce((w, c) => w + (/[\u2E80-\uFFFF]/.test(c) ? 11 : bold ? 7.7 : 6.6), 0);

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
/** How far a label may be lifted above (or lowered below) its step to get clear of what is there. */
const MAX_SHIFT = 120;

/**
 * Where a price's label goes: beside its dot at (px, py), above the line to the right, else to the
 * left, else below it, else lifted (or lowered) as little as clears the way; never over a bar, a
 * dot or another label (`hard`), and off the price line (`soft`) unless there is no other room.
 * The box is the label's own, its baseline 3px above the box's bottom; null: no room.
 */
function placeLabel(
  px: number,
  py: number,
  w: number,
  frame: Box,
  hard: readonly Box[],
  soft: readonly Box[],
): { box: Box; right: boolean } | null {
  for (const avoid of [hard.concat(soft), hard])
    for (let d = 0; d <= MAX_SHIFT; d += 2)
      for (const [right, above] of [
        [true, true],
        [false, true],
        [true, false],
        [false, false],
      ] as const) {
        const x0 = right ? px + 5 : px - 5 - w;
        // Above: the box's bottom 2px over the dot's middle; below: its top 3px under.
        const y0 = above ? py - 15 - d : py + 3 + d;
        const box = { x0, x1: x0 + w, y0, y1: y0 + 13 };
        if (box.x0 < frame.x0 || box.x1 > frame.x1 || box.y0 < frame.y0 || box.y1 > frame.y1) continue;
        if (!avoid.some((b) => overlaps(b, box))) return { box, right };
      }
  return null;
}

/**
 * The price line's dots (8px boxes) and segments (2px wide) that reach between x0 and x1, found by
 * bisection: a session's line can have 50,000 steps and only a few lie beside a label.
 */
function lineNear(pts: readonly { x: number; y: number }[], end: number, x0: number, x1: number) {
  let lo = 0;
  let hi = pts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pts[mid]!.x < x0 - 4) lo = mid + 1;
    else hi = mid;
  }
  const dots: Box[] = [];
  const line: Box[] = [];
  let i = lo;
  for (; i < pts.length && pts[i]!.x <= x1 + 4; i++) {
    const p = pts[i]!;
    dots.push({ x0: p.x - 4, x1: p.x + 4, y0: p.y - 4, y1: p.y + 4 });
    const q = pts[i - 1];
    if (!q) continue;
    line.push({ x0: q.x, x1: p.x, y0: q.y - 1, y1: q.y + 1 });
    line.push({ x0: p.x - 1, x1: p.x + 1, y0: Math.min(p.y, q.y), y1: Math.max(p.y, q.y) });
  }
  // The level that runs on out of the window: to the next step, or after the last to the chart's end.
  const q = pts[i - 1];
  if (q) line.push({ x0: q.x, x1: pts[i]?.x ?? end, y0: q.y - 1, y1: q.y + 1 });
  return { dots, line };
}

/** The chart as inline SVG: chat rate (line), detections (red bars), price (orange steps, right axis). */
export function timelineSvg(s: TimelineSeries, labels: ChartLabels): SafeHtml {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bottom = PAD.top + plotH;
  const x = (ms: number) => PAD.left + ((ms - s.start) / Math.max(1, s.end - s.start)) * plotW;
  const bx = (i: number) => x(s.start + i * s.bucketMs + s.bucketMs / 2);
  /** A value on an axis whose ticks run from `ticks[0]` (the frame's bottom) to the last tick. */
  const scale = (ticks: number[]) => {
    const lo = ticks[0]!;
    const hi = ticks[ticks.length - 1]!;
    return (v: number) => bottom - ((v - lo) / (hi - lo)) * (plotH - CHART_HEADROOM);
  };
  const maxRate = s.chatPerMin.reduce((m, r) => Math.max(m, r), 0);
  const rateTicks = niceTicks(0, Math.max(maxRate, 1));
  const y = scale(rateTicks);
  const maxDet = s.detections.reduce((m, d) => Math.max(m, d), 1);
  const points = s.chatPerMin.map((r, i) => `${bx(i).toFixed(1)},${y(r).toFixed(1)}`).join(' ');
  const barW = Math.max(2, (plotW / s.chatPerMin.length) * 0.5);
  /** Where the bars stand, 2px wider each side: what a price's label keeps clear of. */
  const barBoxes: Box[] = [];
  const bars = s.detections.map((d, i) => {
    if (!d) return '';
    const h = (d / maxDet) * plotH * 0.4;
    barBoxes.push({ x0: bx(i) - barW / 2 - 2, x1: bx(i) + barW / 2 + 2, y0: bottom - h - 2, y1: bottom });
    return html`<rect
      class="det"
      x="${(bx(i) - barW / 2).toFixed(1)}"
      y="${(bottom - h).toFixed(1)}"
      width="${barW.toFixed(1)}"
      height="${h.toFixed(1)}"
      ><title>${labels.detections}: ${d}</title></rect
    >`;
  });
  const tick = (v: number, py: number, side: 'left' | 'right', text: string, cls: string) => {
    const edge = side === 'left' ? PAD.left : W - PAD.right;
    const out = side === 'left' ? -1 : 1;
    return html`<line
        class="tick"
        x1="${edge}"
        x2="${edge + out * 4}"
        y1="${py.toFixed(1)}"
        y2="${py.toFixed(1)}"
      /><text
        class="axis ${cls}"
        x="${edge + out * 7}"
        y="${(py + 4).toFixed(1)}"
        text-anchor="${side === 'left' ? 'end' : 'start'}"
        data-value="${v}"
        >${text}</text
      >`;
  };
  let priceLine: SafeHtml | string = '';
  let priceAxis: SafeHtml | string = '';
  let priceTitle = labels.price;
  if (s.prices.length) {
    const cur = s.currency;
    const money = (v: number) => (cur ? `${cur.prefix}${amount(v)}${cur.suffix}` : amount(v));
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of s.prices) {
      lo = Math.min(lo, p.value);
      hi = Math.max(hi, p.value);
    }
    // From zero, so that a drop reads at its true size; prices close together (1,299 and 1,259) get
    // round ticks around them instead, and every step is labelled with its amount anyway.
    const ticks = niceTicks(hi > lo && lo > hi / 2 ? lo : 0, hi);
    const py = scale(ticks);
    let d = '';
    const pts = s.prices.map((p) => ({ x: x(p.at), y: py(p.value) }));
    pts.forEach((p, i) => {
      d += i === 0 ? `M${p.x.toFixed(1)},${p.y.toFixed(1)}` : `H${p.x.toFixed(1)}V${p.y.toFixed(1)}`;
    });
    d += `H${x(s.end).toFixed(1)}`;
    // Each step's amount beside its dot: all of them for a few steps, else where the price was
    // lowest and highest first; a label with no room clear of the bars and the others is left out.
    const chosen =
      s.prices.length <= 12
        ? s.prices
        : [s.prices.find((p) => p.value === lo)!, s.prices.find((p) => p.value === hi)!].sort(
            (a, b) => a.at - b.at,
          );
    const frame: Box = { x0: PAD.left + 2, x1: W - PAD.right - 2, y0: PAD.top + 1, y1: bottom - 1 };
    const placed: Box[] = [];
    const stepLabels = chosen.map((p) => {
      const text = money(p.value);
      const w = textWidth(text, true);
      const px = x(p.at);
      const near = lineNear(pts, x(s.end), px - 5 - w, px + 5 + w);
      const spot = placeLabel(px, py(p.value), w, frame, [...barBoxes, ...near.dots, ...placed], near.line);
      if (!spot) return '';
      placed.push(spot.box);
      return html`<text
        class="price-label"
        x="${(spot.right ? spot.box.x0 : spot.box.x1).toFixed(1)}"
        y="${(spot.box.y1 - 3).toFixed(1)}"
        text-anchor="${spot.right ? 'start' : 'end'}"
        data-value="${p.value}"
        >${text}</text
      >`;
    });
    priceLine = html`<path
        class="price"
        d="${d}"
      />${s.prices.map((p) => html`<circle class="price-dot" cx="${x(p.at).toFixed(1)}" cy="${py(p.value).toFixed(1)}" r="3"><title>${labels.price}: ${money(p.value)}</title></circle>`)}${stepLabels}`;
    priceAxis = html`${ticks.map((v) => tick(v, py(v), 'right', money(v), 'price-axis'))}`;
    if (cur && labels.priceIn) priceTitle = labels.priceIn((cur.prefix || cur.suffix).trim());
  }
  return html`<svg
    class="timeline"
    viewBox="0 0 ${W} ${H}"
    width="100%"
    role="img"
    aria-label="${labels.title}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title>${labels.title}</title>
    <rect class="plot" x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" />
    <text class="axis-title rate-title" x="${PAD.left}" y="${PAD.top - 9}">${labels.chatRate}</text>
    ${s.prices.length ? html`<text class="axis-title price-title" x="${W - PAD.right}" y="${PAD.top - 9}" text-anchor="end">${priceTitle}</text>` : ''}
    ${bars}
    <polyline class="rate" points="${points}" />
    ${priceLine} ${rateTicks.map((v) => tick(v, y(v), 'left', fmt(v), 'rate-axis'))} ${priceAxis}
    <text class="axis time-axis" x="${PAD.left}" y="${H - 26}">${labels.time(s.start)}</text>
    <text class="axis time-axis" x="${W - PAD.right}" y="${H - 26}" text-anchor="end">
      ${labels.time(s.end)}
    </text>
    <g class="legend" transform="translate(${PAD.left},${H - 6})">
      <rect class="legend-rate" x="0" y="-9" width="12" height="4" />
      <text x="16" y="-4">${labels.chatRate}</text>
      <rect class="det" x="180" y="-11" width="8" height="10" />
      <text x="192" y="-4">${labels.detections}</text>
      ${s.prices.length ? html`<rect class="legend-price" x="330" y="-9" width="12" height="4" /><text x="346" y="-4">${priceTitle}</text>` : ''}
    </g>
  </svg>`;
}

/**
 * Finds the screenshot event nearest in time to a moment, or null when the session has none. Made
 * once per session: a one-hour session has 100,000 events and a report asks for dozens of moments.
 */
export function screenshotFinder(events: readonly SealedEvent[]): (time: string) => SealedEvent | null {
  const shots = events
    .filter((e) => e.type === 'screenshot')
    .map((e) => ({ at: Date.parse(e.time), e }))
    .sort((a, b) => a.at - b.at);
  return (time) => {
    if (!shots.length) return null;
    const at = Date.parse(time);
    let lo = 0;
    let hi = shots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shots[mid]!.at < at) lo = mid + 1;
      else hi = mid;
    }
    const before = shots[lo - 1];
    return before && at - before.at <= shots[lo]!.at - at ? before.e : shots[lo]!.e;
  };
}
