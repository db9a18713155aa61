/**
 * Encrypt (§2.2, §3.1): up to 4,096 bytes under a symmetric key (our ciphertext blob), or under
 * an RSA ENCRYPT_DECRYPT key with EncryptionAlgorithm RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256 (the
 * raw OAEP ciphertext, modulus-sized, within the per-size limits of §3.1, no encryption context).
 */
import type { Operation } from './operation';
import { DRY_RUN, ENCRYPTION_ALGORITHM, ENCRYPTION_CONTEXT, GRANT_TOKENS, KEY_ID, validateRequest } from '../validate';
import {
  assertEncryptionKey,
  assertNoContextForAsymmetric,
  cryptoConditions,
  dryRunSucceeded,
  sealWithKey,
  useKey,
} from './common';

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
    assertNoContextForAsymmetric(req.EncryptionAlgorithm, ec);
    const key = useKey(ctx, req.KeyId as string, 'any', {
      conditions: cryptoConditions(ec, req.EncryptionAlgorithm),
      ...(ec ? { encryptionContext: ec } : {}),
    });
    const algorithm = assertEncryptionKey(key, req.EncryptionAlgorithm, 'Encrypt');
    const plaintext = req.Plaintext as Uint8Array;
    const asymmetric = algorithm === 'SYMMETRIC_DEFAULT' ? null : await import('./asymmetricEncryption');
    if (asymmetric) await asymmetric.assertPlaintextFits(key, algorithm, plaintext);
    if (req.DryRun === true) dryRunSucceeded();
    if (asymmetric) {
      const { blob } = await asymmetric.sealAsymmetric(ctx, key, algorithm, plaintext);
      return { CiphertextBlob: blob, KeyId: key.id, EncryptionAlgorithm: algorithm };
    }
    const { blob, material } = await sealWithKey(ctx, key, plaintext, ec);
    ctx.useMaterial(material.keyMaterialId);
    return { CiphertextBlob: blob, KeyId: key.id, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
};
