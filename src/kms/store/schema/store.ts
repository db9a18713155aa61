/**
 * The store-level migration sequence `kms.store` (STYLE §7): changes that span records, such as
 * renaming a type or splitting one record into several. Store migrations run before every
 * record-scoped one, on a clone of the whole record list.
 *
 * History:
 * - version 1 (`AddDefaultWorld`, issue 3): sandboxes saved before accounts and principals existed
 *   get the default world (two accounts, their principals and IAM identity policies). A snapshot
 *   that already has `account` records is left alone, so the migration never duplicates records.
 */
import { defaultWorldAtStore1 } from './frozenWorld';
import { createMigrationIds, defineMigrationSequence, type StoreMigrationSequence } from './migrations';

/** Named versions of `kms.store` (append-only). */
export const storeVersions = { AddDefaultWorld: 1 } as const;

/** Migration ids of `kms.store`, by version name. */
export const storeMigrationIds = createMigrationIds('kms.store', storeVersions);

/** The `kms.store` migration sequence. */
export const storeMigrations: StoreMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.store',
  scope: 'store',
  firstVersion: 0,
  migrations: [
    {
      id: storeMigrationIds.AddDefaultWorld,
      // The world is frozen at this version's shapes (frozenWorld.ts); later account, principal
      // and identityPolicy migrations bring it up to date like any stored record.
      up: (records) => (records.some((r) => r.typeName === 'account') ? records : [...records, ...defaultWorldAtStore1()]),
    },
  ],
});
