/**
 * Migration sequences (STYLE §7, after tldraw's `packages/store/src/lib/migrate.ts`).
 *
 * Each record type owns one sequence with id `kms.<type>`; `kms.store` holds store-level changes
 * (renaming a type, splitting records). A sequence's version is the number of migrations applied
 * to data since `firstVersion`: the record shapes of model.ts as first released are version 0 of
 * every sequence, and the first migration of `kms.key` will be `kms.key/1`.
 *
 * Rules (checked by `defineMigrationSequence` and by the tests):
 * - Append-only: never edit, reorder or delete a released migration.
 * - Ids are `<sequenceId>/<version>`, contiguous from `firstVersion + 1`.
 * - `up` gets a clone it may mutate in place (or return a replacement); there is no `down`: an older
 *   client refuses newer data with `version-too-new`.
 * - Every migration has an up-test with a before/after fixture (test/unit/kms/store/schema/migrations.test.ts).
 *
 * Adding one (example): in key.ts, `keyVersions = { AddMultiRegion: 1 }`, then append
 * `{ id: keyMigrationIds.AddMultiRegion, up: (r) => { r.multiRegion = false } }` to its sequence,
 * change model.ts and the validator, and add the fixture test.
 */
import { assert } from '../../errors';
import type { AnyRecord } from '../../model';
import type { Result } from './result';

/** `<sequenceId>/<version>`, e.g. `kms.key/2`. */
export type MigrationId = `${string}/${number}`;

/** A record as migrations see it: a mutable plain object (the shape of some past version). */
export type UnknownRecord = Record<string, unknown>;

/** Migrates one record of the sequence's `recordType` (a clone: mutate it or return a replacement). */
export interface RecordMigration {
  readonly id: MigrationId;
  readonly up: (record: UnknownRecord) => UnknownRecord | void;
}

/** Migrates the whole record list (a clone): may rename types, split or drop records. */
export interface StoreMigration {
  readonly id: MigrationId;
  readonly up: (records: UnknownRecord[]) => UnknownRecord[] | void;
}

interface SequenceBase {
  /** `kms.<type>` or `kms.store`; no `/`. */
  readonly sequenceId: string;
  /**
   * The version data has before the first listed migration (0 unless old migrations were retired).
   * Data older than this is refused with `version-too-old`.
   */
  readonly firstVersion: number;
}

/** A sequence of record-scoped migrations, applied to records whose `typeName` is `recordType`. */
export interface RecordMigrationSequence extends SequenceBase {
  readonly scope: 'record';
  readonly recordType: string;
  readonly migrations: readonly RecordMigration[];
}

/** A sequence of store-scoped migrations (run before every record-scoped one). */
export interface StoreMigrationSequence extends SequenceBase {
  readonly scope: 'store';
  readonly migrations: readonly StoreMigration[];
}

/** One migration sequence. */
export type MigrationSequence = RecordMigrationSequence | StoreMigrationSequence;

/**
 * A serialized schema (STYLE §7): the version of every sequence the data was written at. Stored in
 * IndexedDB next to the records and embedded in every export and share URL.
 */
export interface SerializedSchema {
  /** Version of this schema object's own format; always 1 so far. */
  readonly schemaVersion: 1;
  /** Sequence id → version. */
  readonly sequences: Readonly<Record<string, number>>;
}

/**
 * What the migrator works from: the sequences, and the validator every migrated record must pass.
 * The KMS one is `KMS_REGISTRY`; tests build their own to exercise test-only sequences.
 */
export interface MigrationRegistry {
  readonly sequences: readonly MigrationSequence[];
  readonly validate: (record: unknown) => Result<AnyRecord, 'invalid-record'>;
  /** Per record type, fields (besides `id`) whose values must be unique among that type's records. */
  readonly uniqueFields?: Readonly<Partial<Record<string, readonly string[]>>>;
}

/** Named version numbers → migration ids, e.g. `{ AddMultiRegion: 1 }` → `{ AddMultiRegion: 'kms.key/1' }`. */
export function createMigrationIds<const ID extends string, const V extends Record<string, number>>(
  sequenceId: ID,
  versions: V,
): { readonly [K in keyof V]: `${ID}/${V[K]}` } {
  return Object.fromEntries(Object.entries(versions).map(([name, v]) => [name, `${sequenceId}/${v}`])) as {
    [K in keyof V]: `${ID}/${V[K]}`;
  };
}

/** Splits `kms.key/2` into its sequence id and version; null when malformed. */
export function parseMigrationId(id: string): { sequenceId: string; version: number } | null {
  const m = /^([^/]+)\/(0|[1-9]\d*)$/.exec(id);
  return m ? { sequenceId: m[1]!, version: Number(m[2]) } : null;
}

/**
 * Checks a sequence's well-formedness and returns it: ids belong to the sequence and count up by
 * one from `firstVersion + 1`. A violation is a bug in this file's neighbours, so it throws
 * (InvariantError) at module load, where the tests catch it.
 */
export function defineMigrationSequence<S extends MigrationSequence>(sequence: S): S {
  const { sequenceId, firstVersion, migrations } = sequence;
  assert(sequenceId.length > 0 && !sequenceId.includes('/'), `invalid sequence id '${sequenceId}'`);
  assert(Number.isSafeInteger(firstVersion) && firstVersion >= 0, `${sequenceId}: firstVersion must be an integer ≥ 0`);
  migrations.forEach((m, i) => {
    const expected = `${sequenceId}/${firstVersion + 1 + i}`;
    assert(m.id === expected, `${sequenceId}: migration #${i} must have id '${expected}', got '${m.id}'`);
  });
  return sequence;
}

/** Current version of a sequence: `firstVersion` plus its migrations. */
export function currentVersion(sequence: MigrationSequence): number {
  return sequence.firstVersion + sequence.migrations.length;
}

/** The serialized schema of data written by the current code of `registry`. */
export function schemaOf(registry: MigrationRegistry): SerializedSchema {
  return {
    schemaVersion: 1,
    sequences: Object.fromEntries(registry.sequences.map((s) => [s.sequenceId, currentVersion(s)])),
  };
}

/** Every migration id of a registry, in sequence order (the meta-test checks each has a test). */
export function allMigrationIds(registry: MigrationRegistry): MigrationId[] {
  return registry.sequences.flatMap((s) => s.migrations.map((m) => m.id));
}
