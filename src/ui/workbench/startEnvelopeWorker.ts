/**
 * Starts the envelope worker (its own chunk, an ES module worker: vite `worker.format: 'es'`)
 * and wraps it in an EnvelopeClient whose KMS calls run on the page through `callKms`.
 */
import { EnvelopeClient, type KmsCaller, type WorkerLike } from './envelopeClient';

/** A new worker and its client; `destroy()` the client to stop the worker. */
export function startEnvelopeWorker(callKms: KmsCaller): EnvelopeClient {
  const worker = new Worker(new URL('./envelope.worker.ts', import.meta.url), { type: 'module', name: 'envelope-worker' });
  return new EnvelopeClient(worker as unknown as WorkerLike, callKms);
}
