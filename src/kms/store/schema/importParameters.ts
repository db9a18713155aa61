/**
 * `importParameters` records (model.ts ImportParametersRecord, issue 7): validator and the
 * `kms.importParameters` migration sequence (STYLE §5, §7). One per GetParametersForImport call,
 * valid for 24 sandbox hours (kms-semantics.md §2.2). The private key is simulated HSM content:
 * details never include it.
 */
import type { ImportParametersRecord } from '../../model';
import { bytesBetween, literal, recordValidator, str, time } from './check';
import { keyArnFormat } from './formats';
import { bytesToHex } from '../../crypto';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.importParameters` (append-only). None released: version 0. */
export const importParametersVersions = {} as const;

/** Migration ids of `kms.importParameters`, by version name. */
export const importParametersMigrationIds = createMigrationIds('kms.importParameters', importParametersVersions);

/** The `kms.importParameters` migration sequence. */
export const importParametersMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.importParameters',
  scope: 'record',
  recordType: 'importParameters',
  firstVersion: 0,
  migrations: [],
});

/** Validates an `importParameters` record of the current version. */
export const validateImportParametersRecord = recordValidator<ImportParametersRecord>(
  'importParameters',
  {
    required: {
      typeName: literal('importParameters'),
      id: (v, path) => (typeof v === 'string' ? null : `${path}: expected a string`),
      keyArn: keyArnFormat,
      importToken: bytesBetween(16, 4096),
      wrappingAlgorithm: str({ min: 1, max: 64 }),
      wrappingKeySpec: str({ min: 1, max: 64 }),
      privateKey: bytesBetween(16, 16384),
      parametersValidTo: time,
    },
  },
  (r) => (r.id === `${r.keyArn}#${bytesToHex(r.importToken as Uint8Array)}` ? null : 'importParameters.id: expected `<keyArn>#<hex of importToken>`'),
);
