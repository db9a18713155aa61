/**
 * Record validators (STYLE §5): every valid record passes, every malformed field is refused with
 * `invalid-record` and a detail naming the field, details never carry secret values, and no input
 * makes a validator throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../../../../src/kms/store/schema/index';
import {
  anyRecordArb,
  KEY_ARN,
  sampleAlias,
  sampleClock,
  sampleCloudTrail,
  sampleKey,
  sampleMaterial,
  sampleMeta,
  samplePolicy,
  sampleRecords,
  sampleTag,
  sampleTrailEvent,
} from '../records';

function refused(r: unknown): string {
  const v = validateRecord(r);
  expect(v.ok).toBe(false);
  if (v.ok) return '';
  expect(v.reason).toBe('invalid-record');
  return v.detail;
}

describe('validateRecord', () => {
  it('accepts one sample of every type, returning the same object', () => {
    for (const r of sampleRecords()) {
      const v = validateRecord(r);
      expect(v, r.typeName).toEqual({ ok: true, value: r });
      if (v.ok) expect(v.value).toBe(r);
    }
  });

  it('accepts every generated valid record', () => {
    fc.assert(
      fc.property(anyRecordArb, (r) => {
        const v = validateRecord(r);
        if (!v.ok) throw new Error(v.detail);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses non-records and unknown types', () => {
    expect(refused(null)).toMatch(/expected an object/);
    expect(refused([sampleKey()])).toMatch(/expected an object/);
    expect(refused({ ...sampleKey(), typeName: 'grant' })).toMatch(/typeName/);
    expect(refused({ ...sampleKey(), typeName: 'toString' })).toMatch(/typeName/);
  });

  it('refuses missing and unexpected fields', () => {
    const { description: _d, ...noDescription } = sampleKey();
    expect(refused(noDescription)).toBe('key.description: missing');
    expect(refused({ ...sampleKey(), multiRegion: false })).toMatch(/unexpected field "multiRegion"/);
    expect(refused({ ...sampleClock(), extra: undefined })).toMatch(/unexpected field/);
  });

  const cases: [string, unknown, RegExp][] = [
    ['key id not the ARN of its parts', sampleKey({ region: 'eu-west-1' as never }), /key\.id/],
    ['bad KeyState', sampleKey({ keyState: 'enabled' as never }), /key\.keyState: expected one of .*PendingDeletion/],
    ['bad KeySpec', sampleKey({ keySpec: 'AES_256' as never }), /key\.keySpec/],
    ['bad key id', sampleKey({ keyId: 'not-a-uuid' as never }), /key\.keyId/],
    ['uppercase key id', sampleKey({ keyId: '1234ABCD-12ab-34cd-56ef-1234567890ab' as never }), /key\.keyId/],
    ['bad account', sampleKey({ accountId: '1234' as never }), /key\.accountId/],
    ['description too long', sampleKey({ description: 'x'.repeat(8193) }), /key\.description/],
    ['fractional time', sampleKey({ creationDate: 1.5 }), /key\.creationDate/],
    ['negative time', sampleKey({ creationDate: -1 }), /key\.creationDate/],
    ['NaN count', sampleKey({ onDemandRotationCount: Number.NaN }), /onDemandRotationCount/],
    ['deletion date while Enabled', sampleKey({ deletionDate: 5 }), /deletionDate/],
    ['PendingDeletion without a date', sampleKey({ keyState: 'PendingDeletion', pendingDeletionWindowInDays: 7 }), /deletionDate/],
    ['window out of range', sampleKey({ keyState: 'PendingDeletion', deletionDate: 5, pendingDeletionWindowInDays: 400 }), /pendingDeletionWindowInDays/],
    ['rotation period out of range', sampleKey({ rotationPeriodInDays: 89 }), /rotationPeriodInDays/],
    ['next rotation while off', sampleKey({ nextRotationDate: 5 }), /nextRotationDate/],
    ['rotation on without period', sampleKey({ rotationEnabled: true, nextRotationDate: 5 }), /rotationPeriodInDays/],
    ['material id mismatch', sampleMaterial({ id: `${KEY_ARN}/other` }), /material\.id/],
    ['31-byte material', sampleMaterial({ material: new Uint8Array(31) }), /material\.material: expected a Uint8Array of 32 bytes/],
    ['material as array', sampleMaterial({ material: Array.from(new Uint8Array(32)) as never }), /material\.material/],
    ['material as Uint16Array', sampleMaterial({ material: new Uint16Array(32) as never }), /material\.material/],
    ['bad rotationType', sampleMaterial({ rotationType: 'MANUAL' as never }), /rotationType/],
    ['bad material id', sampleMaterial({ keyMaterialId: 'AB'.repeat(32) as never }), /keyMaterialId/],
    ['alias without prefix', sampleAlias({ aliasName: 'app-data' as never }), /aliasName/],
    ['alias with a space', sampleAlias({ aliasName: 'alias/app data' as never }), /aliasName/],
    ['alias id mismatch', sampleAlias({ id: 'arn:aws:kms:us-east-1:111122223333:alias/other' }), /alias\.id/],
    ['alias target is an ARN', sampleAlias({ targetKeyId: KEY_ARN as never }), /targetKeyId/],
    ['empty tag key', sampleTag({ tagKey: '', id: `${KEY_ARN}#` }), /tagKey/],
    ['tag id mismatch', sampleTag({ id: `${KEY_ARN}#Other` }), /tag\.id/],
    ['policy name', samplePolicy({ policyName: 'other' as never, id: `${KEY_ARN}/other` }), /policyName/],
    ['empty policy', samplePolicy({ document: '' }), /document/],
    ['trail id not eventID', sampleTrailEvent({ id: '00000000-0000-4000-8000-000000000000' }), /trailEvent\.id/],
    ['negative seq', sampleTrailEvent({ seq: -1 }), /seq/],
    ['eventSource', sampleTrailEvent({ record: sampleCloudTrail({ eventSource: 's3.amazonaws.com' as never }) }), /record\.eventSource/],
    ['eventTime', sampleTrailEvent({ record: sampleCloudTrail({ eventTime: 'yesterday' }) }), /record\.eventTime/],
    ['eventType', sampleTrailEvent({ record: sampleCloudTrail({ eventType: 'AwsConsoleAction' as never }) }), /record\.eventType/],
    ['managementEvent', sampleTrailEvent({ record: sampleCloudTrail({ managementEvent: false as never }) }), /managementEvent/],
    [
      'non-JSON in requestParameters',
      sampleTrailEvent({ record: sampleCloudTrail({ requestParameters: { blob: new Uint8Array(2) as never } }) }),
      /record\.requestParameters\.blob: expected a JSON value/,
    ],
    [
      'Infinity in responseElements',
      sampleTrailEvent({ record: sampleCloudTrail({ responseElements: { n: Infinity } }) }),
      /finite number/,
    ],
    [
      'resource type',
      sampleTrailEvent({ record: sampleCloudTrail({ resources: [{ accountId: '111122223333', type: 'AWS::S3::Bucket' as never, ARN: 'x' }] }) }),
      /resources\[0\]\.type/,
    ],
    ['unexpected CloudTrail field', sampleTrailEvent({ record: { ...sampleCloudTrail(), sharedEventID: 'x' } as never }), /unexpected field "sharedEventID"/],
    ['clock id', { ...sampleClock(), id: 'other' }, /clock\.id/],
    ['negative clock offset', sampleClock({ offsetMs: -5 }), /offsetMs/],
    ['meta seed', sampleMeta({ seed: 'ab' }), /meta\.seed/],
    ['meta id', { ...sampleMeta(), id: 'other' }, /meta\.id/],
  ];
  it.each(cases)('refuses %s', (_name, record, detail) => {
    expect(refused(record)).toMatch(detail);
  });

  it('accepts optional CloudTrail fields set to undefined (IndexedDB keeps such keys)', () => {
    const r = sampleTrailEvent({ record: { ...sampleCloudTrail(), errorCode: undefined } });
    expect(validateRecord(r).ok).toBe(true);
  });

  it('accepts JSON with a __proto__ key in free-form trail fields', () => {
    const params = JSON.parse('{"__proto__": {"a": 1}, "keyId": "k"}') as Record<string, never>;
    expect(validateRecord(sampleTrailEvent({ record: sampleCloudTrail({ requestParameters: params }) })).ok).toBe(true);
  });

  it('never echoes secret values (material, seed) in a detail', () => {
    const seed = 'cd'.repeat(31) + 'zz';
    expect(refused(sampleMeta({ seed }))).not.toContain('cdcd');
    const material = new Uint8Array(33).fill(0x41);
    const detail = refused(sampleMaterial({ material }));
    expect(detail).not.toMatch(/65|AAAA|QUFB/);
  });

  it('refuses deeply nested and cyclic JSON without throwing', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 1000; i++) deep = (deep.a = {}) as Record<string, unknown>;
    expect(refused(sampleTrailEvent({ record: sampleCloudTrail({ requestParameters: root as never }) }))).toMatch(/nested deeper/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(refused(sampleTrailEvent({ record: sampleCloudTrail({ responseElements: cyclic as never }) }))).toMatch(/nested deeper/);
  });

  it('turns throwing getters into a failure', () => {
    const hostile = { ...sampleKey() };
    Object.defineProperty(hostile, 'keyState', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(refused(hostile)).toMatch(/unreadable \(Error\)/);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withMap: true, withDate: true, withNullPrototype: true }), (v) => {
        expect(validateRecord(v).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on records with one field replaced by arbitrary data', () => {
    fc.assert(
      fc.property(anyRecordArb, fc.nat(), fc.anything({ withTypedArray: true }), (r, i, junk) => {
        const keys = Object.keys(r);
        const broken = { ...r, [keys[i % keys.length]!]: junk };
        const v = validateRecord(broken);
        if (v.ok) expect(v.value).toBe(broken);
        else expect(v.reason).toBe('invalid-record');
      }),
      { numRuns: 300 },
    );
  });
});
