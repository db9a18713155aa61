import { describe, expect, it } from 'vitest';
import { defaultKeyPolicy } from '../../../../src/kms';
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

  it('answers key specs, origins and multi-Region keys honestly as not yet supported', async () => {
    const h = await makeHarness();
    for (const req of [
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { Origin: 'EXTERNAL' },
      { MultiRegion: true },
    ]) {
      const e = await h.fail('CreateKey', req);
      expect(e.name).toBe('UnsupportedOperationException');
      expect(e.message).toMatch(/not supported by this simulator yet/);
    }
    expect((await h.fail('CreateKey', { CustomKeyStoreId: 'cks-1234567890abcdef0' })).name).toBe('CustomKeyStoreNotFoundException');
    expect((await h.call('ListKeys')).Keys).toEqual([]);
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
