/**
 * Frozen full fixtures (STYLE §7): each released schema's sandbox must load under current code
 * forever. NEVER edit or regenerate a fixture file; add `sandbox.v<N+1>.json` when a schema is
 * released, and keep the old ones here.
 *
 * sandbox.v1.json was produced once by the real service (seeded random, fixed clock, in-memory
 * repository, src/trail recorder) from: CreateKey with tags, CreateAlias, EnableKeyRotation (90
 * days), Encrypt (with a `$bytes` encryption-context key, to pin the `$` escaping), RotateKeyOnDemand,
 * a 91-day clock advance (RotateKey service event), Decrypt, a failing Decrypt, CreateKey +
 * DisableKey, CreateKey + ScheduleKeyDeletion, and a failing DescribeKey; then `toJsonSnapshot`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnyRecord, KeyRecord, TrailEventRecord } from '../../../../../src/kms/model';
import { createMemoryRepository } from '../../../../../src/kms/store/memory';
import { fromJsonSnapshot, migrateSnapshot, toJsonSnapshot, validateRecord } from '../../../../../src/kms/store/schema/index';

const FIXTURES = ['sandbox.v1.json'];

function load(name: string): AnyRecord[] {
  const text = readFileSync(new URL(`../../../../fixtures/${name}`, import.meta.url), 'utf8');
  const decoded = fromJsonSnapshot(text);
  if (!decoded.ok) throw new Error(`${decoded.reason}: ${decoded.detail}`);
  const migrated = migrateSnapshot(decoded.value);
  if (!migrated.ok) throw new Error(`${migrated.reason}: ${migrated.detail}`);
  return migrated.value.records;
}

describe.each(FIXTURES)('%s', (name) => {
  it('loads under current code, and every record validates', () => {
    const records = load(name);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(validateRecord(r).ok).toBe(true);
  });

  it('survives re-export unchanged', () => {
    const records = load(name);
    const decoded = fromJsonSnapshot(JSON.stringify(toJsonSnapshot(records)));
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(migrateSnapshot(decoded.value)).toEqual({ ok: true, value: { records } });
  });
});

describe('sandbox.v1.json content', () => {
  const records = load('sandbox.v1.json');
  const repo = createMemoryRepository(records);

  it('holds every record type', () => {
    expect(new Set(records.map((r) => r.typeName))).toEqual(new Set(['key', 'material', 'alias', 'tag', 'policy', 'trailEvent', 'clock', 'meta']));
  });

  it('holds keys in different states, rotated material and a trail with failures and a service event', () => {
    expect(repo.list('key').map((k: KeyRecord) => k.keyState).sort()).toEqual(['Disabled', 'Enabled', 'PendingDeletion']);
    const rotated = repo.list('material').filter((m) => m.rotationType !== null);
    expect(rotated.map((m) => m.rotationType).sort()).toEqual(['AUTOMATIC', 'ON_DEMAND']);
    expect(repo.list('material').every((m) => m.material instanceof Uint8Array && m.material.length === 32)).toBe(true);
    const trail = repo.list('trailEvent') as readonly TrailEventRecord[];
    expect(trail.map((t) => t.seq)).toEqual(trail.map((_, i) => i));
    expect(trail.some((t) => t.record.errorCode !== undefined)).toBe(true);
    expect(trail.some((t) => t.record.eventType === 'AwsServiceEvent')).toBe(true);
    expect(repo.get('meta', 'sandbox')?.trailCount).toBe(trail.length);
  });
});
