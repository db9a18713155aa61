/**
 * Messages between the page and the envelope worker (envelope.worker.ts).
 *
 * The worker does the local AES-GCM over large files; the KMS calls it needs (GenerateDataKey,
 * Decrypt) stay on the page, where the service runs them as the acting principal and trails them.
 * So the worker's `DataKeyKms` is a proxy: each call is a `kms` message with a `callId`, answered
 * by a `kms-result` with the same id (a small RPC). Bulk data travels as Blobs (cloned by
 * reference, not copied) and the data key's buffer is transferred, never copied.
 *
 * ```
 *   page                                   worker
 *   encrypt {jobId, file, keyId, ctx} ──▶
 *                                     ◀── kms {jobId, callId, GenerateDataKey, request}
 *   kms-result {callId, ok, response} ──▶
 *                                     ◀── progress {jobId, done, total}   (per frame)
 *                                     ◀── encrypted {jobId, envelope Blob, header facts}
 *   cancel {jobId}                    ──▶ ◀── failed {jobId, error: {name: 'AbortError'}}
 * ```
 */
import { KMS_ERROR_NAMES, kmsError, type KmsErrorName } from '../../kms/errors';

/** The two KMS operations the worker may ask for. */
export type WorkerKmsOperation = 'GenerateDataKey' | 'Decrypt';

/** An error as it crosses the worker boundary: AWS error name and message, nothing else. */
export interface WireError {
  readonly name: string;
  readonly message: string;
}

/** Page → worker: encrypt a file or typed text (as a Blob) into an envelope. */
export interface EncryptJobMessage {
  readonly type: 'encrypt';
  readonly jobId: number;
  readonly input: Blob;
  readonly keyId: string;
  readonly encryptionContext?: Record<string, string> | undefined;
  /** Plaintext bytes per frame (default: the envelope module's 1 MiB). */
  readonly frameSize?: number | undefined;
}

/** Page → worker: decrypt an encoded envelope. */
export interface DecryptJobMessage {
  readonly type: 'decrypt';
  readonly jobId: number;
  readonly envelope: Blob;
}

/** Page → worker: stop a job (it ends with a `failed` AbortError). */
export interface CancelMessage {
  readonly type: 'cancel';
  readonly jobId: number;
}

/** Page → worker: the answer to a `kms` request. */
export type KmsResultMessage =
  | { readonly type: 'kms-result'; readonly callId: number; readonly ok: true; readonly response: KmsProxyResponse }
  | { readonly type: 'kms-result'; readonly callId: number; readonly ok: false; readonly error: WireError };

/** What the page answers to GenerateDataKey / Decrypt (AWS response members the envelope needs). */
export interface KmsProxyResponse {
  readonly Plaintext: Uint8Array;
  readonly CiphertextBlob?: Uint8Array;
  readonly KeyId: string;
}

export type ToWorkerMessage = EncryptJobMessage | DecryptJobMessage | CancelMessage | KmsResultMessage;

/** Facts of an envelope header, small enough to show (the encrypted data key is ~200 bytes). */
export interface EnvelopeFacts {
  readonly keyId: string;
  readonly encryptedDataKey: Uint8Array;
  readonly encryptionContext: Record<string, string>;
  readonly frameSize: number;
  readonly frameCount: number;
  readonly plaintextLength: number;
  readonly messageId: Uint8Array;
}

/** Worker → page: call KMS for this job. */
export interface KmsRequestMessage {
  readonly type: 'kms';
  readonly jobId: number;
  readonly callId: number;
  readonly operation: WorkerKmsOperation;
  readonly request: Record<string, unknown>;
}

/** Worker → page: bytes of plaintext done so far. */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly jobId: number;
  readonly done: number;
  readonly total: number;
}

/** Worker → page: the envelope is ready. `head` is the first bytes of the encoded envelope. */
export interface EncryptedMessage {
  readonly type: 'encrypted';
  readonly jobId: number;
  readonly envelope: Blob;
  readonly facts: EnvelopeFacts;
  readonly head: Uint8Array;
}

/** Worker → page: the plaintext is ready and every frame verified. `head` is its first bytes. */
export interface DecryptedMessage {
  readonly type: 'decrypted';
  readonly jobId: number;
  readonly plaintext: Blob;
  readonly facts: EnvelopeFacts;
  readonly head: Uint8Array;
}

/** Worker → page: the job failed or was cancelled (name `AbortError`). */
export interface FailedMessage {
  readonly type: 'failed';
  readonly jobId: number;
  readonly error: WireError;
}

export type FromWorkerMessage = KmsRequestMessage | ProgressMessage | EncryptedMessage | DecryptedMessage | FailedMessage;

/** Bytes of each preview (`head`) the worker sends back. */
export const HEAD_BYTES = 256;

/** The `{ name, message }` of any thrown value (KmsErrors keep their AWS name). */
export function toWireError(e: unknown): WireError {
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message };
  return { name: 'Error', message: String(e) };
}

/**
 * The thrown value for a wire error: a KmsError when the name is an AWS error name (so the
 * envelope module and the UI treat it as KMS's answer), else an Error carrying the name.
 */
export function fromWireError(w: WireError): Error {
  if ((KMS_ERROR_NAMES as readonly string[]).includes(w.name)) return kmsError(w.name as KmsErrorName, w.message);
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

/** True for the error a cancelled job ends with. */
export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/** An AbortError (what a cancelled job fails with). */
export function abortError(): Error {
  const e = new Error('The job was cancelled.');
  e.name = 'AbortError';
  return e;
}

/** A copy of `bytes` in its own, exactly sized ArrayBuffer (so posting it never drags a larger buffer along). */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}
