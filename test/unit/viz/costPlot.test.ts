/**
 * The cost plot's data (src/viz/costPlot.ts): log scales by whole decades over every point, costs
 * below the floor drawn at the floor, one path per series, the current-rate marker.
 */
import { describe, expect, it } from 'vitest';
import { COST_FLOOR, COST_PLOT_SIZE, costPlotModel, shortMoney, shortRate, type CostSeries } from '../../../src/viz/costPlot';

const { height, margin, width } = COST_PLOT_SIZE;

const series: CostSeries[] = [
  { id: 'none', label: 'No caching, no Bucket Keys', points: [{ rate: 1, monthly: 8 }, { rate: 100, monthly: 778 }, { rate: 10_000, monthly: 77_760 }] },
  { id: 'caching', label: 'With caching', points: [{ rate: 1, monthly: 1 }, { rate: 100, monthly: 0 }, { rate: 10_000, monthly: 12 }] },
];

describe('costPlotModel', () => {
  const m = costPlotModel(series, 100);

  it('spans whole decades around every point', () => {
    expect(m.xDomain).toEqual([1, 10_000]);
    expect(m.yDomain).toEqual([COST_FLOOR, 100_000]);
    expect(m.xTicks.map((t) => t.value)).toEqual([1, 10, 100, 1000, 10_000]);
    expect(m.yTicks.map((t) => t.label)).toEqual(['$0.01', '$0.1', '$1', '$10', '$100', '$1k', '$10k', '$100k']);
  });

  it('places the ends of the axes on the drawing edges', () => {
    expect(m.xTicks[0]!.at).toBeCloseTo(margin.left, 6);
    expect(m.xTicks.at(-1)!.at).toBeCloseTo(width - margin.right, 6);
    expect(m.yTicks[0]!.at).toBeCloseTo(height - margin.bottom, 6);
    expect(m.yTicks.at(-1)!.at).toBeCloseTo(margin.top, 6);
  });

  it('draws a zero cost at the floor, on the bottom edge', () => {
    const d = m.lines.find((l) => l.id === 'caching')!.d;
    const ys = [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((x) => Number(x[1]));
    expect(ys[1]).toBeCloseTo(height - margin.bottom, 6);
  });

  it('puts the rate marker at its rate (the middle decade here)', () => {
    expect(m.marker?.x).toBeCloseTo(margin.left + (width - margin.left - margin.right) / 2, 6);
    expect(costPlotModel(series, 1e9).marker).toBeNull();
    expect(costPlotModel(series, null).marker).toBeNull();
  });

  it('ignores non-positive rates and copes with no data', () => {
    const e = costPlotModel([{ id: 'none', label: 'x', points: [{ rate: 0, monthly: 5 }] }]);
    expect(e.lines[0]!.d).toBe('');
    expect(e.xDomain).toEqual([1, 10]);
  });
});

describe('formatting', () => {
  it('shortens money and rates', () => {
    expect([shortMoney(0.03), shortMoney(2.94), shortMoney(1500), shortMoney(2_500_000)]).toEqual(['$0.03', '$3', '$1.5k', '$2.5M']);
    expect([shortRate(0.1), shortRate(5), shortRate(20_000)]).toEqual(['0.1/s', '5/s', '20k/s']);
  });
});
