/**
 * EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand and
 * ListKeyRotations (§8).
 *
 * Automatic rotation: symmetric keys with KMS-made material only; period 90–2560 days (default
 * 365); the first rotation is one period after enabling; changing the period of an enabled key
 * moves the next date to (last rotation or enabling) + new period, at once when that has passed.
 * The rotation itself happens when the sandbox clock reaches NextRotationDate (service.ts).
 * On-demand rotation: immediate, does not move the automatic schedule, at most 10 per key (what
 * AWS was seen enforcing; the guide says 25, §8).
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import type { KeyRecord } from '../model';
import { DAY_MS, materialsOf, newMaterial, pageSize, paginate, type OpContext } from '../context';
import { KEY_ID, LIMIT, MARKER, validateRequest } from '../validate';
import { useManagedKey } from './common';

/** On-demand rotations per key (§3.5, §8). */
export const MAX_ON_DEMAND_ROTATIONS = 10;
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/** Footnote 7: only symmetric keys with AWS_KMS material rotate. */
function assertRotatable(key: KeyRecord): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.origin !== 'AWS_KMS' || key.keyManager !== 'CUSTOMER') {
    throw kmsError('UnsupportedOperationException', `${key.id} does not support automatic or on-demand rotation (only symmetric customer managed keys with AWS_KMS key material do).`);
  }
}

export const enableKeyRotation: Operation = {
  name: 'EnableKeyRotation',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, RotationPeriodInDays: { type: 'integer', min: 90, max: 2560 } });
    const period = (req.RotationPeriodInDays as number | undefined) ?? DEFAULT_ROTATION_PERIOD_DAYS;
    const key = useManagedKey(ctx, req.KeyId as string, { conditions: { 'kms:rotationperiodindays': [String(period)] } });
    assertRotatable(key);
    let next = ctx.now + period * DAY_MS;
    if (key.rotationEnabled && key.nextRotationDate !== null && key.rotationPeriodInDays !== null) {
      const base = key.nextRotationDate - key.rotationPeriodInDays * DAY_MS;
      next = Math.max(base + period * DAY_MS, ctx.now);
    }
    ctx.tx.put({ ...key, rotationEnabled: true, rotationPeriodInDays: period, nextRotationDate: next });
    return {};
  },
};

export const disableKeyRotation: Operation = {
  name: 'DisableKeyRotation',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    assertRotatable(key);
    ctx.tx.put({ ...key, rotationEnabled: false, nextRotationDate: null });
    return {};
  },
};

export const getKeyRotationStatus: Operation = {
  name: 'GetKeyRotationStatus',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    // AWS managed keys always report true (they rotate yearly, §8); other non-rotatable keys are refused.
    if (key.keyManager !== 'AWS') assertRotatable(key);
    // While pending deletion AWS reports false; the setting comes back on cancel (§1.2).
    const pending = key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion';
    const enabled = key.rotationEnabled && !pending;
    const out: Record<string, unknown> = { KeyRotationEnabled: enabled, KeyId: key.id };
    if (enabled && key.rotationPeriodInDays !== null) out.RotationPeriodInDays = key.rotationPeriodInDays;
    if (enabled && key.nextRotationDate !== null) out.NextRotationDate = new Date(key.nextRotationDate);
    return out;
  },
};

export const rotateKeyOnDemand: Operation = {
  name: 'RotateKeyOnDemand',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    assertRotatable(key);
    if (key.onDemandRotationCount >= MAX_ON_DEMAND_ROTATIONS) {
      throw kmsError('LimitExceededException', `The on-demand rotations limit has been reached for the given key: ${key.id}. A key can be rotated on demand at most ${MAX_ON_DEMAND_ROTATIONS} times.`);
    }
    rotate(ctx, key, 'ON_DEMAND');
    return { KeyId: key.id };
  },
};

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
  return next;
}

export const listKeyRotations: Operation = {
  name: 'ListKeyRotations',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      IncludeKeyMaterial: { type: 'enum', values: ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] },
      Limit: LIMIT,
      Marker: MARKER,
    });
    const key = useManagedKey(ctx, req.KeyId as string);
    assertRotatable(key);
    const all = req.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
    const materials = materialsOf(ctx, key).filter((m) => all || m.rotationType !== null);
    const { page, ...rest } = paginate(materials, (m) => m.keyMaterialId, pageSize(req.Limit, 100, 1000), req.Marker as string | undefined);
    return {
      Rotations: page.map((m) => ({
        KeyId: key.keyId,
        KeyMaterialId: m.keyMaterialId,
        KeyMaterialState: m.keyMaterialId === key.currentKeyMaterialId ? 'CURRENT' : 'NON_CURRENT',
        ...(m.rotationType ? { RotationDate: new Date(m.createdAt), RotationType: m.rotationType } : {}),
      })),
      ...rest,
    };
  },
};
