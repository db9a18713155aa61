/**
 * App wiring: opens the sandbox stored in IndexedDB (or a temporary in-memory one), builds the
 * KMS service over it (WebCrypto backend, wall clock, CloudTrail recorder), and seeds a ready
 * sandbox on first visit. Which database is "the" sandbox is remembered in localStorage, so a new
 * sandbox never requires deleting the old one: a refused sandbox is kept as it is (a newer app
 * version may still read it), and a working one is deleted only when the user confirmed.
 */
import { openSandboxService, webCryptoBackend, type Repository } from '../kms';
import { createMemoryRepository, deleteDexieSandbox, openDexieRepository } from '../kms/store';
import { toTrailRecord } from '../trail';
import { errorParts } from './format';
import { SandboxState } from './sandbox.svelte';
import { seedSandbox } from './seed';

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

/** A sandbox ready to show, or why there is none. */
export type OpenResult = { readonly ok: true; readonly sandbox: SandboxState } | OpenFailure;

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

/** Makes a fresh, empty database the active sandbox (the old database is left alone). */
export function switchToNewDatabase(): void {
  storage()?.setItem(ACTIVE_KEY, `${DEFAULT_DB_NAME}-${Date.now().toString(36)}`);
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
  });
  if (repository.list('trailEvent').length === 0) await seedSandbox(service);
  return new SandboxState(service, repository, { dbName, close });
}

function failure(e: unknown, isStorageError: boolean): OpenFailure {
  const { name, message } = errorParts(e);
  return { ok: false, reason: name, message, isStorageError };
}

/** Opens (and on first visit seeds) the active sandbox. Never throws: failures are results. */
export async function openStoredSandbox(): Promise<OpenResult> {
  const dbName = activeDbName();
  const opened = await openDexieRepository(dbName);
  if (!opened.ok) {
    return { ok: false, reason: opened.reason, message: opened.detail, isStorageError: opened.reason === 'storage-failed' };
  }
  const repo = opened.value;
  try {
    return { ok: true, sandbox: await openService(repo, dbName, () => repo.close()) };
  } catch (e) {
    repo.close();
    return failure(e, false);
  }
}

/** A sandbox that lives in memory only (when IndexedDB is unavailable); lost on reload. */
export async function openTemporarySandbox(): Promise<OpenResult> {
  try {
    return { ok: true, sandbox: await openService(createMemoryRepository(), MEMORY_DB_NAME, () => undefined) };
  } catch (e) {
    return failure(e, false);
  }
}
