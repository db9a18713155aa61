/**
 * Sign and Verify (§2.2, §4.2): asymmetric SIGN_VERIFY keys, MessageType RAW | DIGEST |
 * EXTERNAL_MU (ML-DSA), every signing algorithm of the key's spec (keySpecs.ts). Signatures are what
 * AWS returns (ECDSA DER, RSA k bytes, Ed25519 64 bytes, ML-DSA FIPS 204); a Verify mismatch is
 * KMSInvalidSignatureException, never `SignatureValid: false`.
 *
 * Order (floci-io/floci's tests, recorded from AWS: "The key state is checked before the
 * algorithm", "signChecksTheKeySpecBeforeTheDigestLength"): model validation → key (NotFound,
 * AccessDenied, state) → usage → algorithm ∈ spec → message type → digest length → DryRun → crypto.
 *
 * Messages:
 * - SigningAlgorithm outside the model enum: the model's ValidationException, listing the enum in
 *   AWS's order; `SYMMETRIC_DEFAULT` passes it and gets the key spec error instead (floci's tests:
 *   "SYMMETRIC_DEFAULT is not in the modeled enum, yet KMS answers it with the key spec error").
 * - DIGEST of the wrong length: ValidationException `Digest is invalid length for algorithm <alg>.`
 *   (real AWS text quoted in aws-sdk-rust discussion 571 users' code and floci's tests).
 * - A message type the algorithm does not take: ValidationException `Message type <t> is
 *   incompatible with algorithm <alg>.`, for ML-DSA `... with key spec <spec>.` (floci's messages,
 *   unverified against AWS). EXTERNAL_MU of a length other than 64: the digest message (unverified).
 * - Verify mismatch: KMSInvalidSignatureException with an empty message (localstack: "AWS itself
 *   raises this exception without any additional message").
 */
import { kmsError } from '../errors';
import type { KeyRecord } from '../model';
import type { ConditionContext } from '../policy/types';
import type { AsymmetricKeySpec, MessageType, SigningAlgorithm } from '../crypto/keys/index';
import { DRY_RUN, GRANT_TOKENS, KEY_ID, validateRequest, validationError, type RequestSpec } from '../validate';
import type { OpContext } from '../context';
import type { Operation } from './operation';
import { dryRunSucceeded, useKey } from './common';
import { loadKeyCrypto } from './keyMaterial';
import { assertAlgorithm, assertKeyUsage, currentMaterial, internalCryptoError, offeredAlgorithms, publicKeyOf } from './getPublicKey';

/** SigningAlgorithmSpec, in the order AWS's ValidationException lists it (floci's recorded message). */
export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'ED25519_SHA_512', 'ED25519_PH_SHA_512', 'SM2DSA', 'ML_DSA_SHAKE_256',
] as const;

const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;

function requestSpec(req: Record<string, unknown>, verify: boolean): RequestSpec {
  return {
    KeyId: KEY_ID,
    Message: { type: 'blob', required: true, min: 1, max: 4096 },
    MessageType: { type: 'enum', values: MESSAGE_TYPES },
    ...(verify ? { Signature: { type: 'blob', required: true, min: 1, max: 6144 } } : {}),
    // SYMMETRIC_DEFAULT gets past the model check on AWS (see the header).
    SigningAlgorithm: req.SigningAlgorithm === 'SYMMETRIC_DEFAULT' ? { type: 'string', required: true } : { type: 'enum', required: true, values: SIGNING_ALGORITHMS },
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
  };
}

/** What Sign and Verify both check before any crypto; returns the key. */
async function checkedSigningKey(ctx: OpContext, req: Record<string, unknown>): Promise<{ key: KeyRecord; alg: SigningAlgorithm; messageType: MessageType }> {
  const alg = req.SigningAlgorithm as string;
  const messageType = (req.MessageType as MessageType | undefined) ?? 'RAW';
  const conditions: ConditionContext = { 'kms:signingalgorithm': [alg], 'kms:messagetype': [messageType] };
  const key = useKey(ctx, req.KeyId as string, 'any', { conditions });
  assertKeyUsage(ctx, key, 'SIGN_VERIFY');
  assertAlgorithm(key, alg, offeredAlgorithms(key, 'SigningAlgorithms'));
  const keys = await loadKeyCrypto();
  const signing = alg as SigningAlgorithm;
  if (!keys.isMessageTypeAllowed(signing, messageType)) {
    validationError(signing === 'ML_DSA_SHAKE_256'
      ? `Message type ${messageType} is incompatible with key spec ${key.keySpec}.`
      : `Message type ${messageType} is incompatible with algorithm ${alg}.`);
  }
  const need = keys.digestLength(signing, messageType);
  const message = req.Message as Uint8Array;
  if (need !== null && message.length !== need) validationError(`Digest is invalid length for algorithm ${alg}.`);
  return { key, alg: signing, messageType };
}

export const sign: Operation = {
  name: 'Sign',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, requestSpec(req, false));
    const { key, alg, messageType } = await checkedSigningKey(ctx, req);
    if (req.DryRun === true) dryRunSucceeded();
    const keys = await loadKeyCrypto();
    let signature: Uint8Array;
    try {
      signature = await keys.sign(key.keySpec as AsymmetricKeySpec, currentMaterial(ctx, key), alg, req.Message as Uint8Array, messageType, ctx.random);
    } catch (e) {
      internalCryptoError(keys, key, e);
    }
    return { KeyId: key.id, Signature: signature, SigningAlgorithm: alg };
  },
};

export const verify: Operation = {
  name: 'Verify',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, requestSpec(req, true));
    const { key, alg, messageType } = await checkedSigningKey(ctx, req);
    if (req.DryRun === true) dryRunSucceeded();
    const keys = await loadKeyCrypto();
    const spki = await publicKeyOf(ctx, key, keys);
    const ok = await keys.verify(key.keySpec as AsymmetricKeySpec, spki, alg, req.Message as Uint8Array, messageType, req.Signature as Uint8Array);
    if (!ok) throw kmsError('KMSInvalidSignatureException', '', { reason: 'The signature does not match the message, the key or the signing algorithm.' });
    return { KeyId: key.id, SignatureValid: true, SigningAlgorithm: alg };
  },
};
