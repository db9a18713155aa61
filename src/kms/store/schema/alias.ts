/**
 * `alias` records (model.ts AliasRecord): validator and the `kms.alias` migration sequence
 * (STYLE §5, §7). Alias rules: kms-semantics.md §3.4; ARN format §5.
 */
import { aliasArn, type AccountId, type AliasName, type Region } from '../../ids';
import type { AliasRecord } from '../../model';
import { literal, recordValidator, time } from './check';
import { accountIdFormat, aliasNameFormat, keyIdFormat, regionFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.alias` (append-only). None released: model.ts AliasRecord is version 0. */
export const aliasVersions = {} as const;

/** Migration ids of `kms.alias`, by version name. */
export const aliasMigrationIds = createMigrationIds('kms.alias', aliasVersions);

/** The `kms.alias` migration sequence. */
export const aliasMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.alias',
  scope: 'record',
  recordType: 'alias',
  firstVersion: 0,
  migrations: [],
});

/** Validates an `alias` record of the current version. */
export const validateAliasRecord = recordValidator<AliasRecord>(
  'alias',
  {
    required: {
      typeName: literal('alias'),
      id: (v, path) => (typeof v === 'string' ? null : `${path}: expected a string`),
      aliasName: aliasNameFormat,
      accountId: accountIdFormat,
      region: regionFormat,
      targetKeyId: keyIdFormat,
      creationDate: time,
      lastUpdatedDate: time,
    },
  },
  (r) =>
    r.id === aliasArn(r.region as Region, r.accountId as AccountId, r.aliasName as AliasName)
      ? null
      : 'alias.id: expected the alias ARN of aliasName in region and accountId',
);
