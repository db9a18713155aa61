/**
 * `policy` records (model.ts PolicyRecord): validator and the `kms.policy` migration sequence
 * (STYLE §5, §7). The document is stored verbatim; only its length is a storage invariant (the
 * API model's 1–131,072 chars, kms-semantics.md §3.2). Parsing and the 32 KB quota are the policy
 * layer's and PutKeyPolicy's business.
 */
import type { PolicyRecord } from '../../model';
import { literal, recordValidator, str } from './check';
import { keyArnFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.policy` (append-only). None released: model.ts PolicyRecord is version 0. */
export const policyVersions = {} as const;

/** Migration ids of `kms.policy`, by version name. */
export const policyMigrationIds = createMigrationIds('kms.policy', policyVersions);

/** The `kms.policy` migration sequence. */
export const policyMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.policy',
  scope: 'record',
  recordType: 'policy',
  firstVersion: 0,
  migrations: [],
});

/** Validates a `policy` record of the current version. */
export const validatePolicyRecord = recordValidator<PolicyRecord>(
  'policy',
  {
    required: {
      typeName: literal('policy'),
      id: (v, path) => (typeof v === 'string' ? null : `${path}: expected a string`),
      keyArn: keyArnFormat,
      policyName: literal('default'),
      document: str({ min: 1, max: 131_072 }),
    },
  },
  (r) => (r.id === `${r.keyArn}/${r.policyName}` ? null : 'policy.id: expected `<keyArn>/default`'),
);
