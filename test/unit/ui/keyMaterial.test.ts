/**
 * The import wizard's logic (src/ui/keys/material): material wrapped in Node with the page's
 * module imports through a real service (GetParametersForImport → wrap → ImportKeyMaterial), for
 * each wrapping algorithm and material kind; the same material imports again after deletion and
 * other material is refused; plus PEM, parsing and the choice rules.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  defaultWrapping,
  generateMaterial,
  importRequest,
  materialKindOf,
  parseMaterial,
  toHex,
  toPem,
  wrapKeyMaterial,
  wrappingProblem,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '../../../src/ui/keys/material/importMaterial';
import type { KeySpec } from '../../../src/kms';
import { makeHarness, T0, type Harness } from '../kms/harness';

async function externalKey(h: Harness, keySpec: KeySpec = 'SYMMETRIC_DEFAULT'): Promise<string> {
  const usage = keySpec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : keySpec.startsWith('HMAC_') ? 'GENERATE_VERIFY_MAC' : 'SIGN_VERIFY';
  const { arn } = await h.createKey({ Origin: 'EXTERNAL', KeySpec: keySpec, KeyUsage: usage });
  return arn;
}

async function importWith(h: Harness, arn: string, material: Uint8Array, algorithm: WrappingAlgorithm, wrappingKeySpec: WrappingKeySpec) {
  const params = await h.call('GetParametersForImport', { KeyId: arn, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec });
  const wrapped = await wrapKeyMaterial(params.PublicKey as Uint8Array, algorithm, material);
  return h.call(
    'ImportKeyMaterial',
    importRequest({
      keyId: arn,
      importToken: params.ImportToken as Uint8Array,
      encryptedKeyMaterial: wrapped.encryptedKeyMaterial,
      expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      now: T0,
      validForHours: 0,
    }),
  );
}

const keyState = (h: Harness, arn: string) => h.repo.list('key').find((k) => k.id === arn)?.keyState;

describe('wrapping in the page, importing through the service', () => {
  for (const [algorithm, spec] of [
    ['RSAES_OAEP_SHA_256', 'RSA_2048'],
    ['RSAES_OAEP_SHA_1', 'RSA_3072'],
    ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048'],
    ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_4096'],
  ] as const) {
    it(`imports 32 AES bytes wrapped with ${algorithm} / ${spec}; the key is Enabled and encrypts`, async () => {
      const h = await makeHarness();
      const arn = await externalKey(h);
      expect(keyState(h, arn)).toBe('PendingImport');
      const material = await generateMaterial('SYMMETRIC_DEFAULT');
      expect(material).toHaveLength(32);
      const out = await importWith(h, arn, material, algorithm, spec);
      expect(out.KeyId).toBe(arn);
      expect(keyState(h, arn)).toBe('Enabled');
      const enc = await h.call('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([1, 2, 3]) });
      const dec = await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
      expect(dec.Plaintext).toEqual(new Uint8Array([1, 2, 3]));
    });
  }

  it('imports an HMAC_384 key and an ECC_NIST_P256 PKCS#8 private key made in the page', async () => {
    const h = await makeHarness();
    const hmacArn = await externalKey(h, 'HMAC_384');
    const hmac = await generateMaterial('HMAC_384');
    expect(hmac).toHaveLength(48);
    await importWith(h, hmacArn, hmac, 'RSAES_OAEP_SHA_256', 'RSA_4096');
    expect(keyState(h, hmacArn)).toBe('Enabled');

    const ecArn = await externalKey(h, 'ECC_NIST_P256');
    const pkcs8 = await generateMaterial('ECC_NIST_P256');
    // A real PKCS#8 private key that node:crypto reads.
    expect(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).asymmetricKeyType).toBe('ec');
    await importWith(h, ecArn, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072');
    expect(keyState(h, ecArn)).toBe('Enabled');
  });

  it('only the same material imports again after DeleteImportedKeyMaterial', async () => {
    const h = await makeHarness();
    const arn = await externalKey(h);
    const material = await generateMaterial('SYMMETRIC_DEFAULT');
    await importWith(h, arn, material, 'RSAES_OAEP_SHA_256', 'RSA_2048');
    await h.call('DeleteImportedKeyMaterial', { KeyId: arn });
    expect(keyState(h, arn)).toBe('PendingImport');
    const other = await generateMaterial('SYMMETRIC_DEFAULT');
    const params = await h.call('GetParametersForImport', { KeyId: arn, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const wrapped = await wrapKeyMaterial(params.PublicKey as Uint8Array, 'RSAES_OAEP_SHA_256', other);
    const req = importRequest({ keyId: arn, importToken: params.ImportToken as Uint8Array, encryptedKeyMaterial: wrapped.encryptedKeyMaterial, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', now: T0, validForHours: 0 });
    expect((await h.fail('ImportKeyMaterial', req)).name).toBe('IncorrectKeyMaterialException');
    await importWith(h, arn, material, 'RSAES_OAEP_SHA_256', 'RSA_2048');
    expect(keyState(h, arn)).toBe('Enabled');
  });

  it('material with a ValidTo returns the key to PendingImport when the sandbox clock passes it', async () => {
    const h = await makeHarness();
    const arn = await externalKey(h);
    const params = await h.call('GetParametersForImport', { KeyId: arn, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    const wrapped = await wrapKeyMaterial(params.PublicKey as Uint8Array, 'RSAES_OAEP_SHA_256', await generateMaterial('SYMMETRIC_DEFAULT'));
    const req = importRequest({ keyId: arn, importToken: params.ImportToken as Uint8Array, encryptedKeyMaterial: wrapped.encryptedKeyMaterial, expirationModel: 'KEY_MATERIAL_EXPIRES', now: h.service.now(), validForHours: 24 });
    expect(req.ValidTo).toEqual(new Date(h.service.now() + 24 * 3_600_000));
    await h.call('ImportKeyMaterial', req);
    expect(h.repo.list('key').find((k) => k.id === arn)?.validTo).toBe(h.service.now() + 24 * 3_600_000);
    await h.service.advanceClock(25 * 3_600_000);
    expect(keyState(h, arn)).toBe('PendingImport');
  });

  it('describes the RSA_AES_KEY_WRAP layout: one RSA block, then the RFC 5649 wrap (8 bytes longer than padded material)', async () => {
    const h = await makeHarness();
    const arn = await externalKey(h);
    const params = await h.call('GetParametersForImport', { KeyId: arn, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_3072' });
    const wrapped = await wrapKeyMaterial(params.PublicKey as Uint8Array, 'RSA_AES_KEY_WRAP_SHA_256', new Uint8Array(32).fill(7));
    expect(wrapped.parts.map((p) => p.bytes)).toEqual([384, 40]);
    expect(wrapped.encryptedKeyMaterial).toHaveLength(424);
  });

  it('refuses to wrap material too long for one OAEP block, with the reason', async () => {
    const h = await makeHarness();
    const arn = await externalKey(h);
    const params = await h.call('GetParametersForImport', { KeyId: arn, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    await expect(wrapKeyMaterial(params.PublicKey as Uint8Array, 'RSAES_OAEP_SHA_256', new Uint8Array(191))).rejects.toThrow(/at most 190 bytes/);
  });
});

describe('wizard helpers', () => {
  it('prints the wrapping key as PEM that node:crypto reads', async () => {
    const keys = await import('../../../src/kms/crypto/keys/index');
    const pair = await keys.generateKeyPair('ECC_NIST_P256', { bytes: (n: number) => new Uint8Array(n).fill(3) });
    const pem = toPem(pair.publicKey);
    expect(pem.split('\n')[0]).toBe('-----BEGIN PUBLIC KEY-----');
    expect(pem.split('\n').every((l) => l.length <= 64)).toBe(true);
    expect(createPublicKey(pem).export({ format: 'der', type: 'spki' })).toEqual(Buffer.from(pair.publicKey));
  });

  it('reads pasted material as hex or base64, and says why not', () => {
    expect(parseMaterial('00 ff\n10', 'hex')).toEqual({ ok: true, value: new Uint8Array([0, 255, 16]) });
    expect(parseMaterial('AP8Q', 'base64')).toEqual({ ok: true, value: new Uint8Array([0, 255, 16]) });
    expect(parseMaterial('abc', 'hex')).toMatchObject({ ok: false });
    expect(parseMaterial('a*==', 'base64')).toMatchObject({ ok: false });
    expect(parseMaterial('  ', 'hex')).toEqual({ ok: false, reason: 'Paste your key material first.' });
    expect(toHex(new Uint8Array([0, 171]))).toBe('00ab');
  });

  it('knows which wrapping choices KMS refuses for a key', () => {
    expect(materialKindOf('SYMMETRIC_DEFAULT')).toBe('aes');
    expect(materialKindOf('HMAC_256')).toBe('hmac');
    expect(materialKindOf('RSA_2048')).toBe('pkcs8');
    expect(materialKindOf('SM2')).toBeNull();
    expect(wrappingProblem('RSA_2048', 'RSAES_OAEP_SHA_256', 'RSA_4096')).toMatch(/RSA_AES_KEY_WRAP/);
    expect(wrappingProblem('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048')).toBeNull();
    expect(wrappingProblem('ECC_NIST_P521', 'RSAES_OAEP_SHA_1', 'RSA_2048')).toMatch(/P521/);
    expect(wrappingProblem('SYMMETRIC_DEFAULT', 'RSAES_PKCS1_V1_5', 'RSA_2048')).toMatch(/2023/);
    expect(wrappingProblem('SYMMETRIC_DEFAULT', 'SM2PKE', 'SM2')).toMatch(/China/);
    expect(wrappingProblem('HMAC_512', 'RSAES_OAEP_SHA_256', 'RSA_2048', 191)).toMatch(/at most 190 bytes/);
    expect(defaultWrapping('ECC_NIST_P384')).toEqual({ algorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
    expect(defaultWrapping('SYMMETRIC_DEFAULT').algorithm).toBe('RSAES_OAEP_SHA_256');
  });
});
