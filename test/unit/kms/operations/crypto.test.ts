import { describe, expect, it } from 'vitest';
import { ACCOUNT, PARTNER, REGION, callerIn, makeHarness, text, utf8 } from '../harness';

describe('Encrypt', () => {
  it('returns the key ARN in KeyId for every KeyId form', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    await h.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: keyId });
    const aliasArn = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app`;
    for (const KeyId of [keyId, arn, 'alias/app', aliasArn]) {
      const r = await h.call('Encrypt', { KeyId, Plaintext: utf8('x') });
      expect(r.KeyId).toBe(arn);
      expect(r.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      expect(r.CiphertextBlob).toBeInstanceOf(Uint8Array);
    }
  });

  it('enforces 1–4,096 bytes of plaintext', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(4096) });
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(4097) })).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    });
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(0) })).message).toMatch(/greater than or equal to 1/);
    expect((await h.fail('Encrypt', { KeyId: keyId })).message).toMatch(/Value null at 'plaintext' failed to satisfy constraint: Member must not be null/);
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: 'not bytes' })).name).toBe('ValidationException');
  });

  it('refuses a non-symmetric algorithm and answers DryRun', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).name).toBe('InvalidKeyUsageException');
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), DryRun: true })).name).toBe('DryRunOperationException');
    const last = h.repo.list('trailEvent').at(-1)!.record;
    expect(last.errorCode).toBe('DryRunOperationException');
  });

  it('answers NotFoundException for unknown keys and aliases', async () => {
    const h = await makeHarness();
    const missing = '11111111-2222-4333-8444-555555555555';
    expect(await h.fail('Encrypt', { KeyId: missing, Plaintext: utf8('x') })).toEqual({
      name: 'NotFoundException',
      message: `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${missing}' does not exist`,
    });
    expect(await h.fail('Encrypt', { KeyId: 'alias/nope', Plaintext: utf8('x') })).toEqual({
      name: 'NotFoundException',
      message: `Alias arn:aws:kms:${REGION}:${ACCOUNT}:alias/nope is not found.`,
    });
    expect((await h.fail('Encrypt', { KeyId: 'not-a-key', Plaintext: utf8('x') })).name).toBe('NotFoundException');
    expect((await h.fail('Encrypt', { KeyId: 'arn:aws:s3:::bucket', Plaintext: utf8('x') })).name).toBe('InvalidArnException');
  });
});

describe('Decrypt', () => {
  it('needs no KeyId, answers KeyMaterialId, and IncorrectKeyException when KeyId names another key', async () => {
    const h = await makeHarness();
    const a = await h.createKey();
    const b = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: a.keyId, Plaintext: utf8('secret') });
    const dec = await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    expect(text(dec.Plaintext)).toBe('secret');
    expect(dec.KeyId).toBe(a.arn);
    expect(dec.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(dec.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: a.arn })).KeyId).toBe(a.arn);
    expect(await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: b.keyId })).toEqual({
      name: 'IncorrectKeyException',
      message: 'The key ID in the request does not identify a CMK that can perform this operation.',
    });
  });

  it('needs the exact encryption context', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('p'), EncryptionContext: { tenant: 'a', app: 'b' } });
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'b', tenant: 'a' } })).Plaintext)).toBe('p');
    for (const EncryptionContext of [undefined, {}, { tenant: 'a' }, { tenant: 'A', app: 'b' }, { tenant: 'a', app: 'b', x: 'y' }]) {
      expect((await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext })).name).toBe('InvalidCiphertextException');
    }
  });

  it('rejects garbage and foreign ciphertext with InvalidCiphertextException', async () => {
    const h = await makeHarness();
    await h.createKey();
    expect((await h.fail('Decrypt', { CiphertextBlob: utf8('definitely not a blob') })).name).toBe('InvalidCiphertextException');
    const other = await makeHarness({ seed: 99 });
    const k = await other.createKey();
    const foreign = await other.call('Encrypt', { KeyId: k.keyId, Plaintext: utf8('x') });
    expect((await h.fail('Decrypt', { CiphertextBlob: foreign.CiphertextBlob })).name).toBe('InvalidCiphertextException');
    expect((await h.fail('Decrypt', { CiphertextBlob: new Uint8Array(6145) })).name).toBe('ValidationException');
  });

  it('cannot decrypt while the key is disabled or pending deletion (AWS §1.4)', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('p') });
    await h.call('DisableKey', { KeyId: keyId });
    expect(await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob })).toEqual({ name: 'DisabledException', message: `${arn} is disabled.` });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect(await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob })).toEqual({
      name: 'KMSInvalidStateException',
      message: `${arn} is pending deletion.`,
    });
  });

  it('decrypts a partner key by ARN only when the key belongs to another account', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    const admitPartner = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DisableKey'], Resource: '*' },
      ],
    };
    await h.call('PutKeyPolicy', { KeyId: keyId, Policy: JSON.stringify(admitPartner) });
    const partner = callerIn(PARTNER);
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, partner)).name).toBe('NotFoundException');
    const enc = await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('x') }, partner);
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, partner)).Plaintext)).toBe('x');
    expect((await h.fail('DisableKey', { KeyId: arn }, partner)).name).toBe('AccessDeniedException');
    expect((await h.fail('DescribeKey', { KeyId: arn }, callerIn(ACCOUNT, 'eu-west-1'))).name).toBe('NotFoundException');
  });
});

describe('GenerateDataKey', () => {
  it('returns a data key and its ciphertext that Decrypt opens', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    for (const [req, n] of [[{ KeySpec: 'AES_256' }, 32], [{ KeySpec: 'AES_128' }, 16], [{ NumberOfBytes: 1 }, 1], [{ NumberOfBytes: 1024 }, 1024]] as const) {
      const r = await h.call('GenerateDataKey', { KeyId: keyId, EncryptionContext: { f: 'g' }, ...req });
      expect((r.Plaintext as Uint8Array).length).toBe(n);
      expect(r.KeyId).toBe(arn);
      const d = await h.call('Decrypt', { CiphertextBlob: r.CiphertextBlob, EncryptionContext: { f: 'g' } });
      expect(d.Plaintext).toEqual(r.Plaintext);
      expect(d.KeyMaterialId).toBe(r.KeyMaterialId);
    }
  });

  it('needs exactly one of KeySpec and NumberOfBytes', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    expect((await h.fail('GenerateDataKey', { KeyId: keyId })).message).toBe('Please specify either number of bytes or key spec.');
    expect((await h.fail('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: 32 })).name).toBe('ValidationException');
    expect(await h.fail('GenerateDataKey', { KeyId: keyId, NumberOfBytes: 2000 })).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    });
    expect((await h.fail('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_512' })).message).toMatch(/enum value set: \[AES_256, AES_128\]/);
  });

  it('WithoutPlaintext omits the plaintext', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const r = await h.call('GenerateDataKeyWithoutPlaintext', { KeyId: keyId, KeySpec: 'AES_256' });
    expect(r.Plaintext).toBeUndefined();
    expect(((await h.call('Decrypt', { CiphertextBlob: r.CiphertextBlob })).Plaintext as Uint8Array).length).toBe(32);
  });
});

describe('GenerateRandom', () => {
  it('returns 1–1024 random bytes', async () => {
    const h = await makeHarness();
    expect(((await h.call('GenerateRandom', { NumberOfBytes: 64 })).Plaintext as Uint8Array).length).toBe(64);
    expect((await h.fail('GenerateRandom', { NumberOfBytes: 0 })).name).toBe('ValidationException');
    expect((await h.fail('GenerateRandom', { NumberOfBytes: 1025 })).name).toBe('ValidationException');
    expect((await h.fail('GenerateRandom', {})).name).toBe('ValidationException');
    expect(h.repo.list('trailEvent').at(0)!.record.resources).toBeUndefined();
  });
});

describe('ReEncrypt', () => {
  it('moves ciphertext to another key and context', async () => {
    const h = await makeHarness();
    const a = await h.createKey();
    const b = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: a.keyId, Plaintext: utf8('move me'), EncryptionContext: { v: '1' } });
    const re = await h.call('ReEncrypt', {
      CiphertextBlob: enc.CiphertextBlob,
      SourceEncryptionContext: { v: '1' },
      DestinationKeyId: b.keyId,
      DestinationEncryptionContext: { v: '2' },
    });
    expect(re).toMatchObject({ SourceKeyId: a.arn, KeyId: b.arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(text((await h.call('Decrypt', { CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } })).Plaintext)).toBe('move me');
    const rec = h.repo.list('trailEvent').at(-2)!.record;
    expect(rec.resources?.map((r) => r.ARN).sort()).toEqual([a.arn, b.arn].sort());
    await h.call('DisableKey', { KeyId: b.keyId });
    expect((await h.fail('ReEncrypt', { CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: b.keyId })).name).toBe('DisabledException');
  });
});

describe('Regions and malformed requests', () => {
  it('a blob from another Region does not decrypt here', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('x') });
    expect((await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, callerIn(ACCOUNT, 'eu-west-1'))).name).toBe('InvalidCiphertextException');
  });

  it('answers ValidationException for a request that is not an object, and still records it', async () => {
    const h = await makeHarness();
    for (const bad of [null, 'x', [1], 42]) {
      expect((await h.fail('ListKeys', bad as never)).name).toBe('ValidationException');
    }
    expect(h.repo.list('trailEvent')).toHaveLength(4);
  });
});
