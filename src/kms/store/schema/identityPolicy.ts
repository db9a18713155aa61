/**
 * `identityPolicy` records (model.ts IdentityPolicyRecord, issue 3): validator and the
 * `kms.identityPolicy` migration sequence (STYLE §5, §7).
 *
 * An inline IAM policy of a user or role: the id is `<principal ARN>#<policy name>`, the name
 * follows IAM's `[\w+=,.@-]{1,128}`, the document is stored verbatim (1–131,072 chars, the bound
 * the key policy record uses; parsing belongs to src/kms/policy). An account root takes no identity
 * policy (it has every permission of its account's IAM, issue 3), so root ARNs are refused.
 */
import type { IdentityPolicyRecord } from '../../model';
import { literal, recordValidator, str } from './check';
import { IAM_POLICY_NAME_RE, parsePrincipalArn } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.identityPolicy` (append-only). None released: model.ts IdentityPolicyRecord is version 0. */
export const identityPolicyVersions = {} as const;

/** Migration ids of `kms.identityPolicy`, by version name. */
export const identityPolicyMigrationIds = createMigrationIds('kms.identityPolicy', identityPolicyVersions);

/** The `kms.identityPolicy` migration sequence. */
export const identityPolicyMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.identityPolicy',
  scope: 'record',
  recordType: 'identityPolicy',
  firstVersion: 0,
  migrations: [],
});

/** Validates an `identityPolicy` record of the current version. */
export const validateIdentityPolicyRecord = recordValidator<IdentityPolicyRecord>(
  'identityPolicy',
  {
    required: {
      typeName: literal('identityPolicy'),
      id: str({ what: 'a string' }),
      principalArn: (v, path) => {
        const kind = typeof v === 'string' ? parsePrincipalArn(v)?.kind : undefined;
        return kind === 'user' || kind === 'role' ? null : `${path}: expected the ARN of an IAM user or role`;
      },
      policyName: str({ min: 1, max: 128, re: IAM_POLICY_NAME_RE, what: '1–128 chars of [\\w+=,.@-]' }),
      document: str({ min: 1, max: 131_072 }),
    },
  },
  (r) => (r.id === `${r.principalArn}#${r.policyName}` ? null : 'identityPolicy.id: expected `<principalArn>#<policyName>`'),
);
