/** What each KeyUsage lets a key do, in one sentence (kms-semantics.md §4.2). */
import type { KeyUsage } from '../../kms';

/** One sentence per KeyUsage. */
export const KEY_USAGE_EXPLANATIONS: Readonly<Record<KeyUsage, string>> = {
  ENCRYPT_DECRYPT: 'Encrypt, Decrypt, ReEncrypt; for symmetric keys also GenerateDataKey.',
  SIGN_VERIFY: 'Sign and Verify messages, and GetPublicKey.',
  GENERATE_VERIFY_MAC: 'GenerateMac and VerifyMac.',
  KEY_AGREEMENT: 'DeriveSharedSecret (ECDH) and GetPublicKey.',
  ENCAPSULATE_DECAPSULATE: 'Encapsulate, Decapsulate and GetPublicKey.',
};
