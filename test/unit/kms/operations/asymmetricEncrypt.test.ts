/**
 * Encrypt / Decrypt / ReEncrypt with RSA ENCRYPT_DECRYPT keys through the service (§2.2, §3.1):
 * raw OAEP ciphertext of modulus size, cross-checked with node:crypto both ways (the private key
 * read from the harness repository stands in for a client that only GetPublicKey would give), the
 * per-size plaintext limits at the boundary, AWS's errors, ReEncrypt across key types, replay.
 */
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nobleBackend } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { toTrailRecord } from '../../../../src/trail';
import { makeHarness, text, utf8, type Harness } from '../harness';

const SIZES = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
const ALGS = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
/** §3.1: the API reference's limits, written out (not computed) so a wrong formula fails. */
const LIMITS: Record<string, Record<string, number>> = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
  RSA_4096: { RSAES_OAEP_SHA_1: 470, RSAES_OAEP_SHA_256: 446 },
};
const MODULUS: Record<string, number> = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 };
const oaepHash = (alg: string) => (alg === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256');

/** The DER PKCS#8 private key of a key (test-only peek into the repository). */
function privateKeyOf(h: Harness, arn: string): Uint8Array {
  const key = h.repo.get('key', arn)!;
  return h.repo.get('material', `${arn}/${key.currentKeyMaterialId!}`)!.material;
}
const nodePrivate = (h: Harness, arn: string) => createPrivateKey({ key: Buffer.from(privateKeyOf(h, arn)), format: 'der', type: 'pkcs8' });

describe('asymmetric Encrypt and Decrypt (RSAES-OAEP)', () => {
  let h: Harness;
  const keys: Record<string, { keyId: string; arn: string }> = {};
  beforeAll(async () => {
    h = await makeHarness();
    for (const KeySpec of SIZES) keys[KeySpec] = await h.createKey({ KeySpec, KeyUsage: 'ENCRYPT_DECRYPT' });
  }, 60_000);

  it('encrypts to raw modulus-sized OAEP ciphertext that node:crypto and KMS Decrypt both open', async () => {
    for (const spec of SIZES) {
      for (const alg of ALGS) {
        const { keyId, arn } = keys[spec]!;
        const r = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8(`hello ${spec} ${alg}`), EncryptionAlgorithm: alg });
        expect(r).toMatchObject({ KeyId: arn, EncryptionAlgorithm: alg });
        expect(r.KeyMaterialId).toBeUndefined();
        const blob = r.CiphertextBlob as Uint8Array;
        expect(blob.length, `${spec} ${alg}`).toBe(MODULUS[spec]);
        const offline = privateDecrypt({ key: nodePrivate(h, arn), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(alg) }, blob);
        expect(offline.toString()).toBe(`hello ${spec} ${alg}`);
        const d = await h.call('Decrypt', { CiphertextBlob: blob, KeyId: arn, EncryptionAlgorithm: alg });
        expect(text(d.Plaintext)).toBe(`hello ${spec} ${alg}`);
        expect(d).toMatchObject({ KeyId: arn, EncryptionAlgorithm: alg });
        expect(d.KeyMaterialId).toBeUndefined();
      }
    }
  }, 60_000);

  it('decrypts data encrypted offline with the public key (node:crypto publicEncrypt, OAEP SHA-1 and SHA-256)', async () => {
    for (const spec of SIZES) {
      const { arn } = keys[spec]!;
      const pub = createPublicKey(nodePrivate(h, arn));
      for (const alg of ALGS) {
        const secret = Buffer.alloc(LIMITS[spec]![alg]!, 7);
        const blob = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(alg) }, secret);
        const d = await h.call('Decrypt', { CiphertextBlob: new Uint8Array(blob), KeyId: keys[spec]!.keyId, EncryptionAlgorithm: alg });
        expect(Buffer.from(d.Plaintext as Uint8Array).equals(secret), `${spec} ${alg}`).toBe(true);
        // The other OAEP hash does not open it.
        const other = alg === 'RSAES_OAEP_SHA_1' ? 'RSAES_OAEP_SHA_256' : 'RSAES_OAEP_SHA_1';
        expect((await h.fail('Decrypt', { CiphertextBlob: new Uint8Array(blob), KeyId: arn, EncryptionAlgorithm: other })).name).toBe('InvalidCiphertextException');
      }
    }
  }, 60_000);

  it('takes plaintext up to the per-size limit and refuses one byte more (ValidationException)', async () => {
    for (const spec of SIZES) {
      for (const alg of ALGS) {
        const limit = LIMITS[spec]![alg]!;
        const { keyId } = keys[spec]!;
        const ok = await h.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(limit).fill(1), EncryptionAlgorithm: alg });
        expect((ok.CiphertextBlob as Uint8Array).length).toBe(MODULUS[spec]);
        expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(limit + 1), EncryptionAlgorithm: alg })).toEqual({
          name: 'ValidationException',
          message: `Algorithm ${alg} and key spec ${spec} cannot encrypt data larger than ${limit} bytes.`,
        });
      }
    }
  }, 60_000);

  it('answers AWS errors for a missing or wrong algorithm, an encryption context, and DryRun', async () => {
    const { keyId, arn } = keys.RSA_2048!;
    const sym = await h.createKey();
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') })).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' })).toMatchObject({ name: 'InvalidKeyUsageException' });
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'SM2PKE' })).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SM2PKE is incompatible with key spec RSA_2048.',
    });
    expect(await h.fail('Encrypt', { KeyId: sym.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.',
    });
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_999' })).name).toBe('ValidationException');
    const ecMessage = 'EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.';
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })).toEqual({ name: 'ValidationException', message: ecMessage });
    // An empty context binds nothing: accepted.
    const c = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: {} });
    expect(await h.fail('Decrypt', { CiphertextBlob: c.CiphertextBlob, KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })).toEqual({ name: 'ValidationException', message: ecMessage });
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })).name).toBe('DryRunOperationException');
    expect((await h.fail('Decrypt', { CiphertextBlob: c.CiphertextBlob, KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DryRun: true })).name).toBe('DryRunOperationException');
  });

  it('Decrypt of asymmetric ciphertext needs KeyId and EncryptionAlgorithm; foreign, tampered or cut ciphertext is InvalidCiphertextException', async () => {
    const { keyId, arn } = keys.RSA_2048!;
    const c = (await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('secret'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).CiphertextBlob as Uint8Array;
    const noKey = await h.fail('Decrypt', { CiphertextBlob: c, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(noKey).toEqual({ name: 'InvalidCiphertextException', message: '' });
    // No EncryptionAlgorithm: the symmetric reading, where a KeyId of another key type is IncorrectKey (§1.5 end).
    expect((await h.fail('Decrypt', { CiphertextBlob: c, KeyId: arn })).name).toBe('IncorrectKeyException');
    expect((await h.fail('Decrypt', { CiphertextBlob: c })).name).toBe('InvalidCiphertextException');
    const other = await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect((await h.fail('Decrypt', { CiphertextBlob: c, KeyId: other.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).name).toBe('InvalidCiphertextException');
    const tampered = c.slice();
    tampered[100]! ^= 1;
    expect((await h.fail('Decrypt', { CiphertextBlob: tampered, KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).name).toBe('InvalidCiphertextException');
    expect((await h.fail('Decrypt', { CiphertextBlob: c.subarray(1), KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).name).toBe('InvalidCiphertextException');
    // The 3072-bit key's ciphertext given to the 2048-bit key.
    const big = (await h.call('Encrypt', { KeyId: keys.RSA_3072!.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).CiphertextBlob;
    expect((await h.fail('Decrypt', { CiphertextBlob: big, KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).name).toBe('InvalidCiphertextException');
    // An asymmetric algorithm with a symmetric key: its usage fits, the algorithm does not.
    const sym = await h.createKey();
    expect(await h.fail('Decrypt', { CiphertextBlob: c, KeyId: sym.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.',
    });
  });

  it('follows the key state: a disabled RSA key neither encrypts nor decrypts', async () => {
    const k = await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const c = (await h.call('Encrypt', { KeyId: k.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).CiphertextBlob;
    await h.call('DisableKey', { KeyId: k.keyId });
    expect((await h.fail('Encrypt', { KeyId: k.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).name).toBe('DisabledException');
    expect((await h.fail('Decrypt', { CiphertextBlob: c, KeyId: k.keyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).name).toBe('DisabledException');
  });

  it('ReEncrypts symmetric → RSA → RSA → symmetric, each half by its own algorithm', async () => {
    const sym = await h.createKey();
    const ec = { purpose: 'test' };
    const s0 = (await h.call('Encrypt', { KeyId: sym.keyId, Plaintext: utf8('moving'), EncryptionContext: ec })).CiphertextBlob;
    const r1 = await h.call('ReEncrypt', { CiphertextBlob: s0, SourceEncryptionContext: ec, DestinationKeyId: keys.RSA_2048!.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(r1).toMatchObject({ SourceKeyId: sym.arn, KeyId: keys.RSA_2048!.arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(r1.SourceKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(r1.DestinationKeyMaterialId).toBeUndefined();
    expect((r1.CiphertextBlob as Uint8Array).length).toBe(256);
    const offline = privateDecrypt({ key: nodePrivate(h, keys.RSA_2048!.arn), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, r1.CiphertextBlob as Uint8Array);
    expect(offline.toString()).toBe('moving');
    const r2 = await h.call('ReEncrypt', {
      CiphertextBlob: r1.CiphertextBlob, SourceKeyId: keys.RSA_2048!.arn, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      DestinationKeyId: keys.RSA_3072!.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
    });
    expect(r2).toMatchObject({ SourceKeyId: keys.RSA_2048!.arn, KeyId: keys.RSA_3072!.arn, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    expect(r2.SourceKeyMaterialId).toBeUndefined();
    const r3 = await h.call('ReEncrypt', {
      CiphertextBlob: r2.CiphertextBlob, SourceKeyId: keys.RSA_3072!.keyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      DestinationKeyId: sym.keyId, DestinationEncryptionContext: { back: 'home' },
    });
    expect(r3).toMatchObject({ KeyId: sym.arn, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(r3.DestinationKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const d = await h.call('Decrypt', { CiphertextBlob: r3.CiphertextBlob, EncryptionContext: { back: 'home' } });
    expect(text(d.Plaintext)).toBe('moving');
  }, 30_000);

  it('ReEncrypt refuses what Decrypt and Encrypt refuse: no SourceKeyId, a context or too much plaintext for RSA', async () => {
    const sym = await h.createKey();
    const rsa = keys.RSA_2048!;
    const c = (await h.call('Encrypt', { KeyId: rsa.keyId, Plaintext: utf8('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).CiphertextBlob;
    expect((await h.fail('ReEncrypt', { CiphertextBlob: c, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationKeyId: sym.keyId })).name).toBe('InvalidCiphertextException');
    expect((await h.fail('ReEncrypt', { CiphertextBlob: c, SourceKeyId: rsa.keyId, DestinationKeyId: sym.keyId })).name).toBe('IncorrectKeyException');
    const s = (await h.call('Encrypt', { KeyId: sym.keyId, Plaintext: new Uint8Array(191) })).CiphertextBlob;
    expect((await h.fail('ReEncrypt', { CiphertextBlob: s, DestinationKeyId: rsa.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationEncryptionContext: { a: 'b' } })).name).toBe('ValidationException');
    expect(await h.fail('ReEncrypt', { CiphertextBlob: s, DestinationKeyId: rsa.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).toEqual({
      name: 'ValidationException',
      message: 'Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.',
    });
    expect(await h.fail('ReEncrypt', { CiphertextBlob: s, DestinationKeyId: rsa.keyId })).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
    // 190 bytes fit with SHA-1 as well as SHA-256.
    const ok = await h.call('ReEncrypt', { CiphertextBlob: s, DestinationKeyId: rsa.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    expect((ok.CiphertextBlob as Uint8Array).length).toBe(256);
  });
});

describe('asymmetric encryption properties (RSA_2048)', () => {
  it('Decrypt inverts Encrypt for any plaintext within the limit; flipping any ciphertext bit is InvalidCiphertextException', async () => {
    const h = await makeHarness({ seed: 3 });
    const { keyId, arn } = await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALGS),
        fc.uint8Array({ minLength: 1, maxLength: 214 }),
        fc.nat(256 * 8 - 1),
        async (alg, m, bit) => {
          const plaintext = m.subarray(0, LIMITS.RSA_2048![alg]!);
          const c = (await h.call('Encrypt', { KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: alg })).CiphertextBlob as Uint8Array;
          const d = await h.call('Decrypt', { CiphertextBlob: c, KeyId: arn, EncryptionAlgorithm: alg });
          expect(d.Plaintext).toEqual(plaintext);
          const t = c.slice();
          t[bit >> 3]! ^= 1 << (bit & 7);
          expect((await h.fail('Decrypt', { CiphertextBlob: t, KeyId: arn, EncryptionAlgorithm: alg })).name).toBe('InvalidCiphertextException');
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});

describe('replay of asymmetric encryption', () => {
  it('rebuilds the sandbox: the RSA key and the ciphertext are recorded outputs, the Decrypt refers to it', async () => {
    const h = await makeHarness({ seed: 9 });
    const { keyId, arn } = await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const c = (await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('replayed'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).CiphertextBlob as Uint8Array;
    await h.call('Decrypt', { CiphertextBlob: c, KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    const log = h.repo.list('logEntry').map((r) => r.entry);
    const enc = log.find((e) => e.kind === 'call' && e.operation === 'Encrypt');
    expect(enc?.kind === 'call' ? Object.keys(enc.recorded ?? {}) : []).toEqual(['ciphertext']);
    const dec = log.find((e) => e.kind === 'call' && e.operation === 'Decrypt');
    expect(dec?.kind === 'call' ? JSON.stringify(dec.request) : '').toContain('"$output"');
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
    expect(r.repository.list('material').map((m) => m.material)).toEqual(h.repo.list('material').map((m) => m.material));
    expect(r.repository.list('trailEvent').map((t) => t.record)).toEqual(h.repo.list('trailEvent').map((t) => t.record));
    const again = await r.service.call('Decrypt', { CiphertextBlob: c, KeyId: arn, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, { principalArn: `arn:aws:iam::111122223333:root`, accountId: '111122223333' as never, region: 'us-east-1' as never });
    expect(text(again.Plaintext)).toBe('replayed');
  }, 30_000);
});
