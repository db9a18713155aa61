/**
 * The `meta` record (model.ts MetaRecord): validator and the `kms.meta` migration sequence
 * (STYLE §5, §7). The seed determines every key's material: details never include it.
 */
import type { MetaRecord } from '../../model';
import { int, literal, recordValidator, time } from './check';
import { hex64 } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.meta` (append-only). None released: model.ts MetaRecord is version 0. */
export const metaVersions = {} as const;

/** Migration ids of `kms.meta`, by version name. */
export const metaMigrationIds = createMigrationIds('kms.meta', metaVersions);

/** The `kms.meta` migration sequence. */
export const metaMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.meta',
  scope: 'record',
  recordType: 'meta',
  firstVersion: 0,
  migrations: [],
});

/** Validates the `meta` record of the current version. */
export const validateMetaRecord = recordValidator<MetaRecord>('meta', {
  required: {
    typeName: literal('meta'),
    id: literal('sandbox'),
    seed: hex64,
    callCount: int(0),
    trailCount: int(0),
    createdAt: time,
  },
});
