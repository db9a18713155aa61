/**
 * Multi-Region keys through the service (kms-semantics.md §9, §1.1, §1.5): ReplicateKey,
 * cross-Region Decrypt/ReEncrypt, the replica's own policy (the lesson's trap), the Creating and
 * Updating transient states, UpdatePrimaryRegion, PendingReplicaDeletion, replica synchronization
 * (`propagateToReplicas`) and replay of the log.
 */
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allRecords, webCryptoBackend, type CallerContext, type KeyArn, type KeyRecord } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { PRIMARY_UPDATE_MS, REPLICA_CREATION_MS } from '../../../../src/kms/operations/multiRegion';
import { propagateToReplicas } from '../../../../src/kms/operations/multiRegionSync';
import { validateKeyRecord } from '../../../../src/kms/store/schema/key';
import { UnitOfWork } from '../../../../src/kms/unitOfWork';
import { toTrailRecord } from '../../../../src/trail';
import { ACCOUNT, makeHarness, ROOT, seedOf, T0, text, utf8, type Harness } from '../harness';

const DAY = 86_400_000;
const EU: CallerContext = { ...ROOT, region: 'eu-west-1' as CallerContext['region'] };
const AP: CallerContext = { ...ROOT, region: 'ap-southeast-2' as CallerContext['region'] };
const role = (name: string, region = 'us-east-1'): CallerContext => ({
  ...ROOT,
  principalArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  region: region as CallerContext['region'],
});
const APP = role('AppRole');
const APP_EU = role('AppRole', 'eu-west-1');
const ADMIN = role('KeyAdmin');

/** GetParametersForImport (RSAES_OAEP_SHA_256) in the caller's Region, and `material` wrapped with it as node:crypto does. */
async function wrapped(h: Harness, keyId: string, material: Uint8Array, caller: CallerContext = ROOT): Promise<{ ImportToken: Uint8Array; EncryptedKeyMaterial: Uint8Array }> {
  const p = await h.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, caller);
  const key = createPublicKey({ key: Buffer.from(p.PublicKey as Uint8Array), format: 'der', type: 'spki' });
  const enc = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
  return { ImportToken: p.ImportToken as Uint8Array, EncryptedKeyMaterial: new Uint8Array(enc) };
}

const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;

/** A key policy: the account root may do everything; plus `extra` statements. */
function policy(...extra: object[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }, ...extra],
  });
}

function deny(principal: string, action: string): object {
  return { Sid: `Deny${action.replace(/\W/g, '')}`, Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:${principal}` }, Action: action, Resource: '*' };
}

/** Every key record in the repository satisfies the `kms.key` validator (§1.1 invariants). */
function expectValidKeys(h: Harness): void {
  for (const k of h.repo.list('key')) {
    const r = validateKeyRecord(k);
    expect(r.ok ? null : r, k.id).toBeNull();
  }
}

async function describe_(h: Harness, keyId: string, caller: CallerContext = ROOT): Promise<Record<string, unknown>> {
  return (await h.call('DescribeKey', { KeyId: keyId }, caller)).KeyMetadata as Record<string, unknown>;
}

/** A primary in us-east-1 and an Enabled replica in eu-west-1. */
async function replicated(h: Harness, create: Record<string, unknown> = {}, replicate: Record<string, unknown> = {}) {
  const { keyId, arn } = await h.createKey({ MultiRegion: true, ...create });
  const r = await h.call('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1', ...replicate });
  await h.service.advanceClock(REPLICA_CREATION_MS);
  return { keyId, arn, replicaArn: arnIn('eu-west-1', keyId), response: r };
}

describe('ReplicateKey', () => {
  it('creates a Creating replica with the same key id, spec and material, its own (default) policy, description and tags', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ MultiRegion: true, Description: 'primary', Policy: policy(), Tags: [{ TagKey: 'team', TagValue: 'us' }] });
    const r = await h.call('ReplicateKey', { KeyId: arn, ReplicaRegion: 'eu-west-1', Description: 'replica', Tags: [{ TagKey: 'team', TagValue: 'eu' }] });
    const replicaArn = arnIn('eu-west-1', keyId);
    expect(r.ReplicaKeyMetadata).toMatchObject({
      AWSAccountId: ACCOUNT,
      KeyId: keyId,
      Arn: replicaArn,
      Enabled: false,
      KeyState: 'Creating',
      Description: 'replica',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Origin: 'AWS_KMS',
      MultiRegion: true,
      MultiRegionConfiguration: {
        MultiRegionKeyType: 'REPLICA',
        PrimaryKey: { Arn: arn, Region: 'us-east-1' },
        ReplicaKeys: [{ Arn: replicaArn, Region: 'eu-west-1' }],
      },
    });
    expect(r.ReplicaTags).toEqual([{ TagKey: 'team', TagValue: 'eu' }]);
    // Omitted Policy: the default key policy, not a copy of the primary's.
    const defaultPolicy = (await h.call('GetKeyPolicy', { KeyId: keyId }, EU)).Policy;
    expect(r.ReplicaPolicy).toBe(defaultPolicy);
    expect(r.ReplicaPolicy).not.toBe((await h.call('GetKeyPolicy', { KeyId: keyId })).Policy);
    expect(r.ReplicaPolicy).toContain('key-default-1');
    // Same material (every version) under the replica's own ARN.
    const ids = (k: string) => h.repo.list('material').filter((m) => m.keyArn === k).map((m) => m.keyMaterialId);
    expect(ids(replicaArn)).toEqual(ids(arn));
    expect((await describe_(h, keyId, EU)).CurrentKeyMaterialId).toBe((await describe_(h, keyId)).CurrentKeyMaterialId);
    // The primary now lists it; tags and description stay each key's own.
    expect((await describe_(h, keyId)).MultiRegionConfiguration).toMatchObject({ MultiRegionKeyType: 'PRIMARY', ReplicaKeys: [{ Arn: replicaArn, Region: 'eu-west-1' }] });
    expect((await h.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([{ TagKey: 'team', TagValue: 'us' }]);
    expect((await h.call('ListResourceTags', { KeyId: keyId }, EU)).Tags).toEqual([{ TagKey: 'team', TagValue: 'eu' }]);
    expect((await describe_(h, keyId)).Description).toBe('primary');
    expectValidKeys(h);
  });

  it('the replica refuses cryptography while Creating and becomes Enabled a few sandbox seconds later', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ MultiRegion: true });
    await h.call('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' });
    const replicaArn = arnIn('eu-west-1', keyId);
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, EU)).toEqual({ name: 'KMSInvalidStateException', message: `${replicaArn} is creating.` });
    expect(await h.fail('DisableKey', { KeyId: keyId }, EU)).toEqual({ name: 'KMSInvalidStateException', message: `${replicaArn} is creating.` });
    // Management still works while Creating.
    await h.call('CreateAlias', { AliasName: 'alias/eu-data', TargetKeyId: keyId }, EU);
    expect(h.service.nextScheduledEventTime()).toBe(T0 + REPLICA_CREATION_MS);
    await h.service.advanceClock(REPLICA_CREATION_MS - 1);
    expect((await describe_(h, keyId, EU)).KeyState).toBe('Creating');
    const done = await h.service.advanceClock(1);
    expect(done.events).toEqual([]);
    expect(await describe_(h, keyId, EU)).toMatchObject({ KeyState: 'Enabled', Enabled: true });
    await h.call('Encrypt', { KeyId: 'alias/eu-data', Plaintext: utf8('x') }, EU);
    expectValidKeys(h);
  });

  it('a ciphertext made in us-east-1 decrypts and re-encrypts in eu-west-1, and back', async () => {
    const h = await makeHarness();
    const { keyId, arn, replicaArn } = await replicated(h);
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('from us-east-1'), EncryptionContext: { app: 'orders' } });
    expect(enc.KeyId).toBe(arn);
    const dec = await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'orders' } }, EU);
    expect(dec.KeyId).toBe(replicaArn);
    expect(text(dec.Plaintext)).toBe('from us-east-1');
    // Naming the replica explicitly (the related key in the caller's Region) works too.
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: keyId, EncryptionContext: { app: 'orders' } }, EU)).Plaintext)).toBe('from us-east-1');
    // ReEncrypt in eu-west-1 to a single-Region key there.
    const local = ((await h.call('CreateKey', {}, EU)).KeyMetadata as { Arn: string }).Arn;
    const re = await h.call('ReEncrypt', { CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { app: 'orders' }, DestinationKeyId: local }, EU);
    expect(re.SourceKeyId).toBe(replicaArn);
    expect(text((await h.call('Decrypt', { CiphertextBlob: re.CiphertextBlob }, EU)).Plaintext)).toBe('from us-east-1');
    // And from the replica back to the primary's Region.
    const back = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('from eu-west-1') }, EU);
    expect(text((await h.call('Decrypt', { CiphertextBlob: back.CiphertextBlob })).Plaintext)).toBe('from eu-west-1');
    // A single-Region key's ciphertext does not travel.
    const single = await h.call('Encrypt', { KeyId: local, Plaintext: utf8('x') }, EU);
    expect((await h.fail('Decrypt', { CiphertextBlob: single.CiphertextBlob })).name).toBe('InvalidCiphertextException');
  });

  it("the replica's own key policy decides there: denying AppRole blocks Decrypt in eu-west-1 while us-east-1 still works (the trap)", async () => {
    const h = await makeHarness();
    const { keyId, replicaArn } = await replicated(h, {}, { Policy: policy(deny('role/AppRole', 'kms:Decrypt')) });
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('invoice') }, APP);
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, APP)).Plaintext)).toBe('invoice');
    const denied = await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, APP_EU);
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`kms:Decrypt on resource: ${replicaArn}`);
    // The fix is the replica's policy, not the primary's.
    await h.call('PutKeyPolicy', { KeyId: keyId, Policy: policy() }, EU);
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, APP_EU)).Plaintext)).toBe('invoice');
  });

  it('keeps state, aliases, grants and tags per Region: disabling the primary leaves the replica working', async () => {
    const h = await makeHarness();
    const { keyId } = await replicated(h);
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
    await h.call('CreateAlias', { AliasName: 'alias/us-only', TargetKeyId: keyId });
    await h.call('CreateGrant', { KeyId: keyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/AppRole`, Operations: ['Decrypt'] });
    await h.call('DisableKey', { KeyId: keyId });
    expect((await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob })).name).toBe('DisabledException');
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, EU)).Plaintext)).toBe('x');
    expect((await describe_(h, keyId, EU)).KeyState).toBe('Enabled');
    expect((await h.call('ListAliases', { KeyId: keyId }, EU)).Aliases).toEqual([]);
    expect((await h.call('ListGrants', { KeyId: keyId }, EU)).Grants).toEqual([]);
    expect((await h.fail('DescribeKey', { KeyId: 'alias/us-only' }, EU)).name).toBe('NotFoundException');
  });

  it('replicates the rotation setting and every material version', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ MultiRegion: true });
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 180 });
    const old = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('v0') });
    await h.call('RotateKeyOnDemand', { KeyId: keyId });
    await h.call('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' });
    await h.service.advanceClock(REPLICA_CREATION_MS);
    const status = await h.call('GetKeyRotationStatus', { KeyId: keyId }, EU);
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
    expect(h.repo.list('material').filter((m) => m.keyArn === arnIn('eu-west-1', keyId))).toHaveLength(2);
    expect(text((await h.call('Decrypt', { CiphertextBlob: old.CiphertextBlob }, EU)).Plaintext)).toBe('v0');
    const now = await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('v1') });
    expect(text((await h.call('Decrypt', { CiphertextBlob: now.CiphertextBlob }, EU)).Plaintext)).toBe('v1');

    expectValidKeys(h);
  });

  it('EXTERNAL keys replicate without material (PendingImport); only the same material imports into the replica', async () => {
    const h = await makeHarness();
    const ext = await h.createKey({ MultiRegion: true, Origin: 'EXTERNAL', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect(await h.fail('ReplicateKey', { KeyId: ext.keyId, ReplicaRegion: 'ap-southeast-2' })).toEqual({ name: 'KMSInvalidStateException', message: `${ext.arn} is pending import.` });
    const material = new Uint8Array(randomBytes(32));
    const imported = await h.call('ImportKeyMaterial', { KeyId: ext.keyId, ...(await wrapped(h, ext.keyId, material)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const enc = await h.call('Encrypt', { KeyId: ext.keyId, Plaintext: utf8('imported') });
    const r = await h.call('ReplicateKey', { KeyId: ext.keyId, ReplicaRegion: 'ap-southeast-2' });
    expect(r.ReplicaKeyMetadata).toMatchObject({ KeyState: 'Creating', Origin: 'EXTERNAL' });
    await h.service.advanceClock(REPLICA_CREATION_MS);
    const replica = await describe_(h, ext.keyId, AP);
    expect(replica.KeyState).toBe('PendingImport');
    expect(replica.ExpirationModel).toBeUndefined();
    expect(h.repo.list('material').filter((m) => m.keyArn === arnIn('ap-southeast-2', ext.keyId))).toEqual([]);
    // Other material is refused; the primary's material imports and the replica decrypts.
    const other = new Uint8Array(randomBytes(32));
    expect((await h.fail('ImportKeyMaterial', { KeyId: ext.keyId, ...(await wrapped(h, ext.keyId, other, AP)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }, AP)).name).toBe('IncorrectKeyMaterialException');
    const again = await h.call('ImportKeyMaterial', { KeyId: ext.keyId, ...(await wrapped(h, ext.keyId, material, AP)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }, AP);
    expect(again.KeyMaterialId).toBe(imported.KeyMaterialId);
    expect((await describe_(h, ext.keyId, AP)).KeyState).toBe('Enabled');
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, AP)).Plaintext)).toBe('imported');
    expectValidKeys(h);
  });

  it('answers every error as AWS does', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ MultiRegion: true });
    const single = await h.createKey();
    expect(await h.fail('ReplicateKey', { KeyId: single.keyId, ReplicaRegion: 'eu-west-1' })).toEqual({
      name: 'UnsupportedOperationException',
      message: `${single.arn} is not a multi-Region primary key.`,
    });
    expect((await h.fail('ReplicateKey', { KeyId: keyId })).message).toBe("1 validation error detected: Value null at 'replicaRegion' failed to satisfy constraint: Member must not be null");
    expect((await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'EU_WEST' })).message).toMatch(/at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    for (const region of ['us-east-1', 'cn-north-1', 'us-gov-west-1', 'xx-nowhere-9']) {
      expect((await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: region })).name, region).toBe('ValidationException');
    }
    expect((await h.fail('ReplicateKey', { KeyId: arnIn('us-east-1', 'mrk-' + '0'.repeat(32)), ReplicaRegion: 'eu-west-1' })).name).toBe('NotFoundException');
    expect((await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1', Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })).name).toBe('TagException');
    // Lockout safety check on the replica's policy (§6.4), unless bypassed.
    const lockout = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` }, Action: 'kms:Decrypt', Resource: '*' }] });
    expect(await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1', Policy: lockout })).toEqual({
      name: 'MalformedPolicyDocumentException',
      message: 'The new key policy will not allow you to update the key policy in the future.',
    });
    expect((await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1', Policy: '{not json' })).name).toBe('MalformedPolicyDocumentException');
    // One related key per Region.
    await h.call('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' });
    await h.service.advanceClock(REPLICA_CREATION_MS);
    // Only a primary can be replicated: the replica (from its own Region) cannot.
    expect(await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' }, EU)).toEqual({
      name: 'UnsupportedOperationException',
      message: `${arnIn('eu-west-1', keyId)} is not a multi-Region primary key.`,
    });
    expect((await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' })).name).toBe('AlreadyExistsException');
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }, EU);
    const pending = await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' });
    expect(pending.name).toBe('AlreadyExistsException');
    expect(pending.message).toMatch(/pending deletion/);
    // State matrix (§1.5): Disabled → DisabledException.
    await h.call('DisableKey', { KeyId: keyId });
    expect(await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' })).toEqual({ name: 'DisabledException', message: `${arn} is disabled.` });
    expectValidKeys(h);
  });

  it('needs kms:ReplicateKey on the primary and kms:CreateKey (and kms:TagResource for Tags) in IAM', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({
      MultiRegion: true,
      Policy: policy({ Sid: 'AppMayReplicate', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` }, Action: 'kms:ReplicateKey', Resource: '*' }),
    });
    // KeyAdmin's IAM policy has kms:Create* but not kms:ReplicateKey.
    const admin = await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' }, ADMIN);
    expect(admin.name).toBe('AccessDeniedException');
    expect(admin.message).toContain('kms:ReplicateKey');
    // AppRole may replicate by key policy, but has no kms:CreateKey in IAM.
    const app = await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' }, APP);
    expect(app.name).toBe('AccessDeniedException');
    expect(app.message).toContain('kms:CreateKey');
    expect(h.repo.get('key', arnIn('eu-west-1', keyId))).toBeUndefined();
  });
});

describe('UpdatePrimaryRegion', () => {
  it('swaps the roles; both keys are Updating (crypto still works) for a few sandbox seconds, then back to their state', async () => {
    const h = await makeHarness();
    const { keyId, arn, replicaArn } = await replicated(h);
    await h.call('EnableKeyRotation', { KeyId: keyId });
    const next = (await h.call('GetKeyRotationStatus', { KeyId: keyId })).NextRotationDate;
    expect(await h.call('UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'eu-west-1' })).toEqual({});
    const us = await describe_(h, keyId);
    const eu = await describe_(h, keyId, EU);
    expect(us).toMatchObject({ KeyState: 'Updating', Enabled: false, MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: replicaArn, Region: 'eu-west-1' }, ReplicaKeys: [{ Arn: arn, Region: 'us-east-1' }] } });
    expect(eu).toMatchObject({ KeyState: 'Updating', MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: replicaArn, Region: 'eu-west-1' } } });
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('during') });
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, EU)).Plaintext)).toBe('during');
    expect(await h.fail('DisableKey', { KeyId: keyId })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is updating.` });
    expect(await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' }, EU)).toEqual({ name: 'KMSInvalidStateException', message: `${replicaArn} is updating.` });
    expectValidKeys(h);
    await h.service.advanceClock(PRIMARY_UPDATE_MS);
    expect((await describe_(h, keyId)).KeyState).toBe('Enabled');
    expect((await describe_(h, keyId, EU)).KeyState).toBe('Enabled');
    // The automatic rotation schedule moved with the primary role.
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId }, EU)).NextRotationDate).toEqual(next);
    expect(h.repo.get('key', arn as KeyArn)!.nextRotationDate).toBeNull();
    // Now only eu-west-1 replicates.
    expect((await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' })).name).toBe('UnsupportedOperationException');
    await h.call('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' }, EU);
    expect(((await describe_(h, keyId, AP)).MultiRegionConfiguration as { ReplicaKeys: unknown[] }).ReplicaKeys).toEqual([
      { Arn: arnIn('ap-southeast-2', keyId), Region: 'ap-southeast-2' },
      { Arn: arn, Region: 'us-east-1' },
    ]);
  });

  it('answers the errors and needs kms:UpdatePrimaryRegion on both keys', async () => {
    const h = await makeHarness();
    const single = await h.createKey();
    expect((await h.fail('UpdatePrimaryRegion', { KeyId: single.keyId, PrimaryRegion: 'eu-west-1' })).name).toBe('UnsupportedOperationException');
    const { keyId, replicaArn } = await replicated(h, {}, { Policy: policy(deny('role/KeyAdmin', 'kms:UpdatePrimaryRegion')) });
    expect((await h.fail('UpdatePrimaryRegion', { KeyId: keyId })).message).toMatch(/'primaryRegion'.*must not be null/);
    expect((await h.fail('UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'us-east-1' })).name).toBe('ValidationException');
    expect(await h.fail('UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'ap-southeast-2' })).toEqual({
      name: 'NotFoundException',
      message: `Key '${arnIn('ap-southeast-2', keyId)}' does not exist`,
    });
    expect((await h.fail('UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'us-east-1' }, EU)).name).toBe('UnsupportedOperationException');
    // KeyAdmin's IAM allows kms:Update*, the primary's default policy defers to IAM, the replica's denies.
    const denied = await h.fail('UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'eu-west-1' }, ADMIN);
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`kms:UpdatePrimaryRegion on resource: ${replicaArn}`);
    expect((await describe_(h, keyId)).MultiRegionConfiguration).toMatchObject({ MultiRegionKeyType: 'PRIMARY' });
    // A disabled replica cannot become primary (§1.5 footnote 1).
    await h.call('DisableKey', { KeyId: keyId }, EU);
    expect(await h.fail('UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'eu-west-1' })).toEqual({ name: 'DisabledException', message: `${replicaArn} is disabled.` });
  });
});

describe('deleting multi-Region keys', () => {
  it('a primary with replicas waits in PendingReplicaDeletion; its window starts when the last replica is deleted', async () => {
    const h = await makeHarness();
    const { keyId, arn, replicaArn } = await replicated(h);
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
    expect(await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })).toEqual({ KeyId: arn, KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 7 });
    const m = await describe_(h, keyId);
    expect(m).toMatchObject({ KeyState: 'PendingReplicaDeletion', Enabled: false, PendingDeletionWindowInDays: 7 });
    expect(m.DeletionDate).toBeUndefined();
    expectValidKeys(h);
    // No crypto, cannot be replicated, cannot be scheduled again; the replica is unaffected.
    expect(await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is pending replica deletion.` });
    expect((await h.fail('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' })).message).toBe(`${arn} is pending replica deletion.`);
    expect((await h.fail('ScheduleKeyDeletion', { KeyId: keyId })).message).toBe(`${arn} is pending replica deletion.`);
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, EU)).Plaintext)).toBe('x');
    // Can wait indefinitely.
    expect(h.service.nextScheduledEventTime()).toBeNull();
    await h.service.advanceClock(60 * DAY);
    expect((await describe_(h, keyId)).KeyState).toBe('PendingReplicaDeletion');

    // The replica deletes normally.
    const sched = await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 10 }, EU);
    const replicaGone = (sched.DeletionDate as Date).getTime();
    expect(sched).toMatchObject({ KeyId: replicaArn, KeyState: 'PendingDeletion' });
    expect(h.service.nextScheduledEventTime()).toBe(replicaGone);
    await h.service.advanceClock(10 * DAY - 1);
    expect((await describe_(h, keyId)).KeyState).toBe('PendingReplicaDeletion');
    const done = await h.service.advanceClock(1);
    expect(done.events.map((e) => (e.kind === 'service' ? `${e.eventName} ${e.keyArn}` : ''))).toEqual([`DeleteKey ${replicaArn}`]);
    expect((await h.fail('DescribeKey', { KeyId: keyId }, EU)).name).toBe('NotFoundException');
    const after = await describe_(h, keyId);
    expect(after).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: new Date(replicaGone + 7 * DAY), MultiRegionConfiguration: { ReplicaKeys: [] } });
    expect(after.PendingDeletionWindowInDays).toBeUndefined();
    expectValidKeys(h);
    await h.service.advanceClock(7 * DAY);
    expect((await h.fail('DescribeKey', { KeyId: keyId })).name).toBe('NotFoundException');
    expect(h.repo.list('key')).toEqual([]);
    expect(h.repo.list('material')).toEqual([]);
  });

  it('waits for the last of several replicas; a cancelled replica deletion keeps it waiting; cancel leaves the primary Disabled', async () => {
    const h = await makeHarness();
    const { keyId } = await replicated(h);
    await h.call('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'ap-southeast-2' });
    await h.service.advanceClock(REPLICA_CREATION_MS);
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 30 });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }, EU);
    const t = h.clock.t + h.repo.get('clock', 'clock')!.offsetMs;
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 20 }, AP);
    await h.call('CancelKeyDeletion', { KeyId: keyId }, AP);
    await h.service.advanceClock(8 * DAY);
    expect((await describe_(h, keyId)).KeyState).toBe('PendingReplicaDeletion');
    expect(h.service.nextScheduledEventTime()).toBeNull();
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 20 }, AP);
    await h.service.advanceClock(20 * DAY);
    expect(await describe_(h, keyId)).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: new Date(t + 8 * DAY + 20 * DAY + 30 * DAY) });
    expect(await h.call('CancelKeyDeletion', { KeyId: keyId })).toMatchObject({ KeyId: arnIn('us-east-1', keyId) });
    expect((await describe_(h, keyId)).KeyState).toBe('Disabled');

    // Cancelling while PendingReplicaDeletion → Disabled too, window forgotten.
    const other = await replicated(h);
    await h.call('ScheduleKeyDeletion', { KeyId: other.keyId, PendingWindowInDays: 9 });
    await h.call('CancelKeyDeletion', { KeyId: other.keyId });
    const m = await describe_(h, other.keyId);
    expect(m.KeyState).toBe('Disabled');
    expect(m.PendingDeletionWindowInDays).toBeUndefined();
    expectValidKeys(h);
  });

  it('a primary whose replicas are all gone deletes normally; a replica scheduled while Creating leaves Creating', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ MultiRegion: true });
    await h.call('ReplicateKey', { KeyId: keyId, ReplicaRegion: 'eu-west-1' });
    const r = await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }, EU);
    expect(r.KeyState).toBe('PendingDeletion');
    await h.service.advanceClock(REPLICA_CREATION_MS);
    expect((await describe_(h, keyId, EU)).KeyState).toBe('PendingDeletion');
    await h.service.advanceClock(7 * DAY);
    expect((await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })).KeyState).toBe('PendingDeletion');
    expectValidKeys(h);
  });
});

describe('deleting multi-Region keys (more orders)', () => {
  it('a primary scheduled after its replicas starts its window when the last of them is deleted', async () => {
    const h = await makeHarness();
    const { keyId, replicaArn } = await replicated(h);
    const r = await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 8 }, EU);
    await h.service.advanceClock(DAY);
    expect((await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 9 })).KeyState).toBe('PendingReplicaDeletion');
    const gone = (r.DeletionDate as Date).getTime();
    expect(h.service.nextScheduledEventTime()).toBe(gone);
    const done = await h.service.advanceClock(7 * DAY);
    expect(done.events.map((e) => e.kind === 'service' && e.keyArn)).toEqual([replicaArn]);
    expect(await describe_(h, keyId)).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: new Date(gone + 9 * DAY) });
    expectValidKeys(h);
  });

  it('a primary with replicas that is PendingImport also waits for them', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await replicated(h);
    // As if its imported material had expired (that transition is another file's).
    await h.repo.commit({ puts: [{ ...h.repo.get('key', arn as KeyArn)!, keyState: 'PendingImport' }], deletes: [] });
    expect((await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })).KeyState).toBe('PendingReplicaDeletion');
    expectValidKeys(h);
  });
});

describe('propagateToReplicas', () => {
  it('copies new material versions and the rotation setting from the primary to every replica', async () => {
    const h = await makeHarness();
    const { keyId, arn, replicaArn } = await replicated(h);
    await h.call('RotateKeyOnDemand', { KeyId: keyId });
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const tx = new UnitOfWork(h.repo);
    propagateToReplicas(tx, h.repo.get('key', arn as KeyArn)!);
    await h.repo.commit(tx.changes());
    const primary = h.repo.get('key', arn as KeyArn)!;
    const replica = h.repo.get('key', replicaArn as KeyArn)!;
    expect(replica).toMatchObject({ currentKeyMaterialId: primary.currentKeyMaterialId, rotationEnabled: true, rotationPeriodInDays: 90, nextRotationDate: null, onDemandRotationCount: 1 });
    expect(replica.keyState).toBe('Enabled');
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('after rotation') });
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, EU)).Plaintext)).toBe('after rotation');
    // Idempotent, and a no-op for replicas and single-Region keys.
    const before = allRecords(h.repo);
    const again = new UnitOfWork(h.repo);
    propagateToReplicas(again, primary);
    propagateToReplicas(again, replica);
    const single = await h.createKey();
    propagateToReplicas(again, h.repo.get('key', single.arn as KeyArn)!);
    await h.repo.commit(again.changes());
    expect(allRecords(h.repo).filter((r) => r.typeName !== 'trailEvent' && r.typeName !== 'logEntry' && r.typeName !== 'meta' && !(r.typeName === 'key' && r.id === single.arn)).length).toBe(
      before.filter((r) => r.typeName !== 'trailEvent' && r.typeName !== 'logEntry' && r.typeName !== 'meta').length + 1 /* single's material */ + 1 /* single's policy */,
    );
    expectValidKeys(h);
  });

  it('through the service: EnableKeyRotation on the primary reaches the replica; the replica cannot rotate itself', async () => {
    const h = await makeHarness();
    const { keyId } = await replicated(h);
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    expect(await h.call('GetKeyRotationStatus', { KeyId: keyId }, EU)).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    expect((await h.fail('RotateKeyOnDemand', { KeyId: keyId }, EU)).name).toBe('UnsupportedOperationException');
    await h.call('DisableKeyRotation', { KeyId: keyId });
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId }, EU)).KeyRotationEnabled).toBe(false);
    expectValidKeys(h);
  });

  it('through the service: on-demand and automatic rotations of the primary reach the replica', async () => {
    const h = await makeHarness();
    const { keyId, replicaArn } = await replicated(h);
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    await h.call('RotateKeyOnDemand', { KeyId: keyId });
    const onDemand = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('on demand') });
    expect(text((await h.call('Decrypt', { CiphertextBlob: onDemand.CiphertextBlob }, EU)).Plaintext)).toBe('on demand');
    const done = await h.service.advanceClock(90 * DAY);
    expect(done.events.map((e) => e.kind === 'service' && `${e.eventName} ${e.keyArn}`)).toEqual([`RotateKey ${arnIn('us-east-1', keyId)}`]);
    const automatic = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('automatic') });
    expect(text((await h.call('Decrypt', { CiphertextBlob: automatic.CiphertextBlob }, EU)).Plaintext)).toBe('automatic');
    expect(h.repo.list('material').filter((m) => m.keyArn === replicaArn)).toHaveLength(3);
    expect((await describe_(h, keyId, EU)).CurrentKeyMaterialId).toBe((await describe_(h, keyId)).CurrentKeyMaterialId);
    expectValidKeys(h);
  });
});

describe('replay', () => {
  it('replaying the log rebuilds the same multi-Region sandbox', async () => {
    const h = await makeHarness();
    const { keyId } = await replicated(h, {}, { Policy: policy(deny('role/AppRole', 'kms:Decrypt')), Tags: [{ TagKey: 'r', TagValue: 'eu' }] });
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
    await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, EU);
    await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, APP_EU);
    await h.call('UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: 'eu-west-1' });
    await h.service.advanceClock(PRIMARY_UPDATE_MS);
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 }, EU);
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    await h.service.advanceClock(7 * DAY);
    const log = h.repo.list('logEntry').map((r) => r.entry);
    const r = await replayLog(log, { seed: seedOf(1), startTime: T0, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
    expect(allRecords(r.repository)).toEqual(allRecords(h.repo));
    const keys = r.repository.list('key') as KeyRecord[];
    expect(keys.map((k) => [k.region, k.multiRegionKeyType, k.keyState])).toEqual([['eu-west-1', 'PRIMARY', 'PendingDeletion']]);
  });
});

describe('transient states end as time passes on its own', () => {
  it('a replica made Creating is Enabled at the next call after REPLICA_CREATION_MS of clock time, without advanceClock', async () => {
    const h = await makeHarness();
    const primary = (await h.call('CreateKey', { MultiRegion: true })).KeyMetadata as { KeyId: string; Arn: string };
    await h.call('ReplicateKey', { KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' });
    const replicaArn = primary.Arn.replace('us-east-1', 'eu-west-1');
    expect(h.repo.get('key', replicaArn as never)?.keyState).toBe('Creating');
    h.clock.t += REPLICA_CREATION_MS;
    await h.call('ListKeys', {});
    expect(h.repo.get('key', replicaArn as never)?.keyState).toBe('Enabled');
  });
});
