/**
 * Public surface of `src/kms/crypto` (STYLE §2: across layers import only a layer's index.ts).
 *
 * Two CryptoBackend implementations with one call shape (STYLE §10), the seeded DRBG for the
 * RandomSource port, the canonical encryption-context encoding (kms-semantics.md §3.3) and the
 * symmetric ciphertext blob format (§2.2). See README.md for what each file does.
 */
export { webCryptoBackend } from './webcrypto';
export { encodeBase64, decodeBase64 } from './base64';
export { nobleBackend } from './noble';
export { autoBackend, AUTO_NOBLE_MAX_BYTES } from './auto';
export { createSeededRandom, randomSeed, randomBytes, streamNonce, SEED_LENGTH } from './random';
export {
  encodeEncryptionContext,
  decodeEncryptionContext,
  canonicalizeEncryptionContext,
  encryptionContextsEqual,
  compareBytes,
} from './encryptionContext';
export type { EncryptionContext, EncryptionContextDecodeFailure } from './encryptionContext';
export {
  encodeCiphertextBlob,
  encodeCiphertextBlobHeader,
  decodeCiphertextBlob,
  blobAad,
  sealSymmetric,
  openSymmetric,
  CIPHERTEXT_BLOB_VERSION,
  CIPHERTEXT_BLOB_FIXED_OVERHEAD,
  KEY_MATERIAL_ID_LENGTH,
  MAX_KEY_ARN_BYTES,
} from './ciphertextBlob';
export type {
  CiphertextBlobParts,
  CiphertextBlobHeaderParts,
  DecodedCiphertextBlob,
  CiphertextBlobDecodeFailure,
  SealSymmetricInput,
} from './ciphertextBlob';
export { AES_KEY_LENGTHS, GCM_IV_LENGTH, GCM_TAG_LENGTH, bytesToHex, hexToBytes, concatBytes, equalBytes, toBufferSource, isWellFormedUnicode } from './bytes';
