/**
 * Export of the trail panel: a file shaped like the ones CloudTrail delivers to S3,
 * `{"Records": [ ... ]}`, holding the CloudTrail records (not the playground's envelope around
 * them, nor the authorization traces, which CloudTrail does not have), newest first as shown.
 */
import type { CloudTrailRecord, TrailEventRecord } from '../../kms';

/** The CloudTrail log file shape. */
export interface CloudTrailFile {
  readonly Records: readonly CloudTrailRecord[];
}

/** The file content for `records`. */
export function cloudTrailFile(records: readonly TrailEventRecord[]): CloudTrailFile {
  return { Records: records.map((r) => r.record) };
}

/** The JSON text of the file (indented, as people read it). */
export function cloudTrailJson(records: readonly TrailEventRecord[]): string {
  return `${JSON.stringify(cloudTrailFile(records), null, 2)}\n`;
}

/**
 * File name with the sandbox time, e.g. `kms-playground-trail-20260115T120000Z.json`
 * (CloudTrail names its files with a compact UTC time the same way).
 */
export function exportFileName(sandboxNow: number): string {
  const iso = new Date(sandboxNow).toISOString();
  return `kms-playground-trail-${iso.slice(0, 19).replace(/[-:]/g, '')}Z.json`;
}
