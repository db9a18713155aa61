/**
 * The page's offline crypto against the real service: a signature made by KMS Sign verifies in
 * the page with GetPublicKey's key (no Verify call), data encrypted in the page decrypts with KMS
 * Decrypt, and the page's side of ECDH equals DeriveSharedSecret's.
 */
import { describe, expect, it } from 'vitest';
import { deriveOffline, encryptOffline, generatePeerKeyPair, sameBytes, verifyOffline } from '../../../src/ui/keys/use/offline';
import { digestFor, signRequest } from '../../../src/ui/keys/use/signing';
import { makeHarness } from '../kms/harness';

const MANIFEST = new TextEncoder().encode('release 1.2.3: sha256 of every file');

describe('offline use of KMS public keys', () => {
  it('verifies KMS signatures in the page (RAW and DIGEST), with no Verify call; a tampered message fails', async () => {
    const h = await makeHarness();
    for (const [spec, alg] of [['ECC_NIST_P256', 'ECDSA_SHA_256'], ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'], ['ML_DSA_44', 'ML_DSA_SHAKE_256']] as const) {
      const { arn } = await h.createKey({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
      const sig = (await h.call('Sign', signRequest(arn, MANIFEST, 'RAW', alg))).Signature as Uint8Array;
      const pub = (await h.call('GetPublicKey', { KeyId: arn })).PublicKey as Uint8Array;
      expect(await verifyOffline(spec, pub, alg, MANIFEST, 'RAW', sig)).toBe(true);
      const tampered = MANIFEST.slice();
      tampered[0]! ^= 1;
      expect(await verifyOffline(spec, pub, alg, tampered, 'RAW', sig)).toBe(false);
    }
    const { arn } = await h.createKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' });
    const digest = await digestFor('ECDSA_SHA_384', MANIFEST);
    const sig = (await h.call('Sign', signRequest(arn, digest, 'DIGEST', 'ECDSA_SHA_384'))).Signature as Uint8Array;
    const pub = (await h.call('GetPublicKey', { KeyId: arn })).PublicKey as Uint8Array;
    // The same signature checks as RAW over the message or as DIGEST over its hash.
    expect(await verifyOffline('ECC_NIST_P384', pub, 'ECDSA_SHA_384', MANIFEST, 'RAW', sig)).toBe(true);
    expect(await verifyOffline('ECC_NIST_P384', pub, 'ECDSA_SHA_384', digest, 'DIGEST', sig)).toBe(true);
    const names = (h.repo.list('trailEvent') as unknown[]).map((e) => /"eventName":"(\w+)"/.exec(JSON.stringify(e))?.[1]);
    expect(names).toContain('Sign');
    expect(names).not.toContain('Verify');
  });

  it('encrypts in the page with RSA-OAEP; KMS Decrypt returns the plaintext; the size limit is refused first', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const pub = (await h.call('GetPublicKey', { KeyId: arn })).PublicKey as Uint8Array;
    for (const alg of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
      const blob = await encryptOffline('RSA_2048', pub, alg, MANIFEST);
      const out = await h.call('Decrypt', { KeyId: arn, CiphertextBlob: blob, EncryptionAlgorithm: alg });
      expect(out.Plaintext).toEqual(MANIFEST);
    }
    await expect(encryptOffline('RSA_2048', pub, 'RSAES_OAEP_SHA_256', new Uint8Array(191))).rejects.toThrow('at most 190 bytes');
  });

  it('derives the same ECDH secret in the page as DeriveSharedSecret', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const kmsPub = (await h.call('GetPublicKey', { KeyId: arn })).PublicKey as Uint8Array;
    const peer = await generatePeerKeyPair('ECC_NIST_P256');
    const res = await h.call('DeriveSharedSecret', { KeyId: arn, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey });
    const mine = await deriveOffline('ECC_NIST_P256', peer.privateKey, kmsPub);
    expect(sameBytes(res.SharedSecret as Uint8Array, mine)).toBe(true);
    expect(mine.length).toBe(32);
  });
});
