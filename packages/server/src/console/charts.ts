import type { UsagePoint } from '../limits/usage.js';
import { escapeHtml } from './layout.js';

const COLOURS = ['#2b4bc4', '#b3261e', '#1f6f3a', '#8a4b00', '#6a1b9a', '#00606b'];
const MAX_SERIES = COLOURS.length;
const W = 720;
const H = 260;
const PAD = { left: 48, right: 16, top: 16, bottom: 40 };

export interface Series {
  key: string;
  values: number[];
}

/** Buckets from `since` to now, and the top series (by total) laid on them; the rest summed as "other". */
export function toSeries(
  points: UsagePoint[],
  since: Date,
  bucket: 'hour' | 'day',
  metric: 'calls' | 'costUnits',
): { buckets: Date[]; series: Series[] } {
  const step = bucket === 'hour' ? 3600_000 : 86_400_000;
  const start = Math.floor(since.getTime() / step) * step;
  const buckets: Date[] = [];
  for (let t = start; t <= Date.now(); t += step) buckets.push(new Date(t));
  const index = new Map(buckets.map((b, i) => [b.getTime(), i]));
  const byKey = new Map<string, number[]>();
  for (const p of points) {
    const i = index.get(p.at.getTime());
    if (i === undefined) continue;
    const key = p.key ?? '(none)';
    const values = byKey.get(key) ?? buckets.map(() => 0);
    values[i]! += p[metric];
    byKey.set(key, values);
  }
  const total = (v: number[]) => v.reduce((a, b) => a + b, 0);
  const ranked = [...byKey.entries()].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]));
  const series = ranked.slice(0, MAX_SERIES - 1).map(([key, values]) => ({ key, values }));
  const rest = ranked.slice(MAX_SERIES - 1);
  if (rest.length > 0)
    series.push({
      key: rest.length === 1 ? rest[0]![0] : `other (${rest.length})`,
      values: buckets.map((_, i) => rest.reduce((sum, [, v]) => sum + v[i]!, 0)),
    });
  return { buckets, series };
}

const label = (d: Date, bucket: 'hour' | 'day') =>
  bucket === 'hour' ? `${d.toISOString().slice(11, 13)}:00` : d.toISOString().slice(5, 10);

/** A line chart as server-rendered SVG, with a text alternative; the data table sits beside it. */
export function lineChart(
  id: string,
  title: string,
  buckets: Date[],
  series: Series[],
  bucket: 'hour' | 'day',
): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (buckets.length <= 1 ? plotW / 2 : (i * plotW) / (buckets.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f * 100) / 100);
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="#d5d9de"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11" fill="#1d2129">${t}</text>`,
    )
    .join('');
  const xLabels = buckets
    .map((b, i) =>
      i % every === 0
        ? `<text x="${x(i)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#1d2129">${label(b, bucket)}</text>`
        : '',
    )
    .join('');
  const lines = series
    .map((s, k) => {
      const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const dots = s.values
        .map((v, i) =>
          v > 0 ? `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${COLOURS[k]}"/>` : '',
        )
        .join('');
      return `<g data-series="${escapeHtml(s.key)}"><polyline fill="none" stroke="${COLOURS[k]}" stroke-width="2" points="${pts}"/>${dots}</g>`;
    })
    .join('');
  const totals = series.map((s) => `${s.key}: ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  const desc = series.length ? `Totals — ${totals}.` : 'No usage in this period.';
  return `<figure class="chart"><svg id="${id}" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-t">${escapeHtml(title)}</title><desc id="${id}-d">${escapeHtml(desc)}</desc>
${grid}${xLabels}<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#545c66"/>${lines}</svg>
<figcaption><ul class="legend">${series
    .map((s, k) => `<li><span class="sw${k}" aria-hidden="true"></span>${escapeHtml(s.key)}</li>`)
    .join('')}</ul></figcaption></figure>`;
}
