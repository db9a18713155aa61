/**
 * Workloads (issue 8, "Quotas and throttling"): background traffic that throttles the live
 * sandbox. A workload is a `serviceResource` record (`service: 'workload'`, kind `workload`,
 * id `workload/<n>`) whose data is src/kms/quotas.ts `WorkloadData`: while it runs, the service
 * counts its KMS request rate in every quota window of its account and Region before the
 * sandbox's own calls — an ingest job above the shared symmetric quota makes another team's
 * single Decrypt fail with ThrottlingException (§3.6: quotas are per account and Region, shared by
 * every principal and by the AWS services calling on their behalf).
 *
 * The stored rate is the KMS rate: the offered rate after S3 Bucket Keys (s3Model.ts) or data-key
 * caching (the load generator's model). S3 workloads also keep `via: 's3'`, `bucket` and
 * `objectsPerSecond`, so that the S3 simulation can recompute the rate when the bucket's Bucket
 * Key setting changes (s3.ts `refreshBucketWorkloads`). Each start and stop is a logged world edit:
 * it survives a reload and replays.
 */
import { kmsError, type CallerContext, type JsonValue, type KmsService } from '../kms';
import { quotaFor, symmetricQuota, workloadOf, type WorkloadData } from '../kms/quotas';
import { bucketNameProblem } from './s3';
import { cacheLimitsError, callerError, kmsRatePerSecond, LOAD_LIMITS, type CacheLimits } from './loadGenerator';

/** What to start. */
export interface WorkloadSpec {
  /** What the learner calls it ("nightly ingest"); 1–256 characters. */
  readonly label: string;
  /** Whose traffic: its account and Region are the quota counted (the principal is not). */
  readonly caller: CallerContext;
  /** Offered requests per second: application messages, or S3 objects. */
  readonly ratePerSecond: number;
  /** Sandbox seconds it runs from now (at most a day). */
  readonly seconds: number;
  readonly operation: 'GenerateDataKey' | 'Decrypt' | 'Encrypt';
  readonly source: 'app' | 's3';
  /** The bucket (source `s3`). */
  readonly bucket?: string;
  /** Bucket Keys on the bucket (source `s3`); absent: read from the bucket's record, else off. */
  readonly bucketKeyEnabled?: boolean;
  /** Data-key cache limits (source `app`). */
  readonly caching?: CacheLimits | null;
  /** Bytes per message (for the cache's max bytes); default 1024. */
  readonly messageBytes?: number;
}

/** A workload as listed: its record's id, account, Region and data. */
export interface Workload extends WorkloadData {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  /** The operation it sends. */
  readonly operation?: string;
  /** The offered rate (messages or objects per second) before Bucket Keys and caching. */
  readonly offeredPerSecond?: number;
  readonly via?: 's3';
  readonly bucket?: string;
  readonly objectsPerSecond?: number;
  /** Whether it runs at sandbox time `now`. */
  readonly running: boolean;
}

const WORKLOAD_ID = /^workload\/(\d+)$/;

/** Why `x` is not a workload spec, or null. */
export function workloadSpecError(x: unknown): string | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'workload: expected an object';
  const w = x as Record<string, unknown>;
  if (typeof w.label !== 'string' || w.label.trim().length === 0 || w.label.length > 256) return 'label: expected 1–256 characters';
  const ce = callerError(w.caller);
  if (ce) return ce;
  if (typeof w.ratePerSecond !== 'number' || !(w.ratePerSecond > 0) || w.ratePerSecond > LOAD_LIMITS.maxRatePerSecond) {
    return `ratePerSecond: expected a rate above 0 and at most ${LOAD_LIMITS.maxRatePerSecond.toLocaleString('en-US')} per second`;
  }
  if (typeof w.seconds !== 'number' || !Number.isInteger(w.seconds) || w.seconds < 1 || w.seconds > LOAD_LIMITS.maxSeconds) return 'seconds: expected whole sandbox seconds from 1 to 86,400';
  if (w.operation !== 'GenerateDataKey' && w.operation !== 'Decrypt' && w.operation !== 'Encrypt') return 'operation: expected GenerateDataKey, Decrypt or Encrypt';
  if (w.source !== 'app' && w.source !== 's3') return "source: expected 'app' or 's3'";
  if (w.source === 's3') {
    const b = bucketNameProblem(w.bucket);
    if (b) return `bucket: ${b}`;
    if (w.operation === 'Encrypt') return 'operation: S3 calls GenerateDataKey (PutObject) or Decrypt (GetObject), never Encrypt';
    if (w.caching !== undefined && w.caching !== null) return 'caching: S3 does not use the Encryption SDK cache; use Bucket Keys';
  }
  if (w.bucketKeyEnabled !== undefined && typeof w.bucketKeyEnabled !== 'boolean') return 'bucketKeyEnabled: expected true or false';
  if (w.caching !== undefined && w.caching !== null) {
    const e = cacheLimitsError(w.caching);
    if (e) return e;
  }
  if (w.messageBytes !== undefined && (typeof w.messageBytes !== 'number' || !Number.isInteger(w.messageBytes) || w.messageBytes < 0)) return 'messageBytes: expected whole bytes ≥ 0';
  return null;
}

/**
 * Whether the bucket's record says Bucket Keys are on (the S3 simulation's bucket record,
 * `arn:aws:s3:::<bucket>`: a `bucketKeyEnabled` field, or S3's ServerSideEncryptionConfiguration).
 */
export function bucketKeyEnabledOf(kms: KmsService, bucket: string): boolean {
  const data = kms.world.getServiceResource(`arn:aws:s3:::${bucket}`)?.data as Record<string, unknown> | undefined;
  if (!data) return false;
  if (typeof data.bucketKeyEnabled === 'boolean') return data.bucketKeyEnabled;
  if (typeof data.BucketKeyEnabled === 'boolean') return data.BucketKeyEnabled;
  const sse = (data.encryption ?? data.ServerSideEncryptionConfiguration) as { Rules?: { BucketKeyEnabled?: unknown }[] } | undefined;
  return sse?.Rules?.[0]?.BucketKeyEnabled === true;
}

function workloadNumbers(kms: KmsService): number[] {
  return kms.world
    .listServiceResources({ service: 'workload', kind: 'workload' })
    .map((r) => WORKLOAD_ID.exec(r.id))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}

/**
 * Starts a workload now: writes `workload/<n>` (a logged world edit) and returns it. Throws
 * ValidationException (with the reason) for a bad spec.
 */
export async function startWorkload(kms: KmsService, spec: WorkloadSpec): Promise<Workload> {
  const e = workloadSpecError(spec);
  if (e) throw kmsError('ValidationException', `Invalid workload: ${e}`);
  const { accountId, region } = spec.caller;
  const bucketKeyEnabled = spec.source === 's3' ? (spec.bucketKeyEnabled ?? bucketKeyEnabledOf(kms, spec.bucket!)) : false;
  const rate = kmsRatePerSecond({ ...spec, bucketKeyEnabled });
  const quota = quotaFor(spec.operation, region, null) ?? symmetricQuota(region);
  const from = kms.now();
  const id = `workload/${Math.max(0, ...workloadNumbers(kms)) + 1}`;
  const data: Record<string, JsonValue> = {
    label: spec.label.trim(),
    quota: quota.id,
    ratePerSecond: rate,
    from,
    until: from + spec.seconds * 1000,
    operation: spec.operation,
    offeredPerSecond: spec.ratePerSecond,
  };
  if (spec.source === 's3') Object.assign(data, { via: 's3', bucket: spec.bucket!, objectsPerSecond: spec.ratePerSecond });
  if (spec.caching) data.caching = JSON.parse(JSON.stringify(spec.caching)) as JsonValue;
  await kms.world.putServiceResource({ id, service: 'workload', kind: 'workload', accountId: accountId, region: region, data });
  return listWorkloads(kms).find((w) => w.id === id)!;
}

/** Stops a workload (removes its record). NotFoundException when there is none. */
export async function stopWorkload(kms: KmsService, id: string): Promise<void> {
  const r = kms.world.getServiceResource(id);
  if (!r || r.service !== 'workload' || r.kind !== 'workload') throw kmsError('NotFoundException', `Workload ${id} does not exist.`);
  await kms.world.deleteServiceResource(id);
}

/** The sandbox's workloads (running or not), in id order. */
export function listWorkloads(kms: KmsService): Workload[] {
  const now = kms.now();
  const out: Workload[] = [];
  for (const r of kms.world.listServiceResources({ service: 'workload', kind: 'workload' })) {
    const w = workloadOf(r);
    if (!w) continue;
    const d = r.data;
    out.push({
      ...w,
      id: r.id,
      ...(typeof d.operation === 'string' ? { operation: d.operation } : {}),
      ...(typeof d.offeredPerSecond === 'number' ? { offeredPerSecond: d.offeredPerSecond } : {}),
      ...(d.via === 's3' ? { via: 's3' as const } : {}),
      ...(typeof d.bucket === 'string' ? { bucket: d.bucket } : {}),
      ...(typeof d.objectsPerSecond === 'number' ? { objectsPerSecond: d.objectsPerSecond } : {}),
      running: w.from <= now && now < w.until,
    });
  }
  return out;
}
