/**
 * Decrypt (§2.2): KeyId optional for symmetric ciphertext (the blob names the key and material
 * version); IncorrectKeyException when KeyId names another key (of any type, §1.5 end); the
 * encryption context must match exactly; a key pending deletion cannot decrypt (§1.4).
 * Asymmetric ciphertext (EncryptionAlgorithm RSAES_OAEP_*) carries no metadata: KeyId and
 * EncryptionAlgorithm are both required, and ciphertext made offline with the public key works.
 */
import type { Operation } from './operation';
import { CIPHERTEXT, DRY_RUN, ENCRYPTION_ALGORITHM, ENCRYPTION_CONTEXT, GRANT_TOKENS, OPTIONAL_KEY_ID, validateRequest } from '../validate';
import { assertNoContextForAsymmetric, dryRunSucceeded, isAsymmetricAlgorithm, openCiphertext } from './common';

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
    const ec = req.EncryptionContext as Record<string, string> | undefined;
    const algorithm = req.EncryptionAlgorithm;
    if (isAsymmetricAlgorithm(algorithm)) {
      assertNoContextForAsymmetric(algorithm, ec);
      const opened = await (await import('./asymmetricEncryption')).openAsymmetricCiphertext(ctx, req.CiphertextBlob as Uint8Array, req.KeyId as string | undefined, 'Decrypt', algorithm, req.DryRun === true);
      if (!opened) dryRunSucceeded();
      return { KeyId: opened.key.id, Plaintext: opened.plaintext, EncryptionAlgorithm: algorithm };
    }
    const opened = await openCiphertext(
      ctx,
      req.CiphertextBlob as Uint8Array,
      ec,
      req.KeyId as string | undefined,
      'Decrypt',
      algorithm,
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
