/**
 * Key changes that happen as sandbox time passes (§1.1, §1.2, §9), besides automatic rotation and
 * completed deletions (which service.ts applies itself): each kind says when it is next due for a
 * key and applies itself into the catching-up transaction. The service applies every due change in
 * time order, before a call and when the clock advances, exactly as it does rotations.
 */
import type { KmsServiceEvent } from './events';
import type { KeyRecord } from './model';
import type { UnitOfWork } from './unitOfWork';
import { importedMaterialExpiry } from './operations/importedMaterial';
import { replicaDeletionStarts } from './operations/multiRegionSync';

/** Records a scheduled change may read (the catching-up transaction, or the repository). */
export interface RecordView {
  list(type: 'key'): readonly KeyRecord[];
}

export interface ScheduledTransition {
  /** For people and tests. */
  readonly kind: string;
  /** When the change is next due for `key` (ms on the sandbox clock), or null. */
  due(key: KeyRecord, view: RecordView): number | null;
  /** Applies the change at `time`; returns the CloudTrail service event to write, or null. */
  apply(tx: UnitOfWork, key: KeyRecord, time: number): KmsServiceEvent['eventName'] | null;
}

/** A transient state (Creating after ReplicateKey, Updating during UpdatePrimaryRegion) ends (§1.1). */
export const transientStateEnds: ScheduledTransition = {
  kind: 'transient state ends',
  due: (key) => ((key.keyState === 'Creating' || key.keyState === 'Updating') && key.stateChangeAt !== null ? key.stateChangeAt : null),
  apply(tx, key) {
    tx.put({ ...key, keyState: key.stateAfter ?? 'Enabled', stateAfter: null, stateChangeAt: null });
    return null;
  },
};

/** Every scheduled change besides rotation and deletion. */
export const SCHEDULED_TRANSITIONS: readonly ScheduledTransition[] = [transientStateEnds, importedMaterialExpiry, replicaDeletionStarts];
