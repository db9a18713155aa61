import { describe, expect, it } from 'vitest';
import * as K from '../../../../../src/kms/crypto/keys/index';

describe('spec tables (kms-semantics.md §4.1/§4.2)', () => {
  it('algorithms per spec', () => {
    const table = Object.fromEntries(
      K.ASYMMETRIC_KEY_SPECS.map((s) => [s, [K.signingAlgorithmsFor(s).length, K.encryptionAlgorithmsFor(s).length, K.keyAgreementAlgorithmsFor(s).length, K.encapsulationAlgorithmsFor(s).length]]),
    );
    expect(table).toEqual({
      RSA_2048: [6, 2, 0, 0], RSA_3072: [6, 2, 0, 0], RSA_4096: [6, 2, 0, 0],
      ECC_NIST_P256: [1, 0, 1, 0], ECC_NIST_P384: [1, 0, 1, 0], ECC_NIST_P521: [1, 0, 1, 0], ECC_SECG_P256K1: [1, 0, 0, 0],
      ECC_NIST_EDWARDS25519: [2, 0, 0, 0],
      ML_DSA_44: [1, 0, 0, 0], ML_DSA_65: [1, 0, 0, 0], ML_DSA_87: [1, 0, 0, 0],
      ML_KEM_512: [0, 0, 0, 1], ML_KEM_768: [0, 0, 0, 1], ML_KEM_1024: [0, 0, 0, 1],
    });
    expect(K.signingAlgorithmsFor('ECC_NIST_EDWARDS25519')).toEqual(['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
  });

  it('digestLength and isMessageTypeAllowed', () => {
    const rows: [K.SigningAlgorithm, K.MessageType, number | null][] = [
      ['RSASSA_PSS_SHA_256', 'DIGEST', 32], ['RSASSA_PKCS1_V1_5_SHA_384', 'DIGEST', 48], ['RSASSA_PSS_SHA_512', 'DIGEST', 64],
      ['ECDSA_SHA_256', 'DIGEST', 32], ['ECDSA_SHA_384', 'DIGEST', 48], ['ECDSA_SHA_512', 'DIGEST', 64],
      ['ED25519_PH_SHA_512', 'DIGEST', 64], ['ED25519_SHA_512', 'DIGEST', null], ['ML_DSA_SHAKE_256', 'EXTERNAL_MU', 64],
      ['ML_DSA_SHAKE_256', 'DIGEST', null], ['ECDSA_SHA_256', 'EXTERNAL_MU', null], ['ECDSA_SHA_256', 'RAW', null],
    ];
    for (const [alg, mt, n] of rows) expect(K.digestLength(alg, mt), `${alg} ${mt}`).toBe(n);
    expect(K.isMessageTypeAllowed('ECDSA_SHA_256', 'EXTERNAL_MU')).toBe(false);
    expect(K.isMessageTypeAllowed('ML_DSA_SHAKE_256', 'RAW')).toBe(true);
  });

  it('generateKeyPair refuses an unknown spec with CryptoKeyError Unsupported', async () => {
    await expect(K.generateKeyPair('SM2' as K.AsymmetricKeySpec, { bytes: (n) => new Uint8Array(n) })).rejects.toMatchObject({ code: 'Unsupported' });
  });
});
