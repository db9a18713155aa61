/**
 * A tab's hold on a stored sandbox (issue 5, two tabs): its role from `TabCoordinator` as reactive
 * state for the banner, the repository and service the UI uses (`sharedRepository.ts`), and the
 * reloads that keep a reader tab's records equal to what the writer committed.
 *
 * - writer: calls run; each commit is announced to the other tabs.
 * - reader: calls are refused (`ReadOnlySandboxError`); each announced commit reloads every record
 *   from IndexedDB (reloads coalesce: one runs at a time, plus one more if commits arrived meanwhile).
 * - syncing: this tab just became the writer; calls wait for a last reload first (refused meanwhile).
 * - solo: no Web Locks (an old browser, an insecure origin): no coordination, as before issue 5.
 */
import type { KmsService } from '../../kms';
import { errorParts } from '../format';
import { guardService, READ_ONLY_MESSAGE, ReadOnlySandboxError, SwitchableRepository, type ClosableRepository, type GuardedService } from './sharedRepository';
import { CHANNEL_NAME, TabCoordinator, TAKEOVER_TIMEOUT_MS, type LockManagerLike, type TabCoordinatorOptions, type TabRole } from './tabCoordinator';

/** What the banner shows. */
export type TabStatus = 'writer' | 'reader' | 'syncing' | 'solo';

/** Loads every record of the database again (a fresh Dexie repository). */
export type Reopen = () => Promise<ClosableRepository>;

const SYNCING_MESSAGE = 'This tab is loading the latest changes before it takes over; try again in a moment.';

export class TabSession {
  /** This tab's role (reactive). */
  status = $state<TabStatus>('solo');
  /** A take-over is on its way. */
  takingOver = $state(false);
  /** Why the last reload failed (null: it did not). */
  reloadError = $state<string | null>(null);
  /** Called when another tab made a new database the active sandbox. */
  onSwitched: () => void = () => undefined;

  readonly #coordinator: TabCoordinator;
  readonly #reopen: Reopen;
  #repository: SwitchableRepository | null = null;
  #guarded: GuardedService | null = null;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping of running writes; nothing renders it
  readonly #running = new Set<Promise<unknown>>();
  #handingOver = false;
  #reloading: Promise<void> | null = null;
  #reloadAgain = false;
  #changed: (() => void)[] = [];

  constructor(
    readonly dbName: string,
    reopen: Reopen,
    env: TabCoordinatorOptions,
  ) {
    this.#reopen = reopen;
    this.#coordinator = new TabCoordinator(
      dbName,
      {
        onRoleChange: (role) => this.#onRoleChange(role),
        onRemoteCommit: () => {
          this.#wake();
          void this.reload();
        },
        onSwitched: () => this.onSwitched(),
        beforeRelease: () => this.#handOver(),
      },
      env,
    );
  }

  /** A session with the browser's Web Locks and BroadcastChannel (either may be missing). */
  static forBrowser(dbName: string, reopen: Reopen): TabSession {
    const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : undefined;
    return new TabSession(dbName, reopen, { locks, channel });
  }

  /** Takes the database's lock when free (writer), else waits in line (reader). Call before loading. */
  async start(): Promise<TabStatus> {
    const role = await this.#coordinator.start();
    this.status = role;
    return role;
  }

  /** The repository the service and the UI use, over the first loaded records. */
  attach(loaded: ClosableRepository): SwitchableRepository {
    // Commits of calls admitted before a hand-over began still go through; a reader never commits.
    this.#repository = new SwitchableRepository(loaded, () => this.#checkCommit());
    return this.#repository;
  }

  /** The service the UI uses: writes refused unless this tab writes, commits announced. */
  guard(service: KmsService): KmsService {
    this.#guarded = guardService(service, {
      check: () => this.check(),
      track: (work) => this.#track(work),
      committed: () => this.#coordinator.announceCommit(),
    });
    return this.#guarded.service;
  }

  /** Throws `ReadOnlySandboxError` when this tab may not write now. */
  check(): void {
    if (this.status === 'reader' || this.#handingOver) throw new ReadOnlySandboxError(READ_ONLY_MESSAGE);
    if (this.status === 'syncing') throw new ReadOnlySandboxError(SYNCING_MESSAGE);
  }

  #checkCommit(): void {
    if (this.status === 'reader' || this.status === 'syncing') throw new ReadOnlySandboxError(READ_ONLY_MESSAGE);
  }

  /** Resolves at the next change from another tab (a commit or a role change). */
  nextChange(): Promise<void> {
    return new Promise((resolve) => this.#changed.push(resolve));
  }

  /** Asks the writing tab to let go and becomes the writer (after loading its latest records). */
  async takeOver(): Promise<void> {
    if (this.status !== 'reader' || this.takingOver) return;
    this.takingOver = true;
    try {
      await this.#coordinator.takeOver();
    } finally {
      this.takingOver = false;
    }
  }

  /** Tells the other tabs that this tab's database is now the active sandbox (after "New sandbox"). */
  announceSwitched(): void {
    this.#coordinator.announceSwitched();
  }

  /** Loads every record again from IndexedDB (coalesced) and re-derives the views. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#reloadAgain = true;
      return this.#reloading;
    }
    const run = async (): Promise<void> => {
      do {
        this.#reloadAgain = false;
        try {
          const next = await this.#reopen();
          const trail = this.#repository?.replace(next) ?? [];
          this.reloadError = null;
          this.#guarded?.notify({ trail });
        } catch (e) {
          const { name, message } = errorParts(e);
          this.reloadError = `${name}: ${message}`;
        }
      } while (this.#reloadAgain);
    };
    this.#reloading = run().finally(() => {
      this.#reloading = null;
    });
    return this.#reloading;
  }

  /** Releases the lock, the channel and the storage. */
  dispose(): void {
    this.#coordinator.dispose();
    this.#repository?.close();
    this.#wake();
  }

  #wake(): void {
    for (const resolve of this.#changed.splice(0)) resolve();
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const done = () => void this.#running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Before the lock goes to another tab: refuse new writes, let the running ones finish. */
  async #handOver(): Promise<void> {
    this.#handingOver = true;
    await Promise.allSettled([...this.#running]);
    // If the other tab never takes the lock (it closed meanwhile), this tab writes again.
    setTimeout(() => {
      if (this.status === 'writer') this.#handingOver = false;
    }, TAKEOVER_TIMEOUT_MS * 2);
  }

  async #onRoleChange(role: TabRole): Promise<void> {
    this.#wake();
    if (role !== 'writer') {
      this.status = role;
      return;
    }
    // Promoted: first load what the previous writer committed, then accept calls.
    this.status = 'syncing';
    this.#handingOver = false;
    await this.reload();
    this.status = 'writer';
    this.#wake();
  }
}
