/**
 * The Services tab's lists (issue 8), read from the sandbox's committed `serviceResource` records
 * (world edits the simulated services wrote; they survive reload and replay), never by calling a
 * service. The record `data` belongs to the simulated service, so it is read defensively here:
 * a record of an unknown shape is skipped, never shown half-read.
 */
import type { JsonValue, ServiceResourceRecord } from '../../kms';

type Data = { readonly [k: string]: JsonValue };
const str = (d: Data, k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
const num = (d: Data, k: string): number | undefined => (typeof d[k] === 'number' && Number.isFinite(d[k]) ? (d[k] as number) : undefined);
const isObj = (v: JsonValue | undefined): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A bucket as the S3 section lists it. */
export interface BucketRow {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly sseAlgorithm: 'aws:kms' | 'AES256';
  /** KMSMasterKeyID as configured ('' when aws:kms names no key: aws/s3). */
  readonly kmsMasterKeyId: string;
  readonly bucketKeyEnabled: boolean;
}

/** An object as the S3 section lists it. */
export interface ObjectRow {
  readonly arn: string;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly lastModified: number;
  readonly sse: 'aws:kms' | 'AES256';
  /** The SSE-KMS key ARN ('' for SSE-S3). */
  readonly kmsKeyArn: string;
  readonly bucketKeyEnabled: boolean;
}

const sseOf = (v: string | undefined) => (v === 'aws:kms' || v === 'AES256' ? v : undefined);

/** The buckets of `accountId` (every Region), by name. */
export function bucketRows(records: readonly ServiceResourceRecord[], accountId: string): BucketRow[] {
  const out: BucketRow[] = [];
  for (const r of records) {
    if (r.service !== 's3' || r.kind !== 'bucket' || r.accountId !== accountId) continue;
    const name = str(r.data, 'name');
    const sse = sseOf(str(r.data, 'sseAlgorithm'));
    if (name === undefined || sse === undefined || typeof r.data['bucketKeyEnabled'] !== 'boolean') continue;
    out.push({ name, accountId: r.accountId, region: r.region, sseAlgorithm: sse, kmsMasterKeyId: str(r.data, 'kmsMasterKeyId') ?? '', bucketKeyEnabled: r.data['bucketKeyEnabled'] });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The objects of `bucket`, by key. */
export function objectRows(records: readonly ServiceResourceRecord[], bucket: string): ObjectRow[] {
  const out: ObjectRow[] = [];
  for (const r of records) {
    if (r.service !== 's3' || r.kind !== 'object' || str(r.data, 'bucket') !== bucket) continue;
    const key = str(r.data, 'key');
    const size = num(r.data, 'size');
    const sse = sseOf(str(r.data, 'sse'));
    if (key === undefined || size === undefined || sse === undefined) continue;
    out.push({
      arn: r.id,
      bucket,
      key,
      size,
      lastModified: num(r.data, 'lastModified') ?? 0,
      sse,
      kmsKeyArn: str(r.data, 'kmsKeyArn') ?? '',
      bucketKeyEnabled: r.data['bucketKeyEnabled'] === true,
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** An EBS volume as the EBS section lists it. */
export interface VolumeRow {
  readonly volumeId: string;
  readonly size: number;
  readonly availabilityZone: string;
  /** The KMS key (as stored by EBS: an ARN), '' for an unencrypted volume. */
  readonly kmsKeyId: string;
  readonly snapshotId: string;
  /** The attachment, or null when the volume is available. */
  readonly attachment: { readonly instanceId: string; readonly device: string; readonly grantId: string | null } | null;
}

/** An EBS snapshot as the EBS section lists it. */
export interface SnapshotRow {
  readonly snapshotId: string;
  readonly volumeId: string;
  readonly volumeSize: number;
  readonly description: string;
  readonly kmsKeyId: string;
  readonly startTime: number;
}

function keyOf(d: Data): string | undefined {
  const k = d['key'];
  if (k === null) return '';
  return isObj(k) ? str(k, 'kmsKeyId') : undefined;
}

/** The EBS volumes of `accountId` in `region`, oldest first. */
export function volumeRows(records: readonly ServiceResourceRecord[], where: { readonly accountId: string; readonly region: string }): VolumeRow[] {
  const out: (VolumeRow & { t: number })[] = [];
  for (const r of records) {
    if (r.service !== 'ec2' || r.kind !== 'volume' || r.accountId !== where.accountId || r.region !== where.region) continue;
    const d = r.data;
    const volumeId = str(d, 'volumeId');
    const size = num(d, 'size');
    const kmsKeyId = keyOf(d);
    if (volumeId === undefined || size === undefined || kmsKeyId === undefined) continue;
    const a = d['attachment'];
    const attachment = isObj(a) && str(a, 'instanceId') !== undefined ? { instanceId: str(a, 'instanceId')!, device: str(a, 'device') ?? '', grantId: str(a, 'grantId') ?? null } : null;
    out.push({ volumeId, size, availabilityZone: str(d, 'availabilityZone') ?? '', kmsKeyId, snapshotId: str(d, 'snapshotId') ?? '', attachment, t: num(d, 'createTime') ?? 0 });
  }
  return out.sort((x, y) => x.t - y.t || x.volumeId.localeCompare(y.volumeId)).map(({ t: _, ...row }) => row);
}

/** The EBS snapshots of `accountId` in `region`, oldest first. */
export function snapshotRows(records: readonly ServiceResourceRecord[], where: { readonly accountId: string; readonly region: string }): SnapshotRow[] {
  const out: SnapshotRow[] = [];
  for (const r of records) {
    if (r.service !== 'ec2' || r.kind !== 'snapshot' || r.accountId !== where.accountId || r.region !== where.region) continue;
    const d = r.data;
    const snapshotId = str(d, 'snapshotId');
    const kmsKeyId = keyOf(d);
    if (snapshotId === undefined || kmsKeyId === undefined) continue;
    out.push({ snapshotId, volumeId: str(d, 'volumeId') ?? '', volumeSize: num(d, 'volumeSize') ?? 0, description: str(d, 'description') ?? '', kmsKeyId, startTime: num(d, 'startTime') ?? 0 });
  }
  return out.sort((x, y) => x.startTime - y.startTime || x.snapshotId.localeCompare(y.snapshotId));
}

/** A Secrets Manager secret as its section lists it. */
export interface SecretRow {
  readonly arn: string;
  readonly name: string;
  readonly description: string;
  /** The key as configured ('' for aws/secretsmanager). */
  readonly kmsKeyId: string;
  readonly versions: number;
  /** The version labelled AWSCURRENT, '' when none. */
  readonly currentVersionId: string;
  /** Sandbox ms of its scheduled deletion, or null. */
  readonly deletionDate: number | null;
}

/** The secrets of `accountId` in `region`, by name. */
export function secretRows(records: readonly ServiceResourceRecord[], where: { readonly accountId: string; readonly region: string }): SecretRow[] {
  const out: SecretRow[] = [];
  for (const r of records) {
    if (r.service !== 'secretsmanager' || r.kind !== 'secret' || r.accountId !== where.accountId || r.region !== where.region) continue;
    const d = r.data;
    const name = str(d, 'name');
    const versions = d['versions'];
    if (name === undefined || !Array.isArray(versions)) continue;
    const current = versions.find((v) => isObj(v) && Array.isArray(v['stages']) && v['stages'].includes('AWSCURRENT'));
    out.push({
      arn: r.id,
      name,
      description: str(d, 'description') ?? '',
      kmsKeyId: str(d, 'kmsKeyId') ?? '',
      versions: versions.length,
      currentVersionId: isObj(current) ? (str(current, 'versionId') ?? '') : '',
      deletionDate: num(d, 'deletionDate') ?? null,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
