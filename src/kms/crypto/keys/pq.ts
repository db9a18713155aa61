/**
 * ML-DSA (FIPS 204) and ML-KEM (FIPS 203) on @noble/post-quantum, with the X.509 / PKCS#8 forms of
 * RFC 9881 (ML-DSA) and RFC 9935 (ML-KEM):
 *
 *   SPKI:    SEQUENCE { SEQUENCE { id-ml-dsa-65 }, BIT STRING <raw public key> }   (no parameters)
 *   PKCS#8:  PrivateKeyInfo { 0, { id-ml-dsa-65 }, OCTET STRING <ML-DSA-PrivateKey> }
 *            ML-DSA-PrivateKey ::= CHOICE { seed [0] IMPLICIT OCTET STRING (32),
 *                                           expandedKey OCTET STRING,
 *                                           both SEQUENCE { seed OCTET STRING, expandedKey OCTET STRING } }
 *            (ML-KEM likewise, seed = d||z of 64 bytes.)
 *
 * We write the seed-only form (the one the RFCs recommend; the key pair is a pure function of it)
 * and accept `seed` and `both` (checked for consistency) when reading. The expanded-only form is
 * refused (InvalidKeyMaterial): it cannot be checked against a seed.
 * Which of these AWS KMS itself accepts for imported ML-DSA material is not documented in the
 * sources we have; GetPublicKey's SPKI form follows the RFC.
 *
 * ML_DSA_SHAKE_256 with RAW is pure ML-DSA with an empty context (FIPS 204 Alg. 2), hedged with 32
 * bytes from the injected random; with EXTERNAL_MU the 64-byte μ is signed directly (Alg. 7 from
 * step 6 on).
 */
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { children, DerError, expect, readTlv, TAG, tlv } from './der';
import { decodePkcs8, encodePkcs8, encodeSpki, type AlgorithmId } from './keyInfo';
import { CryptoKeyError } from './errors';
import { bytesEqual } from './ecc';
import { ML_DSA_OID, ML_KEM_OID, type MessageType, type MlDsaKeySpec, type MlKemKeySpec } from './specs';

type Rand = { bytes(n: number): Uint8Array };
const DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;
const KEM = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 } as const;

const algOf = (o: string): AlgorithmId => ({ oid: o, params: { kind: 'absent' } });
const SEED_LEN = { dsa: 32, kem: 64 } as const;

function encodeSeedPkcs8(o: string, seed: Uint8Array): Uint8Array {
  return encodePkcs8(algOf(o), tlv(TAG.CTX0_PRIM, seed));
}

/** The seed of a seed / both PKCS#8 key; checks the expanded key when present. */
function seedOf(o: string, pkcs8: Uint8Array, seedLen: number, expand: (seed: Uint8Array) => Uint8Array, what: string): Uint8Array {
  try {
    const { alg, privateKey } = decodePkcs8(pkcs8);
    if (alg.oid !== o || alg.params.kind !== 'absent') throw new DerError('wrong algorithm');
    const { el, next } = readTlv(privateKey, 0);
    if (next !== privateKey.length) throw new DerError('trailing bytes');
    let seed: Uint8Array;
    if (el.tag === TAG.CTX0_PRIM) seed = el.value;
    else if (el.tag === TAG.SEQUENCE) {
      const items = children(el.value);
      if (items.length !== 2) throw new DerError('both: 2 fields');
      seed = expect(items[0], TAG.OCTET_STRING, 'seed');
      const expanded = expect(items[1], TAG.OCTET_STRING, 'expandedKey');
      if (seed.length === seedLen && !bytesEqual(expand(seed), expanded)) throw new DerError('seed and expanded key disagree');
    } else throw new DerError('expanded-only private keys are not supported');
    if (seed.length !== seedLen) throw new DerError('seed length');
    return Uint8Array.from(seed);
  } catch (e) {
    if (e instanceof CryptoKeyError) throw e;
    throw new CryptoKeyError('InvalidKeyMaterial', `not a valid ${what} PKCS#8 private key`);
  }
}

// ------------------------------------------------------------------ ML-DSA

const dsaCache = new WeakMap<Uint8Array, { secretKey: Uint8Array; publicKey: Uint8Array }>();

function dsaKeys(spec: MlDsaKeySpec, pkcs8: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const hit = dsaCache.get(pkcs8);
  if (hit !== undefined) return hit;
  const seed = seedOf(ML_DSA_OID[spec], pkcs8, SEED_LEN.dsa, (s) => DSA[spec].keygen(s).secretKey, spec);
  const keys = DSA[spec].keygen(seed);
  dsaCache.set(pkcs8, keys);
  return keys;
}

export function generateMlDsaKeyPair(spec: MlDsaKeySpec, random: Rand): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const seed = random.bytes(SEED_LEN.dsa).slice();
  const { publicKey } = DSA[spec].keygen(seed);
  return { privateKey: encodeSeedPkcs8(ML_DSA_OID[spec], seed), publicKey: encodeSpki(algOf(ML_DSA_OID[spec]), publicKey) };
}

export function mlDsaPublicFromPkcs8(spec: MlDsaKeySpec, pkcs8: Uint8Array): Uint8Array {
  return encodeSpki(algOf(ML_DSA_OID[spec]), dsaKeys(spec, pkcs8).publicKey);
}

export function mlDsaSign(spec: MlDsaKeySpec, pkcs8: Uint8Array, message: Uint8Array, messageType: MessageType, random: Rand): Uint8Array {
  const { secretKey } = dsaKeys(spec, pkcs8);
  const extraEntropy = random.bytes(32);
  if (messageType === 'EXTERNAL_MU') return DSA[spec].internal.sign(message, secretKey, { externalMu: true, extraEntropy });
  return DSA[spec].sign(message, secretKey, { extraEntropy });
}

export function mlDsaVerify(spec: MlDsaKeySpec, publicKey: Uint8Array, message: Uint8Array, messageType: MessageType, signature: Uint8Array): boolean {
  try {
    if (signature.length !== DSA[spec].lengths.signature) return false;
    if (messageType === 'EXTERNAL_MU') return DSA[spec].internal.verify(signature, message, publicKey, { externalMu: true });
    return DSA[spec].verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

export const mlDsaPublicKeyLength = (spec: MlDsaKeySpec): number => DSA[spec].lengths.publicKey as number;

// ------------------------------------------------------------------ ML-KEM

export function generateMlKemKeyPair(spec: MlKemKeySpec, random: Rand): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const seed = random.bytes(SEED_LEN.kem).slice();
  const { publicKey } = KEM[spec].keygen(seed);
  return { privateKey: encodeSeedPkcs8(ML_KEM_OID[spec], seed), publicKey: encodeSpki(algOf(ML_KEM_OID[spec]), publicKey) };
}

function kemKeys(spec: MlKemKeySpec, pkcs8: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const seed = seedOf(ML_KEM_OID[spec], pkcs8, SEED_LEN.kem, (s) => KEM[spec].keygen(s).secretKey, spec);
  return KEM[spec].keygen(seed);
}

export function mlKemPublicFromPkcs8(spec: MlKemKeySpec, pkcs8: Uint8Array): Uint8Array {
  return encodeSpki(algOf(ML_KEM_OID[spec]), kemKeys(spec, pkcs8).publicKey);
}

export function mlKemEncapsulateRaw(spec: MlKemKeySpec, publicKey: Uint8Array, random: Rand): { sharedSecret: Uint8Array; ciphertext: Uint8Array } {
  let out: { cipherText: Uint8Array; sharedSecret: Uint8Array };
  try {
    out = KEM[spec].encapsulate(publicKey, random.bytes(32).slice());
  } catch {
    throw new CryptoKeyError('InvalidPublicKey', `not a valid ${spec} public key`);
  }
  return { sharedSecret: out.sharedSecret, ciphertext: out.cipherText };
}

/** Decapsulation; a wrong-length ciphertext is InvalidCiphertext (a tampered one gives the implicit-rejection secret, as FIPS 203 says). */
export function mlKemDecapsulate(spec: MlKemKeySpec, pkcs8: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length !== KEM[spec].lengths.cipherText) throw new CryptoKeyError('InvalidCiphertext', `${spec} ciphertext must be ${KEM[spec].lengths.cipherText} bytes`);
  const { secretKey } = kemKeys(spec, pkcs8);
  return KEM[spec].decapsulate(ciphertext, secretKey);
}

export const mlKemPublicKeyLength = (spec: MlKemKeySpec): number => KEM[spec].lengths.publicKey as number;

