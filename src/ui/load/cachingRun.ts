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
  getDecryptionMaterials?(request: { encryptedDataKey: Uint8Array; encryptionContext: Context }): Promise<{ dataKey: Uint8Array; cacheHit: boolean }>;
  stats(): { hits: number; misses: number; kmsCalls: number; evictions: number; entries: readonly BlastRadiusLike[] };
  /** Empties the cache, zeroing the cached data keys (called when a run ends, however it ends). */
  clear?(): void;
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

/** Encrypts one message under a data key (AES-256-GCM, random nonce): nonce ‖ ciphertext ‖ tag. */
export async function sealMessage(dataKey: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', dataKey as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, message as Uint8Array<ArrayBuffer>));
  const out = new Uint8Array(12 + sealed.length);
  out.set(iv);
  out.set(sealed, 12);
  return out;
}

/** Decrypts what `sealMessage` made (rejects when the data key or the bytes are wrong). */
export async function openMessage(dataKey: Uint8Array, sealed: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', dataKey as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['decrypt']);
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.slice(0, 12) }, key, sealed.slice(12)));
}

/** A caching run's request. */
export interface CachingRunInput {
  readonly messages: number;
  readonly messageBytes: number;
  /** Cache-clock ms between two messages (the decryptions follow the encryptions at the same pace). */
  readonly intervalMs: number;
  readonly encryptionContext: Context;
  /** Also decrypt every message through the CMM (Decrypt calls on misses). */
  readonly decrypt?: boolean;
}

/** What a run did. */
export interface CachingRunResult {
  readonly messages: number;
  /** Messages decrypted again (0 unless asked). */
  readonly decrypted: number;
  readonly hits: number;
  readonly misses: number;
  /** KMS calls made: GenerateDataKey + Decrypt. */
  readonly kmsCalls: number;
  /** KMS calls without a cache: one GenerateDataKey per message (and one Decrypt per decryption). */
  readonly withoutCache: number;
  /** withoutCache − kmsCalls. */
  readonly requestsSaved: number;
  readonly entries: readonly BlastRadiusLike[];
}

/** Most messages one run encrypts (each miss is a real call in the learner's trail). */
export const MAX_CACHING_MESSAGES = 1000;

/** Most plaintext bytes one run encrypts (messages × message size): 64 MiB. */
export const MAX_CACHING_TOTAL_BYTES = 64 * 1024 * 1024;

/** Why `messages` × `messageBytes` is too much for one run, or null. */
export function cachingSizeProblem(messages: number, messageBytes: number): string | null {
  const total = messages * messageBytes;
  if (total <= MAX_CACHING_TOTAL_BYTES) return null;
  return `Messages × message size is ${total.toLocaleString('en-US')} bytes; one run encrypts at most ${MAX_CACHING_TOTAL_BYTES.toLocaleString('en-US')} bytes (64 MiB). Send fewer or smaller messages.`;
}

/** Crypto of a run (WebCrypto by default; tests pass fakes). */
export interface MessageCrypto {
  seal(dataKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  open(dataKey: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;
}

/**
 * Runs `input.messages` encryptions (then, if asked, as many decryptions) through the CMM made by
 * `makeCmm(clock)`; `onProgress(done)` after each message; stops early when `signal` aborts. KMS
 * errors (AccessDenied, Throttling, …) end the run and are rethrown as the service raised them.
 * Every data key copy handed out is zeroed after use, and the cache is cleared when the run ends
 * (success, error or abort). Refuses (RangeError) more than `MAX_CACHING_TOTAL_BYTES` of messages.
 */
export async function runCaching(
  makeCmm: (clock: () => number) => CmmLike,
  startMs: number,
  input: CachingRunInput,
  opts: { onProgress?: (done: number) => void; signal?: AbortSignal; crypto?: MessageCrypto } = {},
): Promise<CachingRunResult> {
  const tooMuch = cachingSizeProblem(input.messages, input.messageBytes);
  if (tooMuch) throw new RangeError(tooMuch);
  let step = 0;
  const cmm = makeCmm(() => startMs + step * input.intervalMs);
  try {
    const mc = opts.crypto ?? { seal: sealMessage, open: openMessage };
    const message = new Uint8Array(input.messageBytes);
    const decrypting = input.decrypt === true && cmm.getDecryptionMaterials !== undefined;
    // Kept only to decrypt them again: without "then decrypt" nothing is retained.
    const sealed: { edk: Uint8Array; bytes: Uint8Array }[] = [];
    for (; step < input.messages; step += 1) {
      opts.signal?.throwIfAborted();
      const m = await cmm.getEncryptionMaterials({ encryptionContext: input.encryptionContext, plaintextLength: input.messageBytes });
      try {
        const bytes = await mc.seal(m.dataKey, message);
        if (decrypting) sealed.push({ edk: m.encryptedDataKey, bytes });
      } finally {
        m.dataKey.fill(0);
      }
      opts.onProgress?.(step + 1);
    }
    let decrypted = 0;
    if (decrypting) {
      for (const s of sealed) {
        opts.signal?.throwIfAborted();
        const d = await cmm.getDecryptionMaterials!({ encryptedDataKey: s.edk, encryptionContext: input.encryptionContext });
        try {
          const plain = await mc.open(d.dataKey, s.bytes);
          if (plain.length !== input.messageBytes) throw new Error('A message did not decrypt to its plaintext.');
        } finally {
          d.dataKey.fill(0);
        }
        decrypted += 1;
        step += 1;
        opts.onProgress?.(input.messages + decrypted);
      }
    }
    step = Math.max(0, step - 1); // the report's "now": the last message's time
    const s = cmm.stats();
    const withoutCache = input.messages + decrypted;
    return { messages: input.messages, decrypted, hits: s.hits, misses: s.misses, kmsCalls: s.kmsCalls, withoutCache, requestsSaved: withoutCache - s.kmsCalls, entries: s.entries };
  } finally {
    // Plaintext data keys must not stay cached after the run (the report was taken above).
    cmm.clear?.();
  }
}
