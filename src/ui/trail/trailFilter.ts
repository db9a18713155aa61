/**
 * Filters of the trail panel (issue 5: eventName, principal, key, errorCode, time), combinable,
 * and the incremental query that keeps the matching rows as the trail grows.
 *
 * Text filters are case-insensitive substrings (as the CloudTrail console's lookup is forgiving):
 * `eventName` against the operation, `principal` against `user/alice` and the caller's ARN,
 * `key` against the key label, the resource ARNs and the key id or alias the caller sent.
 * `errorCode` is `''` (any), `ok` (successes only), `error` (any failure), or a substring of the
 * error code. `from`/`to` bound eventTime (ms, inclusive; null: open).
 */
import type { TrailIndex, TrailRow } from './trailIndex';

/** The panel's filter; every field optional in effect ('' / null means "any"). */
export interface TrailFilter {
  readonly eventName: string;
  readonly principal: string;
  readonly key: string;
  /** '' any, 'ok' successes, 'error' failures, else a substring of errorCode. */
  readonly errorCode: string;
  /** Inclusive lower bound of eventTime, ms; null: none. */
  readonly from: number | null;
  /** Inclusive upper bound of eventTime, ms; null: none. */
  readonly to: number | null;
}

/** The filter that matches everything. */
export const EMPTY_FILTER: TrailFilter = { eventName: '', principal: '', key: '', errorCode: '', from: null, to: null };

/** True when no field restricts anything. */
export function isEmptyFilter(f: TrailFilter): boolean {
  return f.eventName.trim() === '' && f.principal.trim() === '' && f.key.trim() === '' && f.errorCode.trim() === '' && f.from === null && f.to === null;
}

/** A filter prepared for many rows (lower-cased, trimmed once). */
export type RowPredicate = (row: TrailRow) => boolean;

/** Compiles a filter into a row predicate. */
export function compileFilter(f: TrailFilter): RowPredicate {
  const name = f.eventName.trim().toLowerCase();
  const who = f.principal.trim().toLowerCase();
  const key = f.key.trim().toLowerCase();
  const code = f.errorCode.trim().toLowerCase();
  const { from, to } = f;
  return (row) => {
    const lower = row.lower;
    if (name && !lower.eventName.includes(name)) return false;
    if (who && !lower.principal.includes(who)) return false;
    if (key && !lower.key.includes(key)) return false;
    if (code === 'ok' ? lower.errorCode !== '' : code === 'error' ? lower.errorCode === '' : code !== '' && !lower.errorCode.includes(code)) return false;
    if (from !== null && !(row.time >= from)) return false;
    if (to !== null && !(row.time <= to)) return false;
    return true;
  };
}

/**
 * A `datetime-local` input value read as UTC (the trail's eventTime is UTC), in ms; null when
 * empty or invalid. `isEnd` makes the bound cover its whole minute (an inclusive "to").
 */
export function parseUtcInput(value: string, isEnd = false): number | null {
  if (value.trim() === '') return null;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  if (Number.isNaN(ms)) return null;
  return isEnd && value.length === 16 ? ms + 59_999 : ms;
}

/** The filter form's values as typed (times as `datetime-local` values, read as UTC). */
export interface FilterFields {
  eventName: string;
  principal: string;
  key: string;
  errorCode: string;
  from: string;
  to: string;
}

/** An empty form. */
export const EMPTY_FIELDS: Readonly<FilterFields> = { eventName: '', principal: '', key: '', errorCode: '', from: '', to: '' };

/** The filter of the form's values (an invalid time bound is ignored). */
export function filterOf(fields: FilterFields): TrailFilter {
  return {
    eventName: fields.eventName,
    principal: fields.principal,
    key: fields.key,
    errorCode: fields.errorCode,
    from: parseUtcInput(fields.from),
    to: parseUtcInput(fields.to, true),
  };
}

/** Two filters are the same query. */
export function sameFilter(a: TrailFilter, b: TrailFilter): boolean {
  return a.eventName === b.eventName && a.principal === b.principal && a.key === b.key && a.errorCode === b.errorCode && a.from === b.from && a.to === b.to;
}

/** What the panel shows: the matching rows, newest first by position, and the totals. */
export interface TrailResult {
  /** Matching rows. */
  readonly count: number;
  /** All rows of the trail. */
  readonly total: number;
  /** The matching row `i` places from the newest. */
  at(i: number): TrailRow | undefined;
  /** Position (newest first) of the row with this `seq` among the matches, or -1 (binary search: rows are in seq order). */
  positionOfSeq(seq: number): number;
  /** Every matching row, newest first (export). */
  newestFirst(): TrailRow[];
}

/**
 * The matching rows of an index for one filter, kept up to date incrementally: a new filter
 * scans every row once; new rows under the same filter are tested alone and appended.
 */
export class TrailQuery {
  #filter: TrailFilter = EMPTY_FILTER;
  #predicate: RowPredicate = () => true;
  /** Indexes (oldest first) into the index's rows of the matching rows; null while the filter is empty. */
  #matches: number[] | null = null;
  /** Rows of the index already tested. */
  #scanned = 0;
  #generation = -1;
  readonly #index: TrailIndex;

  constructor(index: TrailIndex) {
    this.#index = index;
  }

  /** Updates the matches for `filter` and the index's current rows; returns a fresh result. */
  run(filter: TrailFilter): TrailResult {
    const rows = this.#index.rows;
    const changed = !sameFilter(filter, this.#filter);
    const rebuilt = this.#scanned > rows.length || this.#index.rebuilds !== this.#rebuildsSeen;
    if (changed || rebuilt) {
      this.#filter = filter;
      this.#predicate = compileFilter(filter);
      this.#matches = isEmptyFilter(filter) ? null : [];
      this.#scanned = 0;
      this.#rebuildsSeen = this.#index.rebuilds;
    }
    if (this.#matches !== null) for (let i = this.#scanned; i < rows.length; i++) if (this.#predicate(rows[i]!)) this.#matches.push(i);
    this.#scanned = rows.length;
    this.#generation = this.#index.generation;
    // Rows and matches are append-only, so a result captures them with their current lengths (no copy).
    return resultOf(rows, this.#matches, rows.length);
  }

  #rebuildsSeen = 0;

  /** The index generation the last result reflects. */
  get generation(): number {
    return this.#generation;
  }
}

function resultOf(rows: readonly TrailRow[], matches: readonly number[] | null, total: number): TrailResult {
  const count = matches === null ? total : matches.length;
  // Appends after this point are not part of this result: positions count from the captured ends.
  const at = matches === null ? (i: number) => (i >= 0 && i < total ? rows[total - 1 - i] : undefined) : (i: number) => (i >= 0 && i < count ? rows[matches[count - 1 - i]!] : undefined);
  return {
    count,
    total,
    at,
    positionOfSeq(seq) {
      // Oldest-first index k holds the (count-1-k)-th newest match; seqs increase with k.
      let lo = 0;
      let hi = count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = at(count - 1 - mid)!.seq;
        if (s === seq) return count - 1 - mid;
        if (s < seq) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
    newestFirst() {
      const out: TrailRow[] = [];
      for (let i = 0; i < count; i++) out.push(at(i)!);
      return out;
    },
  };
}
