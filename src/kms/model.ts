/**
 * Persisted records of a sandbox (STYLE §5): state only, nothing derived, plain data.
 *
 * Every record has `typeName` and `id`. Records are immutable values: an update writes a new
 * value. Times are epoch milliseconds on the sandbox clock. AWS-facing values (KeyState, KeySpec,
 * ...) keep AWS spelling; field names are camelCase and each operation maps them to the AWS shape.
 * Validators and migrations for these shapes live in `store/schema/`.
 */
import type { AccountId, AliasName, KeyArn, KeyId, KeyMaterialId, Region } from './ids';
import type { LogEntry } from './log';

/** The eight KeyState values (§1.1). */
export const KEY_STATES = [
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingReplicaDeletion',
  'PendingImport',
  'Unavailable',
  'Creating',
  'Updating',
] as const;
export type KeyState = (typeof KEY_STATES)[number];

export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ML_KEM_512',
  'ML_KEM_768',
  'ML_KEM_1024',
  'SM2',
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = [
  'SIGN_VERIFY',
  'ENCRYPT_DECRYPT',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
  'ENCAPSULATE_DECAPSULATE',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export type Origin = (typeof ORIGINS)[number];

export type KeyManager = 'AWS' | 'CUSTOMER';
export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';

/** A KMS key (the logical key; its material versions are MaterialRecords). */
export interface KeyRecord {
  readonly typeName: 'key';
  /** The key ARN: unique across accounts and Regions. */
  readonly id: KeyArn;
  /** Bare key id (UUID). */
  readonly keyId: KeyId;
  /** Owning account. */
  readonly accountId: AccountId;
  /** Region the key lives in. */
  readonly region: Region;
  /** Creation time (ms). */
  readonly creationDate: number;
  /** Description, 0–8192 chars. */
  readonly description: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly origin: Origin;
  /** CUSTOMER for keys made by CreateKey; AWS for AWS managed keys. */
  readonly keyManager: KeyManager;
  /** Current KeyState. `Enabled` (the KeyMetadata boolean) is derived from it. */
  readonly keyState: KeyState;
  /** When a scheduled deletion completes (ms); present only while PendingDeletion. */
  readonly deletionDate: number | null;
  /** Waiting period chosen in ScheduleKeyDeletion; present only while PendingDeletion or PendingReplicaDeletion. */
  readonly pendingDeletionWindowInDays: number | null;
  /**
   * Material used for new encryptions (and the only one of asymmetric and HMAC keys). Null only for
   * an `EXTERNAL` key that never had material imported; after DeleteImportedKeyMaterial it keeps
   * naming the deleted material, so only the same material can be imported again (§2.2).
   */
  readonly currentKeyMaterialId: KeyMaterialId | null;
  /** Automatic rotation switch (EnableKeyRotation / DisableKeyRotation). */
  readonly rotationEnabled: boolean;
  /** Automatic rotation period, 90–2560 days; kept while rotation is disabled (AWS keeps it too). */
  readonly rotationPeriodInDays: number | null;
  /** When the next automatic rotation is due (ms); null while automatic rotation is off. */
  readonly nextRotationDate: number | null;
  /** On-demand rotations performed so far (limit §8). */
  readonly onDemandRotationCount: number;
  /** Multi-Region role (§9): null for a single-Region key. The key id starts `mrk-` otherwise. */
  readonly multiRegionKeyType: MultiRegionKeyType | null;
  /** The custom key store holding the key (`cks-…`), or null (§1.5, origins AWS_CLOUDHSM and EXTERNAL_KEY_STORE). */
  readonly customKeyStoreId: string | null;
  /** The external key's id in an external key store (XksKeyId), or null. */
  readonly xksKeyId: string | null;
  /** ImportKeyMaterial's ExpirationModel for `EXTERNAL` keys with material; null otherwise. */
  readonly expirationModel: ExpirationModel | null;
  /** When imported material expires (ms; KEY_MATERIAL_EXPIRES only), else null. */
  readonly validTo: number | null;
  /**
   * The state a key returns to when a transient or unavailable period ends (§1.1): Creating →
   * Enabled/PendingImport, Updating → the state before it, Unavailable → the state before the key
   * store disconnected (EnableKey/DisableKey while Unavailable change this, footnote 12). Else null.
   */
  readonly stateAfter: KeyState | null;
  /**
   * When a transient state (Creating, Updating) ends on the sandbox clock (ms); for a primary in
   * PendingReplicaDeletion, when its last replica's deletion completes (null while a replica is not
   * scheduled for deletion); else null.
   */
  readonly stateChangeAt: number | null;
}

export type MultiRegionKeyType = 'PRIMARY' | 'REPLICA';

/** The issue-7 fields of a single-Region key with KMS-generated material in KMS's own key store. */
export const PLAIN_KEY_FIELDS = {
  multiRegionKeyType: null,
  customKeyStoreId: null,
  xksKeyId: null,
  expirationModel: null,
  validTo: null,
  stateAfter: null,
  stateChangeAt: null,
} as const satisfies Partial<KeyRecord>;
export const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
export type ExpirationModel = (typeof EXPIRATION_MODELS)[number];

/** One version of a key's material (kept until the key is deleted, §8). */
export interface MaterialRecord {
  readonly typeName: 'material';
  /** `<key ARN>/<keyMaterialId>` */
  readonly id: string;
  readonly keyArn: KeyArn;
  readonly keyMaterialId: KeyMaterialId;
  /**
   * Simulated HSM content, never logged or shown: the 256-bit AES key (SYMMETRIC_DEFAULT), the HMAC
   * key (HMAC_*), or the DER PKCS#8 private key (asymmetric specs).
   */
  readonly material: Uint8Array;
  /** When this material was created (ms). */
  readonly createdAt: number;
  /**
   * Position in the key's history: 0 for the original material, n for the n-th rotation. Orders
   * materials made in the same millisecond (the sandbox clock only moves when told to).
   */
  readonly version: number;
  /** How it came to be: null for the key's original material, else the rotation kind. */
  readonly rotationType: RotationType | null;
}

/** A customer alias. AWS predefined `alias/aws/*` aliases are not stored until bound. */
export interface AliasRecord {
  readonly typeName: 'alias';
  /** Alias ARN. */
  readonly id: string;
  readonly aliasName: AliasName;
  readonly accountId: AccountId;
  readonly region: Region;
  /** Bare key id of the target key (same account and Region). */
  readonly targetKeyId: KeyId;
  readonly creationDate: number;
  readonly lastUpdatedDate: number;
}

/** One tag on a key. */
export interface TagRecord {
  readonly typeName: 'tag';
  /** `<key ARN>#<tag key>` */
  readonly id: string;
  readonly keyArn: KeyArn;
  readonly tagKey: string;
  readonly tagValue: string;
}

/** A key policy document, stored verbatim as the caller sent it (GetKeyPolicy returns it as is). */
export interface PolicyRecord {
  readonly typeName: 'policy';
  /** `<key ARN>/<policy name>` */
  readonly id: string;
  readonly keyArn: KeyArn;
  /** Always `default` (§2.2). */
  readonly policyName: 'default';
  readonly document: string;
}

/** One CloudTrail record (built by src/trail), persisted as is. */
export interface TrailEventRecord {
  readonly typeName: 'trailEvent';
  /** The CloudTrail eventID. */
  readonly id: string;
  /** Position in the sandbox's trail, 0-based, strictly increasing. */
  readonly seq: number;
  /** The CloudTrail record (JSON-safe). */
  readonly record: CloudTrailRecord;
  /**
   * Why the call was allowed or denied (the "why" panel, issue 3): the authorization trace,
   * JSON-safe. Not part of the CloudTrail record; absent for calls that never reached authorization.
   */
  readonly authorization?: { [k: string]: JsonValue };
}

/** An AWS account of the sandbox world (issue 3). */
export interface AccountRecord {
  readonly typeName: 'account';
  /** The 12-digit account id. */
  readonly id: AccountId;
  /** A label for people ("Learner", "Partner"). */
  readonly name: string;
}

export type PrincipalKind = 'root' | 'user' | 'role';

/** An IAM principal: an account root, an IAM user or an IAM role. */
export interface PrincipalRecord {
  readonly typeName: 'principal';
  /** Principal ARN: `arn:aws:iam::<acct>:root`, `...:user/<name>` or `...:role/<name>`. */
  readonly id: string;
  readonly accountId: AccountId;
  readonly kind: PrincipalKind;
  /** User or role name; `root` for the account root. */
  readonly name: string;
  /** Access key id that signs as this principal on the wire (issue 4). Unique. */
  readonly accessKeyId: string;
}

/** An inline IAM identity policy attached to a principal (the account root needs none). */
export interface IdentityPolicyRecord {
  readonly typeName: 'identityPolicy';
  /** `<principal ARN>#<policy name>` */
  readonly id: string;
  readonly principalArn: string;
  /** 1–128 chars of `[\w+=,.@-]`. */
  readonly policyName: string;
  /** The policy JSON as written by its author. */
  readonly document: string;
}

/** The `GrantOperation` enum (kms-semantics.md §7.2): the only operations a grant can allow. */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
  'Encapsulate',
  'Decapsulate',
] as const;

/** A grant on a key (kms-semantics.md §7). */
export interface GrantRecord {
  readonly typeName: 'grant';
  /** The GrantId (64 hex chars). */
  readonly id: string;
  readonly keyArn: KeyArn;
  /** Friendly name, or null. */
  readonly name: string | null;
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | null;
  /** Account root ARN of the account that created the grant. */
  readonly issuingAccount: string;
  /** Grant operations, e.g. ["Decrypt", "RetireGrant"]. */
  readonly operations: readonly string[];
  /** EncryptionContextEquals / EncryptionContextSubset, or null. */
  readonly constraints: {
    readonly encryptionContextEquals?: Readonly<Record<string, string>>;
    readonly encryptionContextSubset?: Readonly<Record<string, string>>;
  } | null;
  /** Creation time (ms); the grant is effective everywhere after a propagation delay (§7). */
  readonly creationDate: number;
  /** The grant token returned by CreateGrant. */
  readonly grantToken: string;
}

export const CUSTOM_KEY_STORE_TYPES = ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export type CustomKeyStoreType = (typeof CUSTOM_KEY_STORE_TYPES)[number];
export const CONNECTION_STATES = ['CONNECTED', 'CONNECTING', 'FAILED', 'DISCONNECTED', 'DISCONNECTING'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** A custom key store (§1.5): a simulated CloudHSM cluster or external key store proxy. */
export interface CustomKeyStoreRecord {
  readonly typeName: 'customKeyStore';
  /** CustomKeyStoreId: `cks-` + 17 hex digits. */
  readonly id: string;
  readonly accountId: AccountId;
  readonly region: Region;
  /** CustomKeyStoreName, unique in the account and Region. */
  readonly name: string;
  readonly customKeyStoreType: CustomKeyStoreType;
  readonly connectionState: ConnectionState;
  /** ConnectionErrorCode while FAILED (e.g. `NETWORK_ERRORS`), else null. */
  readonly connectionErrorCode: string | null;
  readonly creationDate: number;
  /** AWS_CLOUDHSM: the cluster id and trust anchor certificate; else null. */
  readonly cloudHsmClusterId: string | null;
  readonly trustAnchorCertificate: string | null;
  /** EXTERNAL_KEY_STORE: the proxy configuration as DescribeCustomKeyStores shows it (no secret); else null. */
  readonly xksProxyConfiguration: { readonly [k: string]: JsonValue } | null;
}

/** The result of GetParametersForImport (§2.2): a wrapping key pair and its import token. */
export interface ImportParametersRecord {
  readonly typeName: 'importParameters';
  /** `<key ARN>#<hex of the import token>` */
  readonly id: string;
  readonly keyArn: KeyArn;
  /** The opaque ImportToken returned to the caller. */
  readonly importToken: Uint8Array;
  readonly wrappingAlgorithm: string;
  readonly wrappingKeySpec: string;
  /** DER PKCS#8 of the wrapping private key. Simulated HSM content: never logged or shown. */
  readonly privateKey: Uint8Array;
  /** ParametersValidTo (ms): 24 sandbox hours after issue. */
  readonly parametersValidTo: number;
}

/** The AWS services the sandbox simulates around KMS (issue 8), and the load workloads. */
export const SERVICE_NAMES = ['s3', 'ec2', 'secretsmanager', 'workload'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * A resource of a simulated AWS service around KMS (issue 8: an S3 bucket or object, an EBS volume
 * or snapshot, a Secrets Manager secret) or a load workload. KMS itself knows only workloads
 * (`service: 'workload'`, read by quotas.ts: the request rate they put on a quota); everything
 * else in `data` belongs to the simulated service (src/services), which validates it.
 */
export interface ServiceResourceRecord {
  readonly typeName: 'serviceResource';
  /** The resource's ARN (`arn:aws:s3:::bucket/key`, `arn:aws:ec2:…:volume/vol-…`), or `workload/<name>`. */
  readonly id: string;
  readonly service: ServiceName;
  /** Resource type within the service: `bucket`, `object`, `volume`, `snapshot`, `secret`, `workload`. */
  readonly kind: string;
  readonly accountId: AccountId;
  readonly region: Region;
  /** Service-specific fields; bytes as base64 strings. */
  readonly data: { readonly [k: string]: JsonValue };
}

/** The sandbox clock. Sandbox time = injected clock + offsetMs. */
export interface ClockRecord {
  readonly typeName: 'clock';
  readonly id: 'clock';
  /** How far the sandbox clock has been advanced beyond the injected clock (ms). */
  readonly offsetMs: number;
}

/** Sandbox-wide metadata. */
export interface MetaRecord {
  readonly typeName: 'meta';
  readonly id: 'sandbox';
  /** Seed of the sandbox's deterministic random generator (64 hex chars). */
  readonly seed: string;
  /** Calls made so far (the random stream of call n is derived from the seed and n). */
  readonly callCount: number;
  /** Trail records written so far (next TrailEventRecord.seq). */
  readonly trailCount: number;
  /** When the sandbox was created (ms, sandbox clock). */
  readonly createdAt: number;
  /** Log entries written so far (next LogEntryRecord seq), issue 6. */
  readonly logCount: number;
  /**
   * True when the log holds every state change since the sandbox was created, so replaying it
   * from the seed rebuilds the sandbox. False for sandboxes saved before logging existed
   * (`kms.meta/1`): their history starts before the log, and the share layer refuses to replay them.
   */
  readonly logComplete: boolean;
}

/** One entry of the sandbox's call log (log.ts), committed with the change it describes. */
export interface LogEntryRecord {
  readonly typeName: 'logEntry';
  /** `logEntryId(seq)`: the seq zero-padded to 12 digits, so id order is log order. */
  readonly id: string;
  /** The entry (JSON-safe); `entry.seq` matches the id. */
  readonly entry: LogEntry;
}

/** JSON value (what a CloudTrail record is made of). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** CloudTrail record shape (§10). Optional fields are omitted when absent. */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: { [k: string]: JsonValue };
  eventTime: string;
  eventSource: 'kms.amazonaws.com';
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: { [k: string]: JsonValue } | null;
  responseElements: { [k: string]: JsonValue } | null;
  additionalEventData?: { [k: string]: JsonValue };
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId: string; type: 'AWS::KMS::Key'; ARN: string }[];
  eventType: 'AwsApiCall' | 'AwsServiceEvent';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
  serviceEventDetails?: { [k: string]: JsonValue };
  tlsDetails?: { [k: string]: JsonValue };
}

export type AnyRecord =
  | AccountRecord
  | PrincipalRecord
  | IdentityPolicyRecord
  | GrantRecord
  | KeyRecord
  | MaterialRecord
  | AliasRecord
  | TagRecord
  | PolicyRecord
  | TrailEventRecord
  | ClockRecord
  | MetaRecord
  | LogEntryRecord
  | CustomKeyStoreRecord
  | ImportParametersRecord
  | ServiceResourceRecord;

export type TypeName = AnyRecord['typeName'];

/** Table of each record type (the Dexie stores and the in-memory maps use these names). */
export const TABLE_OF = {
  account: 'accounts',
  principal: 'principals',
  identityPolicy: 'identityPolicies',
  grant: 'grants',
  key: 'keys',
  material: 'materials',
  alias: 'aliases',
  tag: 'tags',
  policy: 'policies',
  trailEvent: 'trail',
  clock: 'clock',
  meta: 'meta',
  logEntry: 'log',
  customKeyStore: 'customKeyStores',
  importParameters: 'importParameters',
  serviceResource: 'serviceResources',
} as const satisfies Record<TypeName, string>;

export type TableName = (typeof TABLE_OF)[TypeName];

export type RecordOf<T extends TypeName> = Extract<AnyRecord, { typeName: T }>;
