/**
 * Simulated Amazon EBS (issue 8): encrypted volumes and snapshots that call the real KMS service of
 * the sandbox the way EBS/EC2 does. Headless; state lives in `service.world` service resources
 * (service `ec2`, kinds `volume` and `snapshot`, ids = ARNs), so it is logged, survives reload and
 * replays. Volumes hold no data: the encrypted data key (base64) is the secret-bearing part; a
 * plaintext data key is never stored (the one Decrypt at attach returns it, and it is dropped, as
 * the EC2 host would keep it only in memory while attached).
 *
 * The KMS calls, from AWS's documentation (KMS guide "Amazon EC2 example two" (ct-ec2two),
 * "Examining grants"; EBS user guide "How Amazon EBS encryption works"; §6.3, §10):
 *
 * | EC2 operation | KMS calls (caller)                                                                    |
 * |---------------|---------------------------------------------------------------------------------------|
 * | CreateVolume  | DescribeKey (alias/aws/ebs when no key: creates the AWS managed key), then             |
 * |               | GenerateDataKeyWithoutPlaintext {NumberOfBytes 64, EncryptionContext {"aws:ebs:id": vol}}|
 * |               | — or, from an encrypted snapshot under the same key, ReEncrypt of the snapshot's key    |
 * |               | to the volume's context (AWS: "KMS uses the same data key as the snapshot")            |
 * | AttachVolume  | CreateGrant {Grantee ec2-infrastructure, Operations [Decrypt], EncryptionContextSubset |
 * |               | {"aws:ebs:id": vol}} by the caller via EC2; then ONE Decrypt by the grantee, using the   |
 * |               | grant (its token, since a new grant has not propagated yet)                            |
 * | DetachVolume  | RetireGrant by the grant's retiring principal                                          |
 * | CreateSnapshot| none: the snapshot keeps the volume's encrypted data key                               |
 * | CopySnapshot  | DescribeKey of the destination key, then ReEncrypt to it (same Region), or Decrypt in   |
 * |               | the source Region + GenerateDataKeyWithoutPlaintext in this one (cross-Region), or     |
 * |               | GenerateDataKeyWithoutPlaintext when an unencrypted snapshot is copied encrypted        |
 *
 * Calls "by the caller via EC2" carry `viaService: ec2.<region>.amazonaws.com` (kms:ViaService; the
 * trail shows invokedBy ec2.amazonaws.com). The Decrypt at attach is made by EC2's infrastructure
 * role as the grantee, without invokedBy (as in AWS's trail example).
 *
 * Not verified, chosen here (stated so nobody mistakes them for AWS facts):
 * - AWS's grantee is `arn:aws:sts::<acct>:assumed-role/aws:ec2-infrastructure/<instance>` and its
 *   retiring principal an AWS-owned account root. IAM names cannot contain ':' and the sandbox's
 *   KMS only accepts its own principals, so the grantee and retiring principal here are the role
 *   `arn:aws:iam::<acct>:role/aws-ec2-infrastructure`, created in the volume's account on first
 *   attach (a logged world edit). Its Decrypt shows in the trail as that role's session.
 * - Which KMS calls CreateSnapshot and CopySnapshot make is not documented in detail: ReEncrypt for
 *   a copy (EBS users need kms:ReEncrypt*) and no call for CreateSnapshot are this module's choice;
 *   so is the encryption context of a copied snapshot's key (`{"aws:ebs:id": "snap-…"}`).
 * - EC2 reports KMS failures asynchronously (the volume or attachment goes to `error`); here the
 *   operation fails at once with a ServiceError whose `kmsError` is what KMS answered. Error codes
 *   for KMS failures (`InvalidKMSKey.InvalidState` "The KMS key provided is in an incorrect state",
 *   seen as an instance state reason; `UnauthorizedOperation`; `RequestLimitExceeded` for KMS
 *   throttling) are modelled, not confirmed for these operations.
 * - Instances are not modelled: any well-formed instance id can take a volume; Availability Zones
 *   are recorded, not checked.
 */
import { type CallerContext, type KmsService, type ServiceResourceRecord } from '../kms';
import { kmsErrorInfo, recordedKmsCall, ServiceError, type KmsCallSummary, type KmsErrorInfo } from './serviceErrors';

/** One KMS call a simulated EBS operation made, in order (the services layer's shared shape). */
export type EbsKmsCall = KmsCallSummary;

/** EC2 `VolumeAttachment`. */
export interface VolumeAttachment {
  readonly VolumeId: string;
  readonly InstanceId: string;
  readonly Device: string;
  readonly State: 'attaching' | 'attached' | 'detaching' | 'detached';
  readonly AttachTime: Date;
  readonly DeleteOnTermination: boolean;
}

/** EC2 `Volume` (the members the simulation keeps). */
export interface Volume {
  readonly VolumeId: string;
  readonly Size: number;
  readonly AvailabilityZone: string;
  readonly State: 'creating' | 'available' | 'in-use';
  readonly CreateTime: Date;
  readonly Encrypted: boolean;
  /** ARN of the KMS key protecting the volume's data key (encrypted volumes only). */
  readonly KmsKeyId?: string;
  readonly SnapshotId: string;
  readonly VolumeType: 'gp3';
  readonly Attachments: readonly VolumeAttachment[];
}

/** EC2 `Snapshot` (the members the simulation keeps). */
export interface Snapshot {
  readonly SnapshotId: string;
  readonly VolumeId: string;
  readonly VolumeSize: number;
  readonly State: 'pending' | 'completed';
  readonly StartTime: Date;
  readonly Progress: string;
  readonly OwnerId: string;
  readonly Description: string;
  readonly Encrypted: boolean;
  readonly KmsKeyId?: string;
}

export interface CreateVolumeInput {
  readonly AvailabilityZone?: string;
  readonly Size?: number;
  readonly Encrypted?: boolean;
  readonly KmsKeyId?: string;
  readonly SnapshotId?: string;
}
export interface AttachVolumeInput {
  readonly VolumeId: string;
  readonly InstanceId: string;
  readonly Device?: string;
}
export interface DetachVolumeInput {
  readonly VolumeId: string;
  readonly InstanceId?: string;
  readonly Device?: string;
  readonly Force?: boolean;
}
export interface CreateSnapshotInput {
  readonly VolumeId: string;
  readonly Description?: string;
}
export interface CopySnapshotInput {
  readonly SourceSnapshotId: string;
  readonly SourceRegion?: string;
  readonly Description?: string;
  readonly Encrypted?: boolean;
  readonly KmsKeyId?: string;
}

type WithCalls<T> = T & { readonly kmsCalls: readonly EbsKmsCall[] };

/** The simulated EC2/EBS API. Every method resolves with EC2's response shape plus `kmsCalls`, or rejects with a ServiceError. */
export interface Ebs {
  CreateVolume(caller: CallerContext, input: CreateVolumeInput): Promise<WithCalls<Volume>>;
  DescribeVolumes(caller: CallerContext, input?: { readonly VolumeIds?: readonly string[] }): Promise<WithCalls<{ Volumes: Volume[] }>>;
  AttachVolume(caller: CallerContext, input: AttachVolumeInput): Promise<WithCalls<VolumeAttachment>>;
  DetachVolume(caller: CallerContext, input: DetachVolumeInput): Promise<WithCalls<VolumeAttachment>>;
  CreateSnapshot(caller: CallerContext, input: CreateSnapshotInput): Promise<WithCalls<Snapshot>>;
  DescribeSnapshots(caller: CallerContext, input?: { readonly SnapshotIds?: readonly string[] }): Promise<WithCalls<{ Snapshots: Snapshot[] }>>;
  CopySnapshot(caller: CallerContext, input: CopySnapshotInput): Promise<WithCalls<{ SnapshotId: string }>>;
  DeleteVolume(caller: CallerContext, input: { readonly VolumeId: string }): Promise<WithCalls<object>>;
  DeleteSnapshot(caller: CallerContext, input: { readonly SnapshotId: string }): Promise<WithCalls<object>>;
  /** Runs `operation` (one of `EBS_OPERATIONS`) with an untrusted input, as lessons and the UI do. */
  call(operation: string, input: unknown, caller: CallerContext): Promise<WithCalls<Record<string, unknown>>>;
}

/** The EC2 operations the simulated EBS answers. */
export const EBS_OPERATIONS = [
  'CreateVolume',
  'DescribeVolumes',
  'AttachVolume',
  'DetachVolume',
  'CreateSnapshot',
  'DescribeSnapshots',
  'CopySnapshot',
  'DeleteVolume',
  'DeleteSnapshot',
] as const;
export type EbsOperation = (typeof EBS_OPERATIONS)[number];

export interface EbsOptions {
  /** Random bytes for volume/snapshot ids and grant names (default WebCrypto); tests pass a seeded one. */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** The EC2 infrastructure role of the sandbox (stand-in for AWS's `aws:ec2-infrastructure`; see the header). */
export const EC2_INFRASTRUCTURE_ROLE = 'aws-ec2-infrastructure';
/** The encryption context key EBS binds a data key to (§3.3). */
export const EBS_CONTEXT_KEY = 'aws:ebs:id';
/** Bytes EBS asks for: two 256-bit AES-XTS keys (KMS cryptographic details; ct-ec2two shows numberOfBytes 64). */
export const EBS_DATA_KEY_BYTES = 64;
/** Largest gp3 volume, GiB. */
export const MAX_VOLUME_GIB = 16_384;

const VOLUME_ID = /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const SNAPSHOT_ID = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const DEVICE = /^\/dev\/(?:sd[a-z]\d*|xvd[a-z]+\d*)$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

// ---------------------------------------------------------------------------------------------
// Stored records (service resource data) and their validation

/** An encrypted data key as stored: ciphertext (base64) and the context it is bound to. */
interface StoredKey {
  readonly kmsKeyId: string;
  readonly encryptedDataKey: string;
  readonly encryptionContext: Record<string, string>;
}
interface StoredVolume {
  readonly volumeId: string;
  readonly size: number;
  readonly availabilityZone: string;
  readonly createTime: number;
  readonly snapshotId: string;
  readonly key: StoredKey | null;
  readonly attachment: { instanceId: string; device: string; attachTime: number; grantId: string | null } | null;
}
interface StoredSnapshot {
  readonly snapshotId: string;
  readonly volumeId: string;
  readonly volumeSize: number;
  readonly startTime: number;
  readonly description: string;
  readonly ownerId: string;
  readonly key: StoredKey | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseKey(v: unknown): StoredKey | null | undefined {
  if (v === null) return null;
  if (!isObj(v) || !isStr(v.kmsKeyId) || !isStr(v.encryptedDataKey) || !B64.test(v.encryptedDataKey) || !isObj(v.encryptionContext)) return undefined;
  const ctx = v.encryptionContext;
  if (!Object.values(ctx).every(isStr)) return undefined;
  return { kmsKeyId: v.kmsKeyId, encryptedDataKey: v.encryptedDataKey, encryptionContext: ctx as Record<string, string> };
}

function parseVolume(d: Record<string, unknown>): StoredVolume | null {
  const key = parseKey(d.key);
  const a = d.attachment;
  if (key === undefined || !isStr(d.volumeId) || !VOLUME_ID.test(d.volumeId) || !isNum(d.size) || !isStr(d.availabilityZone) || !isNum(d.createTime) || !isStr(d.snapshotId)) return null;
  if (a !== null && !(isObj(a) && isStr(a.instanceId) && isStr(a.device) && isNum(a.attachTime) && (a.grantId === null || isStr(a.grantId)))) return null;
  return {
    volumeId: d.volumeId,
    size: d.size,
    availabilityZone: d.availabilityZone,
    createTime: d.createTime,
    snapshotId: d.snapshotId,
    key,
    attachment: a === null ? null : { instanceId: a.instanceId as string, device: a.device as string, attachTime: a.attachTime as number, grantId: a.grantId as string | null },
  };
}

function parseSnapshot(d: Record<string, unknown>): StoredSnapshot | null {
  const key = parseKey(d.key);
  if (key === undefined || !isStr(d.snapshotId) || !SNAPSHOT_ID.test(d.snapshotId) || !isStr(d.volumeId) || !isNum(d.volumeSize) || !isNum(d.startTime) || !isStr(d.description) || !isStr(d.ownerId)) return null;
  return { snapshotId: d.snapshotId, volumeId: d.volumeId, volumeSize: d.volumeSize, startTime: d.startTime, description: d.description, ownerId: d.ownerId, key };
}

// ---------------------------------------------------------------------------------------------
// Errors (EC2 spelling; HTTP 400 unless stated)

const err = (code: string, message: string, status = 400, kms?: KmsErrorInfo) => new ServiceError(code, message, status, kms);
const volumeNotFound = (id: string) => err('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
const snapshotNotFound = (id: string) => err('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
const missing = (name: string) => err('MissingParameter', `The request must contain the parameter ${name}`);

/** EC2's answer when a KMS call it made for the caller failed (see the header: modelled, not confirmed). */
function fromKmsInfo(kms: KmsErrorInfo, what: string): ServiceError {
  switch (kms.name) {
    case 'ThrottlingException':
      return err('RequestLimitExceeded', 'Request limit exceeded.', 503, kms);
    case 'DisabledException':
    case 'KMSInvalidStateException':
    case 'KeyUnavailableException':
      return err('InvalidKMSKey.InvalidState', `The KMS key provided is in an incorrect state (${what}: ${kms.name}).`, 400, kms);
    case 'AccessDeniedException':
      return err('UnauthorizedOperation', `You are not authorized to perform this operation: KMS denied ${what} (${kms.message})`, 403, kms);
    case 'NotFoundException':
      return err('InvalidParameterValue', `The KMS key is not valid: ${kms.message}`, 400, kms);
    case 'UnrecognizedClientException':
      return err('AuthFailure', 'AWS was not able to validate the provided access credentials', 401, kms);
    default:
      return err('InternalError', `An internal error has occurred (${what}: ${kms.name}).`, 500, kms);
  }
}

// ---------------------------------------------------------------------------------------------
// Input checks

function inputObject(input: unknown): Record<string, unknown> {
  if (!isObj(input)) throw err('InvalidParameterValue', 'The request must be an object of parameters.');
  return input;
}
function optString(o: Record<string, unknown>, name: string, max = 2048): string | undefined {
  const v = o[name];
  if (v === undefined) return undefined;
  if (!isStr(v) || v.length === 0 || v.length > max) throw err('InvalidParameterValue', `Invalid value for parameter ${name}: expected a non-empty string of at most ${max} characters.`);
  return v;
}
function reqString(o: Record<string, unknown>, name: string): string {
  const v = optString(o, name);
  if (v === undefined) throw missing(name);
  return v;
}
function optBool(o: Record<string, unknown>, name: string): boolean | undefined {
  const v = o[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw err('InvalidParameterValue', `Invalid value for parameter ${name}: expected true or false.`);
  return v;
}
function volumeIdOf(v: string): string {
  if (!VOLUME_ID.test(v)) throw err('InvalidVolumeID.Malformed', `Invalid id: "${v}" (expecting "vol-...")`);
  return v;
}
function snapshotIdOf(v: string): string {
  if (!SNAPSHOT_ID.test(v)) throw err('InvalidSnapshotID.Malformed', `Invalid id: "${v}" (expecting "snap-...")`);
  return v;
}
function idList(o: Record<string, unknown> | undefined, name: string, check: (s: string) => string): string[] | undefined {
  const v = o?.[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every(isStr)) throw err('InvalidParameterValue', `Invalid value for parameter ${name}: expected a list of ids.`);
  return v.map(check);
}

// ---------------------------------------------------------------------------------------------

const volumeArn = (region: string, account: string, id: string) => `arn:aws:ec2:${region}:${account}:volume/${id}`;
const snapshotArn = (region: string, account: string, id: string) => `arn:aws:ec2:${region}:${account}:snapshot/${id}`;

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function volumeShape(v: StoredVolume, state?: Volume['State']): Volume {
  const out: Volume = {
    VolumeId: v.volumeId,
    Size: v.size,
    AvailabilityZone: v.availabilityZone,
    State: state ?? (v.attachment ? 'in-use' : 'available'),
    CreateTime: new Date(v.createTime),
    Encrypted: v.key !== null,
    ...(v.key ? { KmsKeyId: v.key.kmsKeyId } : {}),
    SnapshotId: v.snapshotId,
    VolumeType: 'gp3',
    Attachments: v.attachment ? [attachmentShape(v, 'attached')] : [],
  };
  return out;
}
function attachmentShape(v: StoredVolume, state: VolumeAttachment['State']): VolumeAttachment {
  const a = v.attachment!;
  return { VolumeId: v.volumeId, InstanceId: a.instanceId, Device: a.device, State: state, AttachTime: new Date(a.attachTime), DeleteOnTermination: false };
}
function snapshotShape(s: StoredSnapshot, state: Snapshot['State'] = 'completed'): Snapshot {
  return {
    SnapshotId: s.snapshotId,
    VolumeId: s.volumeId,
    VolumeSize: s.volumeSize,
    State: state,
    StartTime: new Date(s.startTime),
    Progress: state === 'completed' ? '100%' : '',
    OwnerId: s.ownerId,
    Description: s.description,
    Encrypted: s.key !== null,
    ...(s.key ? { KmsKeyId: s.key.kmsKeyId } : {}),
  };
}

/** Simulated EBS over `kms` (the sandbox's KMS service; state in its world's service resources). */
export function createEbs(kms: KmsService, options: EbsOptions = {}): Ebs {
  const randomBytes = options.randomBytes ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
  const newId = (prefix: string) => `${prefix}-${hex(randomBytes(9)).slice(0, 17)}`;
  const via = (caller: CallerContext, region: string = caller.region): CallerContext => ({ ...caller, region: region as CallerContext['region'], viaService: `ec2.${region}.amazonaws.com` });

  /** Runs one KMS call, recording it; a failure becomes EC2's error. */
  function kmsCall(calls: EbsKmsCall[], operation: string, request: Record<string, unknown>, caller: CallerContext): Promise<Record<string, unknown>> {
    return recordedKmsCall(kms, operation, request, caller, calls, (info) => fromKmsInfo(info, operation));
  }

  /** DescribeKey via EC2 (creates aws/ebs on first use); the key must be a symmetric encryption key. */
  async function describeKey(calls: EbsKmsCall[], caller: CallerContext, keyInput: string): Promise<string> {
    const r = await kmsCall(calls, 'DescribeKey', { KeyId: keyInput }, caller);
    const meta = r.KeyMetadata as { Arn: string; KeySpec: string; KeyUsage: string };
    if (meta.KeySpec !== 'SYMMETRIC_DEFAULT' || meta.KeyUsage !== 'ENCRYPT_DECRYPT') {
      throw err('InvalidParameterValue', `The KMS key ${meta.Arn} is a ${meta.KeySpec} key: Amazon EBS supports only symmetric encryption KMS keys.`);
    }
    return meta.Arn;
  }

  async function generateKey(calls: EbsKmsCall[], caller: CallerContext, keyArn: string, resourceId: string): Promise<StoredKey> {
    const encryptionContext = { [EBS_CONTEXT_KEY]: resourceId };
    const r = await kmsCall(calls, 'GenerateDataKeyWithoutPlaintext', { KeyId: keyArn, NumberOfBytes: EBS_DATA_KEY_BYTES, EncryptionContext: encryptionContext }, caller);
    return { kmsKeyId: keyArn, encryptedDataKey: toBase64(r.CiphertextBlob as Uint8Array), encryptionContext };
  }

  async function reEncryptKey(calls: EbsKmsCall[], caller: CallerContext, from: StoredKey, keyArn: string, resourceId: string): Promise<StoredKey> {
    const encryptionContext = { [EBS_CONTEXT_KEY]: resourceId };
    const r = await kmsCall(
      calls,
      'ReEncrypt',
      {
        CiphertextBlob: fromBase64(from.encryptedDataKey),
        SourceKeyId: from.kmsKeyId,
        SourceEncryptionContext: from.encryptionContext,
        DestinationKeyId: keyArn,
        DestinationEncryptionContext: encryptionContext,
      },
      caller,
    );
    return { kmsKeyId: keyArn, encryptedDataKey: toBase64(r.CiphertextBlob as Uint8Array), encryptionContext };
  }

  function getRecord(kind: 'volume' | 'snapshot', arn: string): Record<string, unknown> | null {
    const r: ServiceResourceRecord | undefined = kms.world.getServiceResource(arn);
    return r && r.service === 'ec2' && r.kind === kind ? (r.data as Record<string, unknown>) : null;
  }
  function loadVolume(caller: CallerContext, id: string): StoredVolume {
    const d = getRecord('volume', volumeArn(caller.region, caller.accountId, id));
    if (!d) throw volumeNotFound(id);
    const v = parseVolume(d);
    if (!v) throw err('InternalError', `The stored volume '${id}' is not valid.`, 500);
    return v;
  }
  function loadSnapshot(account: string, region: string, id: string): StoredSnapshot {
    const d = getRecord('snapshot', snapshotArn(region, account, id));
    if (!d) throw snapshotNotFound(id);
    const s = parseSnapshot(d);
    if (!s) throw err('InternalError', `The stored snapshot '${id}' is not valid.`, 500);
    return s;
  }
  async function save(caller: CallerContext, kind: 'volume', v: StoredVolume): Promise<void>;
  async function save(caller: CallerContext, kind: 'snapshot', v: StoredSnapshot): Promise<void>;
  async function save(caller: CallerContext, kind: 'volume' | 'snapshot', v: StoredVolume | StoredSnapshot): Promise<void> {
    const id = kind === 'volume' ? volumeArn(caller.region, caller.accountId, (v as StoredVolume).volumeId) : snapshotArn(caller.region, caller.accountId, (v as StoredSnapshot).snapshotId);
    await kms.world.putServiceResource({ id, service: 'ec2', kind, accountId: caller.accountId, region: caller.region, data: JSON.parse(JSON.stringify(v)) as ServiceResourceRecord['data'] });
  }

  /** The EC2 infrastructure role of the account, created on first use (a logged world edit). */
  async function infrastructureRole(account: string): Promise<string> {
    const arn = `arn:aws:iam::${account}:role/${EC2_INFRASTRUCTURE_ROLE}`;
    if (!kms.world.listPrincipals().some((p) => p.arn === arn)) {
      await kms.world.createPrincipal({ accountId: account, kind: 'role', name: EC2_INFRASTRUCTURE_ROLE });
    }
    return arn;
  }
  const infraCaller = (caller: CallerContext, roleArn: string): CallerContext => ({
    principalArn: roleArn,
    accountId: caller.accountId,
    region: caller.region,
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
  });

  /**
   * Runs an operation body with a fresh list of its KMS calls; anything thrown that is not a
   * ServiceError becomes one (bad input never crashes), and a failure carries the calls it made.
   */
  function run<T>(body: (calls: EbsKmsCall[]) => Promise<T>): Promise<T> {
    // One operation at a time: each reads a record, calls KMS, then writes the record back.
    const result = queue.then(() => runNow(body));
    queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
  let queue: Promise<void> = Promise.resolve();
  async function runNow<T>(body: (calls: EbsKmsCall[]) => Promise<T>): Promise<T> {
    const calls: EbsKmsCall[] = [];
    try {
      return await body(calls);
    } catch (e) {
      let out: ServiceError;
      if (e instanceof ServiceError) out = e;
      else {
        const kmsInfo = kmsErrorInfo(e);
        out = kmsInfo
          ? err(kmsInfo.name === 'NotFoundException' ? 'InvalidParameterValue' : 'InternalError', kmsInfo.message, kmsInfo.name === 'NotFoundException' ? 400 : 500, kmsInfo)
          : err('InternalError', `An internal error has occurred: ${e instanceof Error ? e.message : String(e)}`, 500);
      }
      if (calls.length > 0) out.kmsCalls = calls;
      throw out;
    }
  }


  const ops: Omit<Ebs, 'call'> = {
    CreateVolume: (caller, input) =>
      run(async (calls) => {
        const o = inputObject(input);
        const zone = optString(o, 'AvailabilityZone', 64) ?? `${caller.region}a`;
        if (!zone.startsWith(caller.region) || !/^[a-z]$/.test(zone.slice(caller.region.length))) throw err('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
        const encryptedIn = optBool(o, 'Encrypted');
        const keyIn = optString(o, 'KmsKeyId');
        const snapIn = optString(o, 'SnapshotId');
        if (keyIn !== undefined && encryptedIn !== true) throw err('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
        const snapshot = snapIn === undefined ? null : loadSnapshot(caller.accountId, caller.region, snapshotIdOf(snapIn));
        let size = o.Size;
        if (size === undefined) {
          if (!snapshot) throw missing('Size');
          size = snapshot.volumeSize;
        }
        if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_VOLUME_GIB) {
          throw err('InvalidParameterValue', `Invalid value '${String(size)}' for Size: a gp3 volume is 1 to ${MAX_VOLUME_GIB} GiB.`);
        }
        if (snapshot && (size as number) < snapshot.volumeSize) {
          throw err('InvalidParameterValue', `Volume of ${String(size)}GiB is smaller than snapshot '${snapshot.snapshotId}', expect size >= ${snapshot.volumeSize}GiB`);
        }
        const volumeId = newId('vol');
        let key: StoredKey | null = null;
        // Volumes from encrypted snapshots are always encrypted (EBS user guide).
        if (encryptedIn === true || snapshot?.key) {
          const ec2 = via(caller);
          const keyArn = await describeKey(calls, ec2, keyIn ?? snapshot?.key?.kmsKeyId ?? 'alias/aws/ebs');
          key = snapshot?.key && snapshot.key.kmsKeyId === keyArn ? await reEncryptKey(calls, ec2, snapshot.key, keyArn, volumeId) : await generateKey(calls, ec2, keyArn, volumeId);
        }
        const v: StoredVolume = { volumeId, size: size as number, availabilityZone: zone, createTime: kms.now(), snapshotId: snapshot?.snapshotId ?? '', key, attachment: null };
        await save(caller, 'volume', v);
        // EC2 answers CreateVolume while the volume is still being created.
        return { ...volumeShape(v, 'creating'), kmsCalls: calls };
      }),

    DescribeVolumes: (caller, input) =>
      run(async () => {
        const ids = idList(input === undefined ? undefined : inputObject(input), 'VolumeIds', volumeIdOf);
        const volumes = ids
          ? ids.map((id) => volumeShape(loadVolume(caller, id)))
          : kms.world
              .listServiceResources({ service: 'ec2', kind: 'volume' })
              .filter((r) => r.accountId === caller.accountId && r.region === caller.region)
              .map((r) => parseVolume(r.data as Record<string, unknown>))
              .filter((v): v is StoredVolume => v !== null)
              .map((v) => volumeShape(v));
        return { Volumes: volumes, kmsCalls: [] };
      }),

    AttachVolume: (caller, input) =>
      run(async (calls) => {
        const o = inputObject(input);
        const v = loadVolume(caller, volumeIdOf(reqString(o, 'VolumeId')));
        const instanceId = reqString(o, 'InstanceId');
        if (!INSTANCE_ID.test(instanceId)) throw err('InvalidInstanceID.Malformed', `Invalid id: "${instanceId}"`);
        const device = optString(o, 'Device', 32) ?? '/dev/sdf';
        if (!DEVICE.test(device)) throw err('InvalidParameterValue', `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`);
        if (v.attachment) throw err('VolumeInUse', `${v.volumeId} is already attached to an instance`);
        let grantId: string | null = null;
        if (v.key) {
          const role = await infrastructureRole(caller.accountId);
          // CreateGrant by the caller through EC2 (kms:ViaService ec2, kms:GrantIsForAWSResource).
          const g = await kmsCall(
            calls,
            'CreateGrant',
            {
              KeyId: v.key.kmsKeyId,
              GranteePrincipal: role,
              RetiringPrincipal: role,
              Operations: ['Decrypt'],
              Constraints: { EncryptionContextSubset: { [EBS_CONTEXT_KEY]: v.volumeId } },
              Name: uuid(randomBytes(16)),
            },
            via(caller),
          );
          grantId = g.GrantId as string;
          try {
            // The one Decrypt at attach, by the grantee; the token makes the new grant usable at once.
            await kmsCall(
              calls,
              'Decrypt',
              { CiphertextBlob: fromBase64(v.key.encryptedDataKey), EncryptionContext: v.key.encryptionContext, GrantTokens: [g.GrantToken as string] },
              infraCaller(caller, role),
            );
          } catch (e) {
            // The attachment fails: EC2 gives the grant back.
            await kmsCall(calls, 'RetireGrant', { KeyId: v.key.kmsKeyId, GrantId: grantId }, infraCaller(caller, role)).catch(() => undefined);
            throw e;
          }
        }
        const attached: StoredVolume = { ...v, attachment: { instanceId, device, attachTime: kms.now(), grantId } };
        await save(caller, 'volume', attached);
        return { ...attachmentShape(attached, 'attaching'), kmsCalls: calls };
      }),

    DetachVolume: (caller, input) =>
      run(async (calls) => {
        const o = inputObject(input);
        const v = loadVolume(caller, volumeIdOf(reqString(o, 'VolumeId')));
        const instanceId = optString(o, 'InstanceId');
        optString(o, 'Device', 32);
        optBool(o, 'Force');
        if (!v.attachment) throw err('IncorrectState', `Volume '${v.volumeId}' is in the 'available' state.`);
        if (instanceId !== undefined && instanceId !== v.attachment.instanceId) {
          throw err('InvalidAttachment.NotFound', `The volume '${v.volumeId}' is not attached to instance '${instanceId}'.`);
        }
        if (v.key && v.attachment.grantId) {
          const role = await infrastructureRole(caller.accountId);
          // A grant already revoked by an administrator is gone: the detach still succeeds.
          await kmsCall(calls, 'RetireGrant', { KeyId: v.key.kmsKeyId, GrantId: v.attachment.grantId }, infraCaller(caller, role)).catch(() => undefined);
        }
        await save(caller, 'volume', { ...v, attachment: null });
        return { ...attachmentShape(v, 'detaching'), kmsCalls: calls };
      }),

    CreateSnapshot: (caller, input) =>
      run(async () => {
        const o = inputObject(input);
        const v = loadVolume(caller, volumeIdOf(reqString(o, 'VolumeId')));
        const description = optString(o, 'Description', 255) ?? '';
        // The snapshot keeps the volume's encrypted data key and its context: no KMS call.
        const s: StoredSnapshot = { snapshotId: newId('snap'), volumeId: v.volumeId, volumeSize: v.size, startTime: kms.now(), description, ownerId: caller.accountId, key: v.key };
        await save(caller, 'snapshot', s);
        return { ...snapshotShape(s, 'pending'), kmsCalls: [] };
      }),

    DescribeSnapshots: (caller, input) =>
      run(async () => {
        const ids = idList(input === undefined ? undefined : inputObject(input), 'SnapshotIds', snapshotIdOf);
        const snapshots = ids
          ? ids.map((id) => snapshotShape(loadSnapshot(caller.accountId, caller.region, id)))
          : kms.world
              .listServiceResources({ service: 'ec2', kind: 'snapshot' })
              .filter((r) => r.accountId === caller.accountId && r.region === caller.region)
              .map((r) => parseSnapshot(r.data as Record<string, unknown>))
              .filter((s): s is StoredSnapshot => s !== null)
              .map((s) => snapshotShape(s));
        return { Snapshots: snapshots, kmsCalls: [] };
      }),

    CopySnapshot: (caller, input) =>
      run(async (calls) => {
        const o = inputObject(input);
        const sourceId = snapshotIdOf(reqString(o, 'SourceSnapshotId'));
        const sourceRegion = optString(o, 'SourceRegion', 32) ?? caller.region;
        if (!REGION.test(sourceRegion)) throw err('InvalidParameterValue', `Invalid value '${sourceRegion}' for SourceRegion.`);
        const description = optString(o, 'Description', 255) ?? `[Copied ${sourceId} from ${sourceRegion}]`;
        const encryptedIn = optBool(o, 'Encrypted');
        const keyIn = optString(o, 'KmsKeyId');
        if (keyIn !== undefined && encryptedIn !== true) throw err('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
        const source = loadSnapshot(caller.accountId, sourceRegion, sourceId);
        const snapshotId = newId('snap');
        let key: StoredKey | null = null;
        const ec2 = via(caller);
        const sameRegion = sourceRegion === caller.region;
        if (source.key) {
          // Default: the source's key within its Region, the Region's aws/ebs key elsewhere.
          const keyArn = await describeKey(calls, ec2, keyIn ?? (sameRegion ? source.key.kmsKeyId : 'alias/aws/ebs'));
          if (sameRegion) {
            key = await reEncryptKey(calls, ec2, source.key, keyArn, snapshotId);
          } else {
            // KMS keys are Regional: the source key is opened where it lives; a new data key protects the copy.
            await kmsCall(calls, 'Decrypt', { CiphertextBlob: fromBase64(source.key.encryptedDataKey), KeyId: source.key.kmsKeyId, EncryptionContext: source.key.encryptionContext }, via(caller, sourceRegion));
            key = await generateKey(calls, ec2, keyArn, snapshotId);
          }
        } else if (encryptedIn === true) {
          key = await generateKey(calls, ec2, await describeKey(calls, ec2, keyIn ?? 'alias/aws/ebs'), snapshotId);
        }
        const s: StoredSnapshot = { snapshotId, volumeId: source.volumeId, volumeSize: source.volumeSize, startTime: kms.now(), description, ownerId: caller.accountId, key };
        await save(caller, 'snapshot', s);
        return { SnapshotId: snapshotId, kmsCalls: calls };
      }),

    DeleteVolume: (caller, input) =>
      run(async () => {
        const o = inputObject(input);
        const v = loadVolume(caller, volumeIdOf(reqString(o, 'VolumeId')));
        if (v.attachment) throw err('VolumeInUse', `Volume ${v.volumeId} is currently attached to ${v.attachment.instanceId}`);
        await kms.world.deleteServiceResource(volumeArn(caller.region, caller.accountId, v.volumeId));
        return { kmsCalls: [] };
      }),

    DeleteSnapshot: (caller, input) =>
      run(async () => {
        const o = inputObject(input);
        const s = loadSnapshot(caller.accountId, caller.region, snapshotIdOf(reqString(o, 'SnapshotId')));
        await kms.world.deleteServiceResource(snapshotArn(caller.region, caller.accountId, s.snapshotId));
        return { kmsCalls: [] };
      }),
  };
  return {
    ...ops,
    call(operation, input, caller) {
      if (!(EBS_OPERATIONS as readonly string[]).includes(operation)) {
        return Promise.reject(new ServiceError('InvalidAction', `The action ${String(operation).slice(0, 64)} is not valid for this web service.`, 400));
      }
      const op = ops[operation as EbsOperation] as (c: CallerContext, i: unknown) => Promise<WithCalls<object>>;
      return op(caller, input) as Promise<WithCalls<Record<string, unknown>>>;
    },
  };
}

/** A version-4-shaped UUID from 16 random bytes (EBS names its grants with one). */
function uuid(b: Uint8Array): string {
  const x = Uint8Array.from(b);
  x[6] = (x[6]! & 0x0f) | 0x40;
  x[8] = (x[8]! & 0x3f) | 0x80;
  const h = hex(x);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
