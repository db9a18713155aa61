/**
 * AES-256-GCM for the simulated services' data (S3 object bodies, secret values), through
 * WebCrypto (Node 20 and browsers): the services encrypt for real, and using WebCrypto rather than
 * @noble/ciphers here keeps noble's shared helpers, which the page's first load carries, small.
 */
function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle;
}

function importKey(key: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return subtle().importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
}

/** Ciphertext with its 16-byte tag appended (the layout @noble/ciphers' gcm also uses). */
export async function gcmSeal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const k = await importKey(key, 'encrypt');
  const params = { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: aad as Uint8Array<ArrayBuffer>, tagLength: 128 };
  return new Uint8Array(await subtle().encrypt(params, k, plaintext as Uint8Array<ArrayBuffer>));
}

/** The plaintext; rejects when the tag does not verify. */
export async function gcmOpen(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array> {
  const k = await importKey(key, 'decrypt');
  const params = { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: aad as Uint8Array<ArrayBuffer>, tagLength: 128 };
  return new Uint8Array(await subtle().decrypt(params, k, sealed as Uint8Array<ArrayBuffer>));
}
