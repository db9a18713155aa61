/**
 * Simulated Amazon S3 with server-side encryption (issue 8): buckets, objects, SSE-KMS and S3
 * Bucket Keys, calling the real sandbox KMS the way S3 does (kms-semantics.md §6.3, §10, §11).
 *
 * What S3 does, and so this module (S3 user guide "UsingKMSEncryption", "bucket-key",
 * "Encryption context"; CloudTrail examples of S3's KMS calls):
 * - PutObject of an SSE-KMS object calls `GenerateDataKey` (KeySpec AES_256) as the requester,
 *   through S3 (`kms:ViaService = s3.<bucket Region>.amazonaws.com`; the trail shows
 *   `invokedBy: s3.amazonaws.com`), with EncryptionContext `{"aws:s3:arn": "arn:aws:s3:::bucket/key"}`
 *   merged with the requester's `SSEKMSEncryptionContext`. S3 encrypts the body with the data key
 *   and keeps only the encrypted data key. GetObject calls `Decrypt` with the same context.
 * - No key named: the AWS managed key `aws/s3` (`DescribeKey alias/aws/s3` first, which creates it
 *   on first use; the ARN it answers is remembered per account and Region for this S3 instance).
 * - Bucket Keys (`BucketKeyEnabled`): S3 asks KMS for a bucket-level key with the BUCKET ARN as
 *   context and derives a key per object locally (HKDF-SHA256 over the bucket key and a random
 *   per-object salt), so one KMS call serves many objects (`BUCKET_KEY_MODEL` in s3Model.ts: at most
 *   100 objects or 5 sandbox minutes). Key policies conditioned on an object ARN in
 *   `kms:EncryptionContext:aws:s3:arn` stop matching — the trap of lesson 14.
 * - A KMS failure surfaces as S3 reports it (see `s3ErrorOfKms`).
 *
 * The body is really encrypted (AES-256-GCM, WebCrypto) and stored base64 in a
 * `serviceResource` record with the encrypted data key (or encrypted bucket key and salt); the
 * plaintext data key is never stored. Every bucket and object is a world edit
 * (`putServiceResource`), so it survives reload and replays with the log.
 *
 * Modelling choices, stated once:
 * - Bucket key caches are in memory per S3 instance, keyed by bucket, KMS key, requester and
 *   encryption context (a cached key is never handed to another principal: that principal must go
 *   through KMS authorization itself; AWS does not document how it scopes the cache). After a
 *   reload the caches are empty, so the next request calls KMS again.
 * - A requester's `SSEKMSEncryptionContext` is still sent to KMS with a Bucket Key (merged with the
 *   bucket ARN), and objects with different contexts get different bucket keys.
 * - SSE-S3 (`AES256`) objects are encrypted with a key S3 derives from a fixed, public simulator
 *   constant: S3's own keys are outside KMS and not what this sandbox teaches.
 * - Access to a bucket is its owning account's only (no bucket policies or ACLs): another account
 *   gets `AccessDenied`. Objects are at most `MAX_OBJECT_BYTES` (a record holds ≤ 1 MiB of JSON).
 * - Not simulated: versioning, multipart upload, CopyObject, SSE-C, DSSE-KMS, checksums, Range.
 * This file is past STYLE's 600 lines on purpose: S3's API surface (nine operations with their
 * shapes), its validation and the Bucket Key cache belong together, and the services layer's file
 * list for issue 8 is fixed (s3.ts, secretsManager.ts, serviceErrors.ts).
 *
 * Stored object format (`data` of a `kind: 'object'` record; cross-checked with node:crypto in
 * the tests): body = AES-256-GCM(key, iv, AAD = UTF-8 object ARN), `ciphertext` = ciphertext ‖
 * 16-byte tag; key = the data key (SSE-KMS), or HKDF-SHA256(ikm = bucket key, salt, info =
 * "kms-playground s3 object key v1\0" ‖ object ARN, 32 bytes) with a Bucket Key, or the same HKDF
 * over the public SSE-S3 constant.
 */
import { gcmOpen, gcmSeal } from './aesGcm';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { isRegion, type AwsShape, type CallerContext, type KmsService, type ServiceResourceRecord } from '../kms';
import { decodeBase64, encodeBase64 } from '../kms/crypto';
import { BUCKET_KEY_MODEL, s3KmsRequestsPerSecond } from './s3Model';
import { guarded, oneAtATime, recordedKmsCall, ServiceError, type KmsCallSummary, type KmsErrorInfo, type ServiceGuardErrors } from './serviceErrors';

/** Largest object body the simulation stores (bytes): the record's JSON must stay under 1 MiB. */
export const MAX_OBJECT_BYTES = 512 * 1024;

export type { KmsCallSummary };

/** Every S3 output carries the KMS calls the request made. */
export interface WithKmsCalls {
  readonly kmsCalls: readonly KmsCallSummary[];
}

export type ServerSideEncryption = 'aws:kms' | 'AES256';

export interface ServerSideEncryptionRule {
  readonly ApplyServerSideEncryptionByDefault: { readonly SSEAlgorithm: ServerSideEncryption; readonly KMSMasterKeyID?: string };
  readonly BucketKeyEnabled?: boolean;
}

export interface CreateBucketInput {
  readonly Bucket: string;
  readonly CreateBucketConfiguration?: { readonly LocationConstraint?: string };
}
export interface PutBucketEncryptionInput {
  readonly Bucket: string;
  readonly ServerSideEncryptionConfiguration: { readonly Rules: readonly ServerSideEncryptionRule[] };
}
export interface PutObjectInput {
  readonly Bucket: string;
  readonly Key: string;
  /** The object's bytes; a string is stored as its UTF-8 bytes. */
  readonly Body: Uint8Array | string;
  readonly ServerSideEncryption?: ServerSideEncryption;
  readonly SSEKMSKeyId?: string;
  /** Base64 of a UTF-8 JSON object of string values (as the S3 API sends it). */
  readonly SSEKMSEncryptionContext?: string;
  readonly BucketKeyEnabled?: boolean;
}
export interface ObjectInput {
  readonly Bucket: string;
  readonly Key: string;
}

/** Encryption members of PutObject, GetObject and HeadObject outputs. */
export interface ObjectEncryption {
  readonly ServerSideEncryption: ServerSideEncryption;
  /** The KMS key ARN (SSE-KMS only). */
  readonly SSEKMSKeyId?: string;
  /** The requester's encryption context, base64 JSON as S3 returns it (SSE-KMS only). */
  readonly SSEKMSEncryptionContext?: string;
  readonly BucketKeyEnabled?: boolean;
}
export interface PutObjectOutput extends ObjectEncryption, WithKmsCalls {
  readonly ETag: string;
}
export interface HeadObjectOutput extends ObjectEncryption, WithKmsCalls {
  readonly ETag: string;
  readonly ContentLength: number;
  readonly LastModified: Date;
}
export interface GetObjectOutput extends HeadObjectOutput {
  readonly Body: Uint8Array;
}
export interface ListObjectsV2Output extends WithKmsCalls {
  readonly Name: string;
  readonly Prefix: string;
  readonly KeyCount: number;
  readonly IsTruncated: false;
  readonly Contents: readonly { readonly Key: string; readonly Size: number; readonly ETag: string; readonly LastModified: Date }[];
}
export interface ListBucketsOutput extends WithKmsCalls {
  readonly Buckets: readonly { readonly Name: string; readonly CreationDate: Date; readonly BucketRegion: string }[];
}

/** The simulated S3. Every method answers S3-shaped output or throws a `ServiceError`. */
export interface S3 {
  CreateBucket(caller: CallerContext, input: CreateBucketInput): Promise<{ readonly Location: string } & WithKmsCalls>;
  PutBucketEncryption(caller: CallerContext, input: PutBucketEncryptionInput): Promise<WithKmsCalls>;
  GetBucketEncryption(
    caller: CallerContext,
    input: { readonly Bucket: string },
  ): Promise<{ readonly ServerSideEncryptionConfiguration: { readonly Rules: readonly ServerSideEncryptionRule[] } } & WithKmsCalls>;
  PutObject(caller: CallerContext, input: PutObjectInput): Promise<PutObjectOutput>;
  GetObject(caller: CallerContext, input: ObjectInput): Promise<GetObjectOutput>;
  HeadObject(caller: CallerContext, input: ObjectInput): Promise<HeadObjectOutput>;
  ListObjectsV2(caller: CallerContext, input: { readonly Bucket: string; readonly Prefix?: string }): Promise<ListObjectsV2Output>;
  ListBuckets(caller: CallerContext, input?: Record<string, never>): Promise<ListBucketsOutput>;
  DeleteObject(caller: CallerContext, input: ObjectInput): Promise<WithKmsCalls>;
  /** Runs `operation` (one of `S3_OPERATIONS`) with an untrusted input, as lessons and the UI do. */
  call(operation: string, input: unknown, caller: CallerContext): Promise<WithKmsCalls & Record<string, unknown>>;
}

/** The S3 operations the simulation answers. */
export const S3_OPERATIONS = [
  'CreateBucket',
  'PutBucketEncryption',
  'GetBucketEncryption',
  'PutObject',
  'GetObject',
  'HeadObject',
  'ListObjectsV2',
  'ListBuckets',
  'DeleteObject',
] as const;

/** `arn:aws:s3:::<bucket>` */
export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}
/** `arn:aws:s3:::<bucket>/<key>` */
export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

// ---- persisted shapes (serviceResource.data; validated on every read) ----

interface BucketData {
  readonly name: string;
  /** Sandbox ms of CreateBucket. */
  readonly createdAt: number;
  readonly sseAlgorithm: ServerSideEncryption;
  /** KMSMasterKeyID as configured (id, ARN or alias), absent: aws/s3. */
  readonly kmsMasterKeyId?: string;
  readonly bucketKeyEnabled: boolean;
}

interface ObjectData {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: number;
  readonly sse: ServerSideEncryption;
  /** KMS key ARN (SSE-KMS). */
  readonly kmsKeyArn?: string;
  /** The requester's context, base64 JSON as given (SSE-KMS). */
  readonly context?: string;
  readonly bucketKeyEnabled: boolean;
  /** Encrypted data key, or encrypted bucket key with a Bucket Key (base64 CiphertextBlob). */
  readonly encryptedKey?: string;
  /** HKDF salt of the per-object key (Bucket Key and SSE-S3), base64. */
  readonly salt?: string;
  /** AES-GCM nonce, base64. */
  readonly iv: string;
  /** AES-GCM ciphertext and tag of the body, base64 (empty when left out of a share). */
  readonly ciphertext: string;
  /** The body was left out when the sandbox was shared without its inputs (kms/log.ts redactLogEntry). */
  readonly contentLeftOut?: boolean;
}

/** S3's answers to an unknown caller and to an internal failure. */
const S3_GUARD: ServiceGuardErrors = {
  unknownCaller: () => new ServiceError('InvalidAccessKeyId', 'The AWS access key Id you provided does not exist in our records.', 403),
  internal: (message) => new ServiceError('InternalError', `We encountered an internal error. Please try again. (${message})`, 500),
};

/** GetObject of an object whose body a share left out (simulator-specific; S3's nearest error name). */
function contentLeftOut(): ServiceError {
  return new ServiceError('InvalidObjectState', 'This object\'s content was left out when the sandbox was shared without its inputs; its metadata and KMS calls are all here.', 403);
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isOptStr = (v: unknown) => v === undefined || typeof v === 'string';
const isSse = (v: unknown): v is ServerSideEncryption => v === 'aws:kms' || v === 'AES256';

function bucketDataOf(r: ServiceResourceRecord | undefined): BucketData | null {
  if (!r || r.service !== 's3' || r.kind !== 'bucket') return null;
  const d = r.data as Record<string, unknown>;
  if (!isStr(d.name) || !Number.isSafeInteger(d.createdAt) || !isSse(d.sseAlgorithm) || !isOptStr(d.kmsMasterKeyId) || typeof d.bucketKeyEnabled !== 'boolean') return null;
  return d as unknown as BucketData;
}

function objectDataOf(r: ServiceResourceRecord | undefined): ObjectData | null {
  if (!r || r.service !== 's3' || r.kind !== 'object') return null;
  const d = r.data as Record<string, unknown>;
  const ok =
    isStr(d.bucket) && isStr(d.key) && Number.isSafeInteger(d.size) && isStr(d.etag) && Number.isSafeInteger(d.lastModified) && isSse(d.sse) &&
    isOptStr(d.kmsKeyArn) && isOptStr(d.context) && typeof d.bucketKeyEnabled === 'boolean' && isOptStr(d.encryptedKey) && isOptStr(d.salt) &&
    isStr(d.iv) && isStr(d.ciphertext);
  return ok ? (d as unknown as ObjectData) : null;
}

// ---- errors (S3's codes and messages) ----

const err = {
  invalidBucketName: (b: string) => new ServiceError('InvalidBucketName', `The specified bucket is not valid. (${JSON.stringify(b).slice(0, 80)})`, 400),
  noSuchBucket: () => new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404),
  noSuchKey: () => new ServiceError('NoSuchKey', 'The specified key does not exist.', 404),
  accessDenied: () => new ServiceError('AccessDenied', 'Access Denied', 403),
  invalidArgument: (m: string) => new ServiceError('InvalidArgument', m, 400),
  invalidRequest: (m: string) => new ServiceError('InvalidRequest', m, 400),
  internal: (m: string) => new ServiceError('InternalError', m, 500),
};

/**
 * S3's error for a failed KMS call (`operation`, for the key `keyId` S3 asked for):
 * - AccessDeniedException → 403 `AccessDenied` with KMS's message (S3 passes KMS's "User: … is not
 *   authorized to perform: kms:GenerateDataKey …" through; seen in real S3 error messages);
 * - ThrottlingException → 503 `SlowDown`, "Please reduce your request rate for operations
 *   involving AWS KMS." (as seen from S3 in real logs);
 * - NotFoundException → 400 `KMS.NotFoundException` ("Invalid keyId …" at PutObject, as the AWS
 *   CLI reports it);
 * - every other KMS error → 400 `KMS.<name>` with KMS's message (`KMS.DisabledException`,
 *   `KMS.KMSInvalidStateException` are documented S3 codes; the others follow the same pattern,
 *   which is unverified).
 */
export function s3ErrorOfKms(info: KmsErrorInfo, operation: string, keyId?: string): ServiceError {
  switch (info.name) {
    case 'AccessDeniedException':
      return new ServiceError('AccessDenied', info.message, 403, info);
    case 'ThrottlingException':
      return new ServiceError('SlowDown', 'Please reduce your request rate for operations involving AWS KMS.', 503, info);
    case 'NotFoundException':
      return new ServiceError('KMS.NotFoundException', operation === 'GenerateDataKey' && keyId !== undefined ? `Invalid keyId ${keyId}` : info.message, 400, info);
    default:
      return new ServiceError(`KMS.${info.name}`, info.message, 400, info);
  }
}

// ---- input validation ----

/** S3 bucket naming rules (general purpose buckets): 3–63 characters of a-z, 0-9, '.', '-'. */
export function bucketNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'expected a string';
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'only lowercase letters, digits, dots and hyphens; begin and end with a letter or digit';
  if (name.includes('..')) return 'no two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'not formatted as an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.endsWith('-s3alias') || name.endsWith('--ol-s3')) return 'reserved prefix or suffix';
  return null;
}

function requireObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw err.invalidArgument('The request must be an object of S3 request members.');
  return input as Record<string, unknown>;
}

function requireBucketName(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw err.invalidArgument('Bucket: a bucket name is required.');
  if (bucketNameProblem(v) !== null) throw err.invalidBucketName(v);
  return v;
}

function requireObjectKey(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw err.invalidArgument('Key: an object key is required.');
  if (new TextEncoder().encode(v).length > 1024) throw new ServiceError('KeyTooLongError', 'Your key is too long', 400);
  return v;
}

function optionalBoolean(v: unknown, member: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw err.invalidArgument(`${member}: expected true or false.`);
  return v;
}

/** Decodes `SSEKMSEncryptionContext` (base64 UTF-8 JSON of string values). */
function decodeCustomerContext(v: unknown, objArn: string): Record<string, string> {
  if (v === undefined) return {};
  const bad = () => err.invalidArgument('The header x-amz-server-side-encryption-context must be a base64-encoded UTF-8 string holding JSON with the encryption context key-value pairs.');
  if (typeof v !== 'string' || v.length > 8192) throw bad();
  const bytes = decodeBase64(v);
  if (bytes === null) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
  // A prototype-less map: a key such as `__proto__` is kept as a pair, never dropped.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, val] of Object.entries(parsed)) {
    if (typeof val !== 'string' || k.length === 0) throw bad();
    out[k] = val;
  }
  // S3 sets aws:s3:arn itself; a requester's value must agree (S3's exact check is unverified).
  if ('aws:s3:arn' in out && out['aws:s3:arn'] !== objArn) throw err.invalidArgument('The encryption context key aws:s3:arn is reserved: S3 sets it to the object ARN.');
  return out;
}

function contextKey(ctx: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(ctx).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// ---- crypto ----

const OBJECT_KEY_INFO = 'kms-playground s3 object key v1\0';
/** Public constant standing in for S3's own SSE-S3 keys (not secret: the simulator says so). */
const SSE_S3_SIMULATED_ROOT = new TextEncoder().encode('kms-playground simulated SSE-S3 root key (public, not a secret)');

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** The per-object key S3 derives from a bucket key (or the SSE-S3 root) and the object's salt. */
function deriveObjectKey(root: Uint8Array, salt: Uint8Array, objArn: string): Uint8Array {
  return hkdf(sha256, root, salt, new TextEncoder().encode(OBJECT_KEY_INFO + objArn), 32);
}

async function sealBody(key: Uint8Array, body: Uint8Array, objArn: string): Promise<{ iv: Uint8Array; ciphertext: Uint8Array }> {
  const iv = randomBytes(12);
  const ciphertext = await gcmSeal(key, iv, new TextEncoder().encode(objArn), body);
  return { iv, ciphertext };
}

async function openBody(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, objArn: string): Promise<Uint8Array> {
  try {
    return await gcmOpen(key, iv, new TextEncoder().encode(objArn), ciphertext);
  } catch {
    throw err.internal('The stored object failed its integrity check (AES-GCM tag mismatch).');
  }
}

function etagOf(ciphertext: Uint8Array): string {
  const h = sha256(ciphertext).subarray(0, 16);
  return `"${Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

function b64(v: string | undefined, what: string): Uint8Array {
  const bytes = v === undefined ? null : decodeBase64(v);
  if (bytes === null) throw err.internal(`The stored object is damaged (${what}).`);
  return bytes;
}

// ---- the service ----

/** A live bucket key (plaintext in memory only) and how much of BUCKET_KEY_MODEL it has used. */
interface BucketKeyEntry {
  readonly plaintext: Uint8Array;
  readonly encrypted: string;
  readonly keyArn: string;
  readonly createdAt: number;
  uses: number;
}

function isLive(e: BucketKeyEntry | undefined, now: number): boolean {
  return e !== undefined && e.uses < BUCKET_KEY_MODEL.maxObjects && now - e.createdAt < BUCKET_KEY_MODEL.maxAgeMs && now >= e.createdAt;
}

/** Creates a simulated S3 over the sandbox KMS `kms` (state lives in `kms.world` service resources). */
export function createS3(kms: KmsService): S3 {
  /** Bucket keys S3 encrypts with: bucket|keyId|principal|context → entry. */
  const putKeys = new Map<string, BucketKeyEntry>();
  /** Decrypted bucket keys for GETs: bucket|principal|encrypted key → entry. */
  const getKeys = new Map<string, BucketKeyEntry>();
  /** ARN of aws/s3 per account|Region, learnt from DescribeKey. */
  const awsManaged = new Map<string, string>();
  /** One request at a time: a Bucket Key is handed out and counted before the next request looks. */
  const serialized = oneAtATime();

  const world = kms.world;

  const callKms = (op: string, request: AwsShape, caller: CallerContext, calls: KmsCallSummary[], keyId?: string): Promise<AwsShape> =>
    recordedKmsCall(kms, op, request, caller, calls, (info) => s3ErrorOfKms(info, op, keyId));

  /** The bucket record of `name`, which `caller`'s account must own. */
  function ownedBucket(caller: CallerContext, name: string): { data: BucketData; record: ServiceResourceRecord } {
    const record = world.getServiceResource(bucketArn(name));
    if (!record) throw err.noSuchBucket();
    const data = bucketDataOf(record);
    if (!data) throw err.internal('The stored bucket record is damaged.');
    if (record.accountId !== caller.accountId) throw err.accessDenied();
    return { data, record };
  }

  function ownedObject(caller: CallerContext, input: unknown): { bucket: ServiceResourceRecord; obj: ObjectData; arn: string } {
    const i = requireObject(input);
    const name = requireBucketName(i.Bucket);
    const key = requireObjectKey(i.Key);
    const { record } = ownedBucket(caller, name);
    const arn = objectArn(name, key);
    const r = world.getServiceResource(arn);
    if (!r) throw err.noSuchKey();
    const obj = objectDataOf(r);
    if (!obj) throw err.internal('The stored object record is damaged.');
    return { bucket: record, obj, arn };
  }

  /** The caller S3 acts as toward KMS: the requester, through S3 in the bucket's Region. */
  function viaS3(caller: CallerContext, bucket: ServiceResourceRecord): CallerContext {
    return { ...caller, region: bucket.region, viaService: `s3.${bucket.region}.amazonaws.com` };
  }

  async function awsManagedKeyArn(kmsCaller: CallerContext, calls: KmsCallSummary[]): Promise<string> {
    const k = `${kmsCaller.accountId}|${kmsCaller.region}`;
    const known = awsManaged.get(k);
    if (known !== undefined) return known;
    const r = await callKms('DescribeKey', { KeyId: 'alias/aws/s3' }, kmsCaller, calls, 'alias/aws/s3');
    const arn = (r.KeyMetadata as { Arn?: unknown } | undefined)?.Arn;
    if (typeof arn !== 'string') throw err.internal('DescribeKey answered without a key ARN.');
    awsManaged.set(k, arn);
    return arn;
  }

  function encryptionOutput(o: ObjectData): ObjectEncryption {
    if (o.sse === 'AES256') return { ServerSideEncryption: 'AES256', ...(o.bucketKeyEnabled ? { BucketKeyEnabled: true } : {}) };
    return {
      ServerSideEncryption: 'aws:kms',
      ...(o.kmsKeyArn !== undefined ? { SSEKMSKeyId: o.kmsKeyArn } : {}),
      ...(o.context !== undefined ? { SSEKMSEncryptionContext: o.context } : {}),
      ...(o.bucketKeyEnabled ? { BucketKeyEnabled: true } : {}),
    };
  }

  async function createBucket(caller: CallerContext, input: unknown) {
    const i = requireObject(input);
    const name = requireBucketName(i.Bucket);
    let region: string = caller.region;
    if (i.CreateBucketConfiguration !== undefined) {
      const c = requireObject(i.CreateBucketConfiguration);
      if (c.LocationConstraint !== undefined) {
        if (typeof c.LocationConstraint !== 'string' || !isRegion(c.LocationConstraint)) throw new ServiceError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400);
        region = c.LocationConstraint;
      }
    }
    const existing = world.getServiceResource(bucketArn(name));
    if (existing) {
      if (existing.accountId === caller.accountId) throw new ServiceError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
      throw new ServiceError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409);
    }
    // Since January 2023 every new bucket has SSE-S3 as its default encryption.
    const data: BucketData = { name, createdAt: kms.now(), sseAlgorithm: 'AES256', bucketKeyEnabled: false };
    await world.putServiceResource({ id: bucketArn(name), service: 's3', kind: 'bucket', accountId: caller.accountId, region: region as CallerContext['region'], data: { ...data } });
    return { Location: `/${name}`, kmsCalls: [] };
  }

  async function putBucketEncryption(caller: CallerContext, input: unknown) {
    const i = requireObject(input);
    const name = requireBucketName(i.Bucket);
    const { data, record } = ownedBucket(caller, name);
    const cfg = i.ServerSideEncryptionConfiguration;
    const rules = typeof cfg === 'object' && cfg !== null ? (cfg as { Rules?: unknown }).Rules : undefined;
    if (!Array.isArray(rules) || rules.length !== 1) throw new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema (one Rule expected).', 400);
    const rule = requireObject(rules[0]);
    const def = requireObject(rule.ApplyServerSideEncryptionByDefault ?? null);
    if (!isSse(def.SSEAlgorithm)) throw new ServiceError('MalformedXML', 'SSEAlgorithm must be aws:kms or AES256 (aws:kms:dsse is not simulated).', 400);
    const bucketKey = optionalBoolean(rule.BucketKeyEnabled, 'BucketKeyEnabled') ?? false;
    let kmsMasterKeyId: string | undefined;
    if (def.KMSMasterKeyID !== undefined) {
      if (def.SSEAlgorithm !== 'aws:kms') throw err.invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms');
      if (typeof def.KMSMasterKeyID !== 'string' || def.KMSMasterKeyID.length === 0 || def.KMSMasterKeyID.length > 2048) throw err.invalidArgument('KMSMasterKeyID: expected a key id, key ARN or alias.');
      kmsMasterKeyId = def.KMSMasterKeyID;
    }
    const next: BucketData = {
      name: data.name,
      createdAt: data.createdAt,
      sseAlgorithm: def.SSEAlgorithm,
      ...(kmsMasterKeyId !== undefined ? { kmsMasterKeyId } : {}),
      bucketKeyEnabled: bucketKey,
    };
    await world.putServiceResource({ id: record.id, service: 's3', kind: 'bucket', accountId: record.accountId, region: record.region, data: { ...next } });
    if (next.bucketKeyEnabled !== data.bucketKeyEnabled || next.sseAlgorithm !== data.sseAlgorithm) await refreshBucketWorkloads(kms, name);
    return { kmsCalls: [] };
  }

  async function getBucketEncryption(caller: CallerContext, input: unknown) {
    const i = requireObject(input);
    const { data } = ownedBucket(caller, requireBucketName(i.Bucket));
    const rule: ServerSideEncryptionRule = {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: data.sseAlgorithm, ...(data.kmsMasterKeyId !== undefined ? { KMSMasterKeyID: data.kmsMasterKeyId } : {}) },
      BucketKeyEnabled: data.bucketKeyEnabled,
    };
    return { ServerSideEncryptionConfiguration: { Rules: [rule] }, kmsCalls: [] };
  }

  async function putObject(caller: CallerContext, input: unknown): Promise<PutObjectOutput> {
    const i = requireObject(input);
    const name = requireBucketName(i.Bucket);
    const key = requireObjectKey(i.Key);
    // Bytes, or a string sent as UTF-8 (as the SDKs accept it; lesson JSON carries strings).
    if (!(i.Body instanceof Uint8Array) && typeof i.Body !== 'string') throw err.invalidArgument('Body: expected bytes (Uint8Array) or a string.');
    const body = typeof i.Body === 'string' ? new TextEncoder().encode(i.Body) : i.Body;
    if (body.length > MAX_OBJECT_BYTES) throw new ServiceError('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (the simulation stores objects up to ${MAX_OBJECT_BYTES} bytes).`, 400);
    if (i.ServerSideEncryption !== undefined && !isSse(i.ServerSideEncryption)) throw err.invalidArgument('ServerSideEncryption: expected aws:kms or AES256.');
    const requestedBucketKey = optionalBoolean(i.BucketKeyEnabled, 'BucketKeyEnabled');
    if (i.SSEKMSKeyId !== undefined && (typeof i.SSEKMSKeyId !== 'string' || i.SSEKMSKeyId.length === 0 || i.SSEKMSKeyId.length > 2048)) throw err.invalidArgument('SSEKMSKeyId: expected a key id, key ARN or alias.');
    const { data: bucket, record } = ownedBucket(caller, name);
    const arn = objectArn(name, key);

    // The request's headers win over the bucket default (S3 "Specifying server-side encryption").
    const sse: ServerSideEncryption = (i.ServerSideEncryption as ServerSideEncryption | undefined) ?? bucket.sseAlgorithm;
    if (i.ServerSideEncryption !== 'aws:kms' && (i.SSEKMSKeyId !== undefined || i.SSEKMSEncryptionContext !== undefined)) {
      throw err.invalidArgument('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms');
    }
    const useBucketKey = requestedBucketKey ?? bucket.bucketKeyEnabled;
    const now = kms.now();
    const calls: KmsCallSummary[] = [];
    let stored: ObjectData;

    if (sse === 'AES256') {
      const salt = randomBytes(32);
      const k = deriveObjectKey(SSE_S3_SIMULATED_ROOT, salt, arn);
      const { iv, ciphertext } = await sealBody(k, body, arn);
      k.fill(0);
      stored = { bucket: name, key, size: body.length, etag: etagOf(ciphertext), lastModified: now, sse, bucketKeyEnabled: false, salt: encodeBase64(salt), iv: encodeBase64(iv), ciphertext: encodeBase64(ciphertext) };
    } else {
      const customer = decodeCustomerContext(i.SSEKMSEncryptionContext, arn);
      const contextB64 = i.SSEKMSEncryptionContext as string | undefined;
      const kmsCaller = viaS3(caller, record);
      // aws:kms in the request without a key id means aws/s3 (PutObject API); no header: the bucket default.
      const configured = i.ServerSideEncryption === 'aws:kms' ? (i.SSEKMSKeyId as string | undefined) : bucket.kmsMasterKeyId;
      const keyId = configured ?? (await awsManagedKeyArn(kmsCaller, calls));
      let dataKey: Uint8Array;
      let encryptedKey: string;
      let keyArn: string;
      let salt: Uint8Array | undefined;
      if (useBucketKey) {
        const ctx = { ...customer, 'aws:s3:arn': bucketArn(name) };
        const cacheKey = `${name}|${keyId}|${caller.principalArn}|${contextKey(ctx)}`;
        const cached = putKeys.get(cacheKey);
        let entry: BucketKeyEntry;
        if (cached !== undefined && isLive(cached, now)) {
          entry = cached;
        } else {
          cached?.plaintext.fill(0);
          putKeys.delete(cacheKey);
          const r = await callKms('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: ctx }, kmsCaller, calls, keyId);
          entry = { plaintext: r.Plaintext as Uint8Array, encrypted: encodeBase64(r.CiphertextBlob as Uint8Array), keyArn: r.KeyId as string, createdAt: now, uses: 0 };
          putKeys.set(cacheKey, entry);
        }
        entry.uses++;
        salt = randomBytes(32);
        dataKey = deriveObjectKey(entry.plaintext, salt, arn);
        encryptedKey = entry.encrypted;
        keyArn = entry.keyArn;
      } else {
        const ctx = { ...customer, 'aws:s3:arn': arn };
        const r = await callKms('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: ctx }, kmsCaller, calls, keyId);
        dataKey = r.Plaintext as Uint8Array;
        encryptedKey = encodeBase64(r.CiphertextBlob as Uint8Array);
        keyArn = r.KeyId as string;
      }
      const { iv, ciphertext } = await sealBody(dataKey, body, arn);
      dataKey.fill(0);
      stored = {
        bucket: name,
        key,
        size: body.length,
        etag: etagOf(ciphertext),
        lastModified: now,
        sse,
        kmsKeyArn: keyArn,
        ...(contextB64 !== undefined ? { context: contextB64 } : {}),
        bucketKeyEnabled: useBucketKey,
        encryptedKey,
        ...(salt !== undefined ? { salt: encodeBase64(salt) } : {}),
        iv: encodeBase64(iv),
        ciphertext: encodeBase64(ciphertext),
      };
    }
    await world.putServiceResource({ id: arn, service: 's3', kind: 'object', accountId: record.accountId, region: record.region, data: { ...stored } });
    return { ETag: stored.etag, ...encryptionOutput(stored), kmsCalls: calls };
  }

  async function getObject(caller: CallerContext, input: unknown): Promise<GetObjectOutput> {
    const { bucket, obj, arn } = ownedObject(caller, input);
    if (obj.contentLeftOut === true) throw contentLeftOut();
    const calls: KmsCallSummary[] = [];
    let key: Uint8Array;
    if (obj.sse === 'AES256') {
      key = deriveObjectKey(SSE_S3_SIMULATED_ROOT, b64(obj.salt, 'salt'), arn);
    } else {
      const customer = obj.context === undefined ? {} : decodeCustomerContext(obj.context, arn);
      const kmsCaller = viaS3(caller, bucket);
      const blob = b64(obj.encryptedKey, 'encrypted key');
      if (obj.bucketKeyEnabled) {
        const ctx = { ...customer, 'aws:s3:arn': bucketArn(obj.bucket) };
        const cacheKey = `${obj.bucket}|${caller.principalArn}|${obj.encryptedKey}|${contextKey(ctx)}`;
        const now = kms.now();
        const cached = getKeys.get(cacheKey);
        let entry: BucketKeyEntry;
        if (cached !== undefined && isLive(cached, now)) {
          entry = cached;
        } else {
          cached?.plaintext.fill(0);
          getKeys.delete(cacheKey);
          const r = await callKms('Decrypt', { CiphertextBlob: blob, EncryptionContext: ctx }, kmsCaller, calls);
          entry = { plaintext: r.Plaintext as Uint8Array, encrypted: obj.encryptedKey!, keyArn: r.KeyId as string, createdAt: now, uses: 0 };
          getKeys.set(cacheKey, entry);
        }
        entry.uses++;
        key = deriveObjectKey(entry.plaintext, b64(obj.salt, 'salt'), arn);
      } else {
        const r = await callKms('Decrypt', { CiphertextBlob: blob, EncryptionContext: { ...customer, 'aws:s3:arn': arn } }, kmsCaller, calls);
        key = r.Plaintext as Uint8Array;
      }
    }
    const body = await openBody(key, b64(obj.iv, 'iv'), b64(obj.ciphertext, 'ciphertext'), arn);
    key.fill(0);
    return { Body: body, ...headOf(obj), kmsCalls: calls };
  }

  function headOf(obj: ObjectData): Omit<HeadObjectOutput, 'kmsCalls'> {
    return { ETag: obj.etag, ContentLength: obj.size, LastModified: new Date(obj.lastModified), ...encryptionOutput(obj) };
  }

  async function headObject(caller: CallerContext, input: unknown): Promise<HeadObjectOutput> {
    const { obj } = ownedObject(caller, input);
    return { ...headOf(obj), kmsCalls: [] };
  }

  async function listObjectsV2(caller: CallerContext, input: unknown): Promise<ListObjectsV2Output> {
    const i = requireObject(input);
    const name = requireBucketName(i.Bucket);
    if (i.Prefix !== undefined && typeof i.Prefix !== 'string') throw err.invalidArgument('Prefix: expected a string.');
    const prefix = (i.Prefix as string | undefined) ?? '';
    ownedBucket(caller, name);
    const start = `${bucketArn(name)}/`;
    const Contents = world
      .listServiceResources({ service: 's3', kind: 'object' })
      .filter((r) => r.id.startsWith(start))
      .map(objectDataOf)
      .filter((o): o is ObjectData => o !== null && o.bucket === name && o.key.startsWith(prefix))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((o) => ({ Key: o.key, Size: o.size, ETag: o.etag, LastModified: new Date(o.lastModified) }));
    return { Name: name, Prefix: prefix, KeyCount: Contents.length, IsTruncated: false, Contents, kmsCalls: [] };
  }

  async function listBuckets(caller: CallerContext): Promise<ListBucketsOutput> {
    const Buckets = world
      .listServiceResources({ service: 's3', kind: 'bucket' })
      .filter((r) => r.accountId === caller.accountId)
      .flatMap((r) => {
        const d = bucketDataOf(r);
        return d ? [{ Name: d.name, CreationDate: new Date(d.createdAt), BucketRegion: r.region as string }] : [];
      });
    return { Buckets, kmsCalls: [] };
  }

  async function deleteObject(caller: CallerContext, input: unknown): Promise<WithKmsCalls> {
    const i = requireObject(input);
    const name = requireBucketName(i.Bucket);
    const key = requireObjectKey(i.Key);
    ownedBucket(caller, name);
    // S3 answers 204 whether or not the key existed.
    if (world.getServiceResource(objectArn(name, key))) await world.deleteServiceResource(objectArn(name, key));
    return { kmsCalls: [] };
  }

  const handlers: Record<(typeof S3_OPERATIONS)[number], (caller: CallerContext, input: unknown) => Promise<WithKmsCalls & object>> = {
    CreateBucket: createBucket,
    PutBucketEncryption: putBucketEncryption,
    GetBucketEncryption: getBucketEncryption,
    PutObject: putObject,
    GetObject: getObject,
    HeadObject: headObject,
    ListObjectsV2: listObjectsV2,
    ListBuckets: (c) => listBuckets(c),
    DeleteObject: deleteObject,
  };

  function run<T>(op: (typeof S3_OPERATIONS)[number], caller: CallerContext, input: unknown): Promise<T> {
    return serialized(() => guarded(kms, caller, S3_GUARD, () => handlers[op](caller, input) as Promise<T>));
  }

  return {
    CreateBucket: (c, i) => run('CreateBucket', c, i),
    PutBucketEncryption: (c, i) => run('PutBucketEncryption', c, i),
    GetBucketEncryption: (c, i) => run('GetBucketEncryption', c, i),
    PutObject: (c, i) => run('PutObject', c, i),
    GetObject: (c, i) => run('GetObject', c, i),
    HeadObject: (c, i) => run('HeadObject', c, i),
    ListObjectsV2: (c, i) => run('ListObjectsV2', c, i),
    ListBuckets: (c, i) => run('ListBuckets', c, i ?? {}),
    DeleteObject: (c, i) => run('DeleteObject', c, i),
    call(operation, input, caller) {
      if (!(S3_OPERATIONS as readonly string[]).includes(operation)) {
        return Promise.reject(new ServiceError('NotImplemented', `The simulated S3 does not implement ${String(operation).slice(0, 64)}.`, 501));
      }
      return run(operation as (typeof S3_OPERATIONS)[number], caller, input);
    },
  };
}

/**
 * Recomputes the KMS request rate of every workload that sends objects through S3 to `bucket`
 * (`serviceResource` of service `workload` whose data has `via: 's3'`, `bucket` and
 * `objectsPerSecond`): `ratePerSecond = s3KmsRequestsPerSecond(objectsPerSecond, BucketKeyEnabled)`
 * of the bucket now, or 0 for SSE-S3. Called by PutBucketEncryption when the algorithm or
 * BucketKeyEnabled changes; returns how many workloads changed. A bucket that does not exist counts
 * as without a Bucket Key. Simplification: with Bucket Keys the rate assumes S3 gets its bucket key;
 * a key policy that denies the bucket-ARN context would keep the real ingest at one (denied) KMS
 * request per object, which counts against the quota all the same — not modelled here.
 */
export async function refreshBucketWorkloads(kms: KmsService, bucket: string): Promise<number> {
  const b = bucketDataOf(kms.world.getServiceResource(bucketArn(bucket)));
  const enabled = b !== null && b.bucketKeyEnabled;
  // SSE-S3 (AES256) objects need no KMS request at all.
  const sseS3 = b !== null && b.sseAlgorithm === 'AES256';
  let changed = 0;
  for (const r of kms.world.listServiceResources({ service: 'workload', kind: 'workload' })) {
    const d = r.data as Record<string, unknown>;
    if (d.via !== 's3' || d.bucket !== bucket || typeof d.objectsPerSecond !== 'number' || !Number.isFinite(d.objectsPerSecond)) continue;
    const ratePerSecond = sseS3 ? 0 : s3KmsRequestsPerSecond(d.objectsPerSecond, enabled);
    if (d.ratePerSecond === ratePerSecond) continue;
    await kms.world.putServiceResource({ id: r.id, service: r.service, kind: r.kind, accountId: r.accountId, region: r.region, data: { ...r.data, ratePerSecond } });
    changed++;
  }
  return changed;
}
