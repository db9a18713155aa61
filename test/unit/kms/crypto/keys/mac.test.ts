import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { aesKeyUnwrapPad, aesKeyWrapPad, CryptoKeyError, generateMac, hmacKeyLength, HMAC_KEY_SPECS, macAlgorithmFor, verifyMac, type HmacKeySpec } from '../../../../../src/kms/crypto/keys/index';
import hmacVectors from '../../../../vectors/keys/rfc4231-hmac.json';
import kwpVectors from '../../../../vectors/keys/rfc5649-aes-kwp.json';
import { flipBit, hex, hexOrRepeat, toHex } from './helpers';

const NODE_HASH: Record<HmacKeySpec, string> = { HMAC_224: 'sha224', HMAC_256: 'sha256', HMAC_384: 'sha384', HMAC_512: 'sha512' };

describe('HMAC (RFC 4231 known answers)', () => {
  for (const c of hmacVectors.cases) {
    for (const spec of HMAC_KEY_SPECS) {
      it(`test case ${c.id} ${spec}`, () => {
        const key = hexOrRepeat(c.keyHex);
        const data = 'dataText' in c && c.dataText !== undefined ? new TextEncoder().encode(c.dataText) : hexOrRepeat(c.dataHex as string);
        const mac = generateMac(spec, key, data);
        const want = (c as unknown as Record<string, string>)[spec] as string;
        const got = 'truncateTo' in c ? mac.subarray(0, c.truncateTo) : mac;
        expect(toHex(got)).toBe(want);
        if (!('truncateTo' in c)) expect(verifyMac(spec, key, data, hex(want))).toBe(true);
      });
    }
  }
});

describe('HMAC key specs', () => {
  it('key lengths and MacAlgorithms', () => {
    expect(HMAC_KEY_SPECS.map(hmacKeyLength)).toEqual([28, 32, 48, 64]);
    expect(HMAC_KEY_SPECS.map(macAlgorithmFor)).toEqual(['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512']);
  });

  it('matches node createHmac and rejects any single-bit flip or truncation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HMAC_KEY_SPECS), fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), fc.nat(), (spec, key, msg, bit) => {
        const mac = generateMac(spec, key, msg);
        expect(toHex(mac)).toBe(createHmac(NODE_HASH[spec], key).update(msg).digest('hex'));
        expect(verifyMac(spec, key, msg, mac)).toBe(true);
        expect(verifyMac(spec, key, msg, flipBit(mac, bit % (mac.length * 8)))).toBe(false);
        expect(verifyMac(spec, key, msg, mac.subarray(0, mac.length - 1))).toBe(false);
        if (msg.length > 0) expect(verifyMac(spec, key, flipBit(msg, bit % (msg.length * 8)), mac)).toBe(false);
        expect(verifyMac(spec, flipBit(key, bit % (key.length * 8)), msg, mac)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('AES key wrap with padding (RFC 5649)', () => {
  for (const [i, c] of kwpVectors.cases.entries()) {
    it(`vector ${i + 1}`, () => {
      expect(toHex(aesKeyWrapPad(hex(c.kek), hex(c.key)))).toBe(c.wrapped);
      expect(toHex(aesKeyUnwrapPad(hex(c.kek), hex(c.wrapped)))).toBe(c.key);
    });
  }

  it('round trips and detects tampering with CryptoKeyError InvalidCiphertext', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), (kek, key, bit) => {
        const wrapped = aesKeyWrapPad(kek, key);
        expect(aesKeyUnwrapPad(kek, wrapped)).toEqual(key);
        const bad = flipBit(wrapped, bit % (wrapped.length * 8));
        expect(() => aesKeyUnwrapPad(kek, bad)).toThrow(CryptoKeyError);
        try {
          aesKeyUnwrapPad(kek, bad);
        } catch (e) {
          expect((e as CryptoKeyError).code).toBe('InvalidCiphertext');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects bad lengths', () => {
    const kek = new Uint8Array(32);
    expect(() => aesKeyUnwrapPad(kek, new Uint8Array(8))).toThrow(CryptoKeyError);
    expect(() => aesKeyUnwrapPad(kek, new Uint8Array(17))).toThrow(CryptoKeyError);
    expect(() => aesKeyUnwrapPad(new Uint8Array(7), new Uint8Array(16))).toThrow(RangeError);
  });
});
