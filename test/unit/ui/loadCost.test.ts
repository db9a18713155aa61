/**
 * The Cost section's data (src/ui/load/costSeries.ts) over the real cost model (src/services/cost.ts):
 * the plot's series per scenario, the rate grid, the trail's range, billed keys, and the price table
 * persisted through validatePriceTable (unverified asymmetric prices marked).
 */
import { describe, expect, it } from 'vitest';
import { monthlyCostAtRate, PRICE_TABLE, validatePriceTable } from '../../../src/services/cost';
import { billedKeyCount, costSeries, rateGrid, throwingValidator, trailRange } from '../../../src/ui/load/costSeries';
import { loadPrices, PRICE_STORAGE_KEY, priceFields, savePrices, withPrice } from '../../../src/ui/load/priceStore';

describe('costSeries', () => {
  it('makes one series per scenario, rate → monthly cost, from monthlyCostAtRate', () => {
    const points = monthlyCostAtRate({ requestsPerSecond: [1, 10], keys: 1, bucketKeys: true, caching: { maxAgeMs: 60_000, maxMessagesEncrypted: 100 } });
    const series = costSeries(points);
    expect(series.map((s) => s.id)).toEqual(['none', 'caching', 'bucketKeys']);
    // 1 request/s for a 30-day month: 2,592,000 requests; (2,592,000 − 20,000) / 10,000 × $0.03 = $7.716, plus $1 for the key.
    expect(series[0]!.points[0]!.rate).toBe(1);
    expect(series[0]!.points[0]!.monthly).toBeCloseTo(8.716, 6);
    expect(series[1]!.points[1]!.monthly).toBeLessThan(series[0]!.points[1]!.monthly);
  });

  it('leaves out scenarios the points do not have', () => {
    expect(costSeries(monthlyCostAtRate({ requestsPerSecond: [5], keys: 0 })).map((s) => s.id)).toEqual(['none']);
    expect(costSeries([])).toEqual([]);
  });
});

describe('rateGrid', () => {
  it('steps 1, 2, 5 per decade from 0.01 and ends at the maximum', () => {
    expect(rateGrid(1)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(rateGrid(300).slice(-3)).toEqual([100, 200, 300]);
  });
});

describe('trailRange and billedKeyCount', () => {
  it('starts at the earliest record or key creation and ends now', () => {
    const now = Date.UTC(2026, 0, 10);
    expect(trailRange(['2026-01-05T00:00:00Z', 'junk'], [Date.UTC(2026, 0, 3)], now)).toEqual({ from: Date.UTC(2026, 0, 3), to: now });
    expect(trailRange([], [], now)).toEqual({ from: now, to: now });
  });

  it('bills customer managed keys that are not pending deletion', () => {
    expect(
      billedKeyCount([
        { keyManager: 'CUSTOMER', keyState: 'Enabled' },
        { keyManager: 'CUSTOMER', keyState: 'Disabled' },
        { keyManager: 'CUSTOMER', keyState: 'PendingDeletion' },
        { keyManager: 'AWS', keyState: 'Enabled' },
      ]),
    ).toBe(2);
  });
});

describe('the price table in localStorage', () => {
  const storage = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
  };
  const validate = throwingValidator(validatePriceTable);

  it('round-trips an edit of PRICE_TABLE through validatePriceTable', () => {
    const s = storage();
    const edited = withPrice(PRICE_TABLE, ['symmetricPer10k'], 0.05);
    savePrices(s, edited);
    expect(loadPrices(s, validate, PRICE_TABLE)).toEqual({ table: edited, edited: true, problem: null });
  });

  it('refuses a stored negative price with validatePriceTable’s message', () => {
    const s = storage();
    s.setItem(PRICE_STORAGE_KEY, JSON.stringify(withPrice(PRICE_TABLE, ['keyMonth'], -1)));
    expect(loadPrices(s, validate, PRICE_TABLE)).toEqual({ table: PRICE_TABLE, edited: false, problem: 'Your stored prices were ignored: keyMonth must be a non-negative number.' });
  });

  it('marks the asymmetric prices unverified and the others verified', () => {
    const fields = priceFields(PRICE_TABLE);
    expect(fields.filter((f) => !f.verified).map((f) => f.path.join('.'))).toEqual([
      'asymmetric.rsa2048Per10k',
      'asymmetric.otherPer10k',
      'asymmetric.dataKeyPairEccPer10k',
      'asymmetric.dataKeyPairRsaPer10k',
    ]);
    expect(fields.find((f) => f.path[0] === 'symmetricPer10k')).toMatchObject({ value: 0.03, verified: true, label: 'symmetric per 10k' });
    expect(fields.find((f) => f.path[1] === 'rsa2048Per10k')?.label).toBe('asymmetric › rsa 2048 per 10k');
  });
});
