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
import { DAY_MS, aliasesOf, materialsOf, resolveKey, type OpContext } from './context';
import { bytesToHex, decodeBase64, encodeBase64 } from './crypto';
import { assert, isKmsError, kmsError, KmsError } from './errors';
import type { CallerContext, KmsCallEvent, KmsEvent, KmsServiceEvent } from './events';
import { isAccountId, isRegion, uuidFromBytes, type AccountId, type KeyArn, type KeyMaterialId } from './ids';
import { encodeLogRequest, hasReferenceCandidates, logEntryId, OutputIndex, secretMembersOf, type LogEntry, type RecordedOutputs } from './log';
import { TABLE_OF, type ClockRecord, type KeyRecord, type LogEntryRecord, type MaterialRecord, type MetaRecord, type TrailEventRecord, type TypeName } from './model';
import { OPERATION_HANDLERS } from './operations';
import { assertGrantTokens } from './operations/common';
import { rotate } from './operations/rotate';
import type { AesKeyHandle, Clock, CryptoBackend, RandomSource, RandomStream, Repository } from './ports';
import { UnitOfWork } from './unitOfWork';
import { SCHEDULED_TRANSITIONS, type ScheduledTransition } from './scheduled';
import type { QuotaGate } from './quotas';
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
  /**
   * Whether the sandbox's own calls count against the request quotas (quotas.ts). On for a sandbox
   * on a running clock (the page, `npm run serve`), where a script can burst; off by default, for
   * sandboxes whose clock moves only when told (lessons, tests), where every call happens at the
   * same sandbox instant though it is one learner's step after another. Workloads always count.
   */
  readonly throttleOwnCalls?: boolean;
}

/** Each service's index of recent call outputs (read by a reopened sandbox's rebuild). */
const OUTPUT_INDEXES = new WeakMap<KmsService, () => OutputIndex>();

/** Each service's way to hand the next call its recorded outputs (replay.ts `feedRecorded`). */
const RECORDED_FEEDS = new WeakMap<KmsService, (recorded: RecordedOutputs | undefined, throttled: boolean | undefined) => void>();

/**
 * Gives the next `call` of `service` the recorded outputs (and, with `throttled`, whether it was
 * throttled: a replay repeats the logged decision rather than recount, so a sandbox replays the
 * same whichever clock and quota options it first ran with) of the log entry being replayed (log.ts
 * `CallLogEntry.recorded`): values the seed cannot reproduce are read back instead of drawn anew.
 */
export function feedRecorded(service: KmsService, recorded: RecordedOutputs | undefined, throttled?: boolean): void {
  RECORDED_FEEDS.get(service)?.(recorded, throttled);
}

/** AWS's ThrottlingException message (§3.6; quotas.ts THROTTLING_MESSAGE, kept here so the table loads lazily). */
const THROTTLING_MESSAGE = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

const INTERNAL_MESSAGE = 'The request was rejected because an internal exception occurred. The request can be retried.';

/**
 * Creates the service over `ports`. A repository without sandbox metadata is initialised (seed,
 * counters, clock) in its first transaction.
 */
export async function createKmsService(ports: KmsServicePorts): Promise<KmsService> {
  const { repository: repo, clock, random, crypto, recordTrail } = ports;
  const countCalls = ports.throttleOwnCalls === true;
  const listeners = new Set<(n: CommitNotice) => void>();
  const aesKeys = new Map<string, Promise<AesKeyHandle>>();
  let queue: Promise<unknown> = Promise.resolve();
  /** Recorded outputs for the next call (replay only). */
  let nextRecorded: RecordedOutputs | undefined;
  /** Whether the next call was throttled when it first ran (replay only). */
  let nextThrottled: boolean | undefined;
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

  /**
   * Request quotas (quotas.ts), loaded with the first call that needs them (a sandbox that counts
   * its own calls, or one with a workload): the quota table stays out of the page's first load.
   */
  let quotaGate: QuotaGate | undefined;
  /** Whether the sandbox has a workload record (re-checked only when the service resources change). */
  let workloadsSeenIn: readonly unknown[] | null = null;
  let workloadsSeen = false;
  function hasWorkloads(): boolean {
    const all = repo.list('serviceResource');
    if (all !== workloadsSeenIn) {
      workloadsSeenIn = all;
      workloadsSeen = all.some((r) => r.service === 'workload' && r.kind === 'workload');
    }
    return workloadsSeen;
  }

  /**
   * Whether a call at `at` is over its quota (quotas.ts `createQuotaGate`); a replayed call repeats
   * its logged decision (`before`).
   */
  async function throttled(tx: UnitOfWork, operation: string, request: AwsShape, caller: CallerContext, at: number, before: boolean | undefined): Promise<boolean> {
    if (before === true) return true;
    if (!quotaGate) {
      if (!countCalls && !hasWorkloads()) return false;
      const resolveKeySpec = (t: Pick<Repository, 'get' | 'list'>, c: CallerContext, keyId: string): string =>
        resolveKey({ caller: c, tx: t } as OpContext, keyId, 'any').keySpec;
      const logEntryAt = (seq: number): LogEntry | undefined => repo.get('logEntry', logEntryId(seq))?.entry;
      quotaGate = (await import('./quotas')).createQuotaGate({ repo, countCalls, now, logEntryAt, resolveKeySpec });
    }
    return quotaGate.throttled(tx, operation, request, caller, at, before);
  }

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
    // replay.ts builds services with createKmsService: imported when needed (a reopened sandbox's
    // first reference lookup), which also keeps it out of the page's first load.
    const { replayLog } = await import('./replay');
    const r = await replayLog(log, { seed: m.seed, startTime: m.createdAt, crypto, recordTrail });
    const rebuilt = r.ok ? OUTPUT_INDEXES.get(r.service)?.() : undefined;
    if (rebuilt) outputs = rebuilt;
  }

  /**
   * Puts log entry `entry` (numbered `m.logCount`) into `tx`; returns `m` with the log counter
   * advanced, to be committed in the same transaction. `entry` is a fresh literal of the caller's:
   * its `seq` is set on it (last, as a spread would) instead of copying it.
   */
  function withLog(tx: UnitOfWork, m: MetaRecord, entry: DistributiveOmit<LogEntry, 'seq'>): MetaRecord {
    (entry as { seq?: number }).seq = m.logCount;
    const record: LogEntryRecord = { typeName: 'logEntry', id: logEntryId(m.logCount), entry: entry as LogEntry };
    tx.put(record);
    return metaWith(m, m.callCount, m.trailCount, m.logCount + 1);
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

  /** What is due for a key: a rotation, a completed deletion, or one of `SCHEDULED_TRANSITIONS`. */
  type Due = { time: number; kind: 'rotate' | 'delete' | ScheduledTransition; key: KeyRecord };

  /** The earliest scheduled change due at or before `upTo` (ties: rotation and deletion first, then key order). */
  function nextDue(tx: UnitOfWork, upTo: number): Due | null {
    let best: Due | null = null;
    const offer = (time: number | null, kind: Due['kind'], key: KeyRecord) => {
      if (time !== null && time <= upTo && (!best || time < best.time)) best = { time, kind, key };
    };
    for (const key of tx.list('key')) {
      offer(key.keyState === 'PendingDeletion' ? key.deletionDate : null, 'delete', key);
      offer(key.keyState === 'Enabled' && key.rotationEnabled ? key.nextRotationDate : null, 'rotate', key);
      for (const t of SCHEDULED_TRANSITIONS) offer(t.due(key, tx), t, key);
    }
    return best;
  }

  /** Applies every scheduled event up to `upTo` into `tx`; returns the service events. */
  function applyDue(tx: UnitOfWork, rnd: RandomStream, upTo: number): KmsServiceEvent[] {
    const events: KmsServiceEvent[] = [];
    for (let due = nextDue(tx, upTo); due; due = nextDue(tx, upTo)) {
      const { key, time, kind } = due;
      let eventName: KmsServiceEvent['eventName'] | null;
      if (kind === 'rotate') {
        const rotated = rotate({ tx, random: rnd }, key, 'AUTOMATIC', time);
        tx.put({ ...rotated, nextRotationDate: time + (key.rotationPeriodInDays ?? 365) * DAY_MS });
        eventName = 'RotateKey';
      } else if (kind === 'delete') {
        deleteKeyAndDependents(tx, key);
        eventName = 'DeleteKey';
      } else {
        eventName = kind.apply(tx, key, time);
        // A change that leaves itself due at the same time would loop forever: a defect, not a state.
        const after = tx.get('key', key.id);
        assert(!after || kind.due(after, tx) !== time, `scheduled change "${kind.kind}" is still due after it ran`);
      }
      if (eventName === null) continue;
      events.push({
        kind: 'service',
        eventName,
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
    for (const p of tx.list('importParameters')) if (p.keyArn === key.id) tx.delete('importParameters', p.id);
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
    // Changes without a trail event (a replica done Creating) are committed like the others.
    const changed = events.length > 0 || !tx.isEmpty;
    if (!changed && advance === undefined) return events;
    const trail = events.map((e, i) => recordTrail(e, m.trailCount + i));
    if (advance !== undefined) {
      tx.put({ typeName: 'clock', id: 'clock', offsetMs: advance.offset });
      m = withLog(tx, m, { kind: 'clock', at: advance.at, ms: advance.ms });
    }
    await commit(tx, trail, metaWith(m, m.callCount + 1, m.trailCount + trail.length, m.logCount));
    return events;
  }

  async function runCall(
    operation: string,
    request: AwsShape,
    caller: CallerContext,
    replayed: RecordedOutputs | undefined,
    throttledBefore: boolean | undefined,
  ): Promise<AwsShape> {
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
    const recorded: Record<string, string> = {};
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
      async recorded(name, produce) {
        const given = replayed !== undefined && Object.hasOwn(replayed, name) ? decodeBase64(replayed[name]!) : null;
        const bytes = given ?? (await produce());
        recorded[name] = encodeBase64(bytes);
        return bytes;
      },
    };
    let response: AwsShape | undefined;
    let error: KmsError | undefined;
    try {
      if (typeof request !== 'object' || request === null || Array.isArray(request) || request instanceof Uint8Array) {
        throw kmsError('ValidationException', `The ${operation} request must be an object of request members.`);
      }
      // Most sandboxes have no workload and do not count their own calls: no quota work, no await.
      const metered = throttledBefore === true || quotaGate !== undefined || countCalls || hasWorkloads();
      if (metered && (await throttled(tx, operation, request, caller, at, throttledBefore))) throw kmsError('ThrottlingException', THROTTLING_MESSAGE);
      assertGrantTokens(ctx.grantTokens);
      response = await handler.handle(ctx, request);
    } catch (e) {
      error = isKmsError(e) ? e : new KmsError('KMSInternalException', INTERNAL_MESSAGE, { cause: String(e) });
    }
    // Member by member in the event's order, optional members only when present (no spread temporaries).
    const built: { -readonly [K in keyof KmsCallEvent]: KmsCallEvent[K] } = {
      kind: 'call',
      requestId,
      eventId,
      time: at,
      operation,
      request: typeof request === 'object' && request !== null ? request : {},
    } as KmsCallEvent;
    if (response) built.response = response;
    if (error) built.error = { name: error.name, message: error.message };
    built.caller = caller;
    const touched: { arn: KeyArn; accountId: AccountId }[] = [];
    for (const [arn, accountId] of resources) touched.push({ arn, accountId });
    built.resources = touched;
    if (keyMaterialId && !error) built.keyMaterialId = keyMaterialId;
    built.readOnly = handler.readOnly;
    if (decisions.length > 0) built.authorization = decisions;
    const event: KmsCallEvent = built;
    const trail = [recordTrail(event, m.trailCount)];
    const committed = error ? new UnitOfWork(repo) : tx;
    const entry: DistributiveOmit<LogEntry & { kind: 'call' }, 'seq'> = {
      kind: 'call',
      at,
      operation,
      request: logged,
      secretMembers,
      caller: callerForLog(caller),
      outcome: error ? { ok: false, error: error.name } : { ok: true },
    };
    if (!error && hasMembers(recorded)) (entry as { recorded?: Record<string, string> }).recorded = recorded;
    const loggedMeta = withLog(committed, m, entry);
    const next = metaWith(loggedMeta, m.callCount + 1, m.trailCount + 1, loggedMeta.logCount);
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
    call: (operation, request, caller) => {
      const replayed = nextRecorded;
      const throttled = nextThrottled;
      nextRecorded = undefined;
      nextThrottled = undefined;
      return serialize(() => runCall(operation, request, caller, replayed, throttled));
    },
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
          ...SCHEDULED_TRANSITIONS.map((x) => x.due(key, repo)),
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
        return commit(tx, [], metaWith(m, m.callCount + 1, m.trailCount, m.logCount));
      },
      randomFor: () => random.stream(meta().callCount),
    }),
  };
  OUTPUT_INDEXES.set(service, () => outputs);
  RECORDED_FEEDS.set(service, (r, t) => {
    nextRecorded = r;
    nextThrottled = t;
  });
  return service;
}

/** `Omit` over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * `m` with new counters, member by member (two object spreads of the meta record per call showed in
 * the bench profile). A member added to MetaRecord must be added here: the literal is typed.
 */
function metaWith(m: MetaRecord, callCount: number, trailCount: number, logCount: number): MetaRecord {
  return { typeName: 'meta', id: 'sandbox', seed: m.seed, callCount, trailCount, createdAt: m.createdAt, logCount, logComplete: m.logComplete };
}

function hasMembers(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

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
