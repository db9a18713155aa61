/**
 * RSA for KMS key specs RSA_2048/3072/4096 (RFC 8017).
 *
 * - Key generation: WebCrypto `generateKey` (e = 65537), exported as PKCS#8 / SPKI (both with the
 *   rsaEncryption OID). Not a function of the seeded random: the operation layer records it.
 * - RAW signing and verification: WebCrypto RSA-PSS (saltLength = hash length, MGF1 with the same
 *   hash, as AWS) and RSASSA-PKCS1-v1_5.
 * - DIGEST signing/verification: WebCrypto cannot sign a given digest, so we encode EMSA-PSS
 *   (§9.1, salt from the injected random) / EMSA-PKCS1-v1_5 (§9.2, DigestInfo) ourselves and do
 *   the RSA primitive with BigInt (RSASP1 with CRT, §5.2.1; RSAVP1, §5.2.2).
 * - RSAES-OAEP (SHA-1 / SHA-256, MGF1 with the same hash, empty label): WebCrypto.
 * - RSAES-PKCS1-v1_5 decryption (§7.2.2) with BigInt, for ImportKeyMaterial's RSAES_PKCS1_V1_5
 *   wrapping (WebCrypto lacks it). Its padding check is not constant time: fine for a simulator,
 *   never for a real service (Bleichenbacher).
 *
 * Parsed keys and imported CryptoKeys are cached in WeakMaps keyed by the Uint8Array object, so
 * callers should keep passing the same array for the same key.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { bigToBytes, bytesToBig, children, decodeOne, DerError, expect, int, seq, sequence, TAG, toBigInt } from './der';
import { decodePkcs8, decodeSpki, encodeSpki, type AlgorithmId } from './keyInfo';
import { CryptoKeyError } from './errors';
import { HASH_BYTES, hashOf, OID, RSA_BITS, type MessageType, type RsaEncryptionAlgorithm, type RsaKeySpec, type ShaName, type SigningAlgorithm } from './specs';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const RSA_ALG: AlgorithmId = { oid: OID.rsaEncryption, params: { kind: 'null' } };
const HASHES = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

export interface RsaPrivate {
  readonly n: bigint; readonly e: bigint; readonly d: bigint;
  readonly p: bigint; readonly q: bigint; readonly dp: bigint; readonly dq: bigint; readonly qi: bigint;
  /** Modulus length in bytes (k). */
  readonly k: number;
}
export interface RsaPublic { readonly n: bigint; readonly e: bigint; readonly k: number }

// ------------------------------------------------------------------ keys

export async function generateRsaKeyPair(spec: RsaKeySpec): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }> {
  const pair = await subtle().generateKey(
    { name: 'RSA-OAEP', modulusLength: RSA_BITS[spec], publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  );
  const [pkcs8, spki] = await Promise.all([subtle().exportKey('pkcs8', pair.privateKey), subtle().exportKey('spki', pair.publicKey)]);
  return { privateKey: new Uint8Array(pkcs8), publicKey: new Uint8Array(spki) };
}

const bitLength = (n: bigint): number => n.toString(2).length;

const privCache = new WeakMap<Uint8Array, RsaPrivate>();

/** Parses and checks an RSA PKCS#8 key of `spec` (n = p·q, CRT values, e·d ≡ 1). InvalidKeyMaterial otherwise. */
export function parseRsaPkcs8(spec: RsaKeySpec, pkcs8: Uint8Array): RsaPrivate {
  const cached = privCache.get(pkcs8);
  if (cached !== undefined && cached.k * 8 === RSA_BITS[spec]) return cached;
  try {
    const { alg, privateKey } = decodePkcs8(pkcs8);
    if (alg.oid !== OID.rsaEncryption || alg.params.kind === 'oid') throw new DerError('not an RSA key');
    const f = sequence(privateKey).map((el, i) => toBigInt(expect(el, TAG.INTEGER, `RSAPrivateKey[${i}]`)));
    if (f.length !== 9 || f[0] !== 0n) throw new DerError('RSAPrivateKey: two-prime version 0 only');
    const [, n, e, d, p, q, dp, dq, qi] = f as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    if (bitLength(n) !== RSA_BITS[spec]) throw new DerError('modulus size');
    if (p * q !== n || e < 3n || (e & 1n) === 0n) throw new DerError('inconsistent key');
    if (dp !== d % (p - 1n) || dq !== d % (q - 1n) || (qi * q) % p !== 1n) throw new DerError('inconsistent CRT values');
    if ((e * dp) % (p - 1n) !== 1n || (e * dq) % (q - 1n) !== 1n) throw new DerError('inconsistent exponent');
    const key: RsaPrivate = { n, e, d, p, q, dp, dq, qi, k: RSA_BITS[spec] / 8 };
    privCache.set(pkcs8, key);
    return key;
  } catch (err) {
    if (err instanceof CryptoKeyError) throw err;
    throw new CryptoKeyError('InvalidKeyMaterial', `not a valid ${spec} PKCS#8 private key`);
  }
}

export function rsaSpki(n: bigint, e: bigint): Uint8Array {
  return encodeSpki(RSA_ALG, seq(int(n), int(e)));
}

export function rsaPublicFromPkcs8(spec: RsaKeySpec, pkcs8: Uint8Array): Uint8Array {
  const key = parseRsaPkcs8(spec, pkcs8);
  return rsaSpki(key.n, key.e);
}

/** n and e of an RSA SPKI (`RSAPublicKey ::= SEQUENCE { n, e }`), or null. */
export function parseRsaSpki(spki: Uint8Array): RsaPublic | null {
  try {
    const { alg, publicKey } = decodeSpki(spki);
    if (alg.oid !== OID.rsaEncryption || alg.params.kind === 'oid') return null;
    const items = sequence(publicKey);
    if (items.length !== 2) return null;
    const n = toBigInt(expect(items[0], TAG.INTEGER, 'n'));
    const e = toBigInt(expect(items[1], TAG.INTEGER, 'e'));
    if (e < 3n || (e & 1n) === 0n || (n & 1n) === 0n) return null;
    return { n, e, k: Math.ceil(bitLength(n) / 8) };
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ primitive

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** RSADP / RSASP1 with CRT (RFC 8017 §5.1.2 2.b), checked with the public exponent against faults. */
export function rsaPrivateOp(key: RsaPrivate, c: bigint): bigint {
  const m1 = modPow(c % key.p, key.dp, key.p);
  const m2 = modPow(c % key.q, key.dq, key.q);
  const h = (((m1 - m2) % key.p) + key.p) % key.p * key.qi % key.p;
  const m = m2 + h * key.q;
  if (modPow(m, key.e, key.n) !== c) throw new CryptoKeyError('InvalidKeyMaterial', 'RSA private operation failed its check');
  return m;
}

// ------------------------------------------------------------------ EMSA encodings

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Readonly<Record<'SHA-256' | 'SHA-384' | 'SHA-512', Uint8Array>> = {
  'SHA-256': hex('3031300d060960864801650304020105000420'),
  'SHA-384': hex('3041300d060960864801650304020205000430'),
  'SHA-512': hex('3051300d060960864801650304020305000440'),
};

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** EMSA-PKCS1-v1_5-ENCODE for an already computed digest (§9.2 steps 2–5). */
export function emsaPkcs1v15(hash: 'SHA-256' | 'SHA-384' | 'SHA-512', digest: Uint8Array, emLen: number): Uint8Array {
  const t = new Uint8Array([...DIGEST_INFO_PREFIX[hash], ...digest]);
  if (emLen < t.length + 11) throw new CryptoKeyError('InvalidSignatureInput', 'intended encoded message length too short');
  const em = new Uint8Array(emLen).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[emLen - t.length - 1] = 0;
  em.set(t, emLen - t.length);
  return em;
}

/** MGF1 (RFC 8017 B.2.1). */
export function mgf1(hash: ShaName, seed: Uint8Array, len: number): Uint8Array {
  const h = HASHES[hash];
  const out = new Uint8Array(len);
  const block = new Uint8Array(seed.length + 4);
  block.set(seed);
  for (let counter = 0, at = 0; at < len; counter++) {
    new DataView(block.buffer).setUint32(seed.length, counter);
    const d = h(block);
    out.set(d.subarray(0, Math.min(d.length, len - at)), at);
    at += d.length;
  }
  return out;
}

/** EMSA-PSS-ENCODE (§9.1.1) for a digest mHash, emBits = modBits − 1. */
export function emsaPssEncode(hash: ShaName, mHash: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const hLen = HASH_BYTES[hash];
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + salt.length + 2) throw new CryptoKeyError('InvalidSignatureInput', 'encoding error');
  const mPrime = new Uint8Array(8 + hLen + salt.length);
  mPrime.set(mHash, 8);
  mPrime.set(salt, 8 + hLen);
  const H = HASHES[hash](mPrime);
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - salt.length - 1] = 1;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(hash, H, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >> (8 * emLen - emBits));
  const em = new Uint8Array(emLen);
  em.set(db);
  em.set(H, db.length);
  em[emLen - 1] = 0xbc;
  return em;
}

/** EMSA-PSS-VERIFY (§9.1.2) with sLen = hLen. */
export function emsaPssVerify(hash: ShaName, mHash: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = HASH_BYTES[hash];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const H = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((masked[0] as number) & ~topMask & 0xff) !== 0) return false;
  const mask = mgf1(hash, H, masked.length);
  const db = masked.map((b, i) => b ^ (mask[i] as number));
  db[0] = (db[0] as number) & topMask;
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 1) return false;
  const salt = db.subarray(db.length - sLen);
  const mPrime = new Uint8Array(8 + hLen + sLen);
  mPrime.set(mHash, 8);
  mPrime.set(salt, 8 + hLen);
  const H2 = HASHES[hash](mPrime);
  let d = 0;
  for (let i = 0; i < hLen; i++) d |= (H2[i] as number) ^ (H[i] as number);
  return d === 0;
}

// ------------------------------------------------------------------ CryptoKey cache

type KeyUse = 'RSA-PSS' | 'RSASSA-PKCS1-v1_5' | 'RSA-OAEP';
const cryptoKeys = new WeakMap<Uint8Array, Map<string, Promise<CryptoKey>>>();

function importCached(der: Uint8Array, format: 'pkcs8' | 'spki', name: KeyUse, hash: ShaName): Promise<CryptoKey> {
  let byAlg = cryptoKeys.get(der);
  if (byAlg === undefined) cryptoKeys.set(der, (byAlg = new Map()));
  const id = `${format}/${name}/${hash}`;
  let p = byAlg.get(id);
  if (p === undefined) {
    const usages: KeyUsage[] = name === 'RSA-OAEP' ? [format === 'pkcs8' ? 'decrypt' : 'encrypt'] : [format === 'pkcs8' ? 'sign' : 'verify'];
    p = subtle().importKey(format, der as Uint8Array<ArrayBuffer>, { name, hash }, false, usages);
    p.catch(() => byAlg.delete(id));
    byAlg.set(id, p);
  }
  return p;
}

// ------------------------------------------------------------------ sign / verify

const schemeOf = (alg: SigningAlgorithm): KeyUse => (alg.startsWith('RSASSA_PSS') ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5');

export async function rsaSign(spec: RsaKeySpec, pkcs8: Uint8Array, alg: SigningAlgorithm, message: Uint8Array, messageType: MessageType, random: { bytes(n: number): Uint8Array }): Promise<Uint8Array> {
  const key = parseRsaPkcs8(spec, pkcs8); // validates (InvalidKeyMaterial)
  const hash = hashOf(alg) as 'SHA-256' | 'SHA-384' | 'SHA-512';
  const scheme = schemeOf(alg);
  if (messageType === 'RAW') {
    const ck = await importCached(pkcs8, 'pkcs8', scheme, hash);
    const params = scheme === 'RSA-PSS' ? { name: scheme, saltLength: HASH_BYTES[hash] } : { name: scheme };
    return new Uint8Array(await subtle().sign(params, ck, message as Uint8Array<ArrayBuffer>));
  }
  const modBits = bitLength(key.n);
  const em = scheme === 'RSA-PSS' ? emsaPssEncode(hash, message, modBits - 1, random.bytes(HASH_BYTES[hash])) : emsaPkcs1v15(hash, message, key.k);
  return bigToBytes(rsaPrivateOp(key, bytesToBig(em)), key.k);
}

export async function rsaVerify(spki: Uint8Array, alg: SigningAlgorithm, message: Uint8Array, messageType: MessageType, signature: Uint8Array): Promise<boolean> {
  const pub = parseRsaSpki(spki);
  if (pub === null || signature.length !== pub.k) return false;
  const hash = hashOf(alg) as 'SHA-256' | 'SHA-384' | 'SHA-512';
  const scheme = schemeOf(alg);
  if (messageType === 'RAW') {
    try {
      const ck = await importCached(spki, 'spki', scheme, hash);
      const params = scheme === 'RSA-PSS' ? { name: scheme, saltLength: HASH_BYTES[hash] } : { name: scheme };
      return await subtle().verify(params, ck, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>);
    } catch {
      return false;
    }
  }
  const s = bytesToBig(signature);
  if (s >= pub.n) return false;
  const m = modPow(s, pub.e, pub.n);
  const modBits = bitLength(pub.n);
  if (scheme === 'RSA-PSS') {
    const emLen = Math.ceil((modBits - 1) / 8);
    let em: Uint8Array;
    try {
      em = bigToBytes(m, emLen);
    } catch {
      return false;
    }
    return emsaPssVerify(hash, message, em, modBits - 1);
  }
  const expected = emsaPkcs1v15(hash, message, pub.k);
  const got = bigToBytes(m, pub.k);
  let d = 0;
  for (let i = 0; i < pub.k; i++) d |= (got[i] as number) ^ (expected[i] as number);
  return d === 0;
}

// ------------------------------------------------------------------ encryption

const oaepHash = (alg: RsaEncryptionAlgorithm): ShaName => (alg === 'RSAES_OAEP_SHA_1' ? 'SHA-1' : 'SHA-256');

export async function rsaOaepEncrypt(spki: Uint8Array, alg: RsaEncryptionAlgorithm, plaintext: Uint8Array): Promise<Uint8Array> {
  const pub = parseRsaSpki(spki);
  if (pub === null) throw new CryptoKeyError('InvalidPublicKey', 'not an RSA public key');
  // The operation checks rsaMaxPlaintextBytes first (ValidationException); reaching this is a bug.
  const max = pub.k - 2 * HASH_BYTES[oaepHash(alg)] - 2;
  if (plaintext.length > max) throw new RangeError(`plaintext: expected at most ${max} bytes, got ${plaintext.length}`);
  const ck = await importCached(spki, 'spki', 'RSA-OAEP', oaepHash(alg));
  return new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, ck, plaintext as Uint8Array<ArrayBuffer>));
}

/** OAEP decryption; CryptoKeyError InvalidCiphertext on any failure. Pass the key's spec to check size. */
export async function rsaOaepDecrypt(pkcs8: Uint8Array, alg: RsaEncryptionAlgorithm, ciphertext: Uint8Array): Promise<Uint8Array> {
  let ck: CryptoKey;
  try {
    ck = await importCached(pkcs8, 'pkcs8', 'RSA-OAEP', oaepHash(alg));
  } catch {
    throw new CryptoKeyError('InvalidKeyMaterial', 'not a valid RSA PKCS#8 private key');
  }
  // RFC 8017 §7.1.2 step 1b: the ciphertext is exactly k bytes. WebCrypto (OpenSSL) would read a
  // shorter one as a number, so a ciphertext whose first byte is 0 would still decrypt without it.
  const spec = rsaSpecOfPkcs8(pkcs8);
  if (spec === null || ciphertext.length !== RSA_MODULUS_BYTES[spec]) {
    throw new CryptoKeyError('InvalidCiphertext', 'the ciphertext is not the size of the key modulus');
  }
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, ck, ciphertext as Uint8Array<ArrayBuffer>));
  } catch {
    throw new CryptoKeyError('InvalidCiphertext', 'the ciphertext is not valid for this key and algorithm');
  }
}

const RSA_MODULUS_BYTES: Readonly<Record<RsaKeySpec, number>> = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 };

/** The spec an RSA private key has, from its modulus size (null for other sizes). */
export function rsaSpecOfPkcs8(pkcs8: Uint8Array): RsaKeySpec | null {
  try {
    const { alg, privateKey } = decodePkcs8(pkcs8);
    if (alg.oid !== OID.rsaEncryption) return null;
    const n = toBigInt(expect(children(decodeOne(privateKey, TAG.SEQUENCE))[1], TAG.INTEGER, 'n'));
    const b = bitLength(n);
    return b === 2048 ? 'RSA_2048' : b === 3072 ? 'RSA_3072' : b === 4096 ? 'RSA_4096' : null;
  } catch {
    return null;
  }
}

/** RSAES-PKCS1-v1_5-DECRYPT (§7.2.2); InvalidCiphertext on any failure. */
export function rsaPkcs1v15Decrypt(pkcs8: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const spec = rsaSpecOfPkcs8(pkcs8);
  if (spec === null) throw new CryptoKeyError('InvalidKeyMaterial', 'not a valid RSA PKCS#8 private key');
  const key = parseRsaPkcs8(spec, pkcs8);
  const bad = (): CryptoKeyError => new CryptoKeyError('InvalidCiphertext', 'the ciphertext is not valid for this key and algorithm');
  if (ciphertext.length !== key.k) throw bad();
  const c = bytesToBig(ciphertext);
  if (c >= key.n) throw bad();
  const em = bigToBytes(rsaPrivateOp(key, c), key.k);
  if (em[0] !== 0 || em[1] !== 2) throw bad();
  const sep = em.indexOf(0, 2);
  if (sep < 10) throw bad();
  return em.slice(sep + 1);
}

/** RSAES-PKCS1-v1_5-ENCRYPT (§7.2.1), for tests and the import page. */
export function rsaPkcs1v15Encrypt(spki: Uint8Array, message: Uint8Array, random: { bytes(n: number): Uint8Array }): Uint8Array {
  const pub = parseRsaSpki(spki);
  if (pub === null) throw new CryptoKeyError('InvalidPublicKey', 'not an RSA public key');
  if (message.length > pub.k - 11) throw new RangeError(`message: expected at most ${pub.k - 11} bytes, got ${message.length}`);
  const ps = new Uint8Array(pub.k - message.length - 3);
  for (let i = 0; i < ps.length; i++) {
    let b = 0;
    while (b === 0) b = random.bytes(1)[0] as number;
    ps[i] = b;
  }
  const em = new Uint8Array([0, 2, ...ps, 0, ...message]);
  return bigToBytes(modPow(bytesToBig(em), pub.e, pub.n), pub.k);
}

