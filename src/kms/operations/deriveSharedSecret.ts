/**
 * DeriveSharedSecret (§2.2, §4.1): a KEY_AGREEMENT key (ECC_NIST_P256/P384/P521) and the peer's
 * DER SubjectPublicKeyInfo on the same curve give the raw ECDH shared secret (the x-coordinate;
 * cofactor 1 on these curves). `KeyAgreementAlgorithm` is `ECDH`; the response carries `KeyOrigin`.
 *
 * Messages: wrong usage / algorithm as in getPublicKey.ts (AWS's shapes). A peer key that is not a
 * valid SPKI of the key's curve → ValidationException (the exception AWS models for bad input; the
 * message is ours, unverified). `Recipient` (Nitro Enclaves attestation) is not simulated:
 * UnsupportedOperationException naming the simulator.
 */
import { kmsError } from '../errors';
import { DRY_RUN, GRANT_TOKENS, KEY_ID, validateRequest, validationError } from '../validate';
import type { Operation } from './operation';
import { dryRunSucceeded, useKey } from './common';
import { loadKeyCrypto } from './keyMaterial';
import { assertAlgorithm, assertKeyUsage, currentMaterial, internalCryptoError, offeredAlgorithms } from './getPublicKey';

type AgreementSpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521';

export const deriveSharedSecret: Operation = {
  name: 'DeriveSharedSecret',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      KeyAgreementAlgorithm: { type: 'enum', required: true, values: ['ECDH'] },
      PublicKey: { type: 'blob', required: true, min: 1, max: 8192 },
      GrantTokens: GRANT_TOKENS,
      DryRun: DRY_RUN,
    });
    const alg = req.KeyAgreementAlgorithm as string;
    const key = useKey(ctx, req.KeyId as string, 'any', { conditions: { 'kms:keyagreementalgorithm': [alg] } });
    assertKeyUsage(ctx, key, 'KEY_AGREEMENT');
    assertAlgorithm(key, alg, offeredAlgorithms(key, 'KeyAgreementAlgorithms'));
    if (req.Recipient !== undefined) {
      throw kmsError('UnsupportedOperationException', 'Recipient (AWS Nitro Enclaves attestation) is not supported by this simulator.');
    }
    const keys = await loadKeyCrypto();
    const peer = req.PublicKey as Uint8Array;
    if (keys.specOfPublicKey(peer) !== key.keySpec) {
      validationError(`PublicKey must be a DER-encoded X.509 SubjectPublicKeyInfo of a point on the curve of ${key.keySpec}.`);
    }
    if (req.DryRun === true) dryRunSucceeded();
    let secret: Uint8Array;
    try {
      secret = keys.deriveSharedSecret(key.keySpec as AgreementSpec, currentMaterial(ctx, key), peer);
    } catch (e) {
      if (e instanceof keys.CryptoKeyError && e.code === 'InvalidPublicKey') validationError(`PublicKey is not a valid ${key.keySpec} public key.`);
      internalCryptoError(keys, key, e);
    }
    return { KeyId: key.id, SharedSecret: secret, KeyAgreementAlgorithm: alg, KeyOrigin: key.origin };
  },
};
