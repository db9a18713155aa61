/**
 * Public surface of the asymmetric + HMAC key leaf (issue 7). Operations load it with a dynamic
 * `await import('../crypto/keys/index')` so RSA/curves/post-quantum code stays out of the first
 * page load. Every function validates its inputs and throws `CryptoKeyError` (see errors.ts);
 * verify functions return false for any bad signature, never throw.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { CryptoKeyError } from './errors';
import {
  ecdhSharedSecret, ecdsaSign, ecSpki, ecdsaVerify, validEcPoint, ecPublicFromPkcs8, ed25519PublicFromPkcs8, ed25519Sign,
  ed25519Verify, generateEcKeyPair, generateEd25519KeyPair,
} from './ecc';
import { decodeSpki } from './keyInfo';
import {
  generateMlDsaKeyPair, generateMlKemKeyPair, mlDsaPublicFromPkcs8, mlDsaPublicKeyLength, mlDsaSign, mlDsaVerify, mlKemDecapsulate as kemDecap,
  mlKemEncapsulateRaw, mlKemPublicFromPkcs8, mlKemPublicKeyLength,
} from './pq';
import { generateRsaKeyPair, parseRsaSpki, rsaPublicFromPkcs8, rsaSign, rsaVerify } from './rsa';
import {
  CURVE_OID, digestLength, isEcSpec, isMessageTypeAllowed, isMlDsaSpec, isMlKemSpec, isRsaSpec, ML_DSA_OID, ML_KEM_OID, OID,
  signingAlgorithmsFor, type AsymmetricKeySpec, type EcKeySpec, type MessageType, type MlDsaKeySpec, type MlKemKeySpec,
  type SigningAlgorithm,
} from './specs';

export { CryptoKeyError, type CryptoKeyErrorCode } from './errors';
export {
  ASYMMETRIC_KEY_SPECS, HMAC_KEY_SPECS, digestLength, encapsulationAlgorithmsFor, encryptionAlgorithmsFor, hashOf, hmacKeyLength,
  isMessageTypeAllowed, keyAgreementAlgorithmsFor, macAlgorithmFor, rsaMaxPlaintextBytes, signingAlgorithmsFor,
  type AsymmetricKeySpec, type EcKeySpec, type HmacKeySpec, type MacAlgorithm, type MessageType, type MlDsaKeySpec, type MlKemKeySpec,
  type RsaEncryptionAlgorithm, type RsaKeySpec, type SigningAlgorithm,
} from './specs';
export { rsaOaepDecrypt, rsaOaepEncrypt, rsaPkcs1v15Decrypt, rsaPkcs1v15Encrypt } from './rsa';
export { aesKeyUnwrapPad, aesKeyWrapPad, generateMac, verifyMac } from './mac';

type Rand = { bytes(n: number): Uint8Array };

export interface KeyPair {
  /** DER PKCS#8 PrivateKeyInfo. */
  readonly privateKey: Uint8Array;
  /** DER X.509 SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
}

/** True when generateKeyPair is a pure function of the random bytes (everything but RSA). */
export function isSeedable(spec: AsymmetricKeySpec): boolean {
  return !isRsaSpec(spec);
}

/**
 * A new key pair. ECC/Ed25519/ML-*: deterministic from `random.bytes(n)`; RSA: WebCrypto
 * generateKey (e = 65537), not reproducible from the seed (record it).
 */
export async function generateKeyPair(spec: AsymmetricKeySpec, random: Rand): Promise<KeyPair> {
  if (isRsaSpec(spec)) return generateRsaKeyPair(spec);
  if (isEcSpec(spec)) return generateEcKeyPair(spec, random);
  if (spec === 'ECC_NIST_EDWARDS25519') return generateEd25519KeyPair(random);
  if (isMlDsaSpec(spec)) return generateMlDsaKeyPair(spec, random);
  if (isMlKemSpec(spec)) return generateMlKemKeyPair(spec, random);
  throw new CryptoKeyError('Unsupported', `key spec ${String(spec)} is not supported`);
}

/** SPKI of a PKCS#8 private key of `spec` (validates it: CryptoKeyError InvalidKeyMaterial). */
export async function publicKeyFromPrivate(spec: AsymmetricKeySpec, pkcs8: Uint8Array): Promise<Uint8Array> {
  if (isRsaSpec(spec)) return rsaPublicFromPkcs8(spec, pkcs8);
  if (isEcSpec(spec)) return ecPublicFromPkcs8(spec, pkcs8);
  if (spec === 'ECC_NIST_EDWARDS25519') return ed25519PublicFromPkcs8(pkcs8);
  if (isMlDsaSpec(spec)) return mlDsaPublicFromPkcs8(spec, pkcs8);
  if (isMlKemSpec(spec)) return mlKemPublicFromPkcs8(spec, pkcs8);
  throw new CryptoKeyError('Unsupported', `key spec ${String(spec)} is not supported`);
}

const EC_BY_OID = new Map<string, EcKeySpec>(Object.entries(CURVE_OID).map(([s, o]) => [o, s as EcKeySpec]));
const DSA_BY_OID = new Map<string, MlDsaKeySpec>(Object.entries(ML_DSA_OID).map(([s, o]) => [o, s as MlDsaKeySpec]));
const KEM_BY_OID = new Map<string, MlKemKeySpec>(Object.entries(ML_KEM_OID).map(([s, o]) => [o, s as MlKemKeySpec]));

/** Which spec a DER SPKI holds, or null (unknown algorithm, RSA size, invalid point, garbage). */
export function specOfPublicKey(spki: Uint8Array): AsymmetricKeySpec | null {
  let decoded: ReturnType<typeof decodeSpki>;
  try {
    decoded = decodeSpki(spki);
  } catch {
    return null;
  }
  const { alg, publicKey } = decoded;
  if (alg.oid === OID.rsaEncryption) {
    const pub = parseRsaSpki(spki);
    if (pub === null) return null;
    const bits = pub.n.toString(2).length;
    return bits === 2048 ? 'RSA_2048' : bits === 3072 ? 'RSA_3072' : bits === 4096 ? 'RSA_4096' : null;
  }
  if (alg.oid === OID.ecPublicKey && alg.params.kind === 'oid') {
    const spec = EC_BY_OID.get(alg.params.oid);
    return spec !== undefined && validEcPoint(spec, publicKey) !== null ? spec : null;
  }
  if (alg.params.kind !== 'absent') return null;
  if (alg.oid === OID.ed25519) return publicKey.length === 32 && edPointValid(publicKey) ? 'ECC_NIST_EDWARDS25519' : null;
  const dsa = DSA_BY_OID.get(alg.oid);
  if (dsa !== undefined) return publicKey.length === mlDsaPublicKeyLength(dsa) ? dsa : null;
  const kem = KEM_BY_OID.get(alg.oid);
  if (kem !== undefined) return publicKey.length === mlKemPublicKeyLength(kem) ? kem : null;
  return null;
}

function edPointValid(pub: Uint8Array): boolean {
  try {
    ed25519.Point.fromBytes(pub);
    return true;
  } catch {
    return false;
  }
}

/** The raw key bytes inside an SPKI's BIT STRING (EC: 04||X||Y; Ed25519: A; ML-*: the FIPS encoding), or null. */
export function publicKeyBytes(spki: Uint8Array): Uint8Array | null {
  try {
    return Uint8Array.from(decodeSpki(spki).publicKey);
  } catch {
    return null;
  }
}

/** SPKI of a SEC 1 point (compressed or not) of an EC spec; CryptoKeyError InvalidPublicKey if not on the curve. */
export function ecPublicKeyToSpki(spec: EcKeySpec, point: Uint8Array): Uint8Array {
  const p = validEcPoint(spec, point);
  if (p === null) throw new CryptoKeyError('InvalidPublicKey', `not a valid ${spec} point`);
  return ecSpki(spec, p);
}

/** The raw public key bytes of an SPKI of `spec` (after specOfPublicKey said so). */
function rawPublicKey(spec: AsymmetricKeySpec, spki: Uint8Array): Uint8Array | null {
  if (specOfPublicKey(spki) !== spec) return null;
  return decodeSpki(spki).publicKey;
}

function checkSignInput(spec: AsymmetricKeySpec, alg: SigningAlgorithm, message: Uint8Array, messageType: MessageType): void {
  if (!signingAlgorithmsFor(spec).includes(alg)) throw new CryptoKeyError('InvalidSignatureInput', `${alg} is not valid for a ${spec} key`);
  if (!isMessageTypeAllowed(alg, messageType)) throw new CryptoKeyError('InvalidSignatureInput', `${alg} does not support MessageType ${messageType}`);
  const need = digestLength(alg, messageType);
  if (need !== null && message.length !== need) {
    throw new CryptoKeyError('InvalidSignatureInput', `MessageType ${messageType} with ${alg} requires a ${need}-byte message, got ${message.length}`);
  }
}

/**
 * A signature as AWS returns it: RSA raw (k bytes), ECDSA DER SEQUENCE{r,s} (low-S; randomized
 * RFC 6979 nonce), Ed25519 64 bytes, ML-DSA FIPS 204 bytes. CryptoKeyError InvalidSignatureInput
 * for an algorithm/message type/length the spec does not allow, InvalidKeyMaterial for a bad key.
 */
export async function sign(spec: AsymmetricKeySpec, pkcs8: Uint8Array, alg: SigningAlgorithm, message: Uint8Array, messageType: MessageType, random: Rand): Promise<Uint8Array> {
  checkSignInput(spec, alg, message, messageType);
  if (isRsaSpec(spec)) return rsaSign(spec, pkcs8, alg, message, messageType, random);
  if (isEcSpec(spec)) return ecdsaSign(spec, pkcs8, message, messageType, random);
  if (spec === 'ECC_NIST_EDWARDS25519') return ed25519Sign(pkcs8, alg, message);
  if (isMlDsaSpec(spec)) return mlDsaSign(spec, pkcs8, message, messageType, random);
  throw new CryptoKeyError('Unsupported', `key spec ${spec} cannot sign`);
}

/** True iff `signature` is valid; false for any mismatch, garbage, wrong key or disallowed input. */
export async function verify(spec: AsymmetricKeySpec, spki: Uint8Array, alg: SigningAlgorithm, message: Uint8Array, messageType: MessageType, signature: Uint8Array): Promise<boolean> {
  try {
    checkSignInput(spec, alg, message, messageType);
  } catch {
    return false;
  }
  if (isRsaSpec(spec)) return specOfPublicKey(spki) === spec && rsaVerify(spki, alg, message, messageType, signature);
  const raw = rawPublicKey(spec, spki);
  if (raw === null) return false;
  if (isEcSpec(spec)) return ecdsaVerify(spec, raw, message, messageType, signature);
  if (spec === 'ECC_NIST_EDWARDS25519') return ed25519Verify(raw, alg, message, signature);
  if (isMlDsaSpec(spec)) return mlDsaVerify(spec, raw, message, messageType, signature);
  return false;
}

/**
 * DeriveSharedSecret: the raw ECDH x-coordinate (32/48/66 bytes). CryptoKeyError InvalidPublicKey
 * if the peer SPKI is not a valid point of the same curve.
 */
export function deriveSharedSecret(spec: 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521', pkcs8: Uint8Array, peerSpki: Uint8Array): Uint8Array {
  const peer = rawPublicKey(spec, peerSpki);
  if (peer === null) throw new CryptoKeyError('InvalidPublicKey', `the public key is not a valid ${spec} public key`);
  return ecdhSharedSecret(spec, pkcs8, peer);
}

/** ML-KEM encapsulation to an SPKI of `spec` (randomness from `random`). */
export function mlKemEncapsulate(spec: MlKemKeySpec, spki: Uint8Array, random: Rand): { sharedSecret: Uint8Array; ciphertext: Uint8Array } {
  const raw = rawPublicKey(spec, spki);
  if (raw === null) throw new CryptoKeyError('InvalidPublicKey', `the public key is not a valid ${spec} public key`);
  return mlKemEncapsulateRaw(spec, raw, random);
}

/** ML-KEM decapsulation: the 32-byte shared secret. */
export function mlKemDecapsulate(spec: MlKemKeySpec, pkcs8: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return kemDecap(spec, pkcs8, ciphertext);
}
