/**
 * `tag` records (model.ts TagRecord): validator and the `kms.tag` migration sequence (STYLE §5, §7).
 * TagKey 1–128 and TagValue 0–256 characters (kms-semantics.md §3.2).
 */
import type { TagRecord } from '../../model';
import { literal, recordValidator, str } from './check';
import { keyArnFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.tag` (append-only). None released: model.ts TagRecord is version 0. */
export const tagVersions = {} as const;

/** Migration ids of `kms.tag`, by version name. */
export const tagMigrationIds = createMigrationIds('kms.tag', tagVersions);

/** The `kms.tag` migration sequence. */
export const tagMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.tag',
  scope: 'record',
  recordType: 'tag',
  firstVersion: 0,
  migrations: [],
});

/** Validates a `tag` record of the current version. */
export const validateTagRecord = recordValidator<TagRecord>(
  'tag',
  {
    required: {
      typeName: literal('tag'),
      id: (v, path) => (typeof v === 'string' ? null : `${path}: expected a string`),
      keyArn: keyArnFormat,
      tagKey: str({ min: 1, max: 128 }),
      tagValue: str({ max: 256 }),
    },
  },
  (r) => (r.id === `${r.keyArn}#${r.tagKey}` ? null : 'tag.id: expected `<keyArn>#<tagKey>`'),
);
