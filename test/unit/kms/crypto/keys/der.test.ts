import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as K from '../../../../../src/kms/crypto/keys/index';
import { bigToBytes, DerError, decodeOne, int, oid, oidToString, readTlv, sequence, TAG, tlv, toBigInt } from '../../../../../src/kms/crypto/keys/der';
import { decodePkcs8, decodeSpki } from '../../../../../src/kms/crypto/keys/keyInfo';
import { hex, testRandom, toHex } from './helpers';

describe('DER codec', () => {
  it('known encodings (X.690 §8.3, §8.19; RFC 5480 OIDs)', () => {
    expect(toHex(int(0))).toBe('020100');
    expect(toHex(int(127))).toBe('02017f');
    expect(toHex(int(128))).toBe('02020080');
    expect(toHex(int(65537))).toBe('0203010001');
    expect(toHex(oid('1.2.840.10045.2.1'))).toBe('06072a8648ce3d0201');
    expect(toHex(oid('1.2.840.10045.3.1.7'))).toBe('06082a8648ce3d030107');
    expect(toHex(oid('1.3.101.112'))).toBe('06032b6570');
    expect(toHex(oid('2.16.840.1.101.3.4.3.17'))).toBe('0609608648016503040311');
    expect(toHex(tlv(TAG.OCTET_STRING, new Uint8Array(200)).subarray(0, 3))).toBe('0481c8');
    expect(toHex(tlv(TAG.OCTET_STRING, new Uint8Array(300)).subarray(0, 4))).toBe('0482012c');
  });

  it('round trips integers and OIDs', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 600n) - 1n }), (n) => {
        expect(toBigInt(decodeOne(int(n), TAG.INTEGER))).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.bigInt({ min: 0n, max: 1n << 70n }), { maxLength: 8 }), (a, b, rest) => {
        const dotted = [a, b, ...rest].join('.');
        expect(oidToString(decodeOne(oid(dotted), TAG.OID))).toBe(dotted);
      }),
    );
  });

  it('rejects non-minimal lengths and integers, indefinite lengths, truncation and trailing bytes', () => {
    for (const bad of ['0481050102030405', '0280', '30800000', '020200ff'.slice(0, 6), '0201000000', '0203000001', '02020080ff']) {
      expect(() => {
        const b = hex(bad);
        const v = decodeOne(b, b[0] as number);
        if (b[0] === TAG.INTEGER) toBigInt(v);
      }, bad).toThrow(DerError);
    }
    expect(() => bigToBytes(256n, 1)).toThrow(DerError);
  });

  it('never throws anything but DerError on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        for (const f of [() => readTlv(b), () => sequence(b), () => decodeSpki(b), () => decodePkcs8(b)]) {
          try {
            f();
          } catch (e) {
            expect(e).toBeInstanceOf(DerError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('specOfPublicKey / verify / publicKeyFromPrivate on hostile input', () => {
  it('garbage and mutated keys: null / false / CryptoKeyError, never another exception', async () => {
    const specs = ['ECC_NIST_P256', 'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'ML_KEM_512'] as const;
    const pairs = await Promise.all(specs.map((s) => K.generateKeyPair(s, testRandom(s))));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }), async (which, pos, byte, junk) => {
        const spec = specs[which] as (typeof specs)[number];
        const pair = pairs[which] as K.KeyPair;
        const spki = Uint8Array.from(pair.publicKey);
        spki[pos % spki.length] = byte;
        const got = K.specOfPublicKey(spki);
        expect(got === null || K.ASYMMETRIC_KEY_SPECS.includes(got)).toBe(true);
        expect(K.specOfPublicKey(junk)).toBe(null);
        const alg = K.signingAlgorithmsFor(spec)[0];
        if (alg !== undefined) expect(typeof (await K.verify(spec, spki, alg, junk, 'RAW', junk))).toBe('boolean');
        const pkcs8 = Uint8Array.from(pair.privateKey);
        pkcs8[pos % pkcs8.length] = byte;
        try {
          await K.publicKeyFromPrivate(spec, pkcs8);
        } catch (e) {
          expect(e).toBeInstanceOf(K.CryptoKeyError);
          expect((e as K.CryptoKeyError).code).toBe('InvalidKeyMaterial');
        }
      }),
      { numRuns: 300 },
    );
  });
});
