/**
 * The command table of the in-page AWS CLI console (issue 4): every operation of `OPERATIONS`
 * as an `aws kms <command>` with the CLI's naming (kebab-case commands and `--kebab-case` flags,
 * botocore's `xform_name`), each member's type (from the wire layer's `REQUEST_MEMBERS`), which
 * members the API model requires, a one-line description, and the CLI's paginators
 * (botocore `kms/2014-11-01/paginators-1.json`).
 *
 * Members and required flags follow kms-semantics.md §2.1 (the current model), in model order.
 */
import { OPERATIONS, type OperationName } from '../kms';
import { REQUEST_MEMBERS, type MemberType } from '../wire';

/** One request member as a CLI flag. */
export interface CliMember {
  /** PascalCase member name as on the wire (`KeyId`). */
  readonly name: string;
  /** The CLI flag (`--key-id`). */
  readonly flag: string;
  readonly type: MemberType;
  /** Required by the API model (argparse refuses the command without it). */
  readonly isRequired: boolean;
}

/** A paginated operation: the CLI follows `NextMarker` and merges `resultKey` across pages. */
export interface CliPaginator {
  readonly resultKey: string;
}

/** One `aws kms` command. */
export interface CliCommand {
  /** kebab-case command (`generate-data-key`). */
  readonly name: string;
  readonly operation: OperationName;
  /** One-line description (help). */
  readonly summary: string;
  readonly members: readonly CliMember[];
  readonly paginator: CliPaginator | null;
}

/**
 * botocore's `xform_name` with `-` as separator: `GenerateDataKey` → `generate-data-key`,
 * `AWSAccountId` → `aws-account-id`, `ReEncrypt` → `re-encrypt`.
 */
export function toKebab(pascal: string): string {
  return pascal
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** Required members first as `!Name`, then optional ones, in model order. */
type Spec = readonly [summary: string, members: readonly string[], resultKey?: string];

const SPECS: Record<OperationName, Spec> = {
  CancelKeyDeletion: ['Cancels the deletion of a KMS key; the key is left Disabled.', ['!KeyId']],
  ConnectCustomKeyStore: ['Connects a custom key store to its backing CloudHSM cluster or external key store proxy.', ['!CustomKeyStoreId']],
  CreateAlias: ['Creates a friendly name (alias/...) for a KMS key.', ['!AliasName', '!TargetKeyId']],
  CreateCustomKeyStore: ['Creates a custom key store backed by a CloudHSM cluster or an external key store (XKS) proxy.', ['!CustomKeyStoreName', 'CloudHsmClusterId', 'TrustAnchorCertificate', 'KeyStorePassword', 'CustomKeyStoreType', 'XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyVpcEndpointServiceName', 'XksProxyVpcEndpointServiceOwner', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity']],
  CreateGrant: [
    'Adds a grant to a KMS key: lets a principal use the key for the listed operations.',
    ['!KeyId', 'GranteePrincipal', 'RetiringPrincipal', '!Operations', 'Constraints', 'GrantTokens', 'Name', 'DryRun', 'GranteeServicePrincipal', 'RetiringServicePrincipal'],
  ],
  CreateKey: [
    'Creates a unique customer managed KMS key in your account and Region.',
    ['Policy', 'Description', 'KeyUsage', 'CustomerMasterKeySpec', 'KeySpec', 'Origin', 'CustomKeyStoreId', 'BypassPolicyLockoutSafetyCheck', 'Tags', 'MultiRegion', 'XksKeyId'],
  ],
  Decapsulate: ['Decapsulates a shared secret with an ML-KEM key.', ['!KeyId', '!SharedSecretCiphertextBlob', '!EncapsulationAlgorithm', 'GrantTokens', 'DryRun']],
  Decrypt: [
    'Decrypts ciphertext that was encrypted by a KMS key (Encrypt, GenerateDataKey, ...).',
    ['CiphertextBlob', 'EncryptionContext', 'GrantTokens', 'KeyId', 'EncryptionAlgorithm', 'Recipient', 'DryRun', 'DryRunModifiers'],
  ],
  DeleteAlias: ['Deletes the specified alias (the key is not affected).', ['!AliasName']],
  DeleteCustomKeyStore: ['Deletes a custom key store (it must be disconnected and hold no KMS keys).', ['!CustomKeyStoreId']],
  DeleteImportedKeyMaterial: ['Deletes imported key material from a KMS key: the key becomes PendingImport.', ['!KeyId', 'KeyMaterialId']],
  DeriveSharedSecret: ['Derives a shared secret (ECDH) from a KEY_AGREEMENT key and a peer public key.', ['!KeyId', '!KeyAgreementAlgorithm', '!PublicKey', 'GrantTokens', 'DryRun', 'Recipient']],
  DescribeCustomKeyStores: ['Gets information about custom key stores in the account and Region.', ['CustomKeyStoreId', 'CustomKeyStoreName', 'Limit', 'Marker'], 'CustomKeyStores'],
  DescribeKey: ['Provides detailed information (KeyMetadata) about a KMS key.', ['!KeyId', 'GrantTokens']],
  DisableKey: ['Sets the state of a KMS key to Disabled: it cannot be used for cryptography.', ['!KeyId']],
  DisableKeyRotation: ['Disables automatic rotation of the key material of a KMS key.', ['!KeyId']],
  DisconnectCustomKeyStore: ['Disconnects a custom key store: its KMS keys become Unavailable.', ['!CustomKeyStoreId']],
  EnableKey: ['Sets the key state of a KMS key to Enabled.', ['!KeyId']],
  EnableKeyRotation: ['Enables automatic rotation of the key material (every 90-2560 days, default 365).', ['!KeyId', 'RotationPeriodInDays']],
  Encapsulate: ['Generates a shared secret and its encapsulation with an ML-KEM key.', ['!KeyId', '!EncapsulationAlgorithm', 'GrantTokens', 'DryRun']],
  Encrypt: [
    'Encrypts up to 4,096 bytes of plaintext with a KMS key.',
    ['!KeyId', '!Plaintext', 'EncryptionContext', 'GrantTokens', 'EncryptionAlgorithm', 'DryRun'],
  ],
  GenerateDataKey: [
    'Returns a data key: its plaintext and a copy encrypted under a KMS key (envelope encryption).',
    ['!KeyId', 'EncryptionContext', 'NumberOfBytes', 'KeySpec', 'GrantTokens', 'Recipient', 'DryRun'],
  ],
  GenerateDataKeyPair: ['Returns an asymmetric data key pair: public key, private key in plaintext and encrypted under a KMS key.', ['EncryptionContext', '!KeyId', '!KeyPairSpec', 'GrantTokens', 'Recipient', 'DryRun']],
  GenerateDataKeyPairWithoutPlaintext: ['Returns an asymmetric data key pair without the plaintext private key.', ['EncryptionContext', '!KeyId', '!KeyPairSpec', 'GrantTokens', 'DryRun']],
  GenerateDataKeyWithoutPlaintext: [
    'Returns only the encrypted copy of a new data key (decrypt it when you need it).',
    ['!KeyId', 'EncryptionContext', 'KeySpec', 'NumberOfBytes', 'GrantTokens', 'DryRun'],
  ],
  GenerateMac: ['Computes an HMAC of a message with an HMAC KMS key.', ['!Message', '!KeyId', '!MacAlgorithm', 'GrantTokens', 'DryRun']],
  GenerateRandom: ['Returns a random byte string (1-1024 bytes).', ['NumberOfBytes', 'CustomKeyStoreId', 'Recipient']],
  GetKeyPolicy: ['Gets a key policy attached to a KMS key (its name is always "default").', ['!KeyId', 'PolicyName']],
  GetKeyRotationStatus: ['Tells whether automatic key rotation is enabled, its period and the next rotation date.', ['!KeyId']],
  GetParametersForImport: ['Returns the public wrapping key and import token to import key material into a KMS key.', ['!KeyId', '!WrappingAlgorithm', '!WrappingKeySpec']],
  GetPublicKey: ['Returns the public key of an asymmetric KMS key (DER SubjectPublicKeyInfo).', ['!KeyId', 'GrantTokens']],
  ImportKeyMaterial: ['Imports wrapped key material into a KMS key with Origin EXTERNAL.', ['!KeyId', '!ImportToken', '!EncryptedKeyMaterial', 'ValidTo', 'ExpirationModel', 'ImportType', 'KeyMaterialDescription', 'KeyMaterialId']],
  ListAliases: ['Gets a list of aliases in the account and Region (or of one key).', ['KeyId', 'Limit', 'Marker'], 'Aliases'],
  ListGrants: ['Gets a list of all grants for a KMS key.', ['Limit', 'Marker', '!KeyId', 'GrantId', 'GranteePrincipal'], 'Grants'],
  ListKeyPolicies: ['Gets the names of the key policies attached to a KMS key ("default").', ['!KeyId', 'Limit', 'Marker'], 'PolicyNames'],
  ListKeyRotations: ['Returns the completed rotations of the key material of a KMS key.', ['!KeyId', 'IncludeKeyMaterial', 'Limit', 'Marker'], 'Rotations'],
  ListKeys: ['Gets a list of all KMS keys in the caller\'s account and Region.', ['Limit', 'Marker'], 'Keys'],
  ListResourceTags: ['Returns all tags on a KMS key.', ['!KeyId', 'Limit', 'Marker'], 'Tags'],
  ListRetirableGrants: ['Lists the grants in the account and Region that a principal may retire.', ['Limit', 'Marker', 'RetiringPrincipal'], 'Grants'],
  PutKeyPolicy: ['Attaches a key policy to a KMS key (replacing the current one).', ['!KeyId', 'PolicyName', '!Policy', 'BypassPolicyLockoutSafetyCheck']],
  ReEncrypt: [
    'Decrypts ciphertext and re-encrypts it under another key (or context) entirely inside KMS.',
    ['CiphertextBlob', 'SourceEncryptionContext', 'SourceKeyId', '!DestinationKeyId', 'DestinationEncryptionContext', 'SourceEncryptionAlgorithm', 'DestinationEncryptionAlgorithm', 'GrantTokens', 'DryRun', 'DryRunModifiers'],
  ],
  ReplicateKey: ['Replicates a multi-Region primary key into another Region.', ['!KeyId', '!ReplicaRegion', 'Policy', 'BypassPolicyLockoutSafetyCheck', 'Description', 'Tags']],
  RetireGrant: ['Deletes a grant; done by its retiring principal (or the grantee, for some operations).', ['GrantToken', 'KeyId', 'GrantId', 'DryRun']],
  RevokeGrant: ['Deletes the specified grant (done by a key administrator).', ['!KeyId', '!GrantId', 'DryRun']],
  RotateKeyOnDemand: ['Rotates the key material of a symmetric KMS key now.', ['!KeyId']],
  ScheduleKeyDeletion: ['Schedules the deletion of a KMS key after a waiting period (7-30 days, default 30).', ['!KeyId', 'PendingWindowInDays']],
  Sign: ['Creates a digital signature of a message or digest with an asymmetric SIGN_VERIFY key.', ['!KeyId', '!Message', 'MessageType', 'GrantTokens', '!SigningAlgorithm', 'DryRun']],
  TagResource: ['Adds or edits tags on a KMS key.', ['!KeyId', '!Tags']],
  UntagResource: ['Deletes tags from a KMS key.', ['!KeyId', '!TagKeys']],
  UpdateAlias: ['Associates an existing alias with a different KMS key.', ['!AliasName', '!TargetKeyId']],
  UpdateCustomKeyStore: ['Changes the properties of a custom key store.', ['!CustomKeyStoreId', 'NewCustomKeyStoreName', 'KeyStorePassword', 'CloudHsmClusterId', 'XksProxyUriEndpoint', 'XksProxyUriPath', 'XksProxyVpcEndpointServiceName', 'XksProxyVpcEndpointServiceOwner', 'XksProxyAuthenticationCredential', 'XksProxyConnectivity']],
  UpdateKeyDescription: ['Updates the description of a KMS key.', ['!KeyId', '!Description']],
  UpdatePrimaryRegion: ['Makes the replica in another Region the primary key of a multi-Region key.', ['!KeyId', '!PrimaryRegion']],
  Verify: ['Verifies a digital signature made by Sign (an invalid signature is an error).', ['!KeyId', '!Message', 'MessageType', '!Signature', '!SigningAlgorithm', 'GrantTokens', 'DryRun']],
  VerifyMac: ['Verifies an HMAC made by GenerateMac (a mismatch is an error).', ['!Message', '!KeyId', '!MacAlgorithm', '!Mac', 'GrantTokens', 'DryRun']],
};

function member(spec: string): CliMember {
  const isRequired = spec.startsWith('!');
  const name = isRequired ? spec.slice(1) : spec;
  const type = REQUEST_MEMBERS[name];
  if (type === undefined) throw new Error(`No wire type for member ${name}`);
  return { name, flag: `--${toKebab(name)}`, type, isRequired };
}

/** Every `aws kms` command, sorted by name (as `aws kms help` lists them). */
export const COMMANDS: readonly CliCommand[] = OPERATIONS.map((operation): CliCommand => {
  const [summary, members, resultKey] = SPECS[operation];
  return {
    name: toKebab(operation),
    operation,
    summary,
    members: members.map(member),
    paginator: resultKey ? { resultKey } : null,
  };
}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

/** The command of a kebab-case name, or undefined. */
export function commandNamed(name: string): CliCommand | undefined {
  return BY_NAME.get(name);
}

/** The command of an operation. */
export function commandFor(operation: OperationName): CliCommand {
  const c = COMMANDS.find((x) => x.operation === operation);
  if (!c) throw new Error(`No command for ${operation}`);
  return c;
}

/** Values of enumerated members (help and tab completion); see `memberChoices`. */
const MEMBER_CHOICES: Readonly<Record<string, readonly string[]>> = {
  KeyUsage: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE'],
  KeySpec: ['SYMMETRIC_DEFAULT', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024', 'SM2'],
  CustomerMasterKeySpec: ['SYMMETRIC_DEFAULT', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2'],
  Origin: ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'],
  Operations: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret', 'Encapsulate', 'Decapsulate'],
  EncryptionAlgorithm: ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'],
  SourceEncryptionAlgorithm: ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'],
  DestinationEncryptionAlgorithm: ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'],
  IncludeKeyMaterial: ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'],
  KeyPairSpec: ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'],
  SigningAlgorithm: ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'SM2DSA', 'ML_DSA_SHAKE_256', 'ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  MessageType: ['RAW', 'DIGEST', 'EXTERNAL_MU'],
  MacAlgorithm: ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'],
  KeyAgreementAlgorithm: ['ECDH'],
  EncapsulationAlgorithm: ['ML_KEM'],
  WrappingAlgorithm: ['RSAES_PKCS1_V1_5', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'SM2PKE'],
  WrappingKeySpec: ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'],
  ExpirationModel: ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'],
  ImportType: ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'],
  CustomKeyStoreType: ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'],
  XksProxyConnectivity: ['PUBLIC_ENDPOINT', 'VPC_ENDPOINT_SERVICE'],
  DryRunModifiers: ['IGNORE_CIPHERTEXT'],
};

const DATA_KEY_SPECS = ['AES_256', 'AES_128'];

/** The allowed values of an enumerated member of a command (empty for free-form members). */
export function memberChoices(command: CliCommand, member: string): readonly string[] {
  if (member === 'KeySpec' && command.operation.startsWith('GenerateDataKey')) return DATA_KEY_SPECS;
  return Object.hasOwn(MEMBER_CHOICES, member) ? (MEMBER_CHOICES[member] ?? []) : [];
}
