/**
 * Key material for a new key or a new key pair, by key spec (§4.1), and the lazy door to the
 * asymmetric/HMAC crypto (`crypto/keys/`, loaded on first use so the page's first load stays small).
 *
 * Determinism (STYLE §8): symmetric, HMAC, ECC, Ed25519 and ML-* material is drawn from the call's
 * seeded random stream, so replay rebuilds it. RSA key pairs come from WebCrypto, which cannot be
 * seeded: the private key is a recorded output of the call (`ctx.recorded`), carried in the log.
 */
import { materialWithId, type OpContext } from '../context';
import { bytesToHex } from '../crypto';
import type { KeyArn, KeyMaterialId } from '../ids';
import { kmsError } from '../errors';
import type { KeySpec, MaterialRecord } from '../model';

/** The crypto of asymmetric and HMAC keys (loaded once, on first use). */
export type KeyCrypto = typeof import('../crypto/keys/index');
type HmacKeySpec = Parameters<KeyCrypto['hmacKeyLength']>[0];

let keyCrypto: Promise<KeyCrypto> | undefined;

/** Loads `crypto/keys` (dynamic import: a separate chunk in the page). */
export function loadKeyCrypto(): Promise<KeyCrypto> {
  keyCrypto ??= import('../crypto/keys/index');
  return keyCrypto;
}

/** The original material record of a new key of `spec` (its id drawn first, then the material). */
export async function newKeyMaterial(ctx: OpContext, arn: KeyArn, spec: KeySpec): Promise<MaterialRecord> {
  const keyMaterialId = bytesToHex(ctx.random.bytes(32)) as KeyMaterialId;
  return materialWithId(arn, keyMaterialId, await generateKeyMaterial(ctx, spec), ctx.now, null, 0);
}

/**
 * New material for a key of `spec`: 32 AES bytes, the HMAC key, or the DER PKCS#8 private key.
 * `name` names the recorded output when the spec cannot be seeded (a call making two RSA keys
 * gives each its own name).
 */
export async function generateKeyMaterial(ctx: OpContext, spec: KeySpec, name = 'privateKey'): Promise<Uint8Array> {
  if (spec === 'SYMMETRIC_DEFAULT') return ctx.random.bytes(32);
  if (spec.startsWith('HMAC_')) return ctx.random.bytes((await loadKeyCrypto()).hmacKeyLength(spec as HmacKeySpec));
  return generatePrivateKey(ctx, spec as AsymmetricSpec, name);
}

/** Asymmetric key specs (every spec but SYMMETRIC_DEFAULT and HMAC_*). */
export type AsymmetricSpec = Exclude<KeySpec, 'SYMMETRIC_DEFAULT' | `HMAC_${string}`>;

/** A new DER PKCS#8 private key of `spec` (seeded, or recorded under `name` for RSA). */
export async function generatePrivateKey(ctx: OpContext, spec: AsymmetricSpec, name = 'privateKey'): Promise<Uint8Array> {
  if (spec === 'SM2') throw kmsError('UnsupportedOperationException', 'KeySpec SM2 is not supported by this simulator (it needs SM2/SM3 crypto, offered only in the China Regions).');
  const keys = await loadKeyCrypto();
  try {
    if (keys.isSeedable(spec)) return (await keys.generateKeyPair(spec, ctx.random)).privateKey;
    return await ctx.recorded(name, async () => (await keys.generateKeyPair(spec, ctx.random)).privateKey);
  } catch (e) {
    if (e instanceof keys.CryptoKeyError && e.code === 'Unsupported') throw kmsError('UnsupportedOperationException', e.message);
    throw e;
  }
}
