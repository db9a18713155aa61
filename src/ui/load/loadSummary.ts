/**
 * What the page says about a load run (issue 8): the plot's points, the totals, and the line that
 * tells the calls executed for real (on a copy of the sandbox) from the requests counted in bulk
 * ("the page says which is which"), from the LoadResult of src/services/loadGenerator.ts. Pure
 * (unit-tested).
 */
import type { Quota } from '../../kms/quotas';
import type { LoadResult } from '../../services/loadGenerator';
import { formatCount } from './numbers';

/** The parts of a LoadResult the page shows (a run without a quota on record has none). */
export type LoadResultView = Pick<LoadResult, 'series' | 'totals' | 'counted' | 'wallMs'> & {
  readonly quota: Pick<Quota, 'name' | 'perSecond'> | null;
  readonly executed: Omit<LoadResult['executed'], 'kmsCalls'>;
};

export function executedCountedLine(r: LoadResultView): string {
  const e = r.executed;
  const errors = Object.entries(e.errors)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => `${formatCount(n)} ${name}`);
  const outcome = [`${formatCount(e.succeeded)} succeeded`, ...errors].join(', ');
  const executed =
    e.where === 'copy' && e.calls > 0
      ? `Executed for real: ${formatCount(e.calls)} call${e.calls === 1 ? '' : 's'} (${outcome}) through the KMS service on a copy of your sandbox, one every ${formatCount(e.everySeconds)} sandbox second${e.everySeconds === 1 ? '' : 's'}`
      : 'Executed for real: none';
  return `${executed}; counted in bulk: ${formatCount(r.counted)} KMS request${r.counted === 1 ? '' : 's'} against the quota (not executed, not in your trail).`;
}

/** The totals table's rows (label, value). */
export function totalsRows(r: LoadResultView): { label: string; value: string }[] {
  const t = r.totals;
  const share = `${formatCount(Math.round(t.peakQuotaShare * 1000) / 10)} %`;
  return [
    { label: 'Offered requests', value: formatCount(t.offered) },
    { label: 'KMS requests (first attempts)', value: formatCount(t.kmsRequests) },
    { label: 'Admitted', value: formatCount(t.admitted) },
    { label: 'Throttled (ThrottlingException)', value: formatCount(t.throttled) },
    { label: 'SDK retries', value: formatCount(t.retries) },
    { label: 'Failed after all retries', value: formatCount(t.failedAfterRetries) },
    { label: 'Background workload requests', value: formatCount(t.background) },
    { label: 'Peak KMS requests per second', value: `${formatCount(t.peakKmsRequestsPerSecond)} (${share} of the quota)` },
    { label: 'Sandbox seconds (with the retry tail)', value: formatCount(t.seconds) },
    { label: 'Wall time', value: `${formatCount(Math.round(r.wallMs))} ms` },
  ];
}

/** One-line summary (the plot's accessible description). */
export function runSummary(r: LoadResultView): string {
  const q = r.quota ? `the ${r.quota.name} of ${formatCount(r.quota.perSecond)}/s` : 'no quota';
  return `${formatCount(r.totals.offered)} offered requests over ${formatCount(r.totals.seconds)} sandbox seconds against ${q}: ${formatCount(r.totals.admitted)} admitted, ${formatCount(r.totals.throttled)} throttled, ${formatCount(r.totals.retries)} retries, ${formatCount(r.totals.failedAfterRetries)} failed after retries.`;
}

/** Rows of the table fallback of the plot: the first `max` seconds with throttling or the first seconds. */
export function seriesTableRows(r: LoadResultView, max = 20): LoadResultView['series'][number][] {
  const busy = r.series.filter((p) => p.throttled > 0 || p.retries > 0);
  return (busy.length > 0 ? busy : r.series).slice(0, max);
}
