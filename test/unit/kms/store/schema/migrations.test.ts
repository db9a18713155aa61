/**
 * Every migration has an up-test with a before/after fixture (STYLE §7), and a meta-test fails when
 * one does not: add the fixture of each new `kms.*` migration to `KMS_FIXTURES` below.
 */
import { describe, expect, it } from 'vitest';
import { allMigrationIds, KMS_REGISTRY } from '../../../../../src/kms/store/schema/index';
import { runMigration, untestedMigrationIds, type MigrationFixture } from './migrationTestUtils';
import { TEST_FIXTURES, TEST_REGISTRY } from './testRegistry';

/** Before/after fixtures of the released KMS migrations (none released yet). */
const KMS_FIXTURES: readonly MigrationFixture[] = [];

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
    expect(untestedMigrationIds(TEST_REGISTRY, TEST_FIXTURES)).toEqual([]);
    expect(untestedMigrationIds(TEST_REGISTRY, TEST_FIXTURES.slice(1))).toEqual(['test.store/1']);
    expect(allMigrationIds(TEST_REGISTRY)).toEqual(['test.store/1', 'test.legacyKey/1', 'test.legacyKey/2']);
  });
});
