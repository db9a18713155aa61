/**
 * The timeline's preview (issue 6): the replayed sandbox at step k, read-only. Every call, clock
 * move and IAM edit is refused before it starts, with a message saying how to act again.
 */
import type { KmsService } from '../../kms';
import { guardService, ReadOnlySandboxError } from '../tabs/sharedRepository';

export const PREVIEW_MESSAGE = 'You are previewing the sandbox\'s history, which is read-only. Choose "Back to now", or "Restore to here" to continue from this step.';

/** `service` with every write refused (`ReadOnlySandboxError`). */
export function readOnlyPreview(service: KmsService): KmsService {
  return guardService(service, {
    check: () => {
      throw new ReadOnlySandboxError(PREVIEW_MESSAGE);
    },
    track: (work) => work,
    committed: () => undefined,
  }).service;
}
