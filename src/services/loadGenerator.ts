/**
 * The load generator (issue 8, "Quotas and throttling"): N requests per second for M sandbox
 * seconds, from the application or through S3, against the request quotas of kms-semantics.md
 * §3.6 — what gets throttled, what the SDK retries, what still fails, and what S3 Bucket Keys and
 * data-key caching (§12) change.
 *
 * Two kinds of request, and the result says which is which:
 *  - COUNTED in bulk: every request of the run is counted per sandbox second against the quota
 *    with a `QuotaMeter` (src/kms/quotas.ts), on top of the sandbox's running workloads (background
 *    traffic), exactly as the service counts its own calls: an hour at 5,000 requests/s is
 *    18 million requests and takes milliseconds.
 *  - EXECUTED for real: a sample (the first request of every `sampleEvery`-th sandbox second, at
 *    most `MAX_EXECUTED_CALLS`) goes through the real service of a COPY of the sandbox (never the
 *    learner's: thousands of calls would flood their trail), as the application makes it, or
 *    through the S3 simulation (s3.ts PutObject/GetObject, which calls KMS via S3 as S3 does):
 *    authorization, key state and the crypto all run, so a policy that denies the load shows up as
 *    AccessDeniedException (through S3: AccessDenied) in `executed.errors`.
 *
 * The model, per sandbox second s (windows of one second aligned on sandbox time, the run starting
 * at the first whole second at or after `kms.now()`):
 *  - offered requests: the application's messages (or S3's objects), `ratePerSecond` spread evenly
 *    (cumulative: second s gets ceil(r·(s+1)) − ceil(r·s), so fractional rates add up exactly);
 *  - KMS requests: one per offered request; through S3 with Bucket Keys `s3KmsRequestsPerSecond`
 *    (src/services/s3Model.ts), from the app with caching the misses of the caching CMM's model
 *    (cachingCmm.ts `cacheEffect`, exact per second; a Decrypt load is taken as decrypting messages
 *    that share data keys the same way, which is what a decryption cache keyed by the encrypted
 *    data key sees);
 *  - retries: a throttled request is retried by the SDK's standard retry mode (AWS SDK for
 *    JavaScript v3, @smithy/core 3.41 util-retry as installed here: `maxAttempts` 3 in all by default;
 *    full-jitter exponential backoff `random() · min(base · 2^i, 20 s)` for the i-th retry with the
 *    throttling base of 1,000 ms — Retry.throttlingDelay(); older SDKs used 500 ms, other errors
 *    use 50/100 ms). Modelled deterministically by the EXPECTED delay, min(base·2^i, 20 s)/2, from
 *    the middle of the second the request was throttled in: the i-th retry lands in second
 *    s + max(1, floor((500 + delay) / 1000)) — at least the next one, since the window it was
 *    throttled in is full. Requests of one second share its admission in proportion to their
 *    number, whatever their attempt (largest remainder, lower attempts first). A request throttled
 *    on its last attempt fails (the application sees ThrottlingException).
 *  - Not modelled: the SDK client's retry quota (a token bucket of 500, 5 per throttling retry:
 *    one client stops retrying after 100 retries in a burst; a fleet of clients each has its own, so
 *    the run assumes enough clients that it never empties), retries of other errors, latency.
 * The run goes on after the last offered second until every retry has landed.
 *
 * (Past 600 lines: the model's statement, the two samplers and the recorded-run summary that
 * lessons read belong together; about a third is comments.)
 */
import { isKmsError, kmsError, type CallerContext, type KmsService } from '../kms';
import { classifyKeyIdentifier, isAccountId, isRegion } from '../kms/ids';
import { principalArn } from '../kms/world';
import { quotaFor, QuotaMeter, symmetricQuota, workloadOf, workloadRequestsIn, type Quota } from '../kms/quotas';
import { cacheEffect, validateLimits, type CacheLimits } from './cachingCmm';
import { monthlyCostAtRate, requestCost, SECONDS_PER_MONTH } from './cost';
import { bucketArn, bucketNameProblem, createS3 } from './s3';
import { s3KmsRequestsPerSecond } from './s3Model';
import { isServiceError } from './serviceErrors';

export type { CacheLimits };

/** What to run. */
export interface LoadSpec {
  /** Offered requests per second: application messages, or S3 objects (PUTs or GETs). */
  readonly ratePerSecond: number;
  /** Sandbox seconds the load is offered for. */
  readonly seconds: number;
  /** `app`: the application calls KMS itself; `s3`: it writes/reads SSE-KMS objects and S3 calls KMS. */
  readonly source: 'app' | 's3';
  /** The KMS operation each request needs (through S3: GenerateDataKey for a PUT, Decrypt for a GET). */
  readonly operation: 'GenerateDataKey' | 'Decrypt' | 'Encrypt';
  /** The key (id, ARN, alias name or alias ARN). */
  readonly keyId: string;
  /** Whose calls: the quota is counted in this account and Region. */
  readonly caller: CallerContext;
  /** The bucket (source `s3`). */
  readonly bucket?: string;
  /** S3 Bucket Keys on the bucket (source `s3`). */
  readonly bucketKeyEnabled?: boolean;
  /** Data-key caching limits (source `app`, GenerateDataKey or Decrypt); null or absent: no cache. */
  readonly caching?: CacheLimits | null;
  /** Bytes per message (caching's max bytes; the Plaintext of Encrypt); default 1024. */
  readonly messageBytes?: number;
  /** SDK attempts per request in all (first + retries); default 3 (the JS SDK v3 standard mode). */
  readonly maxAttempts?: number;
  /** Execute the first request of every `sampleEvery`-th second for real; default: about 100 seconds sampled. */
  readonly sampleEvery?: number;
}

/** One sandbox second of the run. */
export interface LoadSecond {
  /** Seconds since the start of the run. */
  readonly t: number;
  /** Requests the application (or S3's clients) offered. */
  readonly offered: number;
  /** New KMS requests (first attempts) after Bucket Keys and caching. */
  readonly kmsRequests: number;
  /** KMS requests (first attempts and retries) within the quota. */
  readonly admitted: number;
  /** KMS requests answered with ThrottlingException. */
  readonly throttled: number;
  /** Retry attempts that arrived in this second (part of admitted + throttled). */
  readonly retries: number;
  /** Requests throttled on their last attempt: the application got the error. */
  readonly failedAfterRetries: number;
}

export interface LoadTotals {
  readonly offered: number;
  readonly kmsRequests: number;
  /** KMS requests sent in all: first attempts + retries. */
  readonly attempts: number;
  readonly admitted: number;
  readonly throttled: number;
  readonly retries: number;
  readonly failedAfterRetries: number;
  /** Workload (background) requests in the same quota windows. */
  readonly background: number;
  /** Highest KMS requests (attempts) in one second. */
  readonly peakKmsRequestsPerSecond: number;
  /** peakKmsRequestsPerSecond ÷ the quota. */
  readonly peakQuotaShare: number;
  /** Sandbox seconds in the series (the offered seconds plus the retry tail). */
  readonly seconds: number;
}

export interface LoadResult {
  /** The validated spec. */
  readonly spec: LoadSpec;
  /** Sandbox time (ms) of second 0. */
  readonly startedAt: number;
  readonly series: readonly LoadSecond[];
  readonly totals: LoadTotals;
  /** The quota the requests draw on. */
  readonly quota: Quota;
  /** The sample made for real on a copy of the sandbox. */
  readonly executed: {
    /** Requests executed: the application's KMS calls, or S3 PutObject/GetObject requests. */
    readonly calls: number;
    /** KMS requests of the load's operation they made (through S3 with Bucket Keys, fewer than calls). */
    readonly kmsCalls: number;
    readonly succeeded: number;
    /** Error name → count (AccessDeniedException, ThrottlingException, …). */
    readonly errors: Readonly<Record<string, number>>;
    /** Where: a copy of the sandbox, or nowhere (no copy given). */
    readonly where: 'copy' | 'none';
    /** One executed call every this many sandbox seconds. */
    readonly everySeconds: number;
    /**
     * Why the sample's setup failed (the ciphertext or object a Decrypt load reads, made by the
     * key's or bucket's account root), when it did: the sampled calls then fail for that reason.
     */
    readonly setupError?: string;
  };
  /** KMS requests counted in bulk (attempts − the executed KMS calls). */
  readonly counted: number;
  /** With `record: true`, why the summary could not be stored (e.g. a read-only tab); the run itself stands. */
  readonly recordError?: string;
  /** Wall time of the run (ms). */
  readonly wallMs: number;
}

/** Limits of `validateLoadSpec`. */
export const LOAD_LIMITS = { maxRatePerSecond: 1_000_000, maxSeconds: 86_400, maxAttempts: 10, maxMessageBytes: 1_073_741_824 } as const;
/** At most this many calls of a run are executed for real. */
export const MAX_EXECUTED_CALLS = 200;
/** SDK standard mode (installed @smithy/core util-retry): throttling backoff base, cap, default attempts. */
export const SDK_RETRY = { throttlingDelayBaseMs: 1_000, maxDelayMs: 20_000, defaultMaxAttempts: 3 } as const;

const OPERATIONS = ['GenerateDataKey', 'Decrypt', 'Encrypt'] as const;

/** Parsing result (STYLE §6). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Why `x` is not a caller context, or null. */
export function callerError(x: unknown, path = 'caller'): string | null {
  if (!isObject(x)) return `${path}: expected { principalArn, accountId, region }`;
  if (typeof x.principalArn !== 'string' || !x.principalArn.startsWith('arn:')) return `${path}.principalArn: expected a principal ARN`;
  if (typeof x.accountId !== 'string' || !isAccountId(x.accountId)) return `${path}.accountId: expected a 12-digit account id`;
  if (typeof x.region !== 'string' || !isRegion(x.region)) return `${path}.region: expected a Region name such as us-east-1`;
  if (x.viaService !== undefined && typeof x.viaService !== 'string') return `${path}.viaService: expected a service host name`;
  return null;
}

/** Why `x` is not a set of cache limits, or null (cachingCmm.ts `validateLimits`, the SDK's rules). */
export function cacheLimitsError(x: unknown, path = 'caching'): string | null {
  if (!isObject(x)) return `${path}: expected { maxAgeMs, maxMessagesEncrypted?, maxBytesEncrypted?, capacity? } or null`;
  try {
    validateLimits(x);
    return null;
  } catch (e) {
    return `${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Checks a load spec from the page or a lesson; every problem is listed. */
export function validateLoadSpec(x: unknown): Parsed<LoadSpec> {
  if (!isObject(x)) return { ok: false, errors: ['spec: expected an object'] };
  const errors: string[] = [];
  const known = new Set(['ratePerSecond', 'seconds', 'source', 'operation', 'keyId', 'caller', 'bucket', 'bucketKeyEnabled', 'caching', 'messageBytes', 'maxAttempts', 'sampleEvery']);
  for (const k of Object.keys(x)) if (!known.has(k)) errors.push(`${k}: unknown field`);
  if (!isNum(x.ratePerSecond) || x.ratePerSecond <= 0 || x.ratePerSecond > LOAD_LIMITS.maxRatePerSecond) {
    errors.push(`ratePerSecond: expected a rate above 0 and at most ${LOAD_LIMITS.maxRatePerSecond.toLocaleString('en-US')} requests per second`);
  }
  if (!isNum(x.seconds) || !Number.isInteger(x.seconds) || x.seconds < 1 || x.seconds > LOAD_LIMITS.maxSeconds) {
    errors.push(`seconds: expected whole sandbox seconds from 1 to ${LOAD_LIMITS.maxSeconds.toLocaleString('en-US')} (one day)`);
  }
  if (x.source !== 'app' && x.source !== 's3') errors.push("source: expected 'app' or 's3'");
  if (!OPERATIONS.includes(x.operation as (typeof OPERATIONS)[number])) errors.push(`operation: expected one of ${OPERATIONS.join(', ')}`);
  else if (x.source === 's3' && x.operation === 'Encrypt') errors.push('operation: S3 calls GenerateDataKey (PutObject) or Decrypt (GetObject), never Encrypt');
  if (typeof x.keyId !== 'string' || x.keyId.length === 0 || x.keyId.length > 2048) errors.push('keyId: expected a key id, key ARN, alias name or alias ARN');
  const ce = callerError(x.caller);
  if (ce) errors.push(ce);
  if (x.source === 's3') {
    const b = bucketNameProblem(x.bucket);
    if (b) errors.push(`bucket: ${b}`);
    if (x.caching !== undefined && x.caching !== null) errors.push('caching: S3 does not use the Encryption SDK cache; use bucketKeyEnabled');
  } else if (x.bucket !== undefined || x.bucketKeyEnabled !== undefined) {
    errors.push("bucket, bucketKeyEnabled: only with source 's3'");
  }
  if (x.bucketKeyEnabled !== undefined && typeof x.bucketKeyEnabled !== 'boolean') errors.push('bucketKeyEnabled: expected true or false');
  if (x.caching !== undefined && x.caching !== null) {
    const e = cacheLimitsError(x.caching);
    if (e) errors.push(e);
    else if (x.operation === 'Encrypt') errors.push('caching: caches data keys, so it applies to GenerateDataKey and Decrypt, not Encrypt');
  }
  if (x.messageBytes !== undefined && (!isNum(x.messageBytes) || !Number.isInteger(x.messageBytes) || x.messageBytes < 0 || x.messageBytes > LOAD_LIMITS.maxMessageBytes)) {
    errors.push('messageBytes: expected whole bytes from 0 to 1 GiB');
  }
  if (x.maxAttempts !== undefined && (!isNum(x.maxAttempts) || !Number.isInteger(x.maxAttempts) || x.maxAttempts < 1 || x.maxAttempts > LOAD_LIMITS.maxAttempts)) {
    errors.push(`maxAttempts: expected 1 to ${LOAD_LIMITS.maxAttempts} attempts in all`);
  }
  if (x.sampleEvery !== undefined && (!isNum(x.sampleEvery) || !Number.isInteger(x.sampleEvery) || x.sampleEvery < 1)) errors.push('sampleEvery: expected whole seconds ≥ 1');
  return errors.length ? { ok: false, errors } : { ok: true, value: x as unknown as LoadSpec };
}

// ---- the request model ----

/** Whole requests in second s of a steady rate (cumulative ceilings: fractional rates add up exactly). */
export function countInSecond(ratePerSecond: number, s: number): number {
  const c = (x: number) => Math.ceil(Math.round(ratePerSecond * x * 1e6) / 1e6);
  return ratePerSecond > 0 ? c(s + 1) - c(s) : 0;
}

/**
 * Messages one cached data key serves at `messagesPerSecond` in the steady state: the caching
 * CMM's model (cachingCmm.ts `cacheEffect`: the first of max messages, max bytes with the current
 * message included, and max age to be reached; at least 1).
 */
export function messagesPerDataKey(messagesPerSecond: number, messageBytes: number, limits: CacheLimits): number {
  return cacheEffect({ messagesPerSecond, seconds: 1, messageBytes, limits }).messagesPerDataKey;
}

/** KMS requests per second (steady rate) that `offered` requests per second cause under the spec. */
export function kmsRatePerSecond(spec: Pick<LoadSpec, 'ratePerSecond' | 'source' | 'operation' | 'bucketKeyEnabled' | 'caching' | 'messageBytes'>): number {
  if (spec.source === 's3') return s3KmsRequestsPerSecond(spec.ratePerSecond, spec.bucketKeyEnabled === true);
  if (spec.caching && spec.operation !== 'Encrypt') return spec.ratePerSecond / messagesPerDataKey(spec.ratePerSecond, spec.messageBytes ?? 1024, spec.caching);
  return spec.ratePerSecond;
}

/** Expected SDK backoff (ms) before the i-th retry (i = 0 for the first): E[random() · min(base·2^i, cap)]. */
export function expectedRetryDelayMs(i: number): number {
  return Math.min(SDK_RETRY.throttlingDelayBaseMs * 2 ** i, SDK_RETRY.maxDelayMs) / 2;
}

/** Seconds after the second it was throttled in that the i-th retry lands (≥ 1). */
export function retryLandsAfter(i: number): number {
  return Math.max(1, Math.floor((500 + expectedRetryDelayMs(i)) / 1000));
}

/** Splits `admitted` among cohorts in proportion to their sizes (largest remainder; ties to the lower index). */
export function shareAdmission(sizes: readonly number[], admitted: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (admitted >= total) return [...sizes];
  const exact = sizes.map((n) => (total === 0 ? 0 : (n * admitted) / total));
  const out = exact.map(Math.floor);
  let left = admitted - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if (out[i]! < sizes[i]!) {
      out[i]!++;
      left--;
    }
  }
  return out;
}

// ---- running ----

export interface RunLoadOptions {
  /** Called at least every 100 simulated seconds with (seconds done, offered seconds). */
  onProgress?(done: number, total: number): void;
  /** Aborts the run (rejects with the signal's reason). */
  signal?: AbortSignal;
  /**
   * A fresh copy of the sandbox to execute the sample on (lessons: the engine's copy; the page: a
   * temporary sandbox from the repository's records). Absent: nothing is executed, all is counted.
   */
  copy?: () => Promise<KmsService>;
  /** Also store a summary as the `loadRun/latest` record in `kms`, replacing the previous one (lessons check it). */
  record?: boolean;
}

/** The caller of a request as it reaches KMS (S3 calls with kms:ViaService). */
function kmsCaller(spec: LoadSpec): CallerContext {
  return spec.source === 's3' ? { ...spec.caller, viaService: `s3.${spec.caller.region}.amazonaws.com` } : spec.caller;
}

/** What one sampled request did on the copy: its error's name (null: it succeeded) and the KMS calls of the load's operation it made. */
type SampleCall = (at: number, s: number) => Promise<{ error: string | null; kmsCalls: number }>;

/** A prepared sample: its call, and why its setup failed (undefined: it did not). */
interface Sample {
  readonly call: SampleCall;
  readonly setupError?: string;
}

/** The account root of `account`: who prepares what a Decrypt load reads (the reader may only decrypt). */
function rootOf(caller: CallerContext, account: string): CallerContext {
  return { principalArn: principalArn(account, 'root', 'root'), accountId: account as CallerContext['accountId'], region: caller.region };
}

/** The account owning the key `keyId` names for `caller` (an ARN's account, else the caller's). */
function keyAccountOf(caller: CallerContext, keyId: string): string {
  const id = classifyKeyIdentifier(keyId);
  return id.kind === 'keyArn' || id.kind === 'aliasArn' ? id.account : caller.accountId;
}

const errorName = (e: unknown): string => (isKmsError(e) || isServiceError(e) ? e.name : 'InternalError');

/** The key's spec as the caller sees it (null: unknown; the sample's calls will say why). */
async function keySpecOf(copy: KmsService, spec: LoadSpec): Promise<string | null> {
  try {
    const d = await copy.call('DescribeKey', { KeyId: spec.keyId }, kmsCaller(spec));
    return ((d.KeyMetadata as Record<string, unknown> | undefined)?.KeySpec as string | undefined) ?? null;
  } catch {
    return null;
  }
}

/** The application calling KMS itself: GenerateDataKey, Encrypt, or Decrypt of a ciphertext made in setup. */
async function appSampler(copy: KmsService, spec: LoadSpec): Promise<Sample> {
  const caller = spec.caller;
  let blob: Uint8Array = new Uint8Array(0);
  let setupError: string | undefined;
  if (spec.operation === 'Decrypt') {
    // The ciphertext is made by the key's account root: a consumer role may only decrypt.
    try {
      const owner = rootOf(caller, keyAccountOf(caller, spec.keyId));
      blob = (await copy.call('GenerateDataKey', { KeyId: spec.keyId, KeySpec: 'AES_256' }, owner)).CiphertextBlob as Uint8Array;
    } catch (e) {
      setupError = `GenerateDataKey for the ciphertext to decrypt failed: ${errorName(e)}`;
    }
  }
  const plaintext = new Uint8Array(Math.min(4096, Math.max(1, spec.messageBytes ?? 1024)));
  const request: Record<string, unknown> =
    spec.operation === 'GenerateDataKey'
      ? { KeyId: spec.keyId, KeySpec: 'AES_256' }
      : spec.operation === 'Encrypt'
        ? { KeyId: spec.keyId, Plaintext: plaintext }
        : { KeyId: spec.keyId, CiphertextBlob: blob };
  const call: SampleCall = async () => {
    try {
      await copy.call(spec.operation, request, caller);
      return { error: null, kmsCalls: 1 };
    } catch (e) {
      return { error: errorName(e), kmsCalls: 1 };
    }
  };
  return setupError === undefined ? { call } : { call, setupError };
}

/**
 * Through the S3 simulation (s3.ts) on the copy: PutObject (S3 calls GenerateDataKey) or GetObject
 * of an object put in setup (Decrypt), with SSE-KMS under the key. A bucket the copy lacks is
 * created there with that default encryption and the spec's Bucket Key setting. With Bucket Keys,
 * S3 calls KMS only when its bucket key is due, as it does.
 */
async function s3Sampler(copy: KmsService, spec: LoadSpec): Promise<Sample> {
  const s3 = createS3(copy);
  const Bucket = spec.bucket!;
  const caller = spec.caller;
  const body = new Uint8Array(Math.min(4096, Math.max(1, spec.messageBytes ?? 1024)));
  const bucketKey = spec.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: spec.bucketKeyEnabled } : {};
  const put = (Key: string) => s3.PutObject(caller, { Bucket, Key, Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: spec.keyId, ...bucketKey });
  let setupError: string | undefined;
  try {
    if (!copy.world.getServiceResource(bucketArn(Bucket))) {
      await s3.CreateBucket(caller, { Bucket });
      await s3.PutBucketEncryption(caller, {
        Bucket,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: spec.keyId }, BucketKeyEnabled: spec.bucketKeyEnabled === true }] },
      });
    }
    // The object a GET load reads is put by the bucket's account root: a reader may only decrypt.
    if (spec.operation === 'Decrypt') {
      const owner = copy.world.getServiceResource(bucketArn(Bucket))?.accountId ?? caller.accountId;
      await s3.PutObject(rootOf(caller, owner), { Bucket, Key: 'load/object', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: spec.keyId, ...bucketKey });
    }
  } catch (e) {
    setupError = `${spec.operation === 'Decrypt' ? 'PutObject of the object to read' : 'CreateBucket'} failed: ${errorName(e)}`;
  }
  const ofOperation = (calls: readonly { operation: string }[] | undefined) => (calls ?? []).filter((c) => c.operation === spec.operation).length;
  const call: SampleCall = async (_at, s) => {
    try {
      const out = spec.operation === 'Decrypt' ? await s3.GetObject(caller, { Bucket, Key: 'load/object' }) : await put(`load/object-${s}`);
      return { error: null, kmsCalls: ofOperation(out.kmsCalls) };
    } catch (e) {
      return { error: errorName(e), kmsCalls: isServiceError(e) ? ofOperation(e.kmsCalls) : 0 };
    }
  };
  return setupError === undefined ? { call } : { call, setupError };
}

/** Prepares the sample on a copy; each call first moves the copy's clock to the second's start. */
async function sampler(copy: KmsService, spec: LoadSpec): Promise<{ keySpec: string | null; run: SampleCall; setupError?: string }> {
  const keySpec = await keySpecOf(copy, spec);
  const { call, setupError } = spec.source === 's3' ? await s3Sampler(copy, spec) : await appSampler(copy, spec);
  const run: SampleCall = async (at, s) => {
    const now = copy.now();
    if (at > now) await copy.advanceClock(at - now);
    return call(at, s);
  };
  return setupError === undefined ? { keySpec, run } : { keySpec, run, setupError };
}

const yieldToEventLoop = () => new Promise<void>((ok) => setTimeout(ok, 0));

/**
 * Runs the load: counts every request per sandbox second against the quota (with the sandbox's
 * workloads as background), models the SDK's retries, and executes a sample on `opts.copy()`.
 * Rejects with ValidationException for a bad spec. The learner's sandbox `kms` is only read
 * (its time, its workloads), and written only with `record: true` (the one `loadRun/latest` record).
 */
export async function runLoad(kms: KmsService, specIn: LoadSpec, opts: RunLoadOptions = {}): Promise<LoadResult> {
  const wall0 = performance.now();
  const parsed = validateLoadSpec(specIn);
  if (!parsed.ok) throw kmsError('ValidationException', `Invalid load: ${parsed.errors.join('; ')}`);
  const spec = parsed.value;
  opts.signal?.throwIfAborted();
  const { accountId, region } = spec.caller;
  const maxAttempts = spec.maxAttempts ?? SDK_RETRY.defaultMaxAttempts;
  const startedAt = Math.ceil(kms.now() / 1000) * 1000;

  // The sample (and the key's spec, for its quota) on a copy of the sandbox.
  const copy = opts.copy ? await opts.copy() : null;
  const sample = copy ? await sampler(copy, spec) : null;
  const quota = quotaFor(spec.operation, region, sample?.keySpec ?? null) ?? symmetricQuota(region);
  const everySeconds = spec.sampleEvery ?? Math.max(1, Math.ceil(spec.seconds / 100));

  // Background: the workloads running in the caller's account and Region on this quota.
  const workloads = kms.world
    .listServiceResources({ service: 'workload', kind: 'workload' })
    .map(workloadOf)
    .filter((w): w is NonNullable<typeof w> => w !== null && w.accountId === accountId && w.region === region && w.quota === quota.id);
  const backgroundIn = (start: number, windowMs: number) => workloads.reduce((n, w) => n + workloadRequestsIn(w, start, windowMs), 0);
  const meter = new QuotaMeter((_a, _r, _q, start, windowMs) => backgroundIn(start, windowMs));

  const offeredRate = spec.ratePerSecond;
  const kmsRate = kmsRatePerSecond(spec);
  const cached = spec.source === 'app' && spec.caching && spec.operation !== 'Encrypt'
    ? cacheEffect({ messagesPerSecond: offeredRate, seconds: spec.seconds, messageBytes: spec.messageBytes ?? 1024, limits: spec.caching })
    : null;
  /** Retry attempts by landing second: attempt number (2…maxAttempts) → count. */
  const pending = new Map<number, number[]>();
  const series: LoadSecond[] = [];
  const errors: Record<string, number> = {};
  let executed = 0;
  let executedKms = 0;
  let succeeded = 0;
  let background = 0;
  let lastYield = performance.now();
  for (let s = 0; s < spec.seconds || pending.size > 0; s++) {
    opts.signal?.throwIfAborted();
    const at = startedAt + s * 1000;
    const offered = s < spec.seconds ? countInSecond(offeredRate, s) : 0;
    const fresh = s >= spec.seconds ? 0 : cached ? cached.perSecond(s) : countInSecond(kmsRate, s);
    const cohorts = pending.get(s) ?? [];
    pending.delete(s);
    const sizes = [fresh, ...Array.from({ length: maxAttempts - 1 }, (_, i) => cohorts[i + 2] ?? 0)];
    const attempts = sizes.reduce((a, b) => a + b, 0);
    const bg = backgroundIn(Math.floor(at / 1000) * 1000, 1000);
    background += bg;
    const admitted = attempts === 0 ? 0 : meter.admit(accountId, region, quota, at, attempts);
    const admittedBy = shareAdmission(sizes, admitted);
    let failed = 0;
    sizes.forEach((n, i) => {
      const throttled = n - admittedBy[i]!;
      if (throttled === 0) return;
      const attempt = i + 1;
      if (attempt >= maxAttempts) {
        failed += throttled;
        return;
      }
      const lands = s + retryLandsAfter(attempt - 1);
      const c = pending.get(lands) ?? [];
      c[attempt + 1] = (c[attempt + 1] ?? 0) + throttled;
      pending.set(lands, c);
    });
    series.push({ t: s, offered, kmsRequests: fresh, admitted, throttled: attempts - admitted, retries: attempts - fresh, failedAfterRetries: failed });
    // The second's first request, unless the quota throttled every new request of the second (the
    // copy does not count its own calls, so it would let it through).
    if (sample && offered > 0 && s % everySeconds === 0 && executed < MAX_EXECUTED_CALLS && (fresh === 0 || admittedBy[0]! > 0)) {
      const { error, kmsCalls } = await sample.run(at, s);
      executed++;
      executedKms += kmsCalls;
      if (error === null) succeeded++;
      else errors[error] = (errors[error] ?? 0) + 1;
    }
    if (s % 100 === 99 || s === spec.seconds - 1) opts.onProgress?.(Math.min(s + 1, spec.seconds), spec.seconds);
    if (performance.now() - lastYield > 20) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }

  const sum = (k: keyof LoadSecond) => series.reduce((a, x) => a + x[k], 0);
  const peak = series.reduce((m, x) => Math.max(m, x.kmsRequests + x.retries), 0);
  const attemptsTotal = sum('kmsRequests') + sum('retries');
  const totals: LoadTotals = {
    offered: sum('offered'),
    kmsRequests: sum('kmsRequests'),
    attempts: attemptsTotal,
    admitted: sum('admitted'),
    throttled: sum('throttled'),
    retries: sum('retries'),
    failedAfterRetries: sum('failedAfterRetries'),
    background,
    peakKmsRequestsPerSecond: peak,
    peakQuotaShare: peak / quota.perSecond,
    seconds: series.length,
  };
  const result: LoadResult = {
    spec,
    startedAt,
    series,
    totals,
    quota,
    executed: { calls: executed, kmsCalls: executedKms, succeeded, errors, where: copy ? 'copy' : 'none', everySeconds, ...(sample?.setupError !== undefined ? { setupError: sample.setupError } : {}) },
    counted: Math.max(0, attemptsTotal - executedKms),
    wallMs: performance.now() - wall0,
  };
  if (!opts.record) return result;
  // The run stands whether or not it could be recorded (a read-only second tab refuses writes).
  try {
    await recordLoadRun(kms, result);
    return result;
  } catch (e) {
    return { ...result, recordError: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

// ---- recorded runs (lessons) ----

/** What a recorded run keeps (`serviceResource` `loadRun/latest`, kind `loadRun`). */
export interface LoadRunSummary {
  readonly spec: LoadSpec;
  readonly startedAt: number;
  readonly totals: LoadTotals;
  readonly quota: Quota;
  readonly peakKmsRequestsPerSecond: number;
  readonly quotaPerSecond: number;
  readonly peakQuotaShare: number;
  /** The cache limits used (null: no cache). */
  readonly caching: CacheLimits | null;
  /** A month of the run's KMS requests at its measured rate, retries included, key not included (`monthlyRequestCostOf`). */
  readonly monthlyCost: number;
  /** Seconds per series point (≥ 1). */
  readonly step: number;
  /** Per-second means over each `step` seconds, at most `MAX_RECORDED_POINTS` points. */
  readonly series: readonly LoadSecond[];
  readonly executed: LoadResult['executed'];
  readonly counted: number;
}

export const MAX_RECORDED_POINTS = 120;

/** The series in at most `max` points: each the per-second mean of `step` consecutive seconds (2 decimals). */
export function downsample(series: readonly LoadSecond[], max = MAX_RECORDED_POINTS): { step: number; points: LoadSecond[] } {
  const step = Math.max(1, Math.ceil(series.length / max));
  const points: LoadSecond[] = [];
  const keys = ['offered', 'kmsRequests', 'admitted', 'throttled', 'retries', 'failedAfterRetries'] as const;
  for (let i = 0; i < series.length; i += step) {
    const group = series.slice(i, i + step);
    const p: Record<string, number> = { t: series[i]!.t };
    for (const k of keys) p[k] = Math.round((group.reduce((a, x) => a + x[k], 0) / group.length) * 100) / 100;
    points.push(p as unknown as LoadSecond);
  }
  return { step, points };
}

/** The id of the recorded run: one per sandbox, replaced by each recorded run (records are kept in exports and links). */
export const LOAD_RUN_ID = 'loadRun/latest';

/** The month's cost of the load (one key; the scenario of its source, Bucket Keys and cache). */
export function monthlyCostOf(spec: LoadSpec): number {
  const caching = spec.source === 'app' && spec.operation !== 'Encrypt' ? (spec.caching ?? null) : null;
  const bucketKeys = spec.source === 's3' && spec.bucketKeyEnabled === true;
  const [p] = monthlyCostAtRate({ requestsPerSecond: [spec.ratePerSecond], keys: 1, caching, bucketKeys, messageBytes: spec.messageBytes ?? 1024 });
  const scenario = caching ? p!.caching : bucketKeys ? p!.bucketKeys : p!.direct;
  return Math.round(scenario!.monthlyCost * 100) / 100;
}

/**
 * What a month of the run's KMS requests costs: its measured average rate of attempts (retries
 * included: AWS bills every request it receives) for a 30-day month, symmetric prices, after the
 * free tier; the key itself is not included. The figure a recorded run keeps and lesson goals judge.
 */
export function monthlyRequestCostOf(r: Pick<LoadResult, 'totals' | 'spec'>): number {
  if (!(r.spec.seconds > 0)) return 0;
  return requestCost({ symmetric: (r.totals.attempts / r.spec.seconds) * SECONDS_PER_MONTH }).total;
}

async function recordLoadRun(kms: KmsService, r: LoadResult): Promise<void> {
  const { step, points } = downsample(r.series);
  const summary: LoadRunSummary = {
    spec: r.spec,
    startedAt: r.startedAt,
    totals: r.totals,
    quota: r.quota,
    peakKmsRequestsPerSecond: r.totals.peakKmsRequestsPerSecond,
    quotaPerSecond: r.quota.perSecond,
    peakQuotaShare: r.totals.peakQuotaShare,
    caching: r.spec.caching ?? null,
    monthlyCost: monthlyRequestCostOf(r),
    step,
    series: points,
    executed: r.executed,
    counted: r.counted,
  };
  await kms.world.putServiceResource({
    id: LOAD_RUN_ID,
    service: 'workload',
    kind: 'loadRun',
    accountId: r.spec.caller.accountId,
    region: r.spec.caller.region,
    data: JSON.parse(JSON.stringify(summary)) as Record<string, never>,
  });
}

/** Why stored data is not a run summary, or null (records are data from storage or a share link). */
export function loadRunError(d: unknown): string | null {
  if (!isObject(d)) return 'loadRun: expected an object';
  const spec = validateLoadSpec(d.spec);
  if (!spec.ok) return `loadRun.spec: ${spec.errors[0]}`;
  for (const k of ['peakKmsRequestsPerSecond', 'quotaPerSecond', 'peakQuotaShare', 'monthlyCost', 'startedAt', 'step', 'counted'] as const) {
    if (!isNum(d[k]) || d[k] < 0) return `loadRun.${k}: expected a number ≥ 0`;
  }
  if (!isObject(d.totals) || !isObject(d.quota) || !isObject(d.executed)) return 'loadRun: expected totals, quota and executed';
  if (d.caching !== null && cacheLimitsError(d.caching) !== null) return 'loadRun.caching: expected cache limits or null';
  if (!Array.isArray(d.series) || d.series.length > MAX_RECORDED_POINTS || !d.series.every((p) => isObject(p) && isNum(p.t))) return 'loadRun.series: expected at most 120 points';
  return null;
}

/** The learner's latest recorded run (highest n), or null when there is none or it is not valid. */
export function latestLoadRun(kms: KmsService): LoadRunSummary | null {
  const data = kms.world.getServiceResource(LOAD_RUN_ID)?.data;
  return data !== undefined && loadRunError(data) === null ? (data as unknown as LoadRunSummary) : null;
}
