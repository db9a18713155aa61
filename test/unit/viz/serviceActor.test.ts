/**
 * The service actor (issue 8): KMS calls an AWS service made for a principal (invokedBy in the
 * trail record) get a third actor between the application and KMS; direct calls keep their lanes.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext, TrailEventRecord } from '../../../src/kms';
import { createEbs } from '../../../src/services/ebs';
import { buildSteps, lanesFor, serviceActorOf, serviceLabel, stepActorLabel, type StepSequence } from '../../../src/viz';
import { ROOT, makeHarness, type Harness } from '../kms/harness';

const VIA_S3: CallerContext = { ...ROOT, viaService: 's3.us-east-1.amazonaws.com' };

function last(h: Harness): TrailEventRecord {
  return [...h.repo.list('trailEvent')].sort((a, b) => a.seq - b.seq).at(-1)!;
}
const lanes = (s: StepSequence) => s.steps.map((x) => `${x.from}>${x.to}`);

describe('serviceActorOf', () => {
  it('reads invokedBy, a service host as source, and the service itself; not direct calls or AWS Internal', () => {
    const base = { sourceIPAddress: '127.0.0.1', eventType: 'AwsApiCall' as const };
    expect(serviceActorOf({ ...base, awsRegion: 'eu-west-1', userIdentity: { type: 'Root', invokedBy: 's3.amazonaws.com' } })).toEqual({
      host: 's3.amazonaws.com',
      label: 'Amazon S3',
      isSelf: false,
      viaService: 's3.eu-west-1.amazonaws.com',
    });
    expect(serviceActorOf({ ...base, sourceIPAddress: 'secretsmanager.amazonaws.com', userIdentity: { type: 'IAMUser' } })?.label).toBe('Secrets Manager');
    expect(serviceActorOf({ ...base, userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } })).toMatchObject({ host: 'ec2.amazonaws.com', label: 'Amazon EBS (EC2)', isSelf: true });
    expect(serviceActorOf({ ...base, userIdentity: { type: 'Root' } })).toBeNull();
    expect(serviceActorOf({ sourceIPAddress: 'AWS Internal', eventType: 'AwsServiceEvent', userIdentity: { invokedBy: 'AWS Internal' } })).toBeNull();
    expect(serviceLabel('dynamodb.amazonaws.com')).toBe('dynamodb.amazonaws.com');
    // EBS's Decrypt at attach: EC2's infrastructure role, no invokedBy, "AWS Internal" as source.
    const infra = { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/aws-ec2-infrastructure/kms-playground' };
    expect(serviceActorOf({ sourceIPAddress: 'AWS Internal', eventType: 'AwsApiCall', awsRegion: 'us-east-1', userIdentity: infra })).toEqual({
      host: 'ec2.amazonaws.com',
      label: 'Amazon EBS (EC2)',
      isSelf: true,
      viaService: 'ec2.us-east-1.amazonaws.com',
    });
  });
});

describe('steps of a call made through S3', () => {
  it('EBS attach: CreateGrant by the caller via EC2 has the app step; the Decrypt by EC2 itself does not', async () => {
    const h = await makeHarness();
    const ebs = createEbs(h.service);
    const v = await ebs.CreateVolume(ROOT, { Size: 8, Encrypted: true });
    await ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: 'i-0123456789abcdef0' });
    const trail = [...h.repo.list('trailEvent')].sort((a, b) => a.seq - b.seq);
    const grant = buildSteps([...trail].reverse().find((t) => t.record.eventName === 'CreateGrant')!);
    expect(grant.steps[0]!.from).toBe('app');
    expect(grant.steps[0]!.narration).toContain('AttachVolume');
    const decrypt = buildSteps(trail.at(-1)!);
    expect(decrypt.eventName).toBe('Decrypt');
    expect(decrypt.service?.isSelf).toBe(true);
    expect(lanes(decrypt)[0]).toBe('service>kms');
    expect(decrypt.steps.some((x) => x.from === 'app' || x.to === 'app')).toBe(false);
    expect(decrypt.steps.at(-1)!.narration).toContain('instance host');
  });

  it('GenerateDataKey via S3: app → S3 → KMS → HSM → S3, S3 encrypts, then answers the app', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/o' } }, VIA_S3);
    const s = buildSteps(last(h));
    expect(s.service).toEqual({ host: 's3.amazonaws.com', label: 'Amazon S3', isSelf: false, viaService: 's3.us-east-1.amazonaws.com' });
    expect(s.steps.map((x) => x.kind)).toEqual(['request', 'request', 'authorization', 'material', 'hsm-crypto', 'response', 'local-encrypt', 'response']);
    expect(lanes(s)).toEqual(['app>service', 'service>kms', 'kms>kms', 'kms>hsm', 'hsm>hsm', 'kms>service', 'service>service', 'service>app']);
    expect(s.steps[0]!.narration).toContain('PutObject');
    expect(s.steps[0]!.details).toContainEqual({ label: 'kms:ViaService', value: 's3.us-east-1.amazonaws.com' });
    expect(s.steps[1]!.narration).toMatch(/^Amazon S3 calls GenerateDataKey/);
    expect(s.steps[5]!.narration).toContain('to Amazon S3');
    expect(s.steps.every((x) => x.service === 'Amazon S3' && x.eventId === s.eventId)).toBe(true);
    expect(new Set(s.steps.map((x) => x.id)).size).toBe(s.steps.length);
    // No "expected" local steps of the application: the service did the envelope work.
    expect(s.steps.some((x) => x.status === 'expected')).toBe(false);
    expect(stepActorLabel(s.steps[6]!)).toBe('Amazon S3');
    expect(lanesFor(s.steps[0]!).map((l) => l.id)).toEqual(['app', 'service', 'kms', 'hsm', 'storage']);
  });

  it('a denied call via S3 stops at authorization, its last step failed', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const bob: CallerContext = { ...VIA_S3, principalArn: 'arn:aws:iam::111122223333:user/bob' };
    await h.service.world.createPrincipal({ accountId: '111122223333', kind: 'user', name: 'bob' });
    await h.fail('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }, bob);
    const s = buildSteps(last(h));
    expect(s.failed).toBe(true);
    expect(s.steps.map((x) => x.kind)).toEqual(['request', 'request', 'authorization']);
    expect(s.steps.at(-1)!.status).toBe('failed');
    expect(s.steps.at(-1)!.failure?.errorCode).toBe('AccessDeniedException');
  });

  it('a direct call keeps the four lanes and no service', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
    const s = buildSteps(last(h));
    expect(s.service).toBeUndefined();
    expect(s.steps.every((x) => x.service === undefined && x.actor !== 'service')).toBe(true);
    expect(lanesFor(s.steps[0]!).map((l) => l.id)).toEqual(['app', 'kms', 'hsm', 'storage']);
  });
});
