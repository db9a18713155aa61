/**
 * `autoBackend`: a CryptoBackend (src/kms/ports.ts) that picks, per call, the faster of the two
 * real backends by input size. STYLE §10.
 *
 * Why: in Node every WebCrypto AES-GCM call hops to the libuv thread pool and back, a fixed cost
 * of tens of microseconds that dwarfs the work on the few-hundred-byte inputs of a KMS call
 * (a 32-byte data key, a 4 KiB Encrypt at most). `@noble/ciphers` runs on the calling thread:
 * about 2x faster than WebCrypto below ~512 bytes, far slower on bulk data (measured on Node 20:
 * 32 B noble 17.5 µs vs WebCrypto 33 µs; 4 KiB 113 µs vs 29 µs; 64 KiB 1.25 ms vs 0.10 ms).
 * So inputs up to `AUTO_NOBLE_MAX_BYTES` go to `nobleBackend`, larger ones (envelope frames) to
 * `webCryptoBackend`. Both compute the same AES-GCM (NIST SP 800-38D, 96-bit IV, 128-bit tag,
 * `ciphertext || tag`) and SHA-256, so outputs are byte-identical whichever one runs.
 *
 * Meant for Node (the local endpoint, the Node bench). In a browser WebCrypto has no such hop and
 * is faster at every size: use `webCryptoBackend` there.
 *
 * The handle holds both backends' handles; both are imported up front, so a key WebCrypto
 * refuses is refused at import as `webCryptoBackend` would refuse it.
 */
import type { AesKeyHandle, CryptoBackend } from '../ports';
import { AES_KEY_LENGTHS, assertBytes } from './bytes';
import { nobleBackend } from './noble';
import { webCryptoBackend } from './webcrypto';

/** Inputs (plaintext, ciphertext or digest data) of at most this many bytes go to the noble backend. */
export const AUTO_NOBLE_MAX_BYTES = 512;

/** The opaque handle: one handle per backend, in private fields. */
class AutoAesKey {
  readonly #noble: AesKeyHandle;
  readonly #web: AesKeyHandle;
  constructor(noble: AesKeyHandle, web: AesKeyHandle) {
    this.#noble = noble;
    this.#web = web;
  }
  static pick(key: unknown, size: number): { backend: CryptoBackend; handle: AesKeyHandle } {
    if (!(key instanceof AutoAesKey)) throw new TypeError('key: expected a handle from autoBackend.importAesKey');
    return size <= AUTO_NOBLE_MAX_BYTES ? { backend: nobleBackend, handle: key.#noble } : { backend: webCryptoBackend, handle: key.#web };
  }
}

/** The size that picks the backend; a non-Uint8Array goes to WebCrypto, which rejects it with the shared validation error. */
function sizeOf(data: unknown): number {
  return data instanceof Uint8Array ? data.length : Number.POSITIVE_INFINITY;
}

/** CryptoBackend that runs small inputs through @noble and large ones through WebCrypto. */
export const autoBackend: CryptoBackend = {
  name: 'auto',

  async importAesKey(raw: Uint8Array): Promise<AesKeyHandle> {
    assertBytes(raw, 'key', ...AES_KEY_LENGTHS);
    const [noble, web] = await Promise.all([nobleBackend.importAesKey(raw), webCryptoBackend.importAesKey(raw)]);
    return new AutoAesKey(noble, web) as unknown as AesKeyHandle;
  },

  async aesGcmEncrypt(key, iv, plaintext, aad): Promise<Uint8Array> {
    const { backend, handle } = AutoAesKey.pick(key, sizeOf(plaintext));
    return backend.aesGcmEncrypt(handle, iv, plaintext, aad);
  },

  async aesGcmDecrypt(key, iv, ciphertext, aad): Promise<Uint8Array> {
    const { backend, handle } = AutoAesKey.pick(key, sizeOf(ciphertext));
    return backend.aesGcmDecrypt(handle, iv, ciphertext, aad);
  },

  async sha256(data: Uint8Array): Promise<Uint8Array> {
    return (sizeOf(data) <= AUTO_NOBLE_MAX_BYTES ? nobleBackend : webCryptoBackend).sha256(data);
  },
};
