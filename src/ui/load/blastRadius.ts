/**
 * The blast-radius view of data-key caching (kms-semantics.md §12.1): per data key the CMM
 * generated, how many messages and bytes it protected — everything one leaked data key exposes —
 * with bar widths for the small bar chart, and the security trade-offs text. Pure (unit-tested).
 */
import type { BlastRadiusLike } from './cachingRun';
import { formatBytes, formatCount } from './numbers';

/** One row of the table and bar chart. */
export interface BlastRow {
  readonly entryId: string;
  readonly keyId: string;
  readonly messages: string;
  readonly bytes: string;
  /** "in the cache", or "retired: max age reached" … */
  readonly status: string;
  /** Bar length, 0–100 (% of the largest message count). */
  readonly barPercent: number;
}

const REASONS: Readonly<Record<NonNullable<BlastRadiusLike['reason']>, string>> = {
  age: 'max age reached',
  messages: 'max messages reached',
  bytes: 'max bytes reached',
  capacity: 'dropped by the LRU (capacity)',
};

/** The rows, oldest data key first; bars relative to the data key that protected the most messages. */
export function blastRows(entries: readonly BlastRadiusLike[]): BlastRow[] {
  const most = Math.max(1, ...entries.map((e) => e.messages));
  return entries.map((e) => ({
    entryId: e.entryId,
    keyId: e.keyId,
    messages: formatCount(e.messages),
    bytes: formatBytes(e.bytes),
    status: e.retired ? `retired: ${e.reason ? REASONS[e.reason] : 'not cached'}` : 'in the cache',
    barPercent: Math.round((e.messages / most) * 1000) / 10,
  }));
}

/** The worst case: the data key that protected the most, as a sentence. */
export function worstCase(entries: readonly BlastRadiusLike[]): string | null {
  if (entries.length === 0) return null;
  const worst = entries.reduce((a, b) => (b.messages > a.messages || (b.messages === a.messages && b.bytes > a.bytes) ? b : a));
  return `One leaked data key exposes up to ${formatCount(worst.messages)} message${worst.messages === 1 ? '' : 's'} (${formatBytes(worst.bytes)}) — ${worst.entryId}.`;
}

/** The security trade-offs of caching (§12.1), one point each. */
export const CACHING_TRADE_OFFS: readonly string[] = [
  'Plaintext data keys stay in the application’s memory for up to max age.',
  'One leaked data key exposes every message encrypted under it: the blast radius above.',
  'A cache hit does not call KMS: there is no CloudTrail record per message, only one per data key.',
  'Disabling the KMS key, revoking a grant or changing the key policy does not stop cached data keys until they expire.',
  'Use the least caching that meets your cost and throughput goals; max age works like a short data-key rotation period.',
];
