/**
 * Rebuilding a sandbox from a log (a shared link, an undo, a step of the timeline): `replayLog`
 * into memory with the page's WebCrypto backend and the CloudTrail recorder, and copying the
 * replayed records into another repository (a new IndexedDB database) in one commit.
 */
import { allRecords, webCryptoBackend, type CryptoBackend, type KmsService, type LogEntry, type ReplayResult, type Repository } from '../../kms';
import { toTrailRecord } from '../../trail';


/** Seed and creation time of a sandbox (the meta record, or a share envelope). */
export interface ReplayStart {
  readonly seed: string;
  readonly start: number;
}

/** A replay that succeeded, or why it stopped (in words, never request values). */
export type Rebuilt =
  | { readonly ok: true; readonly repository: Repository; /** Its service, on the replay clock (stopped at the last entry). */ readonly service: KmsService }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** Replays `log` from `start` into a fresh in-memory sandbox. Never throws. */
export async function rebuild(log: readonly LogEntry[], start: ReplayStart, crypto: CryptoBackend = webCryptoBackend): Promise<Rebuilt> {
  // Loaded on first use: the page needs the replayer only to open a link, undo or browse history.
  const { replayLog } = await import('../../kms/replay');
  const r: ReplayResult = await replayLog(log, { seed: start.seed, startTime: start.start, crypto, recordTrail: toTrailRecord });
  if (r.ok) return { ok: true, repository: r.repository, service: r.service };
  const where = r.index >= 0 ? ` (entry ${r.index + 1} of ${log.length})` : '';
  const what =
    r.reason === 'outcome-differs'
      ? `A call came out differently than when it was recorded${where}: the log does not describe a sandbox this app can rebuild.`
      : r.reason === 'invalid-seed'
        ? 'The sandbox seed is malformed.'
        : `An entry of the log could not be replayed${where}.`;
  return { ok: false, reason: r.reason, message: what };
}

/** The seed and creation time of a repository's sandbox (null: no meta record). */
export function replayStartOf(repository: Repository): ReplayStart | null {
  const meta = repository.get('meta', 'sandbox');
  return meta ? { seed: meta.seed, start: meta.createdAt } : null;
}

/**
 * Whether the log holds the sandbox's whole history (meta.logComplete), so a slice of it can be
 * replayed (undo, timeline). A sandbox saved before logging existed cannot be rebuilt from its log.
 */
export function fullHistory(repository: Repository): { readonly ok: true } | { readonly ok: false; readonly message: string } {
  const meta = repository.get('meta', 'sandbox');
  if (meta?.logComplete) return { ok: true };
  return { ok: false, message: 'This sandbox was created before the app recorded a call log, so its history cannot be replayed: undo and the timeline are not available. Start a new sandbox to use them.' };
}


/**
 * A record without its `undefined`-valued object members (deep; bytes and arrays kept as they
 * are). The in-memory repository accepts such members, but the Dexie loader refuses them on the
 * next open ("expected a JSON value"): trail records' authorization traces carry `sid: undefined`
 * for identity policy statements without a Sid (a kms issue, reported). Dropping them is what a
 * JSON round trip would do and leaves every defined value as it was.
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutUndefined(v)) as T;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out as T;
}

/**
 * Copies every record of `source` into `target` (an empty repository, e.g. a new Dexie database)
 * in one atomic commit. Refuses a target that already holds a sandbox.
 */
export async function copyRecords(source: Repository, target: Repository): Promise<number> {
  if (target.get('meta', 'sandbox')) throw new Error('The target database already holds a sandbox.');
  const puts = allRecords(source).map((r) => withoutUndefined(r));
  await target.commit({ puts, deletes: [] });
  return puts.length;
}
