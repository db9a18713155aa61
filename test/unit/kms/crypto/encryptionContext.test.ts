/**
 * Canonical encryption-context encoding (kms-semantics.md §3.3): order-independent, `undefined`
 * equals `{}`, injective (no two contexts encode alike), decodable only in canonical form.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bytesToHex,
  canonicalizeEncryptionContext,
  decodeEncryptionContext,
  encodeEncryptionContext,
  encryptionContextsEqual,
} from '../../../../src/kms/crypto';

const hex = (c: Record<string, string> | undefined) => bytesToHex(encodeEncryptionContext(c));
/** Well-formed strings, including astral characters, NUL and "__proto__". */
const str = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom('', '__proto__', 'a', 'ab', '\u0000', '\uFFFD'));
const ctxArb = fc.dictionary(str, str, { maxKeys: 6 });

describe('encodeEncryptionContext', () => {
  it('draws the documented layout', () => {
    expect(hex(undefined)).toBe('00000000');
    expect(hex({ b: 'xy', a: '' })).toBe(
      '00000002' + '00000001' + '61' + '00000000' + '00000001' + '62' + '00000002' + '7879',
    );
  });

  it('encodes undefined, null and {} alike', () => {
    expect(hex({})).toBe(hex(undefined));
    expect(bytesToHex(encodeEncryptionContext(null))).toBe(hex(undefined));
  });

  it('tells {"ab":"c"} from {"a":"bc"}', () => {
    expect(hex({ ab: 'c' })).not.toBe(hex({ a: 'bc' }));
    expect(hex({ a: 'b', c: '' })).not.toBe(hex({ a: 'bc' }));
  });

  it('ignores key order', () => {
    fc.assert(
      fc.property(ctxArb, (ctx) => {
        const reversed = Object.fromEntries(Object.entries(ctx).reverse());
        expect(hex(reversed)).toBe(hex(ctx));
      }),
      { numRuns: 200 },
    );
  });

  it('is injective: different contexts never share an encoding (decode inverts encode)', () => {
    fc.assert(
      fc.property(ctxArb, (ctx) => {
        const d = decodeEncryptionContext(encodeEncryptionContext(ctx));
        expect(d.ok).toBe(true);
        if (d.ok) expect(encryptionContextsEqual(d.value, ctx)).toBe(true);
        if (d.ok) expect(Object.entries(d.value).sort()).toEqual(Object.entries(ctx).sort());
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(ctxArb, ctxArb, (a, b) => {
        const same = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect(hex(a) === hex(b)).toBe(same);
      }),
      { numRuns: 200 },
    );
  });

  it('sorts by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF61 is EF BD A1 in UTF-8; U+1F600 is F0 9F 98 80. UTF-16 order puts the emoji
    // (surrogate D83D) first, UTF-8 order puts U+FF61 first.
    const order = Object.keys(canonicalizeEncryptionContext({ '\u{1F600}': '1', '\uFF61': '2' }));
    expect(order).toEqual(['\uFF61', '\u{1F600}']);
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const c = canonicalizeEncryptionContext(JSON.parse('{"__proto__":"x","a":"y"}'));
    expect(Object.keys(c)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
  });

  it('rejects non-string values and lone surrogates', () => {
    expect(() => encodeEncryptionContext({ a: 1 } as unknown as Record<string, string>)).toThrow(TypeError);
    expect(() => encodeEncryptionContext({ '\uD800': 'x' })).toThrow(RangeError);
    expect(() => encodeEncryptionContext({ x: 'a\uDC00' })).toThrow(RangeError);
    expect(() => encodeEncryptionContext(['a'] as unknown as Record<string, string>)).toThrow(TypeError);
  });
});

describe('decodeEncryptionContext', () => {
  it('never throws on random bytes and only accepts canonical encodings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const d = decodeEncryptionContext(b);
        if (d.ok) expect(bytesToHex(encodeEncryptionContext(d.value))).toBe(bytesToHex(b));
      }),
      { numRuns: 500 },
    );
  });

  it('names what is wrong', () => {
    const two = encodeEncryptionContext({ a: '1', b: '2' });
    expect(decodeEncryptionContext(new Uint8Array(3))).toEqual({ ok: false, reason: 'truncated' });
    expect(decodeEncryptionContext(two.subarray(0, two.length - 1))).toEqual({ ok: false, reason: 'truncated' });
    expect(decodeEncryptionContext(Uint8Array.from([...two, 0]))).toEqual({ ok: false, reason: 'trailing-bytes' });
    const swapped = Uint8Array.from(two);
    swapped[8] = 0x62; // key "a" -> "b": now "b","b" is not strictly increasing
    expect(decodeEncryptionContext(swapped)).toEqual({ ok: false, reason: 'not-canonical' });
    const badUtf8 = Uint8Array.from(encodeEncryptionContext({ a: 'x' }));
    badUtf8[badUtf8.length - 1] = 0xff;
    expect(decodeEncryptionContext(badUtf8)).toEqual({ ok: false, reason: 'invalid-utf8' });
  });
});
