/**
 * The ciphertext blob codec (src/kms/crypto/ciphertextBlob.ts) against the reference oracle in
 * test/oracles/ciphertextBlob.ts (STYLE §15). Crypto behaviour of sealed blobs (tampering,
 * contexts) is in backend.test.ts, parametrised over both backends.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KeyMaterialId } from '../../../../src/kms/ids';
import {
  CIPHERTEXT_BLOB_FIXED_OVERHEAD,
  blobAad,
  bytesToHex,
  decodeCiphertextBlob,
  encodeCiphertextBlob,
  encodeEncryptionContext,
} from '../../../../src/kms/crypto';
import { oracleDecodeBlob, oracleEncodeBlob } from '../../../oracles/ciphertextBlob';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Strings whose UTF-8 is 1..255 bytes (the ARN field's range). */
const arnArb = fc
  .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }), fc.constant(ARN), fc.constant('\uFEFFarn'))
  .filter((s) => {
    const n = new TextEncoder().encode(s).length;
    return n >= 1 && n <= 255;
  });
const partsArb = fc.record({
  keyArn: arnArb,
  keyMaterialId: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b) as KeyMaterialId),
  iv: fc.uint8Array({ minLength: 12, maxLength: 12 }),
  ciphertext: fc.uint8Array({ minLength: 16, maxLength: 80 }),
});

describe('ciphertext blob codec vs oracle', () => {
  it('encodes exactly as the oracle and decodes back to the parts', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const blob = encodeCiphertextBlob(parts);
        expect(bytesToHex(blob)).toBe(bytesToHex(oracleEncodeBlob(parts)));
        const d = decodeCiphertextBlob(blob);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.value.keyArn).toBe(parts.keyArn);
        expect(d.value.keyMaterialId).toBe(parts.keyMaterialId);
        expect(d.value.iv).toEqual(parts.iv);
        expect(d.value.ciphertext).toEqual(parts.ciphertext);
        expect(blob.length).toBe(parts.ciphertext.length - 16 + CIPHERTEXT_BLOB_FIXED_OVERHEAD + new TextEncoder().encode(parts.keyArn).length);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with the oracle on arbitrary bytes, and never throws', () => {
    const bytesArb = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      // Mostly well-formed blobs with a few random bytes changed, so both paths are exercised.
      fc.tuple(partsArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.nat({ max: 20 })).map(
        ([p, edits, cut]) => {
          const b = encodeCiphertextBlob(p);
          for (const [at, v] of edits) b[at % b.length] = v;
          return b.subarray(0, Math.max(0, b.length - (cut > 15 ? cut : 0)));
        },
      ),
    );
    fc.assert(
      fc.property(bytesArb, (bytes) => {
        const real = decodeCiphertextBlob(bytes);
        const oracle = oracleDecodeBlob(bytes);
        expect(real.ok).toBe(oracle !== null);
        if (real.ok && oracle) {
          expect({
            keyArn: real.value.keyArn,
            keyMaterialId: real.value.keyMaterialId,
            ivHex: bytesToHex(real.value.iv),
            ciphertextHex: bytesToHex(real.value.ciphertext),
            headerLength: real.value.header.length,
          }).toEqual(oracle);
          // Canonical: re-encoding a decoded blob gives the same bytes.
          expect(bytesToHex(encodeCiphertextBlob(real.value))).toBe(bytesToHex(bytes));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decodeCiphertextBlob reasons', () => {
  const good = encodeCiphertextBlob({ keyArn: ARN, keyMaterialId: 'f'.repeat(64) as KeyMaterialId, iv: new Uint8Array(12), ciphertext: new Uint8Array(16) });

  it('names each structural failure', () => {
    expect(decodeCiphertextBlob(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty' });
    expect(decodeCiphertextBlob(Uint8Array.from([2, ...good.subarray(1)]))).toEqual({ ok: false, reason: 'unsupported-version' });
    expect(decodeCiphertextBlob(Uint8Array.from([1]))).toEqual({ ok: false, reason: 'truncated-header' });
    expect(decodeCiphertextBlob(good.subarray(0, 2 + ARN.length + 43))).toEqual({ ok: false, reason: 'truncated-header' });
    expect(decodeCiphertextBlob(good.subarray(0, good.length - 1))).toEqual({ ok: false, reason: 'ciphertext-too-short' });
    const zeroArn = Uint8Array.from(good);
    zeroArn[1] = 0;
    expect(decodeCiphertextBlob(zeroArn)).toEqual({ ok: false, reason: 'invalid-key-arn' });
    const badUtf8 = Uint8Array.from(good);
    badUtf8[2] = 0xc0;
    expect(decodeCiphertextBlob(badUtf8)).toEqual({ ok: false, reason: 'invalid-key-arn' });
    expect(decodeCiphertextBlob('nope' as unknown as Uint8Array)).toEqual({ ok: false, reason: 'empty' });
  });

  it('returns views, not copies', () => {
    const d = decodeCiphertextBlob(good);
    expect(d.ok && d.value.ciphertext.buffer === good.buffer).toBe(true);
  });

  it('states the overhead: 62 bytes + the ARN (169-byte blob for a 32-byte data key)', () => {
    expect(CIPHERTEXT_BLOB_FIXED_OVERHEAD).toBe(62);
    expect(ARN.length).toBe(75);
    expect(encodeCiphertextBlob({ keyArn: ARN, keyMaterialId: 'f'.repeat(64) as KeyMaterialId, iv: new Uint8Array(12), ciphertext: new Uint8Array(48) })).toHaveLength(169);
  });
});

describe('encodeCiphertextBlob validation', () => {
  const base = { keyArn: ARN, keyMaterialId: '0'.repeat(64) as KeyMaterialId, iv: new Uint8Array(12), ciphertext: new Uint8Array(16) };
  it('rejects bad parts with a message naming the field', () => {
    expect(() => encodeCiphertextBlob({ ...base, keyArn: '' })).toThrow(/keyArn/);
    expect(() => encodeCiphertextBlob({ ...base, keyArn: 'x'.repeat(256) })).toThrow(/keyArn/);
    expect(() => encodeCiphertextBlob({ ...base, keyArn: 'a\uD800' })).toThrow(/keyArn/);
    expect(() => encodeCiphertextBlob({ ...base, keyMaterialId: 'A'.repeat(64) as KeyMaterialId })).toThrow(/keyMaterialId/);
    expect(() => encodeCiphertextBlob({ ...base, iv: new Uint8Array(16) })).toThrow('iv: expected 12 bytes, got 16');
    expect(() => encodeCiphertextBlob({ ...base, ciphertext: new Uint8Array(15) })).toThrow(/ciphertext/);
  });
});

describe('blobAad', () => {
  it('is header || canonical context', () => {
    const header = Uint8Array.from([1, 2, 3]);
    expect(bytesToHex(blobAad(header, { b: '1', a: '2' }))).toBe('010203' + bytesToHex(encodeEncryptionContext({ a: '2', b: '1' })));
  });
});
