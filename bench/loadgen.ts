/**
 * The load generator's speed (issue 8, "Tests and benchmark"): one simulated hour at 5,000
 * requests/s (source app, GenerateDataKey, no caching; 18,000,000 requests in us-east-1) through
 * `runLoad` (src/services/loadGenerator.ts) in Node, with the executed sample on a copy of the
 * sandbox as the page runs it. Target: under 10 s of wall time. Prints the wall time, the calls
 * executed for real and the requests counted in bulk.
 *
 * One fresh in-memory sandbox (bench/core.ts ports: fixed clock, seeded DRBG) with one key; the
 * copy is a new in-memory repository from its records (as src/ui/load/sandboxCopy.ts makes it).
 * The run is repeated `ROUNDS` times; the figure is the median (min–max). A second scenario times
 * the path with throttling and the SDK's retries: one hour at 25,000 requests/s in ap-southeast-2
 * (quota 20,000/s), informational (the target is the issue's 5,000/s hour).
 *
 * Standalone: `npx tsx bench/loadgen.ts`.
 */
import { allRecords, createKmsService, type KmsService } from '../src/kms';
import { createMemoryRepository } from '../src/kms/store';
import { runLoad, type LoadResult } from '../src/services/loadGenerator';
import { CALLER, freshPorts } from './core';

/** Issue 8's target: one simulated hour at 5,000 requests/s in under 10 s. */
export const LOADGEN_TARGET_MS = 10_000;
const ROUNDS = 3;
const RATE = 5_000;
const SECONDS = 3_600;

export interface LoadgenBench {
  /** Wall times of the rounds (ms), in run order. */
  readonly wallMs: readonly number[];
  readonly medianMs: number;
  /** The last round's result, without its series. */
  readonly executed: LoadResult['executed'];
  readonly counted: number;
  readonly attempts: number;
  readonly throttled: number;
  readonly quotaPerSecond: number;
  /** The over-quota hour (25,000/s in ap-southeast-2): median wall time and what throttling did. */
  readonly overQuota: { readonly medianMs: number; readonly attempts: number; readonly throttled: number; readonly retries: number; readonly failedAfterRetries: number };
}

const OVER_RATE = 25_000;
const SYDNEY = { ...CALLER, region: 'ap-southeast-2' as typeof CALLER.region };

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the load generator's benchmark in this process. */
export async function benchLoadgen(log: (line: string) => void = () => {}): Promise<LoadgenBench> {
  const ports = freshPorts();
  const service = await createKmsService(ports);
  const created = await service.call('CreateKey', { Description: 'loadgen bench' }, CALLER);
  const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
  const copy = async (): Promise<KmsService> => createKmsService({ ...freshPorts(), repository: createMemoryRepository(allRecords(ports.repository)) });
  const wallMs: number[] = [];
  let last: LoadResult | null = null;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    last = await runLoad(service, { ratePerSecond: RATE, seconds: SECONDS, source: 'app', operation: 'GenerateDataKey', keyId, caller: CALLER }, { copy });
    wallMs.push(performance.now() - t0);
    log(`loadgen: round ${i + 1}/${ROUNDS}: ${(wallMs.at(-1)! / 1000).toFixed(2)} s`);
  }
  const sydneyKey = (await service.call('CreateKey', { Description: 'loadgen bench (over quota)' }, SYDNEY)).KeyMetadata as { KeyId: string };
  const overMs: number[] = [];
  let over: LoadResult | null = null;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    over = await runLoad(service, { ratePerSecond: OVER_RATE, seconds: SECONDS, source: 'app', operation: 'GenerateDataKey', keyId: sydneyKey.KeyId, caller: SYDNEY }, { copy });
    overMs.push(performance.now() - t0);
    log(`loadgen: over-quota round ${i + 1}/${ROUNDS}: ${(overMs.at(-1)! / 1000).toFixed(2)} s`);
  }
  return {
    wallMs,
    medianMs: median(wallMs),
    overQuota: {
      medianMs: median(overMs),
      attempts: over!.totals.attempts,
      throttled: over!.totals.throttled,
      retries: over!.totals.retries,
      failedAfterRetries: over!.totals.failedAfterRetries,
    },
    executed: last!.executed,
    counted: last!.counted,
    attempts: last!.totals.attempts,
    throttled: last!.totals.throttled,
    quotaPerSecond: last!.quota.perSecond,
  };
}

/** The report lines. */
export function formatLoadgen(b: LoadgenBench): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const errors = Object.entries(b.executed.errors).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    'Issue 8 — load generator (Node)',
    `  One simulated hour at ${n(RATE)} requests/s (app, GenerateDataKey, no caching; quota ${n(b.quotaPerSecond)}/s): ${s(b.medianMs)} wall (median of ${b.wallMs.length}, ${s(Math.min(...b.wallMs))}–${s(Math.max(...b.wallMs))}) — target < ${s(LOADGEN_TARGET_MS)}: ${b.medianMs < LOADGEN_TARGET_MS ? 'PASS' : 'MISS'}`,
    `  ${n(b.attempts)} KMS requests (${n(b.throttled)} throttled): ${n(b.executed.calls)} executed for real on a copy of the sandbox (one every ${n(b.executed.everySeconds)} sandbox s; ${n(b.executed.succeeded)} succeeded${errors ? `, ${errors}` : ''}), ${n(b.counted)} counted in bulk`,
    `  Over the quota, one hour at ${n(OVER_RATE)} requests/s in ap-southeast-2 (quota 20,000/s): ${s(b.overQuota.medianMs)} wall; ${n(b.overQuota.attempts)} KMS requests, ${n(b.overQuota.throttled)} throttled, ${n(b.overQuota.retries)} retries, ${n(b.overQuota.failedAfterRetries)} failed after the SDK's retries`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchLoadgen((l) => process.stderr.write(`${l}\n`)).then(
    (b) => process.stdout.write(`${formatLoadgen(b)}\n`),
    (e: unknown) => {
      process.stderr.write(`loadgen bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
