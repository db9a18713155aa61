/**
 * `uuidFromBytes` (ids.ts): request ids, event ids and key ids are version-4 UUIDs made from the
 * call's random stream, so a sandbox replays to the same ids. The formatter is hand-tuned (it runs
 * several times per call), so it is checked against the plain definition: the 32 hex digits of the
 * bytes with the version nibble set to 4 and the variant bits to 10, grouped 8-4-4-4-12.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uuidFromBytes } from '../../../src/kms/ids';

/** The definition, written the obvious way. */
function reference(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidFromBytes', () => {
  it('formats known bytes (all zero, all ones, counting)', () => {
    expect(uuidFromBytes(new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000');
    expect(uuidFromBytes(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe('00010203-0405-4607-8809-0a0b0c0d0e0f');
  });

  it('equals the definition for any 16 bytes, and is a version-4 UUID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const before = Uint8Array.from(bytes);
        const id = uuidFromBytes(bytes);
        expect(id).toBe(reference(bytes));
        expect(id).toMatch(UUID_V4);
        // The caller's bytes are left as they were.
        expect(bytes).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('gives a fresh value per call (no shared scratch leaks into earlier results)', () => {
    const a = uuidFromBytes(new Uint8Array(16).fill(0x11));
    const b = uuidFromBytes(new Uint8Array(16).fill(0x22));
    expect(a).toBe('11111111-1111-4111-9111-111111111111');
    expect(b).toBe('22222222-2222-4222-a222-222222222222');
  });

  it('refuses anything but 16 bytes', () => {
    expect(() => uuidFromBytes(new Uint8Array(15))).toThrow(RangeError);
    expect(() => uuidFromBytes(new Uint8Array(17))).toThrow(RangeError);
  });
});
