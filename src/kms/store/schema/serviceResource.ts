/**
 * `serviceResource` records (model.ts ServiceResourceRecord, issue 8): validator and the
 * `kms.serviceResource` migration sequence (STYLE §5, §7). The store checks the envelope (service,
 * kind, account, Region, a JSON object of data up to 1 MiB of text); the simulated service that owns
 * the record validates its `data` when it reads it (src/services); KMS reads only workloads (kind
 * `workload`) and checks their data where it reads them (quotas.ts `workloadOf` skips an invalid
 * one), so the check and its messages stay in the lazily loaded quota module.
 */
import { SERVICE_NAMES, type ServiceResourceRecord } from '../../model';
import { jsonObject, literal, oneOf, recordValidator, str } from './check';
import { accountIdFormat, regionFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.serviceResource` (append-only). None released: version 0. */
export const serviceResourceVersions = {} as const;

/** Migration ids of `kms.serviceResource`, by version name. */
export const serviceResourceMigrationIds = createMigrationIds('kms.serviceResource', serviceResourceVersions);

/** The `kms.serviceResource` migration sequence. */
export const serviceResourceMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.serviceResource',
  scope: 'record',
  recordType: 'serviceResource',
  firstVersion: 0,
  migrations: [],
});

/** Most text a record's data may hold (an S3 object's ciphertext, base64). */
export const MAX_SERVICE_DATA_CHARS = 1_048_576;

/** Validates a `serviceResource` record of the current version. */
export const validateServiceResourceRecord = recordValidator<ServiceResourceRecord>(
  'serviceResource',
  {
    required: {
      typeName: literal('serviceResource'),
      id: str({ min: 1, max: 2048 }),
      service: oneOf(SERVICE_NAMES),
      kind: str({ min: 1, max: 64, re: /^[a-z][a-zA-Z]*$/, what: 'a resource type name' }),
      accountId: accountIdFormat,
      region: regionFormat,
      data: jsonObject,
    },
  },
  (r) => {
    if (JSON.stringify(r.data).length > MAX_SERVICE_DATA_CHARS) return `serviceResource.data: more than ${MAX_SERVICE_DATA_CHARS} characters`;
    return null;
  },
);
