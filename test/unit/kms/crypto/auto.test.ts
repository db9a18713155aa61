/**
 * autoBackend (src/kms/crypto/auto.ts): the same bytes as both real backends on either side of
 * the size threshold, interchangeable ciphertexts, and the shared error behaviour.
 */
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../../src/kms/ports';
import { AUTO_NOBLE_MAX_BYTES, autoBackend, nobleBackend, webCryptoBackend } from '../../../../src/kms/crypto';

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
const SIZES = [0, 1, 32, AUTO_NOBLE_MAX_BYTES, AUTO_NOBLE_MAX_BYTES + 1, 4096];

describe('autoBackend', () => {
  it.each(SIZES)('encrypts, decrypts and hashes %i bytes exactly as both backends do', async (n) => {
    const raw = bytes(32, 1);
    const iv = bytes(12, 2);
    const aad = bytes(20, 3);
    const pt = bytes(n, 9);
    const [auto, noble, web] = await Promise.all([autoBackend, nobleBackend, webCryptoBackend].map((b) => b.importAesKey(raw)));
    const ct = await autoBackend.aesGcmEncrypt(auto!, iv, pt, aad);
    expect(ct).toEqual(await nobleBackend.aesGcmEncrypt(noble!, iv, pt, aad));
    expect(ct).toEqual(await webCryptoBackend.aesGcmEncrypt(web!, iv, pt, aad));
    expect(await autoBackend.aesGcmDecrypt(auto!, iv, ct, aad)).toEqual(pt);
    expect(await autoBackend.sha256(pt)).toEqual(await webCryptoBackend.sha256(pt));
  });

  it.each(SIZES)('rejects a tampered %i-byte ciphertext with AuthenticationError', async (n) => {
    const key = await autoBackend.importAesKey(bytes(32, 1));
    const ct = await autoBackend.aesGcmEncrypt(key, bytes(12), bytes(n), bytes(0));
    ct[ct.length - 1]! ^= 1;
    await expect(autoBackend.aesGcmDecrypt(key, bytes(12), ct, bytes(0))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('rejects bad keys, IVs and foreign handles as promises', async () => {
    await expect(autoBackend.importAesKey(bytes(15))).rejects.toThrow();
    const key = await autoBackend.importAesKey(bytes(16));
    await expect(autoBackend.aesGcmEncrypt(key, bytes(11), bytes(4), bytes(0))).rejects.toThrow();
    const foreign = await nobleBackend.importAesKey(bytes(16));
    await expect(autoBackend.aesGcmEncrypt(foreign, bytes(12), bytes(4), bytes(0))).rejects.toBeInstanceOf(TypeError);
  });
});
