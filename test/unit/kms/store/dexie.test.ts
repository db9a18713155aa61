/**
 * Dexie repository over fake-indexeddb (STYLE §7): round trip of every record type, atomic commits
 * (IndexedDB AND memory unchanged when a transaction fails part-way), migrations on open with the
 * stored data left untouched on failure, and garbage in the database never making open throw.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { TABLE_OF, type AnyRecord, type TypeName } from '../../../../src/kms/model';
import { deleteDexieSandbox, openDexieRepository, STORES_V1, type DexieRepository } from '../../../../src/kms/store/dexie';
import { CURRENT_SCHEMA, type SerializedSchema } from '../../../../src/kms/store/schema/index';
import {
  KEY_ARN,
  recordSetArb,
  sampleClock,
  sampleCloudTrail,
  sampleKey,
  sampleMaterial,
  sampleMeta,
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

/** Writes raw rows straight into the database (what an older or corrupt client left behind). */
async function seedRaw(name: string, rows: Partial<Record<keyof typeof STORES_V1, unknown[]>>): Promise<void> {
  const db = new Dexie(name);
  db.version(1).stores(STORES_V1);
  await db.open();
  await db.transaction('rw', db.tables, async () => {
    for (const [table, list] of Object.entries(rows)) await db.table(table).bulkPut(list);
  });
  db.close();
}

/** A database as a newer client (layout version 3, with a grants table) would leave it. */
async function seedRawV3(name: string): Promise<void> {
  const db = new Dexie(name);
  db.version(3).stores({ ...STORES_V1, grants: 'id' });
  await db.open();
  await db.table('keys').put(sampleKey());
  await db.table('grants').put({ id: 'g1' });
  await db.table('schema').put({ id: 'schema', schema: CURRENT_SCHEMA });
  db.close();
}

/** Every raw row of the database, table by table (to prove it was left untouched). */
async function dumpRaw(name: string): Promise<Record<string, unknown[]>> {
  const db = new Dexie(name);
  db.version(1).stores(STORES_V1);
  await db.open();
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) out[t.name] = await t.toArray();
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
    expect((await dumpRaw(name)).schema).toEqual([{ id: 'schema', schema: CURRENT_SCHEMA }]);
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
  it('migrates older records on open, and writes them back with the new schema', async () => {
    const name = uniqueName();
    await seedRaw(name, { keys: [ancientKey('stored long ago')], clock: [sampleClock()], schema: [{ id: 'schema', schema: testSchemaAt(0, 0) }] });
    const repo = await open(name, { registry: TEST_REGISTRY });
    expect(repo.get('key', KEY_ARN)).toEqual(sampleKey({ description: 'stored long ago' }));
    repo.close();
    const raw = await dumpRaw(name);
    expect(raw.keys).toEqual([sampleKey({ description: 'stored long ago' })]);
    expect(raw.clock).toEqual([sampleClock()]);
    expect(raw.schema).toEqual([{ id: 'schema', schema: TEST_CURRENT }]);
    // Reopening now runs no migration (the data is current) and gives the same records.
    expect((await open(name, { registry: TEST_REGISTRY })).get('key', KEY_ARN)).toEqual(sampleKey({ description: 'stored long ago' }));
  });

  const refusals: [string, SerializedSchema | undefined, unknown[], string][] = [
    ['version-too-new', { schemaVersion: 1, sequences: { ...CURRENT_SCHEMA.sequences, 'kms.key': 7 } }, [sampleKey()], 'version-too-new'],
    ['unknown sequence', { schemaVersion: 1, sequences: { 'kms.grant': 1 } }, [sampleKey()], 'version-too-new'],
    ['invalid record', CURRENT_SCHEMA, [sampleKey({ keyState: 'Gone' as never })], 'invalid-record'],
    ['records without a schema row', undefined, [sampleKey()], 'unknown-format'],
    ['old shape under a current schema', CURRENT_SCHEMA, [{ ...ancientKey(), typeName: 'key' }], 'invalid-record'],
  ];
  it.each(refusals)('refuses %s and leaves the stored data untouched', async (_what, schema, keys, reason) => {
    const name = uniqueName();
    await seedRaw(name, { keys, ...(schema ? { schema: [{ id: 'schema', schema }] } : {}) });
    const rawBefore = await dumpRaw(name);
    const r = await openDexieRepository(name);
    expect(r).toMatchObject({ ok: false, reason });
    expect(await dumpRaw(name)).toEqual(rawBefore);
  });

  it('a refusal names the record and field, never a secret value', async () => {
    const name = uniqueName();
    const material = sampleMaterial({ material: new Uint8Array(16).fill(0x41) });
    await seedRaw(name, { materials: [material], schema: [{ id: 'schema', schema: CURRENT_SCHEMA }] });
    const r = await openDexieRepository(name);
    expect(r).toEqual({ ok: false, reason: 'invalid-record', detail: 'records[0]: material.material: expected a Uint8Array of 32 bytes' });
  });

  it('refuses a storage layout from a newer client', async () => {
    const name = uniqueName();
    await seedRawV3(name);
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
        async (type, row, schema) => {
          const name = uniqueName();
          await seedRaw(name, { [TABLE_OF[type]]: [row], schema: [{ id: 'schema', schema }] });
          const r = await openDexieRepository(name);
          if (r.ok) opened.push(r.value);
          expect(r.ok).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
});
