/**
 * Frozen full fixtures (STYLE §7): each released schema's sandbox must load under current code
 * forever. NEVER edit or regenerate a fixture file; add `sandbox.v<N+1>.json` when a schema is
 * released, list it in ../fixtures.ts, and keep the old ones.
 *
 * sandbox.v1.json (first release: kms.store 0, no world) was produced once by the real service
 * (seeded random, fixed clock, in-memory repository, src/trail recorder) from: CreateKey with tags,
 * CreateAlias, EnableKeyRotation (90 days), Encrypt (with a `$bytes` encryption-context key, to pin
 * the `$` escaping), RotateKeyOnDemand, a 91-day clock advance (RotateKey service event), Decrypt,
 * a failing Decrypt, CreateKey + DisableKey, CreateKey + ScheduleKeyDeletion, and a failing
 * DescribeKey; then `toJsonSnapshot`.
 *
 * sandbox.v2.json (issue 3: kms.store 1, kms.trailEvent 1, accounts, principals, identity policies,
 * grants) was produced once the same way (seed 32 × 0x33, clock 2025-06-02T09:30:00Z) by the
 * service with authorization, as callers of the default world: root CreateKey with a tag and
 * CreateAlias; KeyAdmin EnableKeyRotation; AppRole Encrypt (with a `$bytes` context key); alice
 * Decrypt (denied: no IAM policy), KeyAdmin Encrypt (denied: administers, does not use), PartnerApp
 * DescribeKey (denied: the key policy does not admit the partner); root CreateGrant (AppRole,
 * Decrypt + RetireGrant, EncryptionContextSubset, retiring KeyAdmin); KeyAdmin RotateKeyOnDemand;
 * a 91-day advance (RotateKey); AppRole Decrypt; KeyAdmin CreateKey + DisableKey; root CreateKey +
 * ScheduleKeyDeletion; root DescribeKey of a missing alias; then world edits: account
 * 777788889999, user/bob with an identity policy. Every call record carries its authorization
 * trace except the NotFound one (resolved before authorization) and the service event.
 *
 * sandbox.v3.json (issue 6: kms.meta 1, kms.logEntry 0, the call log) was produced once the same
 * way (seed 32 × 0x44, clock 2026-03-01T10:00:00Z, noble backend) from test/unit/kms/logScenario.ts:
 * calls by root, KeyAdmin, AppRole, alice and PartnerApp with denials and validation failures, a
 * grant, rotations, two clock advances (the second completes a scheduled deletion), world edits.
 * Its log is complete (`logComplete: true`): replaying it rebuilds the sandbox (replay.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_KEY_FIELDS, type GrantRecord, type KeyRecord, type TrailEventRecord } from '../../../../../src/kms/model';
import { createMemoryRepository } from '../../../../../src/kms/store/memory';
import {
  CURRENT_SCHEMA,
  defaultWorldAtStore1,
  fromJsonSnapshot,
  migrateSnapshot,
  toJsonSnapshot,
  validateRecord,
} from '../../../../../src/kms/store/schema/index';
import { FIXTURES, loadFixture, readFixture } from '../fixtures';

/** A stored key as current code sees it after `kms.key/1` (keys before issue 7: no key-zoo fields). */
const withKeyV1 = (r: unknown): unknown => ((r as { typeName: string }).typeName === 'key' ? { ...(r as object), ...PLAIN_KEY_FIELDS } : r);

/** A stored record as current code sees it after `kms.meta/1` (older sandboxes have no log) and `kms.key/1`. */
const withMetaV1 = (r: unknown): unknown => withKeyV1((r as { typeName: string }).typeName === 'meta' ? { ...(r as object), logCount: 0, logComplete: false } : r);

/** CURRENT_SCHEMA's sequences as they were before issue 7 (kms.key 0, no custom key stores or import parameters). */
const { 'kms.customKeyStore': _cks, 'kms.importParameters': _ip, 'kms.serviceResource': _sr, ...SEQUENCES_BEFORE_ISSUE_7 }: Record<string, number> = { ...CURRENT_SCHEMA.sequences, 'kms.key': 0 };

const FIRST_RELEASE_TYPES = ['key', 'material', 'alias', 'tag', 'policy', 'trailEvent', 'clock', 'meta'];
const ALL_TYPES = [...FIRST_RELEASE_TYPES, 'account', 'principal', 'identityPolicy', 'grant', 'logEntry'];

describe.each(FIXTURES)('%s', (name) => {
  it('loads under current code, and every record validates', () => {
    const records = loadFixture(name);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(validateRecord(r).ok).toBe(true);
  });

  it('survives re-export unchanged', () => {
    const records = loadFixture(name);
    const decoded = fromJsonSnapshot(JSON.stringify(toJsonSnapshot(records)));
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(migrateSnapshot(decoded.value)).toEqual({ ok: true, value: { records } });
  });

  it('holds the default world after loading (its own, or the one kms.store/1 adds)', () => {
    const repo = createMemoryRepository(loadFixture(name));
    for (const r of defaultWorldAtStore1()) expect(repo.get(r.typeName as never, r.id as string), `${String(r.typeName)} ${String(r.id)}`).toEqual(r);
  });
});

describe('sandbox.v1.json content', () => {
  const stored = readFixture('sandbox.v1.json');
  const records = loadFixture('sandbox.v1.json');
  const repo = createMemoryRepository(records);

  it('was written under the first release schema: no world', () => {
    expect(stored.schema.sequences['kms.store']).toBe(0);
    expect(Object.keys(stored.schema.sequences)).not.toContain('kms.account');
    expect(new Set(stored.records.map((r) => (r as { typeName: string }).typeName))).toEqual(new Set(FIRST_RELEASE_TYPES));
  });

  it('loads as its own records plus exactly the default world (kms.store/1)', () => {
    expect(records).toEqual([...stored.records.map(withMetaV1), ...defaultWorldAtStore1()]);
    expect(new Set(records.map((r) => r.typeName))).toEqual(new Set([...FIRST_RELEASE_TYPES, 'account', 'principal', 'identityPolicy']));
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
    expect(trail.every((t) => t.authorization === undefined)).toBe(true);
    expect(repo.get('meta', 'sandbox')?.trailCount).toBe(trail.length);
  });
});

describe('sandbox.v2.json content', () => {
  const stored = readFixture('sandbox.v2.json');
  const records = loadFixture('sandbox.v2.json');
  const repo = createMemoryRepository(records);

  it('was written under the issue-3 schema, and loads unchanged but meta (kms.meta/1: no log)', () => {
    const { 'kms.logEntry': _log, ...issue3 } = SEQUENCES_BEFORE_ISSUE_7;
    expect(stored.schema).toEqual({
      schemaVersion: 1,
      sequences: { ...issue3, 'kms.store': 1, 'kms.trailEvent': 1, 'kms.meta': 0 },
    });
    expect(records).toEqual(stored.records.map(withMetaV1));
    expect(repo.get('meta', 'sandbox')).toMatchObject({ logCount: 0, logComplete: false });
  });

  it('holds every record type of its schema', () => {
    expect(new Set(records.map((r) => r.typeName))).toEqual(new Set(ALL_TYPES.filter((t) => t !== 'logEntry')));
  });

  it('holds world edits beyond the default world', () => {
    expect(repo.list('account').map((a) => a.id)).toEqual(['111122223333', '444455556666', '777788889999']);
    expect(repo.get('principal', 'arn:aws:iam::777788889999:root')?.kind).toBe('root');
    expect(repo.get('identityPolicy', 'arn:aws:iam::111122223333:user/bob#ReadKeys')?.principalArn).toBe('arn:aws:iam::111122223333:user/bob');
    const keys = repo.list('principal').map((p) => p.accessKeyId);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('holds a grant with a constraint and a retiring principal', () => {
    const [grant] = repo.list('grant') as readonly GrantRecord[];
    expect(grant).toMatchObject({
      name: 'app-decrypt',
      granteePrincipal: 'arn:aws:iam::111122223333:role/AppRole',
      retiringPrincipal: 'arn:aws:iam::111122223333:role/KeyAdmin',
      issuingAccount: 'arn:aws:iam::111122223333:root',
      operations: ['Decrypt', 'RetireGrant'],
      constraints: { encryptionContextSubset: { Department: 'Engineering' } },
    });
    expect(repo.get('key', grant!.keyArn)?.description).toBe('App data key');
  });

  it('holds trail records with authorization traces, denied calls among them', () => {
    const trail = repo.list('trailEvent') as readonly TrailEventRecord[];
    expect(trail.map((t) => t.seq)).toEqual(trail.map((_, i) => i));
    const denied = trail.filter((t) => t.record.errorCode === 'AccessDeniedException');
    expect(denied.map((t) => t.record.eventName)).toEqual(['Decrypt', 'Encrypt', 'DescribeKey']);
    expect(denied.every((t) => t.authorization !== undefined)).toBe(true);
    expect(trail.filter((t) => t.authorization === undefined).map((t) => t.record.eventName)).toEqual(['RotateKey', 'DescribeKey']);
    expect(repo.list('key').map((k: KeyRecord) => k.keyState).sort()).toEqual(['Disabled', 'Enabled', 'PendingDeletion']);
    expect(repo.get('meta', 'sandbox')?.trailCount).toBe(trail.length);
  });
});

describe('sandbox.v3.json content', () => {
  const stored = readFixture('sandbox.v3.json');
  const records = loadFixture('sandbox.v3.json');
  const repo = createMemoryRepository(records);

  it('was written under the issue-6 schema, and loads unchanged but its keys (kms.key/1)', () => {
    expect(stored.schema).toEqual({ schemaVersion: 1, sequences: SEQUENCES_BEFORE_ISSUE_7 });
    expect(records).toEqual(stored.records.map(withKeyV1));
  });

  it('holds every record type, and a complete log: one entry per call, world edit and clock advance', () => {
    expect(new Set(records.map((r) => r.typeName))).toEqual(new Set(ALL_TYPES));
    const meta = repo.get('meta', 'sandbox')!;
    const log = repo.list('logEntry');
    expect(meta).toMatchObject({ logComplete: true, logCount: log.length, callCount: log.length });
    expect(log.map((r) => r.entry.seq)).toEqual(log.map((_, i) => i));
    expect(new Set(log.map((r) => r.entry.kind))).toEqual(new Set(['call', 'world', 'clock']));
    const calls = log.flatMap((r) => (r.entry.kind === 'call' ? [r.entry] : []));
    expect(calls.filter((c) => !c.outcome.ok).map((c) => (c.outcome.ok ? '' : c.outcome.error))).toContain('AccessDeniedException');
    // Each call wrote exactly one trail record; the rest are service events.
    const trail = repo.list('trailEvent');
    expect(trail.filter((t) => t.record.eventType === 'AwsApiCall')).toHaveLength(calls.length);
  });
});
