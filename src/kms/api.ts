/**
 * The public face of the KMS service: one entry point for the UI, the wire protocol, lessons and
 * tests (issue 2). Requests and responses are AWS-shaped: PascalCase members exactly as the API,
 * blobs as Uint8Array, timestamps as Date (the shapes `@aws-sdk/client-kms` uses).
 */
import type { CallerContext, KmsEvent } from './events';
import type { ServiceName, ServiceResourceRecord, TrailEventRecord } from './model';
import type { ServiceResourceInput } from './log';

/** Every operation the service answers: the 56 of the current model (kms-semantics.md §2) but GetKeyLastUsage. */
export const OPERATIONS = [
  'CancelKeyDeletion',
  'ConnectCustomKeyStore',
  'CreateAlias',
  'CreateCustomKeyStore',
  'CreateGrant',
  'CreateKey',
  'Decapsulate',
  'Decrypt',
  'DeleteAlias',
  'DeleteCustomKeyStore',
  'DeleteImportedKeyMaterial',
  'DeriveSharedSecret',
  'DescribeCustomKeyStores',
  'DescribeKey',
  'DisableKey',
  'DisableKeyRotation',
  'DisconnectCustomKeyStore',
  'EnableKey',
  'EnableKeyRotation',
  'Encapsulate',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GenerateRandom',
  'GetKeyPolicy',
  'GetKeyRotationStatus',
  'GetParametersForImport',
  'GetPublicKey',
  'ImportKeyMaterial',
  'ListAliases',
  'ListGrants',
  'ListKeyPolicies',
  'ListKeyRotations',
  'ListKeys',
  'ListResourceTags',
  'ListRetirableGrants',
  'PutKeyPolicy',
  'ReEncrypt',
  'ReplicateKey',
  'RetireGrant',
  'RevokeGrant',
  'RotateKeyOnDemand',
  'ScheduleKeyDeletion',
  'Sign',
  'TagResource',
  'UntagResource',
  'UpdateAlias',
  'UpdateCustomKeyStore',
  'UpdateKeyDescription',
  'UpdatePrimaryRegion',
  'Verify',
  'VerifyMac',
] as const;
export type OperationName = (typeof OPERATIONS)[number];

export function isOperationName(s: string): s is OperationName {
  return (OPERATIONS as readonly string[]).includes(s);
}

/** An AWS-shaped request or response object. */
export type AwsShape = Record<string, unknown>;

/** What a sandbox-time advance did. */
export interface AdvanceResult {
  /** Sandbox time after the advance (ms). */
  readonly now: number;
  /** Service events that happened (rotations, completed deletions), in time order. */
  readonly events: readonly KmsEvent[];
}

/** Fired after every committed call or clock advance. */
export interface CommitNotice {
  /** Trail records written by this commit. */
  readonly trail: readonly TrailEventRecord[];
}

export interface KmsService {
  /**
   * Runs one AWS operation as `caller`. Resolves to the AWS-shaped response; rejects with a
   * `KmsError` named as AWS names it. Calls are serialized: each sees the previous one's effects.
   * Exactly one trail record is written per call, in the same transaction as its effects.
   */
  call(operation: string, request: AwsShape, caller: CallerContext): Promise<AwsShape>;
  /** Current sandbox time (ms). */
  now(): number;
  /**
   * Advances the sandbox clock by `ms` (≥ 0), doing what AWS does as time passes: due automatic
   * rotations (AUTOMATIC material, RotateKey event) and completed deletions (DeleteKey event).
   */
  advanceClock(ms: number): Promise<AdvanceResult>;
  /** The next scheduled event time (rotation or deletion) after now, or null. */
  nextScheduledEventTime(): number | null;
  /** Listens for commits; returns the unsubscribe function. */
  subscribe(listener: (notice: CommitNotice) => void): () => void;
  /** The sandbox's accounts, principals and IAM identity policies (IAM's side, issue 3). */
  readonly world: WorldAdmin;
}

/**
 * Edits the sandbox's IAM world. These are IAM's operations, not KMS's, so they write no KMS
 * trail record; they commit like calls (serialized, atomic) and notify subscribers.
 */
export interface WorldAdmin {
  /** Adds an account (12 digits) with its root principal. AlreadyExistsException if present. */
  createAccount(accountId: string, name: string): Promise<void>;
  /** Adds an IAM user or role; returns its principal ARN and generated access key id. */
  createPrincipal(input: { accountId: string; kind: 'user' | 'role'; name: string }): Promise<{ arn: string; accessKeyId: string }>;
  /** Creates or replaces an inline identity policy (validated: MalformedPolicyDocumentException). */
  putIdentityPolicy(principalArn: string, policyName: string, document: string): Promise<void>;
  /** Removes an inline identity policy (NotFoundException if absent). */
  deleteIdentityPolicy(principalArn: string, policyName: string): Promise<void>;
  /**
   * Creates or replaces a resource of a simulated AWS service (issue 8: an S3 object, an EBS
   * volume, a secret, a load workload). Validated as a record (ValidationException with the
   * reason); logged, so a replay rebuilds it.
   */
  putServiceResource(record: ServiceResourceInput): Promise<void>;
  /** Removes a simulated service's resource (NotFoundException if absent). */
  deleteServiceResource(id: string): Promise<void>;
  /** A simulated service's resource by id (ARN), or undefined. */
  getServiceResource(id: string): ServiceResourceRecord | undefined;
  /** The simulated services' resources, in id order, optionally of one service and/or kind. */
  listServiceResources(filter?: { readonly service?: ServiceName; readonly kind?: string }): readonly ServiceResourceRecord[];
  /** The principal an access key id signs as (wire protocol), or null when the sandbox has no such key. */
  principalForAccessKey(accessKeyId: string): { readonly arn: string; readonly accountId: string } | null;
  /** Every principal with its access key id, accounts in id order. */
  listPrincipals(): readonly { readonly arn: string; readonly accountId: string; readonly kind: string; readonly name: string; readonly accessKeyId: string }[];
}
