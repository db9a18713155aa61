/**
 * Simulated EBS (src/services/ebs.ts) against the real KMS service: the KMS calls of each EC2
 * operation with their callers, contexts and trail records (ct-ec2two), the grant's life while a
 * volume is attached, failures as EC2 errors, snapshots and copies, replay, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallerContext, type LogEntry } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { webCryptoBackend } from '../../../src/kms/crypto';
import { createEbs, EBS_OPERATIONS, EC2_INFRASTRUCTURE_ROLE, type Ebs } from '../../../src/services/ebs';
import { isServiceError, type ServiceError } from '../../../src/services/serviceErrors';
import { toTrailRecord } from '../../../src/trail';
import { ACCOUNT, makeHarness, REGION, ROOT, type Harness } from '../kms/harness';

const APP: CallerContext = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole` };
const INFRA = `arn:aws:iam::${ACCOUNT}:role/${EC2_INFRASTRUCTURE_ROLE}`;
const INSTANCE = 'i-0123456789abcdef0';

/** Deterministic id bytes (a counter), so two runs make the same ids. */
function counterBytes(): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    i++;
    return Uint8Array.from({ length: n }, (_, k) => (i * 31 + k * 7) & 0xff);
  };
}

async function setup(): Promise<{ h: Harness; ebs: Ebs }> {
  const h = await makeHarness();
  return { h, ebs: createEbs(h.service, { randomBytes: counterBytes() }) };
}

function trail(h: Harness) {
  return h.repo.list('trailEvent').map((e) => e.record as unknown as Record<string, unknown> & { userIdentity: Record<string, unknown>; requestParameters: Record<string, unknown> | null });
}

async function rejection(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    expect(isServiceError(e), `expected a ServiceError, got ${String(e)}`).toBe(true);
    return e as ServiceError;
  }
  return expect.fail('expected a ServiceError');
}

function policy(statements: unknown[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }, ...statements],
  });
}

describe('CreateVolume', () => {
  it('without a key: DescribeKey of alias/aws/ebs (creates the AWS managed key), then GenerateDataKeyWithoutPlaintext via EC2 with the aws:ebs:id context', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(APP, { Size: 8, Encrypted: true });
    expect(v.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(v).toMatchObject({ Size: 8, Encrypted: true, State: 'creating', AvailabilityZone: `${REGION}a`, Attachments: [] });
    expect(v.kmsCalls.map((c) => c.operation)).toEqual(['DescribeKey', 'GenerateDataKeyWithoutPlaintext']);
    expect(v.kmsCalls.every((c) => typeof c.requestId === 'string' && c.error === undefined)).toBe(true);

    const managed = await h.call('DescribeKey', { KeyId: 'alias/aws/ebs' });
    const meta = managed.KeyMetadata as { Arn: string; KeyManager: string };
    expect(meta.KeyManager).toBe('AWS');
    expect(v.KmsKeyId).toBe(meta.Arn);

    const [describe, gdk] = trail(h).slice(0, 2);
    expect(describe).toMatchObject({ eventName: 'DescribeKey', requestParameters: { keyId: 'alias/aws/ebs' } });
    expect(gdk).toMatchObject({
      eventName: 'GenerateDataKeyWithoutPlaintext',
      sourceIPAddress: 'ec2.amazonaws.com',
      requestParameters: { keyId: meta.Arn, numberOfBytes: 64, encryptionContext: { 'aws:ebs:id': v.VolumeId } },
    });
    expect(gdk!.userIdentity).toMatchObject({ arn: expect.stringContaining('AppRole'), invokedBy: 'ec2.amazonaws.com' });
    expect(gdk!.requestID).toBe(v.kmsCalls[1]!.requestId);

    // A second volume reuses the same AWS managed key.
    const v2 = await ebs.CreateVolume(APP, { Size: 1, Encrypted: true });
    expect(v2.KmsKeyId).toBe(meta.Arn);
    expect(h.repo.list('key')).toHaveLength(1);
  });

  it('stores only the encrypted data key, under the volume ARN', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(APP, { Size: 8, Encrypted: true });
    const arn = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${v.VolumeId}`;
    const rec = h.service.world.getServiceResource(arn)!;
    expect(rec).toMatchObject({ service: 'ec2', kind: 'volume', accountId: ACCOUNT, region: REGION });
    const data = rec.data as { key: Record<string, unknown> };
    expect(Object.keys(data.key).sort()).toEqual(['encryptedDataKey', 'encryptionContext', 'kmsKeyId']);
    // The stored blob is a KMS ciphertext of 64 bytes, not the key itself; the direct Decrypt
    // by the same role is refused by AWS's policy for aws/ebs (only through EC2).
    const blob = Uint8Array.from(atob(data.key.encryptedDataKey as string), (c) => c.charCodeAt(0));
    expect(blob.length).toBeGreaterThan(64);
    const denied = await h.fail('Decrypt', { CiphertextBlob: blob, EncryptionContext: { 'aws:ebs:id': v.VolumeId } }, APP);
    expect(denied.name).toBe('AccessDeniedException');
    const through = await h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { 'aws:ebs:id': v.VolumeId } }, { ...APP, viaService: 'ec2.us-east-1.amazonaws.com' });
    expect((through.Plaintext as Uint8Array).length).toBe(64);
  });

  it('an unencrypted volume makes no KMS call; a customer key is used as given', async () => {
    const { h, ebs } = await setup();
    const plain = await ebs.CreateVolume(ROOT, { Size: 2 });
    expect(plain).toMatchObject({ Encrypted: false, kmsCalls: [] });
    expect(plain.KmsKeyId).toBeUndefined();
    const { arn } = await h.createKey();
    const v = await ebs.CreateVolume(ROOT, { Size: 2, Encrypted: true, KmsKeyId: arn });
    expect(v.KmsKeyId).toBe(arn);
    expect(h.repo.list('key')).toHaveLength(1);
  });

  it('refuses an asymmetric key before asking for a data key', async () => {
    const { h, ebs } = await setup();
    const { arn } = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const e = await rejection(ebs.CreateVolume(ROOT, { Size: 2, Encrypted: true, KmsKeyId: arn }));
    expect(e.name).toBe('InvalidParameterValue');
    expect(trail(h).at(-1)!.eventName).toBe('DescribeKey');
  });
});

describe('AttachVolume and DetachVolume', () => {
  it('attach: CreateGrant for EC2 by the caller via EC2, then one Decrypt by the grantee; the grant lives until detach retires it', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(APP, { Size: 8, Encrypted: true });
    const before = trail(h).length;
    const a = await ebs.AttachVolume(APP, { VolumeId: v.VolumeId, InstanceId: INSTANCE, Device: '/dev/sdf' });
    expect(a).toMatchObject({ VolumeId: v.VolumeId, InstanceId: INSTANCE, Device: '/dev/sdf', State: 'attaching' });
    expect(a.kmsCalls.map((c) => c.operation)).toEqual(['CreateGrant', 'Decrypt']);

    const [cg, dec] = trail(h).slice(before);
    expect(cg).toMatchObject({
      eventName: 'CreateGrant',
      requestParameters: {
        keyId: v.KmsKeyId,
        granteePrincipal: INFRA,
        retiringPrincipal: INFRA,
        operations: ['Decrypt'],
        constraints: { encryptionContextSubset: { 'aws:ebs:id': v.VolumeId } },
      },
    });
    expect(cg!.userIdentity).toMatchObject({ invokedBy: 'ec2.amazonaws.com', arn: expect.stringContaining('AppRole') });
    expect(dec).toMatchObject({ eventName: 'Decrypt', requestParameters: { encryptionContext: { 'aws:ebs:id': v.VolumeId } } });
    expect(dec!.userIdentity).toMatchObject({ type: 'AssumedRole', arn: expect.stringContaining(EC2_INFRASTRUCTURE_ROLE) });
    expect(dec!.userIdentity.invokedBy).toBeUndefined();
    expect(dec!.errorCode).toBeUndefined();

    const grants = async () => (await h.call('ListGrants', { KeyId: v.KmsKeyId })).Grants as { GranteePrincipal: string; Operations: string[]; Constraints: unknown }[];
    expect(await grants()).toEqual([
      expect.objectContaining({ GranteePrincipal: INFRA, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { 'aws:ebs:id': v.VolumeId } } }),
    ]);
    const described = await ebs.DescribeVolumes(APP, { VolumeIds: [v.VolumeId] });
    expect(described.Volumes[0]).toMatchObject({ State: 'in-use', Attachments: [{ InstanceId: INSTANCE, State: 'attached' }] });

    const d = await ebs.DetachVolume(APP, { VolumeId: v.VolumeId });
    expect(d).toMatchObject({ State: 'detaching', InstanceId: INSTANCE });
    expect(d.kmsCalls).toEqual([expect.objectContaining({ operation: 'RetireGrant' })]);
    expect(d.kmsCalls[0]!.error).toBeUndefined();
    expect(await grants()).toEqual([]);
    expect((await ebs.DescribeVolumes(APP, { VolumeIds: [v.VolumeId] })).Volumes[0]).toMatchObject({ State: 'available', Attachments: [] });
  });

  it('the grant lets EC2 decrypt only this volume\'s data key', async () => {
    const { h, ebs } = await setup();
    const { arn } = await h.createKey();
    const v = await ebs.CreateVolume(ROOT, { Size: 8, Encrypted: true, KmsKeyId: arn });
    await ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE });
    h.clock.t += 10 * 60_000; // the grant has propagated; no token needed from here on
    const infra: CallerContext = { ...ROOT, principalArn: INFRA };
    const other = await h.call('Encrypt', { KeyId: arn, Plaintext: new Uint8Array(64), EncryptionContext: { 'aws:ebs:id': 'vol-00000000000000000' } });
    const denied = await h.fail('Decrypt', { CiphertextBlob: other.CiphertextBlob, EncryptionContext: { 'aws:ebs:id': 'vol-00000000000000000' } }, infra);
    expect(denied.name).toBe('AccessDeniedException');
  });

  it('an unencrypted volume attaches without KMS', async () => {
    const { ebs } = await setup();
    const v = await ebs.CreateVolume(ROOT, { Size: 1 });
    expect((await ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE })).kmsCalls).toEqual([]);
    expect((await ebs.DetachVolume(ROOT, { VolumeId: v.VolumeId })).kmsCalls).toEqual([]);
  });

  it('fails when the key is disabled (KMS refuses the grant), leaving no grant and the volume available', async () => {
    const { h, ebs } = await setup();
    const { arn } = await h.createKey();
    const v = await ebs.CreateVolume(ROOT, { Size: 8, Encrypted: true, KmsKeyId: arn });
    await h.call('DisableKey', { KeyId: arn });
    const e = await rejection(ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE }));
    expect(e.name).toBe('InvalidKMSKey.InvalidState');
    expect(e.kmsError?.name).toBe('DisabledException');
    expect(e.kmsCalls?.map((c) => c.operation)).toEqual(['CreateGrant']);
    expect((await h.call('ListGrants', { KeyId: arn })).Grants).toEqual([]);
    expect((await ebs.DescribeVolumes(ROOT, { VolumeIds: [v.VolumeId] })).Volumes[0]!.State).toBe('available');
    // Enabled again, it attaches.
    await h.call('EnableKey', { KeyId: arn });
    await expect(ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE })).resolves.toMatchObject({ State: 'attaching' });
  });

  it('fails when the key policy denies use through EC2', async () => {
    const { h, ebs } = await setup();
    const deny = { Sid: 'NoEc2', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': `ec2.${REGION}.amazonaws.com` } } };
    const { arn } = await h.createKey({ Policy: policy([deny]) });
    const v = await ebs.CreateVolume(ROOT, { Size: 8, Encrypted: true, KmsKeyId: arn });
    const e = await rejection(ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE }));
    expect(e.name).toBe('UnauthorizedOperation');
    expect(e.httpStatus).toBe(403);
    expect(e.kmsError?.name).toBe('AccessDeniedException');
    expect(trail(h).at(-1)).toMatchObject({ eventName: 'CreateGrant', errorCode: 'AccessDeniedException' });
    // A direct CreateGrant by the same root is not through EC2, so the Deny does not apply.
    await expect(h.call('CreateGrant', { KeyId: arn, GranteePrincipal: APP.principalArn, Operations: ['Decrypt'] })).resolves.toBeDefined();
  });

  it('a role without kms:CreateGrant cannot attach a volume under a customer key', async () => {
    const { h, ebs } = await setup();
    const { arn } = await h.createKey();
    const v = await ebs.CreateVolume(APP, { Size: 8, Encrypted: true, KmsKeyId: arn });
    const e = await rejection(ebs.AttachVolume(APP, { VolumeId: v.VolumeId, InstanceId: INSTANCE }));
    expect(e.kmsError?.name).toBe('AccessDeniedException');
  });

  // AWS's console key policy lets principals create grants only when kms:GrantIsForAWSResource is
  // true: the core sets it for calls made through a service (CallerContext.viaService).
  it('kms:GrantIsForAWSResource is true for the grant EC2 creates', async () => {
    const { h, ebs } = await setup();
    const { arn } = await h.createKey();
    await h.service.world.putIdentityPolicy(
      APP.principalArn,
      'AttachEncryptedVolumes',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }] }),
    );
    const v = await ebs.CreateVolume(APP, { Size: 8, Encrypted: true, KmsKeyId: arn });
    await ebs.AttachVolume(APP, { VolumeId: v.VolumeId, InstanceId: INSTANCE });
  });
});

describe('snapshots', () => {
  it('CreateSnapshot makes no KMS call and keeps the key; a volume from it under the same key re-encrypts the same data key', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(APP, { Size: 8, Encrypted: true });
    const s = await ebs.CreateSnapshot(APP, { VolumeId: v.VolumeId, Description: 'nightly' });
    expect(s).toMatchObject({ VolumeId: v.VolumeId, VolumeSize: 8, Encrypted: true, KmsKeyId: v.KmsKeyId, State: 'pending', OwnerId: ACCOUNT, kmsCalls: [] });
    expect(s.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    expect((await ebs.DescribeSnapshots(APP)).Snapshots).toEqual([expect.objectContaining({ SnapshotId: s.SnapshotId, State: 'completed', Progress: '100%' })]);

    const v2 = await ebs.CreateVolume(APP, { SnapshotId: s.SnapshotId });
    expect(v2).toMatchObject({ Encrypted: true, KmsKeyId: v.KmsKeyId, Size: 8, SnapshotId: s.SnapshotId });
    expect(v2.kmsCalls.map((c) => c.operation)).toEqual(['DescribeKey', 'ReEncrypt']);
    expect(trail(h).at(-1)).toMatchObject({
      eventName: 'ReEncrypt',
      requestParameters: { sourceEncryptionContext: { 'aws:ebs:id': v.VolumeId }, destinationEncryptionContext: { 'aws:ebs:id': v2.VolumeId } },
    });
    const a = await ebs.AttachVolume(APP, { VolumeId: v2.VolumeId, InstanceId: INSTANCE });
    expect(a.kmsCalls.every((c) => c.error === undefined)).toBe(true);
  });

  it('a volume from a snapshot under another key gets a new data key', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(ROOT, { Size: 4, Encrypted: true });
    const s = await ebs.CreateSnapshot(ROOT, { VolumeId: v.VolumeId });
    const { arn } = await h.createKey();
    const v2 = await ebs.CreateVolume(ROOT, { SnapshotId: s.SnapshotId, Encrypted: true, KmsKeyId: arn });
    expect(v2.KmsKeyId).toBe(arn);
    expect(v2.kmsCalls.map((c) => c.operation)).toEqual(['DescribeKey', 'GenerateDataKeyWithoutPlaintext']);
  });

  it('CopySnapshot to a customer key re-encrypts the data key under it; a volume from the copy attaches', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(ROOT, { Size: 8, Encrypted: true });
    const s = await ebs.CreateSnapshot(ROOT, { VolumeId: v.VolumeId });
    const { arn } = await h.createKey();
    const c = await ebs.CopySnapshot(ROOT, { SourceSnapshotId: s.SnapshotId, Encrypted: true, KmsKeyId: arn });
    expect(c.kmsCalls.map((k) => k.operation)).toEqual(['DescribeKey', 'ReEncrypt']);
    expect(trail(h).at(-1)).toMatchObject({
      eventName: 'ReEncrypt',
      userIdentity: { invokedBy: 'ec2.amazonaws.com' },
      requestParameters: { destinationKeyId: arn, destinationEncryptionContext: { 'aws:ebs:id': c.SnapshotId } },
    });
    const copy = (await ebs.DescribeSnapshots(ROOT, { SnapshotIds: [c.SnapshotId] })).Snapshots[0]!;
    expect(copy).toMatchObject({ Encrypted: true, KmsKeyId: arn, VolumeId: v.VolumeId, Description: `[Copied ${s.SnapshotId} from ${REGION}]` });
    const v2 = await ebs.CreateVolume(ROOT, { SnapshotId: c.SnapshotId });
    expect(v2.KmsKeyId).toBe(arn);
    await expect(ebs.AttachVolume(ROOT, { VolumeId: v2.VolumeId, InstanceId: INSTANCE })).resolves.toMatchObject({ State: 'attaching' });
  });

  it('copying an unencrypted snapshot encrypted asks for a new data key; a plain copy makes no call', async () => {
    const { ebs } = await setup();
    const v = await ebs.CreateVolume(ROOT, { Size: 1 });
    const s = await ebs.CreateSnapshot(ROOT, { VolumeId: v.VolumeId });
    expect((await ebs.CopySnapshot(ROOT, { SourceSnapshotId: s.SnapshotId })).kmsCalls).toEqual([]);
    const c = await ebs.CopySnapshot(ROOT, { SourceSnapshotId: s.SnapshotId, Encrypted: true });
    expect(c.kmsCalls.map((k) => k.operation)).toEqual(['DescribeKey', 'GenerateDataKeyWithoutPlaintext']);
  });

  it('a cross-Region copy decrypts in the source Region and makes a new data key in this one', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(ROOT, { Size: 1, Encrypted: true });
    const s = await ebs.CreateSnapshot(ROOT, { VolumeId: v.VolumeId });
    const west: CallerContext = { ...ROOT, region: 'us-west-2' as CallerContext['region'] };
    const c = await ebs.CopySnapshot(west, { SourceSnapshotId: s.SnapshotId, SourceRegion: REGION });
    expect(c.kmsCalls.map((k) => k.operation)).toEqual(['DescribeKey', 'Decrypt', 'GenerateDataKeyWithoutPlaintext']);
    const copy = (await ebs.DescribeSnapshots(west)).Snapshots[0]!;
    expect(copy.KmsKeyId).toMatch(/^arn:aws:kms:us-west-2:/);
    expect(trail(h).map((r) => r.awsRegion).slice(-3)).toEqual(['us-west-2', REGION, 'us-west-2']);
  });
});

describe('errors', () => {
  it('answers bad requests with EC2 errors', async () => {
    const { h, ebs } = await setup();
    expect((await rejection(ebs.CreateVolume(ROOT, {}))).name).toBe('MissingParameter');
    expect((await rejection(ebs.CreateVolume(ROOT, { Size: 0 }))).name).toBe('InvalidParameterValue');
    expect((await rejection(ebs.CreateVolume(ROOT, { Size: 1, KmsKeyId: 'alias/x' }))).name).toBe('InvalidParameterDependency');
    expect((await rejection(ebs.CreateVolume(ROOT, { Size: 1, Encrypted: true, KmsKeyId: 'alias/none' }))).kmsError?.name).toBe('NotFoundException');
    expect((await rejection(ebs.AttachVolume(ROOT, { VolumeId: 'vol-1', InstanceId: INSTANCE }))).name).toBe('InvalidVolumeID.Malformed');
    const missingVol = await rejection(ebs.AttachVolume(ROOT, { VolumeId: 'vol-0123456789abcdef0', InstanceId: INSTANCE }));
    expect(missingVol).toMatchObject({ name: 'InvalidVolume.NotFound', message: "The volume 'vol-0123456789abcdef0' does not exist." });
    expect((await rejection(ebs.DeleteSnapshot(ROOT, { SnapshotId: 'snap-0123456789abcdef0' }))).name).toBe('InvalidSnapshot.NotFound');

    const v = await ebs.CreateVolume(ROOT, { Size: 1 });
    expect((await rejection(ebs.DetachVolume(ROOT, { VolumeId: v.VolumeId }))).name).toBe('IncorrectState');
    expect((await rejection(ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: 'i-x' }))).name).toBe('InvalidInstanceID.Malformed');
    expect((await rejection(ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE, Device: 'sdf' }))).name).toBe('InvalidParameterValue');
    await ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE });
    expect((await rejection(ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE }))).name).toBe('VolumeInUse');
    expect((await rejection(ebs.DeleteVolume(ROOT, { VolumeId: v.VolumeId }))).name).toBe('VolumeInUse');
    await ebs.DetachVolume(ROOT, { VolumeId: v.VolumeId });
    await ebs.DeleteVolume(ROOT, { VolumeId: v.VolumeId });
    expect((await ebs.DescribeVolumes(ROOT)).Volumes).toEqual([]);
    expect(h.service.world.listServiceResources({ service: 'ec2' })).toEqual([]);
  });

  it('KMS throttling (the shared symmetric quota, filled by another workload) is EC2\'s RequestLimitExceeded', async () => {
    const { h, ebs } = await setup();
    await h.service.world.putServiceResource({
      id: 'workload/ingest',
      service: 'workload',
      kind: 'workload',
      accountId: ACCOUNT,
      region: REGION,
      data: { label: 'ingest', quota: 'symmetric', ratePerSecond: 1_000_000, from: h.clock.t - 60_000, until: h.clock.t + 60_000 },
    } as never);
    const e = await rejection(ebs.CreateVolume(ROOT, { Size: 1, Encrypted: true }));
    expect(e).toMatchObject({ name: 'RequestLimitExceeded', httpStatus: 503, kmsError: { name: 'ThrottlingException' } });
    expect(e.kmsCalls?.map((c) => [c.operation, c.error?.name])).toEqual([
      ['DescribeKey', undefined],
      ['GenerateDataKeyWithoutPlaintext', 'ThrottlingException'],
    ]);
    expect((await ebs.DescribeVolumes(ROOT)).Volumes).toEqual([]);
  });

  it('runs one operation at a time: two attaches at once make one attachment and one grant', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(ROOT, { Size: 1, Encrypted: true });
    const results = await Promise.allSettled([
      ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE }),
      ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: 'i-0fedcba9876543210' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'VolumeInUse' });
    expect((await h.call('ListGrants', { KeyId: v.KmsKeyId })).Grants).toHaveLength(1);
    expect((await rejection(ebs.CreateVolume(ROOT, { Size: 1, AvailabilityZone: 'eu-west-1a' }))).name).toBe('InvalidParameterValue');
  });

  it('a stored record that is not a volume is an InternalError, not a crash', async () => {
    const { h, ebs } = await setup();
    const id = 'vol-0123456789abcdef0';
    await h.service.world.putServiceResource({ id: `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${id}`, service: 'ec2', kind: 'volume', accountId: ACCOUNT, region: REGION, data: { volumeId: 42 } } as never);
    expect((await rejection(ebs.AttachVolume(ROOT, { VolumeId: id, InstanceId: INSTANCE }))).name).toBe('InternalError');
    expect((await ebs.DescribeVolumes(ROOT)).Volumes).toEqual([]);
  });

  it('never throws anything but a ServiceError, whatever the input (call with untrusted input)', async () => {
    const { ebs } = await setup();
    const v = await ebs.CreateVolume(ROOT, { Size: 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...EBS_OPERATIONS), fc.string()),
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              VolumeId: fc.oneof(fc.constant(v.VolumeId), fc.string(), fc.integer()),
              InstanceId: fc.oneof(fc.constant(INSTANCE), fc.anything()),
              Size: fc.anything(),
              Encrypted: fc.anything(),
              KmsKeyId: fc.anything(),
              SnapshotId: fc.anything(),
              SourceSnapshotId: fc.anything(),
              VolumeIds: fc.anything(),
            },
            { requiredKeys: [] },
          ),
        ),
        async (operation, input) => {
          try {
            const r = await ebs.call(operation, input, ROOT);
            expect(Array.isArray(r.kmsCalls)).toBe(true);
          } catch (e) {
            if (!isServiceError(e)) throw e;
          }
        },
      ),
      { numRuns: 200 },
    );
    expect((await rejection(ebs.call('RunInstances', {}, ROOT))).name).toBe('InvalidAction');
  });

  it('a failed operation carries the KMS calls it made; a Decrypt refused at attach gives the grant back', async () => {
    const { h, ebs } = await setup();
    const { arn } = await h.createKey();
    const v = await ebs.CreateVolume(ROOT, { Size: 8, Encrypted: true, KmsKeyId: arn });
    // Corrupt the stored data key (one byte of the ciphertext's tag): KMS refuses to decrypt it.
    const id = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${v.VolumeId}`;
    const rec = h.service.world.getServiceResource(id)!;
    const data = rec.data as { key: { encryptedDataKey: string } };
    const blob = Uint8Array.from(atob(data.key.encryptedDataKey), (c) => c.charCodeAt(0));
    blob[blob.length - 1]! ^= 1;
    const key = { ...data.key, encryptedDataKey: btoa(String.fromCharCode(...blob)) };
    await h.service.world.putServiceResource({ id, service: 'ec2', kind: 'volume', accountId: rec.accountId, region: rec.region, data: { ...rec.data, key } });
    const e = await rejection(ebs.AttachVolume(ROOT, { VolumeId: v.VolumeId, InstanceId: INSTANCE }));
    expect(e.kmsError?.name).toBe('InvalidCiphertextException');
    expect(e.kmsCalls?.map((c) => [c.operation, c.error?.name])).toEqual([
      ['CreateGrant', undefined],
      ['Decrypt', 'InvalidCiphertextException'],
      ['RetireGrant', undefined],
    ]);
    expect((await h.call('ListGrants', { KeyId: arn })).Grants).toEqual([]);
  });


});

describe('replay', () => {
  it('replaying the log rebuilds the same volumes, snapshots, grants and trail', async () => {
    const { h, ebs } = await setup();
    const v = await ebs.CreateVolume(APP, { Size: 8, Encrypted: true });
    await ebs.AttachVolume(APP, { VolumeId: v.VolumeId, InstanceId: INSTANCE });
    const s = await ebs.CreateSnapshot(APP, { VolumeId: v.VolumeId });
    const { arn } = await h.createKey();
    await ebs.CopySnapshot(ROOT, { SourceSnapshotId: s.SnapshotId, Encrypted: true, KmsKeyId: arn });
    const v2 = await ebs.CreateVolume(ROOT, { Size: 2, Encrypted: true, KmsKeyId: arn });
    await ebs.AttachVolume(ROOT, { VolumeId: v2.VolumeId, InstanceId: 'i-0fedcba9876543210' });
    await ebs.DetachVolume(ROOT, { VolumeId: v2.VolumeId });

    const log = h.repo.list('logEntry').map((r) => r.entry) as LogEntry[];
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.repository.list('serviceResource')).toEqual(h.repo.list('serviceResource'));
    expect(r.repository.list('grant')).toEqual(h.repo.list('grant'));
    expect(r.repository.list('trailEvent').map((e) => e.record)).toEqual(trail(h));
    // The replayed sandbox is usable by a fresh EBS: the volume still attached can be detached.
    const again = createEbs(r.service);
    const d = await again.DetachVolume(APP, { VolumeId: v.VolumeId });
    expect(d.kmsCalls).toEqual([expect.objectContaining({ operation: 'RetireGrant' })]);
    expect(d.kmsCalls[0]!.error).toBeUndefined();
  });
});
