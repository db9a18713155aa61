import { describe, expect, it } from 'vitest';
import { defaultKeyPolicy, nobleBackend } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { toTrailRecord } from '../../../../src/trail';
import { ACCOUNT, REGION, T0, makeHarness } from '../harness';

describe('CreateKey', () => {
  it('creates an Enabled SYMMETRIC_DEFAULT key with AWS defaults', async () => {
    const h = await makeHarness();
    const r = await h.call('CreateKey', {});
    const m = r.KeyMetadata as Record<string, unknown>;
    expect(m.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m).toMatchObject({
      AWSAccountId: ACCOUNT,
      Arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${m.KeyId as string}`,
      Enabled: true,
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    });
    expect(m.CreationDate).toEqual(new Date(T0));
    expect(m.CurrentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(m.DeletionDate).toBeUndefined();
  });

  it('attaches the default key policy byte for byte', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const p = await h.call('GetKeyPolicy', { KeyId: keyId });
    expect(p.Policy).toBe(defaultKeyPolicy(ACCOUNT));
    expect(p.Policy).toContain('"Sid" : "Enable IAM User Permissions"');
    expect(p.PolicyName).toBe('default');
  });

  it('stores Description, Tags and a custom Policy verbatim', async () => {
    const h = await makeHarness();
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    });
    const { keyId } = await h.createKey({ Description: 'orders', Tags: [{ TagKey: 'team', TagValue: 'pay' }], Policy: policy });
    expect((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ Description: 'orders' });
    expect((await h.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([{ TagKey: 'team', TagValue: 'pay' }]);
    expect((await h.call('GetKeyPolicy', { KeyId: keyId })).Policy).toBe(policy);
  });

  it('validates members with the model wording', async () => {
    const h = await makeHarness();
    expect(await h.fail('CreateKey', { Description: 'x'.repeat(8193) })).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192$/),
    });
    expect(await h.fail('CreateKey', { KeySpec: 'AES_999', KeyUsage: 'NOPE' })).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^2 validation errors detected: Value 'NOPE' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: \[SIGN_VERIFY, .*\]; Value 'AES_999' at 'keySpec'/),
    });
    expect((await h.fail('CreateKey', { KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' })).name).toBe('ValidationException');
    expect((await h.fail('CreateKey', { KeyUsage: 'SIGN_VERIFY' })).name).toBe('ValidationException');
    expect((await h.fail('CreateKey', { KeySpec: 'RSA_2048' })).message).toMatch(/KeyUsage is required/);
    expect((await h.fail('CreateKey', { Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })).name).toBe('TagException');
  });

  it('creates keys of every spec and usage §4.1 allows, with the algorithms AWS reports', async () => {
    const h = await makeHarness();
    const cases: [string, string, Record<string, unknown>][] = [
      ['HMAC_224', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_224'] }],
      ['HMAC_512', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_512'] }],
      ['ECC_NIST_P256', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
      ['ECC_NIST_P384', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }],
      ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
      ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }],
      ['RSA_2048', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
    ];
    for (const [KeySpec, KeyUsage, algorithms] of cases) {
      const m = (await h.call('CreateKey', { KeySpec, KeyUsage })).KeyMetadata as Record<string, unknown>;
      expect(m, KeySpec).toMatchObject({ KeySpec, KeyUsage, KeyState: 'Enabled', Origin: 'AWS_KMS', ...algorithms });
      if (KeySpec !== 'ECC_NIST_EDWARDS25519') expect(m.CustomerMasterKeySpec).toBe(KeySpec);
      else expect(m.CustomerMasterKeySpec).toBeUndefined();
      for (const other of ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'].filter((k) => !(k in algorithms))) {
        expect(m[other], `${KeySpec} ${other}`).toBeUndefined();
      }
    }
  });

  it('refuses usages a spec does not allow, a missing KeyUsage, and SM2 outside the China Regions as AWS does', async () => {
    const h = await makeHarness();
    expect(await h.fail('CreateKey', { KeySpec: 'HMAC_256' })).toMatchObject({ name: 'ValidationException', message: 'KeyUsage is required for KeySpec HMAC_256.' });
    expect(await h.fail('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'ENCRYPT_DECRYPT' })).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/^KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_256/) });
    expect((await h.fail('CreateKey', { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'KEY_AGREEMENT' })).name).toBe('ValidationException');
    expect((await h.fail('CreateKey', { KeyUsage: 'SIGN_VERIFY' })).name).toBe('ValidationException');
    expect(await h.fail('CreateKey', { KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' })).toMatchObject({ name: 'UnsupportedOperationException', message: 'KeySpec SM2 is not supported in this Region' });
    expect((await h.fail('CreateKey', { XksKeyId: 'abc' })).name).toBe('ValidationException');
    expect((await h.fail('CreateKey', { CustomKeyStoreId: 'cks-1234567890abcdef0' })).name).toBe('ValidationException');
    expect((await h.call('ListKeys')).Keys).toEqual([]);
  });

  it('creates an EXTERNAL key PendingImport without material, and a multi-Region primary with an mrk- id', async () => {
    const h = await makeHarness();
    const ext = (await h.call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata as Record<string, unknown>;
    expect(ext).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false });
    expect(ext.CurrentKeyMaterialId).toBeUndefined();
    expect(h.repo.list('material').filter((m) => m.keyArn === ext.Arn)).toEqual([]);
    const mrk = (await h.call('CreateKey', { MultiRegion: true, Description: 'global' })).KeyMetadata as Record<string, unknown>;
    expect(mrk.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(mrk).toMatchObject({
      MultiRegion: true,
      MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: mrk.Arn, Region: REGION }, ReplicaKeys: [] },
    });
  });

  it('derives ECC keys from the seed, and records RSA keys (WebCrypto) so a replay of the log rebuilds both', async () => {
    const h = await makeHarness();
    const ecc = (await h.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata as { Arn: string };
    const rsa = (await h.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata as { Arn: string };
    const log = h.repo.list('logEntry').map((r) => r.entry);
    const entries = log.filter((e) => e.kind === 'call' && e.operation === 'CreateKey');
    expect(entries.map((e) => (e.kind === 'call' ? Object.keys(e.recorded ?? {}) : []))).toEqual([[], ['privateKey']]);
    const r = await replayLog(log, { seed: h.repo.get('meta', 'sandbox')!.seed, startTime: h.repo.get('meta', 'sandbox')!.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(r.detail);
    for (const arn of [ecc.Arn, rsa.Arn]) {
      const [mine] = h.repo.list('material').filter((m) => m.keyArn === arn);
      const [replayed] = r.repository.list('material').filter((m) => m.keyArn === arn);
      expect(replayed!.material, arn).toEqual(mine!.material);
    }
  });

  it('rejects malformed and oversized policies', async () => {
    const h = await makeHarness();
    expect(await h.fail('CreateKey', { Policy: '{"Statement": [' })).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: expect.stringMatching(/not valid JSON/),
    });
    expect((await h.fail('CreateKey', { Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Principal":"*","Action":"kms:*","Resource":"*"}]}' })).message).toMatch(/Effect must be/);
    expect((await h.fail('CreateKey', { Policy: '{"Version":"2012-10-17","Bogus":1,"Statement":[]}' })).message).toMatch(/Unknown policy element "Bogus"/);
    const big = JSON.stringify({ Version: '2012-10-17', Id: 'x'.repeat(33_000), Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] });
    expect((await h.fail('CreateKey', { Policy: big })).name).toBe('LimitExceededException');
    expect((await h.call('ListKeys')).Keys).toEqual([]);
  });
});
