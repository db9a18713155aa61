/**
 * Public surface of `kms/store` (STYLE §1, §7): the in-memory and Dexie repositories, plus the
 * schema (validators, migrations, JSON snapshots). Layers that must not load Dexie (share,
 * lessons) import `kms/store/schema` instead.
 */
export { createMemoryRepository, RecordTables } from './memory';
export {
  deleteDexieSandbox,
  openDexieRepository,
  type DexieRepository,
  type OpenFailureReason,
  type OpenOptions,
  type OpenResult,
} from './dexie';
export * from './schema/index';
