/**
 * The EBS forms of the Services tab (issue 8) turned into EC2 requests (src/services/ebs.ts):
 * CreateVolume (an encrypted gp3 volume under aws/ebs or a customer key), AttachVolume (an
 * instance id), CopySnapshot (to another key). Checked here: what EC2 would refuse as
 * InvalidParameterValue before any KMS call; the rest is the simulated EC2's to answer.
 */
import type { FormResult } from './s3Forms';

/** Largest gp3 volume (GiB). */
export const MAX_GIB = 16_384;
/** An instance id as EC2 writes them (the sandbox has no instances: any well-formed id attaches). */
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The CreateVolume request of the form (`keyArn` '' = aws/ebs), or what to fix. */
export function createVolumeInput(form: { readonly sizeGiB: number; readonly keyArn: string; readonly availabilityZone: string }): FormResult<{
  Size: number;
  Encrypted: true;
  AvailabilityZone: string;
  KmsKeyId?: string;
}> {
  if (!Number.isInteger(form.sizeGiB) || form.sizeGiB < 1 || form.sizeGiB > MAX_GIB) return { ok: false, problem: `A gp3 volume has 1 to ${MAX_GIB.toLocaleString('en-US')} GiB.` };
  return { ok: true, value: { Size: form.sizeGiB, Encrypted: true, AvailabilityZone: form.availabilityZone, ...(form.keyArn ? { KmsKeyId: form.keyArn } : {}) } };
}

/** Null when `id` is an EC2 instance id (`i-` and 8 or 17 hex digits), else what is wrong. */
export function instanceIdProblem(id: string): string | null {
  return INSTANCE_ID.test(id) ? null : 'An instance id is i- followed by 8 or 17 lowercase hex digits (e.g. i-0123456789abcdef0).';
}

/** The CopySnapshot request to `keyArn` ('' = aws/ebs) in the same Region. */
export function copySnapshotInput(snapshotId: string, keyArn: string, region: string) {
  return { SourceSnapshotId: snapshotId, SourceRegion: region, Encrypted: true, ...(keyArn ? { KmsKeyId: keyArn } : {}) };
}
