/**
 * The encrypt/decrypt workbench's state for the page session (STYLE §13: a rune class): the
 * input (typed text or a chosen file), the encryption context rows, the direct-mode blob, the
 * running envelope job with its progress, and the recent results (kept in memory only, never
 * stored). Envelope jobs run in the worker; their KMS calls run here through `sandbox.call`, as
 * the acting principal, and the local steps are announced on `sandbox.activity` after the trail
 * record of the call they follow.
 */
import type { AwsShape, Repository } from '../../kms';
import type { ActivityBus, LocalActivity } from '../activity';
import { formatSize, toHex, type ByteEncoding } from './bytes';
import type { ContextEntry } from './context';
import type { EnvelopeClient, KmsCaller } from './envelopeClient';
import { decryptedFileName, envelopeFileName } from './naming';
import { isAbortError, type EnvelopeFacts, type WorkerKmsOperation } from './protocol';

/** What the workbench needs of SandboxState. */
export interface WorkbenchSandbox {
  call(operation: string, request: AwsShape): Promise<AwsShape>;
  readonly repository: Repository;
  readonly activity: Pick<ActivityBus, 'publish'>;
}

/** An envelope made in this session. */
export interface EnvelopeResult {
  readonly kind: 'envelope';
  readonly id: number;
  /** Download name (`<input>.kmsenv`). */
  readonly fileName: string;
  readonly envelope: Blob;
  readonly facts: EnvelopeFacts;
  /** First bytes of the encoded envelope. */
  readonly head: Uint8Array;
  /** The plaintext data key GenerateDataKey returned, hex: shown on purpose, then forgotten by the code. */
  readonly dataKeyHex: string | null;
  /** Trail eventID of the GenerateDataKey call. */
  readonly eventId: string | undefined;
}

/** A decrypted file made in this session. */
export interface DecryptedResult {
  readonly kind: 'decrypted';
  readonly id: number;
  readonly fileName: string;
  readonly plaintext: Blob;
  readonly facts: EnvelopeFacts;
  readonly head: Uint8Array;
  /** Trail eventID of the Decrypt call. */
  readonly eventId: string | undefined;
}

export type WorkbenchResult = EnvelopeResult | DecryptedResult;

/** The envelope job on screen (running, or the last one finished). */
export interface JobView {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly status: 'running' | 'done' | 'failed' | 'cancelled';
}

/** Results kept (oldest dropped); each holds a Blob the size of its file. */
export const MAX_RESULTS = 8;

/** Starts the worker client; injected so tests can run without a Worker. */
export type ClientFactory = (callKms: KmsCaller) => EnvelopeClient;

export class WorkbenchSession {
  mode = $state<'direct' | 'envelope'>('direct');
  encoding = $state<ByteEncoding>('hex');
  text = $state('Hello, KMS!');
  file = $state.raw<File | null>(null);
  contextRows = $state<ContextEntry[]>([]);
  /** Direct mode: the CiphertextBlob field (base64). */
  ciphertext = $state('');
  results = $state.raw<readonly WorkbenchResult[]>([]);
  job = $state.raw<JobView | null>(null);
  error = $state.raw<unknown>(null);

  readonly #sandbox: WorkbenchSandbox;
  readonly #startClient: ClientFactory;
  #client: EnvelopeClient | null = null;
  #cancel: (() => void) | null = null;
  #nextId = 1;
  /** Per running job: the last KMS call's trail eventID and returned data key (hex). */
  #lastEventId: string | undefined;
  #lastDataKeyHex: string | null = null;

  constructor(sandbox: WorkbenchSandbox, startClient: ClientFactory) {
    this.#sandbox = sandbox;
    this.#startClient = startClient;
  }

  /** True while an envelope job runs. */
  get isBusy(): boolean {
    return this.job?.status === 'running';
  }

  /** The input as bytes to encrypt: the chosen file, else the typed text (UTF-8). */
  inputBlob(): Blob {
    return this.file ?? new Blob([new TextEncoder().encode(this.text)]);
  }

  /** Envelope-encrypts the input under `keyId` with `context`. */
  async encryptEnvelope(keyId: string, context: Record<string, string> | undefined): Promise<void> {
    const input = this.inputBlob();
    const name = this.file?.name;
    await this.#run(`Encrypting ${name ?? 'the text'}`, input.size, (client, onProgress) => {
      const job = client.encrypt(input, { keyId, encryptionContext: context, onProgress });
      return { cancel: job.cancel, done: job.done.then((r) => this.#envelopeDone(r, envelopeFileName(name))) };
    });
  }

  /** Decrypts an envelope (one made here, or a file the learner chose). */
  async decryptEnvelope(envelope: Blob, fileName: string | undefined): Promise<void> {
    await this.#run(`Decrypting ${fileName ?? 'the envelope'}`, envelope.size, (client, onProgress) => {
      const job = client.decrypt(envelope, onProgress);
      return { cancel: job.cancel, done: job.done.then((r) => this.#decryptedDone(r, decryptedFileName(fileName), envelope.size)) };
    });
  }

  /** Stops the running job (it ends as "cancelled"). */
  cancel(): void {
    this.#cancel?.();
  }

  /** Forgets one result (frees its Blob). */
  remove(id: number): void {
    this.results = this.results.filter((r) => r.id !== id);
  }

  /** Stops the worker (the workbench is going away). */
  destroy(): void {
    this.#client?.destroy();
    this.#client = null;
  }

  async #run(
    label: string,
    total: number,
    start: (client: EnvelopeClient, onProgress: (done: number, total: number) => void) => { cancel(): void; done: Promise<void> },
  ): Promise<void> {
    if (this.isBusy) return;
    this.error = null;
    this.#lastEventId = undefined;
    this.#lastDataKeyHex = null;
    this.job = { label, done: 0, total, status: 'running' };
    this.#client ??= this.#startClient((op, req) => this.#callKms(op, req));
    const job = start(this.#client, (done, t) => {
      if (this.job?.status === 'running') this.job = { label, done, total: t, status: 'running' };
    });
    this.#cancel = job.cancel;
    try {
      await job.done;
      this.job = { label, done: this.job.total, total: this.job.total, status: 'done' };
    } catch (e) {
      const isCancelled = isAbortError(e);
      this.job = { ...this.job, status: isCancelled ? 'cancelled' : 'failed' };
      if (!isCancelled) this.error = e;
    } finally {
      this.#cancel = null;
      this.#lastDataKeyHex = null;
    }
  }

  /** Answers the worker: the call runs as the acting principal and is trailed. */
  async #callKms(operation: WorkerKmsOperation, request: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      const res = await this.#sandbox.call(operation, request as AwsShape);
      const key = res['Plaintext'];
      // Shown on purpose (the simulation teaches what a data key is); the client zeroes the array next.
      if (operation === 'GenerateDataKey') this.#lastDataKeyHex = key instanceof Uint8Array ? toHex(key) : null;
      return res;
    } finally {
      this.#lastEventId = newestEventId(this.#sandbox.repository, operation);
    }
  }

  #envelopeDone(r: { envelope: Blob; facts: EnvelopeFacts; head: Uint8Array }, fileName: string): void {
    const eventId = this.#lastEventId;
    this.#add({ kind: 'envelope', id: this.#nextId++, fileName, envelope: r.envelope, facts: r.facts, head: r.head, dataKeyHex: this.#lastDataKeyHex, eventId });
    const frames = `${r.facts.frameCount} frame${r.facts.frameCount === 1 ? '' : 's'}`;
    this.#publish('encrypt-locally', `AES-256-GCM encrypted ${formatSize(r.facts.plaintextLength)} locally with the data key (${frames})`, r.facts.plaintextLength, eventId);
    this.#publish('forget-data-key', 'Forgot the plaintext data key: the page and the worker zeroed their copies', undefined, eventId);
    this.#publish('store-envelope', `Stored the envelope (${formatSize(r.envelope.size)}): ciphertext frames, encrypted data key, context`, r.envelope.size, eventId);
  }

  #decryptedDone(r: { plaintext: Blob; facts: EnvelopeFacts; head: Uint8Array }, fileName: string, envelopeSize: number): void {
    const eventId = this.#lastEventId;
    this.#add({ kind: 'decrypted', id: this.#nextId++, fileName, plaintext: r.plaintext, facts: r.facts, head: r.head, eventId });
    this.#publish('load-envelope', `Loaded the envelope (${formatSize(envelopeSize)}) and sent its encrypted data key to Decrypt`, envelopeSize, eventId);
    this.#publish('decrypt-locally', `AES-256-GCM decrypted and verified ${formatSize(r.facts.plaintextLength)} locally`, r.facts.plaintextLength, eventId);
    this.#publish('forget-data-key', 'Forgot the plaintext data key: the page and the worker zeroed their copies', undefined, eventId);
  }

  #add(r: WorkbenchResult): void {
    this.results = [r, ...this.results].slice(0, MAX_RESULTS);
  }

  #publish(step: LocalActivity['step'], label: string, bytes: number | undefined, afterEventId: string | undefined): void {
    this.#sandbox.activity.publish({
      kind: 'local',
      step,
      label,
      at: Date.now(),
      ...(bytes === undefined ? {} : { bytes }),
      ...(afterEventId === undefined ? {} : { afterEventId }),
    });
  }
}

/** The eventID of the newest trail record, when it is the named operation (the call just made). */
export function newestEventId(repository: Repository, operation: string): string | undefined {
  const trail = repository.list('trailEvent'); // in seq order (Repository.list)
  const newest = trail[trail.length - 1];
  return newest?.record.eventName === operation ? newest.id : undefined;
}
