/**
 * A rotation of a key's material (§8), automatic or on demand: kept apart from the rotation
 * operations (rotation.ts, loaded on first use) because the service rotates keys as time passes.
 */
import type { KeyRecord } from '../model';
import { materialsOf, newMaterial, type OpContext } from '../context';
import { propagateToReplicas } from './multiRegionSync';

/** Adds new current material to `key` (both rotation kinds). */
export function rotate(ctx: Pick<OpContext, 'tx' | 'random'>, key: KeyRecord, type: 'AUTOMATIC' | 'ON_DEMAND', at?: number): KeyRecord {
  const when = at ?? (ctx as OpContext).now;
  const material = newMaterial(ctx.random, key.id, when, type, materialsOf(ctx, key).length);
  const next: KeyRecord = {
    ...key,
    currentKeyMaterialId: material.keyMaterialId,
    onDemandRotationCount: key.onDemandRotationCount + (type === 'ON_DEMAND' ? 1 : 0),
  };
  ctx.tx.put(material);
  ctx.tx.put(next);
  // On-demand and automatic rotations of a primary reach its replicas (§9: rotation is shared).
  if (next.multiRegionKeyType === 'PRIMARY') propagateToReplicas(ctx.tx, next);
  return next;
}
