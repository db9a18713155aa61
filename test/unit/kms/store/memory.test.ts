/**
 * In-memory repository (ports.ts Repository): reads, ordering, atomic commits, dev freezing, and a
 * model-based property test against a plain Map model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../../../src/kms/errors';
import { TABLE_OF, type AnyRecord, type TypeName } from '../../../../src/kms/model';
import { createMemoryRepository } from '../../../../src/kms/store/memory';
import { anyRecordArb, KEY_ARN, sampleClock, sampleCloudTrail, sampleKey, sampleMaterial, sampleRecords, sampleTag, sampleTrailEvent } from './records';

const TYPES = Object.keys(TABLE_OF) as TypeName[];

function trail(seq: number, id: string) {
  return sampleTrailEvent({ id, seq, record: sampleCloudTrail({ eventID: id }) });
}

describe('createMemoryRepository', () => {
  it('starts empty, or with the given records', () => {
    const empty = createMemoryRepository();
    for (const t of TYPES) expect(empty.list(t)).toEqual([]);
    const repo = createMemoryRepository(sampleRecords());
    for (const r of sampleRecords()) expect(repo.get(r.typeName, r.id)).toEqual(r);
    expect(repo.get('key', 'arn:aws:kms:us-east-1:111122223333:key/missing')).toBeUndefined();
  });

  it('lists in id order, and the trail in seq order', () => {
    const tags = ['b', 'a', 'C', 'aa'].map((k) => sampleTag({ tagKey: k, id: `${KEY_ARN}#${k}` }));
    const events = [trail(2, 'aaaaaaaa-0000-4000-8000-000000000000'), trail(0, 'cccccccc-0000-4000-8000-000000000000'), trail(1, 'bbbbbbbb-0000-4000-8000-000000000000')];
    const repo = createMemoryRepository([...tags, ...events]);
    expect(repo.list('tag').map((t) => t.tagKey)).toEqual(['C', 'a', 'aa', 'b']);
    expect(repo.list('trailEvent').map((t) => t.seq)).toEqual([0, 1, 2]);
  });

  it('commits puts (a later put of the same id wins) and deletes', async () => {
    const repo = createMemoryRepository([sampleKey(), sampleClock()]);
    await repo.commit({
      puts: [sampleKey({ description: 'first' }), sampleKey({ description: 'second' }), sampleMaterial()],
      deletes: [{ typeName: 'clock', id: 'clock' }, { typeName: 'alias', id: 'not-there' }],
    });
    expect(repo.get('key', KEY_ARN)?.description).toBe('second');
    expect(repo.list('material')).toHaveLength(1);
    expect(repo.get('clock', 'clock')).toBeUndefined();
  });

  it('refuses a contradictory or malformed change set without applying any of it', async () => {
    const repo = createMemoryRepository([sampleClock()]);
    await expect(
      repo.commit({ puts: [sampleKey(), sampleClock({ offsetMs: 5 })], deletes: [{ typeName: 'clock', id: 'clock' }] }),
    ).rejects.toThrow(InvariantError);
    await expect(repo.commit({ puts: [sampleKey(), { typeName: 'widget', id: 'g' } as never], deletes: [] })).rejects.toThrow(InvariantError);
    expect(repo.list('key')).toEqual([]);
    expect(repo.get('clock', 'clock')).toEqual(sampleClock());
  });

  it('refreshes cached lists after a commit, and reuses them otherwise', async () => {
    const repo = createMemoryRepository([sampleTag()]);
    const before = repo.list('tag');
    expect(repo.list('tag')).toBe(before);
    await repo.commit({ puts: [sampleTag({ tagKey: 'Z', id: `${KEY_ARN}#Z` })], deletes: [] });
    expect(repo.list('tag')).not.toBe(before);
    expect(repo.list('tag')).toHaveLength(2);
    expect(before).toHaveLength(1);
  });
});

describe('dev freezing (tldraw devFreeze)', () => {
  it('runs in dev mode under Vitest', () => {
    expect(import.meta.env.DEV).toBe(true);
  });

  it('freezes records, nested trail data and lists, but not Uint8Array material', () => {
    const repo = createMemoryRepository(sampleRecords());
    const key = repo.get('key', KEY_ARN)!;
    expect(Object.isFrozen(key)).toBe(true);
    expect(() => {
      (key as { description: string }).description = 'mutated';
    }).toThrow(TypeError);
    const event = repo.list('trailEvent')[0]!;
    expect(Object.isFrozen(event.record)).toBe(true);
    expect(Object.isFrozen(event.record.resources)).toBe(true);
    expect(Object.isFrozen(event.record.requestParameters)).toBe(true);
    const material = repo.list('material')[0]!;
    expect(Object.isFrozen(material)).toBe(true);
    expect(Object.isFrozen(material.material)).toBe(false);
    expect(() => (repo.list('key') as AnyRecord[]).push(sampleKey())).toThrow(TypeError);
  });
});

describe('model-based: random commits against a Map model', () => {
  type Step = { puts: AnyRecord[]; deletes: number[] };
  const stepArb: fc.Arbitrary<Step> = fc.record({ puts: fc.array(anyRecordArb, { maxLength: 4 }), deletes: fc.array(fc.nat(), { maxLength: 3 }) });

  it('get and list always agree with the model, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 8 }), async (steps) => {
        const repo = createMemoryRepository();
        const model = new Map<string, AnyRecord>();
        const keyOf = (r: { typeName: string; id: string }) => `${r.typeName}\u0000${r.id}`;
        for (const step of steps) {
          // Delete some records that exist, but never one this step also puts (that is refused).
          const putKeys = new Set(step.puts.map(keyOf));
          const existing = [...model.values()].filter((r) => !putKeys.has(keyOf(r)));
          const deletes = existing.length === 0 ? [] : [...new Set(step.deletes.map((i) => existing[i % existing.length]!))];
          await repo.commit({ puts: step.puts, deletes: deletes.map((r) => ({ typeName: r.typeName, id: r.id })) });
          for (const r of step.puts) model.set(keyOf(r), r);
          for (const r of deletes) model.delete(keyOf(r));
          for (const t of TYPES) {
            const expected = [...model.values()].filter((r) => r.typeName === t);
            const listed = repo.list(t);
            expect(listed).toHaveLength(expected.length);
            for (const r of expected) expect(repo.get(t, r.id)).toBe(r);
            for (let i = 1; i < listed.length; i++) {
              const [a, b] = [listed[i - 1]!, listed[i]!];
              if (t === 'trailEvent') expect((a as { seq: number }).seq <= (b as { seq: number }).seq).toBe(true);
              else expect(a.id < b.id).toBe(true);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
