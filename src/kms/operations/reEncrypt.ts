/**
 * ReEncrypt (§2.2): decrypt with the source key and encrypt with the destination key inside KMS.
 * Source rules are Decrypt's (kms:ReEncryptFrom), destination rules Encrypt's (kms:ReEncryptTo).
 */
import type { Operation } from './operation';
import {
  CIPHERTEXT,
  DRY_RUN,
  ENCRYPTION_ALGORITHM,
  ENCRYPTION_CONTEXT,
  GRANT_TOKENS,
  KEY_ID,
  OPTIONAL_KEY_ID,
  validateRequest,
} from '../validate';
import { resolveKey } from '../context';
import { assertOperationAllowed } from '../lifecycle/matrix';
import { authorize } from '../authorization';
import { decodeCiphertextBlob } from '../crypto';
import { assertSymmetricEncryptionKey, cryptoConditions, dryRunSucceeded, openCiphertext, sealWithKey } from './common';

export const reEncrypt: Operation = {
  name: 'ReEncrypt',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      CiphertextBlob: CIPHERTEXT,
      SourceEncryptionContext: ENCRYPTION_CONTEXT,
      SourceKeyId: OPTIONAL_KEY_ID,
      DestinationKeyId: KEY_ID,
      DestinationEncryptionContext: ENCRYPTION_CONTEXT,
      SourceEncryptionAlgorithm: ENCRYPTION_ALGORITHM,
      DestinationEncryptionAlgorithm: ENCRYPTION_ALGORITHM,
      GrantTokens: GRANT_TOKENS,
      DryRun: DRY_RUN,
    });
    const dest = resolveKey(ctx, req.DestinationKeyId as string, 'any');
    const source = await openCiphertext(
      ctx,
      req.CiphertextBlob as Uint8Array,
      req.SourceEncryptionContext as Record<string, string> | undefined,
      req.SourceKeyId as string | undefined,
      'ReEncrypt',
      req.SourceEncryptionAlgorithm,
      req.DryRun === true,
    );
    ctx.touch(dest);
    const destEc = req.DestinationEncryptionContext as Record<string, string> | undefined;
    const decoded = decodeCiphertextBlob(req.CiphertextBlob as Uint8Array);
    const sameKey = decoded.ok && decoded.value.keyArn === dest.id;
    authorize(ctx, {
      operation: 'ReEncrypt',
      action: 'kms:ReEncryptTo',
      target: dest,
      conditions: {
        ...cryptoConditions(destEc),
        'kms:reencryptonsamekey': [String(sameKey)],
      },
      ...(destEc ? { encryptionContext: destEc } : {}),
    });
    assertOperationAllowed('ReEncrypt', dest);
    assertSymmetricEncryptionKey(dest, req.DestinationEncryptionAlgorithm);
    if (!source) dryRunSucceeded();
    try {
      const { blob, material } = await sealWithKey(
        ctx,
        dest,
        source.plaintext,
        destEc,
      );
      return {
        CiphertextBlob: blob,
        SourceKeyId: source.key.id,
        KeyId: dest.id,
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        SourceKeyMaterialId: source.material.keyMaterialId,
        DestinationKeyMaterialId: material.keyMaterialId,
      };
    } finally {
      source.plaintext.fill(0);
    }
  },
};
