/**
 * GcmKey (src/kms/crypto/gcmKey.ts), our GCM composition over noble's block cipher: the same bytes
 * as node:crypto's AES-GCM for random keys (128/192/256), IVs, AAD and plaintext lengths (partial
 * blocks, empty inputs, many blocks), one key reused across messages; any altered tag, ciphertext or
 * AAD byte is refused. The NIST known answers run through nobleBackend in backend.test.ts.
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GcmKey } from '../../../../src/kms/crypto/gcmKey';

function nodeSeal(key: Uint8Array, iv: Uint8Array, pt: Uint8Array, aad: Uint8Array): Uint8Array {
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, iv);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(pt), c.final()]);
  return new Uint8Array(Buffer.concat([body, c.getAuthTag()]));
}

const keyArb = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const ivArb = fc.uint8Array({ minLength: 12, maxLength: 12 });

describe('GcmKey', () => {
  it('matches node:crypto AES-GCM and opens its own output, one key reused across messages', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.array(fc.tuple(ivArb, fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 70 })), { minLength: 1, maxLength: 4 }),
        (key, messages) => {
          const k = new GcmKey(key);
          for (const [iv, pt, aad] of messages) {
            const sealed = k.encrypt(iv, pt, aad);
            expect(Buffer.from(sealed).toString('hex')).toBe(Buffer.from(nodeSeal(key, iv, pt, aad)).toString('hex'));
            expect(k.decrypt(iv, sealed, aad)).toEqual(pt);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses any single changed byte of ciphertext, tag or AAD', () => {
    fc.assert(
      fc.property(keyArb, ivArb, fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (key, iv, pt, aad, at, flip) => {
        const k = new GcmKey(key);
        const sealed = k.encrypt(iv, pt, aad);
        const bad = sealed.slice();
        bad[at % bad.length]! ^= flip;
        expect(k.decrypt(iv, bad, aad)).toBeNull();
        const badAad = aad.slice();
        badAad[at % badAad.length]! ^= flip;
        expect(k.decrypt(iv, sealed, badAad)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('handles the GCM spec test case 4 (AES-128, 60-byte plaintext, 20-byte AAD)', () => {
    const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
    const k = new GcmKey(hex('feffe9928665731c6d6a8f9467308308'));
    const pt = hex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
    const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const sealed = k.encrypt(hex('cafebabefacedbaddecaf888'), pt, aad);
    expect(Buffer.from(sealed).toString('hex')).toBe(
      '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091' + '5bc94fbc3221a5db94fae95ae7121a47',
    );
  });
});
