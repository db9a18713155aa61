/**
 * `key` records (model.ts KeyRecord): validator and the `kms.key` migration sequence (STYLE §5, §7).
 *
 * Field formats follow kms-semantics.md §1.1 (KeyState), §3.2 (Description 0–8192 chars,
 * RotationPeriodInDays 90–2560, PendingWindowInDays), §5 (ids and ARNs), §8 (rotation). The
 * validator checks storage invariants only; operation rules (which states allow what, the 7–30
 * day window ScheduleKeyDeletion accepts) belong to the operations and lifecycle layers.
 */
import { EXPIRATION_MODELS, KEY_SPECS, KEY_STATES, KEY_USAGES, ORIGINS, type KeyRecord } from '../../model';
import { keyArn, type AccountId, type KeyId, type Region } from '../../ids';
import { bool, int, literal, nullable, oneOf, recordValidator, str, time } from './check';
import { accountIdFormat, hex64, keyArnFormat, keyIdFormat, regionFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/**
 * Named versions of `kms.key` (append-only).
 * - version 1 (`AddKeyZoo`, issue 7): multiRegionKeyType, customKeyStoreId, xksKeyId,
 *   expirationModel, validTo, stateAfter, stateChangeAt — all null for the single-Region AWS_KMS
 *   keys that existed before.
 */
export const keyVersions = { AddKeyZoo: 1 } as const;

/** Migration ids of `kms.key`, by version name. */
export const keyMigrationIds = createMigrationIds('kms.key', keyVersions);

/** The `kms.key` migration sequence. */
export const keyMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.key',
  scope: 'record',
  recordType: 'key',
  firstVersion: 0,
  migrations: [
    {
      id: keyMigrationIds.AddKeyZoo,
      up: (r) => {
        for (const f of KEY_ZOO_FIELDS) r[f] = null;
      },
    },
  ],
});

/** The fields `kms.key/1` added (null on every key made before it). */
const KEY_ZOO_FIELDS = ['multiRegionKeyType', 'customKeyStoreId', 'xksKeyId', 'expirationModel', 'validTo', 'stateAfter', 'stateChangeAt'] as const;

/** Validates a `key` record of the current version. */
export const validateKeyRecord = recordValidator<KeyRecord>(
  'key',
  {
    required: {
      typeName: literal('key'),
      id: keyArnFormat,
      keyId: keyIdFormat,
      accountId: accountIdFormat,
      region: regionFormat,
      creationDate: time,
      description: str({ max: 8192 }),
      keySpec: oneOf(KEY_SPECS),
      keyUsage: oneOf(KEY_USAGES),
      origin: oneOf(ORIGINS),
      keyManager: oneOf(['AWS', 'CUSTOMER']),
      keyState: oneOf(KEY_STATES),
      deletionDate: nullable(time),
      // The API model's range (§3.2); the service's 7–30 rule is ScheduleKeyDeletion's to enforce.
      pendingDeletionWindowInDays: nullable(int(1, 365)),
      currentKeyMaterialId: nullable(hex64),
      rotationEnabled: bool,
      rotationPeriodInDays: nullable(int(90, 2560)),
      nextRotationDate: nullable(time),
      onDemandRotationCount: int(0),
      multiRegionKeyType: nullable(oneOf(['PRIMARY', 'REPLICA'])),
      customKeyStoreId: nullable(str({ min: 1, max: 64 })),
      xksKeyId: nullable(str({ min: 1, max: 128 })),
      expirationModel: nullable(oneOf(EXPIRATION_MODELS)),
      validTo: nullable(time),
      stateAfter: nullable(oneOf(KEY_STATES)),
      stateChangeAt: nullable(time),
    },
  },
  (r) => {
    if (r.id !== keyArn(r.region as Region, r.accountId as AccountId, r.keyId as KeyId)) return 'key.id: expected the ARN of keyId in region and accountId';
    const isPending = r.keyState === 'PendingDeletion';
    if (isPending !== (r.deletionDate !== null)) return 'key.deletionDate: expected a date exactly while PendingDeletion';
    const isWaiting = isPending || r.keyState === 'PendingReplicaDeletion';
    if (isWaiting !== (r.pendingDeletionWindowInDays !== null)) return 'key.pendingDeletionWindowInDays: expected a value exactly while PendingDeletion or PendingReplicaDeletion';
    if (!r.rotationEnabled && r.nextRotationDate !== null) return 'key.nextRotationDate: expected null while automatic rotation is off';
    if (r.rotationEnabled && r.rotationPeriodInDays === null) return 'key.rotationPeriodInDays: expected a period while automatic rotation is on';
    if ((r.multiRegionKeyType !== null) !== r.keyId.startsWith('mrk-')) return 'key.multiRegionKeyType: expected a role exactly for mrk- key ids';
    if (r.currentKeyMaterialId === null && r.origin !== 'EXTERNAL') return 'key.currentKeyMaterialId: only an EXTERNAL key may lack material';
    return null;
  },
);
