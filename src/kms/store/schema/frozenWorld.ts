/**
 * The default world as `kms.store/1` (`AddDefaultWorld`) adds it to sandboxes saved before issue 3:
 * a frozen copy of `defaultWorld()` (src/kms/world.ts) as released with that migration, in the
 * shapes of `kms.account/0`, `kms.principal/0` and `kms.identityPolicy/0`.
 *
 * Why a copy and not a call to `defaultWorld()`: a migration is frozen code (STYLE §7). Records a
 * store migration adds still go through every later record migration of their type, so they must
 * have the shape of the version the migration was written against, not whatever world.ts returns
 * today; and an old sandbox must migrate to the same records forever. NEVER edit this file. If
 * old sandboxes should see a later change of world.ts, add a new `kms.store` migration.
 * (A test checks that this copy still equals `defaultWorld()`; when world.ts changes on purpose,
 * that test is the reminder to decide.)
 */
import type { UnknownRecord } from './migrations';

const LEARNER = '111122223333';
const PARTNER = '444455556666';

function principal(accountId: string, kind: 'root' | 'user' | 'role', name: string, accessKeyId: string): UnknownRecord {
  const id = kind === 'root' ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:${kind}/${name}`;
  return { typeName: 'principal', id, accountId, kind, name, accessKeyId };
}

function policy(principalArn: string, policyName: string, statement: object): UnknownRecord {
  return {
    typeName: 'identityPolicy',
    id: `${principalArn}#${policyName}`,
    principalArn,
    policyName,
    document: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2),
  };
}

/** Fresh copies of the default world's records at `kms.store/1` (migrations may mutate them). */
export function defaultWorldAtStore1(): UnknownRecord[] {
  return [
    { typeName: 'account', id: LEARNER, name: 'Learner' },
    { typeName: 'account', id: PARTNER, name: 'Partner' },
    principal(LEARNER, 'root', 'root', 'AKIAIOSFODNN7EXAMPLE'),
    principal(LEARNER, 'role', 'KeyAdmin', 'AKIAKEYADMINEXAMPLE'),
    principal(LEARNER, 'role', 'AppRole', 'AKIAAPPROLEEXAMPLE'),
    principal(LEARNER, 'user', 'alice', 'AKIAALICEEXAMPLE'),
    principal(PARTNER, 'root', 'root', 'AKIAPARTNERROOTEXAMPLE'),
    principal(PARTNER, 'role', 'PartnerApp', 'AKIAPARTNEREXAMPLE'),
    policy(`arn:aws:iam::${LEARNER}:role/KeyAdmin`, 'KeyAdministration', {
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
    }),
    policy(`arn:aws:iam::${LEARNER}:role/AppRole`, 'UseKeysOfThisAccount', {
      Sid: 'CryptoWithOwnKeys',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: `arn:aws:kms:*:${LEARNER}:key/*`,
    }),
    policy(`arn:aws:iam::${PARTNER}:role/PartnerApp`, 'DecryptLearnerData', {
      Sid: 'DecryptWithLearnerKeys',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: `arn:aws:kms:*:${LEARNER}:key/*`,
    }),
  ];
}
