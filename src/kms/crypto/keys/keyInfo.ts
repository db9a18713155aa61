/**
 * Generic SubjectPublicKeyInfo (RFC 5280 §4.1.1.2) and PKCS#8 PrivateKeyInfo / OneAsymmetricKey
 * (RFC 5208 §5, RFC 5958 §2) framing: AlgorithmIdentifier + the key bytes. The per-type inner
 * structures (ECPrivateKey, RSAPrivateKey, CurvePrivateKey, ML-* CHOICE) live with their key types.
 *
 *   SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 *   OneAsymmetricKey     ::= SEQUENCE { version INTEGER (0|1), privateKeyAlgorithm AlgorithmIdentifier,
 *                                       privateKey OCTET STRING, attributes [0] OPTIONAL, publicKey [1] OPTIONAL }
 *   AlgorithmIdentifier  ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
 */
import { bits, bitStringBytes, children, DerError, derNull, expect, int, octets, oid, oidToString, seq, sequence, TAG, toBigInt, type Der } from './der';

/** Parameters of an AlgorithmIdentifier: absent, NULL, or a named-curve OID. */
export type AlgParams = { kind: 'absent' } | { kind: 'null' } | { kind: 'oid'; oid: string };

export interface AlgorithmId {
  readonly oid: string;
  readonly params: AlgParams;
}

function encodeAlgId(alg: AlgorithmId): Uint8Array {
  const p = alg.params;
  if (p.kind === 'absent') return seq(oid(alg.oid));
  if (p.kind === 'null') return seq(oid(alg.oid), derNull());
  return seq(oid(alg.oid), oid(p.oid));
}

function decodeAlgId(el: Der | undefined): AlgorithmId {
  const items = children(expect(el, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const algOid = oidToString(expect(items[0], TAG.OID, 'algorithm'));
  const p = items[1];
  if (items.length > 2) throw new DerError('AlgorithmIdentifier: too many fields');
  if (p === undefined) return { oid: algOid, params: { kind: 'absent' } };
  if (p.tag === TAG.NULL) {
    if (p.value.length !== 0) throw new DerError('NULL with content');
    return { oid: algOid, params: { kind: 'null' } };
  }
  if (p.tag === TAG.OID) return { oid: algOid, params: { kind: 'oid', oid: oidToString(p.value) } };
  throw new DerError('AlgorithmIdentifier: unsupported parameters');
}

export function encodeSpki(alg: AlgorithmId, publicKey: Uint8Array): Uint8Array {
  return seq(encodeAlgId(alg), bits(publicKey));
}

export function decodeSpki(der: Uint8Array): { alg: AlgorithmId; publicKey: Uint8Array } {
  const items = sequence(der);
  if (items.length !== 2) throw new DerError('SubjectPublicKeyInfo: expected 2 fields');
  const alg = decodeAlgId(items[0]);
  const publicKey = bitStringBytes(expect(items[1], TAG.BIT_STRING, 'subjectPublicKey'));
  return { alg, publicKey };
}

/** PKCS#8 v1 (version 0), no attributes, no public key: the form WebCrypto and OpenSSL export. */
export function encodePkcs8(alg: AlgorithmId, privateKey: Uint8Array): Uint8Array {
  return seq(int(0), encodeAlgId(alg), octets(privateKey));
}

/**
 * Parses PrivateKeyInfo / OneAsymmetricKey. Attributes are ignored; a v2 `publicKey [1]` is
 * returned (callers check it matches the private key).
 */
export function decodePkcs8(der: Uint8Array): { alg: AlgorithmId; privateKey: Uint8Array; publicKey: Uint8Array | null } {
  const items = sequence(der);
  const version = toBigInt(expect(items[0], TAG.INTEGER, 'version'));
  if (version !== 0n && version !== 1n) throw new DerError('PrivateKeyInfo: unsupported version');
  const alg = decodeAlgId(items[1]);
  const privateKey = expect(items[2], TAG.OCTET_STRING, 'privateKey');
  let publicKey: Uint8Array | null = null;
  for (const extra of items.slice(3)) {
    if (extra.tag === TAG.CTX0) continue; // attributes
    if (extra.tag === TAG.CTX1_PRIM && version === 1n) publicKey = bitStringBytes(extra.value);
    else throw new DerError('PrivateKeyInfo: unexpected field');
  }
  return { alg, privateKey, publicKey };
}
