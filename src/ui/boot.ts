/**
 * App wiring: opens the sandbox stored in IndexedDB (or a temporary in-memory one), builds the
 * KMS service over it (WebCrypto backend, wall clock, CloudTrail recorder), and seeds a ready
 * sandbox on first visit. Which database is "the" sandbox is remembered in localStorage, so a new
 * sandbox never requires deleting the old one: a refused sandbox is kept as it is (a newer app
 * version may still read it), and a working one is deleted only when the user confirmed.
 *
 * A stored sandbox may be open in several tabs: the first one writes, the others are read-only
 * and follow its commits (`tabs/tabSession.svelte.ts`). The lock is taken before the records are
 * loaded, so a writer always starts from what the previous writer committed.
 */
import { openSandboxService, webCryptoBackend, type Repository } from '../kms';
import { createMemoryRepository, deleteDexieSandbox, openDexieRepository } from '../kms/store';
import { toTrailRecord } from '../trail';
import { errorParts } from './format';
import { SandboxState } from './sandbox.svelte';
import { copyRecords } from './share/replay';
import { seedSandbox } from './seed';
import { TabSession } from './tabs/tabSession.svelte';

/** Database of the first sandbox. */
export const DEFAULT_DB_NAME = 'kms-playground';
/** Pseudo database name of a temporary (in-memory) sandbox. */
export const MEMORY_DB_NAME = '(temporary, not saved)';
const ACTIVE_KEY = 'kms-playground.sandbox';

/** Why opening failed, for the error panel. */
export interface OpenFailure {
  readonly ok: false;
  /** The store's failure reason (`version-too-new`, `invalid-record`, `storage-failed`, ...) or an error name. */
  readonly reason: string;
  readonly message: string;
  /** True when IndexedDB itself failed (rather than the stored sandbox being refused). */
  readonly isStorageError: boolean;
}

/**
 * A sandbox ready to show (with its tab session when it is stored: null for a temporary one), or
 * why there is none.
 */
export type OpenResult = { readonly ok: true; readonly sandbox: SandboxState; readonly tabs: TabSession | null } | OpenFailure;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The database of the sandbox to open. */
export function activeDbName(): string {
  return storage()?.getItem(ACTIVE_KEY) ?? DEFAULT_DB_NAME;
}

/** A database name no sandbox uses yet. */
export function newDatabaseName(): string {
  return `${DEFAULT_DB_NAME}-${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

/** Makes a fresh, empty database the active sandbox (the old database is left alone). */
export function switchToNewDatabase(): void {
  switchToDatabase(newDatabaseName());
}

/** Makes `dbName` the active sandbox (opened by the next `openStoredSandbox`). */
export function switchToDatabase(dbName: string): void {
  try {
    storage()?.setItem(ACTIVE_KEY, dbName);
  } catch {
    // Storage refused: the active database stays as it was (callers check activeDbName()).
  }
}

/** Where a rebuilt sandbox was stored, or why it could not be. */
export type StoreResult = { readonly ok: true; readonly dbName: string } | { readonly ok: false; readonly noStorage: boolean; readonly message: string };

/**
 * Stores a rebuilt sandbox (a shared link's replay, an undo) in a NEW database and makes it the
 * active one; no other database is touched. Never throws.
 */
export async function storeAsNewDatabase(source: Repository): Promise<StoreResult> {
  const dbName = newDatabaseName();
  const opened = await openDexieRepository(dbName);
  if (!opened.ok) return { ok: false, noStorage: opened.reason === 'storage-failed', message: `${opened.reason}: ${opened.detail}` };
  try {
    await copyRecords(source, opened.value);
  } catch (e) {
    opened.value.close();
    await discardDatabase(dbName);
    return { ok: false, noStorage: false, message: errorParts(e).message };
  }
  opened.value.close();
  switchToDatabase(dbName);
  if (activeDbName() !== dbName) {
    await discardDatabase(dbName);
    return { ok: false, noStorage: true, message: 'This browser does not let the page remember which sandbox is open (localStorage), so a second sandbox cannot be kept.' };
  }
  return { ok: true, dbName };
}

/** Deletes a sandbox database the user chose to discard (its repository must be closed). */
export function discardDatabase(dbName: string): Promise<void> {
  if (dbName === MEMORY_DB_NAME) return Promise.resolve();
  // Callers need not wait: another tab may hold it open, and IndexedDB deletes it once that tab closes.
  return deleteDexieSandbox(dbName).catch(() => undefined);
}

async function openService(repository: Repository, dbName: string, close: () => void): Promise<SandboxState> {
  const service = await openSandboxService({
    repository,
    clock: { now: () => Date.now() },
    crypto: webCryptoBackend,
    recordTrail: toTrailRecord,
    // The page's sandbox runs on the wall clock: a script in the Code panel can burst past a quota.
    throttleOwnCalls: true,
  });
  if (repository.list('trailEvent').length === 0) await seedSandbox(service);
  return new SandboxState(service, repository, { dbName, close });
}

/** A stored sandbox as `tabs` allows: a reader waits until the writer created the sandbox. */
async function openShared(tabs: TabSession, repository: Repository, dbName: string): Promise<SandboxState> {
  while (tabs.status === 'syncing' || (tabs.status === 'reader' && !repository.get('meta', 'sandbox'))) {
    await tabs.nextChange();
    if (tabs.status === 'reader') await tabs.reload();
  }
  const service = tabs.guard(
    await openSandboxService({ repository, clock: { now: () => Date.now() }, crypto: webCryptoBackend, recordTrail: toTrailRecord, throttleOwnCalls: true }),
  );
  if (tabs.status !== 'reader' && repository.list('trailEvent').length === 0) await seedSandbox(service);
  return new SandboxState(service, repository, { dbName, close: () => tabs.dispose() });
}

/** Loads the records of `dbName` again (a reader following the writer, a new writer). */
async function reopen(dbName: string) {
  if (activeDbName() !== dbName) throw new Error('Another tab started a new sandbox.');
  const opened = await openDexieRepository(dbName);
  if (!opened.ok) throw new Error(`${opened.reason}: ${opened.detail}`);
  return opened.value;
}

function failure(e: unknown, isStorageError: boolean): OpenFailure {
  const { name, message } = errorParts(e);
  return { ok: false, reason: name, message, isStorageError };
}

/** Opens (and on first visit seeds) the active sandbox. Never throws: failures are results. */
export async function openStoredSandbox(): Promise<OpenResult> {
  const dbName = activeDbName();
  const tabs = TabSession.forBrowser(dbName, () => reopen(dbName));
  await tabs.start();
  const opened = await openDexieRepository(dbName);
  if (!opened.ok) {
    tabs.dispose();
    // No IndexedDB at all (private mode, disabled storage): run in memory, the banner says so.
    if (opened.reason === 'storage-failed' && !(await indexedDbWorks())) return openTemporarySandbox();
    return { ok: false, reason: opened.reason, message: opened.detail, isStorageError: opened.reason === 'storage-failed' };
  }
  try {
    return { ok: true, sandbox: await openShared(tabs, tabs.attach(opened.value), dbName), tabs };
  } catch (e) {
    tabs.dispose();
    return failure(e, false);
  }
}

/**
 * Whether this browser lets the page use IndexedDB at all: opens (and deletes) a probe database.
 * False when `indexedDB` is missing or refuses (private mode, storage disabled by policy).
 */
async function indexedDbWorks(): Promise<boolean> {
  const PROBE = 'kms-playground.probe';
  try {
    const factory = globalThis.indexedDB;
    if (!factory) return false;
    return await new Promise<boolean>((resolve) => {
      const req = factory.open(PROBE);
      req.onsuccess = () => {
        req.result.close();
        factory.deleteDatabase(PROBE);
        resolve(true);
      };
      req.onerror = () => resolve(false);
      req.onblocked = () => resolve(true);
    });
  } catch {
    return false;
  }
}

/**
 * A sandbox that lives in memory only (when IndexedDB is unavailable); lost on reload. `records`:
 * a rebuilt sandbox to open this way (a shared link when nothing can be stored).
 */
export async function openTemporarySandbox(records: Repository = createMemoryRepository()): Promise<OpenResult> {
  try {
    return { ok: true, sandbox: await openService(records, MEMORY_DB_NAME, () => undefined), tabs: null };
  } catch (e) {
    return failure(e, false);
  }
}
