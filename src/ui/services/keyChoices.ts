/**
 * The key picker of the Services tab (issue 8): which KMS keys a simulated service may be told to
 * use for the acting caller — the AWS managed key of the service (`alias/aws/s3`, …, created by KMS
 * on first use) or a customer managed symmetric encryption key of the caller's account and Region.
 * Keys that are disabled or pending deletion are still offered (marked), so a learner can watch
 * the service fail as AWS does.
 */
import type { KeyRecord } from '../../kms';

/** One option of a key picker. `value` is what goes into the service request (KMSMasterKeyID, KmsKeyId). */
export interface KeyChoice {
  /** `''` for the service's AWS managed key (the request names no key), else the key ARN. */
  readonly value: string;
  readonly label: string;
}

/** The AWS managed key alias of each simulated service. */
export const AWS_MANAGED_ALIAS = { s3: 'aws/s3', ebs: 'aws/ebs', secretsmanager: 'aws/secretsmanager' } as const;
export type SimulatedService = keyof typeof AWS_MANAGED_ALIAS;

/**
 * The picker's options: the AWS managed key first, then the caller's customer managed symmetric
 * ENCRYPT_DECRYPT keys in `region` (oldest first), labelled with their first alias or key id.
 */
export function keyChoices(
  keys: readonly Pick<KeyRecord, 'id' | 'keyId' | 'accountId' | 'region' | 'keySpec' | 'keyUsage' | 'keyManager' | 'keyState' | 'creationDate'>[],
  aliasesOf: (arn: string) => readonly string[],
  where: { readonly accountId: string; readonly region: string },
  service: SimulatedService,
): KeyChoice[] {
  const own = keys
    .filter((k) => k.accountId === where.accountId && k.region === where.region && k.keyManager === 'CUSTOMER' && k.keySpec === 'SYMMETRIC_DEFAULT' && k.keyUsage === 'ENCRYPT_DECRYPT')
    .filter((k) => k.keyState !== 'PendingReplicaDeletion')
    .sort((a, b) => a.creationDate - b.creationDate || a.id.localeCompare(b.id));
  return [
    { value: '', label: `${AWS_MANAGED_ALIAS[service]} (AWS managed key)` },
    ...own.map((k) => {
      const alias = aliasesOf(k.id)[0];
      const state = k.keyState === 'Enabled' ? '' : ` — ${k.keyState}`;
      return { value: k.id, label: `${alias ?? k.keyId}${alias ? ` (${k.keyId.slice(0, 8)}…)` : ''}${state}` };
    }),
  ];
}
