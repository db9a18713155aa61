/**
 * Entry of the envelope worker: local AES-GCM for the workbench off the page's thread, so a
 * 200 MB file does not freeze the page. The logic is in envelopeWorker.ts; KMS calls go back to
 * the page (protocol.ts).
 */
import { webCryptoBackend } from '../../kms/crypto';
import { createEnvelopeWorkerHandler, type WorkerPort } from './envelopeWorker';
import type { ToWorkerMessage } from './protocol';

const scope = self as unknown as WorkerPort & { onmessage: ((e: MessageEvent<ToWorkerMessage>) => void) | null };
const handle = createEnvelopeWorkerHandler(scope, webCryptoBackend);
scope.onmessage = (e) => handle(e.data);
