/**
 * The KMS service: one entry point for every client (UI, wire protocol, lessons, tests).
 *
 * Built from injected ports (repository, clock, random, crypto, trail recorder). Each call:
 *   1. waits its turn (calls are serialized, so each sees the previous one's effects);
 *   2. lets sandbox time catch up (due rotations and deletions, as service events);
 *   3. runs the operation against a unit of work, with the call's own random stream
 *      (derived from the sandbox seed and the call number: seeded runs reproduce exactly);
 *   4. builds exactly one CloudTrail record, success or failure;
 *   5. commits effects + trail record + call log entry + counters in ONE repository transaction
 *      (a failed call commits only its trail record and log entry: nothing half-written).
 * Every state change (call, world edit, clock advance) writes one log entry (log.ts) in the
 * transaction of its effects, so `replayLog` rebuilds the sandbox from its seed.
 * What "time passing" does follows AWS (§1.3, §8): a key whose waiting period ends is deleted
 * with its aliases, tags, policy and material (DeleteKey service event); an enabled key with
 * automatic rotation gets new material at NextRotationDate (RotateKey service event).
 */
import type { AdvanceResult, AwsShape, CommitNotice, KmsService } from './api';
import { isOperationName } from './api';
import { DAY_MS, aliasesOf, materialsOf, type OpContext } from './context';
import { bytesToHex } from './crypto';
import { assert, isKmsError, kmsError, KmsError } from './errors';
import type { CallerContext, KmsCallEvent, KmsEvent, KmsServiceEvent } from './events';
import { isAccountId, isRegion, uuidFromBytes, type AccountId, type KeyArn, type KeyMaterialId } from './ids';
import { encodeLogRequest, hasReferenceCandidates, logEntryId, OutputIndex, secretMembersOf, type LogEntry } from './log';
import { TABLE_OF, type ClockRecord, type KeyRecord, type LogEntryRecord, type MaterialRecord, type MetaRecord, type TrailEventRecord, type TypeName } from './model';
import { OPERATION_HANDLERS } from './operations';
// replay.ts builds services with createKmsService; this module uses replayLog only at call time
// (rebuilding the output index of a reopened sandbox), so the import cycle is harmless.
import { replayLog } from './replay';
import { assertGrantTokens } from './operations/grants';
import { rotate } from './operations/rotation';
import type { AesKeyHandle, Clock, CryptoBackend, RandomSource, RandomStream, Repository } from './ports';
import { UnitOfWork } from './unitOfWork';
import { defaultWorld } from './world';
import { createWorldAdmin } from './worldAdmin';
import type { AuthorizationDecision } from './policy/types';

/** Turns a domain event into the persisted CloudTrail record (src/trail provides it). */
export type TrailRecorder = (event: KmsEvent, seq: number) => TrailEventRecord;

export interface KmsServicePorts {
  readonly repository: Repository;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly crypto: CryptoBackend;
  readonly recordTrail: TrailRecorder;
}

/** Each service's index of recent call outputs (read by a reopened sandbox's rebuild). */
const OUTPUT_INDEXES = new WeakMap<KmsService, () => OutputIndex>();

const INTERNAL_MESSAGE = 'The request was rejected because an internal exception occurred. The request can be retried.';

/**
 * Creates the service over `ports`. A repository without sandbox metadata is initialised (seed,
 * counters, clock) in its first transaction.
 */
export async function createKmsService(ports: KmsServicePorts): Promise<KmsService> {
  const { repository: repo, clock, random, crypto, recordTrail } = ports;
  const listeners = new Set<(n: CommitNotice) => void>();
  const aesKeys = new Map<string, Promise<AesKeyHandle>>();
  let queue: Promise<unknown> = Promise.resolve();
  /** Recent outputs of successful calls, for `$output` references in later log entries (log.ts). */
  let outputs = new OutputIndex();
  const existing = repo.get('meta', 'sandbox');
  // A sandbox reopened over its log (a reload, another process) rebuilds the index from the log
  // before its first lookup, so an entry never depends on whether the page was reloaded. A log
  // that does not describe the sandbox (logComplete false) cannot be replayed: session outputs only.
  let rebuildPending = existing !== undefined && existing.logComplete && existing.logCount > 0;

  if (!existing) {
    // A new sandbox: its metadata, clock and the default world (accounts, principals, IAM policies).
    const at = clock.now();
    // The log describes the sandbox from its creation only when nothing was there before it
    // (records seeded without meta, e.g. a lesson's start state, are not in the log).
    const empty = (Object.keys(TABLE_OF) as TypeName[]).every((t) => repo.list(t).length === 0);
    const meta: MetaRecord = { typeName: 'meta', id: 'sandbox', seed: bytesToHex(random.seed), callCount: 0, trailCount: 0, createdAt: at, logCount: 0, logComplete: empty };
    const clk: ClockRecord = { typeName: 'clock', id: 'clock', offsetMs: 0 };
    const world = repo.list('account').length === 0 ? defaultWorld() : [];
    await repo.commit({ puts: [meta, clk, ...world], deletes: [] });
  }

  const meta = (): MetaRecord => {
    const m = repo.get('meta', 'sandbox');
    assert(m, 'sandbox meta record missing');
    return m;
  };
  const offset = (): number => repo.get('clock', 'clock')?.offsetMs ?? 0;
  const now = (): number => clock.now() + offset();

  function serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  }

  function aesKey(material: MaterialRecord): Promise<AesKeyHandle> {
    let h = aesKeys.get(material.id);
    if (!h) {
      h = crypto.importAesKey(material.material);
      aesKeys.set(material.id, h);
    }
    return h;
  }

  /** Replays the stored log in memory (same seed and start) and takes the replayed service's index. */
  async function rebuildOutputs(): Promise<void> {
    rebuildPending = false;
    const m = meta();
    const log = repo.list('logEntry').map((r) => r.entry);
    const r = await replayLog(log, { seed: m.seed, startTime: m.createdAt, crypto, recordTrail });
    const rebuilt = r.ok ? OUTPUT_INDEXES.get(r.service)?.() : undefined;
    if (rebuilt) outputs = rebuilt;
  }

  /**
   * Puts log entry `entry` (numbered `m.logCount`) into `tx`; returns `m` with the log counter
   * advanced, to be committed in the same transaction.
   */
  function withLog(tx: UnitOfWork, m: MetaRecord, entry: DistributiveOmit<LogEntry, 'seq'>): MetaRecord {
    const record: LogEntryRecord = { typeName: 'logEntry', id: logEntryId(m.logCount), entry: { ...entry, seq: m.logCount } as LogEntry };
    tx.put(record);
    return { ...m, logCount: m.logCount + 1 };
  }

  async function commit(tx: UnitOfWork, trail: TrailEventRecord[], m: MetaRecord): Promise<void> {
    for (const t of trail) tx.put(t);
    tx.put(m);
    await repo.commit(tx.changes());
    const notice: CommitNotice = { trail };
    for (const l of listeners) {
      try {
        l(notice);
      } catch {
        // A listener's failure must not fail the call that already committed.
      }
    }
  }

  /** Scheduled events due at or before `upTo`, earliest first. */
  function nextDue(tx: UnitOfWork, upTo: number): { time: number; kind: 'rotate' | 'delete'; key: KeyRecord } | null {
    let best: { time: number; kind: 'rotate' | 'delete'; key: KeyRecord } | null = null;
    for (const key of tx.list('key')) {
      if (key.keyState === 'PendingDeletion' && key.deletionDate !== null && key.deletionDate <= upTo) {
        if (!best || key.deletionDate < best.time) best = { time: key.deletionDate, kind: 'delete', key };
      }
      if (key.keyState === 'Enabled' && key.rotationEnabled && key.nextRotationDate !== null && key.nextRotationDate <= upTo) {
        if (!best || key.nextRotationDate < best.time) best = { time: key.nextRotationDate, kind: 'rotate', key };
      }
    }
    return best;
  }

  /** Applies every scheduled event up to `upTo` into `tx`; returns the service events. */
  function applyDue(tx: UnitOfWork, rnd: RandomStream, upTo: number): KmsServiceEvent[] {
    const events: KmsServiceEvent[] = [];
    for (let due = nextDue(tx, upTo); due; due = nextDue(tx, upTo)) {
      const { key, time } = due;
      if (due.kind === 'rotate') {
        const rotated = rotate({ tx, random: rnd }, key, 'AUTOMATIC', time);
        tx.put({ ...rotated, nextRotationDate: time + (key.rotationPeriodInDays ?? 365) * DAY_MS });
      } else {
        deleteKeyAndDependents(tx, key);
      }
      events.push({
        kind: 'service',
        eventName: due.kind === 'rotate' ? 'RotateKey' : 'DeleteKey',
        requestId: uuidFromBytes(rnd.bytes(16)),
        eventId: uuidFromBytes(rnd.bytes(16)),
        time,
        keyArn: key.id,
        accountId: key.accountId,
        region: key.region,
      });
    }
    return events;
  }

  function deleteKeyAndDependents(tx: UnitOfWork, key: KeyRecord): void {
    const view = { tx };
    for (const a of aliasesOf(view, key)) tx.delete('alias', a.id);
    for (const m of materialsOf(view, key)) {
      tx.delete('material', m.id);
      aesKeys.delete(m.id);
    }
    for (const t of tx.list('tag')) if (t.keyArn === key.id) tx.delete('tag', t.id);
    tx.delete('policy', `${key.id}/default`);
    for (const g of tx.list('grant')) if (g.keyArn === key.id) tx.delete('grant', g.id);
    tx.delete('key', key.id);
  }

  /**
   * Commits the service events due by `upTo` as one transaction; with `advance`, also the clock
   * move and its log entry (catching up before a call is implied by the call's log entry).
   */
  async function catchUp(upTo: number, advance?: { offset: number; at: number; ms: number }): Promise<KmsServiceEvent[]> {
    const tx = new UnitOfWork(repo);
    let m = meta();
    const events = applyDue(tx, random.stream(m.callCount), upTo);
    if (events.length === 0 && advance === undefined) return events;
    const trail = events.map((e, i) => recordTrail(e, m.trailCount + i));
    if (advance !== undefined) {
      tx.put({ typeName: 'clock', id: 'clock', offsetMs: advance.offset });
      m = withLog(tx, m, { kind: 'clock', at: advance.at, ms: advance.ms });
    }
    await commit(tx, trail, { ...m, callCount: m.callCount + 1, trailCount: m.trailCount + trail.length });
    return events;
  }

  async function runCall(operation: string, request: AwsShape, caller: CallerContext): Promise<AwsShape> {
    if (!isOperationName(operation)) {
      throw kmsError('UnknownOperationException', `Unknown operation ${operation}`);
    }
    assert(isAccountId(caller.accountId) && isRegion(caller.region), 'caller context must carry a valid account and Region');
    // One time for the whole call, catch-up included, so a replay at the logged time repeats both.
    const at = now();
    await catchUp(at);
    const m = meta();
    const rnd = random.stream(m.callCount);
    const requestId = uuidFromBytes(rnd.bytes(16));
    const eventId = uuidFromBytes(rnd.bytes(16));
    // Encoded before the handler runs: the log keeps the request exactly as it arrived (byte
    // members equal to a recent output as `$output` references: hashed, not copied).
    const secret = secretMembersOf(operation, request);
    if (rebuildPending && hasReferenceCandidates(request, secret)) await rebuildOutputs();
    const logged = encodeLogRequest(request, outputs.referencesOf(request, secret));
    const secretMembers = logged === null ? [] : secret;
    const tx = new UnitOfWork(repo);
    const resources = new Map<KeyArn, AccountId>();
    let keyMaterialId: KeyMaterialId | undefined;
    const handler = OPERATION_HANDLERS[operation];
    const decisions: AuthorizationDecision[] = [];
    const ctx: OpContext = {
      operation,
      caller,
      now: at,
      tx,
      grantTokens: grantTokensOf(request),
      decisions,
      random: rnd,
      crypto,
      aesKey,
      touch: (key) => void resources.set(key.id, key.accountId),
      useMaterial: (id) => void (keyMaterialId = id),
    };
    let response: AwsShape | undefined;
    let error: KmsError | undefined;
    try {
      if (typeof request !== 'object' || request === null || Array.isArray(request) || request instanceof Uint8Array) {
        throw kmsError('ValidationException', `The ${operation} request must be an object of request members.`);
      }
      assertGrantTokens(ctx.grantTokens);
      response = await handler.handle(ctx, request);
    } catch (e) {
      error = isKmsError(e) ? e : new KmsError('KMSInternalException', INTERNAL_MESSAGE, { cause: String(e) });
    }
    const event: KmsCallEvent = {
      kind: 'call',
      requestId,
      eventId,
      time: at,
      operation,
      request: typeof request === 'object' && request !== null ? request : {},
      ...(response ? { response } : {}),
      ...(error ? { error: { name: error.name, message: error.message } } : {}),
      caller,
      resources: [...resources].map(([arn, accountId]) => ({ arn, accountId })),
      ...(keyMaterialId && !error ? { keyMaterialId } : {}),
      readOnly: handler.readOnly,
      ...(decisions.length > 0 ? { authorization: decisions } : {}),
    };
    const trail = [recordTrail(event, m.trailCount)];
    const committed = error ? new UnitOfWork(repo) : tx;
    const loggedMeta = withLog(committed, m, {
      kind: 'call',
      at,
      operation,
      request: logged,
      secretMembers,
      caller: callerForLog(caller),
      outcome: error ? { ok: false, error: error.name } : { ok: true },
    });
    const next: MetaRecord = { ...loggedMeta, callCount: m.callCount + 1, trailCount: m.trailCount + 1 };
    try {
      await commit(committed, trail, next);
    } catch (e) {
      throw new KmsError('KMSInternalException', INTERNAL_MESSAGE, { cause: String(e) });
    }
    if (error) throw withRequestId(error, requestId);
    assert(response, 'operation returned no response');
    outputs.add(m.logCount, response);
    return withRequestId(response, requestId);
  }

  const service: KmsService = {
    call: (operation, request, caller) => serialize(() => runCall(operation, request, caller)),
    now,
    advanceClock: (ms) =>
      serialize(async (): Promise<AdvanceResult> => {
        if (!Number.isFinite(ms) || ms < 0) throw kmsError('ValidationException', 'The clock can only move forward by a finite number of milliseconds.');
        const at = now();
        const events = await catchUp(at + ms, { offset: offset() + ms, at, ms });
        return { now: now(), events };
      }),
    nextScheduledEventTime() {
      const t = now();
      let best: number | null = null;
      for (const key of repo.list('key')) {
        const cands = [
          key.keyState === 'PendingDeletion' ? key.deletionDate : null,
          key.keyState === 'Enabled' && key.rotationEnabled ? key.nextRotationDate : null,
        ];
        for (const c of cands) if (c !== null && c >= t && (best === null || c < best)) best = c;
      }
      return best;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    world: createWorldAdmin({
      repo,
      serialize,
      commitWorld: (tx, edit) => {
        const m = withLog(tx, meta(), { kind: 'world', at: now(), edit });
        return commit(tx, [], { ...m, callCount: m.callCount + 1 });
      },
      randomFor: () => random.stream(meta().callCount),
    }),
  };
  OUTPUT_INDEXES.set(service, () => outputs);
  return service;
}

/** `Omit` over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The caller as the log keeps it: its own fields only, undefined ones dropped (JSON-safe). */
function callerForLog(caller: CallerContext): CallerContext {
  const out: Record<string, string> = {};
  for (const k of ['principalArn', 'accountId', 'region', 'accessKeyId', 'sourceIPAddress', 'userAgent', 'viaService'] as const) {
    const v = caller[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out as unknown as CallerContext;
}

/** The request's GrantTokens when they are a list of strings (validation reports anything else). */
function grantTokensOf(request: unknown): readonly string[] {
  const t = (request as { GrantTokens?: unknown } | null)?.GrantTokens;
  return Array.isArray(t) && t.every((x) => typeof x === 'string') ? t : [];
}

/**
 * Attaches the request id (wire: `x-amzn-RequestId`) as a non-enumerable property of a response
 * or of the error a call rejected with.
 */
function withRequestId<T extends object>(target: T, requestId: string): T {
  Object.defineProperty(target, '$requestId', { value: requestId, enumerable: false, configurable: true });
  return target;
}

/** The request id of a response returned by `call`, or of the error it rejected with (the trail record's requestID). */
export function requestIdOf(responseOrError: unknown): string | undefined {
  return typeof responseOrError === 'object' && responseOrError !== null ? (responseOrError as { $requestId?: string }).$requestId : undefined;
}
