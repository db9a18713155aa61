/**
 * KMS request quotas and throttling (kms-semantics.md §3.6), counted on the sandbox clock.
 *
 * Quotas are per account and Region, per second, and shared: the eight symmetric cryptographic
 * operations draw on ONE quota, "Cryptographic operations (symmetric) request rate"; RSA, ECC and
 * ML-DSA keys have a quota each; GenerateDataKeyPair has one per key pair spec; management
 * operations one each. The caller's account is counted (a cross-account call counts against the
 * caller, not the key owner), and requests AWS services make on a principal's behalf count too.
 * A call over its quota fails with ThrottlingException (HTTP 400) and does not consume the quota.
 *
 * Counting: a quota of r requests per second admits `allowance` requests in each window of
 * `windowMs` sandbox milliseconds, windows aligned on sandbox time 0: one second and r requests
 * when r ≥ 1; for a fractional quota (GetParametersForImport 0.25/s, RSA_4096 key pairs 0.1/s)
 * one request per 1/r seconds. Windows are exact on the sandbox clock, so a replay at the logged
 * times throttles the same calls.
 *
 * Workloads (`serviceResource` records with `service: 'workload'`, written by the load generator
 * and the lessons) are background traffic in an account and Region: while one runs, its rate on a
 * quota is counted in every window before the sandbox's own calls (an ingest job that takes the
 * whole shared quota throttles another team's single Decrypt).
 *
 * Not modelled: "hot key" throttling below the quota, burst credits, quota increases (Service
 * Quotas), the SDK's client-side retry quota (the load generator models the retries).
 */
import type { CallerContext } from './events';
import type { LogEntry } from './log';
import type { JsonValue, ServiceResourceRecord } from './model';
import type { Repository } from './ports';

/** What the gate reads records through: the call's unit of work, or the committed repository. */
type Reader = Pick<Repository, 'get' | 'list'>;

/** AWS's ThrottlingException message (§3.6). */
export const THROTTLING_MESSAGE = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

/** Regions where the symmetric quota is 20,000/s (current guide, §3.6). */
const ELEVATED_REGIONS: ReadonlySet<string> = new Set(['us-east-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-central-1', 'eu-west-2']);
/** Regions with the highest symmetric quota (§3.6). */
const HIGHEST_REGIONS: ReadonlySet<string> = new Set(['us-east-1', 'us-west-2', 'eu-west-1']);

/**
 * The symmetric cryptographic quota of a Region, requests per second (current guide): 10,000 by
 * default, 20,000 in the elevated Regions, and in us-east-1, us-west-2 and eu-west-1 100,000 —
 * that last figure is unverified (the page was cut off; the 2023 guide said 50,000, the 2018
 * announcement 10,000), kept here as the one place to correct it.
 */
export function symmetricQuotaPerSecond(region: string): number {
  if (HIGHEST_REGIONS.has(region)) return 100_000;
  if (ELEVATED_REGIONS.has(region)) return 20_000;
  return 10_000;
}

/** The eight operations that share the symmetric cryptographic quota (§3.6). */
export const SYMMETRIC_CRYPTO_OPERATIONS: ReadonlySet<string> = new Set([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GenerateRandom',
  'ReEncrypt',
  'VerifyMac',
]);

/** Operations that use an asymmetric key's quota when the key is RSA, ECC or ML-DSA. */
const ASYMMETRIC_CRYPTO_OPERATIONS: ReadonlySet<string> = new Set(['Decrypt', 'Encrypt', 'ReEncrypt', 'Sign', 'Verify', 'DeriveSharedSecret']);

/** GenerateDataKeyPair(+WithoutPlaintext) quotas per KeyPairSpec (2023 guide, §3.6). */
const DATA_KEY_PAIR_QUOTAS: Readonly<Record<string, number>> = {
  ECC_NIST_P256: 25,
  ECC_NIST_P384: 10,
  ECC_NIST_P521: 5,
  ECC_SECG_P256K1: 25,
  RSA_2048: 1,
  RSA_3072: 0.5,
  RSA_4096: 0.1,
  SM2: 25,
};

/** Management quotas, requests per second (2023 guide, §3.6). Operations not listed are not throttled here. */
const MANAGEMENT_QUOTAS: Readonly<Record<string, number>> = {
  CancelKeyDeletion: 5,
  CreateAlias: 5,
  CreateGrant: 50,
  CreateKey: 5,
  DeleteAlias: 15,
  DeleteImportedKeyMaterial: 5,
  DescribeKey: 2_000,
  DisableKey: 5,
  DisableKeyRotation: 5,
  EnableKey: 5,
  EnableKeyRotation: 15,
  GetKeyPolicy: 1_000,
  GetKeyRotationStatus: 1_000,
  GetParametersForImport: 0.25,
  GetPublicKey: 2_000,
  ImportKeyMaterial: 5,
  ListAliases: 500,
  ListGrants: 100,
  ListKeyPolicies: 100,
  ListKeys: 500,
  ListResourceTags: 2_000,
  ListRetirableGrants: 100,
  PutKeyPolicy: 15,
  ReplicateKey: 5,
  RetireGrant: 30,
  RevokeGrant: 30,
  ScheduleKeyDeletion: 15,
  TagResource: 10,
  UntagResource: 5,
  UpdateAlias: 5,
  UpdateKeyDescription: 5,
  UpdatePrimaryRegion: 5,
};

/** A request quota: its id (counters are per id), AWS's name for it, and its rate. */
export interface Quota {
  /** `symmetric`, `rsa`, `ecc`, `mldsa`, `dataKeyPair:<spec>` or the operation name. */
  readonly id: string;
  /** The quota's name as the Service Quotas console shows it. */
  readonly name: string;
  /** Requests per second in the call's Region. */
  readonly perSecond: number;
}

/** The family of a key spec as quotas see it (null: a symmetric or HMAC key, or a spec without a quota). */
function asymmetricFamily(keySpec: string): 'rsa' | 'ecc' | 'mldsa' | 'mlkem' | null {
  if (keySpec.startsWith('RSA_')) return 'rsa';
  if (keySpec.startsWith('ECC_') || keySpec === 'SM2') return 'ecc';
  if (keySpec.startsWith('ML_DSA_')) return 'mldsa';
  if (keySpec.startsWith('ML_KEM_')) return 'mlkem';
  return null;
}

/** The symmetric cryptographic quota of `region`. */
export function symmetricQuota(region: string): Quota {
  return { id: 'symmetric', name: 'Cryptographic operations (symmetric) request rate', perSecond: symmetricQuotaPerSecond(region) };
}

/**
 * The quota a call draws on: `operation` in `region`, on a key of `keySpec` (null when the call
 * names no key, or names one that does not exist: it counts where its operation usually counts),
 * with the request's `KeyPairSpec` for GenerateDataKeyPair. Null: the operation has no quota on
 * record (List* operations not in §3.6, ML-KEM keys, custom key store operations).
 */
export function quotaFor(operation: string, region: string, keySpec: string | null, keyPairSpec?: unknown): Quota | null {
  const family = keySpec === null ? null : asymmetricFamily(keySpec);
  if (family !== null && ASYMMETRIC_CRYPTO_OPERATIONS.has(operation)) {
    if (family === 'rsa') return { id: 'rsa', name: 'Cryptographic operations (RSA) request rate', perSecond: 1_000 };
    if (family === 'ecc') return { id: 'ecc', name: 'Cryptographic operations (ECC) request rate', perSecond: 1_000 };
    if (family === 'mldsa') return { id: 'mldsa', name: 'Cryptographic operations (ML-DSA) request rate', perSecond: 1_000 };
    return null;
  }
  if (SYMMETRIC_CRYPTO_OPERATIONS.has(operation)) return symmetricQuota(region);
  if (operation === 'GenerateDataKeyPair' || operation === 'GenerateDataKeyPairWithoutPlaintext') {
    const spec = typeof keyPairSpec === 'string' && Object.hasOwn(DATA_KEY_PAIR_QUOTAS, keyPairSpec) ? keyPairSpec : null;
    if (spec === null) return null;
    return { id: `dataKeyPair:${spec}`, name: `GenerateDataKeyPair (${spec}) request rate`, perSecond: DATA_KEY_PAIR_QUOTAS[spec]! };
  }
  const rate = Object.hasOwn(MANAGEMENT_QUOTAS, operation) ? MANAGEMENT_QUOTAS[operation]! : undefined;
  return rate === undefined ? null : { id: operation, name: `${operation} request rate`, perSecond: rate };
}

/** The counting window of a quota: length (ms) and how many requests it admits. */
export function windowOf(perSecond: number): { readonly windowMs: number; readonly allowance: number } {
  if (perSecond >= 1) return { windowMs: 1000, allowance: Math.floor(perSecond) };
  return { windowMs: Math.round(1000 / perSecond), allowance: 1 };
}

/** A workload's data (model.ts ServiceResourceRecord with `service: 'workload'`). */
export interface WorkloadData {
  /** What the learner calls it ("nightly ingest"). */
  readonly label: string;
  /** The quota id it draws on (`symmetric`, …). */
  readonly quota: string;
  /** KMS requests per second it sends (after Bucket Keys and caching took their share). */
  readonly ratePerSecond: number;
  /** Sandbox time (ms) it starts, inclusive, and ends, exclusive. */
  readonly from: number;
  readonly until: number;
}

/** Why `data` is not a workload's data, or null. */
export function workloadError(data: { readonly [k: string]: JsonValue }): string | null {
  const d = data as Partial<Record<keyof WorkloadData, unknown>>;
  if (typeof d.label !== 'string' || d.label.length === 0 || d.label.length > 256) return 'serviceResource.data.label: expected 1–256 characters';
  if (typeof d.quota !== 'string' || d.quota.length === 0 || d.quota.length > 64) return 'serviceResource.data.quota: expected a quota id';
  if (typeof d.ratePerSecond !== 'number' || !Number.isFinite(d.ratePerSecond) || d.ratePerSecond < 0 || d.ratePerSecond > 1e9) {
    return 'serviceResource.data.ratePerSecond: expected a rate from 0 to 1e9';
  }
  if (!Number.isSafeInteger(d.from) || (d.from as number) < 0) return 'serviceResource.data.from: expected epoch ms';
  if (!Number.isSafeInteger(d.until) || (d.until as number) < (d.from as number)) return 'serviceResource.data.until: expected epoch ms not before from';
  return null;
}

/** The workload of a record, or null when the record is not a (valid) workload. */
export function workloadOf(r: ServiceResourceRecord): (WorkloadData & { readonly accountId: string; readonly region: string }) | null {
  if (r.service !== 'workload' || r.kind !== 'workload' || workloadError(r.data) !== null) return null;
  return { ...(r.data as unknown as WorkloadData), accountId: r.accountId, region: r.region };
}

/**
 * Requests a workload running at `ratePerSecond` sends within the window [start, start + windowMs)
 * while it runs over [from, until): the rate times the overlap, rounded down.
 */
export function workloadRequestsIn(w: WorkloadData, start: number, windowMs: number): number {
  const overlap = Math.min(w.until, start + windowMs) - Math.max(w.from, start);
  return overlap <= 0 ? 0 : Math.floor((w.ratePerSecond * overlap) / 1000);
}

/**
 * Counts requests per (account, Region, quota, window) on the sandbox clock. Only the current
 * window of each counter is kept (older windows can never admit again). `background` gives the
 * workload traffic already in a window.
 */
export class QuotaMeter {
  private readonly counters = new Map<string, { start: number; count: number }>();

  constructor(private readonly background: (accountId: string, region: string, quota: Quota, start: number, windowMs: number) => number = () => 0) {}

  /**
   * Admits up to `n` requests at sandbox time `t` against `quota` (default 1); returns how many
   * were admitted (counted), the rest are throttled.
   */
  admit(accountId: string, region: string, quota: Quota, t: number, n = 1): number {
    const { windowMs, allowance } = windowOf(quota.perSecond);
    const start = Math.floor(t / windowMs) * windowMs;
    const k = `${accountId}|${region}|${quota.id}`;
    let c = this.counters.get(k);
    if (!c || c.start !== start) {
      c = { start, count: 0 };
      this.counters.set(k, c);
    }
    const used = c.count + this.background(accountId, region, quota, start, windowMs);
    const admitted = Math.max(0, Math.min(n, allowance - used));
    c.count += admitted;
    return admitted;
  }

  /** Whether the window of `t` has no room left (counted requests and workloads), without counting anything. */
  full(accountId: string, region: string, quota: Quota, t: number): boolean {
    const { windowMs, allowance } = windowOf(quota.perSecond);
    const start = Math.floor(t / windowMs) * windowMs;
    const c = this.counters.get(`${accountId}|${region}|${quota.id}`);
    const used = (c && c.start === start ? c.count : 0) + this.background(accountId, region, quota, start, windowMs);
    return used >= allowance;
  }
}

/** What the service needs to decide on a call's quota (service.ts `throttled`). */
export interface QuotaGate {
  /**
   * Whether a call at `at` is over its quota, counting it when admitted. `before`: the decision
   * logged when a replayed call first ran (false: admit it and count it as the first run did).
   */
  throttled(tx: Reader, operation: string, request: object, caller: CallerContext, at: number, before: boolean | undefined): boolean;
}

/** What the gate reads: the sandbox's records, its clock, and how the service resolves a KeyId. */
export interface QuotaGateDeps {
  readonly repo: Repository;
  /** Count the sandbox's own calls (service.ts KmsServicePorts.throttleOwnCalls). */
  readonly countCalls: boolean;
  readonly now: () => number;
  /** Log entry `seq` of the sandbox. */
  readonly logEntryAt: (seq: number) => LogEntry | undefined;
  /** The key spec of the key `keyId` names for `caller`; throws when it names none. */
  readonly resolveKeySpec: (tx: Reader, caller: CallerContext, keyId: string) => string;
}

/**
 * The service's quota gate: a meter of the sandbox's own calls (when counted) over the running
 * workloads' traffic. A sandbox reopened within a quota window first counts the calls its log has
 * there (the longest window is 10 s), so a reload never admits a call its replay would throttle.
 */
export function createQuotaGate(deps: QuotaGateDeps): QuotaGate {
  const { repo, countCalls } = deps;
  // The workloads, re-read only when the service resources change (the repository's list keeps its
  // identity until a write), so a call's cost does not grow with the sandbox's S3 objects.
  let seen: readonly ServiceResourceRecord[] | null = null;
  let workloads: NonNullable<ReturnType<typeof workloadOf>>[] = [];
  const currentWorkloads = () => {
    const all = repo.list('serviceResource');
    if (all !== seen) {
      seen = all;
      workloads = all.map(workloadOf).filter((w): w is NonNullable<typeof w> => w !== null);
    }
    return workloads;
  };
  const meter = new QuotaMeter((accountId, region, quota, start, windowMs) => {
    let n = 0;
    for (const w of currentWorkloads()) {
      if (w.accountId === accountId && w.region === region && w.quota === quota.id) n += workloadRequestsIn(w, start, windowMs);
    }
    return n;
  });
  const quotaOfCall = (tx: Reader, operation: string, request: object, caller: CallerContext): Quota | null => {
    let keySpec: string | null = null;
    const keyId = (request as { KeyId?: unknown }).KeyId;
    if (typeof keyId === 'string') {
      try {
        keySpec = deps.resolveKeySpec(tx, caller, keyId);
      } catch {
        keySpec = null;
      }
    }
    return quotaFor(operation, caller.region, keySpec, (request as { KeyPairSpec?: unknown }).KeyPairSpec);
  };
  const m = repo.get('meta', 'sandbox');
  if (countCalls && m && m.logComplete) {
    const since = deps.now() - 10_000;
    const recent: LogEntry[] = [];
    for (let seq = m.logCount - 1; seq >= 0; seq--) {
      const e = deps.logEntryAt(seq);
      if (!e || e.at < since) break;
      recent.push(e);
    }
    for (const e of recent.reverse()) {
      if (e.kind !== 'call' || (!e.outcome.ok && e.outcome.error === 'ThrottlingException') || e.request === null) continue;
      const quota = quotaOfCall(repo, e.operation, e.request, e.caller as CallerContext);
      if (quota) meter.admit(e.caller.accountId, e.caller.region, quota, e.at);
    }
  }
  return {
    throttled(tx, operation, request, caller, at, before) {
      if (before === true) return true;
      const quota = quotaOfCall(tx, operation, request, caller);
      if (!quota) return false;
      if (before === false) {
        if (countCalls) meter.admit(caller.accountId, caller.region, quota, at);
        return false;
      }
      if (countCalls) return meter.admit(caller.accountId, caller.region, quota, at) === 0;
      return meter.full(caller.accountId, caller.region, quota, at);
    },
  };
}
