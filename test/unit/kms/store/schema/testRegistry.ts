/**
 * A test-only migration registry: the KMS sequences plus two sequences that model a past the
 * real schema does not have yet, so the migrator's up-migrations can be exercised for real.
 *
 * The imagined history: records were once written with typeName `cmk` (renamed to `key` by
 * `test.store/1`), keys had `desc` instead of `description` (`test.legacyKey/1`) and no
 * `onDemandRotationCount` (`test.legacyKey/2`).
 */
import {
  createMigrationIds,
  defineMigrationSequence,
  KMS_REGISTRY,
  schemaOf,
  type MigrationRegistry,
  type RecordMigrationSequence,
  type SerializedSchema,
  type StoreMigrationSequence,
  type UnknownRecord,
} from '../../../../../src/kms/store/schema/index';
import { sampleKey } from '../records';
import type { MigrationFixture } from './migrationTestUtils';

export const legacyKeyVersions = { RenameDesc: 1, AddOnDemandRotationCount: 2 } as const;
export const legacyKeyIds = createMigrationIds('test.legacyKey', legacyKeyVersions);

export const legacyKeyMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'test.legacyKey',
  scope: 'record',
  recordType: 'key',
  firstVersion: 0,
  migrations: [
    {
      id: legacyKeyIds.RenameDesc,
      up: (r) => {
        r.description = r.desc;
        delete r.desc;
      },
    },
    { id: legacyKeyIds.AddOnDemandRotationCount, up: (r) => ({ ...r, onDemandRotationCount: 0 }) },
  ],
});

export const testStoreVersions = { RenameCmkToKey: 1 } as const;
export const testStoreIds = createMigrationIds('test.store', testStoreVersions);

export const testStoreMigrations: StoreMigrationSequence = defineMigrationSequence({
  sequenceId: 'test.store',
  scope: 'store',
  firstVersion: 0,
  migrations: [
    {
      id: testStoreIds.RenameCmkToKey,
      up: (records) => {
        for (const r of records) if (r.typeName === 'cmk') r.typeName = 'key';
      },
    },
  ],
});

/** KMS registry + the test-only sequences. */
export const TEST_REGISTRY: MigrationRegistry = {
  sequences: [...KMS_REGISTRY.sequences, testStoreMigrations, legacyKeyMigrations],
  validate: KMS_REGISTRY.validate,
};

/** TEST_REGISTRY's current schema. */
export const TEST_CURRENT: SerializedSchema = schemaOf(TEST_REGISTRY);

/** TEST_REGISTRY's schema with the test sequences at the given versions. */
export function testSchemaAt(store: number, legacyKey: number): SerializedSchema {
  return { schemaVersion: 1, sequences: { ...TEST_CURRENT.sequences, 'test.store': store, 'test.legacyKey': legacyKey } };
}

/** A key as written at test.store 0 / test.legacyKey 0 (the oldest imagined shape). */
export function ancientKey(description = 'from the past'): UnknownRecord {
  const { description: _d, onDemandRotationCount: _c, ...rest } = sampleKey();
  return { ...rest, typeName: 'cmk', desc: description };
}

/** Before/after fixtures of every test-only migration. */
export const TEST_FIXTURES: readonly MigrationFixture[] = [
  { id: testStoreIds.RenameCmkToKey, before: [ancientKey(), { typeName: 'clock' }], after: [{ ...ancientKey(), typeName: 'key' }, { typeName: 'clock' }] },
  {
    id: legacyKeyIds.RenameDesc,
    before: { ...ancientKey('old words'), typeName: 'key' },
    after: (() => {
      const { desc: _d, ...rest } = ancientKey();
      return { ...rest, typeName: 'key', description: 'old words' };
    })(),
  },
  {
    id: legacyKeyIds.AddOnDemandRotationCount,
    before: (() => {
      const { onDemandRotationCount: _c, ...rest } = sampleKey();
      return rest;
    })(),
    after: { ...sampleKey() },
  },
];
