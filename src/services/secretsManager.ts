/**
 * Simulated AWS Secrets Manager (issue 8): secrets encrypted under `aws/secretsmanager` or a
 * customer managed key, calling the real sandbox KMS as Secrets Manager does.
 *
 * What Secrets Manager does, and so this module (Secrets Manager user guide
 * "security-encryption": encryption and decryption processes, encryption context; API reference):
 * - Every new secret VERSION gets its own data key: `GenerateDataKey` (KeySpec AES_256) as the
 *   requester, through Secrets Manager (`kms:ViaService = secretsmanager.<Region>.amazonaws.com`;
 *   trail `invokedBy: secretsmanager.amazonaws.com`), EncryptionContext
 *   `{"SecretARN": <secret ARN>, "SecretVersionId": <version id>}`. The value is encrypted outside
 *   KMS with the data key (AES-256-GCM here) and only the encrypted data key is kept.
 * - GetSecretValue calls `Decrypt` with the same context.
 * - No KmsKeyId: the AWS managed key `aws/secretsmanager` (`DescribeKey` of the alias first, which
 *   creates it on first use). DescribeSecret and ListSecrets then omit `KmsKeyId`, as AWS does.
 * - A KMS failure: AccessDeniedException "Access to KMS is not allowed" (HTTP 400, as Secrets Manager
 *   answers it), `EncryptionFailure` when writing and `DecryptionFailure` when reading (the API's
 *   documented errors and messages); a KMS ThrottlingException is answered as `ThrottlingException`
 *   with KMS's message (how Secrets Manager reports it is unverified).
 *
 * Simplified, on purpose: versions without a staging label are dropped (AWS keeps ~100); no
 * rotation, replication, resource policies (only the owning account may use a secret), tags,
 * BatchGetSecretValue or RestoreSecret. DeleteSecret marks the secret with its DeletionDate; the
 * secret is refused (InvalidRequestException) until then and treated as gone afterwards — nothing
 * removes the record in the background. Values are at most 65,536 bytes, as in AWS.
 */
import { gcmOpen, gcmSeal } from './aesGcm';
import { type AwsShape, type CallerContext, type KmsService, type ServiceResourceRecord } from '../kms';
import { decodeBase64, encodeBase64 } from '../kms/crypto';
import { guarded, oneAtATime, recordedKmsCall, ServiceError, type KmsCallSummary, type KmsErrorInfo, type ServiceGuardErrors } from './serviceErrors';

/** Largest SecretString / SecretBinary (bytes), as in AWS. */
export const MAX_SECRET_BYTES = 65_536;
const DAY_MS = 86_400_000;

type WithKmsCalls = { readonly kmsCalls: readonly KmsCallSummary[] };

export interface CreateSecretInput {
  readonly Name: string;
  readonly SecretString?: string;
  /** Bytes, or base64 text (as the JSON protocol carries blobs). */
  readonly SecretBinary?: Uint8Array | string;
  readonly KmsKeyId?: string;
  readonly Description?: string;
  readonly ClientRequestToken?: string;
}
export interface PutSecretValueInput {
  readonly SecretId: string;
  readonly SecretString?: string;
  readonly SecretBinary?: Uint8Array | string;
  readonly ClientRequestToken?: string;
  readonly VersionStages?: readonly string[];
}
export interface GetSecretValueInput {
  readonly SecretId: string;
  readonly VersionId?: string;
  readonly VersionStage?: string;
}
export interface DeleteSecretInput {
  readonly SecretId: string;
  readonly RecoveryWindowInDays?: number;
  readonly ForceDeleteWithoutRecovery?: boolean;
}

export interface SecretVersionOutput extends WithKmsCalls {
  readonly ARN: string;
  readonly Name: string;
  readonly VersionId?: string;
  readonly VersionStages?: readonly string[];
}
export interface GetSecretValueOutput extends WithKmsCalls {
  readonly ARN: string;
  readonly Name: string;
  readonly VersionId: string;
  readonly VersionStages: readonly string[];
  readonly SecretString?: string;
  readonly SecretBinary?: Uint8Array;
  readonly CreatedDate: Date;
}
export interface SecretDescription {
  readonly ARN: string;
  readonly Name: string;
  readonly Description?: string;
  /** The key as configured; absent for aws/secretsmanager. */
  readonly KmsKeyId?: string;
  readonly CreatedDate: Date;
  readonly LastChangedDate: Date;
  readonly DeletedDate?: Date;
}
export interface DescribeSecretOutput extends SecretDescription, WithKmsCalls {
  readonly VersionIdsToStages: Readonly<Record<string, readonly string[]>>;
}
export interface ListSecretsOutput extends WithKmsCalls {
  readonly SecretList: readonly (SecretDescription & { readonly SecretVersionsToStages: Readonly<Record<string, readonly string[]>> })[];
}

/** The simulated Secrets Manager. Every method answers AWS-shaped output or throws a `ServiceError`. */
export interface SecretsManager {
  CreateSecret(caller: CallerContext, input: CreateSecretInput): Promise<SecretVersionOutput>;
  PutSecretValue(caller: CallerContext, input: PutSecretValueInput): Promise<SecretVersionOutput>;
  GetSecretValue(caller: CallerContext, input: GetSecretValueInput): Promise<GetSecretValueOutput>;
  DescribeSecret(caller: CallerContext, input: { readonly SecretId: string }): Promise<DescribeSecretOutput>;
  ListSecrets(caller: CallerContext, input?: { readonly IncludePlannedDeletion?: boolean }): Promise<ListSecretsOutput>;
  DeleteSecret(caller: CallerContext, input: DeleteSecretInput): Promise<{ readonly ARN: string; readonly Name: string; readonly DeletionDate: Date } & WithKmsCalls>;
  /** Runs `operation` (one of `SECRETS_MANAGER_OPERATIONS`) with an untrusted input. */
  call(operation: string, input: unknown, caller: CallerContext): Promise<WithKmsCalls & Record<string, unknown>>;
}

export const SECRETS_MANAGER_OPERATIONS = ['CreateSecret', 'PutSecretValue', 'GetSecretValue', 'DescribeSecret', 'ListSecrets', 'DeleteSecret'] as const;
type Operation = (typeof SECRETS_MANAGER_OPERATIONS)[number];

// ---- persisted shape (serviceResource.data, validated on every read) ----

interface VersionData {
  readonly versionId: string;
  readonly stages: readonly string[];
  readonly createdDate: number;
  readonly kmsKeyArn: string;
  readonly type: 'string' | 'binary';
  /** CiphertextBlob of the version's data key, base64. */
  readonly encryptedDataKey: string;
  readonly iv: string;
  /** Empty when the value was left out of a share (kms/log.ts redactLogEntry), with `contentLeftOut`. */
  readonly ciphertext: string;
  readonly contentLeftOut?: boolean;
}
interface SecretData {
  readonly name: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly createdDate: number;
  readonly lastChangedDate: number;
  /** Sandbox ms when the secret is deleted (DeleteSecret with a recovery window). */
  readonly deletionDate?: number;
  readonly versions: readonly VersionData[];
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isOptStr = (v: unknown) => v === undefined || typeof v === 'string';
const isInt = (v: unknown) => Number.isSafeInteger(v);

function versionOk(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Record<string, unknown>;
  return (
    isStr(d.versionId) && Array.isArray(d.stages) && d.stages.every(isStr) && isInt(d.createdDate) && isStr(d.kmsKeyArn) &&
    (d.type === 'string' || d.type === 'binary') && isStr(d.encryptedDataKey) && isStr(d.iv) && isStr(d.ciphertext)
  );
}

function secretDataOf(r: ServiceResourceRecord | undefined): SecretData | null {
  if (!r || r.service !== 'secretsmanager' || r.kind !== 'secret') return null;
  const d = r.data as Record<string, unknown>;
  const ok =
    isStr(d.name) && isOptStr(d.description) && isOptStr(d.kmsKeyId) && isInt(d.createdDate) && isInt(d.lastChangedDate) &&
    (d.deletionDate === undefined || isInt(d.deletionDate)) && Array.isArray(d.versions) && d.versions.every(versionOk);
  return ok ? (d as unknown as SecretData) : null;
}

// ---- errors ----

const invalidParameter = (m: string) => new ServiceError('InvalidParameterException', m, 400);
const notFound = () => new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400);
const notFoundVersion = () => new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", 400);

/** Secrets Manager's error for a failed KMS call while writing (`encrypting`) or reading a value. */
export function secretsManagerErrorOfKms(info: KmsErrorInfo, encrypting: boolean): ServiceError {
  if (info.name === 'AccessDeniedException') return new ServiceError('AccessDeniedException', 'Access to KMS is not allowed', 400, info);
  if (info.name === 'ThrottlingException') return new ServiceError('ThrottlingException', info.message, 400, info);
  return encrypting
    ? new ServiceError('EncryptionFailure', "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.", 400, info)
    : new ServiceError('DecryptionFailure', "Secrets Manager can't decrypt the protected secret text using the provided KMS key.", 400, info);
}

// ---- validation ----

function requireObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidParameter('The request must be an object of Secrets Manager request members.');
  return input as Record<string, unknown>;
}

/** Secret names: 1–512 characters of ASCII letters, digits and /_+=.@- (API reference). */
export function secretNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > 512) return 'Name: expected 1 to 512 characters.';
  if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name)) return 'Name: only ASCII letters, digits and the characters /_+=.@- are allowed.';
  return null;
}

function requireSecretId(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2048) throw invalidParameter('SecretId: expected a secret name or ARN (1 to 2048 characters).');
  return v;
}

function optionalString(v: unknown, member: string, max: number, min = 1): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length < min || v.length > max) throw invalidParameter(`${member}: expected ${min} to ${max} characters.`);
  return v;
}

/** The value of a CreateSecret/PutSecretValue request: exactly one of SecretString, SecretBinary, or none. */
function secretValue(i: Record<string, unknown>): { type: 'string' | 'binary'; bytes: Uint8Array } | null {
  if (i.SecretString !== undefined && i.SecretBinary !== undefined) throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  if (i.SecretString !== undefined) {
    if (typeof i.SecretString !== 'string') throw invalidParameter('SecretString: expected a string.');
    const bytes = new TextEncoder().encode(i.SecretString);
    if (bytes.length > MAX_SECRET_BYTES) throw invalidParameter(`SecretString: at most ${MAX_SECRET_BYTES} bytes.`);
    return { type: 'string', bytes };
  }
  if (i.SecretBinary !== undefined) {
    // Bytes, or base64 text as the JSON protocol carries blobs (lesson JSON).
    const bytes = i.SecretBinary instanceof Uint8Array ? i.SecretBinary.slice() : typeof i.SecretBinary === 'string' ? decodeBase64(i.SecretBinary) : null;
    if (bytes === null) throw invalidParameter('SecretBinary: expected bytes (Uint8Array) or base64 text.');
    if (bytes.length > MAX_SECRET_BYTES) throw invalidParameter(`SecretBinary: at most ${MAX_SECRET_BYTES} bytes.`);
    return { type: 'binary', bytes };
  }
  return null;
}

// ---- ids and crypto ----

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
function randomSuffix(): string {
  return Array.from(randomBytes(6), (b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
}
function randomUuid(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** AAD of a version's ciphertext: the same binding as its KMS encryption context. */
function aad(arn: string, versionId: string): Uint8Array {
  return new TextEncoder().encode(`${arn}\0${versionId}`);
}

function b64(v: string, what: string): Uint8Array {
  const bytes = decodeBase64(v);
  if (bytes === null) throw new ServiceError('InternalServiceError', `The stored secret is damaged (${what}).`, 500);
  return bytes;
}

// ---- the service ----

/** Secrets Manager's answers to an unknown caller and to an internal failure. */
const SECRETS_MANAGER_GUARD: ServiceGuardErrors = {
  unknownCaller: () => new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
  internal: (message) => new ServiceError('InternalServiceError', `An error occurred on the server side. (${message})`, 500),
};

/** Most JSON a secret's record may take (the store's 1 MiB, less room for its other fields). */
const MAX_SECRET_RECORD_CHARS = 1_000_000;

/** Creates a simulated Secrets Manager over the sandbox KMS `kms` (state in `kms.world` service resources). */
export function createSecretsManager(kms: KmsService): SecretsManager {
  const world = kms.world;
  const awsManaged = new Map<string, string>();
  const serialized = oneAtATime();

  const callKms = (op: string, request: AwsShape, caller: CallerContext, calls: KmsCallSummary[], encrypting: boolean): Promise<AwsShape> =>
    recordedKmsCall(kms, op, request, caller, calls, (info) => secretsManagerErrorOfKms(info, encrypting));

  const via = (caller: CallerContext): CallerContext => ({ ...caller, viaService: `secretsmanager.${caller.region}.amazonaws.com` });

  /** The secret records of the caller's account and Region (deleted ones included). */
  function secretsOf(caller: CallerContext): { record: ServiceResourceRecord; data: SecretData }[] {
    return world
      .listServiceResources({ service: 'secretsmanager', kind: 'secret' })
      .filter((r) => r.accountId === caller.accountId && r.region === caller.region)
      .flatMap((record) => {
        const data = secretDataOf(record);
        return data ? [{ record, data }] : [];
      });
  }

  const isGone = (d: SecretData, now: number) => d.deletionDate !== undefined && now >= d.deletionDate;

  /**
   * The secret `secretId` names (name or ARN) for `caller`; `allowDeleted` lets DescribeSecret see
   * a secret scheduled for deletion.
   */
  function resolve(caller: CallerContext, secretId: string, allowDeleted = false): { record: ServiceResourceRecord; data: SecretData } {
    const now = kms.now();
    let found: { record: ServiceResourceRecord; data: SecretData } | undefined;
    if (secretId.startsWith('arn:')) {
      const record = world.getServiceResource(secretId);
      const data = secretDataOf(record);
      if (record && data) {
        if (record.accountId !== caller.accountId) {
          throw new ServiceError('AccessDeniedException', `User: ${caller.principalArn} is not authorized to perform: secretsmanager:* on resource: ${secretId} because no resource-based policy allows it`, 400);
        }
        found = { record, data };
      }
    } else {
      found = secretsOf(caller).find((s) => s.data.name === secretId && !isGone(s.data, now));
    }
    if (!found || isGone(found.data, now)) throw notFound();
    if (found.data.deletionDate !== undefined && !allowDeleted) {
      throw new ServiceError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.", 400);
    }
    return found;
  }

  async function keyFor(caller: CallerContext, configured: string | undefined, calls: KmsCallSummary[]): Promise<string> {
    if (configured !== undefined) return configured;
    const k = `${caller.accountId}|${caller.region}`;
    const known = awsManaged.get(k);
    if (known !== undefined) return known;
    const r = await callKms('DescribeKey', { KeyId: 'alias/aws/secretsmanager' }, via(caller), calls, true);
    const arn = (r.KeyMetadata as { Arn?: unknown } | undefined)?.Arn;
    if (typeof arn !== 'string') throw new ServiceError('InternalServiceError', 'DescribeKey answered without a key ARN.', 500);
    awsManaged.set(k, arn);
    return arn;
  }

  /** Encrypts one version's value under a fresh data key (GenerateDataKey with the secret's context). */
  async function sealVersion(
    caller: CallerContext,
    arn: string,
    versionId: string,
    keyId: string,
    value: { type: 'string' | 'binary'; bytes: Uint8Array },
    stages: readonly string[],
    calls: KmsCallSummary[],
  ): Promise<VersionData> {
    const r = await callKms('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { SecretARN: arn, SecretVersionId: versionId } }, via(caller), calls, true);
    const dataKey = r.Plaintext as Uint8Array;
    const iv = randomBytes(12);
    const ciphertext = await gcmSeal(dataKey, iv, aad(arn, versionId), value.bytes);
    dataKey.fill(0);
    return {
      versionId,
      stages: [...stages],
      createdDate: kms.now(),
      kmsKeyArn: r.KeyId as string,
      type: value.type,
      encryptedDataKey: encodeBase64(r.CiphertextBlob as Uint8Array),
      iv: encodeBase64(iv),
      ciphertext: encodeBase64(ciphertext),
    };
  }

  async function save(record: ServiceResourceRecord, data: SecretData): Promise<void> {
    await world.putServiceResource({ id: record.id, service: 'secretsmanager', kind: 'secret', accountId: record.accountId, region: record.region, data: JSON.parse(JSON.stringify(data)) });
  }

  function versionToken(v: unknown): string {
    return optionalString(v, 'ClientRequestToken', 64, 32) ?? randomUuid();
  }

  async function createSecret(caller: CallerContext, input: unknown): Promise<SecretVersionOutput> {
    const i = requireObject(input);
    const problem = secretNameProblem(i.Name);
    if (problem !== null) throw invalidParameter(problem);
    const name = i.Name as string;
    const description = optionalString(i.Description, 'Description', 2048, 0);
    const kmsKeyId = optionalString(i.KmsKeyId, 'KmsKeyId', 2048);
    const value = secretValue(i);
    const versionId = versionToken(i.ClientRequestToken);
    const now = kms.now();
    const existing = secretsOf(caller).find((s) => s.data.name === name && !isGone(s.data, now));
    if (existing) {
      if (existing.data.deletionDate !== undefined) throw new ServiceError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.", 400);
      throw new ServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`, 400);
    }
    const arn = `arn:aws:secretsmanager:${caller.region}:${caller.accountId}:secret:${name}-${randomSuffix()}`;
    const calls: KmsCallSummary[] = [];
    const versions: VersionData[] = [];
    if (value !== null) versions.push(await sealVersion(caller, arn, versionId, await keyFor(caller, kmsKeyId, calls), value, ['AWSCURRENT'], calls));
    const data: SecretData = {
      name,
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      createdDate: now,
      lastChangedDate: now,
      versions,
    };
    // A secret gone past its deletion date under the same name: its record is replaced (new ARN suffix).
    for (const s of secretsOf(caller)) if (s.data.name === name) await world.deleteServiceResource(s.record.id);
    await world.putServiceResource({ id: arn, service: 'secretsmanager', kind: 'secret', accountId: caller.accountId, region: caller.region, data: JSON.parse(JSON.stringify(data)) });
    return { ARN: arn, Name: name, ...(value !== null ? { VersionId: versionId } : {}), kmsCalls: calls };
  }

  async function putSecretValue(caller: CallerContext, input: unknown): Promise<SecretVersionOutput> {
    const i = requireObject(input);
    const { record, data } = resolve(caller, requireSecretId(i.SecretId));
    const value = secretValue(i);
    if (value === null) throw invalidParameter('You must provide either SecretString or SecretBinary.');
    let stages: string[] = ['AWSCURRENT'];
    if (i.VersionStages !== undefined) {
      if (!Array.isArray(i.VersionStages) || i.VersionStages.length < 1 || i.VersionStages.length > 20 || !i.VersionStages.every((s) => typeof s === 'string' && s.length >= 1 && s.length <= 256)) {
        throw invalidParameter('VersionStages: expected 1 to 20 labels of 1 to 256 characters.');
      }
      stages = [...new Set(i.VersionStages as string[])];
    }
    const versionId = versionToken(i.ClientRequestToken);
    if (data.versions.some((v) => v.versionId === versionId)) throw new ServiceError('ResourceExistsException', `A version with VersionId ${versionId} already exists.`, 400);
    // The versions this secret keeps must fit its record: refused before KMS is asked for a data key.
    if (JSON.stringify(data).length + Math.ceil(value.bytes.length / 3) * 4 + 1024 > MAX_SECRET_RECORD_CHARS) {
      throw new ServiceError(
        'LimitExceededException',
        'The secret keeps too many labelled versions to add this one here (the simulator stores at most about 1 MB per secret): move or remove staging labels of old versions first.',
        400,
      );
    }
    const calls: KmsCallSummary[] = [];
    const version = await sealVersion(caller, record.id, versionId, await keyFor(caller, data.kmsKeyId, calls), value, stages, calls);
    // Labels move to the new version; AWSCURRENT moving leaves AWSPREVIOUS on the old current one.
    const movingCurrent = stages.includes('AWSCURRENT');
    const older = data.versions
      .map((v) => {
        let s = v.stages.filter((l) => !stages.includes(l) && !(movingCurrent && l === 'AWSPREVIOUS'));
        if (movingCurrent && v.stages.includes('AWSCURRENT')) s = [...s, 'AWSPREVIOUS'];
        return { ...v, stages: s };
      })
      .filter((v) => v.stages.length > 0);
    await save(record, { ...data, lastChangedDate: kms.now(), versions: [...older, version] });
    return { ARN: record.id, Name: data.name, VersionId: versionId, VersionStages: stages, kmsCalls: calls };
  }

  async function getSecretValue(caller: CallerContext, input: unknown): Promise<GetSecretValueOutput> {
    const i = requireObject(input);
    const { record, data } = resolve(caller, requireSecretId(i.SecretId));
    const versionId = optionalString(i.VersionId, 'VersionId', 64, 32);
    const stage = optionalString(i.VersionStage, 'VersionStage', 256);
    let version: VersionData | undefined;
    if (versionId !== undefined) {
      version = data.versions.find((v) => v.versionId === versionId);
      if (version && stage !== undefined && !version.stages.includes(stage)) throw invalidParameter('The VersionId and VersionStage you specified refer to different versions.');
    } else {
      const wanted = stage ?? 'AWSCURRENT';
      version = data.versions.find((v) => v.stages.includes(wanted));
      if (!version && wanted === 'AWSCURRENT') throw notFoundVersion();
    }
    if (!version) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId or VersionStage.", 400);
    if (version.contentLeftOut === true) {
      throw new ServiceError('InvalidRequestException', 'This secret value was left out when the sandbox was shared without its inputs.', 400);
    }
    const calls: KmsCallSummary[] = [];
    const r = await callKms(
      'Decrypt',
      { CiphertextBlob: b64(version.encryptedDataKey, 'data key'), EncryptionContext: { SecretARN: record.id, SecretVersionId: version.versionId } },
      via(caller),
      calls,
      false,
    );
    const dataKey = r.Plaintext as Uint8Array;
    let plain: Uint8Array;
    try {
      plain = await gcmOpen(dataKey, b64(version.iv, 'iv'), aad(record.id, version.versionId), b64(version.ciphertext, 'ciphertext'));
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      throw new ServiceError('DecryptionFailure', "Secrets Manager can't decrypt the protected secret text using the provided KMS key.", 400);
    } finally {
      dataKey.fill(0);
    }
    return {
      ARN: record.id,
      Name: data.name,
      VersionId: version.versionId,
      VersionStages: [...version.stages],
      ...(version.type === 'string' ? { SecretString: new TextDecoder().decode(plain) } : { SecretBinary: plain }),
      CreatedDate: new Date(version.createdDate),
      kmsCalls: calls,
    };
  }

  function describe(record: ServiceResourceRecord, data: SecretData): SecretDescription {
    return {
      ARN: record.id,
      Name: data.name,
      ...(data.description !== undefined ? { Description: data.description } : {}),
      ...(data.kmsKeyId !== undefined ? { KmsKeyId: data.kmsKeyId } : {}),
      CreatedDate: new Date(data.createdDate),
      LastChangedDate: new Date(data.lastChangedDate),
      ...(data.deletionDate !== undefined ? { DeletedDate: new Date(data.deletionDate) } : {}),
    };
  }

  const stagesOf = (data: SecretData) => Object.fromEntries(data.versions.map((v) => [v.versionId, [...v.stages]]));

  async function describeSecret(caller: CallerContext, input: unknown): Promise<DescribeSecretOutput> {
    const i = requireObject(input);
    const { record, data } = resolve(caller, requireSecretId(i.SecretId), true);
    return { ...describe(record, data), VersionIdsToStages: stagesOf(data), kmsCalls: [] };
  }

  async function listSecrets(caller: CallerContext, input: unknown): Promise<ListSecretsOutput> {
    const i = input === undefined ? {} : requireObject(input);
    if (i.IncludePlannedDeletion !== undefined && typeof i.IncludePlannedDeletion !== 'boolean') throw invalidParameter('IncludePlannedDeletion: expected true or false.');
    const now = kms.now();
    const SecretList = secretsOf(caller)
      .filter((s) => !isGone(s.data, now) && (s.data.deletionDate === undefined || i.IncludePlannedDeletion === true))
      .sort((a, b) => (a.data.name < b.data.name ? -1 : a.data.name > b.data.name ? 1 : 0))
      .map((s) => ({ ...describe(s.record, s.data), SecretVersionsToStages: stagesOf(s.data) }));
    return { SecretList, kmsCalls: [] };
  }

  async function deleteSecret(caller: CallerContext, input: unknown) {
    const i = requireObject(input);
    const { record, data } = resolve(caller, requireSecretId(i.SecretId));
    if (i.ForceDeleteWithoutRecovery !== undefined && typeof i.ForceDeleteWithoutRecovery !== 'boolean') throw invalidParameter('ForceDeleteWithoutRecovery: expected true or false.');
    if (i.RecoveryWindowInDays !== undefined) {
      if (i.ForceDeleteWithoutRecovery === true) throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      if (!Number.isInteger(i.RecoveryWindowInDays) || (i.RecoveryWindowInDays as number) < 7 || (i.RecoveryWindowInDays as number) > 30) {
        throw invalidParameter('RecoveryWindowInDays: expected a whole number of days from 7 to 30.');
      }
    }
    const now = kms.now();
    if (i.ForceDeleteWithoutRecovery === true) {
      await world.deleteServiceResource(record.id);
      return { ARN: record.id, Name: data.name, DeletionDate: new Date(now), kmsCalls: [] };
    }
    const deletionDate = now + ((i.RecoveryWindowInDays as number | undefined) ?? 30) * DAY_MS;
    await save(record, { ...data, deletionDate });
    return { ARN: record.id, Name: data.name, DeletionDate: new Date(deletionDate), kmsCalls: [] };
  }

  const handlers: Record<Operation, (caller: CallerContext, input: unknown) => Promise<WithKmsCalls & object>> = {
    CreateSecret: createSecret,
    PutSecretValue: putSecretValue,
    GetSecretValue: getSecretValue,
    DescribeSecret: describeSecret,
    ListSecrets: listSecrets,
    DeleteSecret: deleteSecret,
  };
  const run = <T>(op: Operation, caller: CallerContext, input: unknown): Promise<T> =>
    serialized(() => guarded(kms, caller, SECRETS_MANAGER_GUARD, () => handlers[op](caller, input) as Promise<T>));

  return {
    CreateSecret: (c, i) => run('CreateSecret', c, i),
    PutSecretValue: (c, i) => run('PutSecretValue', c, i),
    GetSecretValue: (c, i) => run('GetSecretValue', c, i),
    DescribeSecret: (c, i) => run('DescribeSecret', c, i),
    ListSecrets: (c, i) => run('ListSecrets', c, i),
    DeleteSecret: (c, i) => run('DeleteSecret', c, i),
    call(operation, input, caller) {
      if (!(SECRETS_MANAGER_OPERATIONS as readonly string[]).includes(operation)) {
        return Promise.reject(new ServiceError('InvalidRequestException', `The simulated Secrets Manager does not implement ${String(operation).slice(0, 64)}.`, 400));
      }
      return run(operation as Operation, caller, input);
    },
  };
}
