/**
 * A load run with its summary recorded (`runLoad(..., { record: true })` keeps one
 * `loadRun/latest` record that lessons check): when the write is refused (a read-only second tab),
 * the result still comes back, with `recordError`, shown as a note. Also tells a cancellation from
 * a real error. Pure (unit-tested).
 */

/** Whether `e` is the abort of `signal` (its reason, or an AbortError once it aborted). */
export function isAbortOf(e: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  return e === signal.reason || (e instanceof Error && e.name === 'AbortError');
}

/** The note shown when a run's summary could not be recorded (`LoadResult.recordError`), or null. */
export function recordNote(result: { readonly recordError?: string }): string | null {
  return result.recordError === undefined ? null : `Not recorded (lessons check the latest recorded run): ${result.recordError}`;
}
