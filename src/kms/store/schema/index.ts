/**
 * Public surface of `kms/store/schema` (STYLE §5, §7): record validators, migration sequences, the
 * one migrator and JSON-safe snapshots. No Dexie here, so `share` and `lessons` may import it.
 */
export { FAILURE_REASONS, ok, fail, type FailureReason, type Result } from './result';
export {
  allMigrationIds,
  createMigrationIds,
  currentVersion,
  defineMigrationSequence,
  parseMigrationId,
  schemaOf,
  type MigrationId,
  type MigrationRegistry,
  type MigrationSequence,
  type RecordMigration,
  type RecordMigrationSequence,
  type SerializedSchema,
  type StoreMigration,
  type StoreMigrationSequence,
  type UnknownRecord,
} from './migrations';
export { CURRENT_SCHEMA, KMS_REGISTRY, KMS_SEQUENCES, RECORD_VALIDATORS, UNIQUE_FIELDS, validateRecord } from './records';
export { migrateSnapshot, parseSerializedSchema, type MigratableSnapshot } from './migrate';
export { base64ToBytes, bytesToBase64, fromJsonSnapshot, toJsonSnapshot, type JsonSnapshot } from './json';
export { isBytes, isPlainObject } from './check';
export { validateKeyRecord, keyVersions, keyMigrationIds, keyMigrations } from './key';
export { validateCustomKeyStoreRecord, customKeyStoreMigrationIds, customKeyStoreMigrations } from './customKeyStore';
export { validateImportParametersRecord, importParametersMigrationIds, importParametersMigrations } from './importParameters';
export { validateServiceResourceRecord, serviceResourceMigrationIds, serviceResourceMigrations } from './serviceResource';
export { validateMaterialRecord, materialVersions, materialMigrationIds, materialMigrations, MATERIAL_MIN_BYTES, MATERIAL_MAX_BYTES } from './material';
export { validateAliasRecord, aliasVersions, aliasMigrationIds, aliasMigrations } from './alias';
export { validateTagRecord, tagVersions, tagMigrationIds, tagMigrations } from './tag';
export { validatePolicyRecord, policyVersions, policyMigrationIds, policyMigrations } from './policy';
export { validateTrailEventRecord, trailEventVersions, trailEventMigrationIds, trailEventMigrations } from './trailEvent';
export { validateClockRecord, clockVersions, clockMigrationIds, clockMigrations } from './clock';
export { validateMetaRecord, metaVersions, metaMigrationIds, metaMigrations } from './meta';
export { validateAccountRecord, accountVersions, accountMigrationIds, accountMigrations } from './account';
export { validatePrincipalRecord, principalVersions, principalMigrationIds, principalMigrations } from './principal';
export { validateIdentityPolicyRecord, identityPolicyVersions, identityPolicyMigrationIds, identityPolicyMigrations } from './identityPolicy';
export { validateGrantRecord, grantVersions, grantMigrationIds, grantMigrations } from './grant';
export { validateLogEntry, validateLogEntryRecord, logEntryVersions, logEntryMigrationIds, logEntryMigrations, secretValueAt, isRedacted, redactSecrets } from './logEntry';
export { storeVersions, storeMigrationIds, storeMigrations } from './store';
export { defaultWorldAtStore1 } from './frozenWorld';
