/**
 * GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext (§2.2, §4.2): a fresh asymmetric
 * key pair of KeyPairSpec whose private key is encrypted under a symmetric encryption KMS key.
 *
 *   PublicKey                 DER X.509 SubjectPublicKeyInfo
 *   PrivateKeyPlaintext       DER PKCS#8 PrivateKeyInfo (GenerateDataKeyPair only)
 *   PrivateKeyCiphertextBlob  our symmetric ciphertext blob of that PKCS#8 (Decrypt opens it
 *                             with the same encryption context)
 *
 * Only symmetric keys wrap the private key (InvalidKeyUsageException otherwise); keys in custom
 * key stores are refused (UnsupportedOperationException, §2.2); SM2 exists only in the China
 * Regions (elsewhere UnsupportedOperationException, worded like CreateKey's, unverified), and this
 * simulator has no SM2 crypto at all. Determinism (STYLE §8): ECC, Ed25519 and ML-KEM pairs come
 * from the call's seeded stream; RSA pairs come from WebCrypto and are a recorded output of the
 * call (`dataKeyPair`), so replay rebuilds the same pair. `Recipient` (Nitro Enclaves
 * attestation) is not simulated.
 */
import type { Operation } from './operation';
import type { AwsShape } from '../api';
import type { OpContext } from '../context';
import { kmsError } from '../errors';
import { isChinaRegion } from '../keySpecs';
import { DRY_RUN, ENCRYPTION_CONTEXT, GRANT_TOKENS, KEY_ID, validateRequest } from '../validate';
import { assertSymmetricEncryptionKey, cryptoConditions, dryRunSucceeded, sealWithKey, useKey } from './common';
import { generatePrivateKey, loadKeyCrypto, type AsymmetricSpec } from './keyMaterial';

/** DataKeyPairSpec values (§2.2, §4.1 enumerations). */
export const KEY_PAIR_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SM2',
  'ECC_NIST_EDWARDS25519',
  'ML_KEM_512',
  'ML_KEM_768',
  'ML_KEM_1024',
] as const;

async function generatePair(ctx: OpContext, req: AwsShape, withPlaintext: boolean): Promise<AwsShape> {
  validateRequest(req, {
    KeyId: KEY_ID,
    KeyPairSpec: { type: 'enum', required: true, values: KEY_PAIR_SPECS },
    EncryptionContext: ENCRYPTION_CONTEXT,
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
  });
  if (req.Recipient !== undefined) {
    throw kmsError('UnsupportedOperationException', 'Recipient (AWS Nitro Enclaves attestation) is not supported by this simulator.');
  }
  const spec = req.KeyPairSpec as AsymmetricSpec;
  const ec = req.EncryptionContext as Record<string, string> | undefined;
  const key = useKey(ctx, req.KeyId as string, 'any', {
    conditions: { ...cryptoConditions(ec), 'kms:datakeypairspec': [spec] },
    ...(ec ? { encryptionContext: ec } : {}),
  });
  assertSymmetricEncryptionKey(key, undefined, ctx.operation);
  if (key.customKeyStoreId !== null) {
    throw kmsError('UnsupportedOperationException', `${key.id} is in custom key store ${key.customKeyStoreId}; ${ctx.operation} does not support KMS keys in a custom key store.`);
  }
  if (spec === 'SM2' && !isChinaRegion(ctx.caller.region)) {
    throw kmsError('UnsupportedOperationException', 'KeyPairSpec SM2 is not supported in this Region');
  }
  if (req.DryRun === true) dryRunSucceeded();
  const privateKey = await generatePrivateKey(ctx, spec, 'dataKeyPair');
  const keys = await loadKeyCrypto();
  const publicKey = await keys.publicKeyFromPrivate(spec as Parameters<typeof keys.publicKeyFromPrivate>[0], privateKey);
  const { blob, material } = await sealWithKey(ctx, key, privateKey, ec);
  ctx.useMaterial(material.keyMaterialId);
  const response: AwsShape = {
    PrivateKeyCiphertextBlob: blob,
    ...(withPlaintext ? { PrivateKeyPlaintext: privateKey } : {}),
    PublicKey: publicKey,
    KeyId: key.id,
    KeyPairSpec: spec,
    KeyMaterialId: material.keyMaterialId,
  };
  if (!withPlaintext) privateKey.fill(0);
  return response;
}


export const generateDataKeyPair: Operation = {
  name: 'GenerateDataKeyPair',
  readOnly: true,
  handle: (ctx, req) => generatePair(ctx, req, true),
};

export const generateDataKeyPairWithoutPlaintext: Operation = {
  name: 'GenerateDataKeyPairWithoutPlaintext',
  readOnly: true,
  handle: (ctx, req) => generatePair(ctx, req, false),
};
