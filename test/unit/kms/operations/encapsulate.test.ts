/**
 * Encapsulate and Decapsulate through the service (kms-semantics.md §2.1, §2.2, §4.1): ML-KEM-512/
 * 768/1024 round trips, cross-checked with @noble/post-quantum (Node 20 has no ML-KEM): noble
 * encapsulates to the public key from GetPublicKey and KMS Decapsulate finds the same secret; wrong
 * blob lengths, usage and algorithm errors, DryRun, states, trail, replay.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { nobleBackend } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { publicKeyBytes } from '../../../../src/kms/crypto/keys/index';
import { toTrailRecord } from '../../../../src/trail';
import { makeHarness, type Harness } from '../harness';
import { allRecords, logOf } from '../logScenario';

const KEM = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 } as const;
const CT_BYTES = { ML_KEM_512: 768, ML_KEM_768: 1088, ML_KEM_1024: 1568 } as const;

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});

describe('Encapsulate / Decapsulate', () => {
  for (const spec of Object.keys(KEM) as (keyof typeof KEM)[]) {
    it(`${spec}: Decapsulate finds Encapsulate's secret and noble's; a blob of another key gives another secret`, async () => {
      const k = await h.createKey({ KeySpec: spec, KeyUsage: 'ENCAPSULATE_DECAPSULATE' });
      const e = await h.call('Encapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM', GrantTokens: [] });
      const { $metadata: _, ...members } = e as Record<string, unknown>;
      expect(members).toEqual({ KeyId: k.arn, SharedSecret: expect.any(Uint8Array), SharedSecretCiphertextBlob: expect.any(Uint8Array), EncapsulationAlgorithm: 'ML_KEM' });
      expect((e.SharedSecret as Uint8Array).length).toBe(32);
      expect((e.SharedSecretCiphertextBlob as Uint8Array).length).toBe(CT_BYTES[spec]);
      const d = await h.call('Decapsulate', { KeyId: k.keyId, SharedSecretCiphertextBlob: e.SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' });
      expect(d).toMatchObject({ KeyId: k.arn, EncapsulationAlgorithm: 'ML_KEM' });
      expect(d.SharedSecret).toEqual(e.SharedSecret);
      // Offline: noble encapsulates to the public key KMS gives out.
      const spki = (await h.call('GetPublicKey', { KeyId: k.keyId })).PublicKey as Uint8Array;
      const offline = KEM[spec].encapsulate(publicKeyBytes(spki)!);
      const d2 = await h.call('Decapsulate', { KeyId: k.keyId, SharedSecretCiphertextBlob: offline.cipherText, EncapsulationAlgorithm: 'ML_KEM' });
      expect(d2.SharedSecret).toEqual(offline.sharedSecret);
      // Implicit rejection: a blob for another key decapsulates to an unrelated secret.
      const other = await h.createKey({ KeySpec: spec, KeyUsage: 'ENCAPSULATE_DECAPSULATE' });
      const wrong = await h.call('Decapsulate', { KeyId: other.keyId, SharedSecretCiphertextBlob: e.SharedSecretCiphertextBlob, EncapsulationAlgorithm: 'ML_KEM' });
      expect(wrong.SharedSecret).not.toEqual(e.SharedSecret);
      // A blob of the wrong length: InvalidCiphertextException with AWS's empty message.
      for (const blob of [(e.SharedSecretCiphertextBlob as Uint8Array).slice(1), new Uint8Array(CT_BYTES[spec] + 1)]) {
        expect(await h.fail('Decapsulate', { KeyId: k.keyId, SharedSecretCiphertextBlob: blob, EncapsulationAlgorithm: 'ML_KEM' })).toEqual({
          name: 'InvalidCiphertextException',
          message: '',
        });
      }
    });
  }

  it('usage, algorithm and request validation errors; DryRun; a disabled key', async () => {
    for (const [create, usage] of [[{}, 'ENCRYPT_DECRYPT'], [{ KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' }, 'SIGN_VERIFY']] as const) {
      const k = await h.createKey(create);
      for (const op of ['Encapsulate', 'Decapsulate']) {
        expect(await h.fail(op, { KeyId: k.arn, EncapsulationAlgorithm: 'ML_KEM', SharedSecretCiphertextBlob: new Uint8Array(768) })).toEqual({
          name: 'InvalidKeyUsageException',
          message: `${k.arn} key usage is ${usage} which is not valid for ${op}.`,
        });
      }
    }
    const k = await h.createKey({ KeySpec: 'ML_KEM_768', KeyUsage: 'ENCAPSULATE_DECAPSULATE' });
    expect((await h.fail('Encapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'KYBER' })).message).toBe(
      "1 validation error detected: Value 'KYBER' at 'encapsulationAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ML_KEM]",
    );
    expect((await h.fail('Decapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM' })).message).toBe(
      "1 validation error detected: Value null at 'sharedSecretCiphertextBlob' failed to satisfy constraint: Member must not be null",
    );
    expect((await h.fail('Encapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM', DryRun: true })).name).toBe('DryRunOperationException');
    const e = await h.call('Encapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM' });
    expect((await h.fail('Decapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM', SharedSecretCiphertextBlob: e.SharedSecretCiphertextBlob, DryRun: true })).name).toBe(
      'DryRunOperationException',
    );
    expect((await h.fail('Decapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM', SharedSecretCiphertextBlob: new Uint8Array(5), DryRun: true })).name).toBe(
      'InvalidCiphertextException',
    );
    await h.call('DisableKey', { KeyId: k.keyId });
    expect(await h.fail('Encapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM' })).toEqual({ name: 'DisabledException', message: `${k.arn} is disabled.` });
  });

  it('the trail never holds the secret; the log refers to the blob; replay rebuilds the same sandbox', async () => {
    const hh = await makeHarness({ seed: 5 });
    const k = await hh.createKey({ KeySpec: 'ML_KEM_512', KeyUsage: 'ENCAPSULATE_DECAPSULATE' });
    const e = await hh.call('Encapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM' });
    await hh.call('Decapsulate', { KeyId: k.keyId, EncapsulationAlgorithm: 'ML_KEM', SharedSecretCiphertextBlob: e.SharedSecretCiphertextBlob });
    const text = JSON.stringify(hh.repo.list('trailEvent').map((t) => t.record));
    expect(text).not.toContain(Buffer.from(e.SharedSecret as Uint8Array).toString('base64'));
    expect(text).not.toContain(Buffer.from(e.SharedSecretCiphertextBlob as Uint8Array).toString('base64'));
    const log = logOf(hh.repo);
    const dec = log.find((x) => x.kind === 'call' && x.operation === 'Decapsulate');
    expect(dec?.kind === 'call' ? JSON.stringify(dec.request?.SharedSecretCiphertextBlob) : '').toMatch(/^\{"\$output":\[\d+,"SharedSecretCiphertextBlob"\]\}$/);
    const meta = hh.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason} ${r.detail}`);
    expect(allRecords(r.repository)).toEqual(allRecords(hh.repo));
  });
});
