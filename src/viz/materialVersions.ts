/**
 * Material version numbers for the animation. CloudTrail records name the material by
 * `keyMaterialId` only; the version (0 = the key's original material, n = the n-th rotation) is in
 * the repository's material records, which the UI passes in. Only ids and versions are read:
 * the material bytes never reach viz.
 */
import type { MaterialRecord } from '../kms';

/** A `materialVersion` lookup for `buildSteps` over the given material records. */
export function materialVersionLookup(
  materials: readonly Pick<MaterialRecord, 'keyArn' | 'keyMaterialId' | 'version'>[],
): (keyArn: string, keyMaterialId: string) => number | undefined {
  const byId = new Map<string, number>();
  for (const m of materials) byId.set(`${m.keyArn}/${m.keyMaterialId}`, m.version);
  return (keyArn, keyMaterialId) => byId.get(`${keyArn}/${keyMaterialId}`);
}
