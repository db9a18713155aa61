import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createECDH, createHash, createPublicKey, diffieHellman, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import * as K from '../../../../../src/kms/crypto/keys/index';
import { ecPkcs8 } from '../../../../../src/kms/crypto/keys/ecc';
import { int, seq } from '../../../../../src/kms/crypto/keys/der';
import rfc6979 from '../../../../vectors/keys/rfc6979-p256.json';
import { flipBit, hex, nodePrivate, nodePublic, testRandom, toHex } from './helpers';

type Ec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
const EC: readonly Ec[] = ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'];
const NODE_CURVE: Record<Ec, string> = { ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1', ECC_SECG_P256K1: 'secp256k1' };
const WEB_CURVE: Partial<Record<Ec, string>> = { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_NIST_P521: 'P-521' };
const NODE_HASH: Record<string, string> = { ECDSA_SHA_256: 'sha256', ECDSA_SHA_384: 'sha384', ECDSA_SHA_512: 'sha512' };
const MSG = new TextEncoder().encode('release-manifest v1.2.3');

const keys = new Map<Ec, K.KeyPair>();
const nodeKeys = new Map<Ec, { privateKey: KeyObject; publicKey: KeyObject }>();
beforeAll(async () => {
  for (const spec of EC) {
    keys.set(spec, await K.generateKeyPair(spec, testRandom(spec)));
    nodeKeys.set(spec, generateKeyPairSync('ec', { namedCurve: NODE_CURVE[spec] }));
  }
});
const kp = (spec: Ec): K.KeyPair => keys.get(spec) as K.KeyPair;

describe.each(EC)('%s', (spec) => {
  const alg = K.signingAlgorithmsFor(spec)[0] as K.SigningAlgorithm;
  const nodeHash = NODE_HASH[alg] as string;

  it('algorithms as §4.1', () => {
    expect(K.signingAlgorithmsFor(spec)).toEqual([spec === 'ECC_NIST_P384' ? 'ECDSA_SHA_384' : spec === 'ECC_NIST_P521' ? 'ECDSA_SHA_512' : 'ECDSA_SHA_256']);
    expect(K.keyAgreementAlgorithmsFor(spec)).toEqual(spec === 'ECC_SECG_P256K1' ? [] : ['ECDH']);
    expect(K.encryptionAlgorithmsFor(spec)).toEqual([]);
  });

  it('keygen is deterministic in the random bytes and the keys import into node:crypto', async () => {
    const again = await K.generateKeyPair(spec, testRandom(spec));
    expect(again).toEqual(kp(spec));
    expect(K.isSeedable(spec)).toBe(true);
    const other = await K.generateKeyPair(spec, testRandom(`${spec}/other`));
    expect(other.privateKey).not.toEqual(kp(spec).privateKey);
    const pub = nodePublic(kp(spec).publicKey);
    expect(pub.asymmetricKeyDetails?.namedCurve).toBe(NODE_CURVE[spec]);
    const priv = nodePrivate(kp(spec).privateKey);
    // node's own SPKI of our private key equals ours byte for byte
    expect(toHex(new Uint8Array(nodePublic(kp(spec).publicKey).export({ format: 'der', type: 'spki' })))).toBe(toHex(kp(spec).publicKey));
    expect(toHex(new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' })))).toBe(toHex(kp(spec).publicKey));
    expect(K.specOfPublicKey(kp(spec).publicKey)).toBe(spec);
    expect(await K.publicKeyFromPrivate(spec, kp(spec).privateKey)).toEqual(kp(spec).publicKey);
  });

  it.skipIf(WEB_CURVE[spec] === undefined)('the keys import into WebCrypto', async () => {
    const params = { name: 'ECDSA', namedCurve: WEB_CURVE[spec] as string };
    const pub = await crypto.subtle.importKey('spki', kp(spec).publicKey as Uint8Array<ArrayBuffer>, params, true, ['verify']);
    const priv = await crypto.subtle.importKey('pkcs8', kp(spec).privateKey as Uint8Array<ArrayBuffer>, params, true, ['sign']);
    const hash = alg.replace('ECDSA_SHA_', 'SHA-');
    const p1363 = await crypto.subtle.sign({ name: 'ECDSA', hash }, priv, MSG);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash }, pub, p1363, MSG)).toBe(true);
  });

  it('our RAW and DIGEST signatures verify in node:crypto (DER)', async () => {
    const raw = await K.sign(spec, kp(spec).privateKey, alg, MSG, 'RAW', testRandom('sig'));
    const digest = new Uint8Array(createHash(nodeHash).update(MSG).digest());
    const dig = await K.sign(spec, kp(spec).privateKey, alg, digest, 'DIGEST', testRandom('sig2'));
    for (const sig of [raw, dig]) {
      expect(sig[0]).toBe(0x30);
      expect(nodeVerify(nodeHash, MSG, { key: nodePublic(kp(spec).publicKey), dsaEncoding: 'der' }, sig)).toBe(true);
    }
    expect(await K.verify(spec, kp(spec).publicKey, alg, digest, 'DIGEST', raw)).toBe(true);
    expect(await K.verify(spec, kp(spec).publicKey, alg, MSG, 'RAW', dig)).toBe(true);
  });

  it("node's signatures (any S) verify with ours, RAW and DIGEST, for node-made keys", async () => {
    const nk = nodeKeys.get(spec)!;
    const spki = new Uint8Array(nk.publicKey.export({ format: 'der', type: 'spki' }));
    const pkcs8 = new Uint8Array(nk.privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(K.specOfPublicKey(spki)).toBe(spec);
    expect(await K.publicKeyFromPrivate(spec, pkcs8)).toEqual(spki);
    const digest = new Uint8Array(createHash(nodeHash).update(MSG).digest());
    for (let i = 0; i < 8; i++) {
      const sig = new Uint8Array(nodeSign(nodeHash, MSG, { key: nk.privateKey, dsaEncoding: 'der' }));
      expect(await K.verify(spec, spki, alg, MSG, 'RAW', sig)).toBe(true);
      expect(await K.verify(spec, spki, alg, digest, 'DIGEST', sig)).toBe(true);
    }
    // and we can sign with node's PKCS#8 (OpenSSL form)
    const ours = await K.sign(spec, pkcs8, alg, MSG, 'RAW', testRandom('x'));
    expect(nodeVerify(nodeHash, MSG, { key: nk.publicKey, dsaEncoding: 'der' }, ours)).toBe(true);
  });

  it('DIGEST length rule, wrong algorithm, wrong key', async () => {
    const need = K.digestLength(alg, 'DIGEST') as number;
    await expect(K.sign(spec, kp(spec).privateKey, alg, new Uint8Array(need + 1), 'DIGEST', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
    await expect(K.sign(spec, kp(spec).privateKey, 'RSASSA_PSS_SHA_256', MSG, 'RAW', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
    await expect(K.sign(spec, kp(spec).privateKey, alg, MSG, 'EXTERNAL_MU', testRandom())).rejects.toMatchObject({ code: 'InvalidSignatureInput' });
    const sig = await K.sign(spec, kp(spec).privateKey, alg, MSG, 'RAW', testRandom());
    const otherSpec = spec === 'ECC_NIST_P256' ? 'ECC_NIST_P384' : 'ECC_NIST_P256';
    expect(await K.verify(spec, kp(otherSpec).publicKey, alg, MSG, 'RAW', sig)).toBe(false);
    expect(await K.verify(spec, kp(spec).publicKey, alg, MSG, 'DIGEST', sig)).toBe(false);
    await expect(K.sign(spec, kp(otherSpec).privateKey, alg, MSG, 'RAW', testRandom())).rejects.toMatchObject({ code: 'InvalidKeyMaterial' });
  });

  it('property: verify(sign(m)) and any single-bit flip of message or signature fails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.nat(), fc.string(), async (m, bit, label) => {
        const sig = await K.sign(spec, kp(spec).privateKey, alg, m, 'RAW', testRandom(label));
        expect(await K.verify(spec, kp(spec).publicKey, alg, m, 'RAW', sig)).toBe(true);
        expect(await K.verify(spec, kp(spec).publicKey, alg, m, 'RAW', flipBit(sig, bit % (sig.length * 8)))).toBe(false);
        if (m.length > 0) expect(await K.verify(spec, kp(spec).publicKey, alg, flipBit(m, bit % (m.length * 8)), 'RAW', sig)).toBe(false);
      }),
      { numRuns: spec === 'ECC_NIST_P521' ? 10 : 25 },
    );
  });
});

describe('ECDH (DeriveSharedSecret)', () => {
  const P = ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521'] as const;
  it.each(P)('%s agrees with node createECDH and diffieHellman', (spec) => {
    const peer = createECDH(NODE_CURVE[spec]);
    peer.generateKeys();
    const peerSpki = K.ecPublicKeyToSpki(spec, new Uint8Array(peer.getPublicKey()));
    const ours = K.deriveSharedSecret(spec, kp(spec).privateKey, peerSpki);
    const theirs = peer.computeSecret(Buffer.from(K.publicKeyBytes(kp(spec).publicKey) as Uint8Array));
    expect(toHex(ours)).toBe(toHex(new Uint8Array(theirs)));
    expect(ours.length).toBe({ ECC_NIST_P256: 32, ECC_NIST_P384: 48, ECC_NIST_P521: 66 }[spec]);
    const nk = nodeKeys.get(spec)!;
    const dh = diffieHellman({ privateKey: nodePrivate(kp(spec).privateKey), publicKey: nk.publicKey });
    expect(toHex(K.deriveSharedSecret(spec, kp(spec).privateKey, new Uint8Array(nk.publicKey.export({ format: 'der', type: 'spki' }))))).toBe(toHex(new Uint8Array(dh)));
  });

  it('refuses a peer key of another curve, a point off the curve, or garbage', () => {
    const bad = [kp('ECC_NIST_P384').publicKey, kp('ECC_SECG_P256K1').publicKey, new Uint8Array([0x30, 0x00]), flipBit(kp('ECC_NIST_P256').publicKey, 8 * (kp('ECC_NIST_P256').publicKey.length - 1))];
    for (const peer of bad) {
      expect(() => K.deriveSharedSecret('ECC_NIST_P256', kp('ECC_NIST_P256').privateKey, peer)).toThrow(expect.objectContaining({ code: 'InvalidPublicKey' }));
    }
  });
});

describe('RFC 6979 A.2.5 (P-256, SHA-256) and the DER signature form', () => {
  const sk = hex(rfc6979.privateKey);
  const point = hex(`04${rfc6979.publicKeyX}${rfc6979.publicKeyY}`);
  const pkcs8 = ecPkcs8('ECC_NIST_P256', sk, point);
  const spki = K.ecPublicKeyToSpki('ECC_NIST_P256', point);

  it('the public key matches the vector', async () => {
    expect(await K.publicKeyFromPrivate('ECC_NIST_P256', pkcs8)).toEqual(spki);
  });

  for (const c of rfc6979.cases) {
    it(`"${c.message}": noble's deterministic DER signature equals the RFC's (r, s), and ours verifies it`, async () => {
      const msg = new TextEncoder().encode(c.message);
      const der = p256.sign(msg, sk, { format: 'der', lowS: false });
      expect(toHex(der)).toBe(c.derSignature);
      // our DER INTEGER encoder writes the same bytes
      expect(toHex(seq(int(BigInt(`0x${c.r}`)), int(BigInt(`0x${c.s}`))))).toBe(c.derSignature);
      expect(await K.verify('ECC_NIST_P256', spki, 'ECDSA_SHA_256', msg, 'RAW', hex(c.derSignature))).toBe(true);
      const lowS = p256.sign(msg, sk, { format: 'der' });
      expect(await K.verify('ECC_NIST_P256', spki, 'ECDSA_SHA_256', msg, 'RAW', lowS)).toBe(true);
      expect(nodeVerify('sha256', msg, { key: nodePublic(spki), dsaEncoding: 'der' }, hex(c.derSignature))).toBe(true);
    });
  }

  it('a compact (r||s) signature is not accepted where AWS sends DER', async () => {
    const compact = p256.sign(MSG, sk);
    expect(await K.verify('ECC_NIST_P256', spki, 'ECDSA_SHA_256', MSG, 'RAW', compact)).toBe(false);
  });
});
