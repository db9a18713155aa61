/**
 * The open sandbox as reactive UI state (STYLE §13): a rune class over the KMS service and its
 * repository. Components read `view`, `selected` and `now`, and act through `call`, the clock
 * methods (`advanceHours`, `advanceDays`, `advanceToNextEvent`) and the IAM world edits; every
 * commit the service announces (a call, a clock advance, a world edit) bumps a version that
 * re-derives the views, so the UI refreshes after each call with no polling.
 * `caller` ("Acting as") is switchable and remembered per sandbox database in localStorage.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { AdvanceResult, AwsShape, CallerContext, KeyArn, KmsService, Region, Repository } from '../kms';
import { ActivityBus } from './activity';
import { callerFor, callerStorageKey, isSandboxRegion, parseStoredCaller, serializeCaller, withAccessKey } from './identity/caller';
import { HOUR_MS } from './identity/clock';
import { DEFAULT_CALLER } from './seed';
import { buildKeyDetail, buildSandboxView, type KeyDetail, type SandboxView } from './view';

/** One sandbox day in ms. */
export const DAY_MS = 86_400_000;

/** How often the displayed sandbox clock catches up with real time passing. */
const CLOCK_TICK_MS = 30_000;

/** Where the acting caller is remembered (localStorage in the page; null: not remembered). */
export type CallerStorage = Pick<Storage, 'getItem' | 'setItem'> | null;

function pageStorage(): CallerStorage {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export class SandboxState {
  /** Who the UI calls KMS as ("Acting as"): change it with `actAs`. */
  caller: CallerContext = $state(DEFAULT_CALLER);
  /** Name of the IndexedDB database holding this sandbox. */
  readonly dbName: string;
  /** The key the user picked in the list (null: the first key). */
  selectedArn = $state<KeyArn | null>(null);
  /** The CloudTrail eventID selected in the trail panel (the "why" panel and the animation follow it). */
  selectedEventId = $state<string | null>(null);
  /** Steps the page does outside KMS (local encryption, storing envelopes), for the animation. */
  readonly activity = new ActivityBus();

  readonly #service: KmsService;
  readonly #repository: Repository;
  /** Bumped on every commit; the derived views below read it. */
  #version = $state(0);
  readonly #unsubscribe: () => void;
  readonly #close: () => void;
  readonly #storage: CallerStorage;
  readonly #tick = createSubscriber((update) => {
    const id = setInterval(update, CLOCK_TICK_MS);
    return () => clearInterval(id);
  });

  /** Keys (oldest first), from committed records (the trail panel indexes the trail itself). */
  readonly view: SandboxView = $derived.by(() => {
    void this.#version;
    return buildSandboxView(this.#repository);
  });

  /** The key shown in the detail panel. */
  readonly selected: KeyDetail | null = $derived.by(() => {
    void this.#version;
    const arn = this.selectedArn ?? this.view.keys[0]?.arn;
    return arn === undefined ? null : buildKeyDetail(this.#repository, arn);
  });

  /** The sandbox's principals with their access key ids (IAM's side), re-read on every commit. */
  readonly principals: ReturnType<KmsService['world']['listPrincipals']> = $derived.by(() => {
    void this.#version;
    return this.#service.world.listPrincipals();
  });

  /** The sandbox's accounts (id order), re-read on every commit. */
  readonly accounts = $derived.by(() => {
    void this.#version;
    return this.#repository.list('account');
  });

  /** Every inline identity policy of the sandbox, re-read on every commit. */
  readonly identityPolicies = $derived.by(() => {
    void this.#version;
    return this.#repository.list('identityPolicy');
  });

  /** Time of the next scheduled rotation or deletion (ms), or null when nothing is scheduled. */
  readonly nextEventTime: number | null = $derived.by(() => {
    void this.#version;
    return this.#service.nextScheduledEventTime();
  });

  /**
   * @param options.dbName where the sandbox is stored; `options.close` releases the storage;
   *   `options.caller` who the UI acts as when nothing is remembered (default: the account root);
   *   `options.storage` where the choice is remembered (default: localStorage).
   */
  constructor(
    service: KmsService,
    repository: Repository,
    options: { dbName: string; close?: () => void; caller?: CallerContext; storage?: CallerStorage },
  ) {
    this.#service = service;
    this.#repository = repository;
    this.dbName = options.dbName;
    this.#close = options.close ?? (() => undefined);
    this.#storage = options.storage === undefined ? pageStorage() : options.storage;
    const principals = service.world.listPrincipals();
    this.caller = parseStoredCaller(this.#remembered(), principals) ?? withAccessKey(options.caller ?? DEFAULT_CALLER, principals);
    this.#unsubscribe = service.subscribe(() => {
      this.#version += 1;
    });
  }

  /** The caller text stored for this sandbox (null: none, or storage refused). */
  #remembered(): string | null {
    try {
      return this.#storage?.getItem(callerStorageKey(this.dbName)) ?? null;
    } catch {
      return null;
    }
  }

  /** Current sandbox time (ms): follows commits, clock advances and real time. */
  get now(): number {
    void this.#version;
    this.#tick();
    return this.#service.now();
  }

  /** Bumped on every commit (a call, a clock advance): read it in a `$derived` to re-derive on change. */
  get version(): number {
    return this.#version;
  }

  /** The sandbox's repository, read-only by convention: the UI reads committed records, and acts only through `call`. */
  get repository(): Repository {
    return this.#repository;
  }

  /** The KMS service itself, for clients that speak the wire protocol (the Code panel's SDK, the CLI console). */
  get service(): KmsService {
    return this.#service;
  }

  /** Runs one KMS operation as `caller`; rejects with the KmsError AWS would answer. */
  call(operation: string, request: AwsShape): Promise<AwsShape> {
    return this.#service.call(operation, request, this.caller);
  }

  /**
   * Acts as another principal of the sandbox, in `region` (default: the current Region), and
   * remembers the choice for this sandbox. Throws when the principal or Region is unknown.
   */
  actAs(principalArn: string, region: string = this.caller.region): CallerContext {
    const principal = this.#service.world.listPrincipals().find((p) => p.arn === principalArn);
    if (!principal) throw new Error(`No principal ${principalArn} in this sandbox.`);
    if (!isSandboxRegion(region)) throw new Error(`Region ${region} is not offered by the sandbox.`);
    this.caller = callerFor(principal, region as Region);
    try {
      this.#storage?.setItem(callerStorageKey(this.dbName), serializeCaller(this.caller));
    } catch {
      // Storage full or refused: the choice holds for this page only.
    }
    return this.caller;
  }

  /** Moves the sandbox clock forward by whole hours, letting due rotations and deletions happen. */
  advanceHours(hours: number): Promise<AdvanceResult> {
    return this.#service.advanceClock(hours * HOUR_MS);
  }

  /** Moves the sandbox clock forward, letting due rotations and deletions happen. */
  advanceDays(days: number): Promise<AdvanceResult> {
    return this.#service.advanceClock(days * DAY_MS);
  }

  /** Moves the clock to the next scheduled rotation or deletion (none: an empty advance). */
  advanceToNextEvent(): Promise<AdvanceResult> {
    const next = this.#service.nextScheduledEventTime();
    return this.#service.advanceClock(next === null ? 0 : Math.max(0, next - this.#service.now()));
  }

  /**
   * IAM world edits (no KMS trail record, as in AWS). The service commits each to the repository
   * (IndexedDB, so a reload keeps it) and notifies subscribers, which bumps the version: the
   * views re-derive like after a call.
   */
  async createAccount(accountId: string, name: string): Promise<void> {
    await this.#service.world.createAccount(accountId, name);
  }

  /** Adds an IAM user or role; resolves to its ARN and access key id. */
  async createPrincipal(input: { accountId: string; kind: 'user' | 'role'; name: string }): Promise<{ arn: string; accessKeyId: string }> {
    return this.#service.world.createPrincipal(input);
  }

  /** Creates or replaces an inline identity policy (MalformedPolicyDocumentException when invalid). */
  async putIdentityPolicy(principalArn: string, policyName: string, document: string): Promise<void> {
    await this.#service.world.putIdentityPolicy(principalArn, policyName, document);
  }

  /** Removes an inline identity policy. */
  async deleteIdentityPolicy(principalArn: string, policyName: string): Promise<void> {
    await this.#service.world.deleteIdentityPolicy(principalArn, policyName);
  }

  /** Stops listening to the service and closes the storage (when the sandbox is replaced). */
  destroy(): void {
    this.#unsubscribe();
    this.#close();
  }
}
