/**
 * `webCryptoBackend`: the CryptoBackend (src/kms/ports.ts) over the platform's WebCrypto
 * (`globalThis.crypto.subtle`), available in browsers and Node ≥ 20. STYLE §10.
 *
 * AES-GCM follows NIST SP 800-38D with the parameters KMS uses for symmetric keys: a 96-bit IV
 * (§8.2.1 deterministic/random IV length the spec recommends) and a 128-bit tag (§5.2.1.2).
 * Output is `ciphertext || tag`, which is what WebCrypto's `encrypt` returns.
 *
 * Validation happens here, before WebCrypto sees the input, so both backends reject bad input with
 * the same errors (`bytes.ts`). A tag that does not verify makes WebCrypto reject with a
 * `DOMException` named `OperationError`; that is mapped to `AuthenticationError` from ports.ts.
 *
 * Not done here: 192-bit keys pass our check but Chromium's WebCrypto refuses to import them
 * (it supports 128/256 only); that rejection is passed through unchanged.
 */
import { AuthenticationError } from '../ports';
import type { AesKeyHandle, CryptoBackend } from '../ports';
import { AES_KEY_LENGTHS, GCM_IV_LENGTH, GCM_TAG_LENGTH, assertBytes, assertMinBytes, toBufferSource } from './bytes';

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('webCryptoBackend: globalThis.crypto.subtle is unavailable (needs a secure context or Node >= 20)');
  return s;
}

function isCryptoKey(k: unknown): k is CryptoKey {
  return typeof CryptoKey !== 'undefined' && k instanceof CryptoKey;
}

/**
 * CryptoKeys that passed `cryptoKeyOf`'s check. A key's algorithm never changes, and reading
 * `CryptoKey.algorithm` builds a new object on every read in Chromium (bench profile).
 */
const checkedKeys = new WeakSet<object>();

/** Unwraps a handle, checking it came from this backend's `importAesKey`. */
function cryptoKeyOf(key: AesKeyHandle): CryptoKey {
  const k: unknown = key;
  if (typeof k === 'object' && k !== null && checkedKeys.has(k)) return k as CryptoKey;
  if (!isCryptoKey(k) || k.algorithm.name !== 'AES-GCM') {
    throw new TypeError('key: expected an AES-GCM handle from webCryptoBackend.importAesKey');
  }
  checkedKeys.add(k);
  return k;
}

/** True when `e` is WebCrypto's signal for a failed GCM tag check. */
function isOperationError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'OperationError';
}

/**
 * CryptoBackend over WebCrypto. The key handle is a non-extractable `CryptoKey` usable only for
 * AES-GCM encrypt/decrypt, so key bytes never come back out of it.
 */
export const webCryptoBackend: CryptoBackend = {
  name: 'webcrypto',

  async importAesKey(raw: Uint8Array): Promise<AesKeyHandle> {
    assertBytes(raw, 'key', ...AES_KEY_LENGTHS);
    // importKey copies the bytes before it returns, so the caller may zero `raw` afterwards.
    const key = await subtle().importKey('raw', toBufferSource(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    return key as unknown as AesKeyHandle;
  },

  async aesGcmEncrypt(key, iv, plaintext, aad): Promise<Uint8Array> {
    const k = cryptoKeyOf(key);
    assertBytes(iv, 'iv', GCM_IV_LENGTH);
    assertBytes(plaintext, 'plaintext');
    assertBytes(aad, 'aad');
    const params: AesGcmParams = {
      name: 'AES-GCM',
      iv: toBufferSource(iv),
      additionalData: toBufferSource(aad),
      tagLength: GCM_TAG_LENGTH * 8,
    };
    return new Uint8Array(await subtle().encrypt(params, k, toBufferSource(plaintext)));
  },

  async aesGcmDecrypt(key, iv, ciphertext, aad): Promise<Uint8Array> {
    const k = cryptoKeyOf(key);
    assertBytes(iv, 'iv', GCM_IV_LENGTH);
    assertMinBytes(ciphertext, 'ciphertext', GCM_TAG_LENGTH);
    assertBytes(aad, 'aad');
    const params: AesGcmParams = {
      name: 'AES-GCM',
      iv: toBufferSource(iv),
      additionalData: toBufferSource(aad),
      tagLength: GCM_TAG_LENGTH * 8,
    };
    try {
      return new Uint8Array(await subtle().decrypt(params, k, toBufferSource(ciphertext)));
    } catch (e) {
      // WebCrypto reports a bad tag as OperationError and says nothing more (SP 800-38D §7.2: FAIL).
      if (isOperationError(e)) throw new AuthenticationError('AES-GCM: authentication tag did not verify');
      throw e;
    }
  },

  async sha256(data: Uint8Array): Promise<Uint8Array> {
    assertBytes(data, 'data');
    return new Uint8Array(await subtle().digest('SHA-256', toBufferSource(data)));
  },
};
