/**
 * `nobleBackend`: the CryptoBackend (src/kms/ports.ts) over audited pure-JS primitives:
 * `@noble/ciphers` AES-GCM (NIST SP 800-38D) and `@noble/hashes` SHA-256 (FIPS 180-4). STYLE §10.
 *
 * Same call shape, parameters and errors as `webCryptoBackend` (96-bit IV, 128-bit tag,
 * `ciphertext || tag`, `AuthenticationError` on a bad tag), so one test suite runs against both.
 * It is the reference the WebCrypto backend is checked against and the fallback where
 * `crypto.subtle` is missing (insecure contexts). It is synchronous underneath; the async
 * signatures only match the interface.
 *
 * The key handle keeps a private copy of the raw key (the caller may zero its own array). JS
 * cannot guarantee that copy is wiped: it lives until the handle is garbage-collected.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AuthenticationError } from '../ports';
import type { AesKeyHandle, CryptoBackend } from '../ports';
import { AES_KEY_LENGTHS, GCM_IV_LENGTH, GCM_TAG_LENGTH, assertBytes, assertMinBytes } from './bytes';

/** The opaque handle: the raw key lives in a private field nothing outside this module reads. */
class NobleAesKey {
  readonly #raw: Uint8Array;
  constructor(raw: Uint8Array) {
    this.#raw = Uint8Array.from(raw);
  }
  static rawOf(key: unknown): Uint8Array {
    if (!(key instanceof NobleAesKey)) throw new TypeError('key: expected a handle from nobleBackend.importAesKey');
    return key.#raw;
  }
}

/** CryptoBackend over @noble/ciphers and @noble/hashes. */
export const nobleBackend: CryptoBackend = {
  name: 'noble',

  async importAesKey(raw: Uint8Array): Promise<AesKeyHandle> {
    assertBytes(raw, 'key', ...AES_KEY_LENGTHS);
    return new NobleAesKey(raw) as unknown as AesKeyHandle;
  },

  async aesGcmEncrypt(key, iv, plaintext, aad): Promise<Uint8Array> {
    const raw = NobleAesKey.rawOf(key);
    assertBytes(iv, 'iv', GCM_IV_LENGTH);
    assertBytes(plaintext, 'plaintext');
    assertBytes(aad, 'aad');
    return gcm(raw, iv, aad).encrypt(plaintext);
  },

  async aesGcmDecrypt(key, iv, ciphertext, aad): Promise<Uint8Array> {
    const raw = NobleAesKey.rawOf(key);
    assertBytes(iv, 'iv', GCM_IV_LENGTH);
    assertMinBytes(ciphertext, 'ciphertext', GCM_TAG_LENGTH);
    assertBytes(aad, 'aad');
    try {
      return gcm(raw, iv, aad).decrypt(ciphertext);
    } catch (e) {
      // Inputs were validated above, so noble's only remaining failure is the tag check
      // ("aes-gcm: invalid tag"); it verifies the tag before producing any plaintext.
      if (e instanceof Error && /invalid tag/.test(e.message)) {
        throw new AuthenticationError('AES-GCM: authentication tag did not verify');
      }
      throw e;
    }
  },

  async sha256(data: Uint8Array): Promise<Uint8Array> {
    assertBytes(data, 'data');
    return sha256(data);
  },
};
