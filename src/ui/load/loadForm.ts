/**
 * The load generator form (issue 8): the fields as text → a load spec for `runLoad` and
 * `startWorkload` (src/services/loadGenerator.ts and workloads.ts, whose `validateLoadSpec` has the
 * last word). Caps as the engine's: at most 1,000,000 requests per second and 86,400 sandbox
 * seconds. Pure (unit-tested).
 */
import type { CallerContext, ServiceResourceRecord } from '../../kms';
import { bucketRows } from '../services/resources';
import { DEFAULT_CACHE_FORM, parseCacheForm, type CacheFormFields, type CacheLimitsInput } from './cacheForm';
import { parseNumber } from './numbers';

/** Operations the load generator sends. */
export const LOAD_OPERATIONS = ['GenerateDataKey', 'Decrypt', 'Encrypt'] as const;
export type LoadOperation = (typeof LOAD_OPERATIONS)[number];

/** The form as typed. */
export interface LoadFormFields {
  rate: string;
  seconds: string;
  source: 'app' | 's3';
  operation: LoadOperation;
  keyId: string;
  bucket: string;
  bucketKeyEnabled: boolean;
  cachingOn: boolean;
  cache: CacheFormFields;
  messageBytes: string;
  maxAttempts: string;
  label: string;
}

/** The spec the form produces (LoadSpec's shape, plus the workload label). */
export interface LoadSpecInput {
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly source: 'app' | 's3';
  readonly operation: LoadOperation;
  readonly keyId: string;
  readonly caller: CallerContext;
  readonly bucket?: string;
  readonly bucketKeyEnabled?: boolean;
  readonly caching: CacheLimitsInput | null;
  readonly messageBytes: number;
  readonly maxAttempts: number;
}

/** A load that throttles in every Region (the highest symmetric quota is 100,000/s). */
export const DEFAULT_LOAD_FORM: LoadFormFields = {
  rate: '120000',
  seconds: '30',
  source: 'app',
  operation: 'GenerateDataKey',
  keyId: '',
  bucket: '',
  bucketKeyEnabled: false,
  cachingOn: false,
  cache: { ...DEFAULT_CACHE_FORM },
  messageBytes: '1024',
  maxAttempts: '3',
  label: '',
};

export type LoadFormErrors = Partial<Record<'rate' | 'seconds' | 'keyId' | 'bucket' | 'messageBytes' | 'maxAttempts' | 'label' | keyof CacheFormFields, string>>;

/** Most requests per second and sandbox seconds a run may ask for (the engine's caps). */
export const MAX_RATE = 1_000_000;
export const MAX_SECONDS = 86_400;

/** Parses the form for `caller`. With source 's3' a bucket is required, the operation is GenerateDataKey (PUT) or Decrypt (GET) and there is no data-key cache (S3 has Bucket Keys instead). */
export function parseLoadForm(f: LoadFormFields, caller: CallerContext): { ok: true; value: LoadSpecInput } | { ok: false; errors: LoadFormErrors } {
  const errors: LoadFormErrors = {};
  const rate = parseNumber(f.rate, 'Requests per second', { min: 0.001, max: MAX_RATE, integer: false });
  const seconds = parseNumber(f.seconds, 'Sandbox seconds', { min: 1, max: MAX_SECONDS });
  const bytes = parseNumber(f.messageBytes, 'Message size (bytes)', { min: 0, max: 2 ** 31 });
  const attempts = parseNumber(f.maxAttempts, 'Max attempts', { min: 1, max: 10 });
  if (!rate.ok) errors.rate = rate.reason;
  if (!seconds.ok) errors.seconds = seconds.reason;
  if (!bytes.ok) errors.messageBytes = bytes.reason;
  if (!attempts.ok) errors.maxAttempts = attempts.reason;
  if (f.keyId.trim() === '') errors.keyId = 'Choose a KMS key.';
  if (f.source === 's3' && f.bucket.trim() === '') errors.bucket = 'Choose a bucket (create one in the Services tab).';
  if (f.source === 's3' && f.operation === 'Encrypt') errors.bucket = 'S3 calls GenerateDataKey (PUT) or Decrypt (GET), never Encrypt.';
  if (f.cachingOn && f.source === 'app' && f.operation === 'Encrypt') errors.maxAgeMs = 'Caching keeps data keys: it applies to GenerateDataKey and Decrypt, not Encrypt.';
  let caching: CacheLimitsInput | null = null;
  if (f.cachingOn && f.source === 'app') {
    const c = parseCacheForm(f.cache);
    if (c.ok) caching = c.value;
    else Object.assign(errors, c.errors);
  }
  if (!rate.ok || !seconds.ok || !bytes.ok || !attempts.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ratePerSecond: rate.value,
      seconds: seconds.value,
      source: f.source,
      operation: f.operation,
      keyId: f.keyId.trim(),
      caller,
      ...(f.source === 's3' ? { bucket: f.bucket.trim(), bucketKeyEnabled: f.bucketKeyEnabled } : {}),
      caching,
      messageBytes: bytes.value,
      maxAttempts: attempts.value,
    },
  };
}

/**
 * Symmetric encryption keys the acting caller can pick: enabled ones of its account AND Region (an
 * alias names a key only in its own account and Region). The value is the first alias when no other
 * option has the same alias, else the key ARN, so values are unique (the pickers key their options
 * by value).
 */
export function loadKeyOptions(
  keys: readonly { arn: string; keyId: string; aliases: readonly string[]; keyState: string; accountId: string; region: string; keySpec: string; description: string }[],
  where: { readonly accountId: string; readonly region: string },
): { value: string; label: string }[] {
  const own = keys.filter((k) => k.accountId === where.accountId && k.region === where.region && k.keySpec === 'SYMMETRIC_DEFAULT' && k.keyState === 'Enabled');
  const aliasCount = new Map<string, number>();
  for (const k of own) if (k.aliases[0] !== undefined) aliasCount.set(k.aliases[0], (aliasCount.get(k.aliases[0]) ?? 0) + 1);
  const seen = new Set<string>();
  const options: { value: string; label: string }[] = [];
  for (const k of own) {
    const alias = k.aliases[0];
    const value = alias !== undefined && aliasCount.get(alias) === 1 ? alias : k.arn;
    if (seen.has(value)) continue;
    seen.add(value);
    options.push({ value, label: `${alias ?? k.keyId}${k.description ? ` — ${k.description.slice(0, 60)}` : ''}` });
  }
  return options;
}

/** The option to use: `chosen` while it is one of `options`, else the first option ('' when there is none). */
export function currentChoice(options: readonly { value: string }[], chosen: string): string {
  return options.some((o) => o.value === chosen) ? chosen : (options[0]?.value ?? '');
}

/** The buckets a load through S3 can use: the acting account's, in the acting Region, by name. */
export function loadBucketOptions(records: readonly ServiceResourceRecord[], where: { readonly accountId: string; readonly region: string }): string[] {
  return bucketRows(records, where.accountId)
    .filter((b) => b.region === where.region)
    .map((b) => b.name);
}

/** The workload label: what the learner typed, else a description of the load. */
export function workloadLabel(f: LoadFormFields, spec: LoadSpecInput): string {
  const typed = f.label.trim().slice(0, 256);
  if (typed !== '') return typed;
  const via = spec.source === 's3' ? ` via S3 (${spec.bucket})` : '';
  return `${spec.operation} at ${spec.ratePerSecond.toLocaleString('en-US')}/s${via}`;
}
