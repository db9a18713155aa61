/**
 * What each KeySpec allows (kms-semantics.md §4.1, §4.2): its key usages and, per usage, the
 * algorithms DescribeKey and GetPublicKey report. Pure data, read by CreateKey, KeyMetadata, the
 * operations' usage checks and the page's create-key form; the crypto for each spec lives in
 * `crypto/keys/` (loaded on demand).
 */
import type { KeySpec, KeyUsage } from './model';

/** Algorithms of one (spec, usage) pair, as KeyMetadata members. Absent members are omitted. */
export interface KeyAlgorithms {
  readonly EncryptionAlgorithms?: readonly string[];
  readonly SigningAlgorithms?: readonly string[];
  readonly MacAlgorithms?: readonly string[];
  readonly KeyAgreementAlgorithms?: readonly string[];
  readonly EncapsulationAlgorithms?: readonly string[];
}

const RSA: Partial<Record<KeyUsage, KeyAlgorithms>> = {
  ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] },
  SIGN_VERIFY: {
    SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
  },
};
const ecc = (alg: string, agreement: boolean): Partial<Record<KeyUsage, KeyAlgorithms>> => ({
  SIGN_VERIFY: { SigningAlgorithms: [alg] },
  ...(agreement ? { KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] } } : {}),
});
const hmac = (alg: string): Partial<Record<KeyUsage, KeyAlgorithms>> => ({ GENERATE_VERIFY_MAC: { MacAlgorithms: [alg] } });
const mlDsa: Partial<Record<KeyUsage, KeyAlgorithms>> = { SIGN_VERIFY: { SigningAlgorithms: ['ML_DSA_SHAKE_256'] } };
const mlKem: Partial<Record<KeyUsage, KeyAlgorithms>> = { ENCAPSULATE_DECAPSULATE: { EncapsulationAlgorithms: ['ML_KEM'] } };

/** Usages and algorithms of every KeySpec (§4.1). */
export const KEY_SPEC_USAGES: Readonly<Record<KeySpec, Partial<Record<KeyUsage, KeyAlgorithms>>>> = {
  SYMMETRIC_DEFAULT: { ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } },
  RSA_2048: RSA,
  RSA_3072: RSA,
  RSA_4096: RSA,
  ECC_NIST_P256: ecc('ECDSA_SHA_256', true),
  ECC_NIST_P384: ecc('ECDSA_SHA_384', true),
  ECC_NIST_P521: ecc('ECDSA_SHA_512', true),
  ECC_SECG_P256K1: ecc('ECDSA_SHA_256', false),
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] } },
  HMAC_224: hmac('HMAC_SHA_224'),
  HMAC_256: hmac('HMAC_SHA_256'),
  HMAC_384: hmac('HMAC_SHA_384'),
  HMAC_512: hmac('HMAC_SHA_512'),
  ML_DSA_44: mlDsa,
  ML_DSA_65: mlDsa,
  ML_DSA_87: mlDsa,
  ML_KEM_512: mlKem,
  ML_KEM_768: mlKem,
  ML_KEM_1024: mlKem,
  SM2: {
    ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['SM2PKE'] },
    SIGN_VERIFY: { SigningAlgorithms: ['SM2DSA'] },
    KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] },
  },
};

/** The usages a spec allows, in AWS's order. */
export function usagesOf(spec: KeySpec): KeyUsage[] {
  return Object.keys(KEY_SPEC_USAGES[spec]) as KeyUsage[];
}

/** The algorithms of a (spec, usage) pair, or undefined when the pair is not allowed. */
export function algorithmsOf(spec: KeySpec, usage: KeyUsage): KeyAlgorithms | undefined {
  return KEY_SPEC_USAGES[spec][usage];
}

export type KeyFamily = 'symmetric' | 'asymmetric' | 'hmac';

/** Symmetric, asymmetric or HMAC (UpdateAlias requires the same family and usage, §2.2). */
export function familyOf(spec: KeySpec): KeyFamily {
  if (spec === 'SYMMETRIC_DEFAULT') return 'symmetric';
  return spec.startsWith('HMAC_') ? 'hmac' : 'asymmetric';
}

/** Specs only offered in the China Regions (§4.1). */
export function isChinaOnly(spec: KeySpec): boolean {
  return spec === 'SM2';
}

/** China partition Regions (aws-cn). */
export function isChinaRegion(region: string): boolean {
  return region.startsWith('cn-');
}
