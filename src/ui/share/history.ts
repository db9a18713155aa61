/**
 * Undo and timeline over the call log (issue 6): a sandbox is a fold over its log, so "undo" is
 * the log without its last entry and "the sandbox at step k" is its first k entries, replayed.
 */
import type { LogEntry, Repository } from '../../kms';

/** The sandbox's call log, in order. */
export function logEntries(repository: Repository): LogEntry[] {
  return repository.list('logEntry').map((r) => r.entry);
}

/** The entries to replay for "Undo last call"; null when there is nothing to undo. */
export function undoSlice(log: readonly LogEntry[]): readonly LogEntry[] | null {
  return log.length === 0 ? null : log.slice(0, -1);
}

/** The first `k` entries (k clamped to 0…length, integers only). */
export function timelineSlice(log: readonly LogEntry[], k: number): readonly LogEntry[] {
  return log.slice(0, clampStep(k, log.length));
}

/** `k` as a valid step of a log of `length` entries. */
export function clampStep(k: number, length: number): number {
  if (!Number.isFinite(k)) return length;
  return Math.min(length, Math.max(0, Math.trunc(k)));
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** How long `ms` is, in the largest whole unit. */
export function durationText(ms: number): string {
  const days = ms / 86_400_000;
  if (Number.isInteger(days)) return plural(days, 'day');
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours)) return plural(hours, 'hour');
  return plural(Math.round(ms / 1000), 'second');
}

/** A one-line label of an entry, for the timeline (no request values: they may be secrets). */
export function describeEntry(entry: LogEntry): string {
  switch (entry.kind) {
    case 'call':
      return entry.outcome.ok ? entry.operation : `${entry.operation} (${entry.outcome.error})`;
    case 'clock':
      return `Clock advanced ${durationText(entry.ms)}`;
    case 'world':
      return `IAM: ${entry.edit.op}`;
    default:
      return 'Unknown entry';
  }
}

/** The label of step `k` of a log: after how many entries, and which one was last. */
export function stepLabel(log: readonly LogEntry[], k: number): string {
  const step = clampStep(k, log.length);
  if (step === 0) return `Start (before entry 1 of ${log.length})`;
  const last = log[step - 1]!;
  return `After entry ${step} of ${log.length}: ${describeEntry(last)}`;
}

/** The confirmation text of "Undo last call". */
export function undoQuestion(log: readonly LogEntry[]): string {
  const last = log[log.length - 1];
  return `Undo the last entry of the call log${last ? ` (${describeEntry(last)})` : ''}?\n\nThe sandbox is rebuilt from its log without that entry; its CloudTrail record goes too.`;
}

/** The confirmation text of "Restore to here". */
export function restoreQuestion(log: readonly LogEntry[], k: number): string {
  const step = clampStep(k, log.length);
  const dropped = log.length - step;
  return `Restore the sandbox to step ${step} of ${log.length}?\n\nThe ${dropped} later ${dropped === 1 ? 'entry is' : 'entries are'} removed, with ${dropped === 1 ? 'its' : 'their'} CloudTrail records.`;
}
