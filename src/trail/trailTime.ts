/**
 * The two ways CloudTrail writes time in a KMS record (kms-semantics.md §10):
 *
 * - `eventTime` is ISO-8601 UTC at second precision: `2025-05-20T20:46:16Z`.
 * - Timestamps inside `requestParameters` / `responseElements` (CreateKey's
 *   `keyMetadata.creationDate`, ScheduleKeyDeletion's `deletionDate`, ...) are written the way
 *   CloudTrail's Java serializer prints a date: `Dec 4, 2020, 7:26:27 PM` (short month name, day,
 *   year, 12-hour clock, always UTC here).
 *
 * Both are formatted by hand rather than with `Intl`: ICU versions differ in the space before
 * `PM` (U+0020 vs U+202F), and a trail must read the same on every machine and in every replay.
 * Neither function throws: the trail is written in the same transaction as the call it records.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * `eventTime` for sandbox time `ms`: ISO-8601 UTC, milliseconds dropped (truncated, not rounded).
 * A time outside the JavaScript Date range (or NaN) is written as the epoch, never thrown.
 */
export function formatEventTime(ms: number): string {
  // Every call of a busy sandbox falls in the same second: keep the last second's text.
  const second = Math.floor(ms / 1000);
  if (second === lastSecond && lastEventTime !== null) return lastEventTime;
  const d = new Date(ms);
  const safe = Number.isNaN(d.getTime()) ? new Date(0) : d;
  const text = safe.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Only well inside the Date range, where the second alone decides the text.
  if (Math.abs(ms) < MAX_DATE_MS - 1000) {
    lastSecond = second;
    lastEventTime = text;
  }
  return text;
}

/** The largest |ms| a Date holds (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;
/** formatEventTime's one-entry cache: the whole second and its text. */
let lastSecond = Number.NaN;
let lastEventTime: string | null = null;

/**
 * A Date as CloudTrail writes it inside KMS request parameters and response elements,
 * e.g. `Dec 4, 2020, 7:26:27 PM` (UTC). Returns null for an invalid Date.
 */
export function formatTrailDate(d: Date): string | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  const h = d.getUTCHours();
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  const month = MONTHS[d.getUTCMonth()] ?? 'Jan';
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hour12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}
