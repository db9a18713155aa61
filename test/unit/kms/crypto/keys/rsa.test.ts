import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { constants, createHash, generateKeyPairSync, privateDecrypt, publicEncrypt, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import * as K from '../../../../../src/kms/crypto/keys/index';
import { emsaPssEncode, emsaPssVerify, parseRsaPkcs8 } from '../../../../../src/kms/crypto/keys/rsa';
import { flipBit, nodePrivate, nodePublic, testRandom, toHex } from './helpers';

type Rsa = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
const SPECS: readonly Rsa[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const MSG = new TextEncoder().encode('a large release manifest, hashed locally');
const keys = new Map<Rsa, K.KeyPair>();

beforeAll(async () => {
  // one key per size for the whole file (4096 takes seconds)
  const made = await Promise.all(SPECS.map((s) => K.generateKeyPair(s, testRandom())));
  SPECS.forEach((s, i) => keys.set(s, made[i] as K.KeyPair));
}, 60_000);
const kp = (s: Rsa): K.KeyPair => keys.get(s) as K.KeyPair;

const nodeHash = (alg: K.SigningAlgorithm): string => `sha${alg.slice(-3)}`;
const nodePad = (alg: K.SigningAlgorithm) =>
  alg.startsWith('RSASSA_PSS') ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(-3)) / 8 } : { padding: constants.RSA_PKCS1_PADDING };

describe.each(SPECS)('%s', (spec) => {
  const bits = Number(spec.slice(4));

  it('algorithms as §4.1, not seedable, e = 65537, imports into node:crypto', async () => {
    expect(K.signingAlgorithmsFor(spec)).toHaveLength(6);
    expect(K.encryptionAlgorithmsFor(spec)).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    expect(K.isSeedable(spec)).toBe(false);
    const pub = nodePublic(kp(spec).publicKey);
    expect(pub.asymmetricKeyDetails).toMatchObject({ modulusLength: bits, publicExponent: 65537n });
    nodePrivate(kp(spec).privateKey);
    expect(K.specOfPublicKey(kp(spec).publicKey)).toBe(spec);
    expect(await K.publicKeyFromPrivate(spec, kp(spec).privateKey)).toEqual(kp(spec).publicKey);
  });

  for (const alg of ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'] as const) {
    it(`${alg}: ours → node and node → ours, RAW and DIGEST`, async () => {
      const digest = new Uint8Array(createHash(nodeHash(alg)).update(MSG).digest());
      const raw = await K.sign(spec, kp(spec).privateKey, alg, MSG, 'RAW', testRandom());
      const dig = await K.sign(spec, kp(spec).privateKey, alg, digest, 'DIGEST', testRandom('salt'));
      const key = { key: nodePublic(kp(spec).publicKey), ...nodePad(alg) };
      for (const sig of [raw, dig]) {
        expect(sig.length).toBe(bits / 8);
        expect(nodeVerify(nodeHash(alg), MSG, key, sig)).toBe(true);
        expect(await K.verify(spec, kp(spec).publicKey, alg, MSG, 'RAW', sig)).toBe(true);
        expect(await K.verify(spec, kp(spec).publicKey, alg, digest, 'DIGEST', sig)).toBe(true);
      }
      const nsig = new Uint8Array(nodeSign(nodeHash(alg), MSG, { key: nodePrivate(kp(spec).privateKey), ...nodePad(alg) }));
      expect(await K.verify(spec, kp(spec).publicKey, alg, MSG, 'RAW', nsig)).toBe(true);
      expect(await K.verify(spec, kp(spec).publicKey, alg, digest, 'DIGEST', nsig)).toBe(true);
      // tampering
      expect(await K.verify(spec, kp(spec).publicKey, alg, MSG, 'RAW', flipBit(nsig, 77))).toBe(false);
      expect(await K.verify(spec, kp(spec).publicKey, alg, flipBit(digest, 3), 'DIGEST', nsig)).toBe(false);
      expect(await K.verify(spec, kp(spec).publicKey, alg, digest, 'DIGEST', flipBit(dig, 1000))).toBe(false);
      expect(await K.verify(spec, kp(spec).publicKey, alg, MSG, 'RAW', nsig.subarray(1))).toBe(false);
      if (alg.startsWith('RSASSA_PKCS1')) expect(toHex(raw)).toBe(toHex(dig)); // PKCS#1 v1.5 is deterministic
    });
  }

  /** An OAEP ciphertext of `pt` whose first byte is 0 (about 1 in 256 encryptions). */
  async function findLeadingZeroCiphertext(s: typeof spec, alg: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256', pt: Uint8Array): Promise<Uint8Array> {
    for (;;) {
      const ct = await K.rsaOaepEncrypt(kp(s).publicKey, alg, pt);
      if (ct[0] === 0) return ct;
    }
  }

  for (const alg of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
    it(`${alg}: node encrypts offline → we decrypt, and back; the size limit`, async () => {
      const max = K.rsaMaxPlaintextBytes(spec, alg);
      const oaepHash = alg === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
      const pt = new Uint8Array(max).map((_, i) => i);
      const ct = new Uint8Array(publicEncrypt({ key: nodePublic(kp(spec).publicKey), oaepHash, padding: constants.RSA_PKCS1_OAEP_PADDING }, pt));
      expect(await K.rsaOaepDecrypt(kp(spec).privateKey, alg, ct)).toEqual(pt);
      const ours = await K.rsaOaepEncrypt(kp(spec).publicKey, alg, pt);
      expect(new Uint8Array(privateDecrypt({ key: nodePrivate(kp(spec).privateKey), oaepHash, padding: constants.RSA_PKCS1_OAEP_PADDING }, ours))).toEqual(pt);
      await expect(K.rsaOaepEncrypt(kp(spec).publicKey, alg, new Uint8Array(max + 1))).rejects.toThrow(RangeError);
      const other = alg === 'RSAES_OAEP_SHA_1' ? 'RSAES_OAEP_SHA_256' : 'RSAES_OAEP_SHA_1';
      await expect(K.rsaOaepDecrypt(kp(spec).privateKey, other, ct)).rejects.toMatchObject({ code: 'InvalidCiphertext' });
      await expect(K.rsaOaepDecrypt(kp(spec).privateKey, alg, flipBit(ct, 5))).rejects.toMatchObject({ code: 'InvalidCiphertext' });
      await expect(K.rsaOaepDecrypt(kp(spec).privateKey, alg, ct.subarray(1))).rejects.toMatchObject({ code: 'InvalidCiphertext' });
      // A ciphertext with a leading zero byte still must not decrypt without it (OpenSSL alone would accept it).
      const zeroLed = await findLeadingZeroCiphertext(spec, alg, pt.subarray(0, 16));
      expect(await K.rsaOaepDecrypt(kp(spec).privateKey, alg, zeroLed)).toEqual(pt.subarray(0, 16));
      await expect(K.rsaOaepDecrypt(kp(spec).privateKey, alg, zeroLed.subarray(1))).rejects.toMatchObject({ code: 'InvalidCiphertext' });
    });
  }

  it('RSAES-PKCS1-v1_5: node encrypts → we decrypt; garbage is InvalidCiphertext', () => {
    const material = new Uint8Array(32).fill(9);
    const ct = new Uint8Array(publicEncrypt({ key: nodePublic(kp(spec).publicKey), padding: constants.RSA_PKCS1_PADDING }, material));
    expect(K.rsaPkcs1v15Decrypt(kp(spec).privateKey, ct)).toEqual(material);
    const ours = K.rsaPkcs1v15Encrypt(kp(spec).publicKey, material, testRandom());
    expect(K.rsaPkcs1v15Decrypt(kp(spec).privateKey, ours)).toEqual(material);
    expect(() => K.rsaPkcs1v15Decrypt(kp(spec).privateKey, flipBit(ct, 9))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
    expect(() => K.rsaPkcs1v15Decrypt(kp(spec).privateKey, new Uint8Array(bits / 8).fill(0xff))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
  });
});

describe('RSA key material checks', () => {
  it('a node-made PKCS#8 key gives node’s SPKI; a wrong size or a broken key is InvalidKeyMaterial', async () => {
    const nk = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = new Uint8Array(nk.privateKey.export({ format: 'der', type: 'pkcs8' }));
    const spki = new Uint8Array(nk.publicKey.export({ format: 'der', type: 'spki' }));
    expect(await K.publicKeyFromPrivate('RSA_2048', pkcs8)).toEqual(spki);
    await expect(K.publicKeyFromPrivate('RSA_3072', pkcs8)).rejects.toMatchObject({ code: 'InvalidKeyMaterial' });
    const broken = Uint8Array.from(pkcs8);
    broken[broken.length - 10] = (broken[broken.length - 10] as number) ^ 1; // inside qInv
    await expect(K.publicKeyFromPrivate('RSA_2048', broken)).rejects.toMatchObject({ code: 'InvalidKeyMaterial' });
    await expect(K.publicKeyFromPrivate('RSA_2048', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).rejects.toMatchObject({ code: 'InvalidKeyMaterial' });
    await expect(K.sign('RSA_2048', kp('RSA_3072').privateKey, 'RSASSA_PSS_SHA_256', MSG, 'RAW', testRandom())).rejects.toMatchObject({ code: 'InvalidKeyMaterial' });
  });

  it('rsaMaxPlaintextBytes matches the AWS Encrypt table', () => {
    expect(SPECS.map((s) => [K.rsaMaxPlaintextBytes(s, 'RSAES_OAEP_SHA_1'), K.rsaMaxPlaintextBytes(s, 'RSAES_OAEP_SHA_256')])).toEqual([
      [214, 190],
      [342, 318],
      [470, 446],
    ]);
  });

  it('property: EMSA-PSS encode → verify, and any single-bit flip of the encoding fails', () => {
    const key = parseRsaPkcs8('RSA_2048', kp('RSA_2048').privateKey);
    expect(key.k).toBe(256);
    fc.assert(
      fc.property(fc.constantFrom('SHA-256', 'SHA-384', 'SHA-512' as const), fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.nat(), (hash, seed, bit) => {
        const hLen = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash];
        const mHash = seed.subarray(0, hLen);
        const em = emsaPssEncode(hash, mHash, 2047, seed.subarray(64 - hLen));
        expect(emsaPssVerify(hash, mHash, em, 2047)).toBe(true);
        expect(emsaPssVerify(hash, mHash, flipBit(em, bit % (em.length * 8)), 2047)).toBe(false);
        expect(emsaPssVerify(hash, flipBit(mHash, bit % (hLen * 8)), em, 2047)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('property: RSA_2048 verify(sign(m)) for PSS DIGEST and single-bit flips of the signature fail', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(), async (d, bit) => {
        const sig = await K.sign('RSA_2048', kp('RSA_2048').privateKey, 'RSASSA_PSS_SHA_256', d, 'DIGEST', testRandom(toHex(d)));
        expect(await K.verify('RSA_2048', kp('RSA_2048').publicKey, 'RSASSA_PSS_SHA_256', d, 'DIGEST', sig)).toBe(true);
        expect(await K.verify('RSA_2048', kp('RSA_2048').publicKey, 'RSASSA_PSS_SHA_256', d, 'DIGEST', flipBit(sig, bit % 2048))).toBe(false);
      }),
      { numRuns: 15 },
    );
  });
});
