/**
 * The S3 forms of the Services tab (issue 8) turned into S3 requests, in S3's own shapes
 * (src/services/s3.ts): CreateBucket, PutBucketEncryption (default encryption: SSE-KMS with a key
 * or `aws/s3`, S3 Bucket Keys on or off, or SSE-S3), PutObject (text or file bytes, an optional
 * per-request key and encryption context). The form says what is wrong before anything is sent
 * (S3's bucket naming rules, object key length); everything else is left to the simulated S3,
 * whose error reaches the learner as S3 names it.
 */
import { utf8 } from '../format';
import { toEncryptionContext, type ContextEntry } from '../workbench/context';

/** A form's outcome: the request, or what to fix. */
export type FormResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/**
 * S3's general purpose bucket naming rules (S3 user guide, "Bucket naming rules"): 3–63
 * characters; lowercase letters, digits, dots and hyphens; a letter or digit at both ends; no two
 * adjacent dots; not an IP address; not the reserved prefixes and suffixes. Null when valid.
 */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return 'A bucket name has 3 to 63 characters.';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'A bucket name uses only lowercase letters, digits, dots (.) and hyphens (-).';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'A bucket name begins and ends with a letter or a digit.';
  if (name.includes('..')) return 'A bucket name has no two adjacent dots.';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'A bucket name is not formatted as an IP address.';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'A bucket name does not start with xn--, sthree- or amzn-s3-demo-.';
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)) return 'A bucket name does not end with -s3alias, --ol-s3, .mrap or --x-s3.';
  return null;
}

/** The CreateBucket request of a typed name (trimmed), or the naming rule it breaks. */
export function createBucketInput(name: string): FormResult<{ Bucket: string }> {
  const bucket = name.trim();
  const problem = bucketNameProblem(bucket);
  return problem ? { ok: false, problem } : { ok: true, value: { Bucket: bucket } };
}

/** The default-encryption form. `keyArn` `''` means the AWS managed key aws/s3. */
export interface EncryptionForm {
  readonly sse: 'aws:kms' | 'AES256';
  readonly keyArn: string;
  readonly bucketKey: boolean;
}

/** The PutBucketEncryption request of the default-encryption form. */
export function putBucketEncryptionInput(bucket: string, form: EncryptionForm) {
  const sse = form.sse === 'aws:kms' ? { SSEAlgorithm: 'aws:kms' as const, ...(form.keyArn ? { KMSMasterKeyID: form.keyArn } : {}) } : { SSEAlgorithm: 'AES256' as const };
  return {
    Bucket: bucket,
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: sse, BucketKeyEnabled: form.sse === 'aws:kms' && form.bucketKey }] },
  };
}

/** Which key a PutObject asks for: the bucket's default, the AWS managed key, or a key ARN. */
export type ObjectKeyChoice = { readonly kind: 'bucket-default' } | { readonly kind: 'aws-managed' } | { readonly kind: 'key'; readonly arn: string };

/** The put-object form. */
export interface PutObjectForm {
  readonly bucket: string;
  readonly key: string;
  /** The object body: typed text (UTF-8) or a chosen file's bytes. */
  readonly body: Uint8Array;
  readonly keyChoice: ObjectKeyChoice;
  readonly context: readonly ContextEntry[];
  /** Largest body the simulation stores. */
  readonly maxBytes: number;
}

/** Base64 of the UTF-8 JSON of a context, as S3's `x-amz-server-side-encryption-context` header carries it. */
export function encodeS3Context(context: Readonly<Record<string, string>>): string {
  const bytes = utf8(JSON.stringify(context));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The PutObject request of the form, or what to fix first. */
export function putObjectInput(form: PutObjectForm): FormResult<{
  Bucket: string;
  Key: string;
  Body: Uint8Array;
  ServerSideEncryption?: 'aws:kms';
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
}> {
  if (form.bucket === '') return { ok: false, problem: 'Choose a bucket first.' };
  if (form.key === '') return { ok: false, problem: 'Give the object a key (its name in the bucket).' };
  if (utf8(form.key).length > 1024) return { ok: false, problem: 'An object key is at most 1,024 bytes of UTF-8.' };
  if (form.body.length > form.maxBytes) return { ok: false, problem: `The simulation stores objects of at most ${form.maxBytes.toLocaleString('en-US')} bytes.` };
  const ctx = toEncryptionContext(form.context);
  if (!ctx.ok) return ctx;
  const explicit = form.keyChoice.kind !== 'bucket-default' || ctx.value !== undefined;
  return {
    ok: true,
    value: {
      Bucket: form.bucket,
      Key: form.key,
      Body: form.body,
      ...(explicit ? { ServerSideEncryption: 'aws:kms' as const } : {}),
      ...(form.keyChoice.kind === 'key' ? { SSEKMSKeyId: form.keyChoice.arn } : {}),
      ...(ctx.value ? { SSEKMSEncryptionContext: encodeS3Context(ctx.value) } : {}),
    },
  };
}
