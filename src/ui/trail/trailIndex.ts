/**
 * The trail panel's index of CloudTrail records (issue 5, "live, 100,000 records stay smooth").
 *
 * The repository lists trail records in `seq` order and only ever appends to the trail, so the
 * index keeps the rows it has already seen and, on each commit, takes only the records past the
 * last seen `seq`: no copy and no sort of the whole trail per commit. Rows are kept oldest first
 * (an append is a push); the panel reads them newest first by position (`newestFirst`). When the
 * listing no longer continues what the index saw (a different sandbox), it is rebuilt.
 *
 * Each row keeps the fields the filters compare, computed once per record.
 */
import type { TrailEventRecord } from '../../kms';
import { keyLabel, principalLabel } from '../../trail';

/** One trail record with its filterable fields precomputed. */
export interface TrailRow {
  readonly record: TrailEventRecord;
  /** CloudTrail eventID (the record id). */
  readonly id: string;
  readonly seq: number;
  readonly eventName: string;
  /** `root`, `user/alice`, `role/AppRole`, `AWS`, ... (trail's principalLabel). */
  readonly principal: string;
  /** The principal's ARN when the record has one (filters match it too). */
  readonly principalArn: string;
  /** `key 1234abcd…`, `alias/orders` or '' (trail's keyLabel). */
  readonly keyLabel: string;
  /** Key ARNs of `resources` and the key id the caller sent, lower-cased, space-separated (for the key filter). */
  readonly keyText: string;
  /** errorCode, or '' for a success. */
  readonly errorCode: string;
  /** eventTime in ms since the epoch. */
  readonly time: number;
  /** Lower-cased texts the filters search (computed once per record, not once per filter change). */
  readonly lower: { readonly eventName: string; readonly principal: string; readonly key: string; readonly errorCode: string };
}

/** Builds the row of one record. */
export function toTrailRow(record: TrailEventRecord): TrailRow {
  const rec = record.record;
  const params = rec.requestParameters;
  const sent = params ? [params['keyId'], params['targetKeyId'], params['aliasName'], params['sourceKeyId'], params['destinationKeyId']] : [];
  const keyParts = [...(rec.resources ?? []).map((r) => r.ARN), ...sent.filter((v): v is string => typeof v === 'string')];
  const arn = rec.userIdentity['arn'];
  const principal = principalLabel(rec);
  const principalArn = typeof arn === 'string' ? arn : '';
  const label = keyLabel(rec) ?? '';
  const keyText = keyParts.join(' ').toLowerCase();
  return {
    record,
    id: record.id,
    seq: record.seq,
    eventName: rec.eventName,
    principal,
    principalArn,
    keyLabel: label,
    keyText,
    errorCode: rec.errorCode ?? '',
    time: Date.parse(rec.eventTime),
    lower: {
      eventName: rec.eventName.toLowerCase(),
      principal: `${principal}\n${principalArn}`.toLowerCase(),
      key: `${label}\n${keyText}`.toLowerCase(),
      errorCode: (rec.errorCode ?? '').toLowerCase(),
    },
  };
}

/** Incremental, append-only index of the trail, oldest first. */
export class TrailIndex {
  /** Rows oldest first; only ever appended to (until a rebuild replaces the array). */
  #rows: TrailRow[] = [];
  /** How many times the index was rebuilt from scratch (tests and the bench read it). */
  rebuilds = 0;
  /** Bumped whenever the rows change (an append or a rebuild). */
  generation = 0;

  /** Rows, oldest first. Do not mutate. */
  get rows(): readonly TrailRow[] {
    return this.#rows;
  }

  get size(): number {
    return this.#rows.length;
  }

  /** The row `i` places from the newest (0: the newest). */
  newestFirst(i: number): TrailRow | undefined {
    return this.#rows[this.#rows.length - 1 - i];
  }

  /**
   * Catches up with `listing` (the repository's trail, in `seq` order). Returns how many rows
   * were appended, or -1 when the index had to be rebuilt.
   */
  sync(listing: readonly TrailEventRecord[]): number {
    const n = this.#rows.length;
    const last = this.#rows[n - 1];
    const continues = n === 0 || (listing.length >= n && listing[n - 1]?.id === last?.id && listing[n - 1]?.seq === last?.seq);
    if (!continues) {
      this.#rows = listing.map(toTrailRow);
      this.rebuilds += 1;
      this.generation += 1;
      return -1;
    }
    if (listing.length === n) return 0;
    for (let i = n; i < listing.length; i++) this.#rows.push(toTrailRow(listing[i]!));
    this.generation += 1;
    return listing.length - n;
  }
}
