/**
 * Key specs and the algorithms AWS KMS offers for each (kms-semantics.md §4.1, client-kms enums),
 * the DIGEST/EXTERNAL_MU length rules (§4.2, Sign `MessageType`) and the DER object identifiers of
 * every key type (RFC 5480, RFC 8410, RFC 9881 for ML-DSA, RFC 9935 for ML-KEM).
 */

export type RsaKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
export type EcKeySpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
export type MlDsaKeySpec = 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87';
export type MlKemKeySpec = 'ML_KEM_512' | 'ML_KEM_768' | 'ML_KEM_1024';
export type AsymmetricKeySpec = RsaKeySpec | EcKeySpec | 'ECC_NIST_EDWARDS25519' | MlDsaKeySpec | MlKemKeySpec;
export type HmacKeySpec = 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512';
export type MacAlgorithm = 'HMAC_SHA_224' | 'HMAC_SHA_256' | 'HMAC_SHA_384' | 'HMAC_SHA_512';

export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256'
  | 'RSASSA_PSS_SHA_384'
  | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256'
  | 'RSASSA_PKCS1_V1_5_SHA_384'
  | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256'
  | 'ECDSA_SHA_384'
  | 'ECDSA_SHA_512'
  | 'ED25519_SHA_512'
  | 'ED25519_PH_SHA_512'
  | 'ML_DSA_SHAKE_256';
export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';
export type RsaEncryptionAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256';
export type ShaName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export const ASYMMETRIC_KEY_SPECS: readonly AsymmetricKeySpec[] = [
  'RSA_2048', 'RSA_3072', 'RSA_4096',
  'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024',
];
export const HMAC_KEY_SPECS: readonly HmacKeySpec[] = ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'];

export const isRsaSpec = (s: AsymmetricKeySpec): s is RsaKeySpec => s.startsWith('RSA_');
export const isEcSpec = (s: AsymmetricKeySpec): s is EcKeySpec =>
  s === 'ECC_NIST_P256' || s === 'ECC_NIST_P384' || s === 'ECC_NIST_P521' || s === 'ECC_SECG_P256K1';
export const isMlDsaSpec = (s: AsymmetricKeySpec): s is MlDsaKeySpec => s.startsWith('ML_DSA_');
export const isMlKemSpec = (s: AsymmetricKeySpec): s is MlKemKeySpec => s.startsWith('ML_KEM_');

/** Modulus size in bits. */
export const RSA_BITS: Readonly<Record<RsaKeySpec, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

const RSA_SIGNING: readonly SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
];
const SIGNING: Readonly<Record<AsymmetricKeySpec, readonly SigningAlgorithm[]>> = {
  RSA_2048: RSA_SIGNING,
  RSA_3072: RSA_SIGNING,
  RSA_4096: RSA_SIGNING,
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  ECC_NIST_P384: ['ECDSA_SHA_384'],
  ECC_NIST_P521: ['ECDSA_SHA_512'],
  ECC_SECG_P256K1: ['ECDSA_SHA_256'],
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  ML_DSA_44: ['ML_DSA_SHAKE_256'],
  ML_DSA_65: ['ML_DSA_SHAKE_256'],
  ML_DSA_87: ['ML_DSA_SHAKE_256'],
  ML_KEM_512: [],
  ML_KEM_768: [],
  ML_KEM_1024: [],
};

/** SigningAlgorithms of a SIGN_VERIFY key of `spec` (empty: the spec cannot sign). */
export function signingAlgorithmsFor(spec: AsymmetricKeySpec): readonly SigningAlgorithm[] {
  return SIGNING[spec] ?? [];
}

/** EncryptionAlgorithms of an ENCRYPT_DECRYPT key of `spec` (only RSA; SM2 is not modelled here). */
export function encryptionAlgorithmsFor(spec: AsymmetricKeySpec): readonly RsaEncryptionAlgorithm[] {
  return isRsaSpec(spec) ? ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] : [];
}

/** KeyAgreementAlgorithms of a KEY_AGREEMENT key (NIST P curves only). */
export function keyAgreementAlgorithmsFor(spec: AsymmetricKeySpec): readonly 'ECDH'[] {
  return spec === 'ECC_NIST_P256' || spec === 'ECC_NIST_P384' || spec === 'ECC_NIST_P521' ? ['ECDH'] : [];
}

/** EncapsulationAlgorithms of an ENCAPSULATE_DECAPSULATE key (ML-KEM only). */
export function encapsulationAlgorithmsFor(spec: AsymmetricKeySpec): readonly 'ML_KEM'[] {
  return isMlKemSpec(spec) ? ['ML_KEM'] : [];
}

/** The SHA-2 hash a signing algorithm uses (ML-DSA: none, it hashes with SHAKE256 inside). */
export function hashOf(alg: SigningAlgorithm): ShaName | null {
  if (alg.endsWith('_SHA_256')) return 'SHA-256';
  if (alg.endsWith('_SHA_384')) return 'SHA-384';
  if (alg.endsWith('_SHA_512')) return 'SHA-512';
  return null;
}

export const HASH_BYTES: Readonly<Record<ShaName, number>> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/**
 * Whether AWS accepts `messageType` with `alg`: ED25519_SHA_512 requires RAW and ED25519_PH_SHA_512
 * requires DIGEST (client-kms Sign docs: "These message types cannot be used interchangeably");
 * EXTERNAL_MU is for ML-DSA only; ML-DSA has no DIGEST.
 */
export function isMessageTypeAllowed(alg: SigningAlgorithm, messageType: MessageType): boolean {
  if (alg === 'ED25519_SHA_512') return messageType === 'RAW';
  if (alg === 'ED25519_PH_SHA_512') return messageType === 'DIGEST';
  if (alg === 'ML_DSA_SHAKE_256') return messageType === 'RAW' || messageType === 'EXTERNAL_MU';
  return messageType === 'RAW' || messageType === 'DIGEST';
}

/**
 * Exact `Message` length the message type requires for `alg`: DIGEST → the hash length (32/48/64),
 * EXTERNAL_MU → 64. null when there is no length rule (RAW) or the combination is not allowed
 * (see isMessageTypeAllowed).
 */
export function digestLength(alg: SigningAlgorithm, messageType: MessageType): number | null {
  if (messageType === 'RAW' || !isMessageTypeAllowed(alg, messageType)) return null;
  if (messageType === 'EXTERNAL_MU') return 64;
  const h = hashOf(alg);
  return h === null ? null : HASH_BYTES[h];
}

/** RSAES-OAEP limit k − 2·hLen − 2 (RFC 8017 §7.1.1), as AWS's Encrypt table lists it. */
export function rsaMaxPlaintextBytes(spec: RsaKeySpec, alg: RsaEncryptionAlgorithm): number {
  const k = RSA_BITS[spec] / 8;
  const hLen = alg === 'RSAES_OAEP_SHA_1' ? 20 : 32;
  return k - 2 * hLen - 2;
}

const HMAC_LEN: Readonly<Record<HmacKeySpec, number>> = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 };
/** Bytes of key material KMS generates for an HMAC key (key length = the hash's output length). */
export function hmacKeyLength(spec: HmacKeySpec): number {
  return HMAC_LEN[spec];
}
/** The one MacAlgorithm of an HMAC key spec. */
export function macAlgorithmFor(spec: HmacKeySpec): MacAlgorithm {
  return `HMAC_SHA_${spec.slice(5)}` as MacAlgorithm;
}

/** Object identifiers (dotted). */
export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** namedCurve OIDs (RFC 5480 §2.1.1.1; secp256k1 from SEC 2). */
export const CURVE_OID: Readonly<Record<EcKeySpec, string>> = {
  ECC_NIST_P256: '1.2.840.10045.3.1.7',
  ECC_NIST_P384: '1.3.132.0.34',
  ECC_NIST_P521: '1.3.132.0.35',
  ECC_SECG_P256K1: '1.3.132.0.10',
};

/** id-ml-dsa-44/65/87 (NIST CSOR sigAlgs; RFC 9881 §2). */
export const ML_DSA_OID: Readonly<Record<MlDsaKeySpec, string>> = {
  ML_DSA_44: '2.16.840.1.101.3.4.3.17',
  ML_DSA_65: '2.16.840.1.101.3.4.3.18',
  ML_DSA_87: '2.16.840.1.101.3.4.3.19',
};
/** id-alg-ml-kem-512/768/1024 (NIST CSOR kems; RFC 9935 §3). */
export const ML_KEM_OID: Readonly<Record<MlKemKeySpec, string>> = {
  ML_KEM_512: '2.16.840.1.101.3.4.4.1',
  ML_KEM_768: '2.16.840.1.101.3.4.4.2',
  ML_KEM_1024: '2.16.840.1.101.3.4.4.3',
};
