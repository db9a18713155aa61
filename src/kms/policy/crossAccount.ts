/**
 * Which operations may use a key in another account (kms-semantics.md §5 "Cross-account use").
 * The service's authorization (src/kms/authorization.ts) denies the others before reading any
 * policy; a bare key id or alias name never resolves in another account anyway.
 */

/** Operations that may use a key in another account (§5). */
export const CROSS_ACCOUNT_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateGrant',
  'Decrypt',
  'DeriveSharedSecret',
  'DescribeKey',
  'Encapsulate',
  'Decapsulate',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'GetKeyRotationStatus',
  'GetPublicKey',
  'ListGrants',
  'ReEncrypt',
  'RetireGrant',
  'RevokeGrant',
  'Sign',
  'Verify',
  'VerifyMac',
]);
