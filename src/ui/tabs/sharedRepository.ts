/**
 * The repository and service a tab's UI sees when the sandbox may be open in other tabs.
 *
 * - `SwitchableRepository` reads from the records loaded last (the Dexie repository keeps every
 *   record in memory, so a reader tab must load them again after another tab committed) and
 *   refuses commits while this tab may not write.
 * - `guardService` wraps the KMS service: calls, clock moves and IAM edits are refused with
 *   `ReadOnlySandboxError` before they start (a clear message, not an internal error), running
 *   ones are tracked so a writer can wait for them before handing over, and subscribers are also
 *   told when a reload brought other tabs' commits.
 */
import type { CommitNotice, KmsService, Repository, TrailEventRecord } from '../../kms';

/** Why a tab refuses to act. */
export class ReadOnlySandboxError extends Error {
  override readonly name = 'ReadOnlySandbox';
}

/** The message of a read-only tab's refusal. */
export const READ_ONLY_MESSAGE =
  'This sandbox is open in another tab, which is the one that saves changes: this tab is read-only. Choose "Take over" in the banner to make changes here.';

/** A repository whose records can be replaced by freshly loaded ones. */
export type ClosableRepository = Repository & { close?(): void };

/** Says whether this tab may write now; throws `ReadOnlySandboxError` when not. */
export type WriteCheck = () => void;

/** Reads from the current records; commits only when `check` allows. */
export class SwitchableRepository implements Repository {
  #inner: ClosableRepository;

  constructor(
    inner: ClosableRepository,
    private readonly check: WriteCheck,
  ) {
    this.#inner = inner;
  }

  get: Repository['get'] = (typeName, id) => this.#inner.get(typeName, id);
  list: Repository['list'] = (typeName) => this.#inner.list(typeName);

  commit(changes: Parameters<Repository['commit']>[0]): Promise<void> {
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#inner.commit(changes);
  }

  /** Switches to freshly loaded records (closing the old ones); returns the trail records that are new. */
  replace(next: ClosableRepository): TrailEventRecord[] {
    const old = this.#inner;
    const lastSeq = old.list('trailEvent').at(-1)?.seq ?? -1;
    this.#inner = next;
    old.close?.();
    return next.list('trailEvent').filter((t) => t.seq > lastSeq);
  }

  /** Closes the current records' storage. */
  close(): void {
    this.#inner.close?.();
  }
}

/** What `guardService` needs from the tab session. */
export interface ServiceGate {
  /** Throws `ReadOnlySandboxError` when this tab may not write. */
  check: WriteCheck;
  /** Called with every running write (a call, a clock move, an IAM edit). */
  track<T>(work: Promise<T>): Promise<T>;
  /** After a commit of this tab (to tell the other tabs). */
  committed(): void;
}

/** The guarded service, and a way to tell its subscribers that a reload brought new records. */
export interface GuardedService {
  readonly service: KmsService;
  notify(notice: CommitNotice): void;
}

/** Wraps `service` so every write goes through `gate` (see the header). */
export function guardService(service: KmsService, gate: ServiceGate): GuardedService {
  const listeners = new Set<(n: CommitNotice) => void>();
  const notify = (notice: CommitNotice): void => {
    for (const l of listeners) {
      try {
        l(notice);
      } catch {
        // One listener's failure must not stop the others (as in the service).
      }
    }
  };
  service.subscribe((notice) => {
    gate.committed();
    notify(notice);
  });
  const guarded = <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      try {
        gate.check();
      } catch (e) {
        return Promise.reject(e);
      }
      return gate.track(run(...args));
    };
  const { world } = service;
  return {
    notify,
    service: {
      call: guarded((operation: string, request: Parameters<KmsService['call']>[1], caller: Parameters<KmsService['call']>[2]) =>
        service.call(operation, request, caller),
      ),
      now: () => service.now(),
      advanceClock: guarded((ms: number) => service.advanceClock(ms)),
      nextScheduledEventTime: () => service.nextScheduledEventTime(),
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      world: {
        createAccount: guarded((accountId: string, name: string) => world.createAccount(accountId, name)),
        createPrincipal: guarded((input: Parameters<typeof world.createPrincipal>[0]) => world.createPrincipal(input)),
        putIdentityPolicy: guarded((arn: string, name: string, doc: string) => world.putIdentityPolicy(arn, name, doc)),
        deleteIdentityPolicy: guarded((arn: string, name: string) => world.deleteIdentityPolicy(arn, name)),
        putServiceResource: guarded((record: Parameters<typeof world.putServiceResource>[0]) => world.putServiceResource(record)),
        deleteServiceResource: guarded((id: string) => world.deleteServiceResource(id)),
        getServiceResource: (id) => world.getServiceResource(id),
        listServiceResources: (filter) => world.listServiceResources(filter),
        principalForAccessKey: (id) => world.principalForAccessKey(id),
        listPrincipals: () => world.listPrincipals(),
      },
    },
  };
}
