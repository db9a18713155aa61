/**
 * GetPublicKey (§2.2, §4.1) and the steps the asymmetric and HMAC operations share (Sign, Verify,
 * GenerateMac, VerifyMac, DeriveSharedSecret, Encapsulate, Decapsulate): the key usage and
 * algorithm checks with AWS's messages, and the key's material as the crypto leaf wants it.
 *
 * Messages (where each comes from):
 * - `<key ARN> key usage is <usage> which is not valid for <Operation>.` (InvalidKeyUsageException):
 *   recorded from AWS by floci-io/floci's KMS tests (Sign/Verify with HMAC, symmetric, RSA
 *   ENCRYPT_DECRYPT and KEY_AGREEMENT keys) and the same shape as this codebase's Encrypt check.
 * - `Algorithm <alg> is incompatible with key spec <spec>.` (InvalidKeyUsageException): real AWS
 *   text quoted in user reports (zalando/spring-cloud-config-aws-kms#82, jkroepke/helm-secrets#395,
 *   "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096.") and floci's tests for
 *   Sign/Verify. Used for MacAlgorithm too (inferred: same service check, unverified for HMAC).
 * - GetPublicKey of a symmetric or HMAC key: UnsupportedOperationException
 *   `GetPublicKey is not supported for symmetric keys.` (floci's message; unverified against AWS).
 */
import { kmsError } from '../errors';
import type { KeyRecord } from '../model';
import { algorithmsOf, familyOf } from '../keySpecs';
import { materialOf, type OpContext } from '../context';
import { GRANT_TOKENS, KEY_ID, validateRequest } from '../validate';
import type { Operation } from './operation';
import { useKey } from './common';
import type { AsymmetricKeySpec } from '../crypto/keys/index';
import { loadKeyCrypto, type KeyCrypto } from './keyMaterial';

/** Throws InvalidKeyUsageException unless the key has `usage` (AWS: usage checked after state). */
export function assertKeyUsage(ctx: OpContext, key: KeyRecord, usage: KeyRecord['keyUsage']): void {
  if (key.keyUsage !== usage) {
    throw kmsError('InvalidKeyUsageException', `${key.id} key usage is ${key.keyUsage} which is not valid for ${ctx.operation}.`);
  }
}

/** Throws InvalidKeyUsageException unless `algorithm` is one the key's spec offers. */
export function assertAlgorithm(key: KeyRecord, algorithm: string, offered: readonly string[] | undefined): void {
  if (!offered?.includes(algorithm)) {
    throw kmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`);
  }
}

/** The algorithm list of the key's (spec, usage) for one KeyMetadata member. */
export function offeredAlgorithms(key: KeyRecord, member: 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms' | 'EncapsulationAlgorithms'): readonly string[] | undefined {
  return algorithmsOf(key.keySpec, key.keyUsage)?.[member];
}

/** The key's current material bytes (PKCS#8 private key, or HMAC key); KMSInternalException if missing. */
export function currentMaterial(ctx: OpContext, key: KeyRecord): Uint8Array {
  const material = key.currentKeyMaterialId === null ? undefined : materialOf(ctx, key, key.currentKeyMaterialId);
  if (!material) throw kmsError('KMSInternalException', `Key material of ${key.id} is missing.`);
  return material.material;
}

/** The DER SubjectPublicKeyInfo of an asymmetric key (from its PKCS#8 private key). */
export async function publicKeyOf(ctx: OpContext, key: KeyRecord, keys?: KeyCrypto): Promise<Uint8Array> {
  const crypto = keys ?? (await loadKeyCrypto());
  try {
    return await crypto.publicKeyFromPrivate(key.keySpec as AsymmetricKeySpec, currentMaterial(ctx, key));
  } catch (e) {
    if (e instanceof crypto.CryptoKeyError) throw kmsError('KMSInternalException', `Key material of ${key.id} is not usable: ${e.message}`);
    throw e;
  }
}

/** Maps an unexpected CryptoKeyError of the leaf to KMSInternalException (never a crash). */
export function internalCryptoError(keys: KeyCrypto, key: KeyRecord, e: unknown): never {
  if (e instanceof keys.CryptoKeyError) throw kmsError('KMSInternalException', `The ${key.keySpec} operation failed: ${e.message}`);
  throw e;
}

export const getPublicKey: Operation = {
  name: 'GetPublicKey',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, GrantTokens: GRANT_TOKENS });
    const key = useKey(ctx, req.KeyId as string, 'any');
    if (familyOf(key.keySpec) !== 'asymmetric') {
      throw kmsError('UnsupportedOperationException', 'GetPublicKey is not supported for symmetric keys.');
    }
    const publicKey = await publicKeyOf(ctx, key);
    const response: Record<string, unknown> = { KeyId: key.id, PublicKey: publicKey };
    // CustomerMasterKeySpec (deprecated) has no ML-DSA, ML-KEM or Ed25519 values (§4.1), as in KeyMetadata.
    if (!/^(ML_|ECC_NIST_EDWARDS)/.test(key.keySpec)) response.CustomerMasterKeySpec = key.keySpec;
    response.KeySpec = key.keySpec;
    response.KeyUsage = key.keyUsage;
    Object.assign(response, algorithmsOf(key.keySpec, key.keyUsage) ?? {});
    return response;
  },
};
