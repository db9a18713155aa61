import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { shake256 } from '@noble/hashes/sha3.js';
import { ml_dsa44 } from '@noble/post-quantum/ml-dsa.js';
import * as K from '../../../../../src/kms/crypto/keys/index';
import { encodePkcs8 } from '../../../../../src/kms/crypto/keys/keyInfo';
import { octets, seq } from '../../../../../src/kms/crypto/keys/der';
import { flipBit, testRandom, toHex } from './helpers';

// Node 20's crypto has no ML-DSA/ML-KEM, so these check structure (RFC 9881 / RFC 9935 forms),
// round trips and the external-μ relation against @noble/post-quantum itself.
const DSA = [['ML_DSA_44', 1312, 2420, '11'], ['ML_DSA_65', 1952, 3309, '12'], ['ML_DSA_87', 2592, 4627, '13']] as const;
const KEM = [['ML_KEM_512', 800, 768, '01'], ['ML_KEM_768', 1184, 1088, '02'], ['ML_KEM_1024', 1568, 1568, '03']] as const;

describe.each(DSA)('%s', (spec, pkLen, sigLen, oidLast) => {
  it('seed-only PKCS#8 and SPKI forms (RFC 9881), deterministic keygen, spec detection', async () => {
    const kp = await K.generateKeyPair(spec, testRandom(spec));
    expect(await K.generateKeyPair(spec, testRandom(spec))).toEqual(kp);
    expect(K.isSeedable(spec)).toBe(true);
    const seed = testRandom(spec).bytes(32);
    // SEQUENCE { 0, SEQUENCE { id-ml-dsa-xx }, OCTET STRING { [0] seed } }
    expect(toHex(kp.privateKey)).toBe(`3034020100300b06096086480165030403${oidLast}04228020${toHex(seed)}`);
    // SEQUENCE { SEQUENCE { id-ml-dsa-xx } (no parameters), BIT STRING { 0 unused bits, pk } }
    const h2 = (n: number): string => n.toString(16).padStart(4, '0');
    const head = `3082${h2(13 + 4 + pkLen + 1)}300b06096086480165030403${oidLast}0382${h2(pkLen + 1)}00`;
    expect(toHex(kp.publicKey.subarray(0, head.length / 2))).toBe(head);
    expect(kp.publicKey.length).toBe(head.length / 2 + pkLen);
    expect(K.publicKeyBytes(kp.publicKey)?.length).toBe(pkLen);
    expect(K.specOfPublicKey(kp.publicKey)).toBe(spec);
    expect(await K.publicKeyFromPrivate(spec, kp.privateKey)).toEqual(kp.publicKey);
    expect(K.signingAlgorithmsFor(spec)).toEqual(['ML_DSA_SHAKE_256']);
  });

  it('RAW and EXTERNAL_MU: μ = SHAKE256(SHAKE256(pk,64) || 0 || 0 || M, 64) signs the same message', async () => {
    const kp = await K.generateKeyPair(spec, testRandom(spec));
    const m = new TextEncoder().encode('manifest');
    const pk = K.publicKeyBytes(kp.publicKey) as Uint8Array;
    const tr = shake256(pk, { dkLen: 64 });
    const mu = shake256(new Uint8Array([...tr, 0, 0, ...m]), { dkLen: 64 });
    const rawSig = await K.sign(spec, kp.privateKey, 'ML_DSA_SHAKE_256', m, 'RAW', testRandom());
    const muSig = await K.sign(spec, kp.privateKey, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU', testRandom());
    expect(rawSig.length).toBe(sigLen);
    expect(await K.verify(spec, kp.publicKey, 'ML_DSA_SHAKE_256', m, 'RAW', muSig)).toBe(true);
    expect(await K.verify(spec, kp.publicKey, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU', rawSig)).toBe(true);
    expect(await K.verify(spec, kp.publicKey, 'ML_DSA_SHAKE_256', flipBit(mu, 5), 'EXTERNAL_MU', rawSig)).toBe(false);
    expect(await K.verify(spec, kp.publicKey, 'ML_DSA_SHAKE_256', mu, 'EXTERNAL_MU', flipBit(rawSig, 99))).toBe(false);
    expect(await K.verify(spec, kp.publicKey, 'ML_DSA_SHAKE_256', mu, 'RAW', rawSig)).toBe(false);
    expect(K.digestLength('ML_DSA_SHAKE_256', 'EXTERNAL_MU')).toBe(64);
    await expect(K.sign(spec, kp.privateKey, 'ML_DSA_SHAKE_256', mu.subarray(1), 'EXTERNAL_MU', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
    await expect(K.sign(spec, kp.privateKey, 'ML_DSA_SHAKE_256', mu, 'DIGEST', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
  });
});

describe('ML-DSA properties and key checks', () => {
  it('property: verify(sign(m)) and single-bit flips fail (ML_DSA_44)', async () => {
    const kp = await K.generateKeyPair('ML_DSA_44', testRandom('p'));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.nat(), async (m, bit) => {
        const sig = await K.sign('ML_DSA_44', kp.privateKey, 'ML_DSA_SHAKE_256', m, 'RAW', testRandom());
        expect(await K.verify('ML_DSA_44', kp.publicKey, 'ML_DSA_SHAKE_256', m, 'RAW', sig)).toBe(true);
        expect(await K.verify('ML_DSA_44', kp.publicKey, 'ML_DSA_SHAKE_256', m, 'RAW', flipBit(sig, bit % (sig.length * 8)))).toBe(false);
        if (m.length > 0) expect(await K.verify('ML_DSA_44', kp.publicKey, 'ML_DSA_SHAKE_256', flipBit(m, bit % (m.length * 8)), 'RAW', sig)).toBe(false);
      }),
      { numRuns: 20 },
    );
  });

  it('accepts the `both` form when consistent; refuses expanded-only, inconsistent and wrong-OID keys', async () => {
    const seed = testRandom('both').bytes(32);
    const { secretKey } = ml_dsa44.keygen(seed);
    const alg = { oid: '2.16.840.1.101.3.4.3.17', params: { kind: 'absent' as const } };
    const both = encodePkcs8(alg, seq(octets(seed), octets(secretKey)));
    expect(K.specOfPublicKey(await K.publicKeyFromPrivate('ML_DSA_44', both))).toBe('ML_DSA_44');
    const bad = [
      encodePkcs8(alg, octets(secretKey)),
      encodePkcs8(alg, seq(octets(seed), octets(flipBit(secretKey, 100)))),
      encodePkcs8({ ...alg, oid: '2.16.840.1.101.3.4.3.18' }, seq(octets(seed), octets(secretKey))),
    ];
    for (const pkcs8 of bad) await expect(K.publicKeyFromPrivate('ML_DSA_44', pkcs8)).rejects.toMatchObject({ code: 'InvalidKeyMaterial' });
  });
});

describe.each(KEM)('%s', (spec, pkLen, ctLen, oidLast) => {
  it('seed-only PKCS#8 (d||z) and SPKI (RFC 9935), encapsulate → decapsulate, implicit rejection', async () => {
    const kp = await K.generateKeyPair(spec, testRandom(spec));
    expect(await K.generateKeyPair(spec, testRandom(spec))).toEqual(kp);
    expect(toHex(kp.privateKey)).toBe(`3054020100300b0609608648016503040401`.replace(/01$/, oidLast) + `04428040${toHex(testRandom(spec).bytes(64))}`);
    expect(K.publicKeyBytes(kp.publicKey)?.length).toBe(pkLen);
    expect(K.specOfPublicKey(kp.publicKey)).toBe(spec);
    expect(await K.publicKeyFromPrivate(spec, kp.privateKey)).toEqual(kp.publicKey);
    expect(K.encapsulationAlgorithmsFor(spec)).toEqual(['ML_KEM']);
    const { sharedSecret, ciphertext } = K.mlKemEncapsulate(spec, kp.publicKey, testRandom('enc'));
    expect(ciphertext.length).toBe(ctLen);
    expect(sharedSecret.length).toBe(32);
    expect(K.mlKemDecapsulate(spec, kp.privateKey, ciphertext)).toEqual(sharedSecret);
    const tampered = K.mlKemDecapsulate(spec, kp.privateKey, flipBit(ciphertext, 11));
    expect(tampered).not.toEqual(sharedSecret);
    expect(() => K.mlKemDecapsulate(spec, kp.privateKey, ciphertext.subarray(1))).toThrow(expect.objectContaining({ code: 'InvalidCiphertext' }));
    const other = await K.generateKeyPair(spec === 'ML_KEM_512' ? 'ML_KEM_768' : 'ML_KEM_512', testRandom());
    expect(() => K.mlKemEncapsulate(spec, other.publicKey, testRandom())).toThrow(expect.objectContaining({ code: 'InvalidPublicKey' }));
  });
});
