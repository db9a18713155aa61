/** GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (§2.2) (issue 7; being written). */
import { notYet } from './notYet';
import type { ScheduledTransition } from '../scheduled';

export const getParametersForImport = notYet('GetParametersForImport', true);
export const importKeyMaterial = notYet('ImportKeyMaterial', false);
export const deleteImportedKeyMaterial = notYet('DeleteImportedKeyMaterial', false);


/** Imported material whose ValidTo passes is deleted; the key returns to PendingImport (§1.2). Being written. */
export const importedMaterialExpiry: ScheduledTransition = {
  kind: 'imported key material expires',
  due: () => null,
  apply: () => null,
};
