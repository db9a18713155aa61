/**
 * `account` records (model.ts AccountRecord, issue 3): validator and the `kms.account` migration
 * sequence (STYLE §5, §7). The id is the 12-digit account id (kms-semantics.md §5).
 */
import type { AccountRecord } from '../../model';
import { literal, recordValidator, str } from './check';
import { accountIdFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.account` (append-only). None released: model.ts AccountRecord is version 0. */
export const accountVersions = {} as const;

/** Migration ids of `kms.account`, by version name. */
export const accountMigrationIds = createMigrationIds('kms.account', accountVersions);

/** The `kms.account` migration sequence. */
export const accountMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.account',
  scope: 'record',
  recordType: 'account',
  firstVersion: 0,
  migrations: [],
});

/** Validates an `account` record of the current version. */
export const validateAccountRecord = recordValidator<AccountRecord>('account', {
  required: {
    typeName: literal('account'),
    id: accountIdFormat,
    // A label for people; no AWS constraint applies, so only a sane length.
    name: str({ min: 1, max: 128 }),
  },
});
