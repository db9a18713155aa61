import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { sha512 } from '@noble/hashes/sha2.js';
import * as K from '../../../../../src/kms/crypto/keys/index';
import { ed25519Pkcs8, ed25519Spki } from '../../../../../src/kms/crypto/keys/ecc';
import rfc8032 from '../../../../vectors/keys/rfc8032-ed25519.json';
import { flipBit, hex, nodePrivate, nodePublic, testRandom, toHex } from './helpers';

const SPEC = 'ECC_NIST_EDWARDS25519' as const;

describe('Ed25519 (RFC 8032 known answers)', () => {
  for (const v of rfc8032.ed25519) {
    it(`${v.name}: ED25519_SHA_512 / RAW`, async () => {
      const pkcs8 = ed25519Pkcs8(hex(v.secretKey));
      const spki = await K.publicKeyFromPrivate(SPEC, pkcs8);
      expect(toHex(K.publicKeyBytes(spki) as Uint8Array)).toBe(v.publicKey);
      const sig = await K.sign(SPEC, pkcs8, 'ED25519_SHA_512', hex(v.message), 'RAW', testRandom());
      expect(toHex(sig)).toBe(v.signature);
      expect(await K.verify(SPEC, spki, 'ED25519_SHA_512', hex(v.message), 'RAW', sig)).toBe(true);
      expect(nodeVerify(null, hex(v.message), nodePublic(spki), sig)).toBe(true);
    });
  }
  for (const v of rfc8032.ed25519ph) {
    it(`${v.name}: ED25519_PH_SHA_512 / DIGEST of SHA-512(message)`, async () => {
      const pkcs8 = ed25519Pkcs8(hex(v.secretKey));
      const spki = ed25519Spki(hex(v.publicKey));
      const digest = sha512(hex(v.message));
      const sig = await K.sign(SPEC, pkcs8, 'ED25519_PH_SHA_512', digest, 'DIGEST', testRandom());
      expect(toHex(sig)).toBe(v.signature);
      expect(await K.verify(SPEC, spki, 'ED25519_PH_SHA_512', digest, 'DIGEST', sig)).toBe(true);
      // a pure signature over the same bytes is a different signature
      expect(await K.verify(SPEC, spki, 'ED25519_SHA_512', digest, 'RAW', sig)).toBe(false);
    });
  }
});

describe('Ed25519 keys and interop', () => {
  it('deterministic keygen; SPKI/PKCS#8 import into node:crypto and WebCrypto', async () => {
    const kp = await K.generateKeyPair(SPEC, testRandom('ed'));
    expect(await K.generateKeyPair(SPEC, testRandom('ed'))).toEqual(kp);
    expect(K.specOfPublicKey(kp.publicKey)).toBe(SPEC);
    expect(nodePublic(kp.publicKey).asymmetricKeyType).toBe('ed25519');
    expect(new Uint8Array(nodePrivate(kp.privateKey).export({ format: 'der', type: 'pkcs8' }))).toEqual(kp.privateKey);
    const pub = await crypto.subtle.importKey('spki', kp.publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, true, ['verify']);
    await crypto.subtle.importKey('pkcs8', kp.privateKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, true, ['sign']);
    const sig = await K.sign(SPEC, kp.privateKey, 'ED25519_SHA_512', hex('abcd'), 'RAW', testRandom());
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, pub, sig as Uint8Array<ArrayBuffer>, hex('abcd') as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  it("node's keys and signatures work with ours", async () => {
    const nk = generateKeyPairSync('ed25519');
    const spki = new Uint8Array(nk.publicKey.export({ format: 'der', type: 'spki' }));
    const pkcs8 = new Uint8Array(nk.privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(await K.publicKeyFromPrivate(SPEC, pkcs8)).toEqual(spki);
    const m = new TextEncoder().encode('manifest');
    const nsig = new Uint8Array(nodeSign(null, m, nk.privateKey));
    expect(await K.verify(SPEC, spki, 'ED25519_SHA_512', m, 'RAW', nsig)).toBe(true);
    const ours = await K.sign(SPEC, pkcs8, 'ED25519_SHA_512', m, 'RAW', testRandom());
    expect(toHex(ours)).toBe(toHex(nsig)); // Ed25519 is deterministic
  });

  it('message types: ED25519_SHA_512 only RAW, ED25519_PH_SHA_512 only DIGEST of 64 bytes', async () => {
    const kp = await K.generateKeyPair(SPEC, testRandom('ed'));
    const d = new Uint8Array(createHash('sha512').update('x').digest());
    expect(K.isMessageTypeAllowed('ED25519_SHA_512', 'DIGEST')).toBe(false);
    expect(K.isMessageTypeAllowed('ED25519_PH_SHA_512', 'RAW')).toBe(false);
    expect(K.digestLength('ED25519_PH_SHA_512', 'DIGEST')).toBe(64);
    await expect(K.sign(SPEC, kp.privateKey, 'ED25519_SHA_512', d, 'DIGEST', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
    await expect(K.sign(SPEC, kp.privateKey, 'ED25519_PH_SHA_512', d, 'RAW', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
    await expect(K.sign(SPEC, kp.privateKey, 'ED25519_PH_SHA_512', d.subarray(0, 32), 'DIGEST', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
    await expect(K.sign(SPEC, kp.privateKey, 'ECDSA_SHA_256', d, 'RAW', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
  });

  it('property: verify(sign(m)) and single-bit flips fail (both algorithms)', async () => {
    const kp = await K.generateKeyPair(SPEC, testRandom('ed-prop'));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 100 }), fc.nat(), fc.boolean(), async (raw, bit, ph) => {
        const alg = ph ? 'ED25519_PH_SHA_512' : 'ED25519_SHA_512';
        const mt = ph ? 'DIGEST' : 'RAW';
        const m = ph ? sha512(raw) : raw;
        const sig = await K.sign(SPEC, kp.privateKey, alg, m, mt, testRandom());
        expect(sig.length).toBe(64);
        expect(await K.verify(SPEC, kp.publicKey, alg, m, mt, sig)).toBe(true);
        expect(await K.verify(SPEC, kp.publicKey, alg, m, mt, flipBit(sig, bit % 512))).toBe(false);
        if (m.length > 0) expect(await K.verify(SPEC, kp.publicKey, alg, flipBit(m, bit % (m.length * 8)), mt, sig)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
