/**
 * JSON 1.1 member types of KMS requests (kms-semantics.md §2.1, §13.1), by member name: a member
 * has the same type in every operation of the KMS model. The wire layer uses them to turn JSON into
 * service requests (base64 → bytes, epoch seconds → Date) and to refuse wrong JSON types with
 * SerializationException, as AWS's deserializer does. Members not listed are ignored, as AWS
 * ignores unknown members.
 */

export type MemberType =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'blob'
  | 'timestamp'
  | 'stringMap'
  | 'stringList'
  | 'tagList'
  | 'grantConstraints'
  | 'document';

export const REQUEST_MEMBERS: Readonly<Record<string, MemberType>> = {
  // keys and identifiers
  KeyId: 'string',
  TargetKeyId: 'string',
  SourceKeyId: 'string',
  DestinationKeyId: 'string',
  AliasName: 'string',
  CustomKeyStoreId: 'string',
  XksKeyId: 'string',
  // payloads
  Plaintext: 'blob',
  CiphertextBlob: 'blob',
  Message: 'blob',
  Signature: 'blob',
  Mac: 'blob',
  PublicKey: 'blob',
  ImportToken: 'blob',
  EncryptedKeyMaterial: 'blob',
  SharedSecretCiphertextBlob: 'blob',
  // contexts and algorithms
  EncryptionContext: 'stringMap',
  SourceEncryptionContext: 'stringMap',
  DestinationEncryptionContext: 'stringMap',
  EncryptionAlgorithm: 'string',
  SourceEncryptionAlgorithm: 'string',
  DestinationEncryptionAlgorithm: 'string',
  SigningAlgorithm: 'string',
  MacAlgorithm: 'string',
  MessageType: 'string',
  KeyAgreementAlgorithm: 'string',
  EncapsulationAlgorithm: 'string',
  // key creation and settings
  Policy: 'string',
  PolicyName: 'string',
  Description: 'string',
  KeyUsage: 'string',
  KeySpec: 'string',
  CustomerMasterKeySpec: 'string',
  KeyPairSpec: 'string',
  Origin: 'string',
  MultiRegion: 'boolean',
  BypassPolicyLockoutSafetyCheck: 'boolean',
  Tags: 'tagList',
  TagKeys: 'stringList',
  NumberOfBytes: 'integer',
  PendingWindowInDays: 'integer',
  RotationPeriodInDays: 'integer',
  IncludeKeyMaterial: 'string',
  ValidTo: 'timestamp',
  ExpirationModel: 'string',
  WrappingAlgorithm: 'string',
  WrappingKeySpec: 'string',
  ReplicaRegion: 'string',
  PrimaryRegion: 'string',
  ImportType: 'string',
  KeyMaterialDescription: 'string',
  KeyMaterialId: 'string',
  // custom key stores
  CustomKeyStoreName: 'string',
  NewCustomKeyStoreName: 'string',
  CustomKeyStoreType: 'string',
  CloudHsmClusterId: 'string',
  TrustAnchorCertificate: 'string',
  KeyStorePassword: 'string',
  XksProxyUriEndpoint: 'string',
  XksProxyUriPath: 'string',
  XksProxyVpcEndpointServiceName: 'string',
  XksProxyVpcEndpointServiceOwner: 'string',
  XksProxyAuthenticationCredential: 'document',
  XksProxyConnectivity: 'string',
  // grants
  GrantTokens: 'stringList',
  GranteePrincipal: 'string',
  RetiringPrincipal: 'string',
  GranteeServicePrincipal: 'string',
  RetiringServicePrincipal: 'string',
  Operations: 'stringList',
  Constraints: 'grantConstraints',
  Name: 'string',
  GrantId: 'string',
  GrantToken: 'string',
  // paging and dry runs
  Limit: 'integer',
  Marker: 'string',
  DryRun: 'boolean',
  DryRunModifiers: 'stringList',
  Recipient: 'document',
};

/**
 * The structures typed `document` above: their model shape name (for SerializationException
 * messages) and their members' types. Unknown inner members are ignored, as at the top level.
 */
export const STRUCTURE_SHAPES: Readonly<Record<string, { readonly shape: string; readonly members: Readonly<Record<string, MemberType>> }>> = {
  XksProxyAuthenticationCredential: { shape: 'XksProxyAuthenticationCredentialType', members: { AccessKeyId: 'string', RawSecretAccessKey: 'string' } },
  Recipient: { shape: 'RecipientInfo', members: { KeyEncryptionAlgorithm: 'string', AttestationDocument: 'blob' } },
};

/** AWS's Java-style JSON type names, as its SerializationException messages print them. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'VALUE_NULL';
  if (Array.isArray(v)) return 'START_ARRAY';
  switch (typeof v) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return Number.isInteger(v) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
    case 'boolean':
      return v ? 'VALUE_TRUE' : 'VALUE_FALSE';
    default:
      return 'START_OBJECT';
  }
}
