/**
 * The load generator's speed (issue 8, "Tests and benchmark"): one simulated hour at 5,000
 * requests/s (source app, GenerateDataKey, no caching; 18,000,000 requests in us-east-1) through
 * `runLoad` (src/services/loadGenerator.ts) in Node, with the executed sample on a copy of the
 * sandbox as the page runs it. Target: under 10 s of wall time. Prints the wall time, the calls
 * executed for real and the requests counted in bulk.
 *
 * One fresh in-memory sandbox (bench/core.ts ports: fixed clock, seeded DRBG) with one key; the
 * copy is a new in-memory repository from its records (as src/ui/load/sandboxCopy.ts makes it).
 * The run is repeated `ROUNDS` times; the figure is the median (min–max).
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
}

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
  const sorted = [...wallMs].sort((a, b) => a - b);
  return {
    wallMs,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
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
