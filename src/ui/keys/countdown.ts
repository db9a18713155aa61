/**
 * Countdowns in sandbox days (issue 5): how long until a scheduled deletion completes or the next
 * automatic rotation is due, on the sandbox clock (which the learner advances by days).
 * KMS deletes a key when the clock passes its DeletionDate (kms-semantics.md §1.3).
 */

/** One sandbox day in ms. */
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Whole sandbox days left until `due` (rounded up: 6.2 days left is "7 days"); 0 when due. */
export function daysLeft(now: number, due: number): number {
  return due <= now ? 0 : Math.ceil((due - now) / DAY_MS);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "in 7 sandbox days", "in 5 sandbox hours", "in under an hour", or "now" when due. */
export function timeLeftText(now: number, due: number): string {
  const ms = due - now;
  if (ms <= 0) return 'now';
  if (ms >= DAY_MS) return `in ${plural(daysLeft(now, due), 'sandbox day')}`;
  if (ms >= HOUR_MS) return `in ${plural(Math.ceil(ms / HOUR_MS), 'sandbox hour')}`;
  return 'in under an hour';
}

/** The deletion countdown sentence shown with a PendingDeletion key. */
export function deletionCountdownText(now: number, deletionDate: number): string {
  if (deletionDate <= now) return 'The waiting period is over: KMS deletes the key with the next call or clock step.';
  return `KMS deletes the key and all its material ${timeLeftText(now, deletionDate)}, unless you cancel the deletion.`;
}

/** The next automatic rotation, as a sentence. */
export function rotationCountdownText(now: number, nextRotationDate: number): string {
  if (nextRotationDate <= now) return 'Rotation is due: it happens with the next call or clock step.';
  return `Next automatic rotation ${timeLeftText(now, nextRotationDate)}.`;
}

/** "7 sandbox days left", "1 sandbox day left", "0 sandbox days left" (whole days, rounded up). */
export function daysLeftText(now: number, due: number): string {
  return `${plural(daysLeft(now, due), 'sandbox day')} left`;
}
