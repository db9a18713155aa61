/**
 * ECDSA (P-256, P-384, P-521, secp256k1), ECDH (NIST P curves) and Ed25519 / Ed25519ph on
 * @noble/curves v2, with the DER key formats AWS KMS uses:
 *
 * - SPKI: `SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve }, BIT STRING 04||X||Y }` (RFC 5480,
 *   uncompressed point as GetPublicKey returns it); Ed25519 `SEQUENCE { SEQUENCE { id-Ed25519 },
 *   BIT STRING A }` (RFC 8410 §4).
 * - PKCS#8: EC `PrivateKeyInfo { 0, {id-ecPublicKey, namedCurve}, OCTET STRING ECPrivateKey }` with
 *   `ECPrivateKey ::= SEQUENCE { 1, privateKey OCTET STRING (fixed width), [1] publicKey }` (RFC 5915;
 *   the curve is named once, in the outer AlgorithmIdentifier, as OpenSSL writes it);
 *   Ed25519 `PrivateKeyInfo { 0, {id-Ed25519}, OCTET STRING (OCTET STRING seed32) }` (RFC 8410 §7).
 *
 * Signatures: ECDSA as DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (what AWS
 * returns). We produce low-S signatures (noble's default; valid for every verifier) and, on
 * verify, accept high-S too, as AWS and OpenSSL do. The nonce is RFC 6979 with 32 bytes of
 * `extraEntropy` from the injected random (hedged: reproducible on a seeded random, never reused).
 * Ed25519: 64-byte R||S. ED25519_SHA_512 is pure Ed25519 over the RAW message; ED25519_PH_SHA_512
 * is Ed25519ph (RFC 8032 §5.1, empty context) over a 64-byte SHA-512 DIGEST.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bits, bitStringBytes, children, decodeOne, DerError, expect, int, octets, oidToString, seq, TAG, tlv, toBigInt } from './der';
import { decodePkcs8, encodePkcs8, encodeSpki, type AlgorithmId } from './keyInfo';
import { CryptoKeyError } from './errors';
import { CURVE_OID, OID, type EcKeySpec, type MessageType, type SigningAlgorithm } from './specs';

type Weierstrass = typeof p256;

export const CURVES: Readonly<Record<EcKeySpec, Weierstrass>> = {
  ECC_NIST_P256: p256,
  ECC_NIST_P384: p384,
  ECC_NIST_P521: p521,
  ECC_SECG_P256K1: secp256k1 as unknown as Weierstrass,
};

const ecAlg = (spec: EcKeySpec): AlgorithmId => ({ oid: OID.ecPublicKey, params: { kind: 'oid', oid: CURVE_OID[spec] } });
const ED_ALG: AlgorithmId = { oid: OID.ed25519, params: { kind: 'absent' } };

/** Width of the private scalar (32/48/66 bytes). */
export const ecSecretLength = (spec: EcKeySpec): number => CURVES[spec].lengths.secretKey as number;

// ------------------------------------------------------------------ EC keys

/** Deterministic EC key pair: noble's randomSecretKey(seed) (FIPS 186-5 A.2.1 "extra bits" reduction). */
export function generateEcKeyPair(spec: EcKeySpec, random: { bytes(n: number): Uint8Array }): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const curve = CURVES[spec];
  const sk = curve.utils.randomSecretKey(random.bytes(curve.lengths.seed as number));
  const pub = curve.getPublicKey(sk, false);
  return { privateKey: ecPkcs8(spec, sk, pub), publicKey: ecSpki(spec, pub) };
}

export function ecSpki(spec: EcKeySpec, uncompressedPoint: Uint8Array): Uint8Array {
  return encodeSpki(ecAlg(spec), uncompressedPoint);
}

export function ecPkcs8(spec: EcKeySpec, secret: Uint8Array, uncompressedPoint: Uint8Array): Uint8Array {
  const ecPrivateKey = seq(int(1), octets(secret), tlv(TAG.CTX1, bits(uncompressedPoint)));
  return encodePkcs8(ecAlg(spec), ecPrivateKey);
}

/**
 * The validated secret scalar of an EC PKCS#8 key of `spec`. Accepts the curve named in the outer
 * AlgorithmIdentifier and/or in ECPrivateKey's [0] parameters (they must agree), and an optional
 * [1] public key (it must match). Throws CryptoKeyError InvalidKeyMaterial.
 */
export function ecSecretFromPkcs8(spec: EcKeySpec, pkcs8: Uint8Array): Uint8Array {
  try {
    const { alg, privateKey } = decodePkcs8(pkcs8);
    if (alg.oid !== OID.ecPublicKey) throw new DerError('not an EC key');
    const items = children(decodeOne(privateKey, TAG.SEQUENCE));
    if (toBigInt(expect(items[0], TAG.INTEGER, 'version')) !== 1n) throw new DerError('ECPrivateKey version');
    const secret = expect(items[1], TAG.OCTET_STRING, 'privateKey');
    let curveOid = alg.params.kind === 'oid' ? alg.params.oid : null;
    let embedded: Uint8Array | null = null;
    for (const extra of items.slice(2)) {
      if (extra.tag === TAG.CTX0) {
        const inner = decodeOne(extra.value, TAG.OID);
        const named = oidToString(inner);
        if (curveOid !== null && named !== curveOid) throw new DerError('curve mismatch');
        curveOid = named;
      } else if (extra.tag === TAG.CTX1) {
        embedded = bitStringBytes(decodeOne(extra.value, TAG.BIT_STRING));
      } else throw new DerError('ECPrivateKey: unexpected field');
    }
    if (curveOid !== CURVE_OID[spec]) throw new DerError('key is not of this curve');
    const curve = CURVES[spec];
    if (secret.length !== curve.lengths.secretKey || !curve.utils.isValidSecretKey(secret)) throw new DerError('bad scalar');
    if (embedded !== null) {
      const pub = curve.getPublicKey(secret, false);
      if (!curve.Point.fromBytes(embedded).equals(curve.Point.fromBytes(pub))) throw new DerError('public key mismatch');
    }
    return Uint8Array.from(secret);
  } catch (e) {
    throw asKeyMaterialError(e, `not a valid ${spec} PKCS#8 private key`);
  }
}

export function ecPublicFromPkcs8(spec: EcKeySpec, pkcs8: Uint8Array): Uint8Array {
  const sk = ecSecretFromPkcs8(spec, pkcs8);
  return ecSpki(spec, CURVES[spec].getPublicKey(sk, false));
}

/** The uncompressed form of a SEC 1 point (raw, as inside an SPKI) of `spec`, or null (not on the curve, garbage). */
export function validEcPoint(spec: EcKeySpec, spkiKey: Uint8Array): Uint8Array | null {
  try {
    return CURVES[spec].Point.fromBytes(spkiKey).toBytes(false);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ ECDSA

/** ECDSA signature, DER. `message` is hashed with the curve's hash (RAW) or is the digest (DIGEST). */
export function ecdsaSign(spec: EcKeySpec, pkcs8: Uint8Array, message: Uint8Array, messageType: MessageType, random: { bytes(n: number): Uint8Array }): Uint8Array {
  const sk = ecSecretFromPkcs8(spec, pkcs8);
  return CURVES[spec].sign(message, sk, {
    prehash: messageType === 'RAW',
    format: 'der',
    lowS: true,
    extraEntropy: random.bytes(32),
  });
}

export function ecdsaVerify(spec: EcKeySpec, point: Uint8Array, message: Uint8Array, messageType: MessageType, signature: Uint8Array): boolean {
  try {
    return CURVES[spec].verify(signature, message, point, { prehash: messageType === 'RAW', format: 'der', lowS: false });
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ ECDH

/** Raw ECDH shared secret: the x-coordinate of d·Q (SEC 1 §3.3.1), as DeriveSharedSecret returns it. */
export function ecdhSharedSecret(spec: EcKeySpec, pkcs8: Uint8Array, peerPoint: Uint8Array): Uint8Array {
  const sk = ecSecretFromPkcs8(spec, pkcs8);
  const shared = CURVES[spec].getSharedSecret(sk, peerPoint, true);
  return shared.slice(1);
}

// ------------------------------------------------------------------ Ed25519

/** RFC 8032 Ed25519ph with an empty context over an already computed SHA-512 digest. */
const ed25519phDigest = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: (b: Uint8Array) => {
    const out = Uint8Array.from(b);
    out[0] = (out[0] as number) & 248;
    out[31] = ((out[31] as number) & 127) | 64;
    return out;
  },
  domain: (data: Uint8Array, ctx: Uint8Array, phflag: boolean) => {
    const prefix = new TextEncoder().encode('SigEd25519 no Ed25519 collisions');
    const out = new Uint8Array(prefix.length + 2 + ctx.length + data.length);
    out.set(prefix);
    out[prefix.length] = phflag ? 1 : 0;
    out[prefix.length + 1] = ctx.length;
    out.set(ctx, prefix.length + 2);
    out.set(data, prefix.length + 2 + ctx.length);
    return out;
  },
  prehash: Object.assign((m: Uint8Array) => {
    if (m.length !== 64) throw new Error('Ed25519ph digest must be 64 bytes');
    return m;
  }, { outputLen: 64, blockLen: 128, create: () => { throw new Error('not a hash'); } }) as unknown as typeof sha512,
  zip215: false,
});

export function generateEd25519KeyPair(random: { bytes(n: number): Uint8Array }): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const seed = random.bytes(32).slice();
  return { privateKey: ed25519Pkcs8(seed), publicKey: ed25519Spki(ed25519.getPublicKey(seed)) };
}

export const ed25519Spki = (pub: Uint8Array): Uint8Array => encodeSpki(ED_ALG, pub);
export const ed25519Pkcs8 = (seed: Uint8Array): Uint8Array => encodePkcs8(ED_ALG, octets(seed));

export function ed25519SeedFromPkcs8(pkcs8: Uint8Array): Uint8Array {
  try {
    const { alg, privateKey, publicKey } = decodePkcs8(pkcs8);
    if (alg.oid !== OID.ed25519 || alg.params.kind !== 'absent') throw new DerError('not an Ed25519 key');
    const seed = decodeOne(privateKey, TAG.OCTET_STRING);
    if (seed.length !== 32) throw new DerError('Ed25519 seed length');
    if (publicKey !== null && !bytesEqual(publicKey, ed25519.getPublicKey(seed))) throw new DerError('public key mismatch');
    return Uint8Array.from(seed);
  } catch (e) {
    throw asKeyMaterialError(e, 'not a valid ECC_NIST_EDWARDS25519 PKCS#8 private key');
  }
}

export function ed25519PublicFromPkcs8(pkcs8: Uint8Array): Uint8Array {
  return ed25519Spki(ed25519.getPublicKey(ed25519SeedFromPkcs8(pkcs8)));
}

export function ed25519Sign(pkcs8: Uint8Array, alg: SigningAlgorithm, message: Uint8Array): Uint8Array {
  const seed = ed25519SeedFromPkcs8(pkcs8);
  return alg === 'ED25519_PH_SHA_512' ? ed25519phDigest.sign(message, seed) : ed25519.sign(message, seed);
}

export function ed25519Verify(pub: Uint8Array, alg: SigningAlgorithm, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (signature.length !== 64 || pub.length !== 32) return false;
    return alg === 'ED25519_PH_SHA_512'
      ? ed25519phDigest.verify(signature, message, pub, { zip215: false })
      : ed25519.verify(signature, message, pub, { zip215: false });
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ helpers

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

export function asKeyMaterialError(e: unknown, message: string): CryptoKeyError {
  return e instanceof CryptoKeyError ? e : new CryptoKeyError('InvalidKeyMaterial', message);
}
