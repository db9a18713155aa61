/**
 * `customKeyStore` records (model.ts CustomKeyStoreRecord, issue 7): validator and the
 * `kms.customKeyStore` migration sequence (STYLE §5, §7). CustomKeyStoreId `cks-` + 17 hex digits,
 * CustomKeyStoreName 1–256 characters (kms-semantics.md §2; API model constraints).
 */
import { CONNECTION_STATES, CUSTOM_KEY_STORE_TYPES, type CustomKeyStoreRecord } from '../../model';
import { jsonObject, literal, nullable, oneOf, recordValidator, str, time } from './check';
import { accountIdFormat, regionFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.customKeyStore` (append-only). None released: version 0. */
export const customKeyStoreVersions = {} as const;

/** Migration ids of `kms.customKeyStore`, by version name. */
export const customKeyStoreMigrationIds = createMigrationIds('kms.customKeyStore', customKeyStoreVersions);

/** The `kms.customKeyStore` migration sequence. */
export const customKeyStoreMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.customKeyStore',
  scope: 'record',
  recordType: 'customKeyStore',
  firstVersion: 0,
  migrations: [],
});

/** Validates a `customKeyStore` record of the current version. */
export const validateCustomKeyStoreRecord = recordValidator<CustomKeyStoreRecord>(
  'customKeyStore',
  {
    required: {
      typeName: literal('customKeyStore'),
      id: str({ min: 21, max: 21, re: /^cks-[0-9a-f]{17}$/, what: 'cks- and 17 hex digits' }),
      accountId: accountIdFormat,
      region: regionFormat,
      name: str({ min: 1, max: 256 }),
      customKeyStoreType: oneOf(CUSTOM_KEY_STORE_TYPES),
      connectionState: oneOf(CONNECTION_STATES),
      connectionErrorCode: nullable(str({ min: 1, max: 64 })),
      creationDate: time,
      cloudHsmClusterId: nullable(str({ min: 1, max: 64 })),
      trustAnchorCertificate: nullable(str({ min: 1, max: 5000 })),
      xksProxyConfiguration: nullable(jsonObject),
    },
  },
  (r) => ((r.customKeyStoreType === 'AWS_CLOUDHSM') === (r.cloudHsmClusterId !== null) ? null : 'customKeyStore.cloudHsmClusterId: expected exactly for AWS_CLOUDHSM stores'),
);
