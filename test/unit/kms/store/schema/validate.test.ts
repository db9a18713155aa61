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
  GRANT_ID,
  KEY_ARN,
  ROLE_ARN,
  sampleAccount,
  sampleAlias,
  sampleClock,
  sampleCloudTrail,
  sampleGrant,
  sampleIdentityPolicy,
  sampleKey,
  sampleMaterial,
  sampleCustomKeyStore,
  sampleImportParameters,
  sampleMeta,
  samplePolicy,
  samplePrincipal,
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
    expect(refused({ ...sampleKey(), typeName: 'widget' })).toMatch(/typeName/);
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
    ['15-byte material', sampleMaterial({ material: new Uint8Array(15) }), /material\.material: expected a Uint8Array of 16–16384 bytes/],
    ['material over 16 KiB', sampleMaterial({ material: new Uint8Array(16385) }), /material\.material: expected a Uint8Array of 16–16384 bytes/],
    ['mrk key id without a multi-Region role', sampleKey({ keyId: `mrk-${'a'.repeat(32)}` as never, id: `arn:aws:kms:us-east-1:111122223333:key/mrk-${'a'.repeat(32)}` as never }), /multiRegionKeyType/],
    ['multi-Region role on a UUID key', sampleKey({ multiRegionKeyType: 'PRIMARY' }), /multiRegionKeyType/],
    ['AWS_KMS key without material', sampleKey({ currentKeyMaterialId: null }), /currentKeyMaterialId/],
    ['bad custom key store id', sampleCustomKeyStore({ id: 'cks-123' }), /customKeyStore\.id/],
    ['CloudHSM store without a cluster', sampleCustomKeyStore({ cloudHsmClusterId: null }), /cloudHsmClusterId/],
    ['import parameters id mismatch', sampleImportParameters({ id: 'x' }), /importParameters\.id/],
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
    ['trail authorization not an object', sampleTrailEvent({ authorization: [] as never }), /trailEvent\.authorization: expected a JSON object/],
    ['trail authorization with a non-JSON value', sampleTrailEvent({ authorization: { at: new Date(0) as never } }), /trailEvent\.authorization\.at/],
    // account
    ['11-digit account id', sampleAccount({ id: '11112222333' as never }), /account\.id: expected a 12-digit account id/],
    ['empty account name', sampleAccount({ name: '' }), /account\.name/],
    // principal
    ['principal id not its ARN', samplePrincipal({ id: `arn:aws:iam::111122223333:user/AppRole` }), /principal\.id: expected the principal ARN/],
    ['principal in another account', samplePrincipal({ accountId: '444455556666' as never }), /principal\.id/],
    ['principal kind', samplePrincipal({ kind: 'group' as never }), /principal\.kind/],
    ['role name with a space', samplePrincipal({ name: 'App Role', id: 'arn:aws:iam::111122223333:role/App Role' }), /principal\.name: expected 1–64 chars/],
    ['role name of 65 chars', samplePrincipal({ name: 'a'.repeat(65), id: `arn:aws:iam::111122223333:role/${'a'.repeat(65)}` }), /principal\.name/],
    ['root named otherwise', samplePrincipal({ kind: 'root', name: 'admin', id: 'arn:aws:iam::111122223333:root' }), /principal\.name: expected "root"/],
    ['access key id without AKIA', samplePrincipal({ accessKeyId: 'ASIAAPPROLEEXAMPLE' }), /principal\.accessKeyId/],
    ['lowercase access key id', samplePrincipal({ accessKeyId: 'AKIAapprolexample' }), /principal\.accessKeyId/],
    ['short access key id', samplePrincipal({ accessKeyId: 'AKIA12345678901' }), /principal\.accessKeyId/],
    // identityPolicy
    ['identity policy id', sampleIdentityPolicy({ id: `${ROLE_ARN}/UseKeys` }), /identityPolicy\.id: expected `<principalArn>#<policyName>`/],
    ['identity policy on a root', sampleIdentityPolicy({ principalArn: 'arn:aws:iam::111122223333:root', id: 'arn:aws:iam::111122223333:root#UseKeys' }), /principalArn: expected the ARN of an IAM user or role/],
    ['identity policy on a group', sampleIdentityPolicy({ principalArn: 'arn:aws:iam::111122223333:group/Devs', id: 'arn:aws:iam::111122223333:group/Devs#UseKeys' }), /principalArn/],
    ['policy name with a slash', sampleIdentityPolicy({ policyName: 'a/b', id: `${ROLE_ARN}#a/b` }), /policyName/],
    ['policy name of 129 chars', sampleIdentityPolicy({ policyName: 'p'.repeat(129), id: `${ROLE_ARN}#${'p'.repeat(129)}` }), /policyName/],
    ['empty identity policy', sampleIdentityPolicy({ document: '' }), /identityPolicy\.document/],
    ['identity policy over 131072 chars', sampleIdentityPolicy({ document: 'x'.repeat(131_073) }), /identityPolicy\.document/],
    // grant
    ['grant id of 63 hex', sampleGrant({ id: GRANT_ID.slice(1) }), /grant\.id: expected 64 lowercase hex/],
    ['uppercase grant id', sampleGrant({ id: GRANT_ID.toUpperCase() }), /grant\.id/],
    ['grant on an alias', sampleGrant({ keyArn: 'arn:aws:kms:us-east-1:111122223333:alias/app' as never }), /grant\.keyArn: expected a key ARN/],
    ['grant name with a space', sampleGrant({ name: 'my grant' }), /grant\.name/],
    ['grant name of 257 chars', sampleGrant({ name: 'n'.repeat(257) }), /grant\.name/],
    ['empty grant name', sampleGrant({ name: '' }), /grant\.name/],
    ['grantee of 257 chars', sampleGrant({ granteePrincipal: 'a'.repeat(257) }), /grant\.granteePrincipal/],
    ['grantee with a space', sampleGrant({ granteePrincipal: 'arn:aws:iam::111122223333:role/a b' }), /grant\.granteePrincipal/],
    ['retiring principal empty', sampleGrant({ retiringPrincipal: '' }), /grant\.retiringPrincipal/],
    ['issuing account not a root ARN', sampleGrant({ issuingAccount: '111122223333' }), /grant\.issuingAccount: expected an account root ARN/],
    ['no operations', sampleGrant({ operations: [] }), /grant\.operations: expected at least one operation/],
    ['unknown operation', sampleGrant({ operations: ['Decrypt', 'PutKeyPolicy'] }), /grant\.operations\[1\]: expected a grant operation/],
    ['operations not strings', sampleGrant({ operations: [1] as never }), /grant\.operations\[0\]/],
    ['duplicate operations', sampleGrant({ operations: ['Decrypt', 'Decrypt'] }), /grant\.operations: expected distinct operations/],
    ['empty constraints object', sampleGrant({ constraints: {} }), /grant\.constraints: expected at least one constraint/],
    ['unknown constraint', sampleGrant({ constraints: { sourceArn: 'x' } as never }), /grant\.constraints: unexpected field "sourceArn"/],
    ['constraint value not a string', sampleGrant({ constraints: { encryptionContextEquals: { a: 1 } as never } }), /encryptionContextEquals: expected string values/],
    ['constraint of 9 pairs', sampleGrant({ constraints: { encryptionContextSubset: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v'])) } }), /at most 8 pairs/],
    ['constraint value of 385 chars', sampleGrant({ constraints: { encryptionContextSubset: { k: 'v'.repeat(385) } } }), /at most 384 chars/],
    ['empty grant token', sampleGrant({ grantToken: '' }), /grant\.grantToken/],
    ['grant token over 8192 chars', sampleGrant({ grantToken: 't'.repeat(8193) }), /grant\.grantToken/],
    ['fractional grant creationDate', sampleGrant({ creationDate: 0.5 }), /grant\.creationDate/],
  ];
  it.each(cases)('refuses %s', (_name, record, detail) => {
    expect(refused(record)).toMatch(detail);
  });

  it('accepts the edges of the new formats', () => {
    const ok = (r: unknown) => expect(validateRecord(r), JSON.stringify(r).slice(0, 120)).toMatchObject({ ok: true });
    ok(samplePrincipal({ kind: 'root', name: 'root', id: 'arn:aws:iam::111122223333:root' }));
    ok(samplePrincipal({ kind: 'user', name: 'a+b=c,d.e@f-g_h', id: 'arn:aws:iam::111122223333:user/a+b=c,d.e@f-g_h' }));
    ok(samplePrincipal({ name: 'r'.repeat(64), id: `arn:aws:iam::111122223333:role/${'r'.repeat(64)}` }));
    ok(samplePrincipal({ accessKeyId: 'AKIA123456789012' }));
    ok(sampleIdentityPolicy({ policyName: 'p'.repeat(128), id: `${ROLE_ARN}#${'p'.repeat(128)}` }));
    ok(sampleIdentityPolicy({ document: 'x'.repeat(131_072) }));
    ok(sampleGrant({ name: null, retiringPrincipal: null, constraints: null }));
    ok(sampleGrant({ name: 'n'.repeat(256), granteePrincipal: 's3.amazonaws.com', grantToken: 't'.repeat(8192) }));
    ok(sampleGrant({ constraints: { encryptionContextEquals: {}, encryptionContextSubset: { a: 'v'.repeat(384) } } }));
    ok(sampleTrailEvent({ authorization: { decisions: [{ decision: 'ExplicitDeny', statements: [] }] } }));
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
    const material = new Uint8Array(16385).fill(0x41);
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
