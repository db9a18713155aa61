/**
 * Ports: everything the KMS service needs from outside, injected into `createKmsService`
 * (STYLE §1–2). Operations never touch Dexie, Date.now or crypto.getRandomValues directly.
 */
import { TABLE_OF, type AnyRecord, type TypeName, type RecordOf } from './model';

/** Injected time source (ms since epoch). The sandbox adds its own offset on top. */
export interface Clock {
  now(): number;
}

/** Deterministic random bytes for one call. */
export interface RandomStream {
  bytes(n: number): Uint8Array;
}

/**
 * Source of randomness. The stream for call n depends only on (seed, n), so a sandbox replays
 * byte-identically and resumes after a reload without storing generator state.
 */
export interface RandomSource {
  /** 32-byte seed (also persisted in the sandbox meta record). */
  readonly seed: Uint8Array;
  /** The random stream of call number `callIndex`. */
  stream(callIndex: number): RandomStream;
}

/** Records of one call, all written together or not at all. */
export interface ChangeSet {
  readonly puts: readonly AnyRecord[];
  readonly deletes: readonly { readonly typeName: TypeName; readonly id: string }[];
}

/**
 * The repository: a committed, in-memory view of every record (synchronous reads), and an atomic
 * commit. Implementations: in-memory (tests, bench, the local endpoint) and Dexie (the browser).
 */
export interface Repository {
  /** The committed record of a type by id. */
  get<T extends TypeName>(typeName: T, id: string): RecordOf<T> | undefined;
  /** All committed records of a type, in id order (trail: in seq order). */
  list<T extends TypeName>(typeName: T): readonly RecordOf<T>[];
  /** Applies a change set atomically: every put and delete, or none (then it throws). */
  commit(changes: ChangeSet): Promise<void>;
}

/** Every committed record of a repository, table by table (TABLE_OF order), each in its list order. */
export function allRecords(repository: Pick<Repository, 'list'>): AnyRecord[] {
  return (Object.keys(TABLE_OF) as TypeName[]).flatMap((t) => [...repository.list(t)]);
}

/** Opaque handle to an imported AES key (a CryptoKey for WebCrypto, the raw bytes for noble). */
export type AesKeyHandle = { readonly __aesKeyHandle: true };

/**
 * Cryptographic primitives (STYLE §10). Two implementations with the same call shape:
 * `crypto/webcrypto.ts` and `crypto/noble.ts`; one test suite runs against both.
 */
export interface CryptoBackend {
  readonly name: string;
  /** Imports a 128/192/256-bit AES key for GCM. */
  importAesKey(raw: Uint8Array): Promise<AesKeyHandle>;
  /** AES-GCM encrypt with a 96-bit IV and 128-bit tag; returns ciphertext || tag. */
  aesGcmEncrypt(key: AesKeyHandle, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** AES-GCM decrypt of ciphertext || tag. Rejects with `AuthenticationError` when the tag does not verify. */
  aesGcmDecrypt(key: AesKeyHandle, iv: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** SHA-256 digest. */
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

/** Thrown by a CryptoBackend when an AEAD tag does not verify. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}
