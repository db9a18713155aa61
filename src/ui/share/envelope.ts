/**
 * The open sandbox as a share envelope (issue 6, STYLE §8): seed, creation time and call log from
 * the repository's committed records; typed plaintexts left out unless the user opted in.
 */
import type { LogEntry, Repository } from '../../kms';
import { CURRENT_SEM, FORMAT_VERSION, SHARE_FORMAT, withoutInputs, type ShareEnvelope } from '../../share';

/** Whether the sandbox can be shared, and why not. */
export type Shareability = { readonly ok: true } | { readonly ok: false; readonly message: string };

export { logEntries } from './history';
import { logEntries } from './history';

/** A sandbox can be shared only when its log holds its whole history (meta.logComplete). */
export function shareability(repository: Repository): Shareability {
  const meta = repository.get('meta', 'sandbox');
  if (!meta) return { ok: false, message: 'This sandbox has no metadata record yet, so it cannot be shared.' };
  if (!meta.logComplete) {
    return {
      ok: false,
      message:
        'This sandbox was created before the app recorded a call log, so its history cannot be replayed and it cannot be shared. Start a new sandbox to share one.',
    };
  }
  return { ok: true };
}

/** The envelope of the sandbox (call `shareability` first). */
export function envelopeOf(repository: Repository, options: { inputsIncluded: boolean }): ShareEnvelope<LogEntry> {
  const meta = repository.get('meta', 'sandbox');
  if (!meta) throw new Error('The sandbox has no meta record.');
  const log = logEntries(repository);
  return {
    format: SHARE_FORMAT,
    formatVersion: FORMAT_VERSION,
    sem: CURRENT_SEM,
    seed: meta.seed,
    start: meta.createdAt,
    log: options.inputsIncluded ? log : withoutInputs(log),
    inputsIncluded: options.inputsIncluded,
  };
}

/** Number of KMS calls in a log (world edits and clock moves are not calls). */
export function callCount(log: readonly LogEntry[]): number {
  return log.filter((e) => e.kind === 'call').length;
}
