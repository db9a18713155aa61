/**
 * The page's side of the envelope worker: starts jobs, reports their progress, and answers the
 * worker's KMS requests with the caller's `callKms` (in the app: `sandbox.call`, so the calls are
 * authorized and trailed as the acting principal). The data key KMS returns is copied into its
 * own buffer, transferred to the worker (not copied again), and the page's copy is zeroed.
 */
import {
  abortError,
  fromWireError,
  ownBytes,
  toWireError,
  type DecryptedMessage,
  type EncryptedMessage,
  type FromWorkerMessage,
  type KmsProxyResponse,
  type ToWorkerMessage,
  type WorkerKmsOperation,
} from './protocol';

/** What the client needs of a Worker (a real one, or a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorkerMessage, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<FromWorkerMessage>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Runs one KMS operation for the worker; resolves with the AWS response or rejects as KMS did. */
export type KmsCaller = (operation: WorkerKmsOperation, request: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A running job. */
export interface EnvelopeJob<T> {
  readonly jobId: number;
  /** Resolves with the result; rejects with the KmsError, the envelope error, or an AbortError. */
  readonly done: Promise<T>;
  /** Asks the worker to stop; `done` then rejects with an AbortError. */
  cancel(): void;
}

/** Options of an encrypt job. */
export interface EncryptJobOptions {
  readonly keyId: string;
  readonly encryptionContext?: Record<string, string> | undefined;
  readonly frameSize?: number | undefined;
  /** Called with plaintext bytes done and the total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

interface Running {
  resolve(value: EncryptedMessage | DecryptedMessage): void;
  reject(e: unknown): void;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export class EnvelopeClient {
  readonly #worker: WorkerLike;
  readonly #callKms: KmsCaller;
  readonly #running = new Map<number, Running>();
  #nextJobId = 1;

  constructor(worker: WorkerLike, callKms: KmsCaller) {
    this.#worker = worker;
    this.#callKms = callKms;
    worker.onmessage = (e) => this.#receive(e.data);
    worker.onerror = (e) => this.#failAll(new Error(`The envelope worker failed: ${e.message || 'it could not start'}.`));
  }

  /** Encrypts `input` (a File, or typed text as a Blob) into an envelope in the worker. */
  encrypt(input: Blob, options: EncryptJobOptions): EnvelopeJob<EncryptedMessage> {
    return this.#start<EncryptedMessage>(
      (jobId) => ({ type: 'encrypt', jobId, input, keyId: options.keyId, encryptionContext: options.encryptionContext, frameSize: options.frameSize }),
      options.onProgress,
    );
  }

  /** Decrypts an encoded envelope in the worker (streaming, frame by frame). */
  decrypt(envelope: Blob, onProgress?: (done: number, total: number) => void): EnvelopeJob<DecryptedMessage> {
    return this.#start<DecryptedMessage>((jobId) => ({ type: 'decrypt', jobId, envelope }), onProgress);
  }

  /** Stops the worker; running jobs reject with an AbortError. */
  destroy(): void {
    this.#failAll(abortError());
    this.#worker.terminate();
  }

  #start<T extends EncryptedMessage | DecryptedMessage>(
    message: (jobId: number) => ToWorkerMessage,
    onProgress: ((done: number, total: number) => void) | undefined,
  ): EnvelopeJob<T> {
    const jobId = this.#nextJobId++;
    const done = new Promise<T>((resolve, reject) => {
      this.#running.set(jobId, { resolve: resolve as Running['resolve'], reject, onProgress });
    });
    this.#worker.postMessage(message(jobId));
    return { jobId, done, cancel: () => this.#worker.postMessage({ type: 'cancel', jobId }) };
  }

  #receive(msg: FromWorkerMessage): void {
    const job = this.#running.get(msg.jobId);
    switch (msg.type) {
      case 'kms':
        void this.#answer(msg.callId, msg.operation, msg.request);
        break;
      case 'progress':
        job?.onProgress?.(msg.done, msg.total);
        break;
      case 'encrypted':
      case 'decrypted':
        this.#running.delete(msg.jobId);
        job?.resolve(msg);
        break;
      case 'failed':
        this.#running.delete(msg.jobId);
        job?.reject(fromWireError(msg.error));
        break;
    }
  }

  async #answer(callId: number, operation: WorkerKmsOperation, request: Record<string, unknown>): Promise<void> {
    let response: KmsProxyResponse;
    try {
      const res = await this.#callKms(operation, request);
      const plaintext = res['Plaintext'];
      if (!(plaintext instanceof Uint8Array)) throw new TypeError(`${operation} returned no Plaintext.`);
      const blob = res['CiphertextBlob'];
      response = {
        Plaintext: ownBytes(plaintext),
        ...(blob instanceof Uint8Array ? { CiphertextBlob: ownBytes(blob) } : {}),
        KeyId: String(res['KeyId']),
      };
      plaintext.fill(0); // the page forgets the data key; the worker gets the only copy
    } catch (e) {
      this.#worker.postMessage({ type: 'kms-result', callId, ok: false, error: toWireError(e) });
      return;
    }
    this.#worker.postMessage({ type: 'kms-result', callId, ok: true, response }, [response.Plaintext.buffer as ArrayBuffer]);
  }

  #failAll(e: unknown): void {
    const jobs = [...this.#running.values()];
    this.#running.clear();
    for (const j of jobs) j.reject(e);
  }
}
