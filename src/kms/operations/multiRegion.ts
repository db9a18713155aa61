/** ReplicateKey and UpdatePrimaryRegion (§9) (issue 7; being written). */
import { notYet } from './notYet';
import type { ScheduledTransition } from '../scheduled';
import type { UnitOfWork } from '../unitOfWork';
import type { KeyRecord } from '../model';

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

/**
 * Copies the properties a multi-Region key set shares (§9: key material, all versions; automatic
 * rotation setting and schedule; origin, spec, usage) from `primary` to its replicas, in `tx`.
 * Callers: every change of shared properties on a primary (rotation, EnableKeyRotation/Disable,
 * imported material). A no-op for single-Region keys. Being written.
 */
export function propagateToReplicas(tx: UnitOfWork, primary: KeyRecord): void {
  void tx;
  void primary;
}
