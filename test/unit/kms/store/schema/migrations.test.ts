/**
 * Every migration has an up-test with a before/after fixture (STYLE §7), and a meta-test fails when
 * one does not: add the fixture of each new `kms.*` migration to `KMS_FIXTURES` below.
 */
import { describe, expect, it } from 'vitest';
import {
  allMigrationIds,
  defaultWorldAtStore1,
  KMS_REGISTRY,
  keyMigrationIds,
  metaMigrationIds,
  storeMigrationIds,
  trailEventMigrationIds,
  type UnknownRecord,
} from '../../../../../src/kms/store/schema/index';
import { defaultWorld } from '../../../../../src/kms/world';
import { sampleAccount, sampleClock, sampleKey, sampleMeta, sampleTrailEvent } from '../records';
import { runMigration, untestedMigrationIds, type MigrationFixture } from './migrationTestUtils';
import { TEST_FIXTURES, TEST_REGISTRY } from './testRegistry';

/** A first-release trail record (no `authorization`), as a plain before-fixture. */
const oldTrailEvent = () => ({ ...sampleTrailEvent() }) as unknown as UnknownRecord;

/** A meta record as written before the call log (kms.meta 0): no logCount, no logComplete. */
const oldMeta = (): UnknownRecord => {
  const { logCount: _c, logComplete: _l, ...old } = sampleMeta({ callCount: 7 });
  return old as unknown as UnknownRecord;
};

/** A key as written before issue 7 (kms.key 0): none of the key-zoo fields. */
const oldKey = (): UnknownRecord => {
  const { multiRegionKeyType: _m, customKeyStoreId: _c, xksKeyId: _x, expirationModel: _e, validTo: _v, stateAfter: _a, stateChangeAt: _t, ...old } = sampleKey();
  return old as unknown as UnknownRecord;
};

/** First-release records of a small sandbox (no accounts), as plain before-fixtures. */
const oldSandbox = () => [oldKey(), sampleClock(), oldMeta()].map((r) => ({ ...r }) as unknown as UnknownRecord);

/** Before/after fixtures of the released KMS migrations. */
const KMS_FIXTURES: readonly MigrationFixture[] = [
  // Identity: the optional field stays absent.
  { id: trailEventMigrationIds.AddAuthorizationTrace, before: oldTrailEvent(), after: oldTrailEvent() },
  { id: storeMigrationIds.AddDefaultWorld, before: oldSandbox(), after: [...oldSandbox(), ...defaultWorldAtStore1()] },
  // The history of a sandbox saved before the log cannot be replayed: logComplete false.
  { id: metaMigrationIds.AddCallLog, before: oldMeta(), after: { ...oldMeta(), logCount: 0, logComplete: false } },
  // Keys made before the key zoo are single-Region, in KMS's own store, with KMS material.
  { id: keyMigrationIds.AddKeyZoo, before: oldKey(), after: sampleKey() as unknown as UnknownRecord },
];

describe('KMS migrations: edge cases', () => {
  it('kms.store/1 adds the whole default world to an empty sandbox', () => {
    expect(runMigration(KMS_REGISTRY, storeMigrationIds.AddDefaultWorld, [])).toEqual(defaultWorld());
  });

  it('kms.store/1 leaves a record list that has accounts as it is', () => {
    const before = [...oldSandbox(), { ...sampleAccount({ id: '999988887777' as never, name: 'Mine' }) } as unknown as UnknownRecord];
    expect(runMigration(KMS_REGISTRY, storeMigrationIds.AddDefaultWorld, before)).toEqual(before);
  });

  it('kms.trailEvent/1 keeps a trace that is already there', () => {
    const withTrace = { ...sampleTrailEvent({ authorization: { decisions: [] } }) } as unknown as UnknownRecord;
    expect(runMigration(KMS_REGISTRY, trailEventMigrationIds.AddAuthorizationTrace, withTrace)).toEqual(withTrace);
  });
});

describe('KMS migrations', () => {
  it.each(KMS_FIXTURES.map((f) => [f.id, f] as const))('%s migrates its before-fixture to its after-fixture', (id, f) => {
    expect(runMigration(KMS_REGISTRY, id, f.before)).toEqual(f.after);
  });

  it('meta: every KMS migration id has a fixture', () => {
    expect(untestedMigrationIds(KMS_REGISTRY, KMS_FIXTURES)).toEqual([]);
  });
});

describe('test-only migrations (prove the helpers)', () => {
  it.each(TEST_FIXTURES.map((f) => [f.id, f] as const))('%s migrates its before-fixture to its after-fixture', (id, f) => {
    expect(runMigration(TEST_REGISTRY, id, f.before)).toEqual(f.after);
  });

  it('runMigration works on a clone: the fixture is not mutated', () => {
    const f = TEST_FIXTURES[1]!;
    const before = structuredClone(f.before);
    runMigration(TEST_REGISTRY, f.id, f.before);
    expect(f.before).toEqual(before);
  });

  it('meta: the check reports a migration that has no fixture', () => {
    const fixtures = [...KMS_FIXTURES, ...TEST_FIXTURES];
    expect(untestedMigrationIds(TEST_REGISTRY, fixtures)).toEqual([]);
    expect(untestedMigrationIds(TEST_REGISTRY, fixtures.filter((f) => f.id !== 'test.store/1'))).toEqual(['test.store/1']);
    expect(untestedMigrationIds(TEST_REGISTRY, TEST_FIXTURES)).toEqual(allMigrationIds(KMS_REGISTRY));
    expect(allMigrationIds(TEST_REGISTRY)).toEqual([...allMigrationIds(KMS_REGISTRY), 'test.store/1', 'test.legacyKey/1', 'test.legacyKey/2']);
  });
});
