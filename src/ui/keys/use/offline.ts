/**
 * What the page does with a KMS public key and no KMS call (issue 7, the sign-and-verify lesson):
 * verify a signature, encrypt with RSA-OAEP, make a peer key pair and compute its side of ECDH.
 * The crypto leaf (`src/kms/crypto/keys`, curves, RSA, post-quantum) is loaded with `import()` the
 * first time, so none of it is in the page's first load. The peer's private key stays in the page.
 */
import type { KeySpec } from '../../../kms';
import type { MessageType, RsaEncryptionAlgorithm, SigningAlgorithm } from '../../../kms/crypto/keys/specs';

type Leaf = typeof import('../../../kms/crypto/keys/index');
let leaf: Promise<Leaf> | null = null;
/** The crypto leaf, loaded once. */
export function loadKeyCrypto(): Promise<Leaf> {
  leaf ??= import('../../../kms/crypto/keys/index');
  return leaf;
}

const pageRandom = { bytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) };

/** Verifies in the page, as a relying party would: true iff `signature` is valid for the public key. */
export async function verifyOffline(spec: KeySpec, publicKey: Uint8Array, alg: SigningAlgorithm, message: Uint8Array, messageType: MessageType, signature: Uint8Array): Promise<boolean> {
  const k = await loadKeyCrypto();
  if (!(k.ASYMMETRIC_KEY_SPECS as readonly string[]).includes(spec)) return false;
  return k.verify(spec as Parameters<Leaf['verify']>[0], publicKey, alg, message, messageType, signature);
}

/** RSA-OAEP in the page with the key's public key; a plaintext over the size's limit is refused with the limit. */
export async function encryptOffline(spec: KeySpec, publicKey: Uint8Array, alg: RsaEncryptionAlgorithm, plaintext: Uint8Array): Promise<Uint8Array> {
  const k = await loadKeyCrypto();
  if (!spec.startsWith('RSA_')) throw new TypeError(`${spec} is not an RSA key spec.`);
  const max = k.rsaMaxPlaintextBytes(spec as 'RSA_2048', alg);
  if (plaintext.length > max) throw new RangeError(`${plaintext.length} bytes: ${alg} with ${spec} encrypts at most ${max} bytes.`);
  return k.rsaOaepEncrypt(publicKey, alg, plaintext);
}

/** The largest plaintext RSA-OAEP takes for the spec and algorithm (RFC 8017 §7.1.1). */
export async function maxPlaintext(spec: KeySpec, alg: RsaEncryptionAlgorithm): Promise<number> {
  return (await loadKeyCrypto()).rsaMaxPlaintextBytes(spec as 'RSA_2048', alg);
}

/** A peer key pair made in the page (DER PKCS#8 private key, DER SPKI public key). */
export async function generatePeerKeyPair(spec: KeySpec): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }> {
  const k = await loadKeyCrypto();
  return k.generateKeyPair(spec as Parameters<Leaf['generateKeyPair']>[0], pageRandom);
}

/** The peer's side of ECDH: its private key with the KMS key's public key (equals DeriveSharedSecret's SharedSecret). */
export async function deriveOffline(spec: KeySpec, peerPrivateKey: Uint8Array, kmsPublicKey: Uint8Array): Promise<Uint8Array> {
  const k = await loadKeyCrypto();
  return k.deriveSharedSecret(spec as 'ECC_NIST_P256', peerPrivateKey, kmsPublicKey);
}

/** Byte-wise equality (for showing that both sides got the same secret; not a secret comparison). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
