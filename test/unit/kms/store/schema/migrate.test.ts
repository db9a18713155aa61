/**
 * The one migrator (STYLE §7): up-migrations through a test-only registry, every closed failure
 * reason, idempotence on current data, immutability of the input, sequence ids pinned by inline
 * snapshot, and no throw on garbage (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENT_SCHEMA,
  defaultWorldAtStore1,
  defineMigrationSequence,
  KMS_REGISTRY,
  KMS_SEQUENCES,
  migrateSnapshot,
  parseSerializedSchema,
  validateRecord,
  type MigrationRegistry,
  type RecordMigration,
} from '../../../../../src/kms/store/schema/index';
import { defaultWorld } from '../../../../../src/kms/world';
import type { AnyRecord } from '../../../../../src/kms/model';
import {
  recordSetArb,
  sampleAccount,
  sampleClock,
  sampleCloudTrail,
  sampleKey,
  samplePrincipal,
  sampleRecords,
  sampleTrailEvent,
} from '../records';
import { ancientKey, legacyKeyMigrations, TEST_CURRENT, TEST_REGISTRY, testSchemaAt } from './testRegistry';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

describe('sequences (append-only: edits here must be deliberate)', () => {
  it('pins every sequence id and migration id', () => {
    expect(KMS_SEQUENCES.map((s) => `${s.sequenceId} (${s.scope === 'store' ? 'store' : s.recordType}) from ${s.firstVersion}: ${s.migrations.map((m) => m.id).join(', ')}`))
      .toMatchInlineSnapshot(`
        [
          "kms.store (store) from 0: kms.store/1",
          "kms.key (key) from 0: kms.key/1",
          "kms.material (material) from 0: ",
          "kms.alias (alias) from 0: ",
          "kms.tag (tag) from 0: ",
          "kms.policy (policy) from 0: ",
          "kms.trailEvent (trailEvent) from 0: kms.trailEvent/1",
          "kms.clock (clock) from 0: ",
          "kms.meta (meta) from 0: kms.meta/1",
          "kms.account (account) from 0: ",
          "kms.principal (principal) from 0: ",
          "kms.identityPolicy (identityPolicy) from 0: ",
          "kms.grant (grant) from 0: ",
          "kms.logEntry (logEntry) from 0: ",
          "kms.customKeyStore (customKeyStore) from 0: ",
          "kms.importParameters (importParameters) from 0: ",
          "kms.serviceResource (serviceResource) from 0: ",
        ]
      `);
  });

  it('pins CURRENT_SCHEMA', () => {
    expect(CURRENT_SCHEMA).toMatchInlineSnapshot(`
      {
        "schemaVersion": 1,
        "sequences": {
          "kms.account": 0,
          "kms.alias": 0,
          "kms.clock": 0,
          "kms.customKeyStore": 0,
          "kms.grant": 0,
          "kms.identityPolicy": 0,
          "kms.importParameters": 0,
          "kms.key": 1,
          "kms.logEntry": 0,
          "kms.material": 0,
          "kms.meta": 1,
          "kms.policy": 0,
          "kms.principal": 0,
          "kms.serviceResource": 0,
          "kms.store": 1,
          "kms.tag": 0,
          "kms.trailEvent": 1,
        },
      }
    `);
  });

  it('defineMigrationSequence refuses ids out of order or from another sequence', () => {
    const up = () => undefined;
    expect(() => defineMigrationSequence({ sequenceId: 'x', scope: 'store', firstVersion: 0, migrations: [{ id: 'x/2', up }] })).toThrow(/x\/1/);
    expect(() => defineMigrationSequence({ sequenceId: 'x', scope: 'store', firstVersion: 0, migrations: [{ id: 'x/1', up }, { id: 'x/3', up }] })).toThrow(
      /x\/2/,
    );
    expect(() => defineMigrationSequence({ sequenceId: 'x', scope: 'store', firstVersion: 0, migrations: [{ id: 'y/1', up }] })).toThrow();
    expect(() => defineMigrationSequence({ sequenceId: 'a/b', scope: 'store', firstVersion: 0, migrations: [] })).toThrow();
    expect(defineMigrationSequence({ sequenceId: 'x', scope: 'store', firstVersion: 2, migrations: [{ id: 'x/3', up }] }).firstVersion).toBe(2);
  });
});

describe('migrateSnapshot: up-migrations (test-only sequences)', () => {
  it('migrates the oldest shape to the current one (store migration, then both key migrations)', () => {
    const before = { schema: testSchemaAt(0, 0), records: [ancientKey('from the past'), sampleClock()] };
    expect(migrateSnapshot(before, TEST_REGISTRY)).toEqual({ ok: true, value: { records: [sampleKey({ description: 'from the past' }), sampleClock()] } });
  });

  it('runs only the migrations after the stored version', () => {
    const { onDemandRotationCount: _c, ...v1Key } = sampleKey({ description: 'v1' });
    expect(migrateSnapshot({ schema: testSchemaAt(1, 1), records: [v1Key] }, TEST_REGISTRY)).toEqual({
      ok: true,
      value: { records: [sampleKey({ description: 'v1' })] },
    });
  });

  it('treats a sequence missing from the stored schema as version 0', () => {
    const { 'test.store': _s, 'test.legacyKey': _k, ...sequences } = TEST_CURRENT.sequences;
    const r = migrateSnapshot({ schema: { schemaVersion: 1, sequences }, records: [ancientKey('x')] }, TEST_REGISTRY);
    expect(r).toEqual({ ok: true, value: { records: [sampleKey({ description: 'x' })] } });
  });

  it('never mutates its input (migrations run on clones)', () => {
    const input = deepFreeze({ schema: testSchemaAt(0, 0), records: [ancientKey(), sampleClock()] });
    const copy = structuredClone(input);
    expect(migrateSnapshot(input, TEST_REGISTRY).ok).toBe(true);
    expect(input).toEqual(copy);
  });

  it('returns fresh records: bytes are copied, not shared', () => {
    const records = sampleRecords();
    const r = migrateSnapshot({ schema: CURRENT_SCHEMA, records });
    if (!r.ok) throw new Error(r.detail);
    const material = r.value.records.find((x) => x.typeName === 'material')!;
    expect(material).not.toBe(records[1]);
    expect((material as { material: Uint8Array }).material).not.toBe((records[1] as { material: Uint8Array }).material);
  });
});

/** The schema of the first release (test/fixtures/sandbox.v1.json): nine sequences, all at 0. */
const FIRST_RELEASE = {
  schemaVersion: 1 as const,
  sequences: {
    'kms.store': 0,
    'kms.key': 0,
    'kms.material': 0,
    'kms.alias': 0,
    'kms.tag': 0,
    'kms.policy': 0,
    'kms.trailEvent': 0,
    'kms.clock': 0,
    'kms.meta': 0,
  },
};

describe('migrateSnapshot: from the first release (issue 3 migrations)', () => {
  const v1Records = () => sampleRecords().filter((r) => ['key', 'material', 'alias', 'tag', 'policy', 'trailEvent', 'clock', 'meta'].includes(r.typeName));

  it('sequences the old schema lacks count as version 0: the world is added, old records are kept as they were', () => {
    const r = migrateSnapshot({ schema: FIRST_RELEASE, records: v1Records() });
    if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
    expect(r.value.records).toEqual([...v1Records(), ...defaultWorld()]);
    for (const rec of r.value.records) expect(validateRecord(rec).ok).toBe(true);
  });

  it('an empty old sandbox gets the world too; a second pass under the current schema changes nothing', () => {
    const once = migrateSnapshot({ schema: FIRST_RELEASE, records: [] });
    if (!once.ok) throw new Error(once.detail);
    expect(once.value.records).toEqual(defaultWorld());
    expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: once.value.records })).toEqual(once);
  });

  it('a snapshot already at kms.store/1 is not given the world again (even without accounts)', () => {
    const r = migrateSnapshot({ schema: { schemaVersion: 1, sequences: { ...FIRST_RELEASE.sequences, 'kms.store': 1 } }, records: v1Records() });
    expect(r).toEqual({ ok: true, value: { records: v1Records() } });
  });

  it('old trail records (no authorization) pass kms.trailEvent/1 unchanged', () => {
    const r = migrateSnapshot({ schema: { schemaVersion: 1, sequences: { 'kms.store': 1, 'kms.trailEvent': 0 } }, records: [sampleTrailEvent()] });
    expect(r).toEqual({ ok: true, value: { records: [sampleTrailEvent()] } });
  });

  it('crafted first-release snapshots: with accounts they get no world; with principals but no accounts they clash and are refused', () => {
    // Neither can come from real data (kms.store/0 predates these types): the world is never added
    // twice, and a duplicate principal is refused rather than merged.
    const r = migrateSnapshot({ schema: FIRST_RELEASE, records: [sampleAccount()] });
    expect(r).toEqual({ ok: true, value: { records: [sampleAccount()] } });
    const clash = migrateSnapshot({ schema: FIRST_RELEASE, records: [samplePrincipal()] });
    expect(clash).toMatchObject({ ok: false, reason: 'invalid-record', detail: expect.stringMatching(/duplicate principal/) as unknown });
  });
});

describe('kms.store/1 (AddDefaultWorld) adds a frozen world', () => {
  it('the frozen world still equals defaultWorld() (if world.ts changed on purpose: do NOT edit frozenWorld.ts; add a kms.store migration if old sandboxes need the change, then compare against that)', () => {
    expect(defaultWorldAtStore1()).toEqual(defaultWorld() as unknown as AnyRecord[]);
  });

  it('gives fresh records on every call (migrations may mutate them)', () => {
    const a = defaultWorldAtStore1();
    const b = defaultWorldAtStore1();
    expect(a).toEqual(b);
    expect(a[0]).not.toBe(b[0]);
  });

  it('migrated through every later record migration, the frozen world validates under current code', () => {
    const r = migrateSnapshot({ schema: FIRST_RELEASE, records: [] });
    expect(r.ok && r.value.records.every((rec) => validateRecord(rec).ok)).toBe(true);
  });
});

describe('migrateSnapshot: idempotence on current data', () => {
  it('returns current data unchanged, and migrating twice equals migrating once', () => {
    fc.assert(
      fc.property(recordSetArb, (records) => {
        const once = migrateSnapshot({ schema: CURRENT_SCHEMA, records });
        if (!once.ok) throw new Error(once.detail);
        expect(once.value.records).toEqual(records);
        expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: once.value.records })).toEqual(once);
      }),
      { numRuns: 150 },
    );
  });

  it('test registry: migrated data is current, so a second pass changes nothing', () => {
    const once = migrateSnapshot({ schema: testSchemaAt(0, 0), records: [ancientKey()] }, TEST_REGISTRY);
    if (!once.ok) throw new Error(once.detail);
    expect(migrateSnapshot({ schema: TEST_CURRENT, records: once.value.records }, TEST_REGISTRY)).toEqual(once);
  });
});

describe('migrateSnapshot: failure reasons', () => {
  const current = { schema: CURRENT_SCHEMA, records: sampleRecords() };

  it('unknown-format: not a snapshot', () => {
    for (const bad of [null, 42, 'x', [], { records: [] }, { schema: CURRENT_SCHEMA }, { schema: CURRENT_SCHEMA, records: {} }]) {
      const r = migrateSnapshot(bad as never);
      expect(r.ok ? 'ok' : r.reason, JSON.stringify(bad)).toBe('unknown-format');
    }
  });

  it('unknown-format: malformed schema', () => {
    for (const schema of [
      {},
      { schemaVersion: 0, sequences: {} },
      { schemaVersion: '1', sequences: {} },
      { schemaVersion: 1 },
      { schemaVersion: 1, sequences: { 'kms.key': -1 } },
      { schemaVersion: 1, sequences: { 'kms.key': 0.5 } },
      { schemaVersion: 1, sequences: { 'kms/key': 0 } },
      { schemaVersion: 1, sequences: {}, extra: true },
    ]) {
      const r = migrateSnapshot({ schema: schema as never, records: [] });
      expect(r.ok ? 'ok' : r.reason, JSON.stringify(schema)).toBe('unknown-format');
    }
  });

  it('version-too-new: a newer schemaVersion, a newer sequence version, an unknown sequence', () => {
    const newer = [
      { schemaVersion: 2, sequences: {} },
      { schemaVersion: 1, sequences: { ...CURRENT_SCHEMA.sequences, 'kms.key': 2 } },
      { schemaVersion: 1, sequences: { ...CURRENT_SCHEMA.sequences, 'kms.widget': 0 } },
    ];
    for (const schema of newer) {
      const r = migrateSnapshot({ schema: schema as never, records: current.records });
      expect(r.ok ? 'ok' : r.reason, JSON.stringify(schema)).toBe('version-too-new');
    }
    const r = migrateSnapshot({ schema: testSchemaAt(1, 3), records: [] }, TEST_REGISTRY);
    expect(r).toMatchObject({ ok: false, reason: 'version-too-new', detail: 'test.legacyKey: stored version 3, this code knows up to 2' });
  });

  it('version-too-old: data older than the oldest supported version', () => {
    const retired: MigrationRegistry = {
      validate: KMS_REGISTRY.validate,
      sequences: [
        ...KMS_REGISTRY.sequences,
        // As if test.legacyKey/1 had been retired: data must be at version ≥ 1 to migrate.
        defineMigrationSequence({ ...legacyKeyMigrations, firstVersion: 1, migrations: legacyKeyMigrations.migrations.slice(1) }),
      ],
    };
    const r = migrateSnapshot({ schema: { schemaVersion: 1, sequences: { 'test.legacyKey': 0 } }, records: [] }, retired);
    expect(r).toMatchObject({ ok: false, reason: 'version-too-old' });
    const { onDemandRotationCount: _c, ...v1Key } = sampleKey();
    expect(migrateSnapshot({ schema: { schemaVersion: 1, sequences: { 'test.legacyKey': 1 } }, records: [v1Key] }, retired).ok).toBe(true);
  });

  it('migration-failed: a migration throws or does not produce records', () => {
    const withBroken = (up: RecordMigration['up']): MigrationRegistry => ({
      validate: KMS_REGISTRY.validate,
      sequences: [
        ...KMS_REGISTRY.sequences,
        defineMigrationSequence({ sequenceId: 'test.broken', scope: 'record', recordType: 'clock', firstVersion: 0, migrations: [{ id: 'test.broken/1', up }] }),
      ],
    });
    const schema = { schemaVersion: 1 as const, sequences: { 'test.broken': 0 } };
    const thrown = migrateSnapshot(
      { schema, records: [sampleClock()] },
      withBroken(() => {
        throw new TypeError('secret material 0123');
      }),
    );
    expect(thrown).toEqual({ ok: false, reason: 'migration-failed', detail: 'records[0]: test.broken/1 threw TypeError' });
    expect(migrateSnapshot({ schema, records: [sampleClock()] }, withBroken(() => 7 as never))).toMatchObject({ reason: 'migration-failed' });

    const badStore: MigrationRegistry = {
      validate: KMS_REGISTRY.validate,
      sequences: [defineMigrationSequence({ sequenceId: 'test.s', scope: 'store', firstVersion: 0, migrations: [{ id: 'test.s/1', up: () => [1] as never }] })],
    };
    expect(migrateSnapshot({ schema: { schemaVersion: 1, sequences: {} }, records: [] }, badStore)).toMatchObject({
      reason: 'migration-failed',
      detail: 'test.s/1: did not produce a list of records',
    });
  });

  it('invalid-record: a record that fails its validator after migration, with the index and field', () => {
    const records = [...sampleRecords(), sampleKey({ id: 'arn:aws:kms:us-east-1:111122223333:key/x' as never })];
    const r = migrateSnapshot({ schema: CURRENT_SCHEMA, records });
    expect(r).toEqual({ ok: false, reason: 'invalid-record', detail: `records[${records.length - 1}]: key.id: expected a key ARN` });
    // A test-registry record still at its old shape under a schema claiming it is current.
    expect(migrateSnapshot({ schema: TEST_CURRENT, records: [ancientKey()] }, TEST_REGISTRY)).toMatchObject({ reason: 'invalid-record' });
  });

  it('invalid-record: two principals with one access key id, two trail records at one seq (the unique indexes)', () => {
    const other = samplePrincipal({ kind: 'user', name: 'bob', id: 'arn:aws:iam::111122223333:user/bob' });
    expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: [samplePrincipal(), other] })).toEqual({
      ok: false,
      reason: 'invalid-record',
      detail: 'records[1]: duplicate principal accessKeyId',
    });
    expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: [samplePrincipal(), { ...other, accessKeyId: 'AKIABOBEXAMPLE1234' }] }).ok).toBe(true);
    const id = 'ffffffff-0000-4000-8000-000000000000';
    const clash = sampleTrailEvent({ id, record: sampleCloudTrail({ eventID: id }) });
    expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: [sampleTrailEvent(), clash] })).toMatchObject({ detail: 'records[1]: duplicate trailEvent seq' });
    // Equal values in different fields or types do not clash.
    expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: [sampleTrailEvent(), sampleClock({ offsetMs: 0 })] }).ok).toBe(true);
  });

  it('invalid-record: duplicate ids, non-objects, non-data values', () => {
    expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: [sampleKey(), sampleKey()] })).toEqual({
      ok: false,
      reason: 'invalid-record',
      detail: 'records[1]: duplicate key id',
    });
    for (const bad of [null, 'key', [sampleKey()], new Date(0), { ...sampleKey(), at: new Date(0) }, { ...sampleClock(), f: () => 1 }]) {
      expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: [bad] })).toMatchObject({ ok: false, reason: 'invalid-record' });
    }
  });

  it('cyclic records are refused, not recursed into forever', () => {
    const cyclic: Record<string, unknown> = { ...sampleClock() };
    cyclic.self = cyclic;
    expect(migrateSnapshot({ schema: CURRENT_SCHEMA, records: [cyclic] })).toMatchObject({ ok: false, reason: 'invalid-record' });
  });

  it('hostile input (a throwing getter) is a failure, not an exception', () => {
    const hostile = {};
    Object.defineProperty(hostile, 'records', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    Object.assign(hostile, { schema: CURRENT_SCHEMA });
    expect(migrateSnapshot(hostile as never)).toMatchObject({ ok: false, reason: 'unknown-format' });
  });
});

describe('migrateSnapshot: garbage never throws', () => {
  const reasons = ['unknown-format', 'version-too-new', 'version-too-old', 'migration-failed', 'invalid-record'];
  const settle = (input: unknown) => {
    const r = migrateSnapshot(input as never);
    if (!r.ok) expect(reasons).toContain(r.reason);
    return r;
  };

  it('random JSON as the snapshot', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => void settle(j)), { numRuns: 300 });
  });

  it('a current schema with random records', () => {
    fc.assert(
      fc.property(fc.array(fc.anything({ withTypedArray: true, withNullPrototype: true })), (records) => {
        const r = settle({ schema: CURRENT_SCHEMA, records });
        if (r.ok) expect(records).toHaveLength(0);
      }),
      { numRuns: 200 },
    );
  });

  it('random schemas', () => {
    const schemaArb = fc.oneof(
      fc.anything(),
      fc.record({ schemaVersion: fc.oneof(fc.integer(), fc.jsonValue()), sequences: fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.jsonValue())) }),
    );
    fc.assert(fc.property(schemaArb, (schema) => void settle({ schema, records: sampleRecords() })), { numRuns: 200 });
  });

  it('valid records with one field swapped for random JSON', () => {
    fc.assert(
      fc.property(recordSetArb, fc.nat(), fc.nat(), fc.jsonValue(), (records, i, j, junk) => {
        if (records.length === 0) return;
        const target = records[i % records.length]!;
        const keys = Object.keys(target);
        const broken = [...records];
        broken[i % records.length] = { ...target, [keys[j % keys.length]!]: junk } as never;
        settle({ schema: CURRENT_SCHEMA, records: broken });
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseSerializedSchema', () => {
  it('returns a copy of a well-formed schema', () => {
    const r = parseSerializedSchema(CURRENT_SCHEMA);
    expect(r).toEqual({ ok: true, value: CURRENT_SCHEMA });
    if (r.ok) expect(r.value).not.toBe(CURRENT_SCHEMA);
  });
});
