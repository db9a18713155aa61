/**
 * Request quotas and throttling (kms-semantics.md §3.6; src/kms/quotas.ts): the table, exact
 * counting per window on the sandbox clock, workloads as background traffic, what the service
 * answers and logs, replay and reopen.
 */
import { describe, expect, it } from 'vitest';
import { createKmsService, type CallerContext, type LogEntry } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { createSeededRandom, webCryptoBackend } from '../../../src/kms/crypto';
import { QuotaMeter, quotaFor, symmetricQuota, symmetricQuotaPerSecond, THROTTLING_MESSAGE, windowOf, workloadRequestsIn } from '../../../src/kms/quotas';
import { toTrailRecord } from '../../../src/trail';
import { ACCOUNT, callerIn, makeHarness, PARTNER, REGION, ROOT, seedOf, T0 } from './harness';

const APP: CallerContext = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole` };

describe('the quota table (§3.6)', () => {
  it('puts the eight symmetric cryptographic operations on one quota, by Region tier', () => {
    for (const op of ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom', 'ReEncrypt', 'VerifyMac']) {
      expect(quotaFor(op, 'us-east-1', 'SYMMETRIC_DEFAULT')).toEqual(symmetricQuota('us-east-1'));
    }
    expect(symmetricQuotaPerSecond('us-east-1')).toBe(100_000);
    expect(symmetricQuotaPerSecond('eu-west-1')).toBe(100_000);
    expect(symmetricQuotaPerSecond('ap-southeast-2')).toBe(20_000);
    expect(symmetricQuotaPerSecond('ca-central-1')).toBe(10_000);
    expect(quotaFor('GenerateMac', 'us-east-1', 'HMAC_256')?.id).toBe('symmetric');
  });

  it('gives asymmetric keys their family quota, key pairs their spec quota, management operations their own', () => {
    expect(quotaFor('Sign', 'us-east-1', 'RSA_2048')).toMatchObject({ id: 'rsa', perSecond: 1_000 });
    expect(quotaFor('Decrypt', 'us-east-1', 'RSA_4096')).toMatchObject({ id: 'rsa' });
    expect(quotaFor('Verify', 'us-east-1', 'ECC_NIST_P256')).toMatchObject({ id: 'ecc', perSecond: 1_000 });
    expect(quotaFor('DeriveSharedSecret', 'us-east-1', 'ECC_NIST_P384')).toMatchObject({ id: 'ecc' });
    expect(quotaFor('Sign', 'us-east-1', 'ML_DSA_65')).toMatchObject({ id: 'mldsa' });
    expect(quotaFor('GenerateDataKeyPair', 'us-east-1', 'SYMMETRIC_DEFAULT', 'RSA_4096')).toMatchObject({ id: 'dataKeyPair:RSA_4096', perSecond: 0.1 });
    expect(quotaFor('CreateKey', 'us-east-1', null)).toMatchObject({ id: 'CreateKey', perSecond: 5 });
    expect(quotaFor('DescribeKey', 'us-east-1', 'SYMMETRIC_DEFAULT')).toMatchObject({ id: 'DescribeKey', perSecond: 2_000 });
    expect(quotaFor('GetParametersForImport', 'us-east-1', 'SYMMETRIC_DEFAULT')).toMatchObject({ perSecond: 0.25 });
    // Not in the reference: no quota (never throttled here).
    expect(quotaFor('ListKeyRotations', 'us-east-1', 'SYMMETRIC_DEFAULT')).toBeNull();
    expect(quotaFor('Encapsulate', 'us-east-1', 'ML_KEM_768')).toBeNull();
  });

  it('counts a fractional quota as one request per 1/r seconds', () => {
    expect(windowOf(5)).toEqual({ windowMs: 1000, allowance: 5 });
    expect(windowOf(0.25)).toEqual({ windowMs: 4000, allowance: 1 });
    expect(windowOf(0.1)).toEqual({ windowMs: 10_000, allowance: 1 });
  });
});

describe('QuotaMeter', () => {
  const q = { id: 'CreateKey', name: 'CreateKey request rate', perSecond: 5 };

  it('admits exactly the allowance per window, in bulk too, and starts again at the next window', () => {
    const m = new QuotaMeter();
    expect(m.admit(ACCOUNT, REGION, q, 1_000, 3)).toBe(3);
    expect(m.admit(ACCOUNT, REGION, q, 1_999, 4)).toBe(2);
    expect(m.admit(ACCOUNT, REGION, q, 1_999)).toBe(0);
    expect(m.full(ACCOUNT, REGION, q, 1_500)).toBe(true);
    expect(m.admit(ACCOUNT, REGION, q, 2_000, 9)).toBe(5);
    // Other accounts, Regions and quotas have their own counters.
    expect(m.admit(PARTNER, REGION, q, 2_000, 9)).toBe(5);
    expect(m.admit(ACCOUNT, 'eu-west-1', q, 2_000, 9)).toBe(5);
    expect(m.admit(ACCOUNT, REGION, { ...q, id: 'CreateAlias' }, 2_000, 9)).toBe(5);
  });

  it('counts background traffic first', () => {
    const m = new QuotaMeter((_a, _r, _q, _start, windowMs) => (windowMs === 1000 ? 4 : 0));
    expect(m.admit(ACCOUNT, REGION, q, 0, 3)).toBe(1);
    expect(m.full(ACCOUNT, REGION, q, 0)).toBe(true);
  });

  it('prorates a workload over the part of a window it runs', () => {
    const w = { label: 'x', quota: 'symmetric', ratePerSecond: 1_000, from: 1_500, until: 3_250 };
    expect(workloadRequestsIn(w, 1_000, 1_000)).toBe(500);
    expect(workloadRequestsIn(w, 2_000, 1_000)).toBe(1_000);
    expect(workloadRequestsIn(w, 3_000, 1_000)).toBe(250);
    expect(workloadRequestsIn(w, 4_000, 1_000)).toBe(0);
  });
});

describe('the service throttles', () => {
  it('a sixth CreateKey in one sandbox second, with AWS error and message; the next second admits again', async () => {
    const h = await makeHarness({ throttleOwnCalls: true });
    for (let i = 0; i < 5; i++) await h.createKey();
    expect(await h.fail('CreateKey')).toEqual({ name: 'ThrottlingException', message: THROTTLING_MESSAGE });
    // A throttled call consumes nothing, and a new window starts on the second boundary.
    h.clock.t = Math.floor(T0 / 1000) * 1000 + 1000;
    for (let i = 0; i < 5; i++) await h.createKey();
    expect((await h.fail('CreateKey')).name).toBe('ThrottlingException');
    // The throttled call is in the trail as a failed CreateKey.
    const trail = h.repo.list('trailEvent').map((r) => r.record);
    expect(trail.filter((r) => r.errorCode === 'ThrottlingException').map((r) => r.eventName)).toEqual(['CreateKey', 'CreateKey']);
  });

  it('per account and Region: another account, or another Region, is not throttled', async () => {
    const h = await makeHarness({ throttleOwnCalls: true });
    for (let i = 0; i < 5; i++) await h.createKey();
    await h.call('CreateKey', {}, callerIn(PARTNER));
    await h.call('CreateKey', {}, callerIn(ACCOUNT, 'eu-west-1'));
    expect((await h.fail('CreateKey')).name).toBe('ThrottlingException');
  });

  it('counts a cross-account call against the caller, not the key owner', async () => {
    const h = await makeHarness({ throttleOwnCalls: true });
    const { arn } = await h.createKey();
    await h.call('PutKeyPolicy', {
      KeyId: arn,
      PolicyName: 'default',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 'kms:CreateGrant', Resource: '*' },
        ],
      }),
    });
    // CreateGrant: 50 per second. The partner's 50 grants this second use up the partner's quota…
    const partner = callerIn(PARTNER);
    const grant = { KeyId: arn, GranteePrincipal: `arn:aws:iam::${PARTNER}:root`, Operations: ['Decrypt'] };
    for (let i = 0; i < 50; i++) await h.call('CreateGrant', grant, partner);
    expect((await h.fail('CreateGrant', grant, partner)).name).toBe('ThrottlingException');
    // …not the key owner's.
    await h.call('CreateGrant', grant, ROOT);
  });

  it('while a workload takes the whole shared symmetric quota: every symmetric crypto call, not DescribeKey, until it ends', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const until = T0 + 60_000;
    await h.service.world.putServiceResource({
      id: 'workload/ingest',
      service: 'workload',
      kind: 'workload',
      accountId: ACCOUNT as CallerContext['accountId'],
      region: REGION as CallerContext['region'],
      data: { label: 'nightly ingest', quota: 'symmetric', ratePerSecond: 120_000, from: T0, until },
    });
    const failed = await h.fail('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([1]) }, APP);
    expect(failed.name).toBe('ThrottlingException');
    expect((await h.fail('GenerateRandom', { NumberOfBytes: 16 })).name).toBe('ThrottlingException');
    await h.call('DescribeKey', { KeyId: arn });
    // Another account, another Region: their own quotas.
    await h.call('GenerateRandom', { NumberOfBytes: 16 }, callerIn(PARTNER));
    await h.call('GenerateRandom', { NumberOfBytes: 16 }, callerIn(ACCOUNT, 'eu-west-1'));
    h.clock.t = until;
    await h.call('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([1]) }, APP);
  });

  it('a workload just under the quota leaves exactly the remainder to the sandbox', async () => {
    const h = await makeHarness({ throttleOwnCalls: true });
    const start = Math.ceil(T0 / 1000) * 1000;
    h.clock.t = start;
    await h.service.world.putServiceResource({
      id: 'workload/near',
      service: 'workload',
      kind: 'workload',
      accountId: ACCOUNT as CallerContext['accountId'],
      region: REGION as CallerContext['region'],
      data: { label: 'near', quota: 'symmetric', ratePerSecond: 99_998, from: start, until: start + 10_000 },
    });
    await h.call('GenerateRandom', { NumberOfBytes: 8 });
    await h.call('GenerateRandom', { NumberOfBytes: 8 });
    expect((await h.fail('GenerateRandom', { NumberOfBytes: 8 })).name).toBe('ThrottlingException');
  });

  it('replays a log with throttled calls into the same trail, and a reopened sandbox keeps counting its window', async () => {
    const h = await makeHarness({ throttleOwnCalls: true });
    for (let i = 0; i < 5; i++) await h.createKey();
    await h.fail('CreateKey');
    const log = h.repo.list('logEntry').map((r) => r.entry) as LogEntry[];
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const mine = h.repo.list('trailEvent').map((e) => e.record);
    expect(r.repository.list('trailEvent').map((e) => e.record)).toEqual(mine);

    // The same repository opened again in the same second: the five CreateKeys still count.
    const reopened = await createKmsService({
      repository: h.repo,
      clock: h.clock,
      random: createSeededRandom(seedOf(1)),
      crypto: webCryptoBackend,
      recordTrail: toTrailRecord,
      throttleOwnCalls: true,
    });
    await expect(reopened.call('CreateKey', {}, ROOT)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('a fixed-clock sandbox (lessons, tests) does not count its own calls', async () => {
    const h = await makeHarness();
    for (let i = 0; i < 8; i++) await h.createKey();
    expect(h.repo.list('key')).toHaveLength(8);
  });
});

describe('calls made through a service', () => {
  it('log invokedBy and the service host as CloudTrail does', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    await h.call('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([1]) }, { ...APP, viaService: 's3.us-east-1.amazonaws.com' });
    const rec = h.repo.list('trailEvent').at(-1)!.record;
    expect(rec.userIdentity).toMatchObject({ type: 'AssumedRole', invokedBy: 's3.amazonaws.com' });
    expect(rec.sourceIPAddress).toBe('s3.amazonaws.com');
    expect(rec.userAgent).toBe('s3.amazonaws.com');
  });
});
