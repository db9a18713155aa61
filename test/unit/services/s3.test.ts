/**
 * Simulated S3 (src/services/s3.ts) against the real sandbox KMS: SSE-KMS round trips, the
 * encryption context and caller KMS sees (its trail records), kms:ViaService, aws/s3 on first use,
 * Bucket Keys per BUCKET_KEY_MODEL, the object-ARN policy trap, throttling as S3 reports it,
 * replay, and bad input that never throws anything but ServiceError.
 */
import { createDecipheriv, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallerContext, type LogEntry } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { redactLogEntry } from '../../../src/kms/log';
import { webCryptoBackend } from '../../../src/kms/crypto';
import { toTrailRecord } from '../../../src/trail';
import { BUCKET_KEY_MODEL, s3KmsRequestsPerSecond } from '../../../src/services/s3Model';
import { bucketNameProblem, createS3, refreshBucketWorkloads, S3_OPERATIONS, type S3 } from '../../../src/services/s3';
import { createSecretsManager } from '../../../src/services/secretsManager';
import { ServiceError } from '../../../src/services/serviceErrors';
import { ACCOUNT, callerIn, makeHarness, PARTNER, REGION, ROOT, T0, utf8, text, type Harness } from '../kms/harness';

const APP_ARN = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const APP: CallerContext = { ...ROOT, principalArn: APP_ARN };
const VIA_S3 = `s3.${REGION}.amazonaws.com`;

function trail(h: Harness) {
  return h.repo.list('trailEvent').map((r) => r.record as unknown as Record<string, any>);
}

async function caught(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    return e as ServiceError;
  }
  expect.fail('expected a ServiceError');
}

async function setup(opts: { throttleOwnCalls?: boolean } = {}): Promise<{ h: Harness; s3: S3 }> {
  const h = await makeHarness(opts);
  return { h, s3: createS3(h.service) };
}

/** A key whose policy lets AppRole use it only through S3 (and the root administer it). */
async function viaS3OnlyKey(h: Harness, extra: Record<string, unknown> = {}): Promise<string> {
  const { arn } = await h.createKey();
  await h.call('PutKeyPolicy', {
    KeyId: arn,
    PolicyName: 'default',
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:PutKeyPolicy', 'kms:GetKeyPolicy', 'kms:DescribeKey'], Resource: '*' },
        {
          Sid: 'UseThroughS3',
          Effect: 'Allow',
          Principal: { AWS: APP_ARN },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': VIA_S3, ...extra } },
        },
      ],
    }),
  });
  return arn;
}

describe('buckets', () => {
  it('creates a bucket with SSE-S3 as default encryption; names are global', async () => {
    const { s3 } = await setup();
    expect(await s3.CreateBucket(ROOT, { Bucket: 'photos' })).toEqual({ Location: '/photos', kmsCalls: [] });
    const enc = await s3.GetBucketEncryption(ROOT, { Bucket: 'photos' });
    expect(enc.ServerSideEncryptionConfiguration.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    expect((await caught(s3.CreateBucket(ROOT, { Bucket: 'photos' }))).name).toBe('BucketAlreadyOwnedByYou');
    const other = await caught(s3.CreateBucket(callerIn(PARTNER), { Bucket: 'photos' }));
    expect([other.name, other.httpStatus]).toEqual(['BucketAlreadyExists', 409]);
    expect((await caught(s3.GetBucketEncryption(callerIn(PARTNER), { Bucket: 'photos' }))).name).toBe('AccessDenied');
    expect((await s3.ListBuckets(ROOT)).Buckets.map((b) => [b.Name, b.BucketRegion])).toEqual([['photos', REGION]]);
    expect((await s3.ListBuckets(callerIn(PARTNER))).Buckets).toEqual([]);
  });

  it('applies S3 bucket naming rules', () => {
    for (const ok of ['abc', 'my-bucket.logs', 'a'.repeat(63), '1bucket']) expect(bucketNameProblem(ok)).toBeNull();
    for (const bad of ['ab', 'a'.repeat(64), 'My-Bucket', 'under_score', '-start', 'end-', 'two..dots', '192.168.5.4', 'xn--abc', 'x-s3alias']) {
      expect(bucketNameProblem(bad), bad).not.toBeNull();
    }
  });
});

describe('SSE-KMS', () => {
  it('PutObject calls GenerateDataKey through S3 with the object ARN as context; GetObject decrypts it', async () => {
    const { h, s3 } = await setup();
    const { arn: keyArn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'reports' });
    await s3.PutBucketEncryption(ROOT, {
      Bucket: 'reports',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }] },
    });
    const put = await s3.PutObject(ROOT, { Bucket: 'reports', Key: 'q1/summary.txt', Body: utf8('revenue up') });
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    expect(put.BucketKeyEnabled).toBeUndefined();
    expect(put.kmsCalls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
    const gdk = trail(h).at(-1)!;
    expect(gdk).toMatchObject({
      eventName: 'GenerateDataKey',
      requestID: put.kmsCalls[0]!.requestId,
      requestParameters: { keyId: keyArn, keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::reports/q1/summary.txt' } },
      sourceIPAddress: 's3.amazonaws.com',
      userAgent: 's3.amazonaws.com',
    });
    expect(gdk.userIdentity.invokedBy).toBe('s3.amazonaws.com');

    // The stored record holds ciphertext and the encrypted data key, never the body or a plaintext key.
    const rec = h.service.world.getServiceResource('arn:aws:s3:::reports/q1/summary.txt')!;
    expect(JSON.stringify(rec.data)).not.toContain(Buffer.from('revenue up').toString('base64'));
    expect(rec.data.encryptedKey).toEqual(expect.any(String));

    const got = await s3.GetObject(ROOT, { Bucket: 'reports', Key: 'q1/summary.txt' });
    expect(text(got.Body)).toBe('revenue up');
    expect(got).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, ContentLength: 10, ETag: put.ETag });
    expect(got.kmsCalls.map((c) => c.operation)).toEqual(['Decrypt']);
    expect(trail(h).at(-1)).toMatchObject({ eventName: 'Decrypt', requestParameters: { encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::reports/q1/summary.txt' } } });
    // HeadObject and ListObjectsV2 make no KMS call.
    expect((await s3.HeadObject(ROOT, { Bucket: 'reports', Key: 'q1/summary.txt' })).kmsCalls).toEqual([]);
    expect((await s3.ListObjectsV2(ROOT, { Bucket: 'reports' })).Contents.map((c) => c.Key)).toEqual(['q1/summary.txt']);
  });

  it('no key chosen: DescribeKey alias/aws/s3 creates the AWS managed key on first use, then S3 uses its ARN', async () => {
    const { h, s3 } = await setup();
    await s3.CreateBucket(ROOT, { Bucket: 'default-kms' });
    const put = await s3.PutObject(APP, { Bucket: 'default-kms', Key: 'a', Body: utf8('A'), ServerSideEncryption: 'aws:kms' });
    expect(put.kmsCalls.map((c) => c.operation)).toEqual(['DescribeKey', 'GenerateDataKey']);
    const keys = h.repo.list('key');
    expect(keys).toHaveLength(1);
    expect(put.SSEKMSKeyId).toBe(keys[0]!.id);
    expect(trail(h).map((r) => [r.eventName, r.requestParameters?.keyId])).toEqual([
      ['DescribeKey', 'alias/aws/s3'],
      ['GenerateDataKey', keys[0]!.id],
    ]);
    // The second object needs no DescribeKey; the same principal directly cannot use aws/s3.
    const put2 = await s3.PutObject(APP, { Bucket: 'default-kms', Key: 'b', Body: utf8('B'), ServerSideEncryption: 'aws:kms' });
    expect(put2.kmsCalls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
    expect(text((await s3.GetObject(APP, { Bucket: 'default-kms', Key: 'a' })).Body)).toBe('A');
    expect((await h.fail('GenerateDataKey', { KeyId: 'alias/aws/s3', KeySpec: 'AES_256' }, APP)).name).toBe('AccessDeniedException');
  });

  it('merges the requester SSEKMSEncryptionContext with aws:s3:arn, returns it, and needs it at Decrypt', async () => {
    const { h, s3 } = await setup();
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'ctx' });
    const context = Buffer.from(JSON.stringify({ project: 'alpha' })).toString('base64');
    const put = await s3.PutObject(ROOT, { Bucket: 'ctx', Key: 'k', Body: utf8('x'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn, SSEKMSEncryptionContext: context });
    expect(put.SSEKMSEncryptionContext).toBe(context);
    expect(trail(h).at(-1)!.requestParameters.encryptionContext).toEqual({ project: 'alpha', 'aws:s3:arn': 'arn:aws:s3:::ctx/k' });
    await s3.GetObject(ROOT, { Bucket: 'ctx', Key: 'k' });
    expect(trail(h).at(-1)!.requestParameters.encryptionContext).toEqual({ project: 'alpha', 'aws:s3:arn': 'arn:aws:s3:::ctx/k' });
    for (const bad of ['%%%', Buffer.from('not json').toString('base64'), Buffer.from('{"n":1}').toString('base64'), Buffer.from('{"aws:s3:arn":"arn:aws:s3:::ctx/other"}').toString('base64')]) {
      expect((await caught(s3.PutObject(ROOT, { Bucket: 'ctx', Key: 'k', Body: utf8('x'), ServerSideEncryption: 'aws:kms', SSEKMSEncryptionContext: bad }))).name).toBe('InvalidArgument');
    }
  });

  it('kms:ViaService: AppRole may use the key through S3, its direct Decrypt is denied, and a denied GenerateDataKey is S3 AccessDenied', async () => {
    const { h, s3 } = await setup();
    const keyArn = await viaS3OnlyKey(h);
    await s3.CreateBucket(APP, { Bucket: 'app-data' });
    const put = await s3.PutObject(APP, { Bucket: 'app-data', Key: 'x', Body: utf8('secret'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    expect(text((await s3.GetObject(APP, { Bucket: 'app-data', Key: 'x' })).Body)).toBe('secret');
    // The same principal, directly: denied (the encrypted data key is in the object record).
    const blob = Buffer.from(h.service.world.getServiceResource('arn:aws:s3:::app-data/x')!.data.encryptedKey as string, 'base64');
    expect((await h.fail('Decrypt', { CiphertextBlob: new Uint8Array(blob), EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::app-data/x' } }, APP)).name).toBe('AccessDeniedException');
    expect(put.SSEKMSKeyId).toBe(keyArn);
    // Another principal with no permission: S3 answers 403 AccessDenied with KMS's message.
    const bob = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:role/Bob` };
    await h.service.world.createPrincipal({ accountId: ACCOUNT, kind: 'role', name: 'Bob' });
    const e = await caught(s3.PutObject(bob, { Bucket: 'app-data', Key: 'y', Body: utf8('y'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    expect([e.name, e.httpStatus, e.kmsError?.name]).toEqual(['AccessDenied', 403, 'AccessDeniedException']);
    expect(e.message).toContain('kms:GenerateDataKey');
    expect(e.kmsCalls?.map((c) => [c.operation, c.error?.name])).toEqual([['GenerateDataKey', 'AccessDeniedException']]);
    expect(h.service.world.getServiceResource('arn:aws:s3:::app-data/y')).toBeUndefined();
    // The same principal through another service (Secrets Manager): denied, and the trail says by whom.
    const sm = createSecretsManager(h.service);
    const other = await caught(sm.CreateSecret(APP, { Name: 'app-secret', SecretString: 'x', KmsKeyId: keyArn }));
    expect([other.name, other.kmsError?.name]).toEqual(['AccessDeniedException', 'AccessDeniedException']);
    expect(trail(h).at(-1)).toMatchObject({ eventName: 'GenerateDataKey', errorCode: 'AccessDeniedException', userIdentity: { invokedBy: 'secretsmanager.amazonaws.com' } });
  });

  it('a disabled key is KMS.DisabledException; an unknown key KMS.NotFoundException', async () => {
    const { h, s3 } = await setup();
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'states' });
    await s3.PutObject(ROOT, { Bucket: 'states', Key: 'k', Body: utf8('v'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn });
    await h.call('DisableKey', { KeyId: arn });
    const g = await caught(s3.GetObject(ROOT, { Bucket: 'states', Key: 'k' }));
    expect([g.name, g.httpStatus]).toEqual(['KMS.DisabledException', 400]);
    const missing = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000';
    const n = await caught(s3.PutObject(ROOT, { Bucket: 'states', Key: 'k2', Body: utf8('v'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: missing }));
    expect([n.name, n.message]).toEqual(['KMS.NotFoundException', `Invalid keyId ${missing}`]);
  });
});

describe('S3 Bucket Keys', () => {
  async function bucketKeyBucket(h: Harness, s3: S3, name = 'ingest'): Promise<string> {
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: name });
    await s3.PutBucketEncryption(ROOT, {
      Bucket: name,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn }, BucketKeyEnabled: true }] },
    });
    return arn;
  }
  const gdks = (h: Harness) => trail(h).filter((r) => r.eventName === 'GenerateDataKey');

  it('100 PUTs → 1 GenerateDataKey with the bucket ARN as context; the 101st → a second one', async () => {
    const { h, s3 } = await setup();
    await bucketKeyBucket(h, s3);
    for (let n = 0; n < BUCKET_KEY_MODEL.maxObjects; n++) {
      const r = await s3.PutObject(ROOT, { Bucket: 'ingest', Key: `o${n}`, Body: utf8(`body ${n}`) });
      expect(r.BucketKeyEnabled).toBe(true);
    }
    expect(gdks(h)).toHaveLength(1);
    expect(gdks(h)[0]!.requestParameters.encryptionContext).toEqual({ 'aws:s3:arn': 'arn:aws:s3:::ingest' });
    const r101 = await s3.PutObject(ROOT, { Bucket: 'ingest', Key: 'o100', Body: utf8('body 100') });
    expect(r101.kmsCalls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
    expect(gdks(h)).toHaveLength(2);
    // Every object decrypts (each with its own derived key); one Decrypt per bucket key.
    for (const n of [0, 57, 99, 100]) expect(text((await s3.GetObject(ROOT, { Bucket: 'ingest', Key: `o${n}` })).Body)).toBe(`body ${n}`);
    const decrypts = trail(h).filter((r) => r.eventName === 'Decrypt');
    expect(decrypts).toHaveLength(2);
    expect(decrypts[0]!.requestParameters.encryptionContext).toEqual({ 'aws:s3:arn': 'arn:aws:s3:::ingest' });
  });

  it('after 5 sandbox minutes a bucket key is no longer used', async () => {
    const { h, s3 } = await setup();
    await bucketKeyBucket(h, s3);
    await s3.PutObject(ROOT, { Bucket: 'ingest', Key: 'a', Body: utf8('a') });
    h.clock.t = T0 + BUCKET_KEY_MODEL.maxAgeMs - 1;
    expect((await s3.PutObject(ROOT, { Bucket: 'ingest', Key: 'b', Body: utf8('b') })).kmsCalls).toEqual([]);
    h.clock.t = T0 + BUCKET_KEY_MODEL.maxAgeMs;
    expect((await s3.PutObject(ROOT, { Bucket: 'ingest', Key: 'c', Body: utf8('c') })).kmsCalls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
    expect(gdks(h)).toHaveLength(2);
  });

  it('a new S3 instance (a reload) calls KMS again; another principal gets its own bucket key', async () => {
    const { h, s3 } = await setup();
    await bucketKeyBucket(h, s3);
    await s3.PutObject(ROOT, { Bucket: 'ingest', Key: 'a', Body: utf8('a') });
    const reloaded = createS3(h.service);
    expect((await reloaded.PutObject(ROOT, { Bucket: 'ingest', Key: 'b', Body: utf8('b') })).kmsCalls).toHaveLength(1);
    expect(text((await reloaded.GetObject(ROOT, { Bucket: 'ingest', Key: 'a' })).Body)).toBe('a');
    await h.service.world.putIdentityPolicy(APP_ARN, 'kms', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }));
    expect((await reloaded.PutObject(APP, { Bucket: 'ingest', Key: 'c', Body: utf8('c') })).kmsCalls).toHaveLength(1);
  });

  it('the lesson-14 trap: a key policy condition on the object ARN stops matching with Bucket Keys; the bucket ARN fixes it', async () => {
    const { h, s3 } = await setup();
    const objectCondition = { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::trap/*' };
    const keyArn = await viaS3OnlyKey(h, {});
    // Rewrite the use statement with a StringLike on object ARNs.
    const policy = (cond: Record<string, string>) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          // Not kms:* for the root: that would let AppRole's own IAM policy allow the calls.
          { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:PutKeyPolicy', 'kms:DescribeKey'], Resource: '*' },
          { Sid: 'Use', Effect: 'Allow', Principal: { AWS: APP_ARN }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*', Condition: { StringLike: cond } },
        ],
      });
    await h.call('PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: policy(objectCondition) });
    await s3.CreateBucket(APP, { Bucket: 'trap' });
    const rule = (BucketKeyEnabled: boolean) => ({ Bucket: 'trap', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: keyArn }, BucketKeyEnabled }] } });
    await s3.PutBucketEncryption(APP, rule(false));
    await s3.PutObject(APP, { Bucket: 'trap', Key: 'before', Body: utf8('1') });
    await s3.PutBucketEncryption(APP, rule(true));
    const e = await caught(s3.PutObject(APP, { Bucket: 'trap', Key: 'after', Body: utf8('2') }));
    expect(e.name).toBe('AccessDenied');
    await h.call('PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: policy({ 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::trap' }) });
    await s3.PutObject(APP, { Bucket: 'trap', Key: 'after', Body: utf8('2') });
    expect(text((await s3.GetObject(APP, { Bucket: 'trap', Key: 'after' })).Body)).toBe('2');
  });

  it('PutBucketEncryption updates the KMS rate of workloads through the bucket', async () => {
    const { h, s3 } = await setup();
    await s3.CreateBucket(ROOT, { Bucket: 'ingest' });
    const put = (id: string, data: Record<string, any>, kind = 'workload') =>
      h.service.world.putServiceResource({ id, service: 'workload', kind, accountId: ROOT.accountId, region: ROOT.region, data });
    const base = { label: 'ingest job', quota: 'symmetric', from: T0, until: T0 + 3_600_000 };
    await put('workload/ingest', { ...base, via: 's3', bucket: 'ingest', objectsPerSecond: 5_000, ratePerSecond: 5_000 });
    await put('workload/other', { ...base, via: 's3', bucket: 'elsewhere', objectsPerSecond: 5_000, ratePerSecond: 5_000 });
    await put('workload/run', { ...base, via: 's3', bucket: 'ingest', objectsPerSecond: 5_000, ratePerSecond: 5_000 }, 'run');
    const { arn } = await h.createKey();
    await s3.PutBucketEncryption(ROOT, {
      Bucket: 'ingest',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn }, BucketKeyEnabled: true }] },
    });
    const rate = (id: string) => h.service.world.getServiceResource(id)!.data.ratePerSecond;
    expect(rate('workload/ingest')).toBe(s3KmsRequestsPerSecond(5_000, true));
    expect(rate('workload/ingest')).toBe(50);
    expect(rate('workload/other')).toBe(5_000);
    expect(rate('workload/run')).toBe(5_000);
    expect(await refreshBucketWorkloads(h.service, 'ingest')).toBe(0);
  });
});

describe('stored format, cross-checked with node:crypto', () => {
  /** AES-256-GCM open with node:crypto: ciphertext || 16-byte tag, AAD = the object ARN. */
  function nodeOpen(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad: string): string {
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]).toString();
  }
  const bytes = (b64: unknown) => new Uint8Array(Buffer.from(b64 as string, 'base64'));

  it('an SSE-KMS object is AES-256-GCM under the data key; a Bucket Key object under HKDF-SHA256(bucket key, salt, info)', async () => {
    const { h, s3 } = await setup();
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'fmt' });
    await s3.PutObject(ROOT, { Bucket: 'fmt', Key: 'plain-dk', Body: utf8('per-object data key'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn });
    await s3.PutObject(ROOT, { Bucket: 'fmt', Key: 'bk', Body: utf8('derived from a bucket key'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn, BucketKeyEnabled: true });
    const via = { ...ROOT, viaService: VIA_S3 };

    const o1 = h.service.world.getServiceResource('arn:aws:s3:::fmt/plain-dk')!.data;
    const dk = (await h.call('Decrypt', { CiphertextBlob: bytes(o1.encryptedKey), EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::fmt/plain-dk' } }, via)).Plaintext as Uint8Array;
    expect(nodeOpen(dk, bytes(o1.iv), bytes(o1.ciphertext), 'arn:aws:s3:::fmt/plain-dk')).toBe('per-object data key');

    const o2 = h.service.world.getServiceResource('arn:aws:s3:::fmt/bk')!.data;
    const bk = (await h.call('Decrypt', { CiphertextBlob: bytes(o2.encryptedKey), EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::fmt' } }, via)).Plaintext as Uint8Array;
    const objectKey = new Uint8Array(hkdfSync('sha256', bk, bytes(o2.salt), Buffer.from('kms-playground s3 object key v1\0arn:aws:s3:::fmt/bk'), 32));
    expect(nodeOpen(objectKey, bytes(o2.iv), bytes(o2.ciphertext), 'arn:aws:s3:::fmt/bk')).toBe('derived from a bucket key');
    // No plaintext key anywhere in the records.
    const all = JSON.stringify(h.repo.list('serviceResource'));
    expect(all).not.toContain(Buffer.from(dk).toString('base64'));
    expect(all).not.toContain(Buffer.from(bk).toString('base64'));
  });
});

describe('throttling', () => {
  it('a workload over the shared quota: PutObject answers 503 SlowDown, the KMS trail records the throttle', async () => {
    const { h, s3 } = await setup();
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'busy' });
    await h.service.world.putServiceResource({
      id: 'workload/ingest',
      service: 'workload',
      kind: 'workload',
      accountId: ROOT.accountId,
      region: ROOT.region,
      data: { label: 'other team', quota: 'symmetric', ratePerSecond: 200_000, from: T0, until: T0 + 60_000 },
    });
    const e = await caught(s3.PutObject(ROOT, { Bucket: 'busy', Key: 'k', Body: utf8('v'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn }));
    expect([e.name, e.httpStatus, e.message, e.kmsError?.name]).toEqual(['SlowDown', 503, 'Please reduce your request rate for operations involving AWS KMS.', 'ThrottlingException']);
    expect(trail(h).at(-1)).toMatchObject({ eventName: 'GenerateDataKey', errorCode: 'ThrottlingException' });
    // SSE-S3 does not call KMS: not throttled.
    await s3.PutObject(ROOT, { Bucket: 'busy', Key: 'plain', Body: utf8('v') });
    h.clock.t = T0 + 60_000;
    await s3.PutObject(ROOT, { Bucket: 'busy', Key: 'k', Body: utf8('v'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn });
  });
});

describe('replay', () => {
  it("the sandbox's log replays into the same objects, readable through S3 again", async () => {
    const { h, s3 } = await setup();
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'replayed' });
    await s3.PutObject(ROOT, { Bucket: 'replayed', Key: 'kms', Body: utf8('one'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn });
    await s3.PutObject(ROOT, { Bucket: 'replayed', Key: 'default', Body: utf8('two'), ServerSideEncryption: 'aws:kms' });
    await s3.PutObject(ROOT, { Bucket: 'replayed', Key: 'sse-s3', Body: utf8('three') });
    await s3.DeleteObject(ROOT, { Bucket: 'replayed', Key: 'sse-s3' });
    const log = h.repo.list('logEntry').map((r) => r.entry) as LogEntry[];
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.repository.list('serviceResource')).toEqual(h.repo.list('serviceResource'));
    const again = createS3(r.service);
    expect(text((await again.GetObject(ROOT, { Bucket: 'replayed', Key: 'kms' })).Body)).toBe('one');
    expect(text((await again.GetObject(ROOT, { Bucket: 'replayed', Key: 'default' })).Body)).toBe('two');
    expect((await caught(again.GetObject(ROOT, { Bucket: 'replayed', Key: 'sse-s3' }))).name).toBe('NoSuchKey');
  });
});

describe('a share without inputs', () => {
  it('leaves object bodies and secret values out: the replayed sandbox has the resources and says their content was not shared', async () => {
    const { h, s3 } = await setup();
    const sm = createSecretsManager(h.service);
    await s3.CreateBucket(ROOT, { Bucket: 'shared' });
    await s3.PutObject(ROOT, { Bucket: 'shared', Key: 'note', Body: utf8('the learner typed this'), ServerSideEncryption: 'aws:kms' });
    await sm.CreateSecret(ROOT, { Name: 'db', SecretString: 'hunter2' });
    const log = h.repo.list('logEntry').map((r) => r.entry) as LogEntry[];
    const redacted = log.map(redactLogEntry);
    const stored = (e: LogEntry) => (e.kind === 'world' && e.edit.op === 'putServiceResource' ? JSON.stringify(e.edit.record.data) : '');
    const originals = log.map(stored).filter((d) => d.includes('"ciphertext"'));
    expect(originals).toHaveLength(2);
    for (const d of redacted.map(stored)) {
      for (const o of originals) for (const m of o.matchAll(/"ciphertext":"([^"]+)"/g)) expect(d).not.toContain(m[1]);
    }
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(redacted, { seed: meta.seed, startTime: meta.createdAt, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
    expect(r.repository.list('trailEvent')).toEqual(h.repo.list('trailEvent'));
    const again = createS3(r.service);
    expect((await again.ListObjectsV2(ROOT, { Bucket: 'shared' })).Contents.map((o) => o.Key)).toEqual(['note']);
    const e = await caught(again.GetObject(ROOT, { Bucket: 'shared', Key: 'note' }));
    expect(e.name).toBe('InvalidObjectState');
    expect(e.message).toContain('left out');
    const se = await caught(createSecretsManager(r.service).GetSecretValue(ROOT, { SecretId: 'db' }));
    expect(se.message).toContain('left out');
    // The owner's own log is unchanged.
    expect(text((await s3.GetObject(ROOT, { Bucket: 'shared', Key: 'note' })).Body)).toBe('the learner typed this');
  });
});

describe('bad input', () => {
  it('answers S3 errors', async () => {
    const { s3 } = await setup();
    await s3.CreateBucket(ROOT, { Bucket: 'b-1' });
    expect((await caught(s3.CreateBucket(ROOT, { Bucket: 'Bad_Name' }))).name).toBe('InvalidBucketName');
    expect((await caught(s3.GetObject(ROOT, { Bucket: 'nope', Key: 'k' }))).name).toBe('NoSuchBucket');
    expect((await caught(s3.GetObject(ROOT, { Bucket: 'b-1', Key: 'k' }))).httpStatus).toBe(404);
    expect((await caught(s3.PutObject(ROOT, { Bucket: 'b-1', Key: 'k', Body: 42 as any }))).name).toBe('InvalidArgument');
    // A string body is stored as UTF-8 (as the SDKs accept it).
    await s3.PutObject(ROOT, { Bucket: 'b-1', Key: 'text', Body: 'héllo' });
    expect(text((await s3.GetObject(ROOT, { Bucket: 'b-1', Key: 'text' })).Body)).toBe('héllo');
    expect((await caught(s3.PutObject(ROOT, { Bucket: 'b-1', Key: 'k', Body: utf8('x'), SSEKMSKeyId: 'alias/x' }))).name).toBe('InvalidArgument');
    expect((await caught(s3.PutObject(ROOT, { Bucket: 'b-1', Key: 'k', Body: new Uint8Array(600_000) }))).name).toBe('EntityTooLarge');
    expect((await caught(s3.PutBucketEncryption(ROOT, { Bucket: 'b-1', ServerSideEncryptionConfiguration: { Rules: [] } }))).name).toBe('MalformedXML');
    expect((await caught(s3.call('CopyObject', {}, ROOT))).name).toBe('NotImplemented');
  });

  it('never throws anything but ServiceError (fast-check over operations and inputs)', async () => {
    const { h, s3 } = await setup();
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'fuzz' });
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.uint8Array({ maxLength: 8 }), fc.constant('fuzz'), fc.constant(arn), fc.constant('aws:kms'));
    const input = fc.oneof(
      value,
      fc.record(
        { Bucket: value, Key: value, Body: value, ServerSideEncryption: value, SSEKMSKeyId: value, SSEKMSEncryptionContext: value, BucketKeyEnabled: value, Prefix: value, ServerSideEncryptionConfiguration: fc.oneof(value, fc.record({ Rules: fc.oneof(value, fc.array(fc.record({ ApplyServerSideEncryptionByDefault: fc.oneof(value, fc.record({ SSEAlgorithm: value, KMSMasterKeyID: value })), BucketKeyEnabled: value }), { maxLength: 2 })) })) },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...S3_OPERATIONS), input, async (op, i) => {
        try {
          await s3.call(op, i, ROOT);
        } catch (e) {
          if (!(e instanceof ServiceError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('an unknown caller', () => {
  it('gets InvalidAccessKeyId, never a KMS or store error', async () => {
    const { s3 } = await setup();
    const stranger = { ...callerIn('999988887777'), principalArn: 'arn:aws:iam::999988887777:root' };
    const e = await caught(s3.CreateBucket(stranger, { Bucket: 'strangers' }));
    expect(e.name).toBe('InvalidAccessKeyId');
    expect(e.httpStatus).toBe(403);
  });
});

describe('workloads through a bucket', () => {
  it('follow its encryption: Bucket Keys cut their KMS rate, SSE-S3 needs no KMS request', async () => {
    const { h, s3 } = await setup();
    const { arn } = await h.createKey();
    await s3.CreateBucket(ROOT, { Bucket: 'ingest' });
    const enc = (SSEAlgorithm: 'aws:kms' | 'AES256', BucketKeyEnabled: boolean) =>
      s3.PutBucketEncryption(ROOT, { Bucket: 'ingest', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm, ...(SSEAlgorithm === 'aws:kms' ? { KMSMasterKeyID: arn } : {}) }, BucketKeyEnabled }] } });
    await enc('aws:kms', false);
    await h.service.world.putServiceResource({
      id: 'workload/ingest', service: 'workload', kind: 'workload', accountId: ROOT.accountId, region: ROOT.region,
      data: { label: 'ingest', quota: 'symmetric', ratePerSecond: 24_000, from: T0, until: T0 + 3_600_000, via: 's3', bucket: 'ingest', objectsPerSecond: 24_000 },
    });
    const rate = () => (h.service.world.getServiceResource('workload/ingest')!.data as { ratePerSecond: number }).ratePerSecond;
    await enc('aws:kms', true);
    expect(rate()).toBe(240);
    await enc('AES256', true);
    expect(rate()).toBe(0);
    await enc('aws:kms', false);
    expect(rate()).toBe(24_000);
  });
});
