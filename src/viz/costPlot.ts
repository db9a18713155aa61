/**
 * The cost plot (issue 8, kms-semantics.md §11): the sandbox's monthly KMS cost against the
 * request rate, one line per variant (no savings, data-key caching, S3 Bucket Keys, both).
 *
 * Both axes are logarithmic: rates span 0.01 to 100,000 requests per second and costs from the
 * key-months alone to hundreds of thousands of dollars. A log axis cannot show 0, so costs below
 * `COST_FLOOR` (a month inside the free tier with no keys) are drawn at the floor; the UI's
 * table gives the exact figures (the text fallback).
 *
 * `costPlotModel` is pure (tested without a DOM); `createCostPlot` draws it with d3-selection and
 * d3-axis into an SVG it owns. Loaded with `import()` by the UI. Series are told apart by dash
 * pattern as well as colour.
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLog } from 'd3-scale';
import { select } from 'd3-selection';
import { line } from 'd3-shape';

/** One point: monthly cost (currency units) at a request rate (requests per second). */
export interface CostPoint {
  readonly rate: number;
  readonly monthly: number;
}

/** One line of the plot. */
export interface CostSeries {
  /** A CSS-safe id (`none`, `caching`, `bucketKeys`, `both`). */
  readonly id: string;
  readonly label: string;
  readonly points: readonly CostPoint[];
}

/** Smallest cost drawn (a log axis cannot show 0). */
export const COST_FLOOR = 0.01;

/** Drawing size (SVG user units) and margins for the axes. */
export const COST_PLOT_SIZE = { width: 640, height: 280, margin: { top: 14, right: 20, bottom: 42, left: 76 } } as const;

/** Everything the renderer draws, already computed. */
export interface CostPlotModel {
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
  readonly xTicks: readonly { readonly value: number; readonly at: number; readonly label: string }[];
  readonly yTicks: readonly { readonly value: number; readonly at: number; readonly label: string }[];
  readonly lines: readonly { readonly id: string; readonly label: string; readonly d: string }[];
  /** The marker of the current rate (null: none or outside the domain). */
  readonly marker: { readonly x: number; readonly rate: number } | null;
}

/** "$1.2k", "$0.03", "$4M": short money for ticks. */
export function shortMoney(n: number, currency = 'USD'): string {
  const sign = currency === 'USD' ? '$' : `${currency} `;
  if (n >= 1e6) return `${sign}${Number((n / 1e6).toFixed(1))}M`;
  if (n >= 1e3) return `${sign}${Number((n / 1e3).toFixed(1))}k`;
  if (n >= 1) return `${sign}${Number(n.toFixed(0))}`;
  return `${sign}${Number(n.toFixed(2))}`;
}

/** "0.1/s", "10k/s": short rates for ticks. */
export function shortRate(n: number): string {
  if (n >= 1e3) return `${Number((n / 1e3).toFixed(1))}k/s`;
  return `${Number(n.toPrecision(2))}/s`;
}

/** Powers of ten from ⌊log10 lo⌋ to ⌈log10 hi⌉. */
function decades(lo: number, hi: number): [number, number] {
  return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))];
}

/** The plot model: log scales over every point of `series`, a path per series, the rate marker. */
export function costPlotModel(series: readonly CostSeries[], currentRate: number | null = null, currency = 'USD'): CostPlotModel {
  const { width, height, margin } = COST_PLOT_SIZE;
  const all = series.flatMap((s) => s.points).filter((p) => p.rate > 0 && Number.isFinite(p.rate) && Number.isFinite(p.monthly));
  const rates = all.map((p) => p.rate);
  const costs = all.map((p) => Math.max(COST_FLOOR, p.monthly));
  const xDomain = rates.length === 0 ? ([1, 10] as [number, number]) : decades(Math.min(...rates), Math.max(...rates));
  const yDomain = costs.length === 0 ? ([COST_FLOOR, 1] as [number, number]) : decades(Math.min(...costs), Math.max(...costs));
  if (xDomain[0] === xDomain[1]) xDomain[1] *= 10;
  if (yDomain[0] === yDomain[1]) yDomain[1] *= 10;
  const x = scaleLog().domain(xDomain).range([margin.left, width - margin.right]);
  const y = scaleLog().domain(yDomain).range([height - margin.bottom, margin.top]);
  const path = line<CostPoint>()
    .x((p) => x(p.rate))
    .y((p) => y(Math.max(COST_FLOOR, p.monthly)));
  const decadeTicks = (lo: number, hi: number) => {
    const out: number[] = [];
    for (let v = lo; v <= hi * 1.0001; v *= 10) out.push(Number(v.toPrecision(1)));
    return out;
  };
  const inDomain = currentRate !== null && currentRate >= xDomain[0] && currentRate <= xDomain[1];
  return {
    xDomain,
    yDomain,
    xTicks: decadeTicks(...xDomain).map((v) => ({ value: v, at: x(v), label: shortRate(v) })),
    yTicks: decadeTicks(...yDomain).map((v) => ({ value: v, at: y(v), label: shortMoney(v, currency) })),
    lines: series.map((s) => {
      const pts = s.points.filter((p) => p.rate > 0 && Number.isFinite(p.rate) && Number.isFinite(p.monthly));
      return { id: s.id, label: s.label, d: pts.length === 0 ? '' : (path(pts) ?? '') };
    }),
    marker: inDomain ? { x: x(currentRate), rate: currentRate } : null,
  };
}

/** The renderer's handle. */
export interface CostPlot {
  /** Redraws (and replaces the accessible description when one is given). */
  update(series: readonly CostSeries[], currentRate: number | null, description?: string): void;
  destroy(): void;
}

/** Draws the plot into `element` (an SVG it appends and owns); `description` is its accessible description. */
export function createCostPlot(
  element: Element,
  series: readonly CostSeries[],
  currentRate: number | null,
  options: { readonly currency?: string; readonly description?: string } = {},
): CostPlot {
  const { width, height, margin } = COST_PLOT_SIZE;
  const currency = options.currency ?? 'USD';
  const svg = select(element).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('class', 'cost-plot').attr('role', 'img');
  svg.append('title').text('Monthly KMS cost against request rate');
  const desc = svg.append('desc');
  const gx = svg.append('g').attr('class', 'axis x').attr('transform', `translate(0,${height - margin.bottom})`);
  const gy = svg.append('g').attr('class', 'axis y').attr('transform', `translate(${margin.left},0)`);
  svg.append('text').attr('class', 'axis-label').attr('x', (margin.left + width - margin.right) / 2).attr('y', height - 6).attr('text-anchor', 'middle').text('requests per second (log scale)');
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(14,${(margin.top + height - margin.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(`${currency} per month (log scale)`);
  const marker = svg.append('line').attr('class', 'rate-marker');
  const paths = svg.append('g').attr('class', 'series');

  let text = options.description;
  function draw(s: readonly CostSeries[], rate: number | null): void {
    const m = costPlotModel(s, rate, currency);
    const x = scaleLog().domain(m.xDomain).range([margin.left, width - margin.right]);
    const y = scaleLog().domain(m.yDomain).range([height - margin.bottom, margin.top]);
    gx.call(axisBottom(x).tickValues(m.xTicks.map((t) => t.value)).tickFormat((v) => shortRate(Number(v))));
    gy.call(axisLeft(y).tickValues(m.yTicks.map((t) => t.value)).tickFormat((v) => shortMoney(Number(v), currency)));
    marker
      .attr('display', m.marker ? null : 'none')
      .attr('x1', m.marker?.x ?? 0)
      .attr('x2', m.marker?.x ?? 0)
      .attr('y1', margin.top)
      .attr('y2', height - margin.bottom);
    paths
      .selectAll('path')
      .data(m.lines, (d) => (d as CostPlotModel['lines'][number]).id)
      .join('path')
      .attr('class', (d) => `line ${d.id}`)
      .attr('d', (d) => d.d);
    desc.text(text ?? s.map((l) => l.label).join(', '));
  }

  draw(series, currentRate);
  return {
    update: (s, rate, description) => {
      if (description !== undefined) text = description;
      draw(s, rate);
    },
    destroy: () => svg.remove(),
  };
}
