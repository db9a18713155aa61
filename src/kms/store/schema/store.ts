/**
 * The store-level migration sequence `kms.store` (STYLE §7): changes that span records, such as
 * renaming a type or splitting one record into several. Store migrations run before every
 * record-scoped one, on a clone of the whole record list.
 */
import { createMigrationIds, defineMigrationSequence, type StoreMigrationSequence } from './migrations';

/** Named versions of `kms.store` (append-only). None released yet. */
export const storeVersions = {} as const;

/** Migration ids of `kms.store`, by version name. */
export const storeMigrationIds = createMigrationIds('kms.store', storeVersions);

/** The `kms.store` migration sequence. */
export const storeMigrations: StoreMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.store',
  scope: 'store',
  firstVersion: 0,
  migrations: [],
});
