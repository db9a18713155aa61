/**
 * The envelope worker's logic (envelope.worker.ts only wires it to `self`): encrypts a Blob into
 * an envelope and decrypts an encoded envelope with the core's envelope module, frame by frame,
 * posting progress, and asking the page for the KMS calls (see protocol.ts). Plain functions over
 * a `port`, so Node tests drive it with a fake port and no Worker.
 *
 * Memory, for a file of n bytes: encrypting reads the File one frame at a time (the envelope
 * module's Blob path) and holds the sealed frames (n) until they are packed into the result Blob
 * (n more, briefly); decrypting holds the envelope's bytes (n) and folds verified frames into a
 * growing Blob every few MB (n). About two copies either way, never the joined plaintext array.
 */
import type { CryptoBackend } from '../../kms/ports';
import { kmsError } from '../../kms/errors';
import { toBufferSource } from '../../kms/crypto';
import { decodeEnvelope, decryptEnvelopeFrames, encodeEnvelopeParts, encryptEnvelope, frameCount, type DataKeyKms, type Envelope } from '../../kms/envelope';
import {
  HEAD_BYTES,
  abortError,
  fromWireError,
  ownBytes,
  toWireError,
  type DecryptJobMessage,
  type EncryptJobMessage,
  type EnvelopeFacts,
  type FromWorkerMessage,
  type KmsProxyResponse,
  type ToWorkerMessage,
  type WorkerKmsOperation,
} from './protocol';

/** Where the worker posts (a DedicatedWorkerGlobalScope, or a fake in tests). */
export interface WorkerPort {
  postMessage(message: FromWorkerMessage, transfer?: Transferable[]): void;
}

/** Decrypted frames are folded into the output Blob whenever this many bytes are pending. */
export const FLUSH_BYTES = 8 << 20;

interface Job {
  isCancelled: boolean;
}

interface PendingCall {
  readonly jobId: number;
  resolve(response: KmsProxyResponse): void;
  reject(e: unknown): void;
}

/** The header facts the page shows (copies of the small fields, so posting them is cheap). */
export function envelopeFacts(env: Envelope): EnvelopeFacts {
  return {
    keyId: env.keyId,
    encryptedDataKey: ownBytes(env.encryptedDataKey),
    encryptionContext: { ...env.encryptionContext },
    frameSize: env.frameSize,
    frameCount: frameCount(env.plaintextLength, env.frameSize),
    plaintextLength: env.plaintextLength,
    messageId: ownBytes(env.messageId),
  };
}

/** The first `max` bytes of parts laid end to end, copied. */
function headOf(parts: readonly Uint8Array[], max = HEAD_BYTES): Uint8Array {
  const out = new Uint8Array(Math.min(max, parts.reduce((n, p) => n + p.length, 0)));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const take = p.subarray(0, out.length - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
}

/**
 * Creates the worker's message handler. `backend` does the AES-GCM (WebCrypto in the browser).
 * Returns the function to call with every message the page sends.
 */
export function createEnvelopeWorkerHandler(port: WorkerPort, backend: CryptoBackend): (message: ToWorkerMessage) => void {
  const jobs = new Map<number, Job>();
  const calls = new Map<number, PendingCall>();
  let nextCallId = 1;

  const ask = (jobId: number, operation: WorkerKmsOperation, request: Record<string, unknown>): Promise<KmsProxyResponse> =>
    new Promise((resolve, reject) => {
      if (jobs.get(jobId)?.isCancelled !== false) return reject(abortError());
      const callId = nextCallId++;
      calls.set(callId, { jobId, resolve, reject });
      port.postMessage({ type: 'kms', jobId, callId, operation, request });
    });

  /** The DataKeyKms the envelope module calls: every call goes to the page. */
  const kmsFor = (jobId: number): DataKeyKms => ({
    async generateDataKey(req) {
      const res = await ask(jobId, 'GenerateDataKey', { ...req });
      if (!(res.CiphertextBlob instanceof Uint8Array)) throw kmsError('KMSInternalException', 'GenerateDataKey returned no CiphertextBlob.');
      return { Plaintext: res.Plaintext, CiphertextBlob: res.CiphertextBlob, KeyId: res.KeyId };
    },
    async decrypt(req) {
      // A copy: the blob is a view into the whole envelope, and posting a view clones its entire buffer.
      const res = await ask(jobId, 'Decrypt', { ...req, CiphertextBlob: ownBytes(req.CiphertextBlob) });
      return { Plaintext: res.Plaintext, KeyId: res.KeyId };
    },
  });

  const checkCancelled = (job: Job) => {
    if (job.isCancelled) throw abortError();
  };

  async function encrypt(msg: EncryptJobMessage, job: Job): Promise<void> {
    const total = msg.input.size;
    const env = await encryptEnvelope(kmsFor(msg.jobId), backend, msg.input, {
      keyId: msg.keyId,
      encryptionContext: msg.encryptionContext,
      frameSize: msg.frameSize,
      onProgress: (done) => {
        checkCancelled(job);
        port.postMessage({ type: 'progress', jobId: msg.jobId, done, total });
      },
    });
    checkCancelled(job);
    const parts = encodeEnvelopeParts(env);
    const envelope = new Blob(parts);
    port.postMessage({ type: 'encrypted', jobId: msg.jobId, envelope, facts: envelopeFacts(env), head: headOf(parts) });
  }

  async function decrypt(msg: DecryptJobMessage, job: Job): Promise<void> {
    const bytes = new Uint8Array(await msg.envelope.arrayBuffer());
    checkCancelled(job);
    const decoded = decodeEnvelope(bytes);
    if (!decoded.ok) throw kmsError('InvalidCiphertextException', `The file is not a readable envelope (${decoded.reason}): ${decoded.message}.`);
    const env = decoded.value;
    let plaintext = new Blob([]);
    let pending: BlobPart[] = [];
    let pendingBytes = 0;
    let done = 0;
    let head: Uint8Array | undefined;
    for await (const frame of decryptEnvelopeFrames(kmsFor(msg.jobId), backend, env)) {
      checkCancelled(job);
      head ??= ownBytes(frame.subarray(0, HEAD_BYTES));
      pending.push(toBufferSource(frame));
      pendingBytes += frame.length;
      done += frame.length;
      if (pendingBytes >= FLUSH_BYTES) {
        plaintext = new Blob([plaintext, ...pending]);
        pending = [];
        pendingBytes = 0;
      }
      port.postMessage({ type: 'progress', jobId: msg.jobId, done, total: env.plaintextLength });
    }
    // Only now, with the generator finished, have the whole-message checks passed.
    plaintext = new Blob([plaintext, ...pending]);
    port.postMessage({ type: 'decrypted', jobId: msg.jobId, plaintext, facts: envelopeFacts(env), head: head ?? new Uint8Array(0) });
  }

  function start(msg: EncryptJobMessage | DecryptJobMessage): void {
    const job: Job = { isCancelled: false };
    jobs.set(msg.jobId, job);
    const run = msg.type === 'encrypt' ? encrypt(msg, job) : decrypt(msg, job);
    run
      .catch((e: unknown) => port.postMessage({ type: 'failed', jobId: msg.jobId, error: toWireError(job.isCancelled ? abortError() : e) }))
      .finally(() => jobs.delete(msg.jobId));
  }

  function cancel(jobId: number): void {
    const job = jobs.get(jobId);
    if (job) job.isCancelled = true;
    for (const [callId, call] of calls) {
      if (call.jobId !== jobId) continue;
      calls.delete(callId);
      call.reject(abortError());
    }
  }

  return (message) => {
    switch (message.type) {
      case 'encrypt':
      case 'decrypt':
        start(message);
        break;
      case 'cancel':
        cancel(message.jobId);
        break;
      case 'kms-result': {
        const call = calls.get(message.callId);
        if (!call) {
          if (message.ok) message.response.Plaintext.fill(0); // an answer for a cancelled job: forget its key
          break;
        }
        calls.delete(message.callId);
        if (message.ok) call.resolve(message.response);
        else call.reject(fromWireError(message.error));
        break;
      }
    }
  };
}
