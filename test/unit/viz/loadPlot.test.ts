/**
 * The load plot's data (src/viz/loadPlot.ts): downsampling keeps means per second, the quota line
 * sits where the y scale puts it, every series gets a step path, ticks stay inside the drawing.
 */
import { describe, expect, it } from 'vitest';
import { downsampleLoad, LOAD_PLOT_SIZE, LOAD_SERIES, loadPlotModel, shortNumber, type LoadPlotPoint } from '../../../src/viz/loadPlot';

function point(t: number, offered: number, admitted: number, throttled = offered - admitted, retries = 0): LoadPlotPoint {
  return { t, offered, kmsRequests: offered, admitted, throttled, retries, failedAfterRetries: 0 };
}

const { height, margin, width } = LOAD_PLOT_SIZE;

describe('downsampleLoad', () => {
  it('keeps short runs as they are', () => {
    const s = [point(0, 10, 10), point(1, 20, 15)];
    expect(downsampleLoad(s, 300)).toEqual({ points: s, bucketSeconds: 1 });
  });

  it('averages whole-second buckets of long runs', () => {
    const s = Array.from({ length: 10 }, (_, t) => point(t, t * 10, t));
    const { points, bucketSeconds } = downsampleLoad(s, 4);
    expect(bucketSeconds).toBe(3);
    expect(points.map((p) => p.t)).toEqual([0, 3, 6, 9]);
    expect(points[0]!.offered).toBe(10); // (0 + 10 + 20) / 3
    expect(points[3]!.offered).toBe(90); // the last bucket holds one second
    expect(points[1]!.admitted).toBe(4); // (3 + 4 + 5) / 3
  });

  it('returns nothing for an empty run', () => {
    expect(downsampleLoad([], 10).points).toEqual([]);
  });
});

describe('loadPlotModel', () => {
  const series = [point(0, 30_000, 20_000), point(1, 30_000, 20_000, 10_000, 10_000), point(2, 0, 0, 0, 0)];
  const m = loadPlotModel(series, 20_000);

  it('covers the run on x and the peak and the quota on y', () => {
    expect(m.xDomain).toEqual([0, 3]);
    expect(m.yDomain[0]).toBe(0);
    expect(m.yDomain[1]).toBeGreaterThanOrEqual(30_000);
  });

  it('draws the quota where the scale puts it', () => {
    const expected = height - margin.bottom - ((height - margin.bottom - margin.top) * 20_000) / m.yDomain[1];
    expect(m.quota.y).toBeCloseTo(expected, 6);
    expect(m.quota.perSecond).toBe(20_000);
  });

  it('draws one step path per series, in legend order', () => {
    expect(m.lines.map((l) => l.id)).toEqual(LOAD_SERIES.map((s) => s.id));
    for (const l of m.lines) expect(l.d).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    // The admitted line starts at 20,000 and drops to 0 in the third second.
    const admitted = m.lines.find((l) => l.id === 'admitted')!.d;
    const ys = [...admitted.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((x) => Number(x[1]));
    expect(ys[0]).toBeCloseTo(m.quota.y, 2);
    expect(ys.at(-1)).toBeCloseTo(height - margin.bottom, 2);
  });

  it('keeps every tick inside the drawing', () => {
    for (const t of m.xTicks) {
      expect(t.at).toBeGreaterThanOrEqual(margin.left);
      expect(t.at).toBeLessThanOrEqual(width - margin.right);
    }
    for (const t of m.yTicks) {
      expect(t.at).toBeGreaterThanOrEqual(margin.top);
      expect(t.at).toBeLessThanOrEqual(height - margin.bottom);
    }
    expect(m.xTicks.at(-1)!.label).toMatch(/ s$/);
  });

  it('has empty paths and a quota line for an empty run', () => {
    const e = loadPlotModel([], 10_000);
    expect(e.lines.every((l) => l.d === '')).toBe(true);
    expect(e.quota.y).toBeLessThan(height - margin.bottom);
  });
});

describe('shortNumber', () => {
  it('shortens large numbers', () => {
    expect([shortNumber(0), shortNumber(950), shortNumber(1500), shortNumber(20_000), shortNumber(3_000_000)]).toEqual(['0', '950', '1.5k', '20k', '3M']);
  });
});
