/**
 * One request to a simulated service from the Services tab (issue 8): busy while it runs, then its
 * outcome — what the service answered (a sentence), or its error — with the KMS calls the service
 * made either way (a failed S3 request carries them on its error).
 */
import { kmsCallsOfError } from './serviceError';
import type { KmsCallLike } from './kmsCalls';

/** The last request's outcome. */
export interface RequestOutcome {
  readonly operation: string;
  readonly calls: readonly KmsCallLike[];
  /** What happened, for a success. */
  readonly message: string;
  /** The service's error (a ServiceError), for a failure. */
  readonly error: unknown;
}

/** Runs requests one at a time and keeps the last outcome. */
export class ServiceRequest {
  busy = $state(false);
  outcome = $state.raw<RequestOutcome | null>(null);

  /** Runs `fn`; `describe` turns its answer into the sentence shown. Resolves to the answer, or null on failure. */
  async run<T extends { readonly kmsCalls: readonly KmsCallLike[] }>(operation: string, fn: () => Promise<T>, describe: (out: T) => string): Promise<T | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      const out = await fn();
      this.outcome = { operation, calls: out.kmsCalls, message: describe(out), error: null };
      return out;
    } catch (e) {
      this.outcome = { operation, calls: kmsCallsOfError(e), message: '', error: e };
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Shows a problem found before sending (a form check), as a failed outcome with no KMS call; ignored while a request runs (busy buttons stay focusable, aria-disabled). */
  refuse(operation: string, problem: string): void {
    if (this.busy) return;
    this.outcome = { operation, calls: [], message: '', error: Object.assign(new Error(problem), { name: 'Not sent' }) };
  }
}
