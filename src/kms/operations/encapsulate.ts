/**
 * Encapsulate and Decapsulate (§2.2, §4.1): ML_KEM_512/768/1024 keys (ENCAPSULATE_DECAPSULATE),
 * `EncapsulationAlgorithm` `ML_KEM`. Encapsulate returns a fresh 32-byte `SharedSecret` and the
 * `SharedSecretCiphertextBlob` (the FIPS 203 ciphertext, 768/1088/1568 bytes) that Decapsulate turns
 * back into the same secret. Randomness comes from the call's seeded stream (replay gives the same).
 *
 * Messages: usage / algorithm as in getPublicKey.ts. A blob of the wrong length →
 * InvalidCiphertextException (§2.2) with AWS's empty message; a blob of the right length made for
 * another key decapsulates to an unrelated secret (ML-KEM's implicit rejection), as it would on AWS.
 */
import { kmsError } from '../errors';
import type { MlKemKeySpec } from '../crypto/keys/index';
import { DRY_RUN, GRANT_TOKENS, KEY_ID, validateRequest } from '../validate';
import type { OpContext } from '../context';
import type { KeyRecord } from '../model';
import type { Operation } from './operation';
import { dryRunSucceeded, useKey } from './common';
import { loadKeyCrypto } from './keyMaterial';
import { assertAlgorithm, assertKeyUsage, currentMaterial, internalCryptoError, offeredAlgorithms, publicKeyOf } from './getPublicKey';

const ALGORITHM = { type: 'enum', required: true, values: ['ML_KEM'] } as const;

function kemKey(ctx: OpContext, req: Record<string, unknown>): KeyRecord {
  const key = useKey(ctx, req.KeyId as string, 'any');
  assertKeyUsage(ctx, key, 'ENCAPSULATE_DECAPSULATE');
  assertAlgorithm(key, req.EncapsulationAlgorithm as string, offeredAlgorithms(key, 'EncapsulationAlgorithms'));
  return key;
}

export const encapsulate: Operation = {
  name: 'Encapsulate',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, EncapsulationAlgorithm: ALGORITHM, GrantTokens: GRANT_TOKENS, DryRun: DRY_RUN });
    const key = kemKey(ctx, req);
    if (req.DryRun === true) dryRunSucceeded();
    const keys = await loadKeyCrypto();
    const spki = await publicKeyOf(ctx, key, keys);
    let out: { sharedSecret: Uint8Array; ciphertext: Uint8Array };
    try {
      out = keys.mlKemEncapsulate(key.keySpec as MlKemKeySpec, spki, ctx.random);
    } catch (e) {
      internalCryptoError(keys, key, e);
    }
    return { KeyId: key.id, SharedSecret: out.sharedSecret, SharedSecretCiphertextBlob: out.ciphertext, EncapsulationAlgorithm: 'ML_KEM' };
  },
};

export const decapsulate: Operation = {
  name: 'Decapsulate',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      SharedSecretCiphertextBlob: { type: 'blob', required: true, min: 1, max: 6144 },
      EncapsulationAlgorithm: ALGORITHM,
      GrantTokens: GRANT_TOKENS,
      DryRun: DRY_RUN,
    });
    const key = kemKey(ctx, req);
    const keys = await loadKeyCrypto();
    let secret: Uint8Array;
    try {
      // Checked before DryRun: a dry run still says whether the blob could be decapsulated.
      if (req.DryRun === true) {
        keys.mlKemDecapsulate(key.keySpec as MlKemKeySpec, currentMaterial(ctx, key), req.SharedSecretCiphertextBlob as Uint8Array);
        dryRunSucceeded();
      }
      secret = keys.mlKemDecapsulate(key.keySpec as MlKemKeySpec, currentMaterial(ctx, key), req.SharedSecretCiphertextBlob as Uint8Array);
    } catch (e) {
      if (e instanceof keys.CryptoKeyError && e.code === 'InvalidCiphertext') {
        throw kmsError('InvalidCiphertextException', '', { reason: `The ${key.keySpec} ciphertext has the wrong length.` });
      }
      internalCryptoError(keys, key, e);
    }
    return { KeyId: key.id, SharedSecret: secret, EncapsulationAlgorithm: 'ML_KEM' };
  },
};
