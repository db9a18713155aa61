/**
 * The Cost section's data (kms-semantics.md §11): the plot's series from src/services/cost.ts
 * `monthlyCostAtRate` points (read structurally), the range of "the trail so far", the number of
 * customer managed keys billed, and the price table's validator in the shape the persistence
 * module takes. Pure (unit-tested).
 */
import type { CostSeries } from '../../viz/costPlot';

/** One scenario of a cost point (cost.ts RateScenario). */
interface ScenarioLike {
  readonly kmsRequestsPerSecond: number;
  readonly monthlyCost: number;
}

/** A point of `monthlyCostAtRate` (cost.ts CostPoint). */
export interface CostPointLike {
  readonly requestsPerSecond: number;
  readonly direct: ScenarioLike;
  readonly caching?: ScenarioLike;
  readonly bucketKeys?: ScenarioLike;
}

/** The scenarios, their series ids (CSS classes of the lines) and legend labels. */
export const COST_SCENARIOS = [
  { key: 'direct', id: 'none', label: 'One KMS request per message or object' },
  { key: 'caching', id: 'caching', label: 'With data-key caching (your limits)' },
  { key: 'bucketKeys', id: 'bucketKeys', label: 'Through S3 with Bucket Keys' },
] as const;

/** The plot's series: one per scenario present in the points (rate → monthly cost). */
export function costSeries(points: readonly CostPointLike[]): CostSeries[] {
  return COST_SCENARIOS.flatMap(({ key, id, label }) => {
    const pts = points.flatMap((p) => {
      const s = p[key];
      return s ? [{ rate: p.requestsPerSecond, monthly: s.monthlyCost }] : [];
    });
    return pts.length > 0 ? [{ id, label, points: pts }] : [];
  });
}

/** Rates from 0.01 to `max` requests per second: 1, 2 and 5 per decade, `max` included. */
export function rateGrid(max: number): number[] {
  const out: number[] = [];
  for (let decade = 0.01; decade <= max; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const v = Number((decade * m).toPrecision(3));
      if (v <= max) out.push(v);
    }
  }
  if (out[out.length - 1] !== max) out.push(max);
  return out;
}

/**
 * The billing range of "the trail so far": from the earliest trail record or key creation to now
 * (an empty sandbox: [now, now]).
 */
export function trailRange(eventTimes: readonly string[], keyCreations: readonly number[], now: number): { from: number; to: number } {
  let from = now;
  for (const t of eventTimes) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms) && ms < from) from = ms;
  }
  for (const c of keyCreations) if (c < from) from = c;
  return { from, to: Math.max(from, now) };
}

/** Customer managed keys billed now: not AWS managed, not pending deletion. */
export function billedKeyCount(keys: readonly { keyManager: string; keyState: string }[]): number {
  return keys.filter((k) => k.keyManager === 'CUSTOMER' && k.keyState !== 'PendingDeletion' && k.keyState !== 'PendingReplicaDeletion').length;
}

/** A result-returning validator (cost.ts validatePriceTable) as a throwing one (priceStore's `validate`). */
export function throwingValidator<T>(validate: (x: unknown) => { ok: true; value: T } | { ok: false; field: string; message: string }): (x: unknown) => T {
  return (x) => {
    const r = validate(x);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
}
