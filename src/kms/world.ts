/**
 * The default world every new sandbox starts with (issue 3; access keys from issue 4):
 * two accounts, three Regions, the principals below and their IAM identity policies.
 *
 *   111122223333 (learner):  root, role/KeyAdmin, role/AppRole, user/alice
 *   444455556666 (partner):  root, role/PartnerApp
 *
 * KeyAdmin administers keys but cannot use them for cryptography; AppRole uses keys of its
 * account; alice has no KMS permissions; PartnerApp may Decrypt and DescribeKey keys of the
 * learner's account (the key policy must admit it too: cross-account needs both sides, §6.2).
 * An account root has every permission of its own account's IAM, so it needs no policy record.
 */
import type { AccountId } from './ids';
import type { AccountRecord, IdentityPolicyRecord, PrincipalKind, PrincipalRecord } from './model';

export const LEARNER_ACCOUNT = '111122223333' as AccountId;
export const PARTNER_ACCOUNT = '444455556666' as AccountId;
/** Regions offered by the sandbox; the first is the default. */
export const SANDBOX_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

/** Principal ARN of a root, user or role. */
export function principalArn(account: string, kind: PrincipalKind, name: string): string {
  return kind === 'root' ? `arn:aws:iam::${account}:root` : `arn:aws:iam::${account}:${kind}/${name}`;
}

function principal(accountId: AccountId, kind: PrincipalKind, name: string, accessKeyId: string): PrincipalRecord {
  return { typeName: 'principal', id: principalArn(accountId, kind, name), accountId, kind, name, accessKeyId };
}

function policy(principal: PrincipalRecord, policyName: string, statements: object[]): IdentityPolicyRecord {
  return {
    typeName: 'identityPolicy',
    id: `${principal.id}#${policyName}`,
    principalArn: principal.id,
    policyName,
    document: JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2),
  };
}

/** The default world's records, fresh on every call. */
export function defaultWorld(): (AccountRecord | PrincipalRecord | IdentityPolicyRecord)[] {
  const learnerRoot = principal(LEARNER_ACCOUNT, 'root', 'root', 'AKIAIOSFODNN7EXAMPLE');
  const keyAdmin = principal(LEARNER_ACCOUNT, 'role', 'KeyAdmin', 'AKIAKEYADMINEXAMPLE');
  const appRole = principal(LEARNER_ACCOUNT, 'role', 'AppRole', 'AKIAAPPROLEEXAMPLE');
  const alice = principal(LEARNER_ACCOUNT, 'user', 'alice', 'AKIAALICEEXAMPLE');
  const partnerRoot = principal(PARTNER_ACCOUNT, 'root', 'root', 'AKIAPARTNERROOTEXAMPLE');
  const partnerApp = principal(PARTNER_ACCOUNT, 'role', 'PartnerApp', 'AKIAPARTNEREXAMPLE');
  return [
    { typeName: 'account', id: LEARNER_ACCOUNT, name: 'Learner' },
    { typeName: 'account', id: PARTNER_ACCOUNT, name: 'Partner' },
    learnerRoot,
    keyAdmin,
    appRole,
    alice,
    partnerRoot,
    partnerApp,
    policy(keyAdmin, 'KeyAdministration', [
      {
        Sid: 'AdministerKeysNotUseThem',
        Effect: 'Allow',
        Action: [
          'kms:Create*',
          'kms:Describe*',
          'kms:Enable*',
          'kms:List*',
          'kms:Put*',
          'kms:Update*',
          'kms:Revoke*',
          'kms:Disable*',
          'kms:Get*',
          'kms:Delete*',
          'kms:TagResource',
          'kms:UntagResource',
          'kms:ScheduleKeyDeletion',
          'kms:CancelKeyDeletion',
          'kms:RotateKeyOnDemand',
        ],
        Resource: '*',
      },
    ]),
    policy(appRole, 'UseKeysOfThisAccount', [
      {
        Sid: 'CryptoWithOwnKeys',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: `arn:aws:kms:*:${LEARNER_ACCOUNT}:key/*`,
      },
    ]),
    policy(partnerApp, 'DecryptLearnerData', [
      {
        Sid: 'DecryptWithLearnerKeys',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: `arn:aws:kms:*:${LEARNER_ACCOUNT}:key/*`,
      },
    ]),
  ];
}
