/**
 * Sign/Verify choices as data (kms-semantics.md §4.2; API reference Sign `MessageType`): which
 * message types each signing algorithm takes, the digest the page can compute for DIGEST, and the
 * requests. The rules come from the crypto leaf's small `specs.ts` (no curves or RSA code).
 */
import { digestLength, hashOf, isMessageTypeAllowed, type MessageType, type SigningAlgorithm } from '../../../kms/crypto/keys/specs';

export type { MessageType, SigningAlgorithm };

const TYPES: readonly MessageType[] = ['RAW', 'DIGEST', 'EXTERNAL_MU'];

/** What each message type means, in one sentence. */
export const MESSAGE_TYPE_EXPLANATIONS: Readonly<Record<MessageType, string>> = {
  RAW: 'KMS hashes the message itself (up to 4,096 bytes).',
  DIGEST: 'The message is already a hash of the right length: sign a large file by sending only its digest.',
  EXTERNAL_MU: 'ML-DSA only: a 64-byte μ computed outside KMS (FIPS 204).',
};

/** The message types `alg` accepts (Ed25519: RAW only; Ed25519ph: DIGEST only; ML-DSA: RAW or EXTERNAL_MU). */
export function messageTypesFor(alg: SigningAlgorithm): MessageType[] {
  return TYPES.filter((t) => isMessageTypeAllowed(alg, t));
}

/** The WebCrypto hash the page uses to make a DIGEST for `alg`, or null (ML-DSA has no DIGEST). */
export function digestHashFor(alg: SigningAlgorithm): 'SHA-256' | 'SHA-384' | 'SHA-512' | null {
  return isMessageTypeAllowed(alg, 'DIGEST') ? (hashOf(alg) as 'SHA-256' | 'SHA-384' | 'SHA-512' | null) : null;
}

/** The exact Message length the type requires (DIGEST 32/48/64, EXTERNAL_MU 64), or null for RAW. */
export function requiredLength(alg: SigningAlgorithm, type: MessageType): number | null {
  return digestLength(alg, type);
}

/** The digest of `bytes` for `alg`, computed in the page. */
export async function digestFor(alg: SigningAlgorithm, bytes: Uint8Array): Promise<Uint8Array> {
  const hash = digestHashFor(alg);
  if (hash === null) throw new TypeError(`${alg} takes no DIGEST.`);
  return new Uint8Array(await crypto.subtle.digest(hash, bytes.slice()));
}

/** Sign's request. */
export function signRequest(keyId: string, message: Uint8Array, messageType: MessageType, alg: SigningAlgorithm): Record<string, unknown> {
  return { KeyId: keyId, Message: message, MessageType: messageType, SigningAlgorithm: alg };
}

/** Verify's request: Sign's plus the Signature. */
export function verifyRequest(keyId: string, message: Uint8Array, messageType: MessageType, alg: SigningAlgorithm, signature: Uint8Array): Record<string, unknown> {
  return { ...signRequest(keyId, message, messageType, alg), Signature: signature };
}
