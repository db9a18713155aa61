/**
 * The KMS cost model (kms-semantics.md §11): key-months prorated hourly, rotation charges, requests
 * by price class with the free tier, the cost of a sandbox's trail so far, and the "monthly cost vs
 * request rate" curves with and without data-key caching and S3 Bucket Keys.
 *
 * Billing rules modelled (us-east-1 list prices, educational display only):
 * - $1 per customer managed key-month, prorated hourly (a started hour counts as a whole hour: an
 *   assumption, AWS does not say how it rounds); every key spec, origin and key store alike; each
 *   multi-Region primary and each replica is billed. AWS managed keys are free.
 * - A key scheduled for deletion is free from the moment it was scheduled (a cancelled deletion is
 *   billed as if never scheduled, which is what the key record then shows).
 * - The first and second rotations each add $1/month (prorated) from when they happen; later ones
 *   are free (the April 2024 rule).
 * - Requests: symmetric $0.03 / 10,000 (every API request that is not asymmetric); asymmetric and
 *   GenerateDataKeyPair prices are in `PRICE_TABLE.asymmetric` and are UNVERIFIED (no stored copy of
 *   the pricing page showed them). The free tier, 20,000 requests a month per paying account summed
 *   across Regions, covers symmetric requests only (not GenerateDataKeyPair* nor requests that use
 *   asymmetric keys). The caller's account pays (cross-account use). KMS's own events (RotateKey,
 *   DeleteKey) are not requests.
 * - Failed requests (throttled, denied, invalid): AWS does not document whether they are billed.
 *   The model counts them (`billFailed: true` by default) and says so in the result's notes.
 */
import type { CloudTrailRecord, KeyRecord, KeySpec, MaterialRecord } from '../kms/model';
import { cacheEffect, type CacheLimits } from './cachingCmm';
import { s3KmsRequestsPerSecond } from './s3Model';

/** The one editable price table (§11). */
export interface PriceTable {
  /** When these prices were last checked (YYYY-MM-DD). */
  asOf: string;
  /** Where they come from. */
  source: string;
  region: string;
  currency: 'USD';
  /** Per customer managed key per month. */
  keyMonth: number;
  /** Added per month by each of a key's first two rotations. */
  rotationMonthFirstTwo: number;
  /** Per 10,000 symmetric (and management) requests. */
  symmetricPer10k: number;
  /** Free symmetric requests per month (per paying account, all Regions). */
  freeTierRequests: number;
  /** Asymmetric prices; `verified: false` until a copy of the pricing page confirms them. */
  asymmetric: {
    /** Per 10,000 requests that use an RSA_2048 key. */
    rsa2048Per10k: number;
    /** Per 10,000 requests that use any other asymmetric key (RSA 3072/4096, ECC, ML-DSA, ML-KEM, SM2). */
    otherPer10k: number;
    /** Per 10,000 GenerateDataKeyPair(WithoutPlaintext) requests for an ECC (or SM2) key pair. */
    dataKeyPairEccPer10k: number;
    /** Per 10,000 GenerateDataKeyPair(WithoutPlaintext) requests for an RSA key pair. */
    dataKeyPairRsaPer10k: number;
    verified: boolean;
  };
}

/**
 * us-east-1 list prices. The key, rotation, symmetric and free-tier figures are on
 * aws.amazon.com/kms/pricing (stored copies, §11); the asymmetric ones are from memory of that page,
 * corroborated only by third-party posts ("asymmetric at 5× the symmetric rate"), hence unverified.
 * asOf: the day these were checked against the stored copies.
 */
export const PRICE_TABLE: PriceTable = {
  asOf: '2026-11-29',
  source: 'https://aws.amazon.com/kms/pricing/',
  region: 'us-east-1',
  currency: 'USD',
  keyMonth: 1,
  rotationMonthFirstTwo: 1,
  symmetricPer10k: 0.03,
  freeTierRequests: 20_000,
  asymmetric: {
    rsa2048Per10k: 0.03,
    otherPer10k: 0.15,
    dataKeyPairEccPer10k: 0.1,
    dataKeyPairRsaPer10k: 12,
    verified: false,
  },
};

export type PriceTableResult = { ok: true; value: PriceTable } | { ok: false; reason: 'invalid-record'; field: string; message: string };

const PRICE_FIELDS = ['keyMonth', 'rotationMonthFirstTwo', 'symmetricPer10k', 'freeTierRequests'] as const;
const ASYMMETRIC_FIELDS = ['rsa2048Per10k', 'otherPer10k', 'dataKeyPairEccPer10k', 'dataKeyPairRsaPer10k'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a user-edited price table: every price a non-negative finite number, the free tier an integer. Never throws. */
export function validatePriceTable(t: unknown): PriceTableResult {
  const fail = (field: string, message: string): PriceTableResult => ({ ok: false, reason: 'invalid-record', field, message });
  if (!isObject(t)) return fail('table', 'The price table must be an object.');
  if (typeof t.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(t.asOf) || Number.isNaN(Date.parse(t.asOf))) return fail('asOf', 'asOf must be a date as YYYY-MM-DD.');
  if (typeof t.source !== 'string' || t.source.length === 0 || t.source.length > 2048) return fail('source', 'source must say where the prices come from.');
  if (typeof t.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(t.region)) return fail('region', 'region must be a Region name such as us-east-1.');
  if (t.currency !== 'USD') return fail('currency', "currency must be 'USD'.");
  const good = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  for (const f of PRICE_FIELDS) if (!good(t[f])) return fail(f, `${f} must be a non-negative number.`);
  if (!Number.isInteger(t.freeTierRequests)) return fail('freeTierRequests', 'freeTierRequests must be a whole number of requests.');
  const a = t.asymmetric;
  if (!isObject(a)) return fail('asymmetric', 'asymmetric must be an object of prices.');
  for (const f of ASYMMETRIC_FIELDS) if (!good(a[f])) return fail(`asymmetric.${f}`, `asymmetric.${f} must be a non-negative number.`);
  if (typeof a.verified !== 'boolean') return fail('asymmetric.verified', 'asymmetric.verified must be true or false.');
  return {
    ok: true,
    value: {
      asOf: t.asOf,
      source: t.source,
      region: t.region,
      currency: 'USD',
      keyMonth: t.keyMonth as number,
      rotationMonthFirstTwo: t.rotationMonthFirstTwo as number,
      symmetricPer10k: t.symmetricPer10k as number,
      freeTierRequests: t.freeTierRequests as number,
      asymmetric: {
        rsa2048Per10k: a.rsa2048Per10k as number,
        otherPer10k: a.otherPer10k as number,
        dataKeyPairEccPer10k: a.dataKeyPairEccPer10k as number,
        dataKeyPairRsaPer10k: a.dataKeyPairRsaPer10k as number,
        verified: a.verified,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Key-months

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface BillingRange {
  /** Start (sandbox ms, inclusive). */
  from: number;
  /** End (sandbox ms, exclusive). */
  to: number;
}

/** Keys to bill: the key records, optionally with their material records (rotations). */
export type BillableKeys = readonly KeyRecord[] | { keys: readonly KeyRecord[]; materials?: readonly MaterialRecord[] };

/** One customer managed key's monthly charges in a range. */
export interface KeyMonthsItem {
  keyArn: string;
  keyId: string;
  /** Prorated key-months in the range. */
  keyMonths: number;
  /** Prorated months of rotation charges (each of the first two rotations adds one per month). */
  rotationMonths: number;
  /** When billing starts and stops (ms); `billedUntil` null while the key is billed. */
  billedFrom: number;
  billedUntil: number | null;
  /** 'trail' for a key already deleted, rebuilt from its CreateKey / ScheduleKeyDeletion records. */
  from: 'record' | 'trail';
}

export interface KeyMonthsResult {
  keys: KeyMonthsItem[];
  totalKeyMonths: number;
  totalRotationMonths: number;
}

/** A key's billed life: [start, end) plus the times of its first two rotations. */
interface KeySpan {
  keyArn: string;
  keyId: string;
  start: number;
  end: number | null;
  rotations: number[];
  from: 'record' | 'trail';
}

/** Months (prorated by hours of each calendar month, UTC) of [a, b) within the range. */
function monthsBetween(a: number, b: number, range: BillingRange): number {
  const start = Math.max(a, range.from);
  const end = Math.min(b, range.to);
  if (!(end > start)) return 0;
  const firstHour = Math.floor(start / HOUR) * HOUR;
  const lastHour = Math.ceil(end / HOUR) * HOUR;
  let months = 0;
  let d = new Date(firstHour);
  let cursor = firstHour;
  while (cursor < lastHour) {
    const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const pieceEnd = Math.min(lastHour, monthEnd);
    months += (pieceEnd - cursor) / (monthEnd - monthStart);
    cursor = pieceEnd;
    d = new Date(cursor);
  }
  return months;
}

function keysAndMaterials(keys: BillableKeys): { keys: readonly KeyRecord[]; materials: readonly MaterialRecord[] } {
  return Array.isArray(keys) ? { keys: keys as readonly KeyRecord[], materials: [] } : { keys: (keys as { keys: readonly KeyRecord[] }).keys, materials: (keys as { materials?: readonly MaterialRecord[] }).materials ?? [] };
}

/**
 * A key record's billed life. Billing stops when its deletion was scheduled: deletionDate − window
 * for PendingDeletion; for a primary in PendingReplicaDeletion (no deletionDate) the time of its
 * ScheduleKeyDeletion record in `facts`, and without one it stays billed (an overestimate rather
 * than a silent zero). Rotations: the key's first two rotated materials, else (no material records
 * given for it) its first two RotateKey / RotateKeyOnDemand records in `facts`.
 */
function spanOfRecord(key: KeyRecord, materials: readonly MaterialRecord[], facts: TrailFacts | null): KeySpan {
  let end: number | null = null;
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') {
    end =
      key.deletionDate !== null && key.pendingDeletionWindowInDays !== null
        ? key.deletionDate - key.pendingDeletionWindowInDays * DAY
        : (facts?.scheduledAt.get(key.id) ?? null);
  }
  const own = materials.filter((m) => m.keyArn === key.id);
  const rotations =
    own.length > 0 || !facts
      ? own
          .filter((m) => m.rotationType !== null)
          .sort((x, y) => x.version - y.version)
          .slice(0, 2)
          .map((m) => m.createdAt)
      : (facts.rotations.get(key.id) ?? []).slice(0, 2);
  return { keyArn: key.id, keyId: key.keyId, start: key.creationDate, end, rotations, from: 'record' };
}

function billSpans(spans: readonly KeySpan[], range: BillingRange): KeyMonthsResult {
  const items = spans.map((s): KeyMonthsItem => {
    const stop = s.end ?? Infinity;
    const keyMonths = monthsBetween(s.start, stop, range);
    const rotationMonths = s.rotations.reduce((sum, r) => sum + monthsBetween(Math.max(r, s.start), stop, range), 0);
    return { keyArn: s.keyArn, keyId: s.keyId, keyMonths, rotationMonths, billedFrom: s.start, billedUntil: s.end, from: s.from };
  });
  return {
    keys: items,
    totalKeyMonths: items.reduce((a, i) => a + i.keyMonths, 0),
    totalRotationMonths: items.reduce((a, i) => a + i.rotationMonths, 0),
  };
}

/**
 * Prorated key-months and rotation-months of every customer managed key in `range` (AWS managed
 * keys are free and left out). Rotations come from the material records (the first two non-original
 * materials of a key).
 */
export function keyMonths(keys: BillableKeys, range: BillingRange): KeyMonthsResult {
  const { keys: list, materials } = keysAndMaterials(keys);
  return billSpans(
    list.filter((k) => k.keyManager === 'CUSTOMER').map((k) => spanOfRecord(k, materials, null)),
    range,
  );
}

// ---------------------------------------------------------------------------------------------
// Requests

export const REQUEST_CLASSES = ['symmetric', 'rsa2048', 'asymmetric', 'dataKeyPairEcc', 'dataKeyPairRsa', 'free'] as const;
/** How a request is priced; `free` = not a billed request (KMS's own service events). */
export type RequestClass = (typeof REQUEST_CLASSES)[number];

/** Operations priced as asymmetric when the key they use is asymmetric. */
const KEY_USE_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'Sign',
  'Verify',
  'GetPublicKey',
  'DeriveSharedSecret',
  'Encapsulate',
  'Decapsulate',
]);
/** Operations that only exist for asymmetric keys. */
const ASYMMETRIC_ONLY: ReadonlySet<string> = new Set(['Sign', 'Verify', 'GetPublicKey', 'DeriveSharedSecret', 'Encapsulate', 'Decapsulate']);

function isAsymmetricSpec(spec: string): boolean {
  return /^(RSA_|ECC_|ML_DSA_|ML_KEM_|SM2)/.test(spec);
}

/** Whether an algorithm member of the request names an asymmetric algorithm (key spec unknown). */
function specHintOf(params: { [k: string]: unknown } | null): boolean {
  if (!params) return false;
  for (const m of ['encryptionAlgorithm', 'sourceEncryptionAlgorithm', 'destinationEncryptionAlgorithm', 'signingAlgorithm', 'keyAgreementAlgorithm']) {
    const v = params[m];
    if (typeof v === 'string' && v !== 'SYMMETRIC_DEFAULT') return true;
  }
  return false;
}

/** Looks a key's spec up by ARN (from the sandbox's key records). */
export type KeySpecLookup = (keyArn: string) => KeySpec | string | undefined;

/** A lookup over key records. */
export function keySpecLookup(keys: readonly KeyRecord[]): KeySpecLookup {
  const byArn = new Map(keys.map((k) => [k.id as string, k.keySpec]));
  return (arn) => byArn.get(arn);
}

/**
 * The price class of one trail record: KMS service events are `free`; GenerateDataKeyPair* by key
 * pair spec; requests that use an asymmetric key (by the key's spec, else by the algorithm in the
 * request) `rsa2048` or `asymmetric` (RSA of unknown size is priced `asymmetric`); everything else
 * `symmetric`. Failed requests are classified like successful ones (see `trailCost`'s billFailed).
 */
export function requestClassOf(record: CloudTrailRecord, keySpecOf?: KeySpecLookup): RequestClass {
  if (record.eventType !== 'AwsApiCall') return 'free';
  const op = record.eventName;
  const params = record.requestParameters;
  if (op === 'GenerateDataKeyPair' || op === 'GenerateDataKeyPairWithoutPlaintext') {
    const spec = params?.keyPairSpec;
    return typeof spec === 'string' && spec.startsWith('RSA') ? 'dataKeyPairRsa' : 'dataKeyPairEcc';
  }
  if (!KEY_USE_OPERATIONS.has(op)) return 'symmetric';
  const arn = record.resources?.[0]?.ARN;
  const spec = arn && keySpecOf ? keySpecOf(arn) : undefined;
  if (spec !== undefined) {
    if (!isAsymmetricSpec(spec)) return 'symmetric';
    return spec === 'RSA_2048' ? 'rsa2048' : 'asymmetric';
  }
  if (specHintOf(params)) return 'asymmetric';
  return ASYMMETRIC_ONLY.has(op) ? 'asymmetric' : 'symmetric';
}

export interface CostItem {
  label: string;
  quantity: number;
  unit: string;
  /** USD; negative for the free-tier credit. */
  amount: number;
}

export interface RequestCost {
  items: CostItem[];
  total: number;
  /** Symmetric requests the free tier covered. */
  freeTierUsed: number;
}

export type RequestCounts = Partial<Record<RequestClass, number>>;

/**
 * Cost of one month's requests of one paying account: each class at its price per 10,000, and
 * the free tier (`prices.freeTierRequests`, or `freeTierRemaining` when part of it is used
 * elsewhere) credited against symmetric requests only.
 */
export function requestCost(counts: RequestCounts, prices: PriceTable = PRICE_TABLE, opts: { freeTierRemaining?: number } = {}): RequestCost {
  const n = (c: RequestClass): number => {
    const v = counts[c] ?? 0;
    return Number.isFinite(v) && v > 0 ? v : 0;
  };
  const a = prices.asymmetric;
  const lines: [string, RequestClass, number][] = [
    ['Symmetric and management requests', 'symmetric', prices.symmetricPer10k],
    ['Requests with RSA_2048 keys', 'rsa2048', a.rsa2048Per10k],
    ['Requests with other asymmetric keys', 'asymmetric', a.otherPer10k],
    ['GenerateDataKeyPair (ECC)', 'dataKeyPairEcc', a.dataKeyPairEccPer10k],
    ['GenerateDataKeyPair (RSA)', 'dataKeyPairRsa', a.dataKeyPairRsaPer10k],
  ];
  const items: CostItem[] = [];
  for (const [label, cls, per10k] of lines) {
    const q = n(cls);
    if (q > 0) items.push({ label, quantity: q, unit: 'requests', amount: (q / 10_000) * per10k });
  }
  const allowance = Math.max(0, opts.freeTierRemaining ?? prices.freeTierRequests);
  const freeTierUsed = Math.min(n('symmetric'), allowance);
  if (freeTierUsed > 0) {
    items.push({ label: `Free tier (${prices.freeTierRequests.toLocaleString('en-US')} requests/month)`, quantity: freeTierUsed, unit: 'requests', amount: -(freeTierUsed / 10_000) * prices.symmetricPer10k });
  }
  return { items, total: items.reduce((s, i) => s + i.amount, 0), freeTierUsed };
}

// ---------------------------------------------------------------------------------------------
// The trail's cost

export interface TrailCostOptions extends BillingRange {
  /** Count failed requests (throttled, denied, invalid) as billed: default true (AWS does not say). */
  billFailed?: boolean;
}

export interface TrailCost {
  items: CostItem[];
  total: number;
  /** Requests in the range by class (failed ones included unless billFailed is false). */
  requests: Record<RequestClass, number>;
  /** Failed requests in the range (counted or not, per billFailed). */
  failedRequests: number;
  keyMonths: KeyMonthsResult;
  /** What the figures assume (unverified prices, failed requests, …). */
  notes: string[];
}

function timeOf(r: CloudTrailRecord): number {
  return Date.parse(r.eventTime);
}

function monthKey(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${d.getUTCMonth()}`;
}

/** What the trail says about keys: deleted customer managed keys, deletion schedules, rotations. */
interface TrailFacts {
  /** Customer managed keys no longer in the records, rebuilt from CreateKey/ReplicateKey … DeleteKey. */
  spans: KeySpan[];
  /** Key ARN → time of its pending ScheduleKeyDeletion. */
  scheduledAt: Map<string, number>;
  /** Key ARN → times of its rotations, in order. */
  rotations: Map<string, number[]>;
}

function trailKeyFacts(records: readonly CloudTrailRecord[], known: ReadonlySet<string>): TrailFacts {
  const created = new Map<string, KeySpan>();
  const scheduledAt = new Map<string, number>();
  const rotations = new Map<string, number[]>();
  const sorted = [...records].sort((x, y) => timeOf(x) - timeOf(y));
  for (const r of sorted) {
    if (r.errorCode !== undefined && r.errorCode !== null) continue;
    const t = timeOf(r);
    const arn = r.resources?.[0]?.ARN;
    const meta = r.responseElements?.keyMetadata ?? r.responseElements?.replicaKeyMetadata;
    if ((r.eventName === 'CreateKey' || r.eventName === 'ReplicateKey') && isObject(meta) && typeof meta.arn === 'string') {
      if (meta.keyManager === 'CUSTOMER' && !known.has(meta.arn)) {
        created.set(meta.arn, { keyArn: meta.arn, keyId: String(meta.keyId ?? ''), start: t, end: null, rotations: [], from: 'trail' });
      }
      continue;
    }
    if (!arn) continue;
    if (r.eventName === 'ScheduleKeyDeletion') scheduledAt.set(arn, t);
    else if (r.eventName === 'CancelKeyDeletion') scheduledAt.delete(arn);
    else if (r.eventName === 'RotateKey' || r.eventName === 'RotateKeyOnDemand') rotations.set(arn, [...(rotations.get(arn) ?? []), t]);
    else if (r.eventName === 'DeleteKey') {
      const span = created.get(arn);
      if (span) span.end = scheduledAt.get(arn) ?? t;
    }
  }
  for (const span of created.values()) {
    span.rotations = (rotations.get(span.keyArn) ?? []).slice(0, 2);
    if (span.end === null && scheduledAt.has(span.keyArn)) span.end = scheduledAt.get(span.keyArn) ?? null;
  }
  return { spans: [...created.values()], scheduledAt, rotations };
}

/**
 * The cost of a sandbox's trail in [from, to): key-months of its customer managed keys (the
 * records, plus keys already deleted as the trail shows them), rotation charges, and its requests
 * by class with the free tier applied per paying account and calendar month (UTC).
 */
export function trailCost(records: readonly CloudTrailRecord[], keys: BillableKeys, prices: PriceTable = PRICE_TABLE, opts: TrailCostOptions): TrailCost {
  const range = { from: opts.from, to: opts.to };
  const billFailed = opts.billFailed ?? true;
  const { keys: list, materials } = keysAndMaterials(keys);
  const known = new Set(list.map((k) => k.id as string));
  const facts = trailKeyFacts(records, known);
  const spans = [...list.filter((k) => k.keyManager === 'CUSTOMER').map((k) => spanOfRecord(k, materials, facts)), ...facts.spans];
  const km = billSpans(spans, range);

  const lookup = keySpecLookup(list);
  const specs = new Map<string, string>();
  for (const r of records) {
    const meta = r.responseElements?.keyMetadata ?? r.responseElements?.replicaKeyMetadata;
    if (isObject(meta) && typeof meta.arn === 'string' && typeof meta.keySpec === 'string') specs.set(meta.arn, meta.keySpec);
  }
  const specOf: KeySpecLookup = (arn) => lookup(arn) ?? specs.get(arn);

  const requests = Object.fromEntries(REQUEST_CLASSES.map((c) => [c, 0])) as Record<RequestClass, number>;
  const symmetricByPayerMonth = new Map<string, number>();
  let failed = 0;
  for (const r of records) {
    const t = timeOf(r);
    if (!(t >= range.from && t < range.to)) continue;
    const cls = requestClassOf(r, specOf);
    const isFailed = r.errorCode !== undefined && r.errorCode !== null;
    if (isFailed && cls !== 'free') failed += 1;
    if (isFailed && !billFailed) continue;
    requests[cls] += 1;
    if (cls === 'symmetric') {
      const payer = typeof r.userIdentity.accountId === 'string' ? r.userIdentity.accountId : r.recipientAccountId;
      const k = `${payer}|${monthKey(t)}`;
      symmetricByPayerMonth.set(k, (symmetricByPayerMonth.get(k) ?? 0) + 1);
    }
  }
  let freeTierUsed = 0;
  for (const n of symmetricByPayerMonth.values()) freeTierUsed += Math.min(n, prices.freeTierRequests);

  const req = requestCost({ ...requests, free: 0 }, prices, { freeTierRemaining: freeTierUsed });
  const items: CostItem[] = [];
  if (km.totalKeyMonths > 0) items.push({ label: 'Customer managed keys', quantity: km.totalKeyMonths, unit: 'key-months', amount: km.totalKeyMonths * prices.keyMonth });
  if (km.totalRotationMonths > 0) {
    items.push({ label: 'Key rotations (first two per key)', quantity: km.totalRotationMonths, unit: 'rotation-months', amount: km.totalRotationMonths * prices.rotationMonthFirstTwo });
  }
  items.push(...req.items);
  if (requests.free > 0) items.push({ label: 'KMS service events (not requests)', quantity: requests.free, unit: 'events', amount: 0 });

  const notes: string[] = [];
  if (!prices.asymmetric.verified && (requests.rsa2048 || requests.asymmetric || requests.dataKeyPairEcc || requests.dataKeyPairRsa)) {
    notes.push('Asymmetric and GenerateDataKeyPair prices are unverified.');
  }
  if (failed > 0) {
    notes.push(
      billFailed
        ? `${failed} failed request(s) are counted as billed: AWS does not document whether throttled or denied requests are charged.`
        : `${failed} failed request(s) are not counted.`,
    );
  }
  if (km.keys.some((k) => k.from === 'trail')) notes.push('Keys already deleted are billed from their CreateKey to their ScheduleKeyDeletion record.');
  return { items, total: items.reduce((s, i) => s + i.amount, 0), requests, failedRequests: failed, keyMonths: km, notes };
}

// ---------------------------------------------------------------------------------------------
// Monthly cost against request rate

/** A 30-day month in seconds (the rate curves' month). */
export const SECONDS_PER_MONTH = 30 * 24 * 3600;

export interface MonthlyCostOptions {
  /** The workload's rates (messages or objects per second): a list, or a maximum for a log sweep from 1. */
  requestsPerSecond: number | readonly number[];
  /** Customer managed keys billed all month, or that plus billed rotations (0–2 per key, summed). */
  keys: number | { customerManagedKeys: number; rotations?: number };
  /** Add the curve of the workload as S3 objects with Bucket Keys (s3KmsRequestsPerSecond). */
  bucketKeys?: boolean;
  /** Add the curve of the workload encrypted through a caching CMM with these limits (cacheEffect). */
  caching?: CacheLimits | null;
  /** Message size for the caching curve (default 1 KiB) and encryption contexts taking turns (default 1). */
  messageBytes?: number;
  distinctContexts?: number;
  prices?: PriceTable;
}

/** One scenario at one rate: KMS requests it sends and what the month costs. */
export interface RateScenario {
  kmsRequestsPerSecond: number;
  monthlyRequests: number;
  monthlyCost: number;
}

export interface CostPoint {
  /** The workload's rate (x). */
  requestsPerSecond: number;
  /** One KMS request per message or object. */
  direct: RateScenario;
  /** Through the caching CMM (when `caching` is given). */
  caching?: RateScenario;
  /** S3 with Bucket Keys (when `bucketKeys` is true). */
  bucketKeys?: RateScenario;
}

/** Rates from 1 to max, about 8 per decade (log spaced, max included). */
function sweep(max: number): number[] {
  if (!(max >= 1)) return max > 0 ? [max] : [];
  const steps = Math.max(1, Math.ceil(Math.log10(max) * 8));
  const out: number[] = [];
  for (let i = 0; i <= steps; i++) out.push(Number((max ** (i / steps)).toPrecision(3)));
  out[out.length - 1] = max;
  return [...new Set(out)];
}

/**
 * The points of the "monthly cost vs request rate" plot: for each rate, the month's cost with one
 * symmetric KMS request per message/object, through the caching CMM, and with S3 Bucket Keys.
 * Keys (and rotations) are billed the whole month; requests after the free tier.
 */
export function monthlyCostAtRate(opts: MonthlyCostOptions): CostPoint[] {
  const prices = opts.prices ?? PRICE_TABLE;
  const keyCount = typeof opts.keys === 'number' ? opts.keys : opts.keys.customerManagedKeys;
  const rotations = typeof opts.keys === 'number' ? 0 : (opts.keys.rotations ?? 0);
  const fixed = Math.max(0, keyCount) * prices.keyMonth + Math.max(0, rotations) * prices.rotationMonthFirstTwo;
  const rates = (typeof opts.requestsPerSecond === 'number' ? sweep(opts.requestsPerSecond) : [...opts.requestsPerSecond]).filter((r) => Number.isFinite(r) && r >= 0);
  const scenario = (monthlyRequests: number): RateScenario => ({
    kmsRequestsPerSecond: monthlyRequests / SECONDS_PER_MONTH,
    monthlyRequests,
    monthlyCost: fixed + requestCost({ symmetric: monthlyRequests }, prices).total,
  });
  return rates.map((rate) => {
    const point: CostPoint = { requestsPerSecond: rate, direct: scenario(rate * SECONDS_PER_MONTH) };
    if (opts.caching) {
      const e = cacheEffect({ messagesPerSecond: rate, seconds: SECONDS_PER_MONTH, messageBytes: opts.messageBytes ?? 1024, limits: opts.caching, distinctContexts: opts.distinctContexts ?? 1 });
      point.caching = scenario(e.kmsRequests);
    }
    if (opts.bucketKeys) point.bucketKeys = scenario(s3KmsRequestsPerSecond(rate, true) * SECONDS_PER_MONTH);
    return point;
  });
}
