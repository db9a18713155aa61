/**
 * `principal` records (model.ts PrincipalRecord, issue 3): validator and the `kms.principal`
 * migration sequence (STYLE §5, §7).
 *
 * The id is the principal ARN, a function of (accountId, kind, name): `arn:aws:iam::<acct>:root`
 * for the account root (whose name is `root`), `…:user/<name>` or `…:role/<name>` otherwise, with
 * IAM's name rule `[\w+=,.@-]{1,64}`. IAM paths are not simulated. The access key id follows IAM's
 * `AKIA…` form; its uniqueness across principals is a cross-record rule (`&accessKeyId` in Dexie,
 * checked by `migrateSnapshot` through `UNIQUE_FIELDS`).
 */
import type { PrincipalRecord } from '../../model';
import { literal, oneOf, recordValidator, str } from './check';
import { accessKeyIdFormat, accountIdFormat, IAM_NAME_RE } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.principal` (append-only). None released: model.ts PrincipalRecord is version 0. */
export const principalVersions = {} as const;

/** Migration ids of `kms.principal`, by version name. */
export const principalMigrationIds = createMigrationIds('kms.principal', principalVersions);

/** The `kms.principal` migration sequence. */
export const principalMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.principal',
  scope: 'record',
  recordType: 'principal',
  firstVersion: 0,
  migrations: [],
});

/** Validates a `principal` record of the current version. */
export const validatePrincipalRecord = recordValidator<PrincipalRecord>(
  'principal',
  {
    required: {
      typeName: literal('principal'),
      id: str({ what: 'a string' }),
      accountId: accountIdFormat,
      kind: oneOf(['root', 'user', 'role']),
      name: str({ min: 1, max: 64 }),
      accessKeyId: accessKeyIdFormat,
    },
  },
  (r) => {
    if (r.kind === 'root' ? r.name !== 'root' : !IAM_NAME_RE.test(r.name))
      return r.kind === 'root' ? 'principal.name: expected "root" for the account root' : 'principal.name: expected 1–64 chars of [\\w+=,.@-]';
    const arn = r.kind === 'root' ? `arn:aws:iam::${r.accountId}:root` : `arn:aws:iam::${r.accountId}:${r.kind}/${r.name}`;
    return r.id === arn ? null : 'principal.id: expected the principal ARN of accountId, kind and name';
  },
);
