/**
 * The KMS schema: every record type's validator and migration sequence in one registry, the
 * `validateRecord` dispatcher, and `CURRENT_SCHEMA` (STYLE §5, §7).
 *
 * Versioning decision: the record shapes of model.ts as first released are **version 0** of their
 * sequences (tldraw's convention: a sequence's version counts the migrations applied), so the first
 * migration of a sequence will be `kms.<type>/1`. `schemaVersion` (the format of the serialized
 * schema object itself) is 1.
 */
import type { AnyRecord, TypeName } from '../../model';
import { isPlainObject } from './check';
import { validateAccountRecord, accountMigrations } from './account';
import { validateGrantRecord, grantMigrations } from './grant';
import { validateIdentityPolicyRecord, identityPolicyMigrations } from './identityPolicy';
import { validateAliasRecord, aliasMigrations } from './alias';
import { validateClockRecord, clockMigrations } from './clock';
import { validateCustomKeyStoreRecord, customKeyStoreMigrations } from './customKeyStore';
import { validateImportParametersRecord, importParametersMigrations } from './importParameters';
import { validateKeyRecord, keyMigrations } from './key';
import { validateServiceResourceRecord, serviceResourceMigrations } from './serviceResource';
import { validateLogEntryRecord, logEntryMigrations } from './logEntry';
import { validateMaterialRecord, materialMigrations } from './material';
import { validateMetaRecord, metaMigrations } from './meta';
import { schemaOf, type MigrationRegistry, type MigrationSequence, type SerializedSchema } from './migrations';
import { validatePolicyRecord, policyMigrations } from './policy';
import { validatePrincipalRecord, principalMigrations } from './principal';
import { fail, type Result } from './result';
import { storeMigrations } from './store';
import { validateTagRecord, tagMigrations } from './tag';
import { validateTrailEventRecord, trailEventMigrations } from './trailEvent';

/** The validator of each record type. */
export const RECORD_VALIDATORS: { readonly [T in TypeName]: (r: unknown) => Result<Extract<AnyRecord, { typeName: T }>, 'invalid-record'> } = {
  key: validateKeyRecord,
  material: validateMaterialRecord,
  alias: validateAliasRecord,
  tag: validateTagRecord,
  policy: validatePolicyRecord,
  trailEvent: validateTrailEventRecord,
  clock: validateClockRecord,
  meta: validateMetaRecord,
  account: validateAccountRecord,
  principal: validatePrincipalRecord,
  identityPolicy: validateIdentityPolicyRecord,
  grant: validateGrantRecord,
  logEntry: validateLogEntryRecord,
  customKeyStore: validateCustomKeyStoreRecord,
  importParameters: validateImportParametersRecord,
  serviceResource: validateServiceResourceRecord,
};

/**
 * Validates any record of the current schema: dispatches on `typeName`. Never throws; a failure
 * is `invalid-record` with a detail naming the field (never its value).
 */
export function validateRecord(r: unknown): Result<AnyRecord, 'invalid-record'> {
  try {
    if (!isPlainObject(r)) return fail('invalid-record', 'record: expected an object');
    const typeName = r.typeName;
    if (typeof typeName !== 'string' || !Object.hasOwn(RECORD_VALIDATORS, typeName)) return fail('invalid-record', 'record.typeName: unknown record type');
    return RECORD_VALIDATORS[typeName as TypeName](r);
  } catch (e) {
    return fail('invalid-record', `record: unreadable (${e instanceof Error ? e.name : typeof e})`);
  }
}

/** Every KMS migration sequence: `kms.store` first, then one per record type. */
export const KMS_SEQUENCES: readonly MigrationSequence[] = [
  storeMigrations,
  keyMigrations,
  materialMigrations,
  aliasMigrations,
  tagMigrations,
  policyMigrations,
  trailEventMigrations,
  clockMigrations,
  metaMigrations,
  accountMigrations,
  principalMigrations,
  identityPolicyMigrations,
  grantMigrations,
  logEntryMigrations,
  customKeyStoreMigrations,
  importParametersMigrations,
  serviceResourceMigrations,
];

/**
 * Fields whose values are unique among the records of a type, besides `id`: the unique indexes of
 * the Dexie layout (`&seq`, `&accessKeyId`). `migrateSnapshot` refuses a snapshot that breaks one,
 * so an import is refused as `invalid-record` rather than failing later inside IndexedDB.
 */
export const UNIQUE_FIELDS: Readonly<Partial<Record<TypeName, readonly string[]>>> = {
  trailEvent: ['seq'],
  principal: ['accessKeyId'],
};

/** The registry `migrateSnapshot` uses by default. */
export const KMS_REGISTRY: MigrationRegistry = { sequences: KMS_SEQUENCES, validate: validateRecord, uniqueFields: UNIQUE_FIELDS };

/** The schema current code writes: every sequence at its latest version. */
export const CURRENT_SCHEMA: SerializedSchema = schemaOf(KMS_REGISTRY);
