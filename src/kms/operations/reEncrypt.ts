/**
 * ReEncrypt (§2.2): decrypt with the source key and encrypt with the destination key inside KMS.
 * Source rules are Decrypt's (kms:ReEncryptFrom), destination rules Encrypt's (kms:ReEncryptTo),
 * each half symmetric or asymmetric by its own EncryptionAlgorithm member: asymmetric source
 * ciphertext needs SourceKeyId and SourceEncryptionAlgorithm; an asymmetric destination takes
 * no DestinationEncryptionContext and the plaintext must fit its OAEP limit (§3.1).
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
import { resolveKey, type OpContext } from '../context';
import { assertOperationAllowed } from '../lifecycle/matrix';
import { authorize } from '../authorization';
import { decodeCiphertextBlob } from '../crypto';
import type { KeyRecord, MaterialRecord } from '../model';
import {
  assertEncryptionKey,
  assertNoContextForAsymmetric,
  cryptoConditions,
  dryRunSucceeded,
  isAsymmetricAlgorithm,
  openCiphertext,
  sealWithKey,
} from './common';

/** The source half: the key, the plaintext and (symmetric only) the material it used. */
interface Source {
  readonly key: KeyRecord;
  readonly plaintext: Uint8Array;
  readonly algorithm: string;
  readonly material?: MaterialRecord;
}

async function openSource(ctx: OpContext, req: Record<string, unknown>, dryRun: boolean): Promise<Source | null> {
  const blob = req.CiphertextBlob as Uint8Array;
  const algorithm = req.SourceEncryptionAlgorithm;
  if (isAsymmetricAlgorithm(algorithm)) {
    const opened = await (await import('./asymmetricEncryption')).openAsymmetricCiphertext(ctx, blob, req.SourceKeyId as string | undefined, 'ReEncrypt', algorithm, dryRun);
    return opened && { ...opened, algorithm };
  }
  const opened = await openCiphertext(
    ctx,
    blob,
    req.SourceEncryptionContext as Record<string, string> | undefined,
    req.SourceKeyId as string | undefined,
    'ReEncrypt',
    algorithm,
    dryRun,
  );
  return opened && { key: opened.key, plaintext: opened.plaintext, material: opened.material, algorithm: 'SYMMETRIC_DEFAULT' };
}

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
    const destEc = req.DestinationEncryptionContext as Record<string, string> | undefined;
    assertNoContextForAsymmetric(req.SourceEncryptionAlgorithm, req.SourceEncryptionContext as Record<string, string> | undefined);
    assertNoContextForAsymmetric(req.DestinationEncryptionAlgorithm, destEc);
    const dest = resolveKey(ctx, req.DestinationKeyId as string, 'any');
    const source = await openSource(ctx, req, req.DryRun === true);
    ctx.touch(dest);
    const decoded = decodeCiphertextBlob(req.CiphertextBlob as Uint8Array);
    const sameKey = source
      ? source.key.id === dest.id
      : (decoded.ok && decoded.value.keyArn === dest.id) || (req.SourceKeyId !== undefined && resolveKey(ctx, req.SourceKeyId as string, 'any').id === dest.id);
    authorize(ctx, {
      operation: 'ReEncrypt',
      action: 'kms:ReEncryptTo',
      target: dest,
      conditions: {
        ...cryptoConditions(destEc, req.DestinationEncryptionAlgorithm),
        'kms:reencryptonsamekey': [String(sameKey)],
      },
      ...(destEc ? { encryptionContext: destEc } : {}),
    });
    assertOperationAllowed('ReEncrypt', dest);
    const destAlgorithm = assertEncryptionKey(dest, req.DestinationEncryptionAlgorithm, 'ReEncrypt');
    if (!source) dryRunSucceeded();
    try {
      const asymmetric = destAlgorithm === 'SYMMETRIC_DEFAULT' ? null : await import('./asymmetricEncryption');
      if (asymmetric) await asymmetric.assertPlaintextFits(dest, destAlgorithm, source.plaintext);
      const sealed = asymmetric
        ? await asymmetric.sealAsymmetric(ctx, dest, destAlgorithm, source.plaintext)
        : await sealWithKey(ctx, dest, source.plaintext, destEc);
      return {
        CiphertextBlob: sealed.blob,
        SourceKeyId: source.key.id,
        KeyId: dest.id,
        SourceEncryptionAlgorithm: source.algorithm,
        DestinationEncryptionAlgorithm: destAlgorithm,
        ...(source.material ? { SourceKeyMaterialId: source.material.keyMaterialId } : {}),
        ...(destAlgorithm === 'SYMMETRIC_DEFAULT' ? { DestinationKeyMaterialId: sealed.material.keyMaterialId } : {}),
      };
    } finally {
      source.plaintext.fill(0);
    }
  },
};
