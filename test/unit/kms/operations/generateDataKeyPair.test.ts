/**
 * GenerateDataKeyPair / GenerateDataKeyPairWithoutPlaintext through the service (§2.2): every
 * KeyPairSpec but SM2 gives a DER SPKI public key that matches the DER PKCS#8 private key
 * (node:crypto derives the same SPKI; ML-KEM, which Node 20 lacks, through our crypto/keys), a
 * PrivateKeyCiphertextBlob that Decrypt opens to the PKCS#8 under the same encryption context;
 * the refusals (SM2 outside China, custom key stores, non-symmetric keys); no private key in the
 * trail; replay rebuilds the sandbox (RSA pairs recorded, the others from the seed).
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { publicKeyFromPrivate, specOfPublicKey } from '../../../../src/kms/crypto/keys/index';
import { toTrailRecord } from '../../../../src/trail';
import { makeHarness, callerIn, ACCOUNT, type Harness } from '../harness';

const NODE_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'] as const;
const KEM_SPECS = ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'] as const;

const spkiByNode = (pkcs8: Uint8Array) =>
  new Uint8Array(createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' }));

async function keyMaterialId(h: Harness, keyId: string): Promise<string> {
  return ((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata as { CurrentKeyMaterialId: string }).CurrentKeyMaterialId;
}

describe('GenerateDataKeyPair', () => {
  it('makes a matching SPKI / PKCS#8 pair for every KeyPairSpec node:crypto reads, wrapped under the symmetric key', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    const materialId = await keyMaterialId(h, keyId);
    const ec = { app: 'pairs' };
    for (const spec of NODE_SPECS) {
      const r = await h.call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: spec, EncryptionContext: ec });
      expect(r, spec).toMatchObject({ KeyId: arn, KeyPairSpec: spec, KeyMaterialId: materialId });
      const priv = r.PrivateKeyPlaintext as Uint8Array;
      const pub = r.PublicKey as Uint8Array;
      expect(spkiByNode(priv), spec).toEqual(pub);
      expect(specOfPublicKey(pub), spec).toBe(spec);
      const d = await h.call('Decrypt', { CiphertextBlob: r.PrivateKeyCiphertextBlob, EncryptionContext: ec });
      expect(d.Plaintext, spec).toEqual(priv);
      expect(d.KeyId).toBe(arn);
      expect((await h.fail('Decrypt', { CiphertextBlob: r.PrivateKeyCiphertextBlob })).name, spec).toBe('InvalidCiphertextException');
    }
  }, 60_000);

  it('makes ML-KEM pairs (checked with our crypto/keys: Node 20 has no ML-KEM)', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    for (const spec of KEM_SPECS) {
      const r = await h.call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: spec });
      expect(await publicKeyFromPrivate(spec, r.PrivateKeyPlaintext as Uint8Array), spec).toEqual(r.PublicKey);
      expect(specOfPublicKey(r.PublicKey as Uint8Array)).toBe(spec);
      expect((await h.call('Decrypt', { CiphertextBlob: r.PrivateKeyCiphertextBlob })).Plaintext).toEqual(r.PrivateKeyPlaintext);
    }
  });

  it('WithoutPlaintext returns no private key; its ciphertext decrypts to the PKCS#8 of PublicKey', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    for (const spec of ['ECC_NIST_P256', 'RSA_2048', 'ECC_NIST_EDWARDS25519'] as const) {
      const r = await h.call('GenerateDataKeyPairWithoutPlaintext', { KeyId: keyId, KeyPairSpec: spec });
      expect(Object.keys(r)).not.toContain('PrivateKeyPlaintext');
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey']));
      expect(r).toMatchObject({ KeyId: arn, KeyPairSpec: spec });
      const priv = (await h.call('Decrypt', { CiphertextBlob: r.PrivateKeyCiphertextBlob })).Plaintext as Uint8Array;
      expect(spkiByNode(priv)).toEqual(r.PublicKey);
    }
  }, 30_000);

  it('draws a new pair each call', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const a = await h.call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' });
    const b = await h.call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' });
    expect(a.PublicKey).not.toEqual(b.PublicKey);
  });

  it('refuses SM2 outside the China Regions, a missing or unknown KeyPairSpec, and DryRun', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    expect(await h.fail('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'SM2' })).toEqual({
      name: 'UnsupportedOperationException',
      message: 'KeyPairSpec SM2 is not supported in this Region',
    });
    expect((await h.fail('GenerateDataKeyPair', { KeyId: keyId })).message).toMatch(/Value null at 'keyPairSpec' failed to satisfy constraint: Member must not be null/);
    expect((await h.fail('GenerateDataKeyPairWithoutPlaintext', { KeyId: keyId, KeyPairSpec: 'RSA_1024' })).message).toMatch(/at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set/);
    expect((await h.fail('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'RSA_2048', DryRun: true })).name).toBe('DryRunOperationException');
    expect(h.repo.list('logEntry').some((e) => e.entry.kind === 'call' && e.entry.recorded !== undefined)).toBe(false);
  });

  it('refuses asymmetric and HMAC wrapping keys (InvalidKeyUsageException) and keys in a custom key store', async () => {
    const h = await makeHarness();
    const rsa = await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const mac = await h.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(await h.fail('GenerateDataKeyPair', { KeyId: rsa.keyId, KeyPairSpec: 'ECC_NIST_P256' })).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${rsa.arn} key KeySpec is RSA_2048 which is not valid for GenerateDataKeyPair.`,
    });
    expect(await h.fail('GenerateDataKeyPairWithoutPlaintext', { KeyId: mac.keyId, KeyPairSpec: 'ECC_NIST_P256' })).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${mac.arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKeyPairWithoutPlaintext.`,
    });
    const store = (await h.call('CreateCustomKeyStore', {
      CustomKeyStoreName: 'Xks',
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      XksProxyUriEndpoint: 'https://myproxy.xks.example.com',
      XksProxyUriPath: '/example-prefix/kms/xks/v1',
      XksProxyConnectivity: 'PUBLIC_ENDPOINT',
      XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8=' },
    })).CustomKeyStoreId as string;
    await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: store });
    const xks = await h.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: store, XksKeyId: 'bb8562717f809024' });
    const refused = await h.fail('GenerateDataKeyPair', { KeyId: xks.keyId, KeyPairSpec: 'ECC_NIST_P256' });
    expect(refused.name).toBe('UnsupportedOperationException');
    expect(refused.message).toContain(store);
    // The same key still makes symmetric data keys.
    await h.call('GenerateDataKey', { KeyId: xks.keyId, KeySpec: 'AES_256' });
  });

  it('never puts the private key in the trail or the call log (RSA: recorded once, as the seed cannot make it)', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const ecc = await h.call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'ECC_NIST_P384' });
    const rsa = await h.call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'RSA_2048' });
    const b64 = (b: unknown) => Buffer.from(b as Uint8Array).toString('base64');
    const trail = JSON.stringify(h.repo.list('trailEvent').map((t) => t.record));
    for (const r of [ecc, rsa]) {
      expect(trail).not.toContain(b64(r.PrivateKeyPlaintext).slice(0, 40));
      expect(trail).not.toContain(b64(r.PrivateKeyCiphertextBlob).slice(0, 40));
    }
    const entries = h.repo.list('logEntry').map((e) => e.entry).filter((e) => e.kind === 'call' && e.operation === 'GenerateDataKeyPair');
    expect(entries.map((e) => (e.kind === 'call' ? Object.keys(e.recorded ?? {}) : []))).toEqual([[], ['dataKeyPair']]);
    expect(JSON.stringify(entries[0])).not.toContain(b64(ecc.PrivateKeyPlaintext).slice(0, 40));
  });

  it('replays to the same sandbox, and the replayed service opens the wrapped private keys', async () => {
    const h = await makeHarness({ seed: 4 });
    const { keyId } = await h.createKey();
    const pairs = [];
    for (const spec of ['ECC_NIST_P256', 'RSA_2048', 'ML_KEM_512'] as const) {
      pairs.push(await h.call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: spec, EncryptionContext: { spec } }));
    }
    const log = h.repo.list('logEntry').map((r) => r.entry);
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
    expect(r.repository.list('trailEvent').map((t) => t.record)).toEqual(h.repo.list('trailEvent').map((t) => t.record));
    expect(r.repository.list('material').map((m) => m.material)).toEqual(h.repo.list('material').map((m) => m.material));
    for (const p of pairs) {
      const d = await r.service.call('Decrypt', { CiphertextBlob: p.PrivateKeyCiphertextBlob, EncryptionContext: { spec: p.KeyPairSpec as string } }, callerIn(ACCOUNT));
      expect(d.Plaintext).toEqual(p.PrivateKeyPlaintext);
    }
  }, 30_000);
});
