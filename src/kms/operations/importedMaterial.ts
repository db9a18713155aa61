/**
 * Imported key material (§1.2) as time passes: when ValidTo passes, the material is deleted and
 * the key returns to PendingImport (a DeleteExpiredKeyMaterial service event). Kept apart from the
 * import operations (importKeyMaterial.ts, loaded on first use): the service asks on every call.
 */
import type { KeyRecord } from '../model';
import type { ScheduledTransition } from '../scheduled';
import type { UnitOfWork } from '../unitOfWork';

/**
 * Deletes a key's imported material and leaves it PendingImport (PendingDeletion keys keep their
 * state, §1.2). The key keeps `currentKeyMaterialId`, so only the same material imports again.
 */
export function removeMaterial(tx: UnitOfWork, key: KeyRecord): KeyRecord {
  for (const m of tx.list('material')) if (m.keyArn === key.id) tx.delete('material', m.id);
  const pendingDeletion = key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion';
  const next: KeyRecord = { ...key, keyState: pendingDeletion ? key.keyState : 'PendingImport', expirationModel: null, validTo: null };
  tx.put(next);
  return next;
}

/** Imported material whose ValidTo passes is deleted; the key returns to PendingImport (§1.2). */
export const importedMaterialExpiry: ScheduledTransition = {
  kind: 'imported key material expires',
  due: (key) => (key.origin === 'EXTERNAL' && key.expirationModel === 'KEY_MATERIAL_EXPIRES' && key.validTo !== null ? key.validTo : null),
  apply(tx, key) {
    removeMaterial(tx, key);
    return 'DeleteExpiredKeyMaterial';
  },
};
