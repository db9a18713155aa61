/**
 * The load generator's plot (issue 8, kms-semantics.md §3.6): per sandbox second, the requests
 * the load offered, the KMS requests left after Bucket Keys and data-key caching, how many the
 * quota admitted, how many were throttled and how many were SDK retries, against the quota as a
 * horizontal line.
 *
 * Two parts: `loadPlotModel` is pure (scales, downsampling, SVG path strings; tested without a
 * DOM) and `createLoadPlot` draws the model with d3-selection and d3-axis into an element it owns.
 * The UI loads this module with `import()` so d3 stays out of the first load. Colours come from
 * classes the UI styles with the app's tokens; every series also has its own dash pattern, so the
 * plot does not rely on colour alone. The UI shows the same numbers as a table (the text fallback).
 *
 * Long runs are downsampled to at most `maxPoints` buckets of whole seconds; each bucket shows the
 * mean per second of its seconds (the caption says how many seconds a point covers).
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { curveStepAfter, line } from 'd3-shape';
import type { LoadSecond } from '../services/loadGenerator';

/** One sandbox second of a load run (t: seconds since the run started). */
export type LoadPlotPoint = LoadSecond;

/** The series drawn, in legend order. */
export type LoadSeriesId = 'offered' | 'kmsRequests' | 'admitted' | 'throttled' | 'retries';

/** Legend labels of the series. */
export const LOAD_SERIES: readonly { readonly id: LoadSeriesId; readonly label: string }[] = [
  { id: 'offered', label: 'Offered (app or S3 requests)' },
  { id: 'kmsRequests', label: 'KMS requests (after Bucket Keys and caching)' },
  { id: 'admitted', label: 'Admitted' },
  { id: 'throttled', label: 'Throttled (ThrottlingException)' },
  { id: 'retries', label: 'SDK retries' },
];

/** Drawing size (SVG user units) and margins for the axes. */
export const LOAD_PLOT_SIZE = { width: 640, height: 260, margin: { top: 14, right: 20, bottom: 42, left: 72 } } as const;

/** A tick of an axis: its value, its position and its text. */
export interface PlotTick {
  readonly value: number;
  readonly at: number;
  readonly label: string;
}

/** Everything the renderer draws, already computed. */
export interface LoadPlotModel {
  /** Seconds one plotted point covers (1 unless downsampled). */
  readonly bucketSeconds: number;
  /** The downsampled points (means per second over each bucket). */
  readonly points: readonly LoadPlotPoint[];
  /** x domain [0, duration in s] and y domain [0, max]. */
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
  readonly xTicks: readonly PlotTick[];
  readonly yTicks: readonly PlotTick[];
  /** One SVG path per series (empty string: nothing to draw). */
  readonly lines: readonly { readonly id: LoadSeriesId; readonly label: string; readonly d: string }[];
  /** The quota line's y position and its value (requests per second). */
  readonly quota: { readonly y: number; readonly perSecond: number };
}

/**
 * Groups `series` into at most `maxPoints` buckets of whole seconds, each the mean per second of
 * its seconds (t: the bucket's first second). Empty in, empty out.
 */
export function downsampleLoad(series: readonly LoadPlotPoint[], maxPoints: number): { points: LoadPlotPoint[]; bucketSeconds: number } {
  const size = Math.max(1, Math.ceil(series.length / Math.max(1, Math.floor(maxPoints))));
  if (size === 1) return { points: series.map((p) => ({ ...p })), bucketSeconds: 1 };
  const points: LoadPlotPoint[] = [];
  for (let i = 0; i < series.length; i += size) {
    const chunk = series.slice(i, i + size);
    const mean = (k: keyof LoadPlotPoint) => chunk.reduce((s, p) => s + p[k], 0) / chunk.length;
    points.push({
      t: chunk[0]!.t,
      offered: mean('offered'),
      kmsRequests: mean('kmsRequests'),
      admitted: mean('admitted'),
      throttled: mean('throttled'),
      retries: mean('retries'),
      failedAfterRetries: mean('failedAfterRetries'),
    });
  }
  return { points, bucketSeconds: size };
}

/** "12.5k", "3M": short numbers for axis ticks. */
export function shortNumber(n: number): string {
  const abs = Math.abs(n);
  const fmt = (v: number, unit: string) => `${Number(v.toFixed(v < 10 ? 1 : 0))}${unit}`;
  if (abs >= 1e9) return fmt(n / 1e9, 'G');
  if (abs >= 1e6) return fmt(n / 1e6, 'M');
  if (abs >= 1e3) return fmt(n / 1e3, 'k');
  return String(Number(n.toFixed(2)));
}

/** The plot of a load run: scales, ticks and paths for `series` against `quotaPerSecond`. */
export function loadPlotModel(series: readonly LoadPlotPoint[], quotaPerSecond: number, maxPoints = 300): LoadPlotModel {
  const { width, height, margin } = LOAD_PLOT_SIZE;
  const { points, bucketSeconds } = downsampleLoad(series, maxPoints);
  const last = series[series.length - 1];
  const duration = Math.max(1, last === undefined ? 1 : last.t + 1);
  const peak = Math.max(0, ...points.map((p) => Math.max(p.offered, p.kmsRequests, p.admitted, p.throttled, p.retries)));
  const yMax = Math.max(1, peak, quotaPerSecond) * 1.08;
  const x = scaleLinear().domain([0, duration]).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain([0, yMax]).range([height - margin.bottom, margin.top]).nice();
  const [y0, y1] = y.domain() as [number, number];
  const path = line<LoadPlotPoint>().curve(curveStepAfter);
  const lines = LOAD_SERIES.map(({ id, label }) => {
    if (points.length === 0) return { id, label, d: '' };
    // A step curve needs the end of the last bucket to show its width.
    const end = { ...points[points.length - 1]!, t: Math.min(duration, points[points.length - 1]!.t + bucketSeconds) };
    const d = path.x((p) => x(p.t)).y((p) => y(p[id]))([...points, end]) ?? '';
    return { id, label, d };
  });
  return {
    bucketSeconds,
    points,
    xDomain: [0, duration],
    yDomain: [y0, y1],
    xTicks: x.ticks(6).map((v) => ({ value: v, at: x(v), label: `${shortNumber(v)} s` })),
    yTicks: y.ticks(5).map((v) => ({ value: v, at: y(v), label: shortNumber(v) })),
    lines,
    quota: { y: y(quotaPerSecond), perSecond: quotaPerSecond },
  };
}

/** The renderer's handle. */
export interface LoadPlot {
  /** Redraws with a new run (and a new accessible description). */
  update(series: readonly LoadPlotPoint[], quotaPerSecond: number, description?: string): void;
  /** Removes the SVG. */
  destroy(): void;
}

/**
 * Draws the plot into `element` (an SVG it appends and owns). `description` is the SVG's
 * accessible description (the UI passes a one-line summary of the run).
 */
export function createLoadPlot(element: Element, series: readonly LoadPlotPoint[], quotaPerSecond: number, description = ''): LoadPlot {
  const { width, height, margin } = LOAD_PLOT_SIZE;
  const svg = select(element).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('class', 'load-plot').attr('role', 'img');
  const title = svg.append('title').text('KMS requests per sandbox second');
  const desc = svg.append('desc');
  const gx = svg.append('g').attr('class', 'axis x').attr('transform', `translate(0,${height - margin.bottom})`);
  const gy = svg.append('g').attr('class', 'axis y').attr('transform', `translate(${margin.left},0)`);
  svg.append('text').attr('class', 'axis-label').attr('x', (margin.left + width - margin.right) / 2).attr('y', height - 6).attr('text-anchor', 'middle').text('sandbox seconds since the run started');
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(14,${(margin.top + height - margin.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('requests per second');
  // The quota goes over the series: the admitted line runs along it when the load is throttled.
  const paths = svg.append('g').attr('class', 'series');
  const quotaLine = svg.append('line').attr('class', 'line quota');
  const quotaText = svg.append('text').attr('class', 'quota-label').attr('text-anchor', 'end');

  let text = description;
  function draw(s: readonly LoadPlotPoint[], quota: number): void {
    const m = loadPlotModel(s, quota);
    const x = scaleLinear().domain(m.xDomain).range([margin.left, width - margin.right]);
    const y = scaleLinear().domain(m.yDomain).range([height - margin.bottom, margin.top]);
    gx.call(axisBottom(x).ticks(6).tickFormat((v) => shortNumber(Number(v))));
    gy.call(axisLeft(y).ticks(5).tickFormat((v) => shortNumber(Number(v))));
    quotaLine.attr('x1', margin.left).attr('x2', width - margin.right).attr('y1', m.quota.y).attr('y2', m.quota.y);
    quotaText.attr('x', width - margin.right - 4).attr('y', m.quota.y - 4).text(`quota ${shortNumber(quota)}/s`);
    paths
      .selectAll('path')
      .data(m.lines, (d) => (d as LoadPlotModel['lines'][number]).id)
      .join('path')
      .attr('class', (d) => `line ${d.id}`)
      .attr('d', (d) => d.d);
    const per = m.bucketSeconds === 1 ? '' : ` Each point is the mean per second over ${m.bucketSeconds} s.`;
    title.text(`KMS requests per sandbox second, quota ${shortNumber(quota)}/s`);
    desc.text(`${text}${per}`);
  }

  draw(series, quotaPerSecond);
  return {
    update: (s, q, d) => {
      if (d !== undefined) text = d;
      draw(s, q);
    },
    destroy: () => svg.remove(),
  };
}
