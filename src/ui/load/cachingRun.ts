/**
 * "Encrypt N messages" through a caching CMM (kms-semantics.md §12.1) against the learner's
 * sandbox: the CMM's data keys come from real GenerateDataKey / Decrypt calls made as the acting
 * principal (so they are in the trail, and a cache hit is visibly NOT), and each message is really
 * encrypted with AES-256-GCM under its data key (WebCrypto), then the key copy is zeroed.
 *
 * The messages are spaced on the cache's own clock (`intervalMs` apart from the sandbox time the
 * run starts), so max age can end a data key within one run; the KMS calls happen at the sandbox
 * clock as usual. The CMM is passed in (src/services/cachingCmm.ts `CachingCmm`, loaded lazily)
 * through `makeCmm`, so this module is tested with fakes and with the real class.
 */
import type { AwsShape } from '../../kms';

/** Encryption context as KMS takes it. */
export type Context = Readonly<Record<string, string>>;

/** The data-key source the CMM draws on (CachingCmm's DataKeySource). */
export interface DataKeySourceLike {
  generateDataKey(encryptionContext: Context): Promise<{ plaintext: Uint8Array; ciphertextBlob: Uint8Array; keyId: string }>;
  decrypt(ciphertextBlob: Uint8Array, encryptionContext: Context): Promise<Uint8Array>;
}

/** What this module needs of a caching CMM. */
export interface CmmLike {
  getEncryptionMaterials(request: { encryptionContext: Context; plaintextLength: number }): Promise<{ dataKey: Uint8Array; encryptedDataKey: Uint8Array; keyId: string; cacheHit: boolean; entryId: string }>;
  stats(): { hits: number; misses: number; kmsCalls: number; evictions: number; entries: readonly BlastRadiusLike[] };
}

/** One data key's blast radius (CachingCmm's BlastRadius). */
export interface BlastRadiusLike {
  readonly entryId: string;
  readonly keyId: string;
  readonly createdAt: number;
  readonly messages: number;
  readonly bytes: number;
  readonly expiresAt: number;
  readonly retired: boolean;
  readonly reason?: 'age' | 'messages' | 'bytes' | 'capacity';
}

/**
 * GenerateDataKey (AES_256) and Decrypt on `keyId` through `call` (the sandbox's `call`: the acting
 * principal, a trail record per call).
 */
export function kmsDataKeySource(call: (operation: string, request: AwsShape) => Promise<AwsShape>, keyId: string): DataKeySourceLike {
  return {
    async generateDataKey(encryptionContext) {
      const res = await call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { ...encryptionContext } });
      const plaintext = res['Plaintext'];
      const blob = res['CiphertextBlob'];
      if (!(plaintext instanceof Uint8Array) || !(blob instanceof Uint8Array)) throw new TypeError('GenerateDataKey returned no data key.');
      return { plaintext, ciphertextBlob: blob, keyId: String(res['KeyId']) };
    },
    async decrypt(ciphertextBlob, encryptionContext) {
      const res = await call('Decrypt', { KeyId: keyId, CiphertextBlob: ciphertextBlob, EncryptionContext: { ...encryptionContext } });
      const plaintext = res['Plaintext'];
      if (!(plaintext instanceof Uint8Array)) throw new TypeError('Decrypt returned no Plaintext.');
      return plaintext;
    },
  };
}

/** Encrypts one message under a data key (AES-256-GCM, random nonce); returns the ciphertext length. */
export async function sealMessage(dataKey: Uint8Array, message: Uint8Array): Promise<number> {
  const key = await crypto.subtle.importKey('raw', dataKey as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, message as Uint8Array<ArrayBuffer>);
  return sealed.byteLength;
}

/** A caching run's request. */
export interface CachingRunInput {
  readonly messages: number;
  readonly messageBytes: number;
  /** Cache-clock ms between two messages. */
  readonly intervalMs: number;
  readonly encryptionContext: Context;
}

/** What a run did. */
export interface CachingRunResult {
  readonly messages: number;
  readonly hits: number;
  readonly misses: number;
  readonly kmsCalls: number;
  /** KMS calls without a cache (one GenerateDataKey per message) minus the calls made. */
  readonly requestsSaved: number;
  readonly entries: readonly BlastRadiusLike[];
}

/** Most messages one run encrypts (each miss is a real call in the learner's trail). */
export const MAX_CACHING_MESSAGES = 1000;

/**
 * Runs `input.messages` encryptions through the CMM made by `makeCmm(clock)`; `onProgress(done)`
 * after each message; stops early when `signal` aborts. KMS errors (AccessDenied, Throttling, …)
 * end the run and are rethrown as the service raised them.
 */
export async function runCaching(
  makeCmm: (clock: () => number) => CmmLike,
  startMs: number,
  input: CachingRunInput,
  opts: { onProgress?: (done: number) => void; signal?: AbortSignal; seal?: (dataKey: Uint8Array, message: Uint8Array) => Promise<number> } = {},
): Promise<CachingRunResult> {
  let i = 0;
  const cmm = makeCmm(() => startMs + i * input.intervalMs);
  const seal = opts.seal ?? sealMessage;
  const message = new Uint8Array(input.messageBytes);
  for (; i < input.messages; i += 1) {
    opts.signal?.throwIfAborted();
    const m = await cmm.getEncryptionMaterials({ encryptionContext: input.encryptionContext, plaintextLength: input.messageBytes });
    try {
      await seal(m.dataKey, message);
    } finally {
      m.dataKey.fill(0);
    }
    opts.onProgress?.(i + 1);
  }
  i = Math.max(0, input.messages - 1); // the report's "now": the last message's time
  const s = cmm.stats();
  return { messages: input.messages, hits: s.hits, misses: s.misses, kmsCalls: s.kmsCalls, requestsSaved: input.messages - s.kmsCalls, entries: s.entries };
}
