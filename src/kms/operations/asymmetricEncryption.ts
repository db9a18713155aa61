/**
 * Encryption with asymmetric (RSA ENCRYPT_DECRYPT) keys (§2.2): RSAES-OAEP under the key's public
 * key, decryption with its private key, and Decrypt's/ReEncrypt's source half for asymmetric
 * ciphertext. Loaded on first use by Encrypt, Decrypt and ReEncrypt (not in the page's first load).
 */
import { kmsError } from '../errors';
import type { KeyRecord, MaterialRecord } from '../model';
import { authorize } from '../authorization';
import { assertOperationAllowed } from '../lifecycle/matrix';
import { materialOf, resolveKey, type OpContext } from '../context';
import { assertEncryptionKey, cryptoConditions, invalidCiphertext, requestAliasCondition, rsaModulusBytes } from './common';
import { loadKeyCrypto, type KeyCrypto } from './keyMaterial';
import type { RsaEncryptionAlgorithm, RsaKeySpec } from '../crypto/keys/index';

/** The current material of an asymmetric key (its DER PKCS#8 private key). */
function asymmetricMaterial(ctx: OpContext, key: KeyRecord): MaterialRecord {
  const material = key.currentKeyMaterialId === null ? undefined : materialOf(ctx, key, key.currentKeyMaterialId);
  if (!material) throw kmsError('KMSInternalException', `Key material of ${key.id} is missing.`);
  return material;
}

/** SPKI of each private key seen (derived once: parsing and checking an RSA key costs BigInt work). */
const publicKeys = new WeakMap<Uint8Array, Uint8Array>();

/** The DER SubjectPublicKeyInfo of an asymmetric key's material. */
export async function publicKeyOfMaterial(keys: KeyCrypto, key: KeyRecord, material: MaterialRecord): Promise<Uint8Array> {
  const cached = publicKeys.get(material.material);
  if (cached) return cached;
  const spki = await keys.publicKeyFromPrivate(key.keySpec as Parameters<KeyCrypto['publicKeyFromPrivate']>[0], material.material);
  publicKeys.set(material.material, spki);
  return spki;
}

/** ValidationException when `plaintext` is longer than the key's OAEP limit for `algorithm` (§3.1: 214/190 … 470/446 bytes). */
export async function assertPlaintextFits(key: KeyRecord, algorithm: string, plaintext: Uint8Array): Promise<void> {
  if (rsaModulusBytes(key.keySpec) === null) return;
  const max = (await loadKeyCrypto()).rsaMaxPlaintextBytes(key.keySpec as RsaKeySpec, algorithm as RsaEncryptionAlgorithm);
  if (plaintext.length > max) {
    throw kmsError('ValidationException', `Algorithm ${algorithm} and key spec ${key.keySpec} cannot encrypt data larger than ${max} bytes.`);
  }
}

function assertRsa(key: KeyRecord): void {
  // SM2PKE (China Regions only) needs SM2/SM3 crypto this simulator does not have.
  if (rsaModulusBytes(key.keySpec) === null) {
    throw kmsError('UnsupportedOperationException', `KeySpec ${key.keySpec} encryption is not supported by this simulator.`);
  }
}

/**
 * RSAES-OAEP encryption under an asymmetric key's public key: the raw ciphertext (modulus size,
 * no metadata, §2.2). Call `assertEncryptionKey` and `assertPlaintextFits` first. The OAEP seed
 * comes from WebCrypto, which the sandbox seed cannot reproduce, so the ciphertext is a recorded
 * output of the call (replay gets the same bytes back).
 */
export async function sealAsymmetric(
  ctx: OpContext,
  key: KeyRecord,
  algorithm: string,
  plaintext: Uint8Array,
): Promise<{ blob: Uint8Array; material: MaterialRecord }> {
  assertRsa(key);
  const material = asymmetricMaterial(ctx, key);
  const keys = await loadKeyCrypto();
  const spki = await publicKeyOfMaterial(keys, key, material);
  const blob = await ctx.recorded('ciphertext', () => keys.rsaOaepEncrypt(spki, algorithm as 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256', plaintext));
  return { blob, material };
}

/**
 * RSAES-OAEP decryption with an asymmetric key's private key (ciphertext made by Encrypt or
 * offline with the public key). Any failure is InvalidCiphertextException.
 */
export async function openAsymmetric(ctx: OpContext, key: KeyRecord, algorithm: string, blob: Uint8Array): Promise<Uint8Array> {
  assertRsa(key);
  const material = asymmetricMaterial(ctx, key);
  const k = rsaModulusBytes(key.keySpec)!;
  if (blob.length !== k) invalidCiphertext(`An ${key.keySpec} ciphertext is exactly ${k} bytes; this one has ${blob.length}.`);
  const keys = await loadKeyCrypto();
  try {
    return await keys.rsaOaepDecrypt(material.material, algorithm as 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256', blob);
  } catch (e) {
    if (e instanceof keys.CryptoKeyError) {
      invalidCiphertext(`The ciphertext does not decrypt with ${algorithm} under this key (another key, another algorithm, or changed bytes).`);
    }
    throw e;
  }
}

/**
 * Decrypt's and ReEncrypt's source half for asymmetric ciphertext (`algorithm` is asymmetric):
 * KeyId is required (the ciphertext names no key), then the key is authorized, its state checked,
 * its usage and algorithm checked, and the ciphertext opened. `dryRun` stops before opening.
 */
export async function openAsymmetricCiphertext(
  ctx: OpContext,
  blob: Uint8Array,
  keyIdInput: string | undefined,
  operation: string,
  algorithm: string,
  dryRun: boolean,
): Promise<{ key: KeyRecord; plaintext: Uint8Array } | null> {
  if (keyIdInput === undefined) {
    invalidCiphertext('Asymmetric ciphertext carries no key identity: name the key in KeyId together with EncryptionAlgorithm.');
  }
  const key = resolveKey(ctx, keyIdInput, 'any');
  ctx.touch(key);
  authorize(ctx, {
    operation,
    action: `kms:${operation === 'ReEncrypt' ? 'ReEncryptFrom' : operation}`,
    target: key,
    conditions: { ...requestAliasCondition(keyIdInput), ...cryptoConditions(undefined, algorithm) },
  });
  assertOperationAllowed(operation, key);
  assertEncryptionKey(key, algorithm, operation);
  if (dryRun) return null;
  return { key, plaintext: await openAsymmetric(ctx, key, algorithm, blob) };
}
