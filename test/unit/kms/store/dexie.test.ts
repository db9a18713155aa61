/**
 * Dexie repository over fake-indexeddb (STYLE §7): round trip of every record type, atomic commits
 * (IndexedDB AND memory unchanged when a transaction fails part-way), migrations on open with the
 * stored data left untouched on failure, the layout 1 → 2 upgrade (new tables, the default world
 * and the new schema row in one versionchange transaction, or nothing), and garbage in the
 * database never making open throw.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PLAIN_KEY_FIELDS, TABLE_OF, type AnyRecord, type TypeName } from '../../../../src/kms/model';
import { deleteDexieSandbox, LAYOUT_VERSION, openDexieRepository, STORES_V1, STORES_V2, STORES_V3, STORES_V4, STORES_V5, type DexieRepository } from '../../../../src/kms/store/dexie';
import { CURRENT_SCHEMA, KMS_REGISTRY, ok, type MigrationRegistry, type SerializedSchema } from '../../../../src/kms/store/schema/index';
import { defaultWorld } from '../../../../src/kms/world';
import { readFixture } from './fixtures';
import {
  KEY_ARN,
  recordSetArb,
  sampleClock,
  sampleCloudTrail,
  sampleKey,
  sampleMaterial,
  sampleMeta,
  samplePrincipal,
  sampleRecords,
  sampleTag,
  sampleTrailEvent,
} from './records';
import { ancientKey, TEST_CURRENT, TEST_REGISTRY, testSchemaAt } from './schema/testRegistry';

const TYPES = Object.keys(TABLE_OF) as TypeName[];
let counter = 0;
const opened: DexieRepository[] = [];
const names: string[] = [];

/** A database name no other test uses. */
function uniqueName(): string {
  const name = `kms-store-test-${++counter}`;
  names.push(name);
  return name;
}

async function open(name: string, registry = undefined as Parameters<typeof openDexieRepository>[1]): Promise<DexieRepository> {
  const r = await openDexieRepository(name, registry);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  opened.push(r.value);
  return r.value;
}

function all(repo: DexieRepository): AnyRecord[] {
  return TYPES.flatMap((t) => [...repo.list(t)]);
}

type Layout = 1 | 2 | 3 | 4 | 5;
const STORES_OF: Record<Layout, Record<string, string>> = { 1: STORES_V1, 2: STORES_V2, 3: STORES_V3, 4: STORES_V4, 5: STORES_V5 };

/** The first layout that has `table`. */
function firstLayoutOf(table: string): Layout {
  return ([1, 2, 3, 4, 5] as const).find((l) => Object.hasOwn(STORES_OF[l], table)) ?? 5;
}

/** Writes raw rows straight into a database of the given layout (what an older or corrupt client left behind). */
async function seedRaw(name: string, rows: Partial<Record<keyof typeof STORES_V5, unknown[]>>, layout: Layout = 5): Promise<void> {
  const db = new Dexie(name);
  db.version(layout).stores(STORES_OF[layout]);
  await db.open();
  await db.transaction('rw', db.tables, async () => {
    for (const [table, list] of Object.entries(rows)) await db.table(table).bulkPut(list);
  });
  db.close();
}

/** A database as a newer client (the next layout version, with one more table) would leave it. */
async function seedRawNewer(name: string): Promise<void> {
  const db = new Dexie(name);
  db.version(LAYOUT_VERSION + 1).stores({ ...STORES_V5, futureThings: 'id' });
  await db.open();
  await db.table('keys').put(sampleKey());
  await db.table('futureThings').put({ id: 'g1' });
  await db.table('schema').put({ id: 'schema', schema: CURRENT_SCHEMA });
  db.close();
}

/**
 * Every raw row of the database, table by table, whatever its layout (Dexie's dynamic mode: no
 * version declared, so opening never upgrades anything), plus the installed layout under `$layout`.
 */
async function dumpRaw(name: string): Promise<Record<string, unknown[]>> {
  const db = new Dexie(name);
  await db.open();
  const out: Record<string, unknown[]> = { $layout: [db.verno] };
  for (const t of db.tables) out[t.name] = await t.toArray();
  db.close();
  return out;
}

/** The indexes of each table of the database (dynamic mode), e.g. `{ principals: ['&accessKeyId'] }`. */
async function indexesOf(name: string): Promise<Record<string, string[]>> {
  const db = new Dexie(name);
  await db.open();
  const out = Object.fromEntries(db.tables.map((t) => [t.name, t.schema.indexes.map((i) => `${i.unique ? '&' : ''}${i.name}`).sort()]));
  db.close();
  return out;
}

afterEach(async () => {
  for (const r of opened.splice(0)) r.close();
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('openDexieRepository: round trip', () => {
  it('creates a fresh database with the current schema row', async () => {
    const name = uniqueName();
    const repo = await open(name);
    expect(repo.dbName).toBe(name);
    expect(all(repo)).toEqual([]);
    repo.close();
    const raw = await dumpRaw(name);
    expect(raw.schema).toEqual([{ id: 'schema', schema: CURRENT_SCHEMA }]);
    expect(raw.$layout).toEqual([LAYOUT_VERSION]);
    // A new database gets no world from the store: the service adds it to a new sandbox.
    expect(raw.accounts).toEqual([]);
  });

  it('declares layout 3: the world and grant tables with their indexes, and the log', async () => {
    const name = uniqueName();
    (await open(name)).close();
    const indexes = await indexesOf(name);
    expect(indexes).toMatchObject({
      accounts: [],
      principals: ['&accessKeyId'],
      identityPolicies: ['principalArn'],
      grants: ['grantToken', 'granteePrincipal', 'keyArn', 'retiringPrincipal'],
      keys: ['keyId'],
      trail: ['&seq'],
      log: [],
    });
    expect(Object.keys(indexes).sort()).toEqual([...Object.values(TABLE_OF), 'schema'].sort());
  });

  it('keeps every record type across close and reopen, Uint8Array material included', async () => {
    const name = uniqueName();
    const repo = await open(name);
    const records = sampleRecords();
    await repo.commit({ puts: records, deletes: [] });
    expect(all(repo)).toEqual(all(await reopen(repo)));
    const again = await reopen(repo);
    for (const r of records) expect(again.get(r.typeName, r.id)).toEqual(r);
    const material = again.list('material')[0]!;
    expect(material.material).toBeInstanceOf(Uint8Array);
    expect(material.material).toEqual(sampleMaterial().material);
  });

  it('applies deletes, and reads reflect a commit at once', async () => {
    const name = uniqueName();
    const repo = await open(name);
    await repo.commit({ puts: sampleRecords(), deletes: [] });
    await repo.commit({ puts: [sampleKey({ description: 'changed' })], deletes: [{ typeName: 'tag', id: sampleTag().id }] });
    expect(repo.get('key', KEY_ARN)?.description).toBe('changed');
    expect(repo.list('tag')).toEqual([]);
    const again = await reopen(repo);
    expect(again.get('key', KEY_ARN)?.description).toBe('changed');
    expect(again.list('tag')).toEqual([]);
  });

  it('round-trips generated record sets', async () => {
    await fc.assert(
      fc.asyncProperty(recordSetArb, async (records) => {
        const name = uniqueName();
        const repo = await open(name);
        await repo.commit({ puts: records, deletes: [] });
        const again = await reopen(repo);
        for (const t of TYPES) expect(again.list(t)).toEqual(repo.list(t));
        expect(all(again)).toHaveLength(records.length);
      }),
      { numRuns: 25 },
    );
  });

  it('serializes concurrent commits in call order', async () => {
    const repo = await open(uniqueName());
    await Promise.all([1, 2, 3, 4, 5].map((n) => repo.commit({ puts: [sampleClock({ offsetMs: n })], deletes: [] })));
    expect(repo.get('clock', 'clock')?.offsetMs).toBe(5);
    expect((await reopen(repo)).get('clock', 'clock')?.offsetMs).toBe(5);
  });

  it('deleteDexieSandbox removes the database', async () => {
    const name = uniqueName();
    const repo = await open(name);
    await repo.commit({ puts: sampleRecords(), deletes: [] });
    repo.close();
    await deleteDexieSandbox(name);
    expect(all(await open(name))).toEqual([]);
  });
});

/** Closes `repo` and opens its database again. */
async function reopen(repo: DexieRepository): Promise<DexieRepository> {
  repo.close();
  return open(repo.dbName);
}

describe('commit atomicity', () => {
  it('a ConstraintError part-way (after keys and materials were written) leaves IndexedDB and memory unchanged', async () => {
    const name = uniqueName();
    const repo = await open(name);
    const base = sampleRecords();
    await repo.commit({ puts: base, deletes: [] });
    const before = all(repo);
    const rawBefore = await dumpRaw(name);

    // Tables are written in TABLE_OF order: keys, materials, ... then trail, where a second event
    // at seq 0 violates the unique `&seq` index.
    const clash = sampleTrailEvent({ id: 'ffffffff-0000-4000-8000-000000000000', seq: 0, record: sampleCloudTrail({ eventID: 'ffffffff-0000-4000-8000-000000000000' }) });
    const failing = {
      puts: [sampleKey({ description: 'half-written?' }), sampleMaterial({ createdAt: 1 }), clash, sampleMeta({ callCount: 99 })],
      deletes: [{ typeName: 'tag' as const, id: sampleTag().id }],
    };
    await expect(repo.commit(failing)).rejects.toThrow(/ConstraintError/);

    expect(all(repo)).toEqual(before);
    expect(await dumpRaw(name)).toEqual(rawBefore);
    // The repository still works after the failure.
    await repo.commit({ puts: [sampleClock({ offsetMs: 7 })], deletes: [] });
    expect((await reopen(repo)).get('clock', 'clock')?.offsetMs).toBe(7);
  });

  it('a value IndexedDB cannot store (DataCloneError) aborts the whole transaction', async () => {
    const name = uniqueName();
    const repo = await open(name);
    await repo.commit({ puts: [sampleKey()], deletes: [] });
    const rawBefore = await dumpRaw(name);
    const unclonable = { ...sampleClock(), offsetMs: () => 1 } as never;
    await expect(repo.commit({ puts: [sampleKey({ description: 'no' }), unclonable], deletes: [] })).rejects.toThrow(/clone/i);
    expect(repo.get('key', KEY_ARN)?.description).toBe(sampleKey().description);
    expect(repo.get('clock', 'clock')).toBeUndefined();
    expect(await dumpRaw(name)).toEqual(rawBefore);
  });

  it('a contradictory change set is refused before anything is written', async () => {
    const name = uniqueName();
    const repo = await open(name);
    const rawBefore = await dumpRaw(name);
    await expect(repo.commit({ puts: [sampleKey()], deletes: [{ typeName: 'key', id: KEY_ARN }] })).rejects.toThrow(/both puts and deletes/);
    expect(all(repo)).toEqual([]);
    expect(await dumpRaw(name)).toEqual(rawBefore);
  });

  it('commit rejects once the repository is closed', async () => {
    const repo = await open(uniqueName());
    repo.close();
    await expect(repo.commit({ puts: [sampleClock()], deletes: [] })).rejects.toMatchObject({ name: 'DatabaseClosedError' });
    expect(repo.get('clock', 'clock')).toBeUndefined();
  });
});

describe('openDexieRepository: migrations', () => {
  it.each([1, 2] as const)('migrates older records on open, and writes them back with the new schema (stored layout %i)', async (layout) => {
    const name = uniqueName();
    await seedRaw(name, { keys: [ancientKey('stored long ago')], clock: [sampleClock()], schema: [{ id: 'schema', schema: testSchemaAt(0, 0) }] }, layout);
    const repo = await open(name, { registry: TEST_REGISTRY });
    expect(repo.get('key', KEY_ARN)).toEqual(sampleKey({ description: 'stored long ago' }));
    repo.close();
    const raw = await dumpRaw(name);
    expect(raw.keys).toEqual([sampleKey({ description: 'stored long ago' })]);
    expect(raw.clock).toEqual([sampleClock()]);
    expect(raw.schema).toEqual([{ id: 'schema', schema: TEST_CURRENT }]);
    expect(raw.$layout).toEqual([LAYOUT_VERSION]);
    // Reopening now runs no migration (the data is current) and gives the same records.
    expect((await open(name, { registry: TEST_REGISTRY })).get('key', KEY_ARN)).toEqual(sampleKey({ description: 'stored long ago' }));
  });

  const refusals: [string, SerializedSchema | undefined, unknown[], string][] = [
    ['version-too-new', { schemaVersion: 1, sequences: { ...CURRENT_SCHEMA.sequences, 'kms.key': 7 } }, [sampleKey()], 'version-too-new'],
    ['unknown sequence', { schemaVersion: 1, sequences: { 'kms.widget': 1 } }, [sampleKey()], 'version-too-new'],
    ['invalid record', CURRENT_SCHEMA, [sampleKey({ keyState: 'Gone' as never })], 'invalid-record'],
    ['records without a schema row', undefined, [sampleKey()], 'unknown-format'],
    ['old shape under a current schema', CURRENT_SCHEMA, [{ ...ancientKey(), typeName: 'key' }], 'invalid-record'],
  ];
  const refusalsByLayout = refusals.flatMap(([what, ...rest]) => ([1, 2] as const).map((layout) => [`${what} (layout ${layout})`, ...rest, layout] as const));
  it.each(refusalsByLayout)('refuses %s and leaves the stored data (and layout) untouched', async (_what, schema, keys, reason, layout) => {
    const name = uniqueName();
    await seedRaw(name, { keys, ...(schema ? { schema: [{ id: 'schema', schema }] } : {}) }, layout);
    const rawBefore = await dumpRaw(name);
    const r = await openDexieRepository(name);
    expect(r).toMatchObject({ ok: false, reason });
    expect(await dumpRaw(name)).toEqual(rawBefore);
  });

  it('a refusal names the record and field, never a secret value', async () => {
    const name = uniqueName();
    const material = sampleMaterial({ material: new Uint8Array(15).fill(0x41) });
    await seedRaw(name, { materials: [material], schema: [{ id: 'schema', schema: CURRENT_SCHEMA }] }, 1);
    const r = await openDexieRepository(name);
    expect(r).toEqual({ ok: false, reason: 'invalid-record', detail: 'records[0]: material.material: expected a Uint8Array of 16–16384 bytes' });
  });

  it('refuses a storage layout from a newer client', async () => {
    const name = uniqueName();
    await seedRawNewer(name);
    const rawBefore = await dumpRaw(name);
    const r = await openDexieRepository(name);
    expect(r).toEqual({ ok: false, reason: 'version-too-new', detail: `${name}: storage layout is newer than this code` });
    expect(await dumpRaw(name)).toEqual(rawBefore);
  });

  it('garbage rows never make open throw', async () => {
    const rowArb = fc.oneof(
      fc.record({ id: fc.string({ minLength: 1 }) }, { requiredKeys: ['id'] }),
      fc.jsonValue().map((v) => ({ id: 'x', v })),
      fc.anything({ withTypedArray: true, withDate: true, withMap: true }).map((v) => ({ id: 'y', typeName: 'key', v })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<keyof typeof TABLE_OF>(...(Object.keys(TABLE_OF) as TypeName[])),
        rowArb,
        fc.oneof(fc.constant(CURRENT_SCHEMA as unknown), fc.jsonValue()),
        fc.constantFrom<Layout>(1, 2, 3, 4, 5),
        async (type, row, schema, wanted) => {
          const name = uniqueName();
          // Tables new in a layout can only be seeded at that layout or later.
          const layout = Math.max(wanted, firstLayoutOf(TABLE_OF[type])) as Layout;
          await seedRaw(name, { [TABLE_OF[type]]: [row], schema: [{ id: 'schema', schema }] }, layout);
          const r = await openDexieRepository(name);
          if (r.ok) opened.push(r.value);
          expect(r.ok).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('layout upgrade 1 → 2 (issue 3)', () => {
  /** Seeds a layout-1 database with a stored snapshot (records sorted into their layout-1 tables). */
  async function seedLayout1(name: string, snapshot: { schema: SerializedSchema; records: readonly unknown[] }): Promise<void> {
    const rows: Record<string, unknown[]> = { schema: [{ id: 'schema', schema: snapshot.schema }] };
    for (const r of snapshot.records) {
      const table = TABLE_OF[(r as AnyRecord).typeName];
      (rows[table] ??= []).push(r);
    }
    await seedRaw(name, rows, 1);
  }

  it('a layout-1 sandbox of the first release (sandbox.v1.json) reopens with the world, its keys intact and the schema row updated', async () => {
    const name = uniqueName();
    const v1 = readFixture('sandbox.v1.json');
    await seedLayout1(name, v1);
    const before = await dumpRaw(name);
    expect(before.$layout).toEqual([1]);

    const repo = await open(name);
    const world = defaultWorld();
    expect(repo.list('account')).toEqual(world.filter((r) => r.typeName === 'account'));
    expect(repo.list('principal')).toHaveLength(6);
    expect(repo.list('identityPolicy')).toHaveLength(3);
    for (const r of world) expect(repo.get(r.typeName, r.id)).toEqual(r);
    expect(repo.list('grant')).toEqual([]);
    // Every first-release record is still there, unchanged (their migrations are identities), but
    // meta, which gains the call log fields (kms.meta/1: the history predates the log).
    // meta gains the call log fields (kms.meta/1) and keys the key-zoo fields (kms.key/1).
    for (const r of v1.records as AnyRecord[]) {
      const want = r.typeName === 'meta' ? { ...r, logCount: 0, logComplete: false } : r.typeName === 'key' ? { ...r, ...PLAIN_KEY_FIELDS } : r;
      expect(repo.get(r.typeName, r.id), `${r.typeName} ${r.id}`).toEqual(want);
    }
    expect(repo.list('key')).toHaveLength(3);
    expect(repo.list('material').every((m) => m.material instanceof Uint8Array && m.material.length === 32)).toBe(true);
    repo.close();

    const after = await dumpRaw(name);
    expect(after.$layout).toEqual([LAYOUT_VERSION]);
    expect(after.schema).toEqual([{ id: 'schema', schema: CURRENT_SCHEMA }]);
    expect(after.keys).toEqual(before.keys!.map((k) => ({ ...(k as object), ...PLAIN_KEY_FIELDS })));
    expect(after.materials).toEqual(before.materials);
    expect(after.trail).toEqual(before.trail);
    expect(after.accounts).toHaveLength(2);
    expect(after.principals).toHaveLength(6);
    expect(after.identityPolicies).toHaveLength(3);

    // The next open is an ordinary one: same records, nothing to migrate.
    const again = await open(name);
    expect(all(again)).toEqual(all(repo));
  });

  it('an empty layout-1 database (tables, no rows) opens as a fresh sandbox at the current layout', async () => {
    const name = uniqueName();
    await seedRaw(name, {}, 1);
    const repo = await open(name);
    expect(all(repo)).toEqual([]);
    repo.close();
    const raw = await dumpRaw(name);
    expect(raw.$layout).toEqual([LAYOUT_VERSION]);
    expect(raw.schema).toEqual([{ id: 'schema', schema: CURRENT_SCHEMA }]);
  });

  it('a layout-1 database whose migration cannot be written stays at layout 1, untouched (storage-failed)', async () => {
    const name = uniqueName();
    // A registry whose store migration produces a value IndexedDB cannot clone, and whose validator
    // lets it through: the write inside the versionchange transaction fails.
    const unclonable: MigrationRegistry = {
      validate: (r) => ok(r as AnyRecord),
      sequences: [
        ...KMS_REGISTRY.sequences,
        {
          sequenceId: 'test.unclonable',
          scope: 'store',
          firstVersion: 0,
          migrations: [{ id: 'test.unclonable/1', up: (records) => [...records, { typeName: 'clock', id: 'clock', offsetMs: () => 1 }] }],
        },
      ],
    };
    await seedLayout1(name, { schema: { schemaVersion: 1, sequences: { ...CURRENT_SCHEMA.sequences, 'test.unclonable': 0 } }, records: [sampleKey()] });
    const rawBefore = await dumpRaw(name);
    const r = await openDexieRepository(name, { registry: unclonable });
    expect(r).toMatchObject({ ok: false, reason: 'storage-failed', detail: expect.stringMatching(/could not write the migrated records \(DataCloneError\)/) as unknown });
    expect(await dumpRaw(name)).toEqual(rawBefore);
  });

  it('a refused layout-1 sandbox can still be opened once the code understands it (nothing was half-upgraded)', async () => {
    const name = uniqueName();
    // The oldest imagined shape (typeName `cmk`), stored in the keys table.
    await seedRaw(name, { keys: [ancientKey('kept')], schema: [{ id: 'schema', schema: testSchemaAt(0, 0) }] }, 1);
    expect(await openDexieRepository(name)).toMatchObject({ ok: false, reason: 'version-too-new' });
    expect((await dumpRaw(name)).$layout).toEqual([1]);
    const repo = await open(name, { registry: TEST_REGISTRY });
    expect(repo.get('key', KEY_ARN)).toEqual(sampleKey({ description: 'kept' }));
  });
});

describe('layout upgrade 2 → 3 (issue 6: the call log)', () => {
  it('a layout-2 sandbox (sandbox.v2.json) gains the log table; meta says its history predates the log; nothing else changes', async () => {
    const name = uniqueName();
    const v2 = readFixture('sandbox.v2.json');
    const rows: Record<string, unknown[]> = { schema: [{ id: 'schema', schema: v2.schema }] };
    for (const r of v2.records) (rows[TABLE_OF[(r as AnyRecord).typeName]] ??= []).push(r);
    await seedRaw(name, rows, 2);
    const before = await dumpRaw(name);
    expect(before.$layout).toEqual([2]);
    expect(before.log).toBeUndefined();

    const repo = await open(name);
    for (const r of v2.records as AnyRecord[]) {
      const want = r.typeName === 'meta' ? { ...r, logCount: 0, logComplete: false } : r.typeName === 'key' ? { ...r, ...PLAIN_KEY_FIELDS } : r;
      expect(repo.get(r.typeName, r.id), `${r.typeName} ${r.id}`).toEqual(want);
    }
    expect(repo.list('logEntry')).toEqual([]);
    expect(all(repo)).toHaveLength(v2.records.length);
    repo.close();

    const after = await dumpRaw(name);
    expect(after.$layout).toEqual([LAYOUT_VERSION]);
    expect(after.log).toEqual([]);
    expect(after.schema).toEqual([{ id: 'schema', schema: CURRENT_SCHEMA }]);
    for (const t of ['materials', 'trail', 'grants', 'principals'] as const) expect(after[t]).toEqual(before[t]);
    expect(after.keys).toEqual(before.keys!.map((k) => ({ ...(k as object), ...PLAIN_KEY_FIELDS })));
    expect(after.meta).toEqual([{ ...(before.meta![0] as object), logCount: 0, logComplete: false }]);
  });

  it('log entries commit and reload with the rest of the sandbox', async () => {
    const name = uniqueName();
    const repo = await open(name);
    const entry = { typeName: 'logEntry' as const, id: '000000000000', entry: { kind: 'clock' as const, seq: 0, at: 5, ms: 10 } };
    await repo.commit({ puts: [entry], deletes: [] });
    repo.close();
    const again = await open(name);
    expect(again.list('logEntry')).toEqual([entry]);
  });
});

describe('layout upgrade 3 → 4 (issue 7: custom key stores, import parameters)', () => {
  it('a layout-3 sandbox (sandbox.v3.json) gains the two tables; its keys gain the key-zoo fields (kms.key/1); nothing else changes', async () => {
    const name = uniqueName();
    const v3 = readFixture('sandbox.v3.json');
    const rows: Record<string, unknown[]> = { schema: [{ id: 'schema', schema: v3.schema }] };
    for (const r of v3.records) (rows[TABLE_OF[(r as AnyRecord).typeName]] ??= []).push(r);
    await seedRaw(name, rows, 3);
    const before = await dumpRaw(name);
    expect(before.$layout).toEqual([3]);
    expect(before.customKeyStores).toBeUndefined();

    const repo = await open(name);
    for (const r of v3.records as AnyRecord[]) {
      const want = r.typeName === 'key' ? { ...r, ...PLAIN_KEY_FIELDS } : r;
      expect(repo.get(r.typeName, r.id), `${r.typeName} ${r.id}`).toEqual(want);
    }
    expect(all(repo)).toHaveLength(v3.records.length);
    repo.close();

    const after = await dumpRaw(name);
    expect(after.$layout).toEqual([LAYOUT_VERSION]);
    expect(after.customKeyStores).toEqual([]);
    expect(after.importParameters).toEqual([]);
    expect(after.schema).toEqual([{ id: 'schema', schema: CURRENT_SCHEMA }]);
    for (const t of ['materials', 'trail', 'grants', 'principals', 'log', 'meta'] as const) expect(after[t]).toEqual(before[t]);
    expect(after.keys).toEqual(before.keys!.map((k) => ({ ...(k as object), ...PLAIN_KEY_FIELDS })));
  });
});

describe('principals: the unique access key id index', () => {
  it('a commit giving two principals one access key id fails with ConstraintError and writes nothing', async () => {
    const name = uniqueName();
    const repo = await open(name);
    await repo.commit({ puts: [samplePrincipal()], deletes: [] });
    const rawBefore = await dumpRaw(name);
    const bob = samplePrincipal({ kind: 'user', name: 'bob', id: 'arn:aws:iam::111122223333:user/bob' });
    await expect(repo.commit({ puts: [sampleKey(), bob], deletes: [] })).rejects.toThrow(/ConstraintError/);
    expect(all(repo)).toEqual([samplePrincipal()]);
    expect(await dumpRaw(name)).toEqual(rawBefore);
  });
});
