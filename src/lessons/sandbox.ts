/**
 * The lesson's sandbox: a KMS service over a repository, built by an injected factory (STYLE §2:
 * lessons never import kms/store, so tests and the UI pass the in-memory repository in), plus the
 * learner's "bucket" (application storage for ciphertexts) and copies for probes.
 *
 * A copy is a new repository from the original's records and a new service over it: probes and
 * "policy allows" goals call the real service there, so the learner's sandbox is untouched.
 */
import { type AnyRecord, type KmsService, type Repository } from '../kms';

/** What a factory needs to build a sandbox (the clock is fixed at `now`; time moves by advanceClock). */
export interface SandboxInit {
  readonly seed: Uint8Array;
  readonly now: number;
  /** Records to start from (a copy); absent for a fresh sandbox with the default world. */
  readonly records?: readonly AnyRecord[];
}

/** Builds a service and its repository (in-memory in tests and lessons). */
export type SandboxFactory = (init: SandboxInit) => Promise<{ readonly service: KmsService; readonly repository: Repository }>;

/** Every lesson starts at this sandbox time (a fixed clock: replays are byte-identical). */
export const LESSON_EPOCH = Date.UTC(2026, 0, 15, 9, 0, 0);

/** 32-byte service seed from a numeric lesson seed. */
export function seedBytes(seed: number): Uint8Array {
  const s = new Uint8Array(32);
  new DataView(s.buffer).setUint32(0, seed >>> 0);
  s[31] = 0x1e; // "lesson" sandboxes differ from the harness's seedOf(n)
  return s;
}


/**
 * A bucket object: a stored value, an envelope made locally (ciphertext + encrypted data key), or
 * the result of a signature verified locally with a public key (verifyOffline).
 */
export type BucketObject =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'verification'; readonly valid: boolean; readonly algorithm: string; readonly messageType: 'RAW' | 'DIGEST'; readonly keySpec: string | null; readonly signature: Uint8Array; readonly publicKey: Uint8Array }
  | { readonly kind: 'envelope'; readonly data: Uint8Array; readonly iv: Uint8Array; readonly encryptedKey: Uint8Array; readonly encryptionContext?: Readonly<Record<string, string>> };

/** AES-256-GCM with WebCrypto (the learner's application code, outside KMS). */
export async function localSeal(dataKey: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey('raw', dataKey as BufferSource, 'AES-GCM', false, ['encrypt']);
  return new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, plaintext as BufferSource));
}

/** Opens a local envelope; null when the key is wrong (GCM authentication fails). */
export async function localOpen(dataKey: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array | null> {
  try {
    const key = await globalThis.crypto.subtle.importKey('raw', dataKey as BufferSource, 'AES-GCM', false, ['decrypt']);
    return new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, data as BufferSource));
  } catch {
    return null;
  }
}

/** SHA-256 with WebCrypto (the application's own hashing, e.g. a DIGEST to Sign). */
export async function localSha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as BufferSource));
}

/** The hash a signing algorithm names (`ECDSA_SHA_256` → SHA-256), or null (e.g. ML-DSA). */
export function hashOfSigningAlgorithm(algorithm: string): 'SHA-256' | 'SHA-384' | 'SHA-512' | null {
  const m = /_SHA_(256|384|512)$/.exec(algorithm);
  return m ? (`SHA-${m[1]}` as 'SHA-256' | 'SHA-384' | 'SHA-512') : null;
}

/**
 * Verifies a signature locally with a DER SubjectPublicKeyInfo (what GetPublicKey returns), as an
 * application does offline: the key crypto (curves, RSA) is loaded lazily, never with the page.
 * `messageType` RAW: `data` is the message (hashed by the algorithm); DIGEST: `data` is the digest.
 * Never throws for bad input: a malformed key or signature is simply not valid.
 */
export async function localVerify(
  publicKey: Uint8Array,
  algorithm: string,
  data: Uint8Array,
  messageType: 'RAW' | 'DIGEST',
  signature: Uint8Array,
): Promise<{ valid: boolean; keySpec: string | null }> {
  const keys = await import('../kms/crypto/keys/index');
  const spec = keys.specOfPublicKey(publicKey);
  if (spec === null) return { valid: false, keySpec: null };
  try {
    const valid = await keys.verify(spec, publicKey, algorithm as Parameters<typeof keys.verify>[2], data, messageType, signature);
    return { valid, keySpec: spec };
  } catch {
    return { valid: false, keySpec: spec };
  }
}
