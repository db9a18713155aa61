/**
 * The real `@aws-sdk/client-kms` against a sandbox (issue 4, "Tests"; kms-semantics.md §13): every
 * operation of OPERATIONS through its SDK Command, success shapes (Date timestamps, Uint8Array
 * blobs, key ARNs; issue 7's signatures, public keys, MACs, shared secrets and key pairs checked
 * against node:crypto and noble offline), typed error classes for modeled errors and generic `KMSServiceException`s named
 * after `__type` for unmodeled ones (§13.3), `$metadata` (status, requestId = the trail record's
 * requestID), callers picked by access key id and Regions taken from the client config.
 *
 * The same suite runs once per transport (transports.ts): in-process through the SDK
 * `requestHandler`, over HTTP on loopback through a bare node:http server forwarding to the
 * handler, and against the local endpoint as `npm run serve` builds it.
 */
import { constants, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, publicEncrypt, verify as verifyOffline } from 'node:crypto';
import {
  AlreadyExistsException,
  CancelKeyDeletionCommand,
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CustomKeyStoreHasCMKsException,
  CustomKeyStoreInvalidStateException,
  CustomKeyStoreNameInUseException,
  DecapsulateCommand,
  DeleteCustomKeyStoreCommand,
  DeleteImportedKeyMaterialCommand,
  DeriveSharedSecretCommand,
  DescribeCustomKeyStoresCommand,
  DisconnectCustomKeyStoreCommand,
  EncapsulateCommand,
  ExpiredImportTokenException,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  IncorrectKeyMaterialException,
  InvalidImportTokenException,
  KMSInvalidMacException,
  KMSInvalidSignatureException,
  ReplicateKeyCommand,
  SignCommand,
  UpdateCustomKeyStoreCommand,
  UpdatePrimaryRegionCommand,
  VerifyCommand,
  VerifyMacCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  CustomKeyStoreNotFoundException,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  DisabledException,
  DryRunOperationException,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  IncorrectKeyException,
  InvalidArnException,
  InvalidCiphertextException,
  InvalidGrantIdException,
  InvalidGrantTokenException,
  InvalidKeyUsageException,
  InvalidMarkerException,
  KMSClient,
  KMSInternalException,
  KMSInvalidStateException,
  KMSServiceException,
  LimitExceededException,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ListRetirableGrantsCommand,
  MalformedPolicyDocumentException,
  NotFoundException,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  TagException,
  TagResourceCommand,
  UnsupportedOperationException,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  XksProxyUriUnreachableException,
} from '@aws-sdk/client-kms';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATIONS, type KmsService } from '../../../src/kms';
import { createSdkRequestHandler, createWireHandler } from '../../../src/wire';
import { ACCOUNT, makeHarness, PARTNER, T0 } from '../kms/harness';
import { KEYS, openSandbox, startForwardingServer, TRANSPORTS, type TrailRecord, type WireSandbox } from './transports';

const utf8 = (s: string) => new TextEncoder().encode(s);
const KEY_ARN_RE = new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 86_400_000;

/** Errors the SDK models as classes (§13.3); everything else must arrive as a plain KMSServiceException. */
type ErrorClass = abstract new (...args: never[]) => KMSServiceException;

/** A key policy admitting the partner account's root (its IAM then delegates to PartnerApp). */
function policyAdmittingPartner(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Partner decrypt', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
    ],
  });
}

describe.each(TRANSPORTS)('@aws-sdk/client-kms over %s', (transport) => {
  let s: WireSandbox;
  let root: KMSClient;
  /** Operations with a successful trail record in any test of this transport. */
  const covered = new Set<string>();

  beforeEach(async () => {
    s = await openSandbox(transport);
    root = s.client();
  });
  afterEach(async () => {
    for (const r of s.trail()) if (r.errorCode === undefined) covered.add(r.eventName);
    await s.close();
  });

  /** Sends and checks the SDK's metadata against the trail record the call wrote. */
  async function ok<T extends { $metadata: { httpStatusCode?: number; requestId?: string } }>(client: KMSClient, command: { input: unknown }, eventName?: string): Promise<T> {
    const out = (await client.send(command as never)) as T;
    const rec = s.lastTrail();
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(UUID_RE);
    expect(out.$metadata.requestId).toBe(rec.requestID);
    if (eventName) expect(rec.eventName).toBe(eventName);
    expect(rec.errorCode).toBeUndefined();
    return out;
  }

  /**
   * Sends, expects a failure named `name` (a modeled class, or a generic KMSServiceException when
   * `cls` is null), status 400, `$fault` client, and the trail record's requestID and error.
   */
  async function fails(client: KMSClient, command: { input: unknown }, cls: ErrorClass | null, name: string, message?: string | RegExp): Promise<KMSServiceException> {
    const before = s.trail().length;
    const e: unknown = await client.send(command as never).then(
      () => expect.fail(`expected ${name}`),
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(KMSServiceException);
    const err = e as KMSServiceException;
    if (cls) expect(err).toBeInstanceOf(cls);
    else expect(Object.getPrototypeOf(err)).toBe(KMSServiceException.prototype);
    expect(err.name).toBe(name);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else if (message) expect(err.message).toMatch(message);
    expect(err.$fault).toBe('client');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(s.trail()).toHaveLength(before + 1);
    const rec = s.lastTrail();
    expect(err.$metadata.requestId).toBe(rec.requestID);
    expect(rec.errorCode).toBe(name);
    if (typeof message === 'string' && message !== 'UnknownError') expect(rec.errorMessage).toBe(message);
    return err;
  }

  async function newKey(client: KMSClient = root, input: ConstructorParameters<typeof CreateKeyCommand>[0] = { Description: 'sdk' }) {
    const r = await ok<{ KeyMetadata?: { KeyId?: string; Arn?: string }; $metadata: object }>(client, new CreateKeyCommand(input), 'CreateKey');
    return { keyId: r.KeyMetadata!.KeyId!, arn: r.KeyMetadata!.Arn! };
  }

  describe('keys', () => {
    it('CreateKey, DescribeKey, UpdateKeyDescription, ListKeys: metadata with Date timestamps and ARNs', async () => {
      const created = await ok<{ KeyMetadata?: Record<string, unknown>; $metadata: object }>(root, new CreateKeyCommand({ Description: 'first', Tags: [{ TagKey: 'team', TagValue: 'pay' }] }));
      const m = created.KeyMetadata!;
      expect(m.KeyId).toMatch(UUID_RE);
      expect(m.Arn).toMatch(KEY_ARN_RE);
      expect(m.CreationDate).toEqual(new Date(T0));
      expect(m).toMatchObject({ AWSAccountId: ACCOUNT, Enabled: true, Description: 'first', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Origin: 'AWS_KMS' });
      expect(m).toMatchObject({ KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false });
      await ok(root, new UpdateKeyDescriptionCommand({ KeyId: m.KeyId as string, Description: 'renamed' }), 'UpdateKeyDescription');
      const d = await ok<{ KeyMetadata?: Record<string, unknown>; $metadata: object }>(root, new DescribeKeyCommand({ KeyId: m.Arn as string }), 'DescribeKey');
      expect(d.KeyMetadata).toMatchObject({ KeyId: m.KeyId, Description: 'renamed' });
      expect(d.KeyMetadata!.CreationDate).toBeInstanceOf(Date);
      const b = await newKey();
      const c = await newKey();
      const page1 = await ok<{ Keys?: { KeyId?: string; KeyArn?: string }[]; NextMarker?: string; Truncated?: boolean; $metadata: object }>(root, new ListKeysCommand({ Limit: 2 }), 'ListKeys');
      expect(page1.Keys).toHaveLength(2);
      expect(page1.Truncated).toBe(true);
      expect(typeof page1.NextMarker).toBe('string');
      const page2 = await ok<{ Keys?: { KeyId?: string; KeyArn?: string }[]; Truncated?: boolean; $metadata: object }>(root, new ListKeysCommand({ Limit: 2, Marker: page1.NextMarker }));
      expect(page2.Truncated).toBe(false);
      const all = [...page1.Keys!, ...page2.Keys!];
      expect(all.map((k) => k.KeyId).sort()).toEqual([m.KeyId as string, b.keyId, c.keyId].sort());
      for (const k of all) expect(k.KeyArn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${k.KeyId}`);
    });

    it('DisableKey, EnableKey, ScheduleKeyDeletion, CancelKeyDeletion: states and the deletion Date', async () => {
      const { keyId, arn } = await newKey();
      await ok(root, new DisableKeyCommand({ KeyId: keyId }), 'DisableKey');
      await fails(root, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x') }), DisabledException, 'DisabledException', `${arn} is disabled.`);
      await ok(root, new EnableKeyCommand({ KeyId: keyId }), 'EnableKey');
      const sched = await ok<{ KeyId?: string; DeletionDate?: Date; KeyState?: string; PendingWindowInDays?: number; $metadata: object }>(
        root,
        new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
        'ScheduleKeyDeletion',
      );
      expect(sched).toMatchObject({ KeyId: arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
      expect(sched.DeletionDate).toEqual(new Date(T0 + 7 * DAY));
      await fails(root, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x') }), KMSInvalidStateException, 'KMSInvalidStateException', `${arn} is pending deletion.`);
      const d = await ok<{ KeyMetadata?: { DeletionDate?: Date; KeyState?: string }; $metadata: object }>(root, new DescribeKeyCommand({ KeyId: keyId }));
      expect(d.KeyMetadata!.DeletionDate).toEqual(new Date(T0 + 7 * DAY));
      const cancel = await ok<{ KeyId?: string; $metadata: object }>(root, new CancelKeyDeletionCommand({ KeyId: keyId }), 'CancelKeyDeletion');
      expect(cancel.KeyId).toBe(arn);
      const after = await ok<{ KeyMetadata?: { KeyState?: string }; $metadata: object }>(root, new DescribeKeyCommand({ KeyId: keyId }));
      expect(after.KeyMetadata!.KeyState).toBe('Disabled');
    });

    it('TagResource, ListResourceTags, UntagResource', async () => {
      const { keyId } = await newKey();
      await ok(root, new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'env', TagValue: 'dev' }, { TagKey: 'team', TagValue: 'pay' }] }), 'TagResource');
      const tags = await ok<{ Tags?: unknown[]; Truncated?: boolean; $metadata: object }>(root, new ListResourceTagsCommand({ KeyId: keyId }), 'ListResourceTags');
      expect(tags.Tags).toEqual([
        { TagKey: 'env', TagValue: 'dev' },
        { TagKey: 'team', TagValue: 'pay' },
      ]);
      expect(tags.Truncated).toBe(false);
      await ok(root, new UntagResourceCommand({ KeyId: keyId, TagKeys: ['env'] }), 'UntagResource');
      expect((await root.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'pay' }]);
      await fails(root, new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] }), TagException, 'TagException', 'Tag keys beginning with "aws:" are reserved for AWS use: aws:x');
    });
  });

  describe('cryptography', () => {
    it('Encrypt and Decrypt with an encryption context: Uint8Array blobs, key ARN even when called by alias', async () => {
      const { keyId, arn } = await newKey();
      await ok(root, new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId }), 'CreateAlias');
      const ctx = { Department: 'Engineering' };
      const enc = await ok<{ CiphertextBlob?: Uint8Array; KeyId?: string; EncryptionAlgorithm?: string; $metadata: object }>(
        root,
        new EncryptCommand({ KeyId: 'alias/app', Plaintext: utf8('Hello world'), EncryptionContext: ctx }),
        'Encrypt',
      );
      expect(enc.CiphertextBlob).toBeInstanceOf(Uint8Array);
      expect(enc.KeyId).toBe(arn);
      expect(enc.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      // CloudTrail logs the context but never the blobs (§12).
      const rec = s.lastTrail();
      expect(rec.requestParameters).toMatchObject({ keyId: 'alias/app', encryptionContext: ctx });
      expect(JSON.stringify(rec)).not.toContain('SGVsbG8gd29ybGQ');
      const dec = await ok<{ Plaintext?: Uint8Array; KeyId?: string; $metadata: object }>(root, new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }), 'Decrypt');
      expect(dec.Plaintext).toBeInstanceOf(Uint8Array);
      expect(new TextDecoder().decode(dec.Plaintext)).toBe('Hello world');
      expect(dec.KeyId).toBe(arn);
      await fails(root, new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }), InvalidCiphertextException, 'InvalidCiphertextException');
    });

    it('GenerateDataKey (AES_256 and NumberOfBytes), GenerateDataKeyWithoutPlaintext, GenerateRandom', async () => {
      const { keyId, arn } = await newKey();
      const dk = await ok<{ Plaintext?: Uint8Array; CiphertextBlob?: Uint8Array; KeyId?: string; $metadata: object }>(root, new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }), 'GenerateDataKey');
      expect(dk.Plaintext).toBeInstanceOf(Uint8Array);
      expect(dk.Plaintext).toHaveLength(32);
      expect(dk.KeyId).toBe(arn);
      const back = await root.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
      expect(back.Plaintext).toEqual(dk.Plaintext);
      const dk64 = await ok<{ Plaintext?: Uint8Array; $metadata: object }>(root, new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 64 }));
      expect(dk64.Plaintext).toHaveLength(64);
      const wp = await ok<{ Plaintext?: Uint8Array; CiphertextBlob?: Uint8Array; KeyId?: string; $metadata: object }>(
        root,
        new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_128' }),
        'GenerateDataKeyWithoutPlaintext',
      );
      expect(wp.Plaintext).toBeUndefined();
      expect(wp.CiphertextBlob).toBeInstanceOf(Uint8Array);
      expect((await root.send(new DecryptCommand({ CiphertextBlob: wp.CiphertextBlob }))).Plaintext).toHaveLength(16);
      const rnd = await ok<{ Plaintext?: Uint8Array; $metadata: object }>(root, new GenerateRandomCommand({ NumberOfBytes: 48 }), 'GenerateRandom');
      expect(rnd.Plaintext).toBeInstanceOf(Uint8Array);
      expect(rnd.Plaintext).toHaveLength(48);
    });

    it('ReEncrypt moves a ciphertext to another key and context', async () => {
      const a = await newKey();
      const b = await newKey();
      const enc = await root.send(new EncryptCommand({ KeyId: a.keyId, Plaintext: utf8('move me'), EncryptionContext: { v: '1' } }));
      const re = await ok<{ CiphertextBlob?: Uint8Array; SourceKeyId?: string; KeyId?: string; SourceEncryptionAlgorithm?: string; DestinationEncryptionAlgorithm?: string; $metadata: object }>(
        root,
        new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: b.arn, DestinationEncryptionContext: { v: '2' } }),
        'ReEncrypt',
      );
      expect(re).toMatchObject({ SourceKeyId: a.arn, KeyId: b.arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
      const dec = await root.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } }));
      expect(new TextDecoder().decode(dec.Plaintext)).toBe('move me');
      expect(dec.KeyId).toBe(b.arn);
      await fails(root, new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' }, KeyId: a.keyId }), IncorrectKeyException, 'IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
    });
  });

  describe('aliases, rotation, policies', () => {
    it('CreateAlias, ListAliases, UpdateAlias, DeleteAlias', async () => {
      const a = await newKey();
      const b = await newKey();
      await ok(root, new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: a.keyId }));
      await fails(root, new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: b.keyId }), AlreadyExistsException, 'AlreadyExistsException', `An alias with the name arn:aws:kms:us-east-1:${ACCOUNT}:alias/orders already exists`);
      const listed = await ok<{ Aliases?: Record<string, unknown>[]; Truncated?: boolean; $metadata: object }>(root, new ListAliasesCommand({ KeyId: a.keyId }), 'ListAliases');
      expect(listed.Aliases).toHaveLength(1);
      const alias = listed.Aliases![0]!;
      expect(alias).toMatchObject({ AliasName: 'alias/orders', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/orders`, TargetKeyId: a.keyId });
      expect(alias.CreationDate).toBeInstanceOf(Date);
      await ok(root, new UpdateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: b.keyId }), 'UpdateAlias');
      expect((await root.send(new DescribeKeyCommand({ KeyId: 'alias/orders' }))).KeyMetadata!.KeyId).toBe(b.keyId);
      await ok(root, new DeleteAliasCommand({ AliasName: 'alias/orders' }), 'DeleteAlias');
      await fails(root, new DescribeKeyCommand({ KeyId: 'alias/orders' }), NotFoundException, 'NotFoundException', `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/orders is not found.`);
      const all = await root.send(new ListAliasesCommand({}));
      expect(all.Aliases!.some((x) => x.AliasName === 'alias/orders')).toBe(false);
    });

    it('EnableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations, DisableKeyRotation; old ciphertext still decrypts', async () => {
      const { keyId, arn } = await newKey();
      const old = await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: utf8('before') }));
      await ok(root, new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }), 'EnableKeyRotation');
      const st = await ok<{ KeyRotationEnabled?: boolean; KeyId?: string; RotationPeriodInDays?: number; NextRotationDate?: Date; $metadata: object }>(
        root,
        new GetKeyRotationStatusCommand({ KeyId: keyId }),
        'GetKeyRotationStatus',
      );
      expect(st).toMatchObject({ KeyRotationEnabled: true, KeyId: arn, RotationPeriodInDays: 90 });
      expect(st.NextRotationDate).toEqual(new Date(T0 + 90 * DAY));
      const r = await ok<{ KeyId?: string; $metadata: object }>(root, new RotateKeyOnDemandCommand({ KeyId: keyId }), 'RotateKeyOnDemand');
      expect(r.KeyId).toBe(arn);
      const rot = await ok<{ Rotations?: Record<string, unknown>[]; Truncated?: boolean; $metadata: object }>(root, new ListKeyRotationsCommand({ KeyId: keyId }), 'ListKeyRotations');
      expect(rot.Rotations).toHaveLength(1);
      // ListKeyRotations names the key by its bare id (the AWS API reference's example does too).
      expect(rot.Rotations![0]).toMatchObject({ KeyId: keyId, RotationType: 'ON_DEMAND' });
      expect(rot.Rotations![0]!.RotationDate).toEqual(new Date(T0));
      await ok(root, new DisableKeyRotationCommand({ KeyId: keyId }), 'DisableKeyRotation');
      expect((await root.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled).toBe(false);
      expect(new TextDecoder().decode((await root.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext)).toBe('before');
    });

    it('GetKeyPolicy, ListKeyPolicies, PutKeyPolicy; malformed and oversized policies', async () => {
      const { keyId } = await newKey();
      const names = await ok<{ PolicyNames?: string[]; Truncated?: boolean; $metadata: object }>(root, new ListKeyPoliciesCommand({ KeyId: keyId }), 'ListKeyPolicies');
      expect(names).toMatchObject({ PolicyNames: ['default'], Truncated: false });
      const got = await ok<{ Policy?: string; PolicyName?: string; $metadata: object }>(root, new GetKeyPolicyCommand({ KeyId: keyId }), 'GetKeyPolicy');
      expect(JSON.parse(got.Policy!).Statement[0].Principal.AWS).toBe(`arn:aws:iam::${ACCOUNT}:root`);
      expect(got.PolicyName).toBe('default');
      await ok(root, new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policyAdmittingPartner() }), 'PutKeyPolicy');
      expect((await root.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy).toBe(policyAdmittingPartner());
      await fails(root, new PutKeyPolicyCommand({ KeyId: keyId, Policy: 'not json' }), MalformedPolicyDocumentException, 'MalformedPolicyDocumentException');
      const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(40_000), Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
      await fails(root, new PutKeyPolicyCommand({ KeyId: keyId, Policy: big }), LimitExceededException, 'LimitExceededException', /maximum key policy size is 32768 bytes/);
    });
  });

  describe('grants', () => {
    it('CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant; a grant token lets AppRole decrypt at once', async () => {
      const { keyId, arn } = await newKey();
      const app = s.client(KEYS.appRole);
      const adminArn = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
      const appArn = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
      const g = await ok<{ GrantId?: string; GrantToken?: string; $metadata: object }>(
        root,
        new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: appArn, RetiringPrincipal: adminArn, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { tenant: 'a' } } }),
        'CreateGrant',
      );
      expect(g.GrantId).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof g.GrantToken).toBe('string');
      const enc = await ok<{ CiphertextBlob?: Uint8Array; $metadata: object }>(app, new EncryptCommand({ KeyId: arn, Plaintext: utf8('g'), EncryptionContext: { tenant: 'a' }, GrantTokens: [g.GrantToken!] }));
      expect(enc.CiphertextBlob).toBeInstanceOf(Uint8Array);
      const listed = await ok<{ Grants?: Record<string, unknown>[]; Truncated?: boolean; $metadata: object }>(root, new ListGrantsCommand({ KeyId: keyId }), 'ListGrants');
      expect(listed.Grants).toHaveLength(1);
      expect(listed.Grants![0]).toMatchObject({ KeyId: arn, GrantId: g.GrantId, GranteePrincipal: appArn, RetiringPrincipal: adminArn, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { tenant: 'a' } } });
      expect(listed.Grants![0]!.CreationDate).toEqual(new Date(T0));
      const admin = s.client(KEYS.keyAdmin);
      const retirable = await ok<{ Grants?: Record<string, unknown>[]; $metadata: object }>(admin, new ListRetirableGrantsCommand({ RetiringPrincipal: adminArn }), 'ListRetirableGrants');
      expect(retirable.Grants!.map((x) => x.GrantId)).toEqual([g.GrantId]);
      await ok(admin, new RetireGrantCommand({ GrantToken: g.GrantToken }), 'RetireGrant');
      const g2 = await root.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: appArn, Operations: ['Decrypt'] }));
      await ok(root, new RevokeGrantCommand({ KeyId: keyId, GrantId: g2.GrantId }), 'RevokeGrant');
      expect((await root.send(new ListGrantsCommand({ KeyId: keyId }))).Grants).toEqual([]);
      await fails(root, new RevokeGrantCommand({ KeyId: keyId, GrantId: 'nope' }), InvalidGrantIdException, 'InvalidGrantIdException', 'Invalid grant ID: nope (a grant ID is 64 lowercase hexadecimal characters).');
      await fails(root, new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Nobody`, Operations: ['Decrypt'] }), InvalidArnException, 'InvalidArnException', `ARN does not refer to a valid principal: arn:aws:iam::${ACCOUNT}:role/Nobody`);
      await fails(app, new EncryptCommand({ KeyId: arn, Plaintext: utf8('g'), GrantTokens: ['not-a-token'] }), InvalidGrantTokenException, 'InvalidGrantTokenException', 'The grant token at GrantTokens position 1 is not valid.');
    });
  });

  describe('errors (§13.3)', () => {
    it('modeled errors arrive as their SDK classes with AWS messages', async () => {
      const { keyId, arn } = await newKey();
      const missing = `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;
      await fails(root, new DescribeKeyCommand({ KeyId: missing }), NotFoundException, 'NotFoundException', `Key '${missing}' does not exist`);
      await fails(root, new DecryptCommand({ CiphertextBlob: new Uint8Array(64) }), InvalidCiphertextException, 'InvalidCiphertextException');
      await fails(root, new ListKeysCommand({ Marker: 'bogus' }), InvalidMarkerException, 'InvalidMarkerException', 'The request was rejected because the marker that specifies where pagination should next begin is not valid.');
      await fails(root, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x'), DryRun: true }), DryRunOperationException, 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
      await fails(root, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), InvalidKeyUsageException, 'InvalidKeyUsageException');
      await fails(
        root,
        new CreateKeyCommand({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1234567890abcdef0' }),
        CustomKeyStoreNotFoundException,
        'CustomKeyStoreNotFoundException',
        "Custom key store 'cks-1234567890abcdef0' does not exist.",
      );
      // SM2 is offered only in the China Regions.
      await fails(root, new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' }), UnsupportedOperationException, 'UnsupportedOperationException');
      for (let i = 0; i < 10; i++) await root.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      await fails(root, new RotateKeyOnDemandCommand({ KeyId: keyId }), LimitExceededException, 'LimitExceededException', `The on-demand rotations limit has been reached for the given key: ${arn}. A key can be rotated on demand at most 10 times.`);
    });

    it('the InvalidCiphertextException body has no message, as AWS sends it (the SDK then says UnknownError)', async () => {
      const e = await fails(root, new DecryptCommand({ CiphertextBlob: new Uint8Array(64) }), InvalidCiphertextException, 'InvalidCiphertextException');
      expect(e.message).toBe('UnknownError');
      expect(s.lastTrail().errorMessage).toBe('');
    });

    it('unmodeled errors (AccessDenied, Validation, NotAuthorized) are generic KMSServiceExceptions named after __type', async () => {
      const { keyId, arn } = await newKey();
      const alice = s.client(KEYS.alice);
      await fails(
        alice,
        new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x') }),
        null,
        'AccessDeniedException',
        `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: kms:Encrypt on resource: ${arn} because no identity-based policy allows the kms:Encrypt action`,
      );
      await fails(root, new GenerateRandomCommand({ NumberOfBytes: 2000 }), null, 'ValidationException', "1 validation error detected: Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024");
      await fails(root, new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: keyId }), null, 'NotAuthorizedException', 'Cannot create alias with the reserved prefix alias/aws/: alias/aws/mine');
    });
  });

  describe('callers and Regions', () => {
    it('the access key id picks the principal; unknown ones (test/test) act as the learner root', async () => {
      const expectations: [string, string][] = [
        [KEYS.root, `arn:aws:iam::${ACCOUNT}:root`],
        ['test', `arn:aws:iam::${ACCOUNT}:root`],
        [KEYS.keyAdmin, `arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/kms-playground`],
        [KEYS.appRole, `arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/kms-playground`],
        [KEYS.alice, `arn:aws:iam::${ACCOUNT}:user/alice`],
        [KEYS.partnerApp, `arn:aws:sts::${PARTNER}:assumed-role/PartnerApp/kms-playground`],
        [KEYS.partnerRoot, `arn:aws:iam::${PARTNER}:root`],
      ];
      for (const [accessKeyId, arn] of expectations) {
        await s
          .client(accessKeyId)
          .send(new ListAliasesCommand({}))
          .catch(() => undefined);
        const rec = s.lastTrail() as TrailRecord & { userIdentity: { arn: string; accessKeyId?: string } };
        expect(rec.userIdentity.arn, accessKeyId).toBe(arn);
        expect(rec.userIdentity.accessKeyId, accessKeyId).toBe(accessKeyId);
      }
    });

    it('KeyAdmin administers but cannot encrypt; AppRole encrypts but cannot create keys; each in its own words', async () => {
      const admin = s.client(KEYS.keyAdmin);
      const app = s.client(KEYS.appRole);
      const { keyId, arn } = await newKey(admin);
      await ok(admin, new DisableKeyCommand({ KeyId: keyId }));
      await ok(admin, new EnableKeyCommand({ KeyId: keyId }));
      await fails(
        admin,
        new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x') }),
        null,
        'AccessDeniedException',
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/kms-playground is not authorized to perform: kms:Encrypt on resource: ${arn} because no identity-based policy allows the kms:Encrypt action`,
      );
      const enc = await ok<{ CiphertextBlob?: Uint8Array; $metadata: object }>(app, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('app') }));
      expect(new TextDecoder().decode((await app.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext)).toBe('app');
      await fails(app, new CreateKeyCommand({}), null, 'AccessDeniedException', /^User: arn:aws:sts::111122223333:assumed-role\/AppRole\/kms-playground is not authorized to perform: kms:CreateKey on resource: /);
    });

    it('PartnerApp decrypts a learner ciphertext only once the key policy admits its account; the partner root makes keys in its own account', async () => {
      const { keyId, arn } = await newKey();
      const partner = s.client(KEYS.partnerApp);
      const enc = await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: utf8('shared') }));
      await fails(partner, new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }), null, 'AccessDeniedException', new RegExp(`^User: arn:aws:sts::${PARTNER}:assumed-role/PartnerApp/kms-playground is not authorized to perform: kms:Decrypt on resource: ${arn}`));
      await root.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policyAdmittingPartner() }));
      const dec = await ok<{ Plaintext?: Uint8Array; KeyId?: string; $metadata: object }>(partner, new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
      expect(new TextDecoder().decode(dec.Plaintext)).toBe('shared');
      expect(dec.KeyId).toBe(arn);
      // A bare key id never resolves across accounts (§14.8).
      await fails(partner, new DescribeKeyCommand({ KeyId: keyId }), NotFoundException, 'NotFoundException');
      const own = await newKey(s.client(KEYS.partnerRoot));
      expect(own.arn).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${PARTNER}:key/`));
    });

    it('the Region comes from the client config: a key made in eu-west-1 is not found from us-east-1', async () => {
      const eu = s.client(KEYS.root, 'eu-west-1');
      const { keyId, arn } = await newKey(eu);
      expect(arn).toMatch(new RegExp(`^arn:aws:kms:eu-west-1:${ACCOUNT}:key/`));
      expect(s.lastTrail().awsRegion).toBe('eu-west-1');
      const enc = await ok<{ KeyId?: string; $metadata: object }>(eu, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('eu') }));
      expect(enc.KeyId).toBe(arn);
      await fails(root, new DescribeKeyCommand({ KeyId: keyId }), NotFoundException, 'NotFoundException', new RegExp(`^Key '(arn:aws:kms:us-east-1:${ACCOUNT}:key/)?${keyId}' does not exist$`));
      await fails(root, new DescribeKeyCommand({ KeyId: arn }), NotFoundException, 'NotFoundException', `Key '${arn}' does not exist`);
      const usKeys = await root.send(new ListKeysCommand({}));
      expect(usKeys.Keys!.map((k) => k.KeyId)).not.toContain(keyId);
      const ap = s.client(KEYS.root, 'ap-southeast-2');
      expect((await newKey(ap)).arn).toMatch(/^arn:aws:kms:ap-southeast-2:/);
    });
  });

  describe('the key zoo (issue 7)', () => {
    type Out = Record<string, unknown> & { $metadata: object };
    const bytes = (v: unknown) => {
      expect(v).toBeInstanceOf(Uint8Array);
      return v as Uint8Array;
    };
    const spki = (der: Uint8Array) => createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });

    it('Sign, Verify, GetPublicKey (ECC_NIST_P256): DER signatures that node:crypto verifies; a bad signature is KMSInvalidSignatureException', async () => {
      const { keyId, arn } = await newKey(root, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      const message = utf8('release manifest v1.0');
      const signed = await ok<Out>(root, new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }), 'Sign');
      expect(signed).toMatchObject({ KeyId: arn, SigningAlgorithm: 'ECDSA_SHA_256' });
      const signature = bytes(signed.Signature);
      expect(signature[0]).toBe(0x30); // DER SEQUENCE
      const pub = await ok<Out>(root, new GetPublicKeyCommand({ KeyId: keyId }), 'GetPublicKey');
      expect(pub).toMatchObject({ KeyId: arn, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
      expect(verifyOffline('sha256', message, spki(bytes(pub.PublicKey)), signature)).toBe(true);
      const verified = await ok<Out>(root, new VerifyCommand({ KeyId: keyId, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }), 'Verify');
      expect(verified).toMatchObject({ KeyId: arn, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });
      // DIGEST: the caller hashes; the signature is the same kind of signature over the same message.
      const digest = new Uint8Array(createHash('sha256').update(message).digest());
      const byDigest = await ok<Out>(root, new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
      expect(verifyOffline('sha256', message, spki(bytes(pub.PublicKey)), bytes(byDigest.Signature))).toBe(true);
      const tampered = Uint8Array.from(signature);
      tampered[tampered.length - 1]! ^= 1;
      await fails(root, new VerifyCommand({ KeyId: keyId, Message: message, Signature: tampered, SigningAlgorithm: 'ECDSA_SHA_256' }), KMSInvalidSignatureException, 'KMSInvalidSignatureException');
      await fails(root, new EncryptCommand({ KeyId: keyId, Plaintext: message }), InvalidKeyUsageException, 'InvalidKeyUsageException');
    });

    it('GenerateMac, VerifyMac (HMAC_256); a wrong MAC is KMSInvalidMacException', async () => {
      const { keyId, arn } = await newKey(root, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      const message = utf8('webhook body');
      const made = await ok<Out>(root, new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }), 'GenerateMac');
      expect(made).toMatchObject({ KeyId: arn, MacAlgorithm: 'HMAC_SHA_256' });
      const mac = bytes(made.Mac);
      expect(mac).toHaveLength(32);
      const checked = await ok<Out>(root, new VerifyMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac: mac }), 'VerifyMac');
      expect(checked).toMatchObject({ KeyId: arn, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' });
      await fails(root, new VerifyMacCommand({ KeyId: keyId, Message: utf8('webhook body!'), MacAlgorithm: 'HMAC_SHA_256', Mac: mac }), KMSInvalidMacException, 'KMSInvalidMacException');
      await fails(root, new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_512' }), InvalidKeyUsageException, 'InvalidKeyUsageException');
    });

    it('RSA_2048 Encrypt/Decrypt: data encrypted offline with the public key (OAEP SHA-256) decrypts with KMS', async () => {
      const { keyId, arn } = await newKey(root, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      const pub = await root.send(new GetPublicKeyCommand({ KeyId: keyId }));
      expect(pub.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
      const offline = publicEncrypt({ key: spki(bytes(pub.PublicKey)), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, utf8('offline secret'));
      const dec = await ok<Out>(root, new DecryptCommand({ KeyId: keyId, CiphertextBlob: new Uint8Array(offline), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'Decrypt');
      expect(new TextDecoder().decode(bytes(dec.Plaintext))).toBe('offline secret');
      expect(dec).toMatchObject({ KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      const enc = await ok<Out>(root, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }), 'Encrypt');
      expect(bytes(enc.CiphertextBlob)).toHaveLength(256);
      // RSA_2048 with OAEP SHA-256 takes at most 190 bytes.
      await fails(root, new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), null, 'ValidationException');
    });

    it('GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext: DER key pairs, the private key encrypted under the KMS key', async () => {
      const { keyId, arn } = await newKey();
      const pair = await ok<Out>(root, new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: { use: 'pair' } }), 'GenerateDataKeyPair');
      expect(pair).toMatchObject({ KeyId: arn, KeyPairSpec: 'ECC_NIST_P256' });
      const privateKey = createPrivateKey({ key: Buffer.from(bytes(pair.PrivateKeyPlaintext)), format: 'der', type: 'pkcs8' });
      expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).toEqual(Buffer.from(bytes(pair.PublicKey)));
      const back = await root.send(new DecryptCommand({ CiphertextBlob: bytes(pair.PrivateKeyCiphertextBlob), EncryptionContext: { use: 'pair' } }));
      expect(back.Plaintext).toEqual(pair.PrivateKeyPlaintext);
      const noPlain = await ok<Out>(root, new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P384' }), 'GenerateDataKeyPairWithoutPlaintext');
      expect(noPlain.PrivateKeyPlaintext).toBeUndefined();
      expect(spki(bytes(noPlain.PublicKey)).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
      bytes(noPlain.PrivateKeyCiphertextBlob);
    });

    it('DeriveSharedSecret (ECDH): the secret node:crypto derives from the KMS public key and the peer private key', async () => {
      const { keyId, arn } = await newKey(root, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
      const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const derived = await ok<Out>(
        root,
        new DeriveSharedSecretCommand({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: new Uint8Array(peer.publicKey.export({ type: 'spki', format: 'der' })) }),
        'DeriveSharedSecret',
      );
      expect(derived).toMatchObject({ KeyId: arn, KeyAgreementAlgorithm: 'ECDH' });
      const pub = await root.send(new GetPublicKeyCommand({ KeyId: keyId }));
      expect(pub.KeyAgreementAlgorithms).toEqual(['ECDH']);
      const mine = diffieHellman({ privateKey: peer.privateKey, publicKey: spki(bytes(pub.PublicKey)) });
      expect(Buffer.from(bytes(derived.SharedSecret))).toEqual(mine);
    });

    it('Encapsulate, Decapsulate (ML_KEM_768), and an offline encapsulation with the public key that KMS decapsulates', async () => {
      const { keyId, arn } = await newKey(root, { KeySpec: 'ML_KEM_768', KeyUsage: 'ENCAPSULATE_DECAPSULATE' });
      const enc = await ok<Out>(root, new EncapsulateCommand({ KeyId: keyId, EncapsulationAlgorithm: 'ML_KEM' }), 'Encapsulate');
      expect(enc).toMatchObject({ KeyId: arn, EncapsulationAlgorithm: 'ML_KEM' });
      expect(bytes(enc.SharedSecret)).toHaveLength(32);
      const dec = await ok<Out>(root, new DecapsulateCommand({ KeyId: keyId, SharedSecretCiphertextBlob: bytes(enc.SharedSecretCiphertextBlob), EncapsulationAlgorithm: 'ML_KEM' }), 'Decapsulate');
      expect(dec.SharedSecret).toEqual(enc.SharedSecret);
      // The raw ML-KEM-768 public key ends the DER SubjectPublicKeyInfo (1184 bytes).
      const pub = bytes((await root.send(new GetPublicKeyCommand({ KeyId: keyId }))).PublicKey);
      const offline = ml_kem768.encapsulate(pub.slice(-1184));
      const back = await root.send(new DecapsulateCommand({ KeyId: keyId, SharedSecretCiphertextBlob: offline.cipherText, EncapsulationAlgorithm: 'ML_KEM' }));
      expect(back.SharedSecret).toEqual(offline.sharedSecret);
    });

    it('GetParametersForImport, ImportKeyMaterial (with ValidTo), DeleteImportedKeyMaterial; other material, and an expired token', async () => {
      const { keyId, arn } = await newKey(root, { Origin: 'EXTERNAL' });
      expect((await root.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('PendingImport');
      const params = await ok<Out>(root, new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }), 'GetParametersForImport');
      expect(params.KeyId).toBe(arn);
      expect(params.ParametersValidTo).toEqual(new Date(T0 + DAY));
      const wrap = (p: Out, material: Uint8Array) =>
        new Uint8Array(publicEncrypt({ key: spki(bytes(p.PublicKey)), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material));
      const material = new Uint8Array(32).fill(42);
      const validTo = new Date(T0 + 30 * DAY);
      await ok(
        root,
        new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: bytes(params.ImportToken), EncryptedKeyMaterial: wrap(params, material), ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo }),
        'ImportKeyMaterial',
      );
      const meta = (await root.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
      expect(meta).toMatchObject({ KeyState: 'Enabled', Origin: 'EXTERNAL', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
      expect(meta.ValidTo).toEqual(validTo);
      const enc = await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: utf8('imported') }));
      expect(new TextDecoder().decode((await root.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext)).toBe('imported');
      // Only the same material can be imported again.
      const again = await root.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
      await fails(
        root,
        new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: again.ImportToken, EncryptedKeyMaterial: wrap(again as Out, new Uint8Array(32).fill(7)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        IncorrectKeyMaterialException,
        'IncorrectKeyMaterialException',
      );
      await fails(
        root,
        new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: utf8('not a token'), EncryptedKeyMaterial: wrap(again as Out, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        InvalidImportTokenException,
        'InvalidImportTokenException',
      );
      await ok(root, new DeleteImportedKeyMaterialCommand({ KeyId: keyId }), 'DeleteImportedKeyMaterial');
      expect((await root.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('PendingImport');
      // The import token expires after 24 sandbox hours.
      const late = await root.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
      await s.service.advanceClock(DAY + 1000);
      await fails(
        root,
        new ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: late.ImportToken, EncryptedKeyMaterial: wrap(late as Out, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
        ExpiredImportTokenException,
        'ExpiredImportTokenException',
      );
    });

    it('ReplicateKey, UpdatePrimaryRegion: an mrk- key, its replica decrypts what the primary encrypted', async () => {
      const { keyId, arn } = await newKey(root, { MultiRegion: true, Description: 'mrk' });
      expect(keyId).toMatch(/^mrk-[0-9a-f]{32}$/);
      const eu = s.client(KEYS.root, 'eu-west-1');
      const rep = await ok<Out>(root, new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1', Description: 'replica', Tags: [{ TagKey: 'r', TagValue: 'eu' }] }), 'ReplicateKey');
      const replica = rep.ReplicaKeyMetadata as Record<string, unknown>;
      expect(replica).toMatchObject({ KeyId: keyId, Arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}`, Description: 'replica', MultiRegion: true });
      expect(replica.CreationDate).toBeInstanceOf(Date);
      expect(typeof rep.ReplicaPolicy).toBe('string');
      expect(rep.ReplicaTags).toEqual([{ TagKey: 'r', TagValue: 'eu' }]);
      await s.service.advanceClock(60_000); // the replica leaves Creating
      const enc = await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: utf8('across Regions') }));
      const dec = await eu.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
      expect(new TextDecoder().decode(dec.Plaintext)).toBe('across Regions');
      expect(dec.KeyId).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}`);
      await ok(root, new UpdatePrimaryRegionCommand({ KeyId: arn, PrimaryRegion: 'eu-west-1' }), 'UpdatePrimaryRegion');
      await s.service.advanceClock(60_000); // the update ends
      const now = (await eu.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.MultiRegionConfiguration!;
      expect(now.MultiRegionKeyType).toBe('PRIMARY');
      expect(now.PrimaryKey).toEqual({ Arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}`, Region: 'eu-west-1' });
    });

    it('CreateCustomKeyStore, ConnectCustomKeyStore, DescribeCustomKeyStores, DisconnectCustomKeyStore, UpdateCustomKeyStore, DeleteCustomKeyStore', async () => {
      const xks = (name: string, path: string) =>
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: name,
          CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
          XksProxyUriEndpoint: 'https://xks.example.com',
          XksProxyUriPath: path,
          XksProxyConnectivity: 'PUBLIC_ENDPOINT',
          XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) },
        });
      const created = await ok<Out>(root, xks('orders-xks', '/kms/xks/v1'), 'CreateCustomKeyStore');
      const storeId = created.CustomKeyStoreId as string;
      expect(storeId).toMatch(/^cks-[0-9a-f]{17}$/);
      await fails(root, xks('orders-xks', '/other/kms/xks/v1'), CustomKeyStoreNameInUseException, 'CustomKeyStoreNameInUseException');
      const described = await ok<Out>(root, new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: storeId }), 'DescribeCustomKeyStores');
      const store = (described.CustomKeyStores as Record<string, unknown>[])[0]!;
      expect(store).toMatchObject({ CustomKeyStoreId: storeId, CustomKeyStoreName: 'orders-xks', CustomKeyStoreType: 'EXTERNAL_KEY_STORE', ConnectionState: 'DISCONNECTED' });
      expect(store.CreationDate).toEqual(new Date(T0));
      expect(store.XksProxyConfiguration).toMatchObject({ Connectivity: 'PUBLIC_ENDPOINT', AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', UriEndpoint: 'https://xks.example.com', UriPath: '/kms/xks/v1' });
      expect(JSON.stringify(s.trail())).not.toContain('a'.repeat(43));
      await ok(root, new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }), 'ConnectCustomKeyStore');
      const { keyId, arn } = await newKey(root, { Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: storeId, XksKeyId: 'orders-external-key' });
      await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: utf8('in the store') }));
      await ok(root, new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }), 'DisconnectCustomKeyStore');
      await fails(root, new EncryptCommand({ KeyId: keyId, Plaintext: utf8('x') }), KMSInvalidStateException, 'KMSInvalidStateException', `${arn} is unavailable.`);
      await ok(root, new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, NewCustomKeyStoreName: 'orders-xks-2' }), 'UpdateCustomKeyStore');
      expect((await root.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreName: 'orders-xks-2' }))).CustomKeyStores![0]!.CustomKeyStoreId).toBe(storeId);
      await fails(root, new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: storeId }), CustomKeyStoreHasCMKsException, 'CustomKeyStoreHasCMKsException');
      // Simulator convention: a proxy in the .invalid domain never answers.
      const unreachable = new CreateCustomKeyStoreCommand({ ...xks('down-xks', '/down/kms/xks/v1').input, XksProxyUriEndpoint: 'https://proxy.example.invalid' });
      await fails(root, unreachable, XksProxyUriUnreachableException, 'XksProxyUriUnreachableException');
      const empty = await root.send(xks('empty-xks', '/empty/kms/xks/v1'));
      // A connected store cannot be deleted.
      await root.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: empty.CustomKeyStoreId }));
      await fails(root, new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: empty.CustomKeyStoreId }), CustomKeyStoreInvalidStateException, 'CustomKeyStoreInvalidStateException');
      await root.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: empty.CustomKeyStoreId }));
      await ok(root, new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: empty.CustomKeyStoreId }), 'DeleteCustomKeyStore');
      await fails(
        root,
        new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: empty.CustomKeyStoreId }),
        CustomKeyStoreNotFoundException,
        'CustomKeyStoreNotFoundException',
        `Custom key store '${empty.CustomKeyStoreId}' does not exist.`,
      );
    });
  });

  it('covers every operation of OPERATIONS with a successful SDK call', () => {
    for (const r of s.trail()) if (r.errorCode === undefined) covered.add(r.eventName);
    expect([...OPERATIONS].filter((op) => !covered.has(op))).toEqual([]);
  });
});

describe.each(['in-process', 'http'] as const)('server faults over %s (§13.3)', (transport) => {
  it('a bug in the service reaches the SDK as KMSInternalException: status 500, $fault server, retried, no details', async () => {
    const h = await makeHarness();
    let calls = 0;
    const broken: KmsService = {
      ...h.service,
      world: h.service.world,
      call: async () => {
        calls++;
        throw new TypeError('secret detail at /work/main/src/kms/service.ts:1:1');
      },
    };
    const wire = createWireHandler(broken);
    const server = transport === 'http' ? await startForwardingServer(wire) : undefined;
    const client = new KMSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: KEYS.root, secretAccessKey: 'x' },
      maxAttempts: 2,
      ...(server ? { endpoint: server.url } : { requestHandler: createSdkRequestHandler(wire) }),
    });
    try {
      const e = (await client.send(new ListKeysCommand({})).catch((x: unknown) => x)) as KMSInternalException;
      expect(e).toBeInstanceOf(KMSInternalException);
      expect(e.$fault).toBe('server');
      expect(e.$metadata.httpStatusCode).toBe(500);
      expect(e.$metadata.attempts).toBe(2);
      expect(calls).toBe(2);
      expect(e.message).toBe('The request was rejected because an internal exception occurred. The request can be retried.');
    } finally {
      client.destroy();
      await server?.close();
    }
  });
});

