/**
 * src/wire/base64.ts: standard base64 of JSON 1.1 blobs (RFC 4648 §4; kms-semantics.md §13.1).
 * Known answers from RFC 4648 §10, strict decoding (anything that is not canonical base64 is
 * refused, never truncated), and agreement with Node's Buffer on every byte string.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../../src/kms';

const ascii = (s: string) => new TextEncoder().encode(s);

/** RFC 4648 §10 test vectors. */
const RFC4648: [string, string][] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

describe('base64 (RFC 4648 §4)', () => {
  it.each(RFC4648)('encodes and decodes the RFC 4648 §10 vector %j', (plain, b64) => {
    expect(encodeBase64(ascii(plain))).toBe(b64);
    expect(decodeBase64(b64)).toEqual(ascii(plain));
  });

  it('uses the standard alphabet (+ and /), not base64url', () => {
    expect(encodeBase64(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('+/+/');
    expect(decodeBase64('+/+/')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
    expect(decodeBase64('-_-_')).toBeNull();
  });

  it('accepts a missing final padding, as AWS services do', () => {
    expect(decodeBase64('Zg')).toEqual(ascii('f'));
    expect(decodeBase64('Zm8')).toEqual(ascii('fo'));
    expect(decodeBase64('Zm9vYmE')).toEqual(ascii('fooba'));
  });

  it.each([
    ['a lone character', 'Z'],
    ['five characters', 'Zm9vY'],
    ['three characters with padding', 'Zg='],
    ['too much padding', 'Zg==='],
    ['only padding', '===='],
    ['padding in the middle', 'Zg==Zg=='],
    ['a padding character inside a quantum', 'Z=g='],
    ['whitespace', 'Zm9v YmFy'],
    ['a line break', 'Zm9v\nYmFy'],
    ['non-ASCII', 'Zm9vé'],
    ['non-canonical trailing bits (Zh== is not Zg==)', 'Zh=='],
    ['non-canonical trailing bits (Zm9= is not Zm8=)', 'Zm9='],
    ['a NUL', 'Zm9v\u0000'],
  ])('refuses %s', (_, s) => {
    expect(decodeBase64(s)).toBeNull();
  });

  it('agrees with Buffer on every byte string, and decode inverts encode', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b64 = encodeBase64(bytes);
        expect(b64).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64(b64)).toEqual(bytes);
      }),
      { numRuns: 300, seed: 4648 },
    );
  });

  it('is strict: whatever it accepts re-encodes to itself (padding restored)', () => {
    const alphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 24 }), (s) => {
        const bytes = decodeBase64(s);
        if (bytes === null) return;
        const padded = s.replace(/=+$/, '');
        expect(encodeBase64(bytes)).toBe(padded + '='.repeat((4 - (padded.length % 4)) % 4));
      }),
      { numRuns: 2000, seed: 4 },
    );
  });
});
