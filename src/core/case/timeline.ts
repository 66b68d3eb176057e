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
}

const STEPS_MS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600].map((s) => s * 1000);

/** The first amount in a price as shown (`¥1,299.00`, `到手价 99 元`), or null. */
export function priceValue(shown: unknown): number | null {
  if (typeof shown !== 'string') return null;
  const m = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?/.exec(shown);
  if (!m) return null;
  const value = Number(m[1]!.replace(/,/g, '') + (m[2] ? `.${m[2]}` : ''));
  return Number.isFinite(value) ? value : null;
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
  for (let i = 0; i < live.length; i++) {
    const e = live[i]!;
    const at = times[i]!;
    const b = Math.min(n - 1, Math.floor((at - start) / bucketMs));
    if (e.type === 'chat') chat[b]!++;
    else if (e.type === 'detection') detections[b]!++;
    else if (e.type === 'product' && e.data.state !== 'gone') {
      const value = priceValue(e.data.finalPrice ?? e.data.price);
      if (value !== null && prices[prices.length - 1]?.value !== value) prices.push({ at, value });
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
  };
}

export interface ChartLabels {
  title: string;
  chatRate: string;
  detections: string;
  price: string;
  /** Formats an axis time (epoch ms). */
  time: (ms: number) => string;
}

const W = 760;
const H = 220;
const PAD = { left: 48, right: 56, top: 16, bottom: 40 };

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0));

/** The chart as inline SVG: chat rate (line), detections (red bars), price (orange steps, right axis). */
export function timelineSvg(s: TimelineSeries, labels: ChartLabels): SafeHtml {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (ms: number) => PAD.left + ((ms - s.start) / Math.max(1, s.end - s.start)) * plotW;
  const bx = (i: number) => x(s.start + i * s.bucketMs + s.bucketMs / 2);
  const maxRate = s.chatPerMin.reduce((m, r) => Math.max(m, r), 1);
  const maxDet = s.detections.reduce((m, d) => Math.max(m, d), 1);
  const y = (v: number) => PAD.top + plotH - (v / maxRate) * plotH;
  const points = s.chatPerMin.map((r, i) => `${bx(i).toFixed(1)},${y(r).toFixed(1)}`).join(' ');
  const barW = Math.max(2, (plotW / s.chatPerMin.length) * 0.5);
  const bars = s.detections.map((d, i) =>
    d
      ? html`<rect
          class="det"
          x="${(bx(i) - barW / 2).toFixed(1)}"
          y="${(PAD.top + plotH - (d / maxDet) * plotH * 0.4).toFixed(1)}"
          width="${barW.toFixed(1)}"
          height="${((d / maxDet) * plotH * 0.4).toFixed(1)}"
          ><title>${labels.detections}: ${d}</title></rect
        >`
      : '',
  );
  let priceLine: SafeHtml | string = '';
  let priceAxis: SafeHtml | string = '';
  if (s.prices.length) {
    const lo = s.prices.reduce((m, p) => Math.min(m, p.value), Infinity) * 0.9;
    const hi = s.prices.reduce((m, p) => Math.max(m, p.value), -Infinity) * 1.1 || 1;
    const py = (v: number) => PAD.top + plotH - ((v - lo) / Math.max(1e-9, hi - lo)) * plotH;
    let d = '';
    s.prices.forEach((p, i) => {
      const px = x(p.at).toFixed(1);
      d += i === 0 ? `M${px},${py(p.value).toFixed(1)}` : `H${px}V${py(p.value).toFixed(1)}`;
    });
    d += `H${x(s.end).toFixed(1)}`;
    priceLine = html`<path
        class="price"
        d="${d}"
      />${s.prices.map((p) => html`<circle class="price-dot" cx="${x(p.at).toFixed(1)}" cy="${py(p.value).toFixed(1)}" r="3"><title>${labels.price}: ${fmt(p.value)}</title></circle>`)}`;
    priceAxis = html`<text class="axis price-axis" x="${W - PAD.right + 6}" y="${PAD.top + 10}"
        >${fmt(hi)}</text
      ><text class="axis price-axis" x="${W - PAD.right + 6}" y="${PAD.top + plotH}">${fmt(lo)}</text>`;
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
    ${bars}
    <polyline class="rate" points="${points}" />
    ${priceLine}
    <text class="axis" x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end">${fmt(maxRate)}</text>
    <text class="axis" x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0</text>
    ${priceAxis}
    <text class="axis" x="${PAD.left}" y="${H - 22}">${labels.time(s.start)}</text>
    <text class="axis" x="${W - PAD.right}" y="${H - 22}" text-anchor="end">${labels.time(s.end)}</text>
    <g class="legend" transform="translate(${PAD.left},${H - 6})">
      <rect class="legend-rate" x="0" y="-9" width="12" height="4" />
      <text x="16" y="-4">${labels.chatRate}</text>
      <rect class="det" x="180" y="-11" width="8" height="10" />
      <text x="192" y="-4">${labels.detections}</text>
      <rect class="legend-price" x="330" y="-9" width="12" height="4" />
      <text x="346" y="-4">${labels.price}</text>
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
