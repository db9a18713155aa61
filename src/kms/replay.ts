/**
 * Deterministic replay of a call log (issue 6, STYLE §8): a fresh in-memory sandbox with the same
 * seed and creation time, driven through the ordinary service by each entry in turn, with a
 * replay clock that reads each entry's `at`. Randomness is derived from (seed, call number), so
 * the replayed records equal the original's: keys, material, ciphertexts made later, trail records
 * with their eventIDs and request ids, and the log itself.
 *
 * "Undo the last call" is `replayLog(entries.slice(0, -1), …)`. Replay never throws: a malformed
 * entry, or an entry whose outcome differs from the one it logged, stops it with a typed failure
 * (carrying the sandbox as far as it got).
 *
 * A request's `{ "$output": [seq, member] }` (log.ts) resolves to what call `seq` returned in this
 * replay: replay keeps the last `OUTPUT_WINDOW` outputs; a reference to a later or unknown entry, a
 * failed call or a member that is not an output is `invalid-entry`.
 */
import type { KmsService, WorldAdmin } from './api';
import { hexToBytes, createSeededRandom } from './crypto';
import { isKmsError } from './errors';
import type { CallerContext } from './events';
import { decodeLogRequest, OutputLog, type LogEntry, type LogOutcome, type WorldEdit } from './log';
import type { Clock, CryptoBackend, Repository } from './ports';
import { createKmsService, feedRecorded, type TrailRecorder } from './service';
import { createMemoryRepository } from './store/memory';

/** Options of `replayLog`. */
export interface ReplayOptions {
  /** The sandbox seed (32 bytes, or its 64 hex digits as in the meta record). */
  readonly seed: Uint8Array | string;
  /** The sandbox's creation time (meta.createdAt); default: the first entry's `at`, else 0. */
  readonly startTime?: number;
  readonly crypto: CryptoBackend;
  /** Builds trail records: pass `toTrailRecord` from src/trail (kms never imports trail). */
  readonly recordTrail: TrailRecorder;
}

/** Why a replay stopped. */
export type ReplayFailureReason =
  /** An entry is malformed (bad request encoding, seq out of order, time going backwards…). */
  | 'invalid-entry'
  /** An entry's outcome differs from the one logged (e.g. a call that succeeded now fails). */
  | 'outcome-differs'
  /** The seed is malformed. */
  | 'invalid-seed';

/** The replayed sandbox. */
export interface ReplayedSandbox {
  readonly repository: Repository;
  readonly service: KmsService;
}

/** Result of `replayLog`: the sandbox, or where and why replay stopped (with the sandbox so far). */
export type ReplayResult =
  | ({ readonly ok: true } & ReplayedSandbox)
  | ({
      readonly ok: false;
      readonly reason: ReplayFailureReason;
      /** Index in `entries` of the entry that failed (-1: before the first). */
      readonly index: number;
      /** What went wrong; never contains request values. */
      readonly detail: string;
      /** Outcome logged and outcome found, for `outcome-differs`. */
      readonly expected?: LogOutcome;
      readonly actual?: LogOutcome;
    } & Partial<ReplayedSandbox>);

/** A clock the replay sets to each entry's time. */
interface ReplayClock extends Clock {
  set(t: number): void;
}

function replayClock(start: number): ReplayClock {
  let t = start;
  return { now: () => t, set: (v) => void (t = v) };
}

function sameOutcome(a: LogOutcome, b: LogOutcome): boolean {
  return a.ok === b.ok && (a.ok || (!b.ok && a.error === b.error));
}

function outcomeOf(e: unknown): LogOutcome {
  return { ok: false, error: isKmsError(e) ? e.name : e instanceof Error ? e.name : 'Error' };
}

/**
 * Runs one entry against the service; returns what happened (never throws). A call's `$output`
 * references resolve to earlier calls' outputs kept in `outputs`; its own outputs are added.
 */
async function runEntry(service: KmsService, entry: LogEntry, outputs: OutputLog): Promise<LogOutcome | { invalid: string }> {
  try {
    switch (entry.kind) {
      case 'call': {
        let request: Record<string, unknown> | unknown[] = [];
        if (entry.request !== null) {
          const d = decodeLogRequest(entry.request, outputs.resolverFor(entry.seq));
          if (!d.ok) return { invalid: d.detail };
          request = d.value;
        }
        // A request logged as null was not an object: replay it as a non-object (an empty array).
        feedRecorded(service, entry.recorded, !entry.outcome.ok && entry.outcome.error === 'ThrottlingException');
        const response = await service.call(entry.operation, request as Record<string, unknown>, entry.caller as CallerContext);
        outputs.record(entry.seq, response);
        return { ok: true };
      }
      case 'world':
        return (await applyWorldEdit(service.world, entry.edit)) ? { ok: true } : { invalid: 'edit.op: unknown world edit' };
      case 'clock':
        await service.advanceClock(entry.ms);
        return { ok: true };
      default:
        return { invalid: 'kind: unknown entry kind' };
    }
  } catch (e) {
    return outcomeOf(e);
  }
}

/** The outcome an entry logged: calls carry it; world edits and clock advances were successes. */
function loggedOutcome(entry: LogEntry): LogOutcome {
  return entry.kind === 'call' ? entry.outcome : { ok: true };
}

/**
 * Replays `entries` (a sandbox's log, in seq order, starting at 0) into a fresh in-memory
 * sandbox. Never throws. Validate entries from outside first (`validateLogEntry` of
 * kms/store/schema); this checks only what replay itself relies on.
 */
export async function replayLog(entries: readonly LogEntry[], options: ReplayOptions): Promise<ReplayResult> {
  try {
    return await replayUnguarded(entries, options);
  } catch (e) {
    // Only input that broke the type contract gets here (entries that are not objects, …).
    return { ok: false, reason: 'invalid-entry', index: -1, detail: `entries: unreadable (${e instanceof Error ? e.name : typeof e})` };
  }
}

async function replayUnguarded(entries: readonly LogEntry[], options: ReplayOptions): Promise<ReplayResult> {
  if (!Array.isArray(entries)) return { ok: false, reason: 'invalid-entry', index: -1, detail: 'entries: expected an array' };
  let seed: Uint8Array;
  try {
    seed = typeof options.seed === 'string' ? hexToBytes(options.seed, 'seed') : options.seed;
    if (seed.length !== 32) return { ok: false, reason: 'invalid-seed', index: -1, detail: 'seed: expected 32 bytes' };
  } catch {
    return { ok: false, reason: 'invalid-seed', index: -1, detail: 'seed: expected 64 hex digits' };
  }
  const start = options.startTime ?? entries[0]?.at ?? 0;
  const clock = replayClock(start);
  const repository = createMemoryRepository();
  let service: KmsService;
  try {
    service = await createKmsService({ repository, clock, random: createSeededRandom(seed), crypto: options.crypto, recordTrail: options.recordTrail });
  } catch (e) {
    return { ok: false, reason: 'invalid-entry', index: -1, detail: `sandbox: could not start (${e instanceof Error ? e.name : 'error'})`, repository };
  }
  const sandbox = { repository, service };
  const outputs = new OutputLog();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (typeof entry !== 'object' || entry === null) return { ok: false, reason: 'invalid-entry', index: i, detail: `entries[${i}]: expected an object`, ...sandbox };
    if (entry.seq !== i) return { ok: false, reason: 'invalid-entry', index: i, detail: `entries[${i}].seq: expected ${i}`, ...sandbox };
    const offset = repository.get('clock', 'clock')?.offsetMs ?? 0;
    if (!Number.isSafeInteger(entry.at) || entry.at < service.now()) {
      return { ok: false, reason: 'invalid-entry', index: i, detail: `entries[${i}].at: time must not go backwards`, ...sandbox };
    }
    clock.set(entry.at - offset);
    const got = await runEntry(service, entry, outputs);
    if ('invalid' in got) return { ok: false, reason: 'invalid-entry', index: i, detail: `entries[${i}].${got.invalid}`, ...sandbox };
    const expected = loggedOutcome(entry);
    if (!sameOutcome(expected, got)) {
      return { ok: false, reason: 'outcome-differs', index: i, detail: `entries[${i}]: outcome differs from the log`, expected, actual: got, ...sandbox };
    }
  }
  return { ok: true, ...sandbox };
}

/**
 * Applies one logged world edit through `world` (as the original edit ran); false for an edit this
 * version does not know. Rejects as the edit itself would (e.g. a refused policy).
 */
export async function applyWorldEdit(world: WorldAdmin, edit: WorldEdit): Promise<boolean> {
  if (edit.op === 'createAccount') await world.createAccount(edit.accountId, edit.name);
  else if (edit.op === 'createPrincipal') await world.createPrincipal({ accountId: edit.accountId, kind: edit.kind, name: edit.name });
  else if (edit.op === 'putIdentityPolicy') await world.putIdentityPolicy(edit.principalArn, edit.policyName, edit.document);
  else if (edit.op === 'deleteIdentityPolicy') await world.deleteIdentityPolicy(edit.principalArn, edit.policyName);
  else if (edit.op === 'putServiceResource') await world.putServiceResource(edit.record);
  else if (edit.op === 'deleteServiceResource') await world.deleteServiceResource(edit.id);
  else return false;
  return true;
}
