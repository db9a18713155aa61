/**
 * The envelope format: the `Envelope` record, its binary encoding, and the per-frame IV and AAD
 * that make a framed AES-256-GCM message tamper-evident as a whole. Encryption and decryption
 * live in envelope.ts.
 *
 * The design follows the AWS Encryption SDK message format (kms-semantics.md §12.2): a header
 * naming the KMS key and carrying the encrypted data key and the encryption context, then a body
 * of frames, each AES-GCM under the data key with the frame sequence number as IV. A fresh data key
 * per envelope (from GenerateDataKey) makes the counter IV safe: no (key, IV) pair ever repeats.
 * It is deliberately simpler than the SDK's (one encrypted data key, no key commitment, no
 * signature footer, no header auth tag: the header is bound through every frame's AAD instead).
 *
 * Binary layout, version 1 (integers big-endian):
 *
 * ```
 *   HEADER (hashed: headerHash = SHA-256(header))
 *   offset  size   field
 *   0       8      magic "KMSPGENV" (4b 4d 53 50 47 45 4e 56)
 *   8       1      version = 0x01
 *   9       1      algorithm = 0x01 (AES_256_GCM_FRAMED)
 *   10      16     messageId (random)
 *   26      4      frameSize (plaintext bytes per frame, 1 … 64 MiB)
 *   30      4+K    keyId: u32 length K, then K bytes UTF-8 (the key ARN from GenerateDataKey)
 *   …       4+E    encryptedDataKey: u32 length E, then the KMS CiphertextBlob
 *   …       4+C    encryption context: u32 length C, then encodeEncryptionContext(context)
 *   BODY
 *   …       8      plaintextLength (u64)
 *   …              frames, back to back: each ciphertext || 16-byte tag. Frame count and sizes
 *                  follow from plaintextLength and frameSize: n = max(1, ceil(len / frameSize)),
 *                  every frame but the last holds frameSize bytes, the last holds the rest
 *                  (0 bytes only for an empty message).
 * ```
 *
 * Frame i (sequence number s = i + 1, 1-based as in the Encryption SDK):
 *
 * ```
 *   IV  (12) = 00 00 00 00 00 00 00 00 ‖ s (u32)
 *   AAD      = messageId (16) ‖ headerHash (32) ‖ s (u32) ‖ isFinal (u8: 0x00 / 0x01)
 *              ‖ plaintextLength (u64)        ← final frame only
 * ```
 *
 * What the AAD buys: reordering or dropping a middle frame changes s; dropping the final frame
 * leaves a last frame whose AAD says "not final"; appending after the final frame, or splicing
 * frames from another envelope, breaks s, isFinal, messageId or headerHash; editing the key id,
 * the encrypted data key, the context or frameSize changes headerHash. The total length is bound
 * by the final frame only, because a streamed input's length is unknown until its end (the SDK
 * does the same); non-final frames must hold exactly frameSize bytes, checked before decrypting.
 */
import { decodeEncryptionContext, encodeEncryptionContext, toBufferSource } from '../crypto';
import type { EncryptionContext } from '../crypto';

/** `Envelope.format`. */
export const ENVELOPE_FORMAT = 'kms-playground-envelope';
/** `Envelope.version` this code writes and reads. */
export const ENVELOPE_VERSION = 1;
/** `Envelope.algorithm`. */
export const ENVELOPE_ALGORITHM = 'AES_256_GCM_FRAMED';
/**
 * Default plaintext bytes per frame: 1 MiB. Each WebCrypto call costs a promise and a thread hop
 * (tens of µs) whatever its size; at 1 MiB (≈ 0.5–1 ms of AES-GCM) that overhead stays in the
 * low percents, which the ≥ 90%-of-raw-WebCrypto throughput target needs, while 64 KiB frames
 * would lose much more. Larger frames buy little speed but coarser progress and bigger transient
 * buffers (two frames in flight). The 16-byte tag per frame is 0.0015% overhead.
 */
export const DEFAULT_FRAME_SIZE = 1 << 20;
/** Largest frameSize accepted (64 MiB): bounds transient buffers and decoder allocations. */
export const MAX_FRAME_SIZE = 64 << 20;
/** Bytes of `Envelope.messageId`. */
export const MESSAGE_ID_LENGTH = 16;
/** AES-GCM tag bytes at the end of each frame. */
export const FRAME_TAG_LENGTH = 16;
/** Frame sequence numbers are u32 and start at 1. */
export const MAX_FRAMES = 0xffff_ffff;
/** KMS's own limits on the fields we store (API reference: KeyId ≤ 2048 chars, CiphertextBlob ≤ 6144 bytes). */
export const MAX_KEY_ID_BYTES = 2048;
export const MAX_ENCRYPTED_DATA_KEY_BYTES = 6144;

const MAGIC = [0x4b, 0x4d, 0x53, 0x50, 0x47, 0x45, 0x4e, 0x56] as const; // "KMSPGENV"
const ALGORITHM_ID = 0x01;

/**
 * An envelope-encrypted payload of any size. Plain data (no methods), so it can be stored,
 * posted to a worker, or encoded with `encodeEnvelope`.
 */
export interface Envelope {
  readonly format: typeof ENVELOPE_FORMAT;
  readonly version: typeof ENVELOPE_VERSION;
  readonly algorithm: typeof ENVELOPE_ALGORITHM;
  /** ARN of the KMS key that wrapped the data key (`KeyId` of the GenerateDataKey response). */
  readonly keyId: string;
  /** The data key as KMS encrypted it (`CiphertextBlob` of GenerateDataKey). */
  readonly encryptedDataKey: Uint8Array;
  /** Encryption context given to KMS and bound into every frame (canonical key order). */
  readonly encryptionContext: Readonly<Record<string, string>>;
  /** Plaintext bytes per frame (all frames but the last). */
  readonly frameSize: number;
  /** 16 random bytes naming this message; bound into every frame. */
  readonly messageId: Uint8Array;
  /** AES-256-GCM frames, each ciphertext || 16-byte tag, in order. */
  readonly frames: readonly Uint8Array[];
  /** Total plaintext bytes. */
  readonly plaintextLength: number;
}

/** The header fields (everything but the body). */
export type EnvelopeHeaderFields = Pick<Envelope, 'keyId' | 'encryptedDataKey' | 'encryptionContext' | 'frameSize' | 'messageId'>;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Number of frames for a plaintext of `length` bytes. */
export function frameCount(length: number, frameSize: number): number {
  return Math.max(1, Math.ceil(length / frameSize));
}

/** Plaintext bytes in frame `index` (0-based) of a message of `length` bytes. */
export function framePlaintextLength(index: number, length: number, frameSize: number): number {
  return index < frameCount(length, frameSize) - 1 ? frameSize : length - index * frameSize;
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Encodes the header (layout in the module comment). Fields must already be valid. */
export function encodeEnvelopeHeader(h: EnvelopeHeaderFields): Uint8Array {
  const keyId = utf8.encode(h.keyId);
  const ctx = encodeEncryptionContext(h.encryptionContext);
  const parts = [
    Uint8Array.from(MAGIC),
    Uint8Array.of(ENVELOPE_VERSION, ALGORITHM_ID),
    h.messageId,
    u32(h.frameSize),
    u32(keyId.length),
    keyId,
    u32(h.encryptedDataKey.length),
    h.encryptedDataKey,
    u32(ctx.length),
    ctx,
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The 12-byte IV of frame sequence number `seq` (1-based). */
export function frameIv(seq: number): Uint8Array {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setUint32(8, seq);
  return iv;
}

/** The AAD of frame `seq`; `plaintextLength` is included only when `isFinal`. */
export function frameAad(messageId: Uint8Array, headerHash: Uint8Array, seq: number, isFinal: boolean, plaintextLength: number): Uint8Array {
  const aad = new Uint8Array(16 + 32 + 4 + 1 + (isFinal ? 8 : 0));
  const v = new DataView(aad.buffer);
  aad.set(messageId, 0);
  aad.set(headerHash, 16);
  v.setUint32(48, seq);
  aad[52] = isFinal ? 1 : 0;
  if (isFinal) v.setBigUint64(53, BigInt(plaintextLength));
  return aad;
}

/**
 * Structural check of an envelope value (no crypto). Returns what is wrong, in words safe to show
 * (no secrets), or undefined when the envelope is well-formed and its frames add up.
 */
export function envelopeProblem(env: unknown): string | undefined {
  if (typeof env !== 'object' || env === null) return 'the envelope is not an object';
  const e = env as Partial<Record<keyof Envelope, unknown>>;
  if (e.format !== ENVELOPE_FORMAT) return `format is not "${ENVELOPE_FORMAT}"`;
  if (e.version !== ENVELOPE_VERSION) return `envelope version ${String(e.version)} is not supported (expected ${ENVELOPE_VERSION})`;
  if (e.algorithm !== ENVELOPE_ALGORITHM) return `algorithm ${String(e.algorithm)} is not supported (expected ${ENVELOPE_ALGORITHM})`;
  if (typeof e.keyId !== 'string' || e.keyId.length === 0 || utf8.encode(e.keyId).length > MAX_KEY_ID_BYTES) {
    return `keyId must be a non-empty string of at most ${MAX_KEY_ID_BYTES} bytes`;
  }
  if (!(e.encryptedDataKey instanceof Uint8Array) || e.encryptedDataKey.length === 0 || e.encryptedDataKey.length > MAX_ENCRYPTED_DATA_KEY_BYTES) {
    return `encryptedDataKey must be 1…${MAX_ENCRYPTED_DATA_KEY_BYTES} bytes`;
  }
  try {
    encodeEncryptionContext(e.encryptionContext as EncryptionContext);
  } catch {
    return 'encryptionContext must map strings to well-formed strings';
  }
  if (!(e.messageId instanceof Uint8Array) || e.messageId.length !== MESSAGE_ID_LENGTH) return `messageId must be ${MESSAGE_ID_LENGTH} bytes`;
  if (typeof e.frameSize !== 'number' || !Number.isInteger(e.frameSize) || e.frameSize < 1 || e.frameSize > MAX_FRAME_SIZE) {
    return `frameSize must be an integer in 1…${MAX_FRAME_SIZE}`;
  }
  if (typeof e.plaintextLength !== 'number' || !Number.isSafeInteger(e.plaintextLength) || e.plaintextLength < 0) {
    return 'plaintextLength must be a non-negative safe integer';
  }
  if (!Array.isArray(e.frames)) return 'frames must be an array';
  const n = frameCount(e.plaintextLength, e.frameSize);
  if (n > MAX_FRAMES) return `plaintextLength needs ${n} frames; at most ${MAX_FRAMES} are allowed`;
  if (e.frames.length !== n) {
    return `the envelope has ${e.frames.length} frame(s) but plaintextLength ${e.plaintextLength} with frameSize ${e.frameSize} needs ${n}: frames were added or removed`;
  }
  for (let i = 0; i < n; i++) {
    const f: unknown = e.frames[i];
    const want = framePlaintextLength(i, e.plaintextLength, e.frameSize) + FRAME_TAG_LENGTH;
    if (!(f instanceof Uint8Array)) return `frame ${i + 1} is not bytes`;
    if (f.length !== want) return `frame ${i + 1} of ${n} is ${f.length} bytes but must be ${want}: it was cut, padded or moved`;
  }
  return undefined;
}

/**
 * The envelope as a list of byte arrays whose concatenation is `encodeEnvelope(env)`: the header
 * and length, then the frames themselves (not copied). Pass to `new Blob(parts)` to save a large
 * envelope without building one big array. Throws RangeError on a malformed envelope.
 */
export function encodeEnvelopeParts(env: Envelope): Uint8Array<ArrayBuffer>[] {
  const problem = envelopeProblem(env);
  if (problem) throw new RangeError(`encodeEnvelope: ${problem}`);
  const header = encodeEnvelopeHeader(env);
  const head = new Uint8Array(header.length + 8);
  head.set(header, 0);
  new DataView(head.buffer).setBigUint64(header.length, BigInt(env.plaintextLength));
  // Typed ArrayBuffer-backed so the parts are valid BlobParts (a SharedArrayBuffer view is copied).
  return [head, ...env.frames.map(toBufferSource)];
}

/** The binary encoding of an envelope (layout in the module comment). Throws RangeError on a malformed envelope. */
export function encodeEnvelope(env: Envelope): Uint8Array {
  const parts = encodeEnvelopeParts(env);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Why `decodeEnvelope` refused its input (a closed set, STYLE §6). */
export type EnvelopeDecodeFailure = 'unknown-format' | 'version-too-new' | 'unsupported-algorithm' | 'truncated' | 'invalid-field' | 'trailing-bytes';

/** Result of `decodeEnvelope`. */
export type DecodeEnvelopeResult =
  | { ok: true; value: Envelope }
  | { ok: false; reason: EnvelopeDecodeFailure; message: string };

const fail = (reason: EnvelopeDecodeFailure, message: string): DecodeEnvelopeResult => ({ ok: false, reason, message });

/**
 * Parses an encoded envelope. Never throws: any input gives an envelope (whose `encryptedDataKey`,
 * `messageId` and frames are views into `bytes`, not copies) or a reason from a closed set with a
 * message. It checks structure only; authenticity is checked by `decryptEnvelope`.
 */
export function decodeEnvelope(bytes: Uint8Array): DecodeEnvelopeResult {
  if (!(bytes instanceof Uint8Array)) return fail('unknown-format', 'input is not bytes');
  if (bytes.length < MAGIC.length || MAGIC.some((m, i) => bytes[i] !== m)) return fail('unknown-format', 'missing the KMSPGENV magic');
  if (bytes.length < 10) return fail('truncated', 'ends inside the header');
  const version = bytes[8]!;
  if (version === 0) return fail('unknown-format', 'version 0 does not exist');
  if (version > ENVELOPE_VERSION) return fail('version-too-new', `version ${version} is newer than this app (${ENVELOPE_VERSION})`);
  if (bytes[9] !== ALGORITHM_ID) return fail('unsupported-algorithm', `algorithm id ${bytes[9]} is unknown`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 10;
  const take = (n: number): Uint8Array | undefined => {
    if (at + n > bytes.length) return undefined;
    const b = bytes.subarray(at, at + n);
    at += n;
    return b;
  };
  const field = (): Uint8Array | undefined => {
    if (at + 4 > bytes.length) return undefined;
    const n = view.getUint32(at);
    at += 4;
    return take(n);
  };
  const messageId = take(MESSAGE_ID_LENGTH);
  if (!messageId || at + 4 > bytes.length) return fail('truncated', 'ends inside the header');
  const frameSize = view.getUint32(at);
  at += 4;
  if (frameSize < 1 || frameSize > MAX_FRAME_SIZE) return fail('invalid-field', `frameSize ${frameSize} is outside 1…${MAX_FRAME_SIZE}`);
  const keyIdBytes = field();
  const encryptedDataKey = field();
  const ctxBytes = field();
  if (!keyIdBytes || !encryptedDataKey || !ctxBytes || at + 8 > bytes.length) return fail('truncated', 'ends inside the header');
  let keyId: string;
  try {
    keyId = utf8Strict.decode(keyIdBytes);
  } catch {
    return fail('invalid-field', 'keyId is not UTF-8');
  }
  const ctx = decodeEncryptionContext(ctxBytes);
  if (!ctx.ok) return fail('invalid-field', `encryption context: ${ctx.reason}`);
  const hi = view.getUint32(at);
  const lo = view.getUint32(at + 4);
  at += 8;
  if (hi > 0x1f_ffff) return fail('invalid-field', 'plaintextLength exceeds 2^53 - 1');
  const plaintextLength = hi * 0x1_0000_0000 + lo;
  const n = frameCount(plaintextLength, frameSize);
  // Check the body length before slicing, so a lying plaintextLength cannot make us loop long.
  const bodyLength = plaintextLength + n * FRAME_TAG_LENGTH;
  if (bytes.length - at < bodyLength) return fail('truncated', `the body needs ${bodyLength} bytes, found ${bytes.length - at}`);
  if (bytes.length - at > bodyLength) return fail('trailing-bytes', `${bytes.length - at - bodyLength} bytes follow the last frame`);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < n; i++) frames.push(take(framePlaintextLength(i, plaintextLength, frameSize) + FRAME_TAG_LENGTH)!);
  const env: Envelope = {
    format: ENVELOPE_FORMAT,
    version: ENVELOPE_VERSION,
    algorithm: ENVELOPE_ALGORITHM,
    keyId,
    encryptedDataKey,
    encryptionContext: ctx.value,
    frameSize,
    messageId,
    frames,
    plaintextLength,
  };
  const problem = envelopeProblem(env);
  return problem ? fail('invalid-field', problem) : { ok: true, value: env };
}
