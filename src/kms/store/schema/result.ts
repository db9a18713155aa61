/**
 * The result type for parsing untrusted input (STYLE §6): stored data, exports, share links and
 * lesson seeds. Bad input is expected there, so these functions return a failure with a reason
 * from a closed set instead of throwing. The reasons are modelled on tldraw's migration failure
 * reasons (`packages/store/src/lib/migrate.ts`).
 */

/** The closed set of reasons why a snapshot or record cannot be loaded (STYLE §6, §7). */
export const FAILURE_REASONS = [
  'unknown-format',
  'version-too-new',
  'version-too-old',
  'migration-failed',
  'invalid-record',
] as const;

/**
 * Why loading failed:
 * - `unknown-format`: not a snapshot at all (wrong shape, unparsable JSON, no schema).
 * - `version-too-new`: written by a newer client (a higher version, or a sequence we do not know).
 * - `version-too-old`: older than the oldest version we still migrate from.
 * - `migration-failed`: a migration threw or returned something that is not a record.
 * - `invalid-record`: a record does not match its validator after migration.
 */
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Success with a value, or a failure with a reason and a human-readable detail (never secrets). */
export type Result<T, R extends string = FailureReason> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: R; readonly detail: string };

/** Makes a success. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Makes a failure. `detail` names fields and positions, never the values (they may be secret). */
export function fail<R extends string>(reason: R, detail: string): { readonly ok: false; readonly reason: R; readonly detail: string } {
  return { ok: false, reason, detail };
}

/** The name of a thrown value, for failure details (never its message: messages can quote input). */
export function errorName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}
