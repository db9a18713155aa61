/**
 * The one migrator (STYLE §7): `migrateSnapshot` brings records written under any older schema to
 * the current one and validates them. IndexedDB loads, share-URL imports and lesson seeds all go
 * through it, so a migration is never written twice. Modelled on tldraw's
 * `StoreSchema.migrateStoreSnapshot` (packages/store/src/lib/StoreSchema.ts), simplified: no
 * `down`, no `dependsOn`, no non-retroactive sequences.
 *
 * Pipeline, each step returning a failure instead of throwing:
 *
 *   check the snapshot shape ──▶ check the schema ──▶ plan (per sequence: stored ▶ current version)
 *     ──▶ clone the records ──▶ store migrations ──▶ record migrations ──▶ validate + no duplicates
 *                                                                        (ids, and `uniqueFields`)
 *
 * Order: every pending `kms.store` migration runs first (it may rename types), then the record
 * sequences in registry order. A sequence missing from the stored schema is taken to be at version
 * 0 (tldraw's "retroactive" default); a stored sequence this code does not know means the data was
 * written by a newer client (`version-too-new`). Records a store migration adds then go through
 * the pending record migrations of their type like stored ones, so a store migration must add them
 * in the shape of that type's version when it was written (e.g. `kms.store/1` adds the frozen
 * world of frozenWorld.ts, never the live one).
 */
import type { AnyRecord } from '../../model';
import { isBytes, isPlainObject, setOwn } from './check';
import {
  currentVersion,
  type MigrationRegistry,
  type MigrationSequence,
  type RecordMigration,
  type SerializedSchema,
  type StoreMigration,
  type UnknownRecord,
} from './migrations';
import { KMS_REGISTRY } from './records';
import { errorName, fail, ok, type Result } from './result';

/** A snapshot to migrate: records as written under `schema` (shapes of that version, not yet trusted). */
export interface MigratableSnapshot {
  readonly schema: SerializedSchema;
  readonly records: readonly unknown[];
}

/**
 * Checks a serialized schema from outside: `{ schemaVersion: 1, sequences: { id: version ≥ 0 } }`.
 * A higher integer `schemaVersion` is `version-too-new`; anything else malformed is `unknown-format`.
 * Returns a fresh copy.
 */
export function parseSerializedSchema(v: unknown): Result<SerializedSchema, 'unknown-format' | 'version-too-new'> {
  try {
    if (!isPlainObject(v)) return fail('unknown-format', 'schema: expected an object');
    const { schemaVersion, sequences } = v;
    if (Number.isSafeInteger(schemaVersion) && (schemaVersion as number) > 1)
      return fail('version-too-new', 'schema.schemaVersion: newer than this code understands (1)');
    if (schemaVersion !== 1) return fail('unknown-format', 'schema.schemaVersion: expected 1');
    if (!isPlainObject(sequences)) return fail('unknown-format', 'schema.sequences: expected an object');
    if (Object.keys(v).some((k) => k !== 'schemaVersion' && k !== 'sequences')) return fail('unknown-format', 'schema: unexpected field');
    const out: Record<string, number> = {};
    for (const [id, version] of Object.entries(sequences)) {
      if (id.length === 0 || id.includes('/')) return fail('unknown-format', 'schema.sequences: malformed sequence id');
      if (!Number.isSafeInteger(version) || (version as number) < 0) return fail('unknown-format', 'schema.sequences: expected versions ≥ 0');
      setOwn(out, id, version);
    }
    return ok({ schemaVersion: 1, sequences: out });
  } catch (e) {
    return fail('unknown-format', `schema: unreadable (${errorName(e)})`);
  }
}

/** Deepest nesting a record may have; deeper (or cyclic) input is refused, not recursed into. */
const MAX_DEPTH = 100;

/** Marks a value the cloner refuses (functions, dates, maps, class instances, cycles). */
const UNCLONABLE: unique symbol = Symbol('unclonable');

/** Clones plain data (JSON values and Uint8Array) so migrations can mutate freely. */
function cloneData(v: unknown, depth: number): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === undefined) return v;
  if (depth > MAX_DEPTH) return UNCLONABLE;
  if (isBytes(v)) return new Uint8Array(v);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const c = cloneData(e, depth + 1);
      if (c === UNCLONABLE) return UNCLONABLE;
      out.push(c);
    }
    return out;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const c = cloneData(v[k], depth + 1);
      if (c === UNCLONABLE) return UNCLONABLE;
      setOwn(out, k, c);
    }
    return out;
  }
  return UNCLONABLE;
}

/** The migrations still to run for each sequence, or why the data cannot be migrated at all. */
function plan(
  schema: SerializedSchema,
  registry: MigrationRegistry,
): Result<{ store: StoreMigration[]; byType: Map<string, RecordMigration[]> }> {
  const known = new Set(registry.sequences.map((s) => s.sequenceId));
  for (const id of Object.keys(schema.sequences)) {
    if (!known.has(id)) return fail('version-too-new', `schema: sequence ${JSON.stringify(id.slice(0, 60))} is unknown to this code`);
  }
  const store: StoreMigration[] = [];
  const byType = new Map<string, RecordMigration[]>();
  for (const seq of registry.sequences) {
    const stored = Object.hasOwn(schema.sequences, seq.sequenceId) ? schema.sequences[seq.sequenceId]! : 0;
    const current = currentVersion(seq);
    if (stored > current) return fail('version-too-new', `${seq.sequenceId}: stored version ${stored}, this code knows up to ${current}`);
    if (stored < seq.firstVersion) return fail('version-too-old', `${seq.sequenceId}: stored version ${stored}, oldest supported ${seq.firstVersion}`);
    pending(seq, stored, store, byType);
  }
  return ok({ store, byType });
}

function pending(seq: MigrationSequence, stored: number, store: StoreMigration[], byType: Map<string, RecordMigration[]>): void {
  const from = stored - seq.firstVersion;
  if (seq.scope === 'store') {
    store.push(...seq.migrations.slice(from));
  } else {
    const list = byType.get(seq.recordType) ?? [];
    list.push(...seq.migrations.slice(from));
    byType.set(seq.recordType, list);
  }
}

/** Runs the store migrations, then each record's migrations, on `records` (already clones). */
function runMigrations(
  records: UnknownRecord[],
  store: readonly StoreMigration[],
  byType: ReadonlyMap<string, readonly RecordMigration[]>,
): Result<UnknownRecord[]> {
  let list = records;
  for (const m of store) {
    try {
      list = m.up(list) ?? list;
    } catch (e) {
      return fail('migration-failed', `${m.id}: threw ${errorName(e)}`);
    }
    if (!Array.isArray(list) || !list.every(isPlainObject)) return fail('migration-failed', `${m.id}: did not produce a list of records`);
  }
  const out: UnknownRecord[] = [];
  for (let i = 0; i < list.length; i++) {
    let r = list[i]!;
    const migrations = typeof r.typeName === 'string' ? (byType.get(r.typeName) ?? []) : [];
    for (const m of migrations) {
      try {
        r = m.up(r) ?? r;
      } catch (e) {
        return fail('migration-failed', `records[${i}]: ${m.id} threw ${errorName(e)}`);
      }
      if (!isPlainObject(r)) return fail('migration-failed', `records[${i}]: ${m.id} did not produce a record`);
    }
    out.push(r);
  }
  return ok(out);
}

/**
 * Migrates `snapshot` from its schema to the current schema of `registry` (default: the KMS one)
 * and validates every record. The input is never mutated: migrations run on clones. Current data
 * comes back equal to the input (idempotence). Never throws: every failure is one of the closed
 * reasons, with a detail naming the record index, field or migration id (never a value).
 */
export function migrateSnapshot(snapshot: MigratableSnapshot, registry: MigrationRegistry = KMS_REGISTRY): Result<{ records: AnyRecord[] }> {
  try {
    if (!isPlainObject(snapshot)) return fail('unknown-format', 'snapshot: expected an object');
    const schema = parseSerializedSchema(snapshot.schema);
    if (!schema.ok) return schema;
    if (!Array.isArray(snapshot.records)) return fail('unknown-format', 'snapshot.records: expected an array');
    const steps = plan(schema.value, registry);
    if (!steps.ok) return steps;

    const clones: UnknownRecord[] = [];
    for (let i = 0; i < snapshot.records.length; i++) {
      const c = cloneData(snapshot.records[i], 0);
      if (!isPlainObject(c)) return fail('invalid-record', `records[${i}]: expected a record of plain data`);
      clones.push(c);
    }
    const migrated = runMigrations(clones, steps.value.store, steps.value.byType);
    if (!migrated.ok) return migrated;

    const records: AnyRecord[] = [];
    const seen = new Set<string>();
    const unique = registry.uniqueFields ?? {};
    for (const [i, r] of migrated.value.entries()) {
      const v = registry.validate(r);
      if (!v.ok) return fail('invalid-record', `records[${i}]: ${v.detail}`);
      const { typeName } = v.value;
      for (const field of ['id', ...(unique[typeName] ?? [])]) {
        // Values here passed validation (strings and integers), so String() is unambiguous per field.
        const key = `${typeName}\u0000${field}\u0000${String((v.value as unknown as Record<string, unknown>)[field])}`;
        if (seen.has(key)) return fail('invalid-record', `records[${i}]: duplicate ${typeName} ${field}`);
        seen.add(key);
      }
      records.push(v.value);
    }
    return ok({ records });
  } catch (e) {
    // Only hostile input (throwing getters, proxies) or a bug gets here.
    return fail('unknown-format', `snapshot: unreadable (${errorName(e)})`);
  }
}
