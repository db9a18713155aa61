/**
 * Seeded randomness: a ChaCha20 deterministic random bit generator implementing the
 * `RandomSource` port (src/kms/ports.ts; STYLE §5 "time and randomness come only from injected
 * ports"; STYLE §8 "a sandbox is a fold over its call log").
 *
 * Construction. The keystream of ChaCha20 (RFC 8439 §2.4, via `@noble/ciphers/chacha.js`) under
 * key = the 32-byte sandbox seed is used directly as random bytes. Each API call gets its own
 * stream by its own 96-bit nonce, derived from the call index:
 *
 * ```
 *   nonce (12 bytes)
 *   ┌───────────────────┬─────────────────────────────────────────────┐
 *   │ 72 61 6e 64       │ callIndex, unsigned 64-bit big-endian        │
 *   │ "rand" (domain)   │ (0 … 2^53 − 1, the JS safe-integer range)    │
 *   └───────────────────┴─────────────────────────────────────────────┘
 *     bytes 0..3          bytes 4..11
 * ```
 *
 * The "rand" label keeps these streams apart from any other use of ChaCha20 under the same seed.
 * The RFC 8439 32-bit block counter starts at 0 and addresses 64-byte keystream blocks, so one
 * call may draw up to 2^32 × 64 bytes (256 GiB), far beyond any KMS call.
 *
 * `stream(i).bytes(n)` reads the stream sequentially: the concatenation of all reads equals the
 * keystream prefix, however the reads are split. So the bytes for (seed, callIndex) are always
 * the same, and a sandbox replays byte-identically and resumes after a reload without storing
 * generator state (ports.ts).
 *
 * Not a claim: this is a simulator's DRBG, not a SP 800-90A validated one. Anyone holding the seed
 * can rebuild every simulated key; the share UI says so (STYLE §8).
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import type { RandomSource, RandomStream } from '../ports';
import { assertBytes, assertInteger, writeU64 } from './bytes';

/** Seed length in bytes (a ChaCha20 key). */
export const SEED_LENGTH = 32;
/** Domain label in nonce bytes 0..3: ASCII "rand". */
const NONCE_LABEL = [0x72, 0x61, 0x6e, 0x64] as const;
const BLOCK = 64;
/** RFC 8439's block counter is 32 bits: 2^32 blocks of 64 bytes per stream. */
const MAX_STREAM_BYTES = 2 ** 32 * BLOCK;
/**
 * Keystream bytes generated ahead for small reads (2 ChaCha20 blocks: a call reads 32–76 bytes,
 * e.g. GenerateDataKey's request and event ids, IV and data key; more is generated when needed).
 */
const BUFFER = 2 * BLOCK;

/** The 12-byte ChaCha20 nonce for call number `callIndex` (layout in the module comment). */
export function streamNonce(callIndex: number): Uint8Array {
  assertInteger(callIndex, 'callIndex', 0, Number.MAX_SAFE_INTEGER);
  const nonce = new Uint8Array(12);
  nonce.set(NONCE_LABEL, 0);
  writeU64(nonce, 4, callIndex);
  return nonce;
}

/** Keystream bytes [from, from + n) of (key, nonce): whole blocks from the first one touched. */
function keystream(key: Uint8Array, nonce: Uint8Array, from: number, n: number): Uint8Array {
  const firstBlock = Math.floor(from / BLOCK);
  const lastBlock = Math.ceil((from + n) / BLOCK);
  // ChaCha20 XORs its keystream into the data; XOR into zeros yields the keystream itself.
  const blocks = chacha20(key, nonce, new Uint8Array((lastBlock - firstBlock) * BLOCK), undefined, firstBlock);
  const skip = from - firstBlock * BLOCK;
  return skip === 0 && n === blocks.length ? blocks : blocks.slice(skip, skip + n);
}

/**
 * A RandomSource whose stream for call `callIndex` is the ChaCha20 keystream under `seed` with
 * the nonce from `streamNonce(callIndex)`. `seed` is copied; the `seed` property returns a fresh
 * copy each time, so no caller can change the generator afterwards.
 */
export function createSeededRandom(seed: Uint8Array): RandomSource {
  assertBytes(seed, 'seed', SEED_LENGTH);
  const key = Uint8Array.from(seed);
  return {
    get seed(): Uint8Array {
      return Uint8Array.from(key);
    },
    stream(callIndex: number): RandomStream {
      const nonce = streamNonce(callIndex);
      let position = 0;
      // Keystream is generated BUFFER bytes at a time and small reads are served from it: a call
      // makes 3–5 reads of 12–32 bytes, and one ChaCha20 run per read dominated a service call
      // (bench profile). The bytes are those of `keystream(...)` either way, so replays are unchanged.
      let buffer: Uint8Array = new Uint8Array(0);
      let bufferStart = 0;
      return {
        bytes(n: number): Uint8Array {
          assertInteger(n, 'n', 0, MAX_STREAM_BYTES - position);
          if (n === 0) return new Uint8Array(0);
          let out: Uint8Array;
          const offset = position - bufferStart;
          if (offset + n <= buffer.length) {
            out = buffer.slice(offset, offset + n);
          } else if (n > BUFFER) {
            out = keystream(key, nonce, position, n);
          } else {
            bufferStart = position;
            buffer = keystream(key, nonce, position, Math.min(BUFFER, MAX_STREAM_BYTES - position));
            out = buffer.slice(0, n);
          }
          position += n;
          return out;
        },
      };
    },
  };
}

/** A fresh 32-byte seed from the platform CSPRNG (`crypto.getRandomValues`). */
export function randomSeed(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(SEED_LENGTH));
}

/** `n` bytes from the platform CSPRNG, in ≤ 65536-byte calls (the getRandomValues limit). */
export function randomBytes(n: number): Uint8Array {
  assertInteger(n, 'n', 0, Number.MAX_SAFE_INTEGER);
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) globalThis.crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}
