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
 *
 * Which keys rotate (§8, §1.5 footnotes 6 and 7):
 *   key                               automatic (Enable/Disable)   on demand                  GetKeyRotationStatus
 *   symmetric, AWS_KMS, customer      yes                          yes                        yes
 *   symmetric, EXTERNAL               footnote 6                   "No available key material footnote 6
 *                                                                  pending rotation" (1)
 *   asymmetric / HMAC                 Unsupported                  Unsupported                Unsupported
 *   custom key store                  Unsupported                  Unsupported                Unsupported
 *   AWS managed                       Unsupported                  Unsupported                always true
 *   multi-Region replica              Unsupported: set it on the primary (§9)                 yes
 * (1) Imported material that is PENDING_ROTATION (ImportType NEW_KEY_MATERIAL) is not simulated,
 *     so an EXTERNAL key never has material to rotate to: AWS's answer for that case.
 * Messages other than footnote 6 and (1) are ours in AWS's style (AWS's exact wording unverified).
 * Changes on a multi-Region primary (settings, new material) go to its replicas through
 * `propagateToReplicas` (§9: rotation is shared).
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import type { KeyRecord } from '../model';
import { DAY_MS, materialsOf, pageSize, paginate, type OpContext } from '../context';
import { KEY_ID, LIMIT, MARKER, validateRequest } from '../validate';
import { useManagedKey } from './common';
import { familyOf } from '../keySpecs';
import { stateError } from '../lifecycle/matrix';
import { propagateToReplicas } from './multiRegionSync';
import { rotate } from './rotate';

/** On-demand rotations per key (§3.5, §8). */
export const MAX_ON_DEMAND_ROTATIONS = 10;
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;

type RotationUse = 'automatic' | 'onDemand' | 'status' | 'list';

/**
 * Throws the AWS error when `key` cannot rotate the way `use` asks (table above). The state
 * matrix has run before (useManagedKey), so a key awaiting import is "pending import" first.
 */
function assertRotatable(key: KeyRecord, use: RotationUse): void {
  const unsupported = (why: string): never => {
    throw kmsError('UnsupportedOperationException', `${key.id} ${why}`);
  };
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    const kind = familyOf(key.keySpec) === 'hmac' ? 'an HMAC' : 'an asymmetric';
    unsupported(`is ${kind} KMS key (KeySpec ${key.keySpec}): automatic and on-demand key rotation are supported only on symmetric encryption KMS keys.`);
  }
  if (key.customKeyStoreId !== null || key.origin === 'AWS_CLOUDHSM' || key.origin === 'EXTERNAL_KEY_STORE') {
    unsupported(`is in a custom key store (origin ${key.origin}): KMS cannot rotate key material it does not hold.`);
  }
  if (key.keyManager !== 'CUSTOMER' && use !== 'status' && use !== 'list') {
    unsupported('is an AWS managed key: KMS rotates it every year, and its rotation cannot be changed.');
  }
  if (key.origin === 'EXTERNAL') {
    if (use === 'onDemand') throw kmsError('KMSInvalidStateException', `No available key material pending rotation for the key: ${key.id}.`);
    // Symmetric keys with imported material can list their materials (they rotate on demand, §8).
    if (use !== 'list') throw stateError(6, key.id, key.keyState);
  }
  if (key.multiRegionKeyType === 'REPLICA' && (use === 'automatic' || use === 'onDemand')) {
    unsupported('is a multi-Region replica key: key rotation of related multi-Region keys is set and performed on their primary key.');
  }
}

/** Shares a primary's new rotation settings or material with its replicas (§9). */
function shareWithReplicas(ctx: Pick<OpContext, 'tx'>, key: KeyRecord): void {
  if (key.multiRegionKeyType === 'PRIMARY') propagateToReplicas(ctx.tx, key);
}

export const enableKeyRotation: Operation = {
  name: 'EnableKeyRotation',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, RotationPeriodInDays: { type: 'integer', min: 90, max: 2560 } });
    const period = (req.RotationPeriodInDays as number | undefined) ?? DEFAULT_ROTATION_PERIOD_DAYS;
    const key = useManagedKey(ctx, req.KeyId as string, { conditions: { 'kms:rotationperiodindays': [String(period)] } });
    assertRotatable(key, 'automatic');
    let next = ctx.now + period * DAY_MS;
    if (key.rotationEnabled && key.nextRotationDate !== null && key.rotationPeriodInDays !== null) {
      const base = key.nextRotationDate - key.rotationPeriodInDays * DAY_MS;
      next = Math.max(base + period * DAY_MS, ctx.now);
    }
    const updated: KeyRecord = { ...key, rotationEnabled: true, rotationPeriodInDays: period, nextRotationDate: next };
    ctx.tx.put(updated);
    shareWithReplicas(ctx, updated);
    return {};
  },
};

export const disableKeyRotation: Operation = {
  name: 'DisableKeyRotation',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    assertRotatable(key, 'automatic');
    const updated: KeyRecord = { ...key, rotationEnabled: false, nextRotationDate: null };
    ctx.tx.put(updated);
    shareWithReplicas(ctx, updated);
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
    assertRotatable(key, 'status');
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
    assertRotatable(key, 'onDemand');
    if (key.onDemandRotationCount >= MAX_ON_DEMAND_ROTATIONS) {
      throw kmsError('LimitExceededException', `The on-demand rotations limit has been reached for the given key: ${key.id}. A key can be rotated on demand at most ${MAX_ON_DEMAND_ROTATIONS} times.`);
    }
    rotate(ctx, key, 'ON_DEMAND');
    return { KeyId: key.id };
  },
};


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
    assertRotatable(key, 'list');
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
