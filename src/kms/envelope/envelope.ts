/**
 * Envelope encryption of payloads of any size (kms-semantics.md §12.2; the AWS Encryption SDK's
 * framed body). KMS encrypts at most 4 KiB itself (§3.1), so large data is encrypted locally under
 * a data key from GenerateDataKey, and only the data key travels through KMS. The UI's file
 * workbench and the benchmark use this module; the format is documented in format.ts.
 *
 * Costs and copies, since the bench holds this to ≥ 90% of raw WebCrypto AES-GCM throughput and
 * peak memory ≤ 1.5× the input:
 * - frames are encrypted from `subarray` views of a Uint8Array input, read per frame from a Blob,
 *   and assembled per frame from an AsyncIterable's chunks (a view when one chunk holds the frame);
 *   the payload is never concatenated; the output keeps one array per frame;
 * - two frames are in flight at once, so a Blob read or the next WebCrypto call overlaps the
 *   current one; transient memory is a few frames;
 * - decryption writes each frame into one output array of `plaintextLength` bytes
 *   (`decryptEnvelopeFrames` yields frames instead and holds no output at all).
 *
 * The plaintext data key is zeroed (`fill(0)`) as soon as the backend has imported it, and on
 * every failure path; afterwards it exists only inside the backend's key handle (a non-extractable
 * CryptoKey with WebCrypto; a private copy with noble, which JS cannot wipe).
 *
 * Failures of the envelope itself throw `InvalidCiphertextException` (via `kmsError`) saying which
 * check failed; errors from KMS (AccessDenied, a wrong context at Decrypt, ...) pass through as
 * KMS threw them. No message carries plaintext or key bytes.
 */
import { assert, kmsError } from '../errors';
import { AuthenticationError } from '../ports';
import type { AesKeyHandle, CryptoBackend } from '../ports';
import { canonicalizeEncryptionContext, randomBytes } from '../crypto';
import {
  DEFAULT_FRAME_SIZE,
  ENVELOPE_ALGORITHM,
  ENVELOPE_FORMAT,
  ENVELOPE_VERSION,
  MAX_FRAME_SIZE,
  MAX_FRAMES,
  MESSAGE_ID_LENGTH,
  encodeEnvelopeHeader,
  envelopeProblem,
  frameAad,
  frameCount,
  frameIv,
} from './format';
import type { Envelope } from './format';

/**
 * The two KMS calls envelope encryption needs, in AWS request/response shape. Satisfied by
 * `(req) => service.call('GenerateDataKey', req, caller)` and its Decrypt twin.
 */
export interface DataKeyKms {
  generateDataKey(req: {
    KeyId: string;
    KeySpec: 'AES_256';
    EncryptionContext?: Record<string, string>;
  }): Promise<{ Plaintext: Uint8Array; CiphertextBlob: Uint8Array; KeyId: string }>;
  decrypt(req: {
    CiphertextBlob: Uint8Array;
    EncryptionContext?: Record<string, string>;
    KeyId?: string;
  }): Promise<{ Plaintext: Uint8Array; KeyId: string }>;
}

/** Progress callback: bytes of plaintext done so far, and the total when known. */
export type EnvelopeProgress = (doneBytes: number, totalBytes: number | undefined) => void;

/** What `encryptEnvelope` accepts: bytes, a Blob/File, or a stream of chunks. */
export type EnvelopeInput = Uint8Array | Blob | AsyncIterable<Uint8Array>;

/** Options of `encryptEnvelope`. */
export interface EncryptEnvelopeOptions {
  /** KMS key to wrap the data key: key id, key ARN, alias name or alias ARN. */
  readonly keyId: string;
  /** Encryption context, sent to GenerateDataKey and bound into every frame. */
  readonly encryptionContext?: Readonly<Record<string, string>> | undefined;
  /** Plaintext bytes per frame, 1 … 64 MiB; default 1 MiB (see DEFAULT_FRAME_SIZE). */
  readonly frameSize?: number | undefined;
  /** Called after each frame, in order; the last call has doneBytes === totalBytes. */
  readonly onProgress?: EnvelopeProgress | undefined;
  /** Source of the 16-byte messageId; default `crypto.getRandomValues`. */
  readonly random?: ((n: number) => Uint8Array) | undefined;
}

/** Options of `decryptEnvelope` / `decryptEnvelopeFrames`. */
export interface DecryptEnvelopeOptions {
  /** Called after each frame with (plaintext bytes done, plaintextLength). */
  readonly onProgress?: EnvelopeProgress | undefined;
  /** KMS key the caller expects; passed to Decrypt as `KeyId` (default: the envelope's keyId). */
  readonly keyId?: string | undefined;
}

/** Frames a backend call may have in flight at once (overlaps I/O and WebCrypto's thread hop). */
const IN_FLIGHT = 2;

/** One plaintext frame from a source. */
interface PlainFrame {
  readonly plaintext: Uint8Array;
  readonly isFinal: boolean;
}

const invalid = (message: string) => kmsError('InvalidCiphertextException', message);

function isBlob(x: unknown): x is Blob {
  return typeof Blob !== 'undefined' && x instanceof Blob;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return typeof x === 'object' && x !== null && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** Frames of an in-memory payload: views, no copies. */
function* framesOfBytes(data: Uint8Array, frameSize: number): Generator<PlainFrame> {
  const n = frameCount(data.length, frameSize);
  for (let i = 0; i < n; i++) {
    yield { plaintext: data.subarray(i * frameSize, Math.min(data.length, (i + 1) * frameSize)), isFinal: i === n - 1 };
  }
}

/** Frames of a Blob/File, each read when needed (the reader overlaps the previous encrypt). */
async function* framesOfBlob(blob: Blob, frameSize: number): AsyncGenerator<PlainFrame> {
  const n = frameCount(blob.size, frameSize);
  for (let i = 0; i < n; i++) {
    const buf = await blob.slice(i * frameSize, Math.min(blob.size, (i + 1) * frameSize)).arrayBuffer();
    yield { plaintext: new Uint8Array(buf), isFinal: i === n - 1 };
  }
}

/**
 * Frames of a chunk stream. A full frame is held back until the next byte arrives, because only
 * then is it known not to be final. A frame inside one chunk is passed as a view of that chunk
 * (the producer must not reuse a chunk's buffer after yielding it, as ReadableStream and Node
 * streams do not); a frame spanning chunks is joined into one new array.
 */
async function* framesOfChunks(chunks: AsyncIterable<Uint8Array>, frameSize: number): AsyncGenerator<PlainFrame> {
  let parts: Uint8Array[] = [];
  let partsLength = 0;
  let held: Uint8Array | undefined;
  const join = (): Uint8Array => {
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(partsLength);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('input: expected an async iterable of Uint8Array chunks');
    let at = 0;
    while (at < chunk.length) {
      if (held) {
        yield { plaintext: held, isFinal: false };
        held = undefined;
      }
      const n = Math.min(frameSize - partsLength, chunk.length - at);
      parts.push(chunk.subarray(at, at + n));
      partsLength += n;
      at += n;
      if (partsLength === frameSize) {
        held = join();
        parts = [];
        partsLength = 0;
      }
    }
  }
  yield { plaintext: held ?? (partsLength === 0 ? new Uint8Array(0) : join()), isFinal: true };
}

/** Imports the data key and zeroes the caller-visible copy, whatever happens. */
async function importDataKey(backend: CryptoBackend, dataKey: Uint8Array): Promise<AesKeyHandle> {
  try {
    if (!(dataKey instanceof Uint8Array) || dataKey.length !== 32) {
      throw invalid('KMS returned a data key that is not 32 bytes');
    }
    return await backend.importAesKey(dataKey);
  } finally {
    if (dataKey instanceof Uint8Array) dataKey.fill(0);
  }
}

/**
 * Encrypts `input` under a fresh data key from `kms.generateDataKey` (KeySpec AES_256, the given
 * KMS key and context) and returns the envelope. Works for empty input (one empty final frame).
 * Throws RangeError/TypeError for bad options or input before calling KMS.
 */
export async function encryptEnvelope(
  kms: DataKeyKms,
  backend: CryptoBackend,
  input: EnvelopeInput,
  opts: EncryptEnvelopeOptions,
): Promise<Envelope> {
  const frameSize = opts.frameSize ?? DEFAULT_FRAME_SIZE;
  if (!Number.isInteger(frameSize) || frameSize < 1 || frameSize > MAX_FRAME_SIZE) {
    throw new RangeError(`frameSize: expected an integer in [1, ${MAX_FRAME_SIZE}], got ${String(frameSize)}`);
  }
  if (typeof opts.keyId !== 'string' || opts.keyId.length === 0) throw new TypeError('keyId: expected a non-empty string');
  const encryptionContext = canonicalizeEncryptionContext(opts.encryptionContext);
  let total: number | undefined;
  let source: Iterable<PlainFrame> | AsyncIterable<PlainFrame>;
  if (input instanceof Uint8Array) {
    total = input.length;
    source = framesOfBytes(input, frameSize);
  } else if (isBlob(input)) {
    total = input.size;
    source = framesOfBlob(input, frameSize);
  } else if (isAsyncIterable(input)) {
    source = framesOfChunks(input, frameSize);
  } else {
    throw new TypeError('input: expected Uint8Array, Blob or AsyncIterable<Uint8Array>');
  }
  if (total !== undefined && frameCount(total, frameSize) > MAX_FRAMES) throw new RangeError('input: too many frames for this frameSize');
  const messageId = (opts.random ?? randomBytes)(MESSAGE_ID_LENGTH);
  assert(messageId instanceof Uint8Array && messageId.length === MESSAGE_ID_LENGTH, 'random(16) must return 16 bytes');

  const req = { KeyId: opts.keyId, KeySpec: 'AES_256' as const };
  const dk = await kms.generateDataKey(Object.keys(encryptionContext).length > 0 ? { ...req, EncryptionContext: encryptionContext } : req);
  const key = await importDataKey(backend, dk.Plaintext);
  const header = { keyId: dk.KeyId, encryptedDataKey: dk.CiphertextBlob, encryptionContext, frameSize, messageId };
  const headerHash = await backend.sha256(encodeEnvelopeHeader(header));

  const frames: Uint8Array[] = [];
  const queue: { sealed: Promise<Uint8Array>; length: number; isFinal: boolean }[] = [];
  let started = 0; // plaintext bytes handed to the cipher
  let done = 0; // plaintext bytes whose frame is finished
  const finishOne = async (): Promise<void> => {
    const f = queue.shift()!;
    frames.push(await f.sealed);
    done += f.length;
    opts.onProgress?.(done, f.isFinal ? done : total);
  };
  for await (const f of source) {
    const seq = frames.length + queue.length + 1;
    if (seq > MAX_FRAMES) throw new RangeError('input: too many frames for this frameSize');
    started += f.plaintext.length;
    const sealed = backend.aesGcmEncrypt(key, frameIv(seq), f.plaintext, frameAad(messageId, headerHash, seq, f.isFinal, started));
    sealed.catch(() => undefined); // awaited in order below; this only silences "unhandled" while queued
    queue.push({ sealed, length: f.plaintext.length, isFinal: f.isFinal });
    if (queue.length >= IN_FLIGHT) await finishOne();
  }
  while (queue.length > 0) await finishOne();

  return {
    format: ENVELOPE_FORMAT,
    version: ENVELOPE_VERSION,
    algorithm: ENVELOPE_ALGORITHM,
    ...header,
    frames,
    plaintextLength: done,
  };
}

/**
 * Decrypts an envelope frame by frame, yielding each frame's plaintext in order once its tag has
 * verified. Whole-message checks (no frame dropped after the last one yielded, the final frame
 * marked final) complete only when the generator finishes: do not act on the output until it has
 * returned without throwing. Throws `InvalidCiphertextException` naming the failed check.
 */
export async function* decryptEnvelopeFrames(
  kms: DataKeyKms,
  backend: CryptoBackend,
  env: Envelope,
  opts: DecryptEnvelopeOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const problem = envelopeProblem(env);
  if (problem) throw invalid(`Envelope is malformed: ${problem}.`);
  const ctx = env.encryptionContext;
  const req = { CiphertextBlob: env.encryptedDataKey, KeyId: opts.keyId ?? env.keyId };
  const dk = await kms.decrypt(Object.keys(ctx).length > 0 ? { ...req, EncryptionContext: { ...ctx } } : req);
  if (dk.KeyId !== env.keyId) {
    if (dk.Plaintext instanceof Uint8Array) dk.Plaintext.fill(0);
    throw invalid('The envelope keyId does not name the KMS key that decrypted its data key.');
  }
  const key = await importDataKey(backend, dk.Plaintext);
  const headerHash = await backend.sha256(encodeEnvelopeHeader(env));
  const n = env.frames.length;
  const open = (i: number, isFinal: boolean) =>
    backend.aesGcmDecrypt(key, frameIv(i + 1), env.frames[i]!, frameAad(env.messageId, headerHash, i + 1, isFinal, env.plaintextLength));

  const queue: Promise<Uint8Array>[] = [];
  let next = 0;
  let done = 0;
  const refill = () => {
    while (queue.length < IN_FLIGHT && next < n) {
      const p = open(next, next === n - 1);
      p.catch(() => undefined); // awaited in order below
      queue.push(p);
      next++;
    }
  };
  for (let i = 0; i < n; i++) {
    refill();
    let plaintext: Uint8Array;
    try {
      plaintext = await queue.shift()!;
    } catch (e) {
      if (e instanceof AuthenticationError) throw await explainFrameFailure(open, i, n);
      throw e;
    }
    done += plaintext.length;
    opts.onProgress?.(done, env.plaintextLength);
    yield plaintext;
  }
}

/** Names the likeliest cause of frame i's tag failure; one extra decrypt, on the failure path only. */
async function explainFrameFailure(open: (i: number, isFinal: boolean) => Promise<Uint8Array>, i: number, n: number): Promise<Error> {
  if (i === n - 1) {
    try {
      (await open(i, false)).fill(0);
      return invalid(`Envelope is truncated: its last frame (${n}) is not the final frame of the message.`);
    } catch {
      // not a truncation; fall through to the general message
    }
  }
  return invalid(
    `Frame ${i + 1} of ${n} failed authentication: the frame was modified, reordered or taken from another envelope, or the envelope header (key id, encrypted data key, encryption context, frame size) was changed.`,
  );
}

/**
 * Decrypts a whole envelope into one new array of `plaintextLength` bytes, writing each verified
 * frame in place. Throws `InvalidCiphertextException` naming the failed check; KMS errors from
 * Decrypt pass through. The join costs one copy into fresh memory (about a quarter of the
 * throughput in Chromium on 64 MB, see bench/README.md): for large payloads iterate
 * `decryptEnvelopeFrames` and hand the frames to a Blob or stream instead.
 */
export async function decryptEnvelope(
  kms: DataKeyKms,
  backend: CryptoBackend,
  env: Envelope,
  opts: DecryptEnvelopeOptions = {},
): Promise<Uint8Array> {
  const problem = envelopeProblem(env);
  if (problem) throw invalid(`Envelope is malformed: ${problem}.`);
  const out = new Uint8Array(env.plaintextLength);
  let at = 0;
  try {
    for await (const frame of decryptEnvelopeFrames(kms, backend, env, opts)) {
      out.set(frame, at);
      at += frame.length;
    }
  } catch (e) {
    out.fill(0); // do not leave verified-but-partial plaintext behind in a half-filled array
    throw e;
  }
  return out;
}
