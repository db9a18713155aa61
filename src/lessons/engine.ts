/**
 * The headless lesson engine (issue 6): builds a lesson's start sandbox, runs steps (the learner's
 * calls, setup, reference solution, anti-solutions), asks predictions before chosen calls, checks
 * goals and hidden probes, and awards stars. Pure: no DOM, no Dexie (progress is UI work).
 */
import { allRecords, isKmsError, kmsError, requestIdOf, type AwsShape, type CallerContext, type KmsErrorName, type KmsService, type Repository } from '../kms';
import { evaluateMatcher, findKeys, type GoalScope } from './checkGoals';
import { callerOf, drawParams, LESSON_REGION, LessonStepError, resolveValue, seededRng, readPath, type ResolveScope } from './resolve';
import { LESSON_EPOCH, localSeal, localSha256, localVerify, seedBytes, type BucketObject, type SandboxFactory } from './sandbox';
import { callService, loadLoadGenerator, loadWorkloads, s3Api, secretsManagerApi, type ServiceApi, type ServiceOutcome } from './services';
import type { Goal, GoalResult, JsonLike, KeyMatcher, LoadStep, Lesson, Misconception, Prediction, PredictionOption, ServiceStep, Stars, Step, WorkloadStep } from './types';

export interface StartOptions {
  /** Numeric seed: the service's random streams and the lesson parameters derive from it. */
  readonly seed: number;
  readonly factory: SandboxFactory;
  /** Fixes some parameters (tests, permalinks). */
  readonly params?: Readonly<Record<string, string>>;
}

/** The outcome of one call: the response, or the AWS error. */
export type CallOutcome =
  | { readonly ok: true; readonly response: Record<string, unknown> }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

/** What the onCall hook sees before a call; it answers the prediction (an option id), if any. */
export interface CallNotice {
  readonly operation: string;
  readonly request: Readonly<Record<string, unknown>>;
  readonly caller: CallerContext;
  readonly prediction: Prediction | null;
}
export type CallHook = (notice: CallNotice) => string | undefined | Promise<string | undefined>;

/** A prediction asked during the attempt and how it went. */
export interface PredictionRecord {
  readonly predictionId: string;
  readonly predicted: string | null;
  readonly actual: string;
  readonly correct: boolean;
}

export interface Evaluation {
  readonly goals: readonly GoalResult[];
  readonly probes: readonly GoalResult[];
  readonly solved: boolean;
}

/**
 * A local step (bucket edit, digest, offline verification, envelope) run after the start, with
 * the seq of the last call-log entry before it: a UI saves these with the attempt and replays
 * each after that entry (the call log alone does not hold the application's own work).
 */
export interface LocalStepRecord {
  readonly afterSeq: number;
  readonly step: Step;
}

/** The outcome name of a call: `Allow` or the AWS error name. */
const outcomeOf = (o: CallOutcome): string => (o.ok ? 'Allow' : o.error.name);

export class LessonSession {
  readonly bucket = new Map<string, BucketObject>();
  readonly predictions: PredictionRecord[] = [];
  readonly misconceptions: Misconception[] = [];
  /** Local steps run since the start (see LocalStepRecord), in order. */
  readonly localSteps: LocalStepRecord[] = [];
  /** KMS calls the learner made since the lesson started (par counts these). */
  callCount = 0;
  hintsRevealed = 0;
  private readonly refs = new Map<string, unknown>();
  private readonly dataKeys: Uint8Array[] = [];
  private readonly hooks = new Set<CallHook>();
  private readonly rng: () => number;
  private started = false;
  private startSeq = 0;
  private startTime = 0;
  /** The simulated services of this attempt (created on first use; their caches live with the session). */
  private services: { s3?: ServiceApi; secretsManager?: ServiceApi } = {};

  constructor(
    readonly lesson: Lesson,
    readonly params: Readonly<Record<string, string>>,
    readonly service: KmsService,
    readonly repository: Repository,
    private readonly factory: SandboxFactory,
    private readonly seed: Uint8Array,
    numericSeed: number,
  ) {
    this.rng = seededRng(numericSeed ^ 0xe17e);
  }

  /** Marks the start: later trail records and calls count as the learner's work. */
  markStarted(): void {
    const trail = this.repository.list('trailEvent');
    this.startSeq = trail.at(-1)?.seq ?? 0;
    this.startTime = this.service.now();
    this.started = true;
  }

  /** Registers a hook called before every call; returns the unsubscribe function. */
  onCall(hook: CallHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** The next prediction that applies to this call (to the endpoint of `region`), if any (each is asked once). */
  pendingPrediction(operation: string, request: Readonly<Record<string, unknown>> = {}, region?: string): Prediction | null {
    if (!this.started) return null;
    for (const p of this.lesson.predictions) {
      if (this.predictions.some((r) => r.predictionId === p.id)) continue;
      if (p.before.operation !== operation) continue;
      if (p.before.region !== undefined && resolveValue(p.before.region, this.scope()) !== (region ?? LESSON_REGION)) continue;
      const present = (f: string) => request[f] !== undefined;
      if (p.before.requestHas && !p.before.requestHas.every(present)) continue;
      if (p.before.requestLacks && p.before.requestLacks.some(present)) continue;
      if (p.before.key) {
        let keys = findKeys(this.repository, resolveValue(p.before.key as unknown as JsonLike, this.scope()) as KeyMatcher);
        // A call reaches the keys of its own Region only.
        if (region !== undefined) keys = keys.filter((k) => k.region === region);
        // A request naming a key (id, ARN or alias) must name this one; Decrypt may name none.
        const named = request.KeyId;
        if (typeof named === 'string') {
          const aliases = this.repository.list('alias');
          keys = keys.filter((k) => named === k.keyId || named === k.id || aliases.some((a) => a.aliasName === named && a.targetKeyId === k.keyId && a.region === k.region));
        }
        if (keys.length === 0) continue;
        if (p.before.keyState && !keys.some((k) => k.keyState === p.before.keyState)) continue;
      }
      return p;
    }
    return null;
  }

  private scope(): ResolveScope {
    return { params: this.params, refs: this.refs };
  }

  /** Runs one KMS call (as the learner or a step), asking any prediction first. Never throws a KmsError. */
  async call(operation: string, request: Record<string, unknown>, caller: CallerContext, answer?: string): Promise<CallOutcome> {
    const prediction = this.pendingPrediction(operation, request, caller.region);
    let chosen: string | undefined = answer;
    for (const hook of this.hooks) {
      const a = await hook({ operation, request, caller, prediction });
      if (chosen === undefined && a !== undefined) chosen = a;
    }
    let outcome: CallOutcome;
    try {
      outcome = { ok: true, response: await this.service.call(operation, request, caller) };
    } catch (e) {
      // Only AWS errors are outcomes; anything else is a bug and propagates (STYLE §6).
      if (!isKmsError(e)) throw e;
      outcome = { ok: false, error: keepRequestId({ name: e.name, message: e.message }, e) };
    }
    if (this.started) this.callCount++;
    if (outcome.ok && (operation === 'GenerateDataKey' || operation === 'GenerateDataKeyPair') && outcome.response.Plaintext instanceof Uint8Array) {
      // A copy: S3 and Secrets Manager zero the data key they got once they are done with it.
      this.dataKeys.push(outcome.response.Plaintext.slice());
    }
    if (prediction) this.recordPrediction(prediction, chosen, outcomeOf(outcome));
    return outcome;
  }

  private recordPrediction(p: Prediction, chosen: string | undefined, actual: string): void {
    const option: PredictionOption | undefined = p.options.find((o) => o.id === chosen || o.outcome === chosen);
    const predicted = option?.outcome ?? null;
    const correct = predicted === actual;
    this.predictions.push({ predictionId: p.id, predicted, actual, correct });
    if (!correct && option) {
      this.misconceptions.push({ predictionId: p.id, name: option.misconception ?? `expected ${option.outcome}`, predicted: option.outcome, actual });
    }
  }

  /** Runs a setup / solution step. A call fails the step unless `expectError` names its error. */
  async runStep(step: Step): Promise<void> {
    const scope = this.scope();
    const local = this.started && ('store' in step || 'digest' in step || 'verifyOffline' in step || 'envelope' in step);
    if (local) this.localSteps.push({ afterSeq: this.repository.list('logEntry').at(-1)?.entry.seq ?? -1, step });
    let response: unknown = {};
    if ('call' in step) {
      const request = resolveValue(step.request as JsonLike, scope) as Record<string, unknown>;
      const caller = callerOf(resolveValue(step.as, scope) as string | undefined, resolveValue(step.region, scope) as string | undefined);
      const out = await this.call(step.call, request, caller, step.predict);
      if (step.expectError !== undefined) {
        if (out.ok || out.error.name !== step.expectError) throw new LessonStepError(`${step.call} was expected to fail with ${step.expectError}, got ${outcomeOf(out)}`);
      } else if (!out.ok) throw new LessonStepError(`${step.call} failed: ${out.error.name}: ${out.error.message}`);
      response = out.ok ? out.response : out.error;
      if (out.ok && step.save) for (const [name, path] of Object.entries(step.save)) this.bucket.set(resolveValue(name, scope) as string, { kind: 'value', value: readPath(out.response, path) });
    } else if ('advanceDays' in step) {
      response = await this.service.advanceClock(step.advanceDays * 86_400_000);
    } else if ('advanceSeconds' in step) {
      response = await this.service.advanceClock(step.advanceSeconds * 1000);
    } else if ('world' in step) {
      if (step.world === 'createPrincipal') {
        const account = (resolveValue(step.account, scope) as string | undefined) ?? callerOf('root').accountId;
        response = await this.service.world.createPrincipal({ accountId: account, kind: step.kind, name: resolveValue(step.name, scope) as string });
      } else {
        const principal = callerOf(resolveValue(step.principal, scope) as string).principalArn;
        await this.service.world.putIdentityPolicy(principal, step.policyName, JSON.stringify(resolveValue(step.document, scope)));
      }
    } else if ('store' in step) {
      const value = resolveValue(step.value, scope);
      this.bucket.set(resolveValue(step.store, scope) as string, { kind: 'value', value });
      response = { Value: value };
    } else if ('digest' in step) {
      const data = resolveValue(step.digest.sha256, scope);
      if (!(data instanceof Uint8Array)) throw new LessonStepError('digest needs bytes in sha256');
      const digest = await localSha256(data);
      if (step.digest.store !== undefined) this.bucket.set(resolveValue(step.digest.store, scope) as string, { kind: 'value', value: digest });
      response = { Digest: digest };
    } else if ('verifyOffline' in step) {
      const v = resolveValue(step.verifyOffline as unknown as JsonLike, scope) as { publicKey: unknown; message?: unknown; digest?: unknown; signature: unknown; algorithm: string; store?: string };
      const messageType = v.digest !== undefined ? 'DIGEST' : 'RAW';
      const data = v.digest ?? v.message;
      if (!(v.publicKey instanceof Uint8Array) || !(v.signature instanceof Uint8Array) || !(data instanceof Uint8Array)) {
        throw new LessonStepError('verifyOffline needs bytes for publicKey, signature and message or digest');
      }
      const { valid, keySpec } = await localVerify(v.publicKey, v.algorithm, data, messageType, v.signature);
      if (v.store !== undefined) {
        this.bucket.set(v.store, { kind: 'verification', valid, algorithm: v.algorithm, messageType, keySpec, signature: v.signature, publicKey: v.publicKey });
      }
      response = { SignatureValid: valid, KeySpec: keySpec };
    } else if ('s3' in step || 'secretsManager' in step) {
      response = await this.runServiceStep(step as ServiceStep);
    } else if ('workload' in step) {
      response = await this.runWorkloadStep(step);
    } else if ('load' in step) {
      response = await this.runLoadStep(step);
    } else if ('envelope' in step) {
      const e = resolveValue(step.envelope as unknown as JsonLike, scope) as { store: string; dataKey: unknown; encryptedKey: unknown; plaintext: unknown; encryptionContext?: Record<string, string> };
      if (!(e.dataKey instanceof Uint8Array) || !(e.encryptedKey instanceof Uint8Array) || !(e.plaintext instanceof Uint8Array)) {
        throw new LessonStepError('envelope needs bytes for dataKey, encryptedKey and plaintext');
      }
      const iv = Uint8Array.from({ length: 12 }, () => Math.floor(this.rng() * 256));
      const data = await localSeal(e.dataKey, iv, e.plaintext);
      this.bucket.set(e.store, { kind: 'envelope', data, iv, encryptedKey: e.encryptedKey, encryptionContext: e.encryptionContext });
    }
    if (step.id) this.refs.set(step.id, response);
  }

  /**
   * The KMS service as the simulated services see it: their KMS calls go through the session
   * (predictions, par, data keys seen) and reject with a KmsError as the service does.
   */
  private viaSession(): KmsService {
    const raw = this.service;
    return {
      call: async (operation, request, caller) => {
        const out = await this.call(operation, request as Record<string, unknown>, caller);
        if (out.ok) return out.response as AwsShape;
        // The request id stays with the error, so a service's KMS call links to its trail record.
        throw keepRequestId(kmsError(out.error.name as KmsErrorName, out.error.message), out.error);
      },
      now: () => raw.now(),
      advanceClock: (ms) => raw.advanceClock(ms),
      nextScheduledEventTime: () => raw.nextScheduledEventTime(),
      subscribe: (l) => raw.subscribe(l),
      world: raw.world,
    };
  }

  private async serviceApi(kind: 's3' | 'secretsManager'): Promise<ServiceApi> {
    const have = this.services[kind];
    if (have) return have;
    const api = kind === 's3' ? await s3Api(this.viaSession()) : await secretsManagerApi(this.viaSession());
    this.services[kind] = api;
    return api;
  }

  /**
   * A call to a simulated service (`s3` / `secretsManager` step) as the learner's application
   * makes it: the service calls KMS through the session. Never throws a ServiceError: a failure
   * fails the step unless `expectError` names it.
   */
  async serviceCall(kind: 's3' | 'secretsManager', operation: string, request: unknown, caller: CallerContext): Promise<ServiceOutcome> {
    return callService(await this.serviceApi(kind), operation, caller, request);
  }

  private async runServiceStep(step: ServiceStep): Promise<unknown> {
    const scope = this.scope();
    const kind = step.s3 !== undefined ? 's3' : 'secretsManager';
    const operation = (step.s3 ?? step.secretsManager)!;
    const request = resolveValue(step.request as JsonLike, scope);
    const caller = callerOf(resolveValue(step.as, scope) as string | undefined, resolveValue(step.region, scope) as string | undefined);
    const out = await this.serviceCall(kind, operation, request, caller);
    const label = `${kind === 's3' ? 'S3' : 'Secrets Manager'} ${operation}`;
    if (step.expectError !== undefined) {
      if (out.ok || out.error.name !== step.expectError) throw new LessonStepError(`${label} was expected to fail with ${step.expectError}, got ${out.ok ? 'success' : out.error.name}`);
    } else if (!out.ok) throw new LessonStepError(`${label} failed: ${out.error.name}: ${out.error.message}`);
    return out.ok ? out.response : out.error;
  }

  private async runWorkloadStep(step: WorkloadStep): Promise<unknown> {
    const workloads = await loadWorkloads();
    const w = resolveValue(step.workload as unknown as JsonLike, this.scope()) as Record<string, unknown>;
    if (typeof w.stop === 'string') {
      const running = workloads.listWorkloads(this.service).filter((x) => x.label === w.stop);
      if (running.length === 0) throw new LessonStepError(`no workload labelled "${w.stop}" to stop`);
      for (const x of running) await workloads.stopWorkload(this.service, x.id);
      return { Stopped: running.length };
    }
    const caller = callerOf(w.as as string | undefined, w.region as string | undefined);
    const started = await workloads.startWorkload(this.service, {
      label: w.label as string,
      caller,
      ratePerSecond: w.ratePerSecond as number,
      seconds: w.seconds as number,
      operation: (w.operation as 'GenerateDataKey' | 'Decrypt' | 'Encrypt' | undefined) ?? 'GenerateDataKey',
      source: (w.source as 'app' | 's3' | undefined) ?? 'app',
      ...(typeof w.bucket === 'string' ? { bucket: w.bucket } : {}),
    }).catch((e: unknown) => {
      throw isKmsError(e) ? new LessonStepError(`workload: ${e.message}`) : e;
    });
    return { WorkloadId: started.id, RatePerSecond: started.ratePerSecond };
  }

  private async runLoadStep(step: LoadStep): Promise<unknown> {
    const loadGenerator = await loadLoadGenerator();
    const l = resolveValue(step.load as unknown as JsonLike, this.scope()) as Record<string, unknown>;
    const { key, as, region, ...rest } = l;
    const parsed = loadGenerator.validateLoadSpec({
      source: 'app',
      operation: 'GenerateDataKey',
      ...rest,
      keyId: key,
      caller: callerOf(as as string | undefined, region as string | undefined),
    });
    if (!parsed.ok) throw new LessonStepError(`load: ${parsed.errors.join('; ')}`);
    // The sample of real calls runs on a copy (never in the learner's trail); the summary is recorded.
    const copy = async () => (await this.factory({ seed: this.seed, now: LESSON_EPOCH, records: allRecords(this.repository) })).service;
    const result = await loadGenerator.runLoad(this.service, parsed.value, { record: true, copy });
    return { Totals: result.totals, Executed: result.executed, Counted: result.counted };
  }

  /** Runs steps in order. */
  async runSteps(steps: readonly Step[]): Promise<void> {
    for (const s of steps) await this.runStep(s);
  }

  /** Reveals the next hint (null when none are left). */
  revealHint(): string | null {
    if (this.hintsRevealed >= this.lesson.hints.length) return null;
    return this.lesson.hints[this.hintsRevealed++] ?? null;
  }

  private goalScope(): GoalScope {
    return { service: this.service, repository: this.repository, factory: this.factory, seed: this.seed, epoch: LESSON_EPOCH, startSeq: this.startSeq, startTime: this.startTime, bucket: this.bucket, dataKeys: this.dataKeys };
  }

  private async checkList(goals: readonly Goal[]): Promise<GoalResult[]> {
    const scope = this.goalScope();
    const out: GoalResult[] = [];
    for (const g of goals) {
      const check = resolveValue(g.check as unknown as JsonLike, this.scope()) as Goal['check'];
      const r = await evaluateMatcher(scope, check);
      out.push({ id: g.id, title: resolveValue(g.title, this.scope()) as string, met: r.met, reason: r.reason });
    }
    return out;
  }

  /** The live goal checklist. */
  check(): Promise<GoalResult[]> {
    return this.checkList(this.lesson.goals);
  }

  /** Goals plus hidden probes (run on copies): is the lesson solved? */
  async evaluate(): Promise<Evaluation> {
    const goals = await this.check();
    const probes = await this.checkList(this.lesson.probes);
    return { goals, probes, solved: goals.every((g) => g.met) && probes.every((p) => p.met) };
  }

  /** Stars: solved; within par; no hints and every prediction of the lesson answered right. */
  async stars(): Promise<Stars> {
    const { solved } = await this.evaluate();
    const withinPar = solved && this.callCount <= this.lesson.text.par;
    const allRight = this.lesson.predictions.every((p) => this.predictions.some((r) => r.predictionId === p.id && r.correct));
    const perfect = solved && this.hintsRevealed === 0 && allRight;
    return { solved, withinPar, perfect, count: Number(solved) + Number(withinPar) + Number(perfect) };
  }
}

/** Builds the start sandbox (fresh seeded service, fixed clock), runs the setup, starts the attempt. */
export async function startLesson(lesson: Lesson, opts: StartOptions): Promise<LessonSession> {
  const seed = seedBytes(opts.seed);
  const { service, repository } = await opts.factory({ seed, now: LESSON_EPOCH });
  const params = drawParams(lesson.params, opts.seed, opts.params);
  const session = new LessonSession(lesson, params, service, repository, opts.factory, seed, opts.seed);
  await session.runSteps(lesson.setup);
  session.markStarted();
  return session;
}

/** Replays the reference solution; returns the session and its evaluation. */
export async function runSolution(lesson: Lesson, opts: StartOptions): Promise<{ session: LessonSession; evaluation: Evaluation }> {
  const session = await startLesson(lesson, opts);
  await session.runSteps(lesson.solution);
  return { session, evaluation: await session.evaluate() };
}

/** Replays anti-solution `index`; it "fails" as required when some goal or probe is unmet. */
export async function runAntiSolution(lesson: Lesson, index: number, opts: StartOptions): Promise<{ session: LessonSession; evaluation: Evaluation }> {
  const session = await startLesson(lesson, opts);
  const anti = lesson.antiSolutions[index];
  if (!anti) throw new RangeError(`no anti-solution ${index}`);
  await session.runSteps(anti.steps);
  return { session, evaluation: await session.evaluate() };
}

/** `target` with the (non-enumerable) request id `from` carries, if any (service.ts requestIdOf). */
function keepRequestId<T extends object>(target: T, from: object): T {
  const id = requestIdOf(from);
  if (id !== undefined) Object.defineProperty(target, '$requestId', { value: id, enumerable: false, configurable: true });
  return target;
}
