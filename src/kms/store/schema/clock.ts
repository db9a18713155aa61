/**
 * The `clock` record (model.ts ClockRecord): validator and the `kms.clock` migration sequence
 * (STYLE §5, §7). The offset only grows (KmsService.advanceClock takes ms ≥ 0).
 */
import type { ClockRecord } from '../../model';
import { int, literal, recordValidator } from './check';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.clock` (append-only). None released: model.ts ClockRecord is version 0. */
export const clockVersions = {} as const;

/** Migration ids of `kms.clock`, by version name. */
export const clockMigrationIds = createMigrationIds('kms.clock', clockVersions);

/** The `kms.clock` migration sequence. */
export const clockMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.clock',
  scope: 'record',
  recordType: 'clock',
  firstVersion: 0,
  migrations: [],
});

/** Validates the `clock` record of the current version. */
export const validateClockRecord = recordValidator<ClockRecord>('clock', {
  required: { typeName: literal('clock'), id: literal('clock'), offsetMs: int(0) },
});
