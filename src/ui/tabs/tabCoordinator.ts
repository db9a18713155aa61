/**
 * Who may write a sandbox database when it is open in several tabs (issue 5, "two tabs stay
 * consistent, or the second one says it is read-only").
 *
 * One tab is the writer: it holds an exclusive Web Lock named after the database
 * (`navigator.locks`, https://w3c.github.io/web-locks/). Every other tab is a reader: it queues a
 * request for the same lock (so it becomes the writer by itself when the writer's tab closes) and
 * follows the writer's commits, announced on a BroadcastChannel.
 *
 * Taking over (a reader's "Take over" button):
 *
 *   reader B                              writer A
 *   post release-request  ───────────▶    stops accepting calls, waits for the running ones
 *                         ◀───────────    post released (A still holds the lock, writes nothing)
 *   abort its queued request,
 *   request the lock with steal: true ─▶  A's lock request rejects (AbortError): A is a reader,
 *   B is the writer                       queues a new request behind the others
 *
 * Stealing (rather than A releasing) hands the lock to B and not to another queued reader. If A
 * does not answer (a frozen tab), B steals after `TAKEOVER_TIMEOUT_MS` anyway; A learns it lost
 * the lock from the rejection. The coordinator only decides roles; what a role means for the
 * sandbox (refusing calls, reloading) is `tabSession.svelte.ts`'s business.
 */

/** The part of `navigator.locks` (LockManager) used here. */
export interface LockManagerLike {
  request(
    name: string,
    options: { mode?: 'exclusive'; ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown>;
}

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** This tab's role for one database. `solo`: no Web Locks in this browser, no coordination. */
export type TabRole = 'writer' | 'reader' | 'solo';

/** Messages between the tabs of one origin (all tabs share one channel; `db` scopes them). */
export type TabMessage =
  | { readonly type: 'committed'; readonly db: string; readonly from: string }
  | { readonly type: 'release-request'; readonly db: string; readonly from: string }
  | { readonly type: 'released'; readonly db: string; readonly from: string; readonly to: string }
  | { readonly type: 'switched'; readonly db: string; readonly from: string };

/** Name of the BroadcastChannel every tab of the app joins. */
export const CHANNEL_NAME = 'kms-playground.tabs';
/** How long a taking-over tab waits for the writer to finish its running calls before stealing. */
export const TAKEOVER_TIMEOUT_MS = 3000;
/**
 * How long a starting tab waits in line before it settles for reading. After a reload, the
 * previous document of the same tab may hold the lock a moment longer (Chromium releases it
 * asynchronously); the tab should not flash "read-only" for that.
 */
export const STARTUP_GRACE_MS = 400;

/** The Web Lock name of a database. */
export function lockName(dbName: string): string {
  return `kms-playground.db:${dbName}`;
}

function isTabMessage(data: unknown): data is TabMessage {
  const m = data as Partial<TabMessage> | null;
  return typeof m === 'object' && m !== null && typeof m.type === 'string' && typeof m.db === 'string' && typeof m.from === 'string';
}

/** What the coordinator tells its owner. */
export interface TabEvents {
  /** The role changed (not called for the initial role, which `start` returns). */
  onRoleChange(role: TabRole): void;
  /** Another tab committed to this database. */
  onRemoteCommit(): void;
  /** Another tab made a different database the active sandbox (new sandbox). */
  onSwitched(): void;
  /** Before this writer lets another tab take over: stop accepting calls, resolve when the running ones ended. */
  beforeRelease(): Promise<void>;
}

export interface TabCoordinatorOptions {
  readonly locks: LockManagerLike | undefined;
  readonly channel: ChannelLike | undefined;
  /** This tab's id in messages (random by default). */
  readonly id?: string;
  readonly takeoverTimeoutMs?: number;
  readonly startupGraceMs?: number;
}

/** Coordinates one database between the tabs of this origin. */
export class TabCoordinator {
  readonly id: string;
  #role: TabRole = 'solo';
  #disposed = false;
  /** Aborts the queued (not yet granted) request of a reader. */
  #waiting: AbortController | null = null;
  /** Releases the held lock (resolves the lock callback's promise). */
  #release: (() => void) | null = null;
  /** Bumped for each request: a settled request that is no longer current is ignored. */
  #generation = 0;
  #pendingTakeover: ((released: boolean) => void) | null = null;
  /** During `start`, role changes are the initial role, not events. */
  #starting = false;
  #promoted: (() => void) | null = null;

  constructor(
    readonly dbName: string,
    private readonly events: TabEvents,
    private readonly options: TabCoordinatorOptions,
  ) {
    this.id = options.id ?? Math.random().toString(36).slice(2);
    options.channel?.addEventListener('message', (e) => this.#onMessage(e.data));
  }

  get role(): TabRole {
    return this.#role;
  }

  /** Takes the lock when it is free (writer), else queues for it (reader). */
  async start(): Promise<TabRole> {
    if (!this.options.locks) return (this.#role = 'solo');
    const got = await this.#request({ ifAvailable: true });
    if (got) return (this.#role = 'writer');
    this.#role = 'reader';
    this.#starting = true;
    const promoted = new Promise<void>((resolve) => (this.#promoted = resolve));
    this.#queue();
    await Promise.race([promoted, new Promise((resolve) => setTimeout(resolve, this.options.startupGraceMs ?? STARTUP_GRACE_MS))]);
    this.#starting = false;
    this.#promoted = null;
    return this.#role;
  }

  /** A reader asks the writer to let go, then takes the lock (see the header). Resolves when this tab writes. */
  async takeOver(): Promise<void> {
    if (this.#role !== 'reader' || this.#disposed) return;
    const released = new Promise<boolean>((resolve) => {
      this.#pendingTakeover = resolve;
      setTimeout(() => resolve(false), this.options.takeoverTimeoutMs ?? TAKEOVER_TIMEOUT_MS);
    });
    this.#post({ type: 'release-request', db: this.dbName, from: this.id });
    await released;
    this.#pendingTakeover = null;
    if (this.#role !== 'reader' || this.#disposed) return; // promoted meanwhile (the writer closed)
    this.#waiting?.abort();
    this.#waiting = null;
    if (await this.#request({ steal: true })) this.#setRole('writer');
  }

  /** The writer tells the readers it committed. */
  announceCommit(): void {
    this.#post({ type: 'committed', db: this.dbName, from: this.id });
  }

  /** Tells the other tabs that a new database is the active sandbox. */
  announceSwitched(): void {
    this.#post({ type: 'switched', db: this.dbName, from: this.id });
  }

  /** Lets go of the lock (or the queued request) and the channel. */
  dispose(): void {
    this.#disposed = true;
    this.#generation++;
    this.#waiting?.abort();
    this.#release?.();
    this.#waiting = null;
    this.#release = null;
    this.options.channel?.close();
  }

  #post(message: TabMessage): void {
    try {
      this.options.channel?.postMessage(message);
    } catch {
      // A closed channel (the tab is going away): nothing to tell.
    }
  }

  #setRole(role: TabRole): void {
    if (this.#role === role || this.#disposed) return;
    this.#role = role;
    if (this.#starting) return this.#promoted?.();
    this.events.onRoleChange(role);
  }

  /**
   * Requests the lock; resolves true once held (kept until `#release`), false when not granted
   * (ifAvailable and taken, aborted). A later loss of the lock (stolen) makes this tab a reader.
   */
  #request(options: { ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal }): Promise<boolean> {
    const generation = ++this.#generation;
    return new Promise<boolean>((granted) => {
      this.options
        .locks!.request(lockName(this.dbName), { mode: 'exclusive', ...options }, (lock) => {
          if (lock === null || generation !== this.#generation || this.#disposed) {
            granted(false);
            return undefined;
          }
          granted(true);
          return new Promise<void>((release) => {
            this.#release = release;
          });
        })
        .catch(() => {
          granted(false);
          // Stolen by a tab that took over (or the request was aborted): the current request only.
          if (generation !== this.#generation || this.#disposed) return;
          this.#release = null;
          if (this.#role === 'writer') {
            this.#setRole('reader');
            this.#queue();
          }
        });
    });
  }

  /** A reader waits in line for the lock: granted when the writer's tab closes. */
  #queue(): void {
    const controller = new AbortController();
    this.#waiting = controller;
    void this.#request({ signal: controller.signal }).then((got) => {
      if (!got || this.#waiting !== controller) return;
      this.#waiting = null;
      this.#setRole('writer');
    });
  }

  async #onMessage(data: unknown): Promise<void> {
    if (!isTabMessage(data) || data.from === this.id || this.#disposed) return;
    if (data.type === 'switched') return this.events.onSwitched();
    if (data.db !== this.dbName) return;
    if (data.type === 'committed') this.events.onRemoteCommit();
    else if (data.type === 'released' && data.to === this.id) this.#pendingTakeover?.(true);
    else if (data.type === 'release-request' && this.#role === 'writer') {
      await this.events.beforeRelease();
      this.#post({ type: 'released', db: this.dbName, from: this.id, to: data.from });
    }
  }
}
