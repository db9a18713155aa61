/** ReplicateKey and UpdatePrimaryRegion (§9) (issue 7; being written). */
import { notYet } from './notYet';
import type { ScheduledTransition } from '../scheduled';

export const replicateKey = notYet('ReplicateKey', false);
export const updatePrimaryRegion = notYet('UpdatePrimaryRegion', false);


/**
 * A primary in PendingReplicaDeletion whose last replica is gone starts its own waiting period:
 * PendingDeletion, DeletionDate = now + PendingDeletionWindowInDays (§9). Being written.
 */
export const replicaDeletionStarts: ScheduledTransition = {
  kind: 'primary waits no longer for replicas',
  due: () => null,
  apply: () => null,
};
