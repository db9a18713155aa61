/**
 * How S3 Bucket Keys change S3's calls to KMS — the model the S3 simulation, the load generator
 * and the cost model share (kms-semantics.md §11).
 *
 * AWS: with `BucketKeyEnabled`, S3 asks KMS for a bucket-level key and derives per-object data
 * keys from it "for a time-limited period", cutting S3→KMS requests "by up to 99%". AWS does not
 * publish the period or how many objects one bucket key serves, so this is a modelling choice,
 * stated here once: one bucket key serves at most `maxObjects` objects and at most `maxAgeMs` of
 * sandbox time, whichever ends first. 100 objects is what makes "up to 99%" true at high rates;
 * at one object every few minutes a bucket key saves nothing, as in AWS.
 */
export const BUCKET_KEY_MODEL = { maxObjects: 100, maxAgeMs: 5 * 60_000 } as const;

/**
 * KMS requests per second S3 sends for `objectsPerSecond` PUTs (GenerateDataKey) or GETs
 * (Decrypt) of SSE-KMS objects: one per object, or with Bucket Keys one per bucket key.
 */
export function s3KmsRequestsPerSecond(objectsPerSecond: number, bucketKeyEnabled: boolean): number {
  if (!(objectsPerSecond > 0)) return 0;
  if (!bucketKeyEnabled) return objectsPerSecond;
  const perKeyLifetime = objectsPerSecond * (BUCKET_KEY_MODEL.maxAgeMs / 1000);
  const objectsPerKey = Math.min(BUCKET_KEY_MODEL.maxObjects, Math.max(1, perKeyLifetime));
  return objectsPerSecond / objectsPerKey;
}
