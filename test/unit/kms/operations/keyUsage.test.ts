/**
 * Key usage rules across the symmetric operations (§1.5 end, §2.2, §4.2): which key types each
 * operation takes, with AWS's exception and message, and UpdateAlias's same-type-and-usage rule.
 */
import { describe, expect, it } from 'vitest';
import { makeHarness, utf8, type Harness } from '../harness';

async function zoo(h: Harness) {
  return {
    sym: await h.createKey(),
    rsaEnc: await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
    eccSign: await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    eccAgree: await h.createKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' }),
    hmac: await h.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
  };
}

describe('key usage in Encrypt, Decrypt, ReEncrypt and the data key operations', () => {
  it('Encrypt with a SIGN_VERIFY, KEY_AGREEMENT or HMAC key is InvalidKeyUsageException naming the usage and Encrypt', async () => {
    const h = await makeHarness();
    const z = await zoo(h);
    for (const [k, usage] of [[z.eccSign, 'SIGN_VERIFY'], [z.eccAgree, 'KEY_AGREEMENT'], [z.hmac, 'GENERATE_VERIFY_MAC']] as const) {
      expect(await h.fail('Encrypt', { KeyId: k.keyId, Plaintext: utf8('x') })).toEqual({
        name: 'InvalidKeyUsageException',
        message: `${k.arn} key usage is ${usage} which is not valid for Encrypt.`,
      });
      // The usage is checked before the algorithm.
      expect((await h.fail('Encrypt', { KeyId: k.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).message).toMatch(/key usage is/);
    }
    expect((await h.call('Encrypt', { KeyId: z.sym.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' })).EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
  });

  it('Decrypt with an asymmetric algorithm and a SIGN_VERIFY or HMAC KeyId is InvalidKeyUsageException', async () => {
    const h = await makeHarness();
    const z = await zoo(h);
    const c = (await h.call('Encrypt', { KeyId: z.rsaEnc.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).CiphertextBlob;
    for (const k of [z.eccSign, z.hmac]) {
      expect(await h.fail('Decrypt', { CiphertextBlob: c, KeyId: k.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).toMatchObject({
        name: 'InvalidKeyUsageException',
        message: expect.stringMatching(/ which is not valid for Decrypt\.$/),
      });
      expect((await h.fail('ReEncrypt', { CiphertextBlob: c, SourceKeyId: k.keyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationKeyId: z.sym.keyId })).message).toMatch(/not valid for ReEncrypt\.$/);
    }
  });

  it('a symmetric ciphertext with a KeyId naming an HMAC, signing or RSA key is IncorrectKeyException (recorded from AWS)', async () => {
    const h = await makeHarness();
    const z = await zoo(h);
    const c = (await h.call('Encrypt', { KeyId: z.sym.keyId, Plaintext: utf8('x') })).CiphertextBlob;
    for (const k of [z.hmac, z.eccSign, z.rsaEnc]) {
      expect(await h.fail('Decrypt', { CiphertextBlob: c, KeyId: k.keyId })).toEqual({
        name: 'IncorrectKeyException',
        message: 'The key ID in the request does not identify a CMK that can perform this operation.',
      });
      expect((await h.fail('ReEncrypt', { CiphertextBlob: c, SourceKeyId: k.arn, DestinationKeyId: z.sym.keyId })).name).toBe('IncorrectKeyException');
    }
    // The trail names the key the request named.
    expect(h.repo.list('trailEvent').at(-2)!.record.resources).toEqual([expect.objectContaining({ ARN: z.rsaEnc.arn })]);
  });

  it('ReEncrypt to a key that cannot encrypt is InvalidKeyUsageException naming ReEncrypt', async () => {
    const h = await makeHarness();
    const z = await zoo(h);
    const c = (await h.call('Encrypt', { KeyId: z.sym.keyId, Plaintext: utf8('x') })).CiphertextBlob;
    expect(await h.fail('ReEncrypt', { CiphertextBlob: c, DestinationKeyId: z.hmac.keyId })).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${z.hmac.arn} key usage is GENERATE_VERIFY_MAC which is not valid for ReEncrypt.`,
    });
    expect(await h.fail('ReEncrypt', { CiphertextBlob: c, DestinationKeyId: z.sym.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.',
    });
  });

  it('only symmetric keys make data keys and data key pairs', async () => {
    const h = await makeHarness();
    const z = await zoo(h);
    for (const op of ['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext'] as const) {
      expect(await h.fail(op, { KeyId: z.rsaEnc.keyId, KeySpec: 'AES_256' })).toEqual({
        name: 'InvalidKeyUsageException',
        message: `${z.rsaEnc.arn} key KeySpec is RSA_2048 which is not valid for ${op}.`,
      });
      expect(await h.fail(op, { KeyId: z.hmac.keyId, NumberOfBytes: 32 })).toEqual({
        name: 'InvalidKeyUsageException',
        message: `${z.hmac.arn} key usage is GENERATE_VERIFY_MAC which is not valid for ${op}.`,
      });
      expect((await h.fail(op, { KeyId: z.eccSign.keyId, KeySpec: 'AES_128', EncryptionContext: { a: 'b' } })).name).toBe('InvalidKeyUsageException');
    }
    for (const op of ['GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'] as const) {
      for (const k of [z.rsaEnc, z.eccSign, z.eccAgree, z.hmac]) {
        expect((await h.fail(op, { KeyId: k.keyId, KeyPairSpec: 'ECC_NIST_P256' })).name).toBe('InvalidKeyUsageException');
      }
    }
    expect((await h.call('GenerateDataKey', { KeyId: z.sym.keyId, KeySpec: 'AES_256' })).Plaintext).toHaveLength(32);
  });

  it('checks state before usage: a disabled signing key answers DisabledException to Encrypt', async () => {
    const h = await makeHarness();
    const { eccSign } = await zoo(h);
    await h.call('DisableKey', { KeyId: eccSign.keyId });
    expect((await h.fail('Encrypt', { KeyId: eccSign.keyId, Plaintext: utf8('x') })).name).toBe('DisabledException');
  });
});

describe('UpdateAlias keeps the key type and KeyUsage (§2.2)', () => {
  it('moves between keys of the same type and usage, and refuses the rest', async () => {
    const h = await makeHarness();
    const z = await zoo(h);
    const rsaSign = await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const sym2 = await h.createKey();
    const hmac512 = await h.createKey({ KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const moves: [string, { keyId: string }, { keyId: string }, boolean][] = [
      ['alias/sym', z.sym, sym2, true],
      ['alias/sign', z.eccSign, rsaSign, true], // asymmetric SIGN_VERIFY → asymmetric SIGN_VERIFY
      ['alias/mac', z.hmac, hmac512, true], // HMAC_256 → HMAC_512
      ['alias/sym2rsa', z.sym, z.rsaEnc, false], // same usage, other type
      ['alias/enc2sign', z.rsaEnc, rsaSign, false], // same type, other usage
      ['alias/sign2agree', z.eccSign, z.eccAgree, false],
      ['alias/mac2sym', z.hmac, z.sym, false],
    ];
    for (const [AliasName, from, to, ok] of moves) {
      await h.call('CreateAlias', { AliasName, TargetKeyId: from.keyId });
      if (ok) {
        await h.call('UpdateAlias', { AliasName, TargetKeyId: to.keyId });
        const aliases = (await h.call('ListAliases', { KeyId: to.keyId })).Aliases as { AliasName: string }[];
        expect(aliases.map((a) => a.AliasName), AliasName).toContain(AliasName);
      } else {
        const e = await h.fail('UpdateAlias', { AliasName, TargetKeyId: to.keyId });
        expect(e.name, AliasName).toBe('ValidationException');
        expect(e.message).toMatch(/same type and key usage/);
      }
    }
    expect((await h.fail('UpdateAlias', { AliasName: 'alias/sym2rsa', TargetKeyId: z.rsaEnc.keyId })).message).toMatch(/points to a symmetric key with KeyUsage ENCRYPT_DECRYPT; the new target .* is an asymmetric key with KeyUsage ENCRYPT_DECRYPT/);
  });
});
