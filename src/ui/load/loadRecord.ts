/**
 * Running a load with its summary recorded (`runLoad(..., { record: true })` keeps one
 * `loadRun/latest` record that lessons check) without losing the result when the write is refused:
 * in a read-only second tab (`ReadOnlySandbox`) the run is made again without recording and the
 * result is shown with a note. Also tells a cancellation from a real error. Pure (unit-tested).
 */

/** Whether `e` is the abort of `signal` (its reason, or an AbortError once it aborted). */
export function isAbortOf(e: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  return e === signal.reason || (e instanceof Error && e.name === 'AbortError');
}

/** Whether `e` is a refused write of a read-only tab. */
export function isReadOnlyRefusal(e: unknown): boolean {
  return e instanceof Error && e.name === 'ReadOnlySandbox';
}

/**
 * `run(true)`; if only the recording was refused (ReadOnlySandbox), `run(false)` and a note saying
 * the run was not recorded. Any other error (an abort included) is rethrown.
 */
export async function runRecorded<T>(run: (record: boolean) => Promise<T>): Promise<{ result: T; note: string | null }> {
  try {
    return { result: await run(true), note: null };
  } catch (e) {
    if (!isReadOnlyRefusal(e)) throw e;
    const result = await run(false);
    return { result, note: `Not recorded (lessons check the latest recorded run): ${(e as Error).message}` };
  }
}
