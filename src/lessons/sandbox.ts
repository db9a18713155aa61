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


/** A bucket object: a stored value, or an envelope made locally (ciphertext + encrypted data key). */
export type BucketObject =
  | { readonly kind: 'value'; readonly value: unknown }
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
