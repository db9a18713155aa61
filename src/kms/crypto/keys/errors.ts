/**
 * The one error type of the asymmetric/HMAC key leaf. The operation layer maps `code` to the AWS
 * exception (InvalidCiphertext → InvalidCiphertextException, InvalidPublicKey / InvalidKeyMaterial /
 * InvalidSignatureInput → ValidationException or the import error AWS gives, Unsupported →
 * UnsupportedOperationException). Messages never contain key, plaintext or ciphertext bytes.
 */
export type CryptoKeyErrorCode =
  | 'InvalidCiphertext'
  | 'InvalidSignatureInput'
  | 'InvalidPublicKey'
  | 'InvalidKeyMaterial'
  | 'Unsupported';

export class CryptoKeyError extends Error {
  override readonly name = 'CryptoKeyError';
  constructor(
    readonly code: CryptoKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
