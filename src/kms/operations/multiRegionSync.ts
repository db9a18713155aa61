/**
 * The part of multi-Region keys (§9) that other modules need on every call or clock step, kept
 * apart from ReplicateKey/UpdatePrimaryRegion (multiRegion.ts, loaded on first use): replicas of a
 * primary, copying shared properties to them, and a waiting primary's PendingReplicaDeletion end.
 */
import type { KeyArn } from '../ids';
import type { KeyRecord, MaterialRecord } from '../model';
import { DAY_MS, materialsOf, materialWithId, multiRegionPeers } from '../context';
import type { ScheduledTransition } from '../scheduled';
import type { UnitOfWork } from '../unitOfWork';

/** Copies of `primary`'s materials under `replicaArn` (same keyMaterialId, bytes, dates, versions). */
export function materialCopies(tx: UnitOfWork, primary: KeyRecord, replicaArn: KeyArn): MaterialRecord[] {
  return materialsOf({ tx }, primary).map((m) => materialWithId(replicaArn, m.keyMaterialId, m.material, m.createdAt, m.rotationType, m.version));
}

/**
 * The shared properties of `primary` applied to `replica` (§9): material version, rotation
 * setting and period, on-demand rotation count. Automatic rotation is scheduled on the primary only.
 */
export function synchronized(replica: KeyRecord, primary: KeyRecord): KeyRecord {
  return {
    ...replica,
    currentKeyMaterialId: primary.currentKeyMaterialId,
    rotationEnabled: primary.rotationEnabled,
    rotationPeriodInDays: primary.rotationPeriodInDays,
    nextRotationDate: null,
    onDemandRotationCount: primary.onDemandRotationCount,
  };
}

/**
 * When the deletion of the last of `primary`'s replicas completes: the latest DeletionDate among
 * them once every one is PendingDeletion; null while any replica is not scheduled for deletion.
 */
function lastReplicaDeletion(primary: KeyRecord, view: { list(type: 'key'): readonly KeyRecord[] }): number | null {
  let last: number | null = null;
  for (const r of multiRegionPeers(view, primary)) {
    if (r.keyState !== 'PendingDeletion' || r.deletionDate === null) return null;
    if (last === null || r.deletionDate > last) last = r.deletionDate;
  }
  return last;
}

/**
 * Keeps a waiting primary's `stateChangeAt` equal to the moment its last replica will be deleted
 * (null while some replica is not scheduled for deletion). Called by ScheduleKeyDeletion and
 * CancelKeyDeletion on any key of the set: the moment must be remembered because, once that
 * replica is deleted, nothing else records when it happened. A no-op unless the set's primary is
 * PendingReplicaDeletion.
 */
export function refreshReplicaWait(tx: UnitOfWork, key: KeyRecord): void {
  if (key.multiRegionKeyType === null) return;
  const current = tx.get('key', key.id) ?? key;
  const primary = [current, ...multiRegionPeers(tx, current)].find((k) => k.multiRegionKeyType === 'PRIMARY');
  if (!primary || primary.keyState !== 'PendingReplicaDeletion') return;
  const at = lastReplicaDeletion(primary, tx);
  if (at !== primary.stateChangeAt) tx.put({ ...primary, stateChangeAt: at });
}

/**
 * A primary in PendingReplicaDeletion whose last replica is gone starts its own waiting period:
 * PendingDeletion, DeletionDate = that moment + PendingDeletionWindowInDays (§9). The moment is
 * the primary's `stateChangeAt` (kept by `refreshReplicaWait`).
 */
export const replicaDeletionStarts: ScheduledTransition = {
  kind: 'primary waits no longer for replicas',
  due: (key) => (key.keyState === 'PendingReplicaDeletion' && key.multiRegionKeyType === 'PRIMARY' ? key.stateChangeAt : null),
  apply(tx, key, time) {
    const days = key.pendingDeletionWindowInDays ?? 30;
    tx.put({ ...key, keyState: 'PendingDeletion', deletionDate: time + days * DAY_MS, pendingDeletionWindowInDays: days, stateChangeAt: null });
    return null;
  },
};

/**
 * Copies the properties a multi-Region key set shares (§9: key material, all versions; automatic
 * rotation setting; on-demand rotation count) from `primary` to its replicas, in `tx`.
 * Callers: every change of shared properties on a primary (rotation, EnableKeyRotation/Disable,
 * imported material). A no-op for single-Region keys and replicas. Material of EXTERNAL-origin
 * keys is not copied: each related key imports it itself (API reference, ReplicateKey).
 */
export function propagateToReplicas(tx: UnitOfWork, primary: KeyRecord): void {
  if (primary.multiRegionKeyType !== 'PRIMARY') return;
  for (const replica of multiRegionPeers(tx, primary)) {
    if (replica.multiRegionKeyType !== 'REPLICA') continue;
    if (primary.origin === 'EXTERNAL') {
      tx.put({ ...synchronized(replica, primary), currentKeyMaterialId: replica.currentKeyMaterialId ?? primary.currentKeyMaterialId });
      continue;
    }
    for (const m of materialCopies(tx, primary, replica.id)) if (!tx.get('material', m.id)) tx.put(m);
    tx.put(synchronized(replica, primary));
  }
}

/** The related keys of `key` in other Regions (re-exported for keyDeletion.ts and the UI). */
export function replicasOf(view: { list(type: 'key'): readonly KeyRecord[] }, key: KeyRecord): KeyRecord[] {
  return key.multiRegionKeyType === 'PRIMARY' ? multiRegionPeers(view, key).filter((k) => k.multiRegionKeyType === 'REPLICA') : [];
}
