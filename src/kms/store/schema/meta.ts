/**
 * The `meta` record (model.ts MetaRecord): validator and the `kms.meta` migration sequence
 * (STYLE §5, §7). The seed determines every key's material: details never include it.
 *
 * History:
 * - version 1 (`AddCallLog`, issue 6): `logCount` and `logComplete`. A sandbox saved before the
 *   call log existed has no log, so its history cannot be replayed: `logCount` 0 and
 *   `logComplete` false (the share layer refuses to build a link from its log).
 */
import type { MetaRecord } from '../../model';
import { bool, int, literal, recordValidator, time } from './check';
import { hex64 } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.meta` (append-only). */
export const metaVersions = { AddCallLog: 1 } as const;

/** Migration ids of `kms.meta`, by version name. */
export const metaMigrationIds = createMigrationIds('kms.meta', metaVersions);

/** The `kms.meta` migration sequence. */
export const metaMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.meta',
  scope: 'record',
  recordType: 'meta',
  firstVersion: 0,
  migrations: [
    {
      id: metaMigrationIds.AddCallLog,
      up: (r) => {
        r.logCount = 0;
        r.logComplete = false;
      },
    },
  ],
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
    logCount: int(0),
    logComplete: bool,
  },
});
