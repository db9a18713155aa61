/**
 * Envelope encryption (src/kms/envelope), run against both crypto backends with a fake KMS made of
 * the real crypto: round trips at frame boundaries and for every input kind, every tamper kind
 * named in format.ts, data-key zeroing, progress reporting, the binary codec.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isKmsError } from '../../../../src/kms/errors';
import type { KmsErrorName } from '../../../../src/kms/errors';
import type { CryptoBackend } from '../../../../src/kms/ports';
import { nobleBackend, webCryptoBackend } from '../../../../src/kms/crypto';
import {
  DEFAULT_FRAME_SIZE,
  decodeEnvelope,
  decryptEnvelope,
  decryptEnvelopeFrames,
  encodeEnvelope,
  encodeEnvelopeParts,
  encryptEnvelope,
} from '../../../../src/kms/envelope';
import type { Envelope } from '../../../../src/kms/envelope';
import { KEY_ARN, createFakeKms } from './fakeKms';

const FS = 64; // small frames keep boundary cases cheap
const payload = (n: number) => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + 7) & 0xff;
  return b;
};
const isZero = (b: Uint8Array) => b.every((x) => x === 0);
/** Byte equality without vitest's element-by-element deep diff (slow on megabytes). */
const expectSameBytes = (a: Uint8Array, b: Uint8Array) => expect(a.length === b.length && Buffer.compare(a, b) === 0).toBe(true);

async function* chunked(data: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const s of sizes) {
    if (at >= data.length) break;
    yield data.slice(at, at + s);
    at += s;
  }
  if (at < data.length) yield data.slice(at);
}

async function expectInvalid(p: Promise<unknown>, message: RegExp, name: KmsErrorName = 'InvalidCiphertextException') {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isKmsError(e, name), `expected ${name}, got ${String(e)}`).toBe(true);
  expect((e as Error).message).toMatch(message);
}

describe.each([webCryptoBackend, nobleBackend])('envelope over $name', (backend: CryptoBackend) => {
  describe('round trips', () => {
    it.each([0, 1, FS - 1, FS, FS + 1, 3 * FS, 3 * FS + 5])('%i bytes (frameSize %#)', async (n) => {
      const kms = await createFakeKms(backend);
      const data = payload(n);
      const env = await encryptEnvelope(kms, backend, data, { keyId: KEY_ARN, frameSize: FS });
      expect(env.frames).toHaveLength(Math.max(1, Math.ceil(n / FS)));
      expect(env.plaintextLength).toBe(n);
      expect(env.frames.reduce((s, f) => s + f.length, 0)).toBe(n + 16 * env.frames.length);
      expect(await decryptEnvelope(kms, backend, env)).toEqual(data);
    });

    it('describes itself', async () => {
      const kms = await createFakeKms(backend);
      const env = await encryptEnvelope(kms, backend, payload(10), {
        keyId: 'alias/test',
        encryptionContext: { z: '1', a: '2' },
        frameSize: FS,
        random: (n) => new Uint8Array(n).fill(0xab),
      });
      expect(env).toMatchObject({
        format: 'kms-playground-envelope',
        version: 1,
        algorithm: 'AES_256_GCM_FRAMED',
        keyId: KEY_ARN, // the ARN from GenerateDataKey, not the alias the caller used
        frameSize: FS,
        plaintextLength: 10,
      });
      expect(Object.keys(env.encryptionContext)).toEqual(['a', 'z']);
      expect(env.messageId).toEqual(new Uint8Array(16).fill(0xab));
    });

    it('uses 1 MiB frames by default', async () => {
      const kms = await createFakeKms(backend);
      const data = payload(DEFAULT_FRAME_SIZE + 1);
      const env = await encryptEnvelope(kms, backend, data, { keyId: KEY_ARN });
      expect(DEFAULT_FRAME_SIZE).toBe(1 << 20);
      expect(env.frames.map((f) => f.length)).toEqual([DEFAULT_FRAME_SIZE + 16, 17]);
      expectSameBytes(await decryptEnvelope(kms, backend, env), data);
    });

    it('accepts Blob input', async () => {
      const kms = await createFakeKms(backend);
      const data = payload(5 * FS + 3);
      const env = await encryptEnvelope(kms, backend, new Blob([data]), { keyId: KEY_ARN, frameSize: FS });
      expect(await decryptEnvelope(kms, backend, env)).toEqual(data);
      const empty = await encryptEnvelope(kms, backend, new Blob([]), { keyId: KEY_ARN, frameSize: FS });
      expect(await decryptEnvelope(kms, backend, empty)).toEqual(new Uint8Array(0));
    });

    it('accepts AsyncIterable input, however it is chunked', async () => {
      const kms = await createFakeKms(backend);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: 400 }),
          fc.integer({ min: 1, max: 100 }),
          fc.array(fc.nat({ max: 150 }), { maxLength: 20 }),
          async (n, frameSize, sizes) => {
            const data = payload(n);
            const env = await encryptEnvelope(kms, backend, chunked(data, sizes), { keyId: KEY_ARN, frameSize });
            const fromBytes = await encryptEnvelope(kms, backend, data, { keyId: KEY_ARN, frameSize });
            expect(env.frames.map((f) => f.length)).toEqual(fromBytes.frames.map((f) => f.length));
            expect(await decryptEnvelope(kms, backend, env)).toEqual(data);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('binds the encryption context through KMS and the frames', async () => {
      const kms = await createFakeKms(backend);
      const env = await encryptEnvelope(kms, backend, payload(100), { keyId: KEY_ARN, encryptionContext: { purpose: 'test' }, frameSize: FS });
      expect(await decryptEnvelope(kms, backend, env)).toEqual(payload(100));
      await expectInvalid(decryptEnvelope(kms, backend, { ...env, encryptionContext: { purpose: 'other' } }), /ciphertext is invalid/);
      await expectInvalid(decryptEnvelope(kms, backend, { ...env, encryptionContext: {} }), /ciphertext is invalid/);
    });

    it('streams frames with decryptEnvelopeFrames', async () => {
      const kms = await createFakeKms(backend);
      const data = payload(3 * FS + 1);
      const env = await encryptEnvelope(kms, backend, data, { keyId: KEY_ARN, frameSize: FS });
      const out: number[] = [];
      for await (const f of decryptEnvelopeFrames(kms, backend, env)) out.push(f.length);
      expect(out).toEqual([FS, FS, FS, 1]);
      for await (const f of decryptEnvelopeFrames(kms, backend, env)) {
        expect(f).toEqual(data.subarray(0, FS));
        break; // stopping early is allowed
      }
    });

    it('passes the caller keyId to Decrypt', async () => {
      const kms = await createFakeKms(backend);
      const env = await encryptEnvelope(kms, backend, payload(5), { keyId: KEY_ARN, frameSize: FS });
      expect(await decryptEnvelope(kms, backend, env, { keyId: 'alias/test' })).toEqual(payload(5));
      await expectInvalid(
        decryptEnvelope(kms, backend, env, { keyId: 'arn:aws:kms:us-east-1:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab' }),
        /key ID/,
        'IncorrectKeyException',
      );
    });
  });

  describe('tampering is detected (InvalidCiphertextException naming the check)', () => {
    async function make(n = 3 * FS + 5, options = {}) {
      const kms = await createFakeKms(backend, options);
      const env = await encryptEnvelope(kms, backend, payload(n), { keyId: KEY_ARN, encryptionContext: { app: 'test' }, frameSize: FS });
      return { kms, env };
    }
    const withFrames = (env: Envelope, frames: Uint8Array[], plaintextLength = env.plaintextLength): Envelope => ({ ...env, frames, plaintextLength });

    it('reordered frames', async () => {
      const { kms, env } = await make(3 * FS);
      const [a, b, c] = env.frames;
      await expectInvalid(decryptEnvelope(kms, backend, withFrames(env, [b!, a!, c!])), /Frame 1 of 3 failed authentication/);
    });

    it('a dropped middle frame (length adjusted)', async () => {
      const { kms, env } = await make(3 * FS);
      const [a, , c] = env.frames;
      await expectInvalid(decryptEnvelope(kms, backend, withFrames(env, [a!, c!], 2 * FS)), /Frame 2 of 2 failed authentication/);
    });

    it('a dropped frame (length not adjusted)', async () => {
      const { kms, env } = await make(3 * FS);
      await expectInvalid(decryptEnvelope(kms, backend, withFrames(env, env.frames.slice(0, 2))), /frames were added or removed/);
      expect(kms.calls.decrypt).toBe(0); // structural checks run before KMS is called
    });

    it('a dropped final frame (truncation)', async () => {
      const { kms, env } = await make(3 * FS);
      await expectInvalid(decryptEnvelope(kms, backend, withFrames(env, env.frames.slice(0, 2), 2 * FS)), /truncated: its last frame \(2\)/);
    });

    it('a frame appended after the final one', async () => {
      const { kms, env } = await make(3 * FS);
      await expectInvalid(
        decryptEnvelope(kms, backend, withFrames(env, [...env.frames, env.frames[0]!], 4 * FS)),
        /Frame 3 of 4 failed authentication/,
      );
    });

    it('frames swapped between envelopes that share a data key', async () => {
      const fixedDataKey = new Uint8Array(32).fill(42);
      const one = await make(3 * FS, { fixedDataKey });
      const two = await make(3 * FS, { fixedDataKey });
      const mixed = withFrames(one.env, [one.env.frames[0]!, two.env.frames[1]!, one.env.frames[2]!]);
      await expectInvalid(decryptEnvelope(one.kms, backend, mixed), /Frame 2 of 3 failed authentication/);
      await expectInvalid(decryptEnvelope(one.kms, backend, withFrames(one.env, [...two.env.frames])), /Frame 1 of 3/);
    });

    it('a modified frame byte', async () => {
      const { kms, env } = await make();
      const frames = env.frames.map((f) => Uint8Array.from(f));
      frames[1]![5]! ^= 1;
      await expectInvalid(decryptEnvelope(kms, backend, withFrames(env, frames)), /Frame 2 of 4 failed authentication/);
    });

    it('a frame cut short or padded', async () => {
      const { kms, env } = await make();
      const frames = [...env.frames];
      frames[0] = frames[0]!.subarray(1);
      await expectInvalid(decryptEnvelope(kms, backend, withFrames(env, frames)), /frame 1 of 4 is 79 bytes but must be 80/);
    });

    it('an edited plaintextLength', async () => {
      const { kms, env } = await make();
      await expectInvalid(decryptEnvelope(kms, backend, { ...env, plaintextLength: env.plaintextLength - 1 }), /frame 4 of 4 is 21 bytes but must be 20/);
    });

    describe('header edits, with a KMS that checks nothing (so only the frames can catch them)', () => {
      const fixedDataKey = new Uint8Array(32).fill(7);
      const header = /Frame 1 of 4 failed authentication: .*header/;
      it('encryption context', async () => {
        const { env } = await make(undefined, { fixedDataKey });
        const kms = await createFakeKms(backend, { fixedDataKey, trusting: true });
        await expectInvalid(decryptEnvelope(kms, backend, { ...env, encryptionContext: { app: 'other' } }), header);
        await expectInvalid(decryptEnvelope(kms, backend, { ...env, encryptionContext: {} }), header);
      });
      it('messageId', async () => {
        const { env } = await make(undefined, { fixedDataKey });
        const kms = await createFakeKms(backend, { fixedDataKey, trusting: true });
        await expectInvalid(decryptEnvelope(kms, backend, { ...env, messageId: new Uint8Array(16) }), header);
      });
      it('encrypted data key', async () => {
        const { env } = await make(undefined, { fixedDataKey });
        const kms = await createFakeKms(backend, { fixedDataKey, trusting: true });
        const edk = Uint8Array.from(env.encryptedDataKey);
        edk[edk.length - 1]! ^= 1;
        await expectInvalid(decryptEnvelope(kms, backend, { ...env, encryptedDataKey: edk }), header);
      });
      it('frameSize', async () => {
        // A one-frame message of 10 bytes is structurally valid under any frameSize ≥ 10,
        // so only the header hash in the frame's AAD can notice the edit.
        const { env } = await make(10, { fixedDataKey });
        const kms = await createFakeKms(backend, { fixedDataKey, trusting: true });
        await expectInvalid(decryptEnvelope(kms, backend, { ...env, frameSize: 32 }), /Frame 1 of 1 failed authentication: .*header/);
      });
    });

    it('a keyId that does not match the key KMS used', async () => {
      const fixedDataKey = new Uint8Array(32).fill(9);
      const { env } = await make(undefined, { fixedDataKey });
      const kms = await createFakeKms(backend, { fixedDataKey, trusting: true });
      await expectInvalid(decryptEnvelope(kms, backend, { ...env, keyId: 'alias/test' }), /keyId does not name the KMS key/);
      expect(kms.issued.every(isZero)).toBe(true);
    });

    it('wrong format, version or algorithm', async () => {
      const { kms, env } = await make();
      await expectInvalid(decryptEnvelope(kms, backend, { ...env, version: 2 } as unknown as Envelope), /version 2 is not supported/);
      await expectInvalid(decryptEnvelope(kms, backend, { ...env, format: 'x' } as unknown as Envelope), /format/);
      await expectInvalid(decryptEnvelope(kms, backend, { ...env, algorithm: 'AES_128' } as unknown as Envelope), /algorithm/);
    });
  });

  describe('the plaintext data key is zeroed', () => {
    it('after encrypting and after decrypting', async () => {
      const kms = await createFakeKms(backend);
      const env = await encryptEnvelope(kms, backend, payload(200), { keyId: KEY_ARN, frameSize: FS });
      expect(kms.issued).toHaveLength(1);
      expect(isZero(kms.issued[0]!)).toBe(true);
      await decryptEnvelope(kms, backend, env);
      expect(kms.issued).toHaveLength(2);
      expect(isZero(kms.issued[1]!)).toBe(true);
    });

    it('when encryption fails after GenerateDataKey', async () => {
      const kms = await createFakeKms(backend);
      const failing: CryptoBackend = { ...backend, name: 'failing', aesGcmEncrypt: () => Promise.reject(new Error('boom')) };
      await expect(encryptEnvelope(kms, failing, payload(200), { keyId: KEY_ARN, frameSize: FS })).rejects.toThrow('boom');
      expect(isZero(kms.issued[0]!)).toBe(true);
      const noImport: CryptoBackend = { ...backend, name: 'no-import', importAesKey: () => Promise.reject(new Error('nope')) };
      await expect(encryptEnvelope(kms, noImport, payload(1), { keyId: KEY_ARN })).rejects.toThrow('nope');
      expect(isZero(kms.issued[1]!)).toBe(true);
    });

    it('when the input stream fails midway', async () => {
      const kms = await createFakeKms(backend);
      async function* broken() {
        yield payload(100);
        throw new Error('disk gone');
      }
      await expect(encryptEnvelope(kms, backend, broken(), { keyId: KEY_ARN, frameSize: FS })).rejects.toThrow('disk gone');
      expect(isZero(kms.issued[0]!)).toBe(true);
    });

    it('when decryption fails', async () => {
      const kms = await createFakeKms(backend);
      const env = await encryptEnvelope(kms, backend, payload(200), { keyId: KEY_ARN, frameSize: FS });
      const frames = env.frames.map((f) => Uint8Array.from(f));
      frames[0]![0]! ^= 1;
      await expect(decryptEnvelope(kms, backend, { ...env, frames })).rejects.toThrow();
      expect(kms.issued).toHaveLength(2);
      expect(isZero(kms.issued[1]!)).toBe(true);
    });
  });

  describe('progress', () => {
    const record = () => {
      const calls: [number, number | undefined][] = [];
      return { calls, onProgress: (d: number, t: number | undefined) => void calls.push([d, t]) };
    };
    const checkMonotonic = (calls: [number, number | undefined][], total: number, frames: number) => {
      expect(calls).toHaveLength(frames);
      for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
      expect(calls.at(-1)).toEqual([total, total]);
    };

    it.each([0, 1, FS, 3 * FS + 5])('is reported per frame, monotonic, ending at the total (%i bytes)', async (n) => {
      const kms = await createFakeKms(backend);
      const data = payload(n);
      const frames = Math.max(1, Math.ceil(n / FS));
      const enc = record();
      const env = await encryptEnvelope(kms, backend, data, { keyId: KEY_ARN, frameSize: FS, onProgress: enc.onProgress });
      checkMonotonic(enc.calls, n, frames);
      expect(enc.calls.every(([, t]) => t === n)).toBe(true);
      const blob = record();
      await encryptEnvelope(kms, backend, new Blob([data]), { keyId: KEY_ARN, frameSize: FS, onProgress: blob.onProgress });
      checkMonotonic(blob.calls, n, frames);
      const stream = record();
      await encryptEnvelope(kms, backend, chunked(data, [7, 100, 3]), { keyId: KEY_ARN, frameSize: FS, onProgress: stream.onProgress });
      checkMonotonic(stream.calls, n, frames);
      expect(stream.calls.slice(0, -1).every(([, t]) => t === undefined)).toBe(true); // unknown until the end
      const dec = record();
      await decryptEnvelope(kms, backend, env, { onProgress: dec.onProgress });
      checkMonotonic(dec.calls, n, frames);
    });
  });

  describe('binary encoding', () => {
    it('decode(encode(env)) is env, and the decoded envelope decrypts', async () => {
      const kms = await createFakeKms(backend);
      for (const n of [0, 1, 3 * FS + 5]) {
        const env = await encryptEnvelope(kms, backend, payload(n), { keyId: KEY_ARN, encryptionContext: { k: 'v', '': '' }, frameSize: FS });
        const bytes = encodeEnvelope(env);
        const parts = encodeEnvelopeParts(env);
        expect(new Uint8Array(await new Blob(parts).arrayBuffer())).toEqual(bytes);
        const d = decodeEnvelope(bytes);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect({ ...d.value, frames: d.value.frames.map((f) => Array.from(f)) }).toEqual({ ...env, frames: env.frames.map((f) => Array.from(f)) });
        expect(await decryptEnvelope(kms, backend, d.value)).toEqual(payload(n));
        expect(encodeEnvelope(d.value)).toEqual(bytes);
      }
    });

    it('every truncation is refused and every single-byte change is caught', async () => {
      const kms = await createFakeKms(backend);
      const env = await encryptEnvelope(kms, backend, payload(FS + 3), { keyId: KEY_ARN, encryptionContext: { a: 'b' }, frameSize: FS });
      const bytes = encodeEnvelope(env);
      for (let cut = 0; cut < bytes.length; cut++) expect(decodeEnvelope(bytes.subarray(0, cut)).ok).toBe(false);
      expect(decodeEnvelope(Uint8Array.from([...bytes, 0]))).toMatchObject({ ok: false, reason: 'trailing-bytes' });
      for (let i = 0; i < bytes.length; i++) {
        const t = Uint8Array.from(bytes);
        t[i]! ^= 0x01;
        const d = decodeEnvelope(t);
        if (!d.ok) continue;
        const err = await decryptEnvelope(kms, backend, d.value).then(() => undefined, (e: unknown) => e);
        expect(isKmsError(err), `byte ${i}: ${String(err)}`).toBe(true);
      }
    });
  });
});

describe('decodeEnvelope', () => {
  it('never throws on arbitrary bytes', () => {
    const magic = [0x4b, 0x4d, 0x53, 0x50, 0x47, 0x45, 0x4e, 0x56];
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([...magic, 1, 1, ...b]))), (b) => {
        const d = decodeEnvelope(b);
        if (d.ok) expect(encodeEnvelope(d.value)).toEqual(b);
      }),
      { numRuns: 1000 },
    );
  });

  it('names the failure', () => {
    const magic = [0x4b, 0x4d, 0x53, 0x50, 0x47, 0x45, 0x4e, 0x56];
    expect(decodeEnvelope(Uint8Array.of(1, 2, 3))).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(decodeEnvelope(Uint8Array.from([...magic, 2, 1]))).toMatchObject({ ok: false, reason: 'version-too-new' });
    expect(decodeEnvelope(Uint8Array.from([...magic, 1, 9]))).toMatchObject({ ok: false, reason: 'unsupported-algorithm' });
    expect(decodeEnvelope(Uint8Array.from([...magic, 1, 1, 0]))).toMatchObject({ ok: false, reason: 'truncated' });
  });
});

describe('encryptEnvelope option checks (before any KMS call)', () => {
  it('rejects bad frame sizes and inputs', async () => {
    const kms = await createFakeKms(nobleBackend);
    for (const frameSize of [0, -1, 1.5, (64 << 20) + 1]) {
      await expect(encryptEnvelope(kms, nobleBackend, payload(1), { keyId: KEY_ARN, frameSize })).rejects.toThrow(RangeError);
    }
    await expect(encryptEnvelope(kms, nobleBackend, 'text' as unknown as Uint8Array, { keyId: KEY_ARN })).rejects.toThrow(TypeError);
    await expect(encryptEnvelope(kms, nobleBackend, payload(1), { keyId: '' })).rejects.toThrow(TypeError);
    expect(kms.calls.generateDataKey).toBe(0);
  });

  it('passes KMS errors through unchanged', async () => {
    const kms = await createFakeKms(nobleBackend);
    await expectInvalid(encryptEnvelope(kms, nobleBackend, payload(1), { keyId: 'alias/missing' }), /does not exist/, 'NotFoundException');
  });
});
