/** Encrypt (§2.2, §3.1): up to 4,096 bytes under a symmetric key; returns our ciphertext blob. */
import type { Operation } from './operation';
import { DRY_RUN, ENCRYPTION_ALGORITHM, ENCRYPTION_CONTEXT, GRANT_TOKENS, KEY_ID, validateRequest } from '../validate';
import { assertSymmetricEncryptionKey, cryptoConditions, dryRunSucceeded, sealWithKey, useKey } from './common';

export const encrypt: Operation = {
  name: 'Encrypt',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      Plaintext: { type: 'blob', required: true, min: 1, max: 4096 },
      EncryptionContext: ENCRYPTION_CONTEXT,
      GrantTokens: GRANT_TOKENS,
      EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
      DryRun: DRY_RUN,
    });
    const ec = req.EncryptionContext as Record<string, string> | undefined;
    const key = useKey(ctx, req.KeyId as string, 'any', { conditions: cryptoConditions(ec), ...(ec ? { encryptionContext: ec } : {}) });
    assertSymmetricEncryptionKey(key, req.EncryptionAlgorithm);
    if (req.DryRun === true) dryRunSucceeded();
    const { blob, material } = await sealWithKey(ctx, key, req.Plaintext as Uint8Array, ec);
    ctx.useMaterial(material.keyMaterialId);
    return { CiphertextBlob: blob, KeyId: key.id, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
};
