/**
 * `material` records (model.ts MaterialRecord): validator and the `kms.material` migration
 * sequence (STYLE §5, §7). One record per version of a key's material, kept until the key is
 * deleted (kms-semantics.md §8). The material is simulated HSM content: details never include it.
 */
import type { MaterialRecord } from '../../model';
import { bytesBetween, int, literal, nullable, oneOf, recordValidator, time } from './check';
import { hex64, keyArnFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.material` (append-only). None released: model.ts MaterialRecord is version 0. */
export const materialVersions = {} as const;

/** Migration ids of `kms.material`, by version name. */
export const materialMigrationIds = createMigrationIds('kms.material', materialVersions);

/** The `kms.material` migration sequence. */
export const materialMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.material',
  scope: 'record',
  recordType: 'material',
  firstVersion: 0,
  migrations: [],
});

/**
 * Bounds of stored material: a 16-byte imported key (the smallest HMAC_224 import) up to a DER
 * PKCS#8 ML-DSA-87 private key (under 8 KiB). The key spec decides the exact form (model.ts).
 */
export const MATERIAL_MIN_BYTES = 16;
export const MATERIAL_MAX_BYTES = 16384;

/** Validates a `material` record of the current version. */
export const validateMaterialRecord = recordValidator<MaterialRecord>(
  'material',
  {
    required: {
      typeName: literal('material'),
      id: (v, path) => (typeof v === 'string' ? null : `${path}: expected a string`),
      keyArn: keyArnFormat,
      keyMaterialId: hex64,
      material: bytesBetween(MATERIAL_MIN_BYTES, MATERIAL_MAX_BYTES),
      createdAt: time,
      version: int(0),
      rotationType: nullable(oneOf(['AUTOMATIC', 'ON_DEMAND'])),
    },
  },
  (r) => (r.id === `${r.keyArn}/${r.keyMaterialId}` ? null : 'material.id: expected `<keyArn>/<keyMaterialId>`'),
);
