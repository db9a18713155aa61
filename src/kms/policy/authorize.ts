/**
 * Authorization hook called by every operation after it resolves its key (STYLE §4).
 *
 * Issue 2 ships a stub: key policies, IAM policies and grants are evaluated with issue 3.
 * What it already enforces is the part of §5 that needs no policy: operations AWS does not allow
 * across accounts are denied when the key belongs to another account.
 */
import { kmsError } from '../errors';
import type { CallerContext } from '../events';

/** Operations that may use a key in another account (§5 "Cross-account use"). */
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

/** Throws AccessDeniedException when `caller` may not perform `action` (e.g. `kms:Encrypt`) on the key. */
export function authorize(
  caller: CallerContext,
  operation: string,
  action: string,
  key: { id: string; accountId: string },
): void {
  if (key.accountId !== caller.accountId && !CROSS_ACCOUNT_OPERATIONS.has(operation)) {
    throw kmsError(
      'AccessDeniedException',
      `User: ${caller.principalArn} is not authorized to perform: ${action} on resource: ${key.id} because ${operation} cannot be used across accounts`,
    );
  }
}
