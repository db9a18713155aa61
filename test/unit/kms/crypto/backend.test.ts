/**
 * The one CryptoBackend suite (STYLE §10, §15), run against both implementations:
 * NIST / GCM-spec known answers, boundary validation, and the symmetric ciphertext blob built on
 * top (round trip, tampering, encryption context rules of kms-semantics.md §3.3).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import vectors from '../../../vectors/aes-gcm-nist.json';
import { AuthenticationError } from '../../../../src/kms/ports';
import type { CryptoBackend } from '../../../../src/kms/ports';
import type { KeyMaterialId } from '../../../../src/kms/ids';
import {
  bytesToHex,
  decodeCiphertextBlob,
  hexToBytes,
  nobleBackend,
  openSymmetric,
  sealSymmetric,
  webCryptoBackend,
} from '../../../../src/kms/crypto';

interface Vector {
  id: string;
  source: string;
  operation: string;
  key: string;
  iv: string;
  aad: string;
  pt: string | null;
  ct: string;
  tag: string;
  result: string;
}
const TESTS = (vectors as { tests: Vector[] }).tests;

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const MATERIAL = 'a'.repeat(64) as KeyMaterialId;
const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

/** Seals and decodes, so tests can open with any context. */
async function sealed(
  backend: CryptoBackend,
  plaintext: Uint8Array,
  encryptionContext?: Record<string, string>,
) {
  const key = await backend.importAesKey(bytes(32, 1));
  const blob = await sealSymmetric(backend, key, { keyArn: ARN, keyMaterialId: MATERIAL, iv: bytes(12, 2), plaintext, encryptionContext });
  return { key, blob };
}

async function openBytes(backend: CryptoBackend, key: Awaited<ReturnType<CryptoBackend['importAesKey']>>, blob: Uint8Array, ctx?: Record<string, string>) {
  const d = decodeCiphertextBlob(blob);
  if (!d.ok) throw new Error(`decode: ${d.reason}`);
  return openSymmetric(backend, key, d.value, ctx);
}

describe.each([webCryptoBackend, nobleBackend])('CryptoBackend $name', (backend) => {
  describe('AES-256-GCM known answers (test/vectors/aes-gcm-nist.json)', () => {
    it('covers AAD and non-AAD cases and at least one FAIL case', () => {
      expect(TESTS.some((t) => t.aad !== '' && t.result === 'valid')).toBe(true);
      expect(TESTS.some((t) => t.aad === '' && t.result === 'valid')).toBe(true);
      expect(TESTS.some((t) => t.result === 'invalid')).toBe(true);
      expect(TESTS.filter((t) => t.id.startsWith('gcm-spec-test-case-'))).toHaveLength(4);
    });

    it.each(TESTS.filter((t) => t.result === 'valid'))('$id: encrypt gives ct||tag, decrypt inverts', async (t) => {
      const key = await backend.importAesKey(hexToBytes(t.key, 'key'));
      const out = await backend.aesGcmEncrypt(key, hexToBytes(t.iv, 'iv'), hexToBytes(t.pt!, 'pt'), hexToBytes(t.aad, 'aad'));
      expect(bytesToHex(out)).toBe(t.ct + t.tag);
      const back = await backend.aesGcmDecrypt(key, hexToBytes(t.iv, 'iv'), out, hexToBytes(t.aad, 'aad'));
      expect(bytesToHex(back)).toBe(t.pt);
    });

    it.each(TESTS.filter((t) => t.result === 'invalid'))('$id: FAIL case rejects with AuthenticationError', async (t) => {
      const key = await backend.importAesKey(hexToBytes(t.key, 'key'));
      const ct = hexToBytes(t.ct + t.tag, 'ct');
      await expect(backend.aesGcmDecrypt(key, hexToBytes(t.iv, 'iv'), ct, hexToBytes(t.aad, 'aad'))).rejects.toBeInstanceOf(
        AuthenticationError,
      );
    });
  });

  describe('SHA-256 (FIPS 180-4 examples)', () => {
    it('hashes "abc" and the empty string', async () => {
      expect(bytesToHex(await backend.sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(bytesToHex(await backend.sha256(new Uint8Array(0)))).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    });
  });

  describe('boundary validation', () => {
    it('rejects key lengths other than 16/24/32, naming the argument', async () => {
      await expect(backend.importAesKey(bytes(31))).rejects.toThrow(/key: expected 16\/24\/32 bytes, got 31/);
      await expect(backend.importAesKey('k' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    });

    it('accepts 128- and 256-bit keys', async () => {
      for (const n of [16, 32]) {
        const key = await backend.importAesKey(bytes(n));
        const ct = await backend.aesGcmEncrypt(key, bytes(12), utf8('hi'), new Uint8Array(0));
        expect(ct).toHaveLength(2 + 16);
      }
    });

    it('requires a 12-byte IV exactly', async () => {
      const key = await backend.importAesKey(bytes(32));
      for (const n of [0, 8, 11, 13, 16]) {
        await expect(backend.aesGcmEncrypt(key, bytes(n), utf8('x'), bytes(0))).rejects.toThrow(`iv: expected 12 bytes, got ${n}`);
        await expect(backend.aesGcmDecrypt(key, bytes(n), bytes(16), bytes(0))).rejects.toThrow(`iv: expected 12 bytes, got ${n}`);
      }
    });

    it('requires ciphertext of at least 16 bytes (the tag)', async () => {
      const key = await backend.importAesKey(bytes(32));
      await expect(backend.aesGcmDecrypt(key, bytes(12), bytes(15), bytes(0))).rejects.toThrow(
        'ciphertext: expected at least 16 bytes, got 15',
      );
    });

    it('refuses a key handle from the other backend', async () => {
      const other = backend === webCryptoBackend ? nobleBackend : webCryptoBackend;
      const foreign = await other.importAesKey(bytes(32));
      await expect(backend.aesGcmEncrypt(foreign, bytes(12), utf8('x'), bytes(0))).rejects.toThrow(TypeError);
    });

    it('lets the caller zero its key array after import', async () => {
      const raw = bytes(32, 9);
      const key = await backend.importAesKey(raw);
      const ct = await backend.aesGcmEncrypt(key, bytes(12), utf8('secret'), bytes(0));
      raw.fill(0);
      expect(new TextDecoder().decode(await backend.aesGcmDecrypt(key, bytes(12), ct, bytes(0)))).toBe('secret');
    });

    it('encrypts from subarray views without reading outside them', async () => {
      const key = await backend.importAesKey(bytes(32));
      const big = Uint8Array.from({ length: 100 }, (_, i) => i);
      const view = big.subarray(13, 57);
      const a = await backend.aesGcmEncrypt(key, big.subarray(1, 13), view, big.subarray(60, 61));
      const b = await backend.aesGcmEncrypt(key, big.slice(1, 13), big.slice(13, 57), big.slice(60, 61));
      expect(a).toEqual(b);
    });
  });

  it('interoperates with the other backend (same key, IV, AAD)', async () => {
    const other = backend === webCryptoBackend ? nobleBackend : webCryptoBackend;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 40 }),
        async (k, iv, pt, aad) => {
          const ct = await backend.aesGcmEncrypt(await backend.importAesKey(k), iv, pt, aad);
          expect(await other.aesGcmDecrypt(await other.importAesKey(k), iv, ct, aad)).toEqual(pt);
        },
      ),
      { numRuns: 100 },
    );
  });

  describe('symmetric ciphertext blob (kms-semantics.md §2.2)', () => {
    it('round-trips any plaintext and context', async () => {
      const key = await backend.importAesKey(bytes(32, 3));
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 4096 }),
          fc.dictionary(fc.string(), fc.string(), { maxKeys: 5 }),
          fc.uint8Array({ minLength: 12, maxLength: 12 }),
          async (plaintext, ctx, iv) => {
            const blob = await sealSymmetric(backend, key, { keyArn: ARN, keyMaterialId: MATERIAL, iv, plaintext, encryptionContext: ctx });
            expect(blob.length).toBe(plaintext.length + 62 + ARN.length);
            expect(await openBytes(backend, key, blob, ctx)).toEqual(plaintext);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('rejects every single-bit flip of a sealed blob (exhaustive)', async () => {
      const { key, blob } = await sealed(backend, utf8('tiny'), { purpose: 'test' });
      let rejected = 0;
      for (let bit = 0; bit < blob.length * 8; bit++) {
        const t = Uint8Array.from(blob);
        t[bit >> 3]! ^= 1 << (bit & 7);
        const d = decodeCiphertextBlob(t);
        if (!d.ok) {
          rejected++;
          continue;
        }
        await expect(openSymmetric(backend, key, d.value, { purpose: 'test' })).rejects.toBeInstanceOf(AuthenticationError);
        rejected++;
      }
      expect(rejected).toBe(blob.length * 8);
    });

    it('rejects a bit flip anywhere for random payloads and contexts', async () => {
      const key = await backend.importAesKey(bytes(32, 4));
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 64 }),
          fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
          fc.nat(),
          async (plaintext, ctx, r) => {
            const blob = await sealSymmetric(backend, key, { keyArn: ARN, keyMaterialId: MATERIAL, iv: bytes(12), plaintext, encryptionContext: ctx });
            const bit = r % (blob.length * 8);
            blob[bit >> 3]! ^= 1 << (bit & 7);
            const d = decodeCiphertextBlob(blob);
            if (d.ok) await expect(openSymmetric(backend, key, d.value, ctx)).rejects.toBeInstanceOf(AuthenticationError);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('rejects truncation and extension', async () => {
      const { key, blob } = await sealed(backend, utf8('hello world'));
      for (const t of [blob.subarray(0, blob.length - 1), Uint8Array.from([...blob, 0])]) {
        const d = decodeCiphertextBlob(t);
        if (d.ok) await expect(openSymmetric(backend, key, d.value, undefined)).rejects.toBeInstanceOf(AuthenticationError);
      }
    });

    it('binds the key ARN and the material id (header is in the AAD)', async () => {
      const { key, blob } = await sealed(backend, utf8('payload'));
      const d = decodeCiphertextBlob(blob);
      if (!d.ok) throw new Error(d.reason);
      const otherArn = await sealSymmetric(backend, key, {
        keyArn: ARN.replace('1234abcd', '9999abcd'),
        keyMaterialId: MATERIAL,
        iv: d.value.iv,
        plaintext: utf8('x'),
      });
      // Graft the original ciphertext onto a header naming another key: the tag must fail.
      const od = decodeCiphertextBlob(otherArn);
      if (!od.ok) throw new Error(od.reason);
      await expect(openSymmetric(backend, key, { ...od.value, ciphertext: d.value.ciphertext }, undefined)).rejects.toBeInstanceOf(
        AuthenticationError,
      );
      await expect(
        openSymmetric(backend, key, { ...d.value, header: Uint8Array.from(d.value.header).fill(0xbb, 2 + ARN.length, 2 + ARN.length + 32) }, undefined),
      ).rejects.toBeInstanceOf(AuthenticationError);
    });

    it('decrypts only under the exact encryption context (§3.3)', async () => {
      const ctx = { Department: 'Finance', Project: 'Alpha' };
      const { key, blob } = await sealed(backend, utf8('budget'), ctx);
      const reject = (c: Record<string, string> | undefined) => expect(openBytes(backend, key, blob, c)).rejects.toBeInstanceOf(AuthenticationError);
      await reject(undefined); // missing
      await reject({}); // empty
      await reject({ Department: 'Finance' }); // a pair missing
      await reject({ ...ctx, Extra: 'x' }); // an extra pair
      await reject({ Department: 'finance', Project: 'Alpha' }); // value case differs
      await reject({ department: 'Finance', Project: 'Alpha' }); // key case differs
      await reject({ Department: 'Finance', Project: 'Alpha ' }); // trailing space
      expect(new TextDecoder().decode(await openBytes(backend, key, blob, { Project: 'Alpha', Department: 'Finance' }))).toBe('budget');
    });

    it('treats an omitted and an empty context alike', async () => {
      const a = await sealed(backend, utf8('p'));
      expect(await openBytes(backend, a.key, a.blob, {})).toEqual(utf8('p'));
      const b = await sealed(backend, utf8('p'), {});
      expect(await openBytes(backend, b.key, b.blob, undefined)).toEqual(utf8('p'));
      await expect(openBytes(backend, b.key, b.blob, { a: '' })).rejects.toBeInstanceOf(AuthenticationError);
    });

    it('tells {"ab":"c"} from {"a":"bc"}', async () => {
      const { key, blob } = await sealed(backend, utf8('p'), { ab: 'c' });
      await expect(openBytes(backend, key, blob, { a: 'bc' })).rejects.toBeInstanceOf(AuthenticationError);
      expect(await openBytes(backend, key, blob, { ab: 'c' })).toEqual(utf8('p'));
    });

    it('decrypts under every permutation of the context pairs', async () => {
      const key = await backend.importAesKey(bytes(32, 5));
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })), { selector: (p) => p[0], minLength: 1, maxLength: 6 }),
          fc.infiniteStream(fc.nat()),
          async (pairs, rnd) => {
            const shuffled = [...pairs];
            for (let i = shuffled.length - 1; i > 0; i--) {
              const j = rnd.next().value % (i + 1);
              [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
            }
            const blob = await sealSymmetric(backend, key, {
              keyArn: ARN,
              keyMaterialId: MATERIAL,
              iv: bytes(12),
              plaintext: utf8('ok'),
              encryptionContext: Object.fromEntries(pairs),
            });
            expect(await openBytes(backend, key, blob, Object.fromEntries(shuffled))).toEqual(utf8('ok'));
          },
        ),
        { numRuns: 100 },
      );
    });

    it('rejects the wrong key', async () => {
      const { blob } = await sealed(backend, utf8('p'));
      const wrong = await backend.importAesKey(bytes(32, 2));
      await expect(openBytes(backend, wrong, blob)).rejects.toBeInstanceOf(AuthenticationError);
    });
  });
});
