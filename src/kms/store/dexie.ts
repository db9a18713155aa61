/**
 * IndexedDB repository via Dexie (ports.ts `Repository`, STYLE §7). The only module in src/kms
 * that imports dexie.
 *
 * Storage layout (axis 1 of STYLE §7; bump `db.version(n)` only to add or remove tables/indexes,
 * and keep old declarations that carry an upgrade function):
 *
 *   version 1   table             primary key   indexes
 *               keys              id (ARN)      keyId
 *               materials         id            keyArn
 *               aliases           id (ARN)      targetKeyId
 *               tags              id            keyArn
 *               policies          id            keyArn
 *               trail             id (eventID)  &seq (unique: one record per trail position)
 *               clock             id
 *               meta              id
 *               schema            id            (one row { id: 'schema', schema: SerializedSchema })
 *
 *   version 2   (issue 3) version 1 plus
 *               accounts          id (12 digits)
 *               principals        id (ARN)      &accessKeyId (unique: it names the caller on the wire)
 *               identityPolicies  id            principalArn
 *               grants            id (GrantId)  keyArn, granteePrincipal, retiringPrincipal, grantToken
 *
 *   version 3   (issue 6) version 2 plus
 *               log               id (seq zero-padded to 12 digits: id order is log order)
 *
 *   version 4   (issue 7) version 3 plus
 *               customKeyStores   id (cks-…)
 *               importParameters  id            keyArn
 *
 *   version 5   (issue 8) version 4 plus
 *               serviceResources  id (ARN)      service, accountId
 *
 * Dexie 4 opens a database whose installed layout is newer than the one declared here instead of
 * failing; `openDexieRepository` checks and refuses it (`version-too-new`).
 *
 * The serialized schema (axis 2, record shapes) lives in its own `schema` table rather than in
 * `meta`, so `list('meta')` only ever sees MetaRecords.
 *
 * Open: read every table in one read transaction, run `migrateSnapshot` (which also validates
 * every record). On failure, close and return the failure: nothing is written. When the stored
 * schema is older, the migrated records and the new schema replace the old ones in one rw
 * transaction. Records then live in the shared `RecordTables`; reads never touch IndexedDB.
 *
 * Layout upgrade (an older installed layout): the upgrade function of the newest layout runs the
 * same load-and-migrate step inside Dexie's versionchange transaction, so the new tables, the
 * migrated records and the new schema row commit together, or (migration refused, write failed)
 * not at all: the database stays at its old layout with its data untouched. A layout-1 sandbox
 * thus gains its tables and, through `kms.store/1`, the default world in one transaction; a layout-1
 * or layout-2 sandbox gains the log table and, through `kms.meta/1`, `logComplete: false`.
 *
 * Commit: all puts and deletes in ONE rw transaction over every table; memory is updated only after
 * it committed, so a failed commit rejects and leaves IndexedDB and memory as they were. Commits
 * are queued so memory applies them in the order IndexedDB did.
 */
import Dexie, { type Table, type Transaction } from 'dexie';
import { TABLE_OF, type AnyRecord, type TableName } from '../model';
import type { ChangeSet, Repository } from '../ports';
import { RecordTables, repositoryOver, tableOf } from './memory';
import { migrateSnapshot } from './schema/migrate';
import { schemaOf, type MigrationRegistry, type SerializedSchema } from './schema/migrations';
import { KMS_REGISTRY } from './schema/records';
import { errorName, fail, ok, type FailureReason, type Result } from './schema/result';

/** A repository backed by one IndexedDB database (one sandbox). */
export type DexieRepository = Repository & {
  /** Closes the database; later commits reject. */
  close(): void;
  /** The IndexedDB database name. */
  readonly dbName: string;
};

/** Why a sandbox could not be opened: a migration failure, or IndexedDB itself failed (`storage-failed`). */
export type OpenFailureReason = FailureReason | 'storage-failed';

/** Result of `openDexieRepository`. */
export type OpenResult = { ok: true; value: DexieRepository } | { ok: false; reason: OpenFailureReason; detail: string };

/** Options of `openDexieRepository`. */
export interface OpenOptions {
  /** Migration registry (default: the KMS one); tests pass registries with test-only sequences. */
  readonly registry?: MigrationRegistry;
}

/**
 * Dexie `stores()` spec of layout version 1 (the table above). Released: never edit it; a database
 * of this layout is upgraded by `STORES_V2`'s declaration.
 */
export const STORES_V1 = {
  keys: 'id, keyId',
  materials: 'id, keyArn',
  aliases: 'id, targetKeyId',
  tags: 'id, keyArn',
  policies: 'id, keyArn',
  trail: 'id, &seq',
  clock: 'id',
  meta: 'id',
  schema: 'id',
} as const;

/** Dexie `stores()` spec of layout version 2 (issue 3): layout 1 plus the world and grant tables. Released: never edit it. */
export const STORES_V2 = {
  ...STORES_V1,
  accounts: 'id',
  principals: 'id, &accessKeyId',
  identityPolicies: 'id, principalArn',
  grants: 'id, keyArn, granteePrincipal, retiringPrincipal, grantToken',
} as const;

/** Dexie `stores()` spec of layout version 3 (issue 6): layout 2 plus the call log. */
export const STORES_V3 = {
  ...STORES_V2,
  log: 'id',
} as const;

/** Dexie `stores()` spec of layout version 4 (issue 7): layout 3 plus custom key stores and import parameters. */
export const STORES_V4 = {
  ...STORES_V3,
  customKeyStores: 'id',
  importParameters: 'id, keyArn',
} as const;

/** Dexie `stores()` spec of layout version 5 (issue 8): layout 4 plus the simulated services' resources. */
export const STORES_V5 = {
  ...STORES_V4,
  serviceResources: 'id, service, accountId',
} as const satisfies Record<TableName | 'schema', string>;

/** The row of the `schema` table. */
interface SchemaRow {
  readonly id: 'schema';
  readonly schema: SerializedSchema;
}

const SCHEMA_ROW_ID = 'schema';
const RECORD_TABLES = Object.values(TABLE_OF) as TableName[];

/** The storage layout version this code declares (axis 1 of STYLE §7). */
export const LAYOUT_VERSION = 5;

/** Tables of a database or of one transaction (Dexie's upgrade functions must use the transaction's). */
type TableSource = { table(name: string): Table };

/**
 * What a load decided: the current records, and whether they (and the current schema row) must
 * be written back, or why the stored data cannot be loaded.
 */
type Loaded = Result<{ records: AnyRecord[]; needsWrite: boolean }>;

function createDb(dbName: string, load: (tables: TableSource) => Promise<void>): Dexie {
  // Our RecordTables already cache every record; Dexie's own cache would hold a second copy.
  const db = new Dexie(dbName, { cache: 'disabled' });
  db.version(1).stores(STORES_V1);
  // Layouts 2 and 3 no longer carry their upgrade function: the latest layout's (which Dexie runs
  // after every table of that layout exists) migrates a database of any older layout in one step.
  db.version(2).stores(STORES_V2);
  db.version(3).stores(STORES_V3);
  db.version(4).stores(STORES_V4);
  // Runs only when an existing database of an older layout is opened (never on creation).
  db.version(LAYOUT_VERSION)
    .stores(STORES_V5)
    .upgrade((tx: Transaction) => load(tx));
  return db;
}

/**
 * The layout version installed in IndexedDB. Dexie 4 opens a database whose installed version is
 * higher than declared (instead of failing with VersionError), so a newer layout must be detected
 * here. Dexie stores version n natively as n × 10 (plus small bumps of its own schema-diff
 * workaround), hence the division.
 */
function installedLayoutVersion(db: Dexie): number {
  return Math.floor(db.backendDB().version / 10);
}

function recordTable(src: TableSource, name: TableName): Table<AnyRecord, string> {
  return src.table(name) as Table<AnyRecord, string>;
}

function schemaTable(src: TableSource): Table<SchemaRow, string> {
  return src.table('schema') as Table<SchemaRow, string>;
}

function sameSchema(a: SerializedSchema, b: SerializedSchema): boolean {
  const ka = Object.keys(a.sequences);
  return ka.length === Object.keys(b.sequences).length && ka.every((k) => a.sequences[k] === b.sequences[k]);
}

/** Reads every record and the schema row (call inside a transaction over all of them). */
async function readTables(src: TableSource): Promise<{ schema: unknown; records: unknown[] }> {
  const row: unknown = await schemaTable(src).get(SCHEMA_ROW_ID);
  const records: unknown[] = [];
  for (const t of RECORD_TABLES) records.push(...(await recordTable(src, t).toArray()));
  return { schema: row === undefined ? undefined : (row as { schema?: unknown }).schema, records };
}

/** Replaces every record and the schema row (call inside a rw transaction over all of them). */
async function writeTables(src: TableSource, records: readonly AnyRecord[], schema: SerializedSchema): Promise<void> {
  for (const t of RECORD_TABLES) {
    await recordTable(src, t).clear();
    await recordTable(src, t).bulkPut(records.filter((r) => TABLE_OF[r.typeName] === t));
  }
  await schemaTable(src).put({ id: SCHEMA_ROW_ID, schema });
}

/** Migrates and validates what `readTables` found; a fresh (empty) database needs its schema row. */
function loadStored(dbName: string, stored: { schema: unknown; records: unknown[] }, registry: MigrationRegistry, current: SerializedSchema): Loaded {
  if (stored.schema === undefined && stored.records.length === 0) return ok({ records: [], needsWrite: true });
  if (stored.schema === undefined) return fail('unknown-format', `${dbName}: records without a stored schema`);
  const migrated = migrateSnapshot({ schema: stored.schema as SerializedSchema, records: stored.records }, registry);
  if (!migrated.ok) return migrated;
  return ok({ records: migrated.value.records, needsWrite: !sameSchema(stored.schema as SerializedSchema, current) });
}

/** Reads every record and the schema row in one read transaction. */
async function readAll(db: Dexie): Promise<{ schema: unknown; records: unknown[] }> {
  return db.transaction('r', [...RECORD_TABLES, 'schema'], () => readTables(db));
}

/** Replaces every record and the schema row in one rw transaction (after a migration, or on a fresh database). */
async function replaceAll(db: Dexie, records: readonly AnyRecord[], schema: SerializedSchema): Promise<void> {
  await db.transaction('rw', [...RECORD_TABLES, 'schema'], () => writeTables(db, records, schema));
}

/** Writes a change set in one rw transaction over every record table. */
async function writeChanges(db: Dexie, changes: ChangeSet): Promise<void> {
  const puts = new Map<TableName, AnyRecord[]>();
  const deletes = new Map<TableName, string[]>();
  for (const r of changes.puts) {
    const t = tableOf(r.typeName);
    puts.set(t, puts.get(t) ?? []).get(t)!.push(r);
  }
  for (const d of changes.deletes) {
    const t = tableOf(d.typeName);
    deletes.set(t, deletes.get(t) ?? []).get(t)!.push(d.id);
  }
  await db.transaction('rw', RECORD_TABLES, async () => {
    for (const t of RECORD_TABLES) {
      const p = puts.get(t);
      if (p) await recordTable(db, t).bulkPut(p);
      const d = deletes.get(t);
      if (d) await recordTable(db, t).bulkDelete(d);
    }
  });
}

/**
 * Opens (or creates) the sandbox database `dbName`: loads, migrates and validates every record.
 * On any failure the database is closed, its data untouched, and the reason returned. Never throws.
 */
export async function openDexieRepository(dbName: string, options: OpenOptions = {}): Promise<OpenResult> {
  const registry = options.registry ?? KMS_REGISTRY;
  const current = schemaOf(registry);
  // Set when the layout upgrade refused the stored data: the versionchange transaction aborted.
  let upgradeFailure: { ok: false; reason: OpenFailureReason; detail: string } | undefined;
  const db = createDb(dbName, async (tx) => {
    const loaded = loadStored(dbName, await readTables(tx), registry, current);
    if (!loaded.ok) {
      upgradeFailure = loaded;
      throw new Error('stored data refused'); // aborts the upgrade: nothing changes
    }
    if (!loaded.value.needsWrite) return;
    try {
      await writeTables(tx, loaded.value.records, current);
    } catch (e) {
      upgradeFailure = fail('storage-failed', `${dbName}: could not write the migrated records (${errorName(e)})`);
      throw e;
    }
  });
  let stored: { schema: unknown; records: unknown[] };
  try {
    await db.open();
    if (installedLayoutVersion(db) > LAYOUT_VERSION) {
      db.close();
      return fail('version-too-new', `${dbName}: storage layout is newer than this code`);
    }
    stored = await readAll(db);
  } catch (e) {
    db.close();
    if (upgradeFailure !== undefined) return upgradeFailure;
    // A VersionError means a newer client raised the storage layout version.
    if (errorName(e) === 'VersionError') return fail('version-too-new', `${dbName}: storage layout is newer than this code`);
    return fail('storage-failed', `${dbName}: could not read (${errorName(e)})`);
  }

  // After a layout upgrade the data is current already: this validates it again and writes nothing.
  const loaded = loadStored(dbName, stored, registry, current);
  if (!loaded.ok) {
    db.close();
    return loaded;
  }
  const { records } = loaded.value;
  if (loaded.value.needsWrite) {
    try {
      await replaceAll(db, records, current);
    } catch (e) {
      db.close();
      return fail('storage-failed', `${dbName}: could not write the migrated records (${errorName(e)})`);
    }
  }

  const tables = new RecordTables(records);
  let queue: Promise<unknown> = Promise.resolve();
  const commit = (changes: ChangeSet): Promise<void> => {
    const run = queue.then(async () => {
      tables.check(changes);
      await writeChanges(db, changes);
      tables.apply(changes);
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return ok({ ...repositoryOver(tables, commit), close: () => db.close(), dbName });
}

/** Deletes the sandbox database `dbName` (close its repository first). */
export async function deleteDexieSandbox(dbName: string): Promise<void> {
  await Dexie.delete(dbName);
}
