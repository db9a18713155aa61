/**
 * CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and RevokeGrant through the service
 * (kms-semantics.md §7, §2.1 notes, §3.2, §3.5): success shapes, validation messages, formats,
 * limits, constraints, idempotent names, retire and revoke rules, filters and paging.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { GrantRecord, KeyRecord } from '../../../../src/kms/model';
import { encodeGrantToken, parseGrantToken } from '../../../../src/kms/policy/grants';
import { MAX_GRANTS_PER_KEY } from '../../../../src/kms/operations/grants';
import { ACCOUNT, callerIn, makeHarness, PARTNER, REGION, ROOT, T0, type Harness } from '../harness';
import type { CallerContext } from '../../../../src/kms';

const ARN = (kind: string) => `arn:aws:iam::${ACCOUNT}:${kind}`;
const APP = ARN('role/AppRole');
const ADMIN = ARN('role/KeyAdmin');
const ALICE = ARN('user/alice');
const LEARNER_ROOT = ARN('root');
const PARTNER_APP = `arn:aws:iam::${PARTNER}:role/PartnerApp`;

function as(principalArn: string, accountId = ACCOUNT): CallerContext {
  return { principalArn, accountId: accountId as CallerContext['accountId'], region: REGION as CallerContext['region'] };
}

const DAY = 86_400_000;

let h: Harness;
let key: { keyId: string; arn: string };

beforeEach(async () => {
  h = await makeHarness();
  key = await h.createKey({ Description: 'grants' });
});

async function grant(req: Record<string, unknown> = {}, caller?: CallerContext) {
  const r = await h.call('CreateGrant', { KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'], ...req }, caller);
  return { GrantId: r.GrantId as string, GrantToken: r.GrantToken as string };
}

async function list(req: Record<string, unknown> = {}, caller?: CallerContext) {
  return h.call('ListGrants', { KeyId: key.keyId, ...req }, caller) as Promise<{ Grants: Record<string, unknown>[]; NextMarker?: string; Truncated: boolean }>;
}

/** A key policy that also lets the partner account (through its IAM) create, list and retire grants on the key. */
async function admitPartner(): Promise<void> {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: LEARNER_ROOT }, Action: 'kms:*', Resource: '*' },
      { Sid: 'PartnerGrants', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:CreateGrant', 'kms:ListGrants'], Resource: '*' },
    ],
  };
  await h.call('PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: JSON.stringify(policy) });
}

const lastTrail = () => {
  const t = h.repo.list('trailEvent');
  return t[t.length - 1]!.record;
};

describe('CreateGrant', () => {
  it('returns a 64-hex GrantId and a token naming it; ListGrants shows the grant exactly', async () => {
    const g = await grant({ Operations: ['Decrypt', 'Encrypt'] });
    expect(g.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(g.GrantToken.length).toBeGreaterThan(200);
    expect(parseGrantToken(g.GrantToken)).toEqual({ grantId: g.GrantId });
    const { Grants, Truncated } = await list();
    expect(Truncated).toBe(false);
    expect(Grants).toEqual([
      {
        KeyId: key.arn,
        GrantId: g.GrantId,
        Name: '',
        CreationDate: new Date(T0),
        GranteePrincipal: APP,
        IssuingAccount: LEARNER_ROOT,
        Operations: ['Decrypt', 'Encrypt'],
      },
    ]);
  });

  it('shows Name, RetiringPrincipal and Constraints when given', async () => {
    const g = await grant({ Name: 'app-decrypt', RetiringPrincipal: ADMIN, Constraints: { EncryptionContextSubset: { Department: 'IT' } } });
    const { Grants } = await list();
    expect(Grants[0]).toMatchObject({
      GrantId: g.GrantId,
      Name: 'app-decrypt',
      RetiringPrincipal: ADMIN,
      Constraints: { EncryptionContextSubset: { Department: 'IT' } },
    });
  });

  it('takes a key ARN; not an alias', async () => {
    await h.call('CreateAlias', { AliasName: 'alias/g', TargetKeyId: key.keyId });
    expect((await grant({ KeyId: key.arn })).GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.fail('CreateGrant', { KeyId: 'alias/g', GranteePrincipal: APP, Operations: ['Decrypt'] })).name).toBe('NotFoundException');
    expect((await h.fail('CreateGrant', { KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/g`, GranteePrincipal: APP, Operations: ['Decrypt'] })).name).toBe(
      'InvalidArnException',
    );
  });

  it('NotFoundException for a key that does not exist; a bare id resolves in the caller account only', async () => {
    const missing = await h.fail('CreateGrant', { KeyId: '00000000-0000-0000-0000-000000000000', GranteePrincipal: APP, Operations: ['Decrypt'] });
    expect(missing.name).toBe('NotFoundException');
    const partner = await h.fail('CreateGrant', { KeyId: key.keyId, GranteePrincipal: PARTNER_APP, Operations: ['Decrypt'] }, callerIn(PARTNER));
    expect(partner.name).toBe('NotFoundException');
  });

  it('an account may create a grant on another account key named by ARN (IssuingAccount is its own root)', async () => {
    await admitPartner();
    await grant({ KeyId: key.arn, GranteePrincipal: PARTNER_APP }, callerIn(PARTNER));
    const { Grants } = await list();
    expect(Grants[0]).toMatchObject({ GranteePrincipal: PARTNER_APP, IssuingAccount: `arn:aws:iam::${PARTNER}:root` });
  });

  describe('validation', () => {
    const base = () => ({ KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'] });

    it('Operations is required, non-empty, and made of grant operations', async () => {
      const { Operations: _, ...noOps } = base();
      expect(await h.fail('CreateGrant', noOps)).toEqual({
        name: 'ValidationException',
        message: "1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null",
      });
      expect((await h.fail('CreateGrant', { ...base(), Operations: [] })).message).toBe(
        "1 validation error detected: Value at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
      const bad = await h.fail('CreateGrant', { ...base(), Operations: ['Decrypt', 'ScheduleKeyDeletion'] });
      expect(bad.name).toBe('ValidationException');
      expect(bad.message).toMatch(/^1 validation error detected: Value '\[Decrypt, ScheduleKeyDeletion\]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[Decrypt, Encrypt, /);
    });

    it('duplicate operations are kept once', async () => {
      await grant({ Operations: ['Decrypt', 'Decrypt', 'Encrypt'] });
      expect((await list()).Grants[0]!.Operations).toEqual(['Decrypt', 'Encrypt']);
    });

    it('operations must suit the key: no Sign, Verify, GetPublicKey or MAC operations on a symmetric key', async () => {
      const r = await h.fail('CreateGrant', { ...base(), Operations: ['Decrypt', 'Sign', 'GenerateMac'] });
      expect(r.name).toBe('ValidationException');
      expect(r.message).toBe(
        `Sign, GenerateMac are not valid grant operations for ${key.arn}: a SYMMETRIC_DEFAULT key with KeyUsage ENCRYPT_DECRYPT supports Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, CreateGrant, RetireGrant, DescribeKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext.`,
      );
    });

    it('a signing key takes Sign/Verify/GetPublicKey, not Decrypt, and no encryption context constraint', async () => {
      const sym = h.repo.get('key', key.arn)!;
      const signing: KeyRecord = { ...sym, keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' };
      await h.repo.commit({ puts: [signing], deletes: [] });
      await grant({ Operations: ['Sign', 'Verify', 'GetPublicKey', 'DescribeKey'] });
      expect((await h.fail('CreateGrant', { ...base(), Operations: ['Decrypt'] })).message).toMatch(/^Decrypt is not a valid grant operation for /);
      const c = await h.fail('CreateGrant', { ...base(), Operations: ['Sign'], Constraints: { EncryptionContextEquals: { a: 'b' } } });
      expect(c).toEqual({
        name: 'ValidationException',
        message: `Encryption context grant constraints are not valid for ${key.arn}: operations with ECC_NIST_P256 keys do not take an encryption context.`,
      });
    });

    it('exactly one grantee; service principals are not simulated', async () => {
      expect(await h.fail('CreateGrant', { KeyId: key.keyId, Operations: ['Decrypt'] })).toEqual({
        name: 'ValidationException',
        message: 'Specify the grantee with GranteePrincipal (or GranteeServicePrincipal).',
      });
      expect((await h.fail('CreateGrant', { ...base(), GranteeServicePrincipal: 'dynamodb.amazonaws.com' })).name).toBe('ValidationException');
      const { GranteePrincipal: _, ...noGrantee } = base();
      expect((await h.fail('CreateGrant', { ...noGrantee, GranteeServicePrincipal: 'dynamodb.amazonaws.com' })).name).toBe('UnsupportedOperationException');
      expect((await h.fail('CreateGrant', { ...base(), RetiringServicePrincipal: 'dynamodb.amazonaws.com' })).name).toBe('UnsupportedOperationException');
    });

    it('principals: the model pattern, then they must exist in the sandbox (InvalidArnException as AWS)', async () => {
      const pattern = await h.fail('CreateGrant', { ...base(), GranteePrincipal: 'not a principal' });
      expect(pattern.message).toBe(
        "1 validation error detected: Value 'not a principal' at 'granteePrincipal' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$",
      );
      for (const p of [ARN('role/Nobody'), 'arn:aws:iam::999999999999:root', 'dynamodb.amazonaws.com', ARN('group/Admins'), `arn:aws:sts::${ACCOUNT}:assumed-role/Nobody/s`]) {
        expect(await h.fail('CreateGrant', { ...base(), GranteePrincipal: p })).toEqual({
          name: 'InvalidArnException',
          message: `ARN does not refer to a valid principal: ${p}`,
        });
      }
      expect((await h.fail('CreateGrant', { ...base(), RetiringPrincipal: ARN('user/bob') })).name).toBe('InvalidArnException');
      for (const p of [ALICE, LEARNER_ROOT, `arn:aws:iam::${PARTNER}:root`, PARTNER_APP, `arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/session-1`]) {
        await grant({ GranteePrincipal: p, RetiringPrincipal: p });
      }
      expect((await list()).Grants).toHaveLength(5);
    });

    it('Name: 1–256 chars of [a-zA-Z0-9:/_-]', async () => {
      expect((await h.fail('CreateGrant', { ...base(), Name: 'my grant' })).message).toBe(
        "1 validation error detected: Value 'my grant' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
      );
      expect((await h.fail('CreateGrant', { ...base(), Name: 'n'.repeat(257) })).message).toContain('Member must have length less than or equal to 256');
      await grant({ Name: 'n'.repeat(256) });
    });

    it('GrantTokens: at most 10, each a token KMS issued', async () => {
      const g = await grant();
      await grant({ GrantTokens: [g.GrantToken] });
      expect(await h.fail('CreateGrant', { ...base(), GrantTokens: [g.GrantToken, 'garbage'] })).toEqual({
        name: 'InvalidGrantTokenException',
        message: 'The grant token at GrantTokens position 2 is not valid.',
      });
      expect((await h.fail('CreateGrant', { ...base(), GrantTokens: Array(11).fill(g.GrantToken) })).message).toContain(
        "at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    });
  });

  describe('constraints', () => {
    const base = () => ({ KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'] });

    it('EncryptionContextEquals or EncryptionContextSubset, not both', async () => {
      await grant({ Constraints: { EncryptionContextEquals: { a: '1' } } });
      expect(await h.fail('CreateGrant', { ...base(), Constraints: { EncryptionContextEquals: { a: '1' }, EncryptionContextSubset: { b: '2' } } })).toEqual({
        name: 'ValidationException',
        message: 'A grant can have only one encryption context constraint: EncryptionContextEquals or EncryptionContextSubset, not both.',
      });
    });

    it('at most 8 pairs, values at most 384 characters', async () => {
      const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
      await grant({ Constraints: { EncryptionContextSubset: pairs(8) } });
      expect(await h.fail('CreateGrant', { ...base(), Constraints: { EncryptionContextSubset: pairs(9) } })).toEqual({
        name: 'ValidationException',
        message: 'The EncryptionContextSubset grant constraint can include at most 8 encryption context pairs.',
      });
      await grant({ Constraints: { EncryptionContextEquals: { k: 'v'.repeat(384) } } });
      expect((await h.fail('CreateGrant', { ...base(), Constraints: { EncryptionContextEquals: { k: 'v'.repeat(385) } } })).message).toBe(
        'Each encryption context value in the EncryptionContextEquals grant constraint can be at most 384 characters.',
      );
    });

    it('empty maps mean no constraint; a non-structure and non-string values are rejected; SourceArn is not simulated', async () => {
      await grant({ Constraints: { EncryptionContextSubset: {} } });
      expect((await list()).Grants[0]).not.toHaveProperty('Constraints');
      expect(h.repo.list('grant')[0]!.constraints).toBeNull();
      expect((await h.fail('CreateGrant', { ...base(), Constraints: 'a=b' })).name).toBe('ValidationException');
      expect((await h.fail('CreateGrant', { ...base(), Constraints: { EncryptionContextSubset: { a: 1 } } })).name).toBe('ValidationException');
      expect((await h.fail('CreateGrant', { ...base(), Constraints: { SourceArn: 'arn:aws:s3:::bucket' } })).name).toBe('UnsupportedOperationException');
    });
  });

  describe('Name makes retries idempotent', () => {
    it('same name and parameters → the same GrantId, a new token, one grant', async () => {
      const req = { Name: 'retry-me', Operations: ['Decrypt', 'Encrypt'], RetiringPrincipal: ADMIN, Constraints: { EncryptionContextSubset: { a: '1' } } };
      const first = await grant(req);
      const again = await grant({ ...req, Operations: ['Encrypt', 'Decrypt'] });
      expect(again.GrantId).toBe(first.GrantId);
      expect(again.GrantToken).not.toBe(first.GrantToken);
      expect(parseGrantToken(again.GrantToken)).toEqual({ grantId: first.GrantId });
      expect((await list()).Grants).toHaveLength(1);
    });

    it('a different parameter, or no name at all, creates a new grant', async () => {
      const a = await grant({ Name: 'n' });
      const b = await grant({ Name: 'n', Operations: ['Encrypt'] });
      const c = await grant({ Name: 'n', Constraints: { EncryptionContextEquals: { x: 'y' } } });
      const d = await grant();
      const e = await grant();
      expect(new Set([a, b, c, d, e].map((g) => g.GrantId)).size).toBe(5);
    });
  });

  it('DryRun: DryRunOperationException and nothing is created', async () => {
    expect((await h.fail('CreateGrant', { KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'], DryRun: true })).name).toBe('DryRunOperationException');
    expect((await list()).Grants).toEqual([]);
  });

  it('follows the key state matrix: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException', async () => {
    await h.call('DisableKey', { KeyId: key.keyId });
    expect(await h.fail('CreateGrant', { KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'] })).toEqual({
      name: 'DisabledException',
      message: `${key.arn} is disabled.`,
    });
    await h.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 });
    expect(await h.fail('CreateGrant', { KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'] })).toEqual({
      name: 'KMSInvalidStateException',
      message: `${key.arn} is pending deletion.`,
    });
  });

  it(`at most ${MAX_GRANTS_PER_KEY} grants per key (LimitExceededException); a named retry still answers`, async () => {
    const named = await grant({ Name: 'kept' });
    const template = h.repo.get('grant', named.GrantId)!;
    const filler: GrantRecord[] = [];
    for (let i = 1; i < MAX_GRANTS_PER_KEY; i++) {
      filler.push({ ...template, id: i.toString(16).padStart(64, '0'), name: null });
    }
    await h.repo.commit({ puts: filler, deletes: [] });
    expect(h.repo.list('grant')).toHaveLength(MAX_GRANTS_PER_KEY);
    const r = await h.fail('CreateGrant', { KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'] });
    expect(r).toEqual({
      name: 'LimitExceededException',
      message: `The request was rejected because ${key.arn} already has the maximum of 50000 grants (quota "Grants per KMS key").`,
    });
    expect((await grant({ Name: 'kept' })).GrantId).toBe(named.GrantId);
    // Another key is not affected.
    const other = await h.createKey();
    await grant({ KeyId: other.keyId });
  });

  it('the trail logs the request and GrantId but never the GrantToken (§10)', async () => {
    const g = await grant({ Name: 'logged' });
    const record = lastTrail();
    expect(record.eventName).toBe('CreateGrant');
    expect(JSON.stringify(record)).not.toContain(g.GrantToken);
    expect(JSON.stringify(record.responseElements)).toContain(g.GrantId);
    expect(record.requestParameters).toMatchObject({ keyId: key.keyId, granteePrincipal: APP, operations: ['Decrypt'], name: 'logged' });
  });

  it('draws ids and tokens from the seeded random stream: same seed, same grants', async () => {
    const again = await makeHarness();
    const k2 = await again.createKey({ Description: 'grants' });
    expect(k2.arn).toBe(key.arn);
    const a = await grant();
    const b = await again.call('CreateGrant', { KeyId: k2.keyId, GranteePrincipal: APP, Operations: ['Decrypt'] });
    expect(b).toEqual({ GrantId: a.GrantId, GrantToken: a.GrantToken });
  });
});

describe('ListGrants', () => {
  it('filters by GrantId and GranteePrincipal; GranteeServicePrincipal matches nothing', async () => {
    const a = await grant();
    const b = await grant({ GranteePrincipal: ALICE });
    expect((await list({ GrantId: b.GrantId })).Grants.map((g) => g.GrantId)).toEqual([b.GrantId]);
    expect((await list({ GranteePrincipal: APP })).Grants.map((g) => g.GrantId)).toEqual([a.GrantId]);
    expect((await list({ GrantId: a.GrantId, GranteePrincipal: ALICE })).Grants).toEqual([]);
    expect((await list({ GrantId: 'f'.repeat(64) })).Grants).toEqual([]);
    expect((await list({ GranteeServicePrincipal: 'dynamodb.amazonaws.com' })).Grants).toEqual([]);
  });

  it('a GrantId that is not a grant id is InvalidGrantIdException', async () => {
    expect(await h.fail('ListGrants', { KeyId: key.keyId, GrantId: 'nope' })).toEqual({
      name: 'InvalidGrantIdException',
      message: 'Invalid grant ID: nope (a grant ID is 64 lowercase hexadecimal characters).',
    });
  });

  it('pages oldest first with Limit and Marker (default 50, max 100)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await grant()).GrantId);
      await h.service.advanceClock(1000);
    }
    const p1 = await list({ Limit: 2 });
    expect(p1.Grants.map((g) => g.GrantId)).toEqual(ids.slice(0, 2));
    expect(p1.Truncated).toBe(true);
    const p2 = await list({ Limit: 2, Marker: p1.NextMarker });
    expect(p2.Grants.map((g) => g.GrantId)).toEqual(ids.slice(2, 4));
    const p3 = await list({ Limit: 2, Marker: p2.NextMarker });
    expect(p3).toEqual({ Grants: [expect.objectContaining({ GrantId: ids[4] })], Truncated: false });
    expect((await list({ Limit: 1000 })).Grants).toHaveLength(5);
    expect((await h.fail('ListGrants', { KeyId: key.keyId, Marker: 'bogus' })).name).toBe('InvalidMarkerException');
    expect((await h.fail('ListGrants', { KeyId: key.keyId, Limit: 0 })).name).toBe('ValidationException');
  });

  it('lists the grants of this key only, in any key state', async () => {
    const other = await h.createKey();
    await grant({ KeyId: other.keyId });
    const mine = await grant();
    await h.call('DisableKey', { KeyId: key.keyId });
    expect((await list()).Grants.map((g) => g.GrantId)).toEqual([mine.GrantId]);
    await h.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 });
    expect((await list()).Grants).toHaveLength(1);
  });

  it('takes a key id or ARN only', async () => {
    await h.call('CreateAlias', { AliasName: 'alias/g', TargetKeyId: key.keyId });
    expect((await list({ KeyId: key.arn })).Grants).toEqual([]);
    expect((await h.fail('ListGrants', { KeyId: 'alias/g' })).name).toBe('NotFoundException');
  });
});

describe('ListRetirableGrants', () => {
  it('lists grants on any key whose retiring principal is the given one', async () => {
    const other = await h.createKey();
    const a = await grant({ RetiringPrincipal: ADMIN });
    await grant({ RetiringPrincipal: ALICE });
    const c = await grant({ KeyId: other.keyId, RetiringPrincipal: ADMIN });
    const r = await h.call('ListRetirableGrants', { RetiringPrincipal: ADMIN }, as(ADMIN));
    expect((r.Grants as { GrantId: string }[]).map((g) => g.GrantId).sort()).toEqual([a.GrantId, c.GrantId].sort());
    expect(r.Truncated).toBe(false);
    const page = await h.call('ListRetirableGrants', { RetiringPrincipal: ADMIN, Limit: 1 });
    expect(page.Truncated).toBe(true);
    expect((await h.call('ListRetirableGrants', { RetiringPrincipal: APP })).Grants).toEqual([]);
  });

  it('includes grants on another account key that name a principal of the caller account', async () => {
    await admitPartner();
    const partnerRoot = callerIn(PARTNER);
    const g = await grant({ KeyId: key.arn, GranteePrincipal: PARTNER_APP, RetiringPrincipal: PARTNER_APP }, partnerRoot);
    const r = await h.call('ListRetirableGrants', { RetiringPrincipal: PARTNER_APP }, partnerRoot);
    expect(r.Grants).toEqual([expect.objectContaining({ GrantId: g.GrantId, KeyId: key.arn })]);
  });

  it('needs a retiring principal of the caller account that exists', async () => {
    expect(await h.fail('ListRetirableGrants', {})).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'retiringPrincipal' failed to satisfy constraint: Member must not be null",
    });
    expect((await h.fail('ListRetirableGrants', { RetiringPrincipal: ARN('role/Nobody') })).name).toBe('InvalidArnException');
    expect((await h.fail('ListRetirableGrants', { RetiringPrincipal: PARTNER_APP })).name).toBe('AccessDeniedException');
    expect((await h.call('ListRetirableGrants', { RetiringServicePrincipal: 'dynamodb.amazonaws.com' })).Grants).toEqual([]);
  });
});

describe('RetireGrant', () => {
  it('the retiring principal retires with the token alone; the grant is gone', async () => {
    const g = await grant({ RetiringPrincipal: ADMIN });
    expect(await h.call('RetireGrant', { GrantToken: g.GrantToken }, as(ADMIN))).toEqual({});
    expect((await list()).Grants).toEqual([]);
    expect(lastTrail().resources).toEqual([{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: key.arn }]);
  });

  it('or with KeyId (id or ARN) + GrantId', async () => {
    const a = await grant({ RetiringPrincipal: ADMIN });
    const b = await grant({ RetiringPrincipal: ADMIN });
    await h.call('RetireGrant', { KeyId: key.keyId, GrantId: a.GrantId }, as(ADMIN));
    await h.call('RetireGrant', { KeyId: key.arn, GrantId: b.GrantId }, as(ADMIN));
    expect((await list()).Grants).toEqual([]);
  });

  it('the grantee may retire only when the grant allows RetireGrant', async () => {
    const without = await grant();
    const denied = await h.fail('RetireGrant', { GrantToken: without.GrantToken }, as(APP));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/kms-playground is not authorized to perform: kms:RetireGrant on resource: ${key.arn} because the grant does not let the caller retire it`,
    );
    const withOp = await grant({ Operations: ['Decrypt', 'RetireGrant'] });
    await h.call('RetireGrant', { GrantToken: withOp.GrantToken }, as(APP));
    expect((await list()).Grants.map((g) => g.GrantId)).toEqual([without.GrantId]);
  });

  it('the account that created the grant (its root) may retire it; other principals may not', async () => {
    const g = await grant({ RetiringPrincipal: ADMIN });
    expect((await h.fail('RetireGrant', { GrantToken: g.GrantToken }, as(ALICE))).name).toBe('AccessDeniedException');
    expect((await h.fail('RetireGrant', { GrantToken: g.GrantToken }, callerIn(PARTNER))).name).toBe('AccessDeniedException');
    await h.call('RetireGrant', { GrantToken: g.GrantToken }, ROOT);
    expect((await list()).Grants).toEqual([]);
  });

  it('a retiring principal in another account retires a grant on this key', async () => {
    const g = await grant({ KeyId: key.arn, GranteePrincipal: PARTNER_APP, RetiringPrincipal: PARTNER_APP });
    await h.call('RetireGrant', { KeyId: key.arn, GrantId: g.GrantId }, as(PARTNER_APP, PARTNER));
    expect((await list()).Grants).toEqual([]);
  });

  it('records the decision with the call (the why panel)', async () => {
    const g = await grant({ RetiringPrincipal: ADMIN, Name: 'explained' });
    await h.fail('RetireGrant', { GrantToken: g.GrantToken }, as(ALICE));
    const t = h.repo.list('trailEvent');
    const auth = t[t.length - 1]!.authorization as unknown;
    expect(JSON.stringify(auth)).toContain('can be retired by its retiring principal');
  });

  it('errors: malformed token, unknown or foreign grant, bad id, missing identification, mismatch', async () => {
    const g = await grant({ RetiringPrincipal: ADMIN });
    expect(await h.fail('RetireGrant', { GrantToken: 'garbage' })).toEqual({ name: 'InvalidGrantTokenException', message: 'The grant token is not valid.' });
    const ghost = encodeGrantToken('e'.repeat(64), new Uint8Array([1, 2, 3]));
    expect(await h.fail('RetireGrant', { GrantToken: ghost })).toEqual({ name: 'NotFoundException', message: `Grant ${'e'.repeat(64)} does not exist.` });
    expect(await h.fail('RetireGrant', { KeyId: key.keyId, GrantId: 'f'.repeat(64) })).toEqual({
      name: 'NotFoundException',
      message: `Grant ${'f'.repeat(64)} does not exist on key ${key.arn}.`,
    });
    expect((await h.fail('RetireGrant', { KeyId: key.keyId, GrantId: 'xyz' })).name).toBe('InvalidGrantIdException');
    const other = await h.createKey();
    expect((await h.fail('RetireGrant', { KeyId: other.keyId, GrantId: g.GrantId })).name).toBe('NotFoundException');
    expect(await h.fail('RetireGrant', { GrantId: g.GrantId })).toEqual({
      name: 'ValidationException',
      message: 'Identify the grant to retire by its GrantToken, or by both KeyId and GrantId.',
    });
    expect((await h.fail('RetireGrant', {})).name).toBe('ValidationException');
    expect((await h.fail('RetireGrant', { GrantToken: g.GrantToken, GrantId: 'a'.repeat(64) })).name).toBe('ValidationException');
    // The first retire works; the token then names nothing.
    await h.call('RetireGrant', { GrantToken: g.GrantToken }, as(ADMIN));
    expect((await h.fail('RetireGrant', { GrantToken: g.GrantToken }, as(ADMIN))).name).toBe('NotFoundException');
  });

  it('DryRun answers DryRunOperationException when allowed (the grant stays), AccessDenied when not', async () => {
    const g = await grant({ RetiringPrincipal: ADMIN });
    expect((await h.fail('RetireGrant', { GrantToken: g.GrantToken, DryRun: true }, as(ADMIN))).name).toBe('DryRunOperationException');
    expect((await h.fail('RetireGrant', { GrantToken: g.GrantToken, DryRun: true }, as(ALICE))).name).toBe('AccessDeniedException');
    expect((await list()).Grants).toHaveLength(1);
  });

  it('works in every key state (Disabled, PendingDeletion)', async () => {
    const a = await grant({ RetiringPrincipal: ADMIN });
    const b = await grant({ RetiringPrincipal: ADMIN });
    await h.call('DisableKey', { KeyId: key.keyId });
    await h.call('RetireGrant', { GrantToken: a.GrantToken }, as(ADMIN));
    await h.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 });
    await h.call('RetireGrant', { GrantToken: b.GrantToken }, as(ADMIN));
    expect(h.repo.list('grant')).toEqual([]);
  });
});

describe('RevokeGrant', () => {
  it('deletes the grant (KeyId + GrantId)', async () => {
    const a = await grant();
    const b = await grant();
    expect(await h.call('RevokeGrant', { KeyId: key.keyId, GrantId: a.GrantId })).toEqual({});
    expect((await list()).Grants.map((g) => g.GrantId)).toEqual([b.GrantId]);
    await h.call('RevokeGrant', { KeyId: key.arn, GrantId: b.GrantId });
    expect((await list()).Grants).toEqual([]);
  });

  it('errors: missing members, bad id, unknown grant, a grant of another key, an alias', async () => {
    const g = await grant();
    expect((await h.fail('RevokeGrant', { KeyId: key.keyId })).message).toBe(
      "1 validation error detected: Value null at 'grantId' failed to satisfy constraint: Member must not be null",
    );
    expect((await h.fail('RevokeGrant', { GrantId: g.GrantId })).name).toBe('ValidationException');
    expect((await h.fail('RevokeGrant', { KeyId: key.keyId, GrantId: 'G'.repeat(64) })).name).toBe('InvalidGrantIdException');
    expect((await h.fail('RevokeGrant', { KeyId: key.keyId, GrantId: 'd'.repeat(64) })).name).toBe('NotFoundException');
    const other = await h.createKey();
    expect((await h.fail('RevokeGrant', { KeyId: other.keyId, GrantId: g.GrantId })).name).toBe('NotFoundException');
    await h.call('CreateAlias', { AliasName: 'alias/g', TargetKeyId: key.keyId });
    expect((await h.fail('RevokeGrant', { KeyId: 'alias/g', GrantId: g.GrantId })).name).toBe('NotFoundException');
    expect((await list()).Grants).toHaveLength(1);
  });

  it('DryRun changes nothing', async () => {
    const g = await grant();
    expect((await h.fail('RevokeGrant', { KeyId: key.keyId, GrantId: g.GrantId, DryRun: true })).name).toBe('DryRunOperationException');
    expect((await list()).Grants).toHaveLength(1);
  });

  it('works while the key is pending deletion', async () => {
    const g = await grant();
    await h.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 });
    await h.call('RevokeGrant', { KeyId: key.keyId, GrantId: g.GrantId });
    expect(h.repo.list('grant')).toEqual([]);
  });
});

describe('grant lifecycle with the key', () => {
  it('deleting a key deletes its grants (and only its grants)', async () => {
    const other = await h.createKey();
    await grant();
    const kept = await grant({ KeyId: other.keyId });
    await h.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 });
    await h.service.advanceClock(7 * DAY + 1);
    expect(h.repo.list('grant').map((g) => g.id)).toEqual([kept.GrantId]);
  });
});

describe('who may do what (key policy, IAM and grants)', () => {
  const ec = { tenant: 'a' };
  const encrypt = (caller: CallerContext, req: Record<string, unknown> = {}) =>
    h.call('Encrypt', { KeyId: key.arn, Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: ec, ...req }, caller);

  it('a grant lets alice (no KMS permissions) encrypt: with its token at once, without it after propagation', async () => {
    expect((await h.fail('Encrypt', { KeyId: key.arn, Plaintext: new Uint8Array([1]) }, as(ALICE))).name).toBe('AccessDeniedException');
    const g = await grant({ GranteePrincipal: ALICE, Operations: ['Encrypt'] });
    const early = await h.fail('Encrypt', { KeyId: key.arn, Plaintext: new Uint8Array([1]), EncryptionContext: ec }, as(ALICE));
    expect(early.name).toBe('AccessDeniedException');
    await encrypt(as(ALICE), { GrantTokens: [g.GrantToken] });
    await h.service.advanceClock(30_000);
    await encrypt(as(ALICE));
  });

  it('EncryptionContextSubset limits what the grant allows', async () => {
    await grant({ GranteePrincipal: ALICE, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: ec } });
    await h.service.advanceClock(30_000);
    await encrypt(as(ALICE), { EncryptionContext: { tenant: 'a', extra: 'x' } });
    expect((await h.fail('Encrypt', { KeyId: key.arn, Plaintext: new Uint8Array([1]), EncryptionContext: { tenant: 'b' } }, as(ALICE))).name).toBe(
      'AccessDeniedException',
    );
  });

  it('revoking or retiring a grant takes its permission away', async () => {
    const a = await grant({ GranteePrincipal: ALICE, Operations: ['Encrypt', 'RetireGrant'] });
    await h.service.advanceClock(30_000);
    await encrypt(as(ALICE));
    await h.call('RetireGrant', { GrantToken: a.GrantToken }, as(ALICE));
    expect((await h.fail('Encrypt', { KeyId: key.arn, Plaintext: new Uint8Array([1]), GrantTokens: [a.GrantToken] }, as(ALICE))).name).toBe(
      'AccessDeniedException',
    );
    const b = await grant({ GranteePrincipal: ALICE, Operations: ['Encrypt'] });
    await encrypt(as(ALICE), { GrantTokens: [b.GrantToken] });
    await h.call('RevokeGrant', { KeyId: key.keyId, GrantId: b.GrantId }, as(ADMIN));
    expect((await h.fail('Encrypt', { KeyId: key.arn, Plaintext: new Uint8Array([1]), GrantTokens: [b.GrantToken] }, as(ALICE))).name).toBe(
      'AccessDeniedException',
    );
  });

  it('CreateGrant, ListGrants and RevokeGrant need policy permission: KeyAdmin has it, AppRole and alice do not', async () => {
    const g = await grant({}, as(ADMIN));
    expect((await list({}, as(ADMIN))).Grants).toHaveLength(1);
    for (const who of [APP, ALICE]) {
      expect((await h.fail('CreateGrant', { KeyId: key.keyId, GranteePrincipal: APP, Operations: ['Decrypt'] }, as(who))).name).toBe('AccessDeniedException');
      expect((await h.fail('ListGrants', { KeyId: key.keyId }, as(who))).name).toBe('AccessDeniedException');
      expect((await h.fail('RevokeGrant', { KeyId: key.keyId, GrantId: g.GrantId }, as(who))).name).toBe('AccessDeniedException');
    }
    expect((await h.fail('ListRetirableGrants', { RetiringPrincipal: ALICE }, as(ALICE))).name).toBe('AccessDeniedException');
    await h.call('RevokeGrant', { KeyId: key.keyId, GrantId: g.GrantId }, as(ADMIN));
  });

  it('CreateGrant permission from a grant covers only grants within it (operations, constraints at least as strict)', async () => {
    const parent = await grant({ GranteePrincipal: ALICE, Operations: ['Encrypt', 'Decrypt', 'CreateGrant'], Constraints: { EncryptionContextSubset: { Department: 'IT' } } });
    const child = (req: Record<string, unknown>) => ({ KeyId: key.arn, GranteePrincipal: APP, GrantTokens: [parent.GrantToken], ...req });
    await h.call('CreateGrant', child({ Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { Department: 'IT' } } }), as(ALICE));
    await h.call('CreateGrant', child({ Operations: ['Decrypt', 'CreateGrant'], Constraints: { EncryptionContextSubset: { Department: 'IT', Team: 'x' } } }), as(ALICE));
    const wider = await h.fail('CreateGrant', child({ Operations: ['Decrypt', 'GenerateDataKey'], Constraints: { EncryptionContextSubset: { Department: 'IT' } } }), as(ALICE));
    expect(wider.name).toBe('AccessDeniedException');
    expect(wider.message).toContain('the new grant would add GenerateDataKey, which this grant does not allow');
    const looser = await h.fail('CreateGrant', child({ Operations: ['Decrypt'] }), as(ALICE));
    expect(looser.name).toBe('AccessDeniedException');
    expect(looser.message).toContain("the new grant's constraint must include every pair of EncryptionContextSubset {Department=IT}");
    // Without the token, before propagation, the parent grant is not in effect yet.
    expect((await h.fail('CreateGrant', { ...child({ Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { Department: 'IT' } } }), GrantTokens: undefined }, as(ALICE))).name).toBe(
      'AccessDeniedException',
    );
    // A principal with CreateGrant from a policy may grant anything the key supports.
    await grant({ Operations: ['GenerateDataKey'] }, as(ADMIN));
  });
});
