/**
 * Decrypt (§2.2): KeyId optional for symmetric ciphertext (the blob names the key and material
 * version); IncorrectKeyException when KeyId names another key; the encryption context must match
 * exactly; a key pending deletion cannot decrypt (§1.4).
 */
import type { Operation } from './operation';
import { CIPHERTEXT, DRY_RUN, ENCRYPTION_ALGORITHM, ENCRYPTION_CONTEXT, GRANT_TOKENS, OPTIONAL_KEY_ID, validateRequest } from '../validate';
import { dryRunSucceeded, openCiphertext } from './common';

export const decrypt: Operation = {
  name: 'Decrypt',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      CiphertextBlob: CIPHERTEXT,
      EncryptionContext: ENCRYPTION_CONTEXT,
      GrantTokens: GRANT_TOKENS,
      KeyId: OPTIONAL_KEY_ID,
      EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
      DryRun: DRY_RUN,
    });
    const opened = await openCiphertext(
      ctx,
      req.CiphertextBlob as Uint8Array,
      req.EncryptionContext as Record<string, string> | undefined,
      req.KeyId as string | undefined,
      'Decrypt',
      req.EncryptionAlgorithm,
      req.DryRun === true,
    );
    if (!opened) dryRunSucceeded();
    return {
      KeyId: opened.key.id,
      Plaintext: opened.plaintext,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      KeyMaterialId: opened.material.keyMaterialId,
    };
  },
};
