/**
 * Helpers for migration tests (after tldraw's `packages/tlschema/src/__tests__/migrationTestUtils.ts`):
 * look a migration up by id, run its `up` alone on a clone of a before-fixture, and list the
 * migration ids of a registry that have no fixture (the meta-test).
 */
import {
  allMigrationIds,
  type MigrationId,
  type MigrationRegistry,
  type UnknownRecord,
} from '../../../../../src/kms/store/schema/index';

/** A before/after pair for one migration: a record (record scope) or the record list (store scope). */
export type MigrationFixture =
  | { readonly id: MigrationId; readonly before: UnknownRecord; readonly after: UnknownRecord }
  | { readonly id: MigrationId; readonly before: UnknownRecord[]; readonly after: UnknownRecord[] };

/** Runs the single migration `id` of `registry` on a clone of `before` and returns the result. */
export function runMigration(registry: MigrationRegistry, id: MigrationId, before: UnknownRecord | UnknownRecord[]): unknown {
  for (const seq of registry.sequences) {
    for (const m of seq.migrations) {
      if (m.id !== id) continue;
      const input = structuredClone(before);
      if (seq.scope === 'store') return (m.up as (r: UnknownRecord[]) => UnknownRecord[] | void)(input as UnknownRecord[]) ?? input;
      return (m.up as (r: UnknownRecord) => UnknownRecord | void)(input as UnknownRecord) ?? input;
    }
  }
  throw new Error(`no migration ${id}`);
}

/** Migration ids of `registry` with no fixture in `fixtures`. */
export function untestedMigrationIds(registry: MigrationRegistry, fixtures: readonly MigrationFixture[]): MigrationId[] {
  const tested = new Set(fixtures.map((f) => f.id));
  return allMigrationIds(registry).filter((id) => !tested.has(id));
}
