/**
 * The Services tab's logic (issue 8): forms → S3/EC2 requests and their checks, the key picker,
 * lists derived from serviceResource records (defensively), KMS calls linked to trail records,
 * the "because KMS said" cause, and the body display — the S3 requests run against the real
 * simulated S3 over a real sandbox KMS.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext, ServiceResourceRecord } from '../../../src/kms';
import { createS3 } from '../../../src/services/s3';
import { MAX_SECRET_BYTES, createSecretsManager, secretNameProblem } from '../../../src/services/secretsManager';
import { ServiceError } from '../../../src/services/serviceErrors';
import { copySnapshotInput, createVolumeInput, instanceIdProblem } from '../../../src/ui/services/ebsForms';
import { keyChoices } from '../../../src/ui/services/keyChoices';
import { kmsCallRows, kmsCallSummary } from '../../../src/ui/services/kmsCalls';
import { bodyText, downloadName } from '../../../src/ui/services/objectBody';
import { bucketRows, objectRows, secretRows, snapshotRows, volumeRows } from '../../../src/ui/services/resources';
import { bucketNameProblem, createBucketInput, encodeS3Context, putBucketEncryptionInput, putObjectInput } from '../../../src/ui/services/s3Forms';
import { createSecretInput, valueProblem } from '../../../src/ui/services/secretForms';
import { kmsCallsOfError, kmsCauseText } from '../../../src/ui/services/serviceError';
import { ACCOUNT, ROOT, makeHarness } from '../kms/harness';

const enc = (s: string) => new TextEncoder().encode(s);

describe('S3 forms', () => {
  it('bucket names follow S3 naming rules', () => {
    expect(bucketNameProblem('my-bucket.1')).toBeNull();
    expect(bucketNameProblem('ab')).toMatch(/3 to 63/);
    expect(bucketNameProblem('a'.repeat(64))).toMatch(/3 to 63/);
    expect(bucketNameProblem('My-Bucket')).toMatch(/lowercase/);
    expect(bucketNameProblem('-bucket')).toMatch(/begins and ends/);
    expect(bucketNameProblem('a..b')).toMatch(/adjacent dots/);
    expect(bucketNameProblem('192.168.5.4')).toMatch(/IP address/);
    expect(bucketNameProblem('xn--bucket')).toMatch(/xn--/);
    expect(bucketNameProblem('data-s3alias')).toMatch(/-s3alias/);
    expect(createBucketInput('  logs-1 ')).toEqual({ ok: true, value: { Bucket: 'logs-1' } });
    expect(createBucketInput('no')).toMatchObject({ ok: false });
  });

  it('default encryption: SSE-KMS with a key or aws/s3 (no KMSMasterKeyID), Bucket Keys only with SSE-KMS', () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/k';
    expect(putBucketEncryptionInput('b', { sse: 'aws:kms', keyArn: arn, bucketKey: true })).toEqual({
      Bucket: 'b',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn }, BucketKeyEnabled: true }] },
    });
    expect(putBucketEncryptionInput('b', { sse: 'aws:kms', keyArn: '', bucketKey: false }).ServerSideEncryptionConfiguration.Rules[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
      BucketKeyEnabled: false,
    });
    expect(putBucketEncryptionInput('b', { sse: 'AES256', keyArn: arn, bucketKey: true }).ServerSideEncryptionConfiguration.Rules[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
      BucketKeyEnabled: false,
    });
  });

  it('PutObject: bucket default sends no SSE headers; a key override or a context sends aws:kms; context is base64 JSON', () => {
    const base = { bucket: 'b', key: 'a/b.txt', body: enc('hi'), context: [], maxBytes: 100 };
    expect(putObjectInput({ ...base, keyChoice: { kind: 'bucket-default' } })).toEqual({ ok: true, value: { Bucket: 'b', Key: 'a/b.txt', Body: enc('hi') } });
    expect(putObjectInput({ ...base, keyChoice: { kind: 'aws-managed' } })).toMatchObject({ ok: true, value: { ServerSideEncryption: 'aws:kms' } });
    const withKey = putObjectInput({ ...base, keyChoice: { kind: 'key', arn: 'arn:k' }, context: [{ key: 'team', value: 'blue' }, { key: '', value: '' }] });
    expect(withKey).toMatchObject({ ok: true, value: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:k' } });
    const ctx = withKey.ok ? withKey.value.SSEKMSEncryptionContext! : '';
    expect(JSON.parse(atob(ctx))).toEqual({ team: 'blue' });
    expect(encodeS3Context({ 'ü': 'x' })).toBe(Buffer.from('{"ü":"x"}', 'utf8').toString('base64'));
    expect(putObjectInput({ ...base, bucket: '', keyChoice: { kind: 'bucket-default' } })).toEqual({ ok: false, problem: 'Choose a bucket first.' });
    expect(putObjectInput({ ...base, key: '', keyChoice: { kind: 'bucket-default' } })).toMatchObject({ ok: false });
    expect(putObjectInput({ ...base, key: 'é'.repeat(513), keyChoice: { kind: 'bucket-default' } })).toMatchObject({ ok: false, problem: expect.stringMatching(/1,024 bytes/) });
    expect(putObjectInput({ ...base, body: new Uint8Array(101), keyChoice: { kind: 'bucket-default' } })).toMatchObject({ ok: false, problem: expect.stringMatching(/100 bytes/) });
    expect(putObjectInput({ ...base, keyChoice: { kind: 'bucket-default' }, context: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] })).toMatchObject({ ok: false, problem: expect.stringMatching(/twice/) });
  });
});

describe('EBS forms', () => {
  it('volume size, instance ids and copy requests', () => {
    expect(createVolumeInput({ sizeGiB: 8, keyArn: '', availabilityZone: 'us-east-1a' })).toEqual({ ok: true, value: { Size: 8, Encrypted: true, AvailabilityZone: 'us-east-1a' } });
    expect(createVolumeInput({ sizeGiB: 8, keyArn: 'arn:k', availabilityZone: 'z' })).toMatchObject({ ok: true, value: { KmsKeyId: 'arn:k' } });
    for (const bad of [0, 16_385, 1.5, Number.NaN]) expect(createVolumeInput({ sizeGiB: bad, keyArn: '', availabilityZone: 'z' }).ok).toBe(false);
    expect(instanceIdProblem('i-0123456789abcdef0')).toBeNull();
    expect(instanceIdProblem('i-01234567')).toBeNull();
    expect(instanceIdProblem('i-XYZ')).toMatch(/i- followed by/);
    expect(copySnapshotInput('snap-1', '', 'us-east-1')).toEqual({ SourceSnapshotId: 'snap-1', SourceRegion: 'us-east-1', Encrypted: true });
    expect(copySnapshotInput('snap-1', 'arn:k', 'us-east-1')).toMatchObject({ KmsKeyId: 'arn:k' });
  });
});

describe('key picker', () => {
  it('aws managed key first, then own customer managed symmetric encryption keys of the Region, oldest first, state shown', () => {
    const k = (id: string, o: Record<string, unknown> = {}) =>
      ({ id, keyId: id.split('/')[1]!, accountId: ACCOUNT, region: 'us-east-1', keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', keyManager: 'CUSTOMER', keyState: 'Enabled', creationDate: 1, ...o }) as never;
    const keys = [
      k('arn:x/b-key-0000000000', { creationDate: 2, keyState: 'Disabled' }),
      k('arn:x/a-key-0000000000'),
      k('arn:x/managed', { keyManager: 'AWS' }),
      k('arn:x/rsa', { keySpec: 'RSA_2048' }),
      k('arn:x/hmac', { keyUsage: 'GENERATE_VERIFY_MAC' }),
      k('arn:x/other-region', { region: 'eu-west-1' }),
      k('arn:x/other-account', { accountId: '444455556666' }),
    ];
    const choices = keyChoices(keys, (arn) => (arn === 'arn:x/a-key-0000000000' ? ['alias/app'] : []), { accountId: ACCOUNT, region: 'us-east-1' }, 's3');
    expect(choices).toEqual([
      { value: '', label: 'aws/s3 (AWS managed key)' },
      { value: 'arn:x/a-key-0000000000', label: 'alias/app (a-key-00…)' },
      { value: 'arn:x/b-key-0000000000', label: 'b-key-0000000000 — Disabled' },
    ]);
  });
});

describe('lists from serviceResource records', () => {
  const rec = (o: Partial<ServiceResourceRecord> & Pick<ServiceResourceRecord, 'id' | 'service' | 'kind' | 'data'>): ServiceResourceRecord =>
    ({ typeName: 'serviceResource', accountId: ACCOUNT, region: 'us-east-1', ...o }) as ServiceResourceRecord;
  it('buckets of the account and objects of a bucket; malformed records are skipped', () => {
    const records = [
      rec({ id: 'arn:aws:s3:::zeta', service: 's3', kind: 'bucket', data: { name: 'zeta', createdAt: 1, sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:k', bucketKeyEnabled: true } }),
      rec({ id: 'arn:aws:s3:::alpha', service: 's3', kind: 'bucket', data: { name: 'alpha', createdAt: 1, sseAlgorithm: 'AES256', bucketKeyEnabled: false } }),
      rec({ id: 'arn:aws:s3:::bad', service: 's3', kind: 'bucket', data: { name: 'bad', sseAlgorithm: 'rot13', bucketKeyEnabled: false } }),
      rec({ id: 'arn:aws:s3:::theirs', service: 's3', kind: 'bucket', accountId: '444455556666' as never, data: { name: 'theirs', createdAt: 1, sseAlgorithm: 'AES256', bucketKeyEnabled: false } }),
      rec({ id: 'arn:aws:s3:::zeta/b', service: 's3', kind: 'object', data: { bucket: 'zeta', key: 'b', size: 3, sse: 'aws:kms', kmsKeyArn: 'arn:k', bucketKeyEnabled: true, lastModified: 5 } }),
      rec({ id: 'arn:aws:s3:::zeta/a', service: 's3', kind: 'object', data: { bucket: 'zeta', key: 'a', size: 1, sse: 'AES256', bucketKeyEnabled: false } }),
      rec({ id: 'arn:aws:s3:::zeta/x', service: 's3', kind: 'object', data: { bucket: 'zeta', key: 'x', size: 'big', sse: 'AES256' } }),
      rec({ id: 'arn:aws:s3:::alpha/q', service: 's3', kind: 'object', data: { bucket: 'alpha', key: 'q', size: 1, sse: 'AES256', bucketKeyEnabled: false } }),
    ];
    expect(bucketRows(records, ACCOUNT).map((b) => [b.name, b.sseAlgorithm, b.kmsMasterKeyId, b.bucketKeyEnabled])).toEqual([
      ['alpha', 'AES256', '', false],
      ['zeta', 'aws:kms', 'arn:k', true],
    ]);
    expect(objectRows(records, 'zeta').map((o) => [o.key, o.size, o.sse, o.kmsKeyArn, o.bucketKeyEnabled])).toEqual([
      ['a', 1, 'AES256', '', false],
      ['b', 3, 'aws:kms', 'arn:k', true],
    ]);
  });
  it('volumes (attachment and grant) and snapshots of the account and Region', () => {
    const key = { kmsKeyId: 'arn:k', encryptedDataKey: 'AAAA', encryptionContext: {} };
    const records = [
      rec({ id: 'v2', service: 'ec2', kind: 'volume', data: { volumeId: 'vol-2', size: 8, createTime: 2, key: null, attachment: null } }),
      rec({ id: 'v1', service: 'ec2', kind: 'volume', data: { volumeId: 'vol-1', size: 4, createTime: 1, key, attachment: { instanceId: 'i-01234567', device: '/dev/sdf', attachTime: 3, grantId: 'g1' } } }),
      rec({ id: 'v3', service: 'ec2', kind: 'volume', region: 'eu-west-1' as never, data: { volumeId: 'vol-3', size: 8, createTime: 0, key: null, attachment: null } }),
      rec({ id: 'v4', service: 'ec2', kind: 'volume', data: { volumeId: 'vol-4', size: 8, key: 'oops' } }),
      rec({ id: 's1', service: 'ec2', kind: 'snapshot', data: { snapshotId: 'snap-1', volumeId: 'vol-1', volumeSize: 4, startTime: 9, description: '', key } }),
    ];
    const where = { accountId: ACCOUNT, region: 'us-east-1' };
    expect(volumeRows(records, where)).toEqual([
      { volumeId: 'vol-1', size: 4, availabilityZone: '', kmsKeyId: 'arn:k', snapshotId: '', attachment: { instanceId: 'i-01234567', device: '/dev/sdf', grantId: 'g1' } },
      { volumeId: 'vol-2', size: 8, availabilityZone: '', kmsKeyId: '', snapshotId: '', attachment: null },
    ]);
    expect(snapshotRows(records, where).map((s) => [s.snapshotId, s.kmsKeyId])).toEqual([['snap-1', 'arn:k']]);
  });
});

describe('with the real simulated S3', () => {
  it('a PutObject and GetObject made from the form requests: KMS calls linked to their trail records; the lists read the records', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const s3 = createS3(h.service);
    const bucket = createBucketInput('ui-test-bucket');
    if (!bucket.ok) throw new Error(bucket.problem);
    await s3.CreateBucket(ROOT, bucket.value);
    await s3.PutBucketEncryption(ROOT, putBucketEncryptionInput('ui-test-bucket', { sse: 'aws:kms', keyArn: arn, bucketKey: false }));
    const put = putObjectInput({ bucket: 'ui-test-bucket', key: 'note.txt', body: enc('hello'), keyChoice: { kind: 'bucket-default' }, context: [], maxBytes: 1024 });
    if (!put.ok) throw new Error(put.problem);
    const out = await s3.PutObject(ROOT, put.value);
    const trail = h.repo.list('trailEvent');
    const rows = kmsCallRows(out.kmsCalls, trail);
    expect(rows.map((r) => [r.operation, r.outcome])).toEqual([['GenerateDataKey', 'OK']]);
    const linked = trail.find((t) => t.id === rows[0]!.eventId)!;
    expect(linked.record.eventName).toBe('GenerateDataKey');
    expect(linked.record.userIdentity['invokedBy']).toBe('s3.amazonaws.com');
    expect(kmsCallSummary(out.kmsCalls)).toBe('1 KMS call: GenerateDataKey');
    const records = h.service.world.listServiceResources({ service: 's3' });
    expect(bucketRows(records, ACCOUNT)).toMatchObject([{ name: 'ui-test-bucket', sseAlgorithm: 'aws:kms', kmsMasterKeyId: arn, bucketKeyEnabled: false }]);
    expect(objectRows(records, 'ui-test-bucket')).toMatchObject([{ key: 'note.txt', size: 5, sse: 'aws:kms', kmsKeyArn: arn, bucketKeyEnabled: false }]);
    const got = await s3.GetObject(ROOT, { Bucket: 'ui-test-bucket', Key: 'note.txt' });
    expect(bodyText(got.Body)).toBe('hello');
  });

  it('a denied PutObject: S3 AccessDenied with the KMS cause and the failed KMS call', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    await h.service.world.createPrincipal({ accountId: ACCOUNT, kind: 'user', name: 'bob' });
    const bob: CallerContext = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:user/bob` };
    const s3 = createS3(h.service);
    await s3.CreateBucket(ROOT, { Bucket: 'denied-bucket' });
    const e = await s3.PutObject(bob, { Bucket: 'denied-bucket', Key: 'k', Body: enc('x'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: arn }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ServiceError);
    expect(kmsCauseText(e, 'Amazon S3')).toMatch(/^Amazon S3 said AccessDenied because KMS said AccessDeniedException: /);
    const calls = kmsCallsOfError(e);
    expect(calls.at(-1)).toMatchObject({ operation: 'GenerateDataKey', error: { name: 'AccessDeniedException' } });
    expect(kmsCallRows(calls, h.repo.list('trailEvent')).at(-1)).toMatchObject({ outcome: 'AccessDeniedException', failed: true, eventId: expect.any(String) });
  });
});

describe('errors and bodies', () => {
  it('no cause without a KMS error; bodies as text or bytes; safe download names', () => {
    expect(kmsCauseText(new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404), 'Amazon S3')).toBeNull();
    expect(kmsCauseText('boom', 'Amazon S3')).toBeNull();
    expect(kmsCallsOfError(new Error('x'))).toEqual([]);
    expect(bodyText(enc('line 1\nline\t2'))).toBe('line 1\nline\t2');
    expect(bodyText(new Uint8Array([0xff, 0xfe]))).toBeNull();
    expect(bodyText(new Uint8Array([104, 0, 105]))).toBeNull();
    expect(downloadName('a/b/report 1.pdf')).toBe('report_1.pdf');
    expect(downloadName('../..')).toBe('object');
    expect(downloadName('')).toBe('object');
  });
});

describe('Secrets Manager', () => {
  it('CreateSecret form: the service name rule, value size, optional key and description; secret rows from records', async () => {
    const form = { name: ' prod/db ', value: 'pw', keyArn: '', description: '  ' };
    expect(createSecretInput(form, secretNameProblem, MAX_SECRET_BYTES)).toEqual({ ok: true, value: { Name: 'prod/db', SecretString: 'pw' } });
    expect(createSecretInput({ ...form, keyArn: 'arn:k', description: 'db' }, secretNameProblem, MAX_SECRET_BYTES)).toMatchObject({ ok: true, value: { KmsKeyId: 'arn:k', Description: 'db' } });
    expect(createSecretInput({ ...form, name: 'bad name!' }, secretNameProblem, MAX_SECRET_BYTES)).toMatchObject({ ok: false });
    expect(createSecretInput({ ...form, value: '' }, secretNameProblem, MAX_SECRET_BYTES)).toEqual({ ok: false, problem: 'Type the secret value.' });
    expect(valueProblem('ü'.repeat(3), 5)).toMatch(/at most 5 bytes \(this one has 6\)/);

    const h = await makeHarness();
    const sm = createSecretsManager(h.service);
    const made = createSecretInput(form, secretNameProblem, MAX_SECRET_BYTES);
    if (!made.ok) throw new Error(made.problem);
    const out = await sm.CreateSecret(ROOT, made.value);
    expect(kmsCallRows(out.kmsCalls, h.repo.list('trailEvent')).map((r) => [r.operation, r.outcome])).toContainEqual(['GenerateDataKey', 'OK']);
    await sm.PutSecretValue(ROOT, { SecretId: out.ARN, SecretString: 'pw2' });
    const rows = secretRows(h.service.world.listServiceResources({ service: 'secretsmanager' }), { accountId: ACCOUNT, region: 'us-east-1' });
    expect(rows).toMatchObject([{ arn: out.ARN, name: 'prod/db', kmsKeyId: '', versions: 2, deletionDate: null }]);
    expect(rows[0]!.currentVersionId).not.toBe(out.VersionId);
    expect(secretRows(h.service.world.listServiceResources({ service: 'secretsmanager' }), { accountId: ACCOUNT, region: 'eu-west-1' })).toEqual([]);
  });
});
