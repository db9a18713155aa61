/**
 * Workloads (src/services/workloads.ts): background traffic in an account and Region that
 * throttles the live sandbox while it runs (kms-semantics.md §3.6), its record, and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketKeyEnabledOf, listWorkloads, startWorkload, stopWorkload, workloadSpecError } from '../../../src/services/workloads';
import { symmetricQuotaPerSecond } from '../../../src/kms/quotas';
import { s3KmsRequestsPerSecond } from '../../../src/services/s3Model';
import { createS3 } from '../../../src/services/s3';
import { ACCOUNT, PARTNER, REGION, ROOT, callerIn, makeHarness, utf8 } from '../kms/harness';
import type { CallerContext } from '../../../src/kms';

const INGEST: CallerContext = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:role/Ingest` };

describe('startWorkload', () => {
  it('at 120% of the us-east-1 symmetric quota: another principal of the account is throttled while it runs and not after; another account is not', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const blob = (await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') })).CiphertextBlob;
    const partner = callerIn(PARTNER);
    const partnerKey = ((await h.call('CreateKey', {}, partner)).KeyMetadata as { KeyId: string }).KeyId;
    const partnerBlob = (await h.call('Encrypt', { KeyId: partnerKey, Plaintext: utf8('y') }, partner)).CiphertextBlob;

    const rate = Math.round(symmetricQuotaPerSecond(REGION) * 1.2);
    const w = await startWorkload(h.service, { label: 'nightly ingest', caller: INGEST, ratePerSecond: rate, seconds: 60, operation: 'GenerateDataKey', source: 'app' });
    expect(w).toMatchObject({ id: 'workload/1', quota: 'symmetric', ratePerSecond: rate, from: h.service.now(), until: h.service.now() + 60_000, running: true, accountId: ACCOUNT, region: REGION });

    const err = await h.fail('Decrypt', { CiphertextBlob: blob });
    expect(err.name).toBe('ThrottlingException');
    await h.call('Decrypt', { CiphertextBlob: partnerBlob }, partner); // the partner's own quota

    await h.service.advanceClock(59_999);
    expect((await h.fail('Decrypt', { CiphertextBlob: blob })).name).toBe('ThrottlingException');
    await h.service.advanceClock(1);
    expect(listWorkloads(h.service)[0]!.running).toBe(false);
    await h.call('Decrypt', { CiphertextBlob: blob });
  });

  it('in another Region of the same account the workload takes nothing', async () => {
    const h = await makeHarness();
    await startWorkload(h.service, { label: 'eu ingest', caller: { ...INGEST, region: 'eu-west-1' as CallerContext['region'] }, ratePerSecond: 1e6, seconds: 10, operation: 'Decrypt', source: 'app' });
    const { keyId } = await h.createKey();
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
  });

  it('stores the KMS rate after Bucket Keys, with via, bucket and objectsPerSecond for S3', async () => {
    const h = await makeHarness();
    const off = await startWorkload(h.service, { label: 'puts', caller: INGEST, ratePerSecond: 30_000, seconds: 5, operation: 'GenerateDataKey', source: 's3', bucket: 'ingest-bucket' });
    expect(off).toMatchObject({ ratePerSecond: 30_000, via: 's3', bucket: 'ingest-bucket', objectsPerSecond: 30_000, offeredPerSecond: 30_000 });
    const on = await startWorkload(h.service, { label: 'puts bk', caller: INGEST, ratePerSecond: 30_000, seconds: 5, operation: 'GenerateDataKey', source: 's3', bucket: 'ingest-bucket', bucketKeyEnabled: true });
    expect(on.id).toBe('workload/2');
    expect(on.ratePerSecond).toBe(s3KmsRequestsPerSecond(30_000, true));
    expect(on.ratePerSecond).toBe(300);
  });

  it('stores the KMS rate after data-key caching (one data key per 100 messages)', async () => {
    const h = await makeHarness();
    const w = await startWorkload(h.service, { label: 'cached', caller: INGEST, ratePerSecond: 5_000, seconds: 5, operation: 'GenerateDataKey', source: 'app', caching: { maxAgeMs: 60_000, maxMessagesEncrypted: 100 } });
    expect(w.ratePerSecond).toBe(50);
  });

  it('reads Bucket Keys from the bucket record when not given', async () => {
    const h = await makeHarness();
    expect(bucketKeyEnabledOf(h.service, 'b-1')).toBe(false);
    await h.service.world.putServiceResource({ id: 'arn:aws:s3:::b-1', service: 's3', kind: 'bucket', accountId: ROOT.accountId, region: ROOT.region, data: { bucketKeyEnabled: true } });
    expect(bucketKeyEnabledOf(h.service, 'b-1')).toBe(true);
    const w = await startWorkload(h.service, { label: 'x', caller: INGEST, ratePerSecond: 1_000, seconds: 5, operation: 'Decrypt', source: 's3', bucket: 'b-1' });
    expect(w.ratePerSecond).toBe(10);
  });

  it('an ingest job through S3 throttles another Decrypt until the bucket gets Bucket Keys (s3.ts refreshBucketWorkloads)', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const blob = (await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') })).CiphertextBlob;
    const s3 = createS3(h.service);
    await s3.CreateBucket(ROOT, { Bucket: 'ingest' });
    await s3.PutBucketEncryption(ROOT, { Bucket: 'ingest', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId } }] } });
    const w = await startWorkload(h.service, { label: 'ingest', caller: INGEST, ratePerSecond: 120_000, seconds: 3600, operation: 'GenerateDataKey', source: 's3', bucket: 'ingest' });
    expect(w.ratePerSecond).toBe(120_000);
    expect((await h.fail('Decrypt', { CiphertextBlob: blob })).name).toBe('ThrottlingException');
    await s3.PutBucketEncryption(ROOT, { Bucket: 'ingest', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId }, BucketKeyEnabled: true }] } });
    expect(listWorkloads(h.service)[0]!.ratePerSecond).toBe(1_200);
    await h.call('Decrypt', { CiphertextBlob: blob });
  });

  it('stopWorkload removes it (the quota is free again); an unknown id is NotFoundException', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const w = await startWorkload(h.service, { label: 'x', caller: INGEST, ratePerSecond: 1e6, seconds: 600, operation: 'Encrypt', source: 'app' });
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') })).name).toBe('ThrottlingException');
    await stopWorkload(h.service, w.id);
    expect(listWorkloads(h.service)).toEqual([]);
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
    await expect(stopWorkload(h.service, w.id)).rejects.toMatchObject({ name: 'NotFoundException' });
    await expect(stopWorkload(h.service, 'loadRun/1')).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('refuses bad input with ValidationException and a reason', async () => {
    const h = await makeHarness();
    const good = { label: 'x', caller: INGEST, ratePerSecond: 10, seconds: 5, operation: 'Encrypt', source: 'app' };
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...good, label: '' }, /label/],
      [{ ...good, ratePerSecond: -1 }, /ratePerSecond/],
      [{ ...good, ratePerSecond: Number.NaN }, /ratePerSecond/],
      [{ ...good, seconds: 86_401 }, /seconds/],
      [{ ...good, seconds: 1.5 }, /seconds/],
      [{ ...good, operation: 'Sign' }, /operation/],
      [{ ...good, source: 'ebs' }, /source/],
      [{ ...good, caller: { accountId: 'x' } }, /caller/],
      [{ ...good, source: 's3' }, /bucket/],
      [{ ...good, source: 's3', bucket: 'Bad_Name' }, /bucket: only lowercase/],
      [{ ...good, source: 's3', bucket: 'abc', operation: 'Encrypt' }, /never Encrypt/],
      [{ ...good, caching: { maxAgeMs: 0 } }, /maxAgeMs/],
    ];
    for (const [spec, reason] of bad) {
      expect(workloadSpecError(spec)).toMatch(reason);
      await expect(startWorkload(h.service, spec as never)).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(reason) });
    }
    expect(workloadSpecError(null)).toMatch(/object/);
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const e = workloadSpecError(typeof x === 'object' && x !== null ? { ...good, ...x } : x);
        return e === null || typeof e === 'string';
      }),
    );
    expect(listWorkloads(h.service)).toEqual([]);
  });
});
