/**
 * HMAC keys (RFC 2104 via @noble/hashes) and AES key wrap with padding (RFC 5649 via
 * @noble/ciphers `aeskwp`), the wrapping the RSA_AES_KEY_WRAP_SHA_1/SHA_256 import algorithms use
 * around the key material (CKM_RSA_AES_KEY_WRAP: RSA-OAEP over an ephemeral AES key, then
 * RFC 5649 of the material under it).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { aeskwp } from '@noble/ciphers/aes.js';
import { CryptoKeyError } from './errors';
import type { HmacKeySpec } from './specs';

const HMAC_HASH = { HMAC_224: sha224, HMAC_256: sha256, HMAC_384: sha384, HMAC_512: sha512 } as const;

/** HMAC of `message` with the key's hash (the tag is the full hash output: 28/32/48/64 bytes). */
export function generateMac(spec: HmacKeySpec, key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(HMAC_HASH[spec], key, message);
}

/** Constant-time comparison of the expected MAC with `mac` (false for any other length). */
export function verifyMac(spec: HmacKeySpec, key: Uint8Array, message: Uint8Array, mac: Uint8Array): boolean {
  const expected = generateMac(spec, key, message);
  if (mac.length !== expected.length) return false;
  let d = 0;
  for (let i = 0; i < expected.length; i++) d |= (expected[i] as number) ^ (mac[i] as number);
  return d === 0;
}

function checkKek(kek: Uint8Array): void {
  if (kek.length !== 16 && kek.length !== 24 && kek.length !== 32) throw new RangeError(`kek: expected 16/24/32 bytes, got ${kek.length}`);
}

/** RFC 5649 wrap. */
export function aesKeyWrapPad(kek: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkKek(kek);
  if (plaintext.length === 0) throw new RangeError('plaintext: expected at least 1 byte');
  return aeskwp(kek).encrypt(plaintext);
}

/** RFC 5649 unwrap; CryptoKeyError InvalidCiphertext when the integrity check fails. */
export function aesKeyUnwrapPad(kek: Uint8Array, wrapped: Uint8Array): Uint8Array {
  checkKek(kek);
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) throw new CryptoKeyError('InvalidCiphertext', 'wrapped key length is not valid for AES key wrap with padding');
  try {
    return aeskwp(kek).decrypt(wrapped);
  } catch {
    throw new CryptoKeyError('InvalidCiphertext', 'AES key wrap integrity check failed');
  }
}
