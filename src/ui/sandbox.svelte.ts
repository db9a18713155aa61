/**
 * The open sandbox as reactive UI state (STYLE §13): a rune class over the KMS service and its
 * repository. Components read `view`, `selected` and `now`, and act through `call` and
 * `advanceDays`; every commit the service announces (a call, a clock advance) bumps a version
 * that re-derives the views, so the UI refreshes after each call with no polling.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { AdvanceResult, AwsShape, CallerContext, KeyArn, KmsService, Repository } from '../kms';
import { ActivityBus } from './activity';
import { DEFAULT_CALLER } from './seed';
import { buildKeyDetail, buildSandboxView, type KeyDetail, type SandboxView } from './view';

/** One sandbox day in ms. */
export const DAY_MS = 86_400_000;

/** How often the displayed sandbox clock catches up with real time passing. */
const CLOCK_TICK_MS = 30_000;

export class SandboxState {
  /** Who the UI calls KMS as. */
  readonly caller: CallerContext;
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
  readonly #tick = createSubscriber((update) => {
    const id = setInterval(update, CLOCK_TICK_MS);
    return () => clearInterval(id);
  });

  /** Keys (oldest first) and trail (newest first), from committed records. */
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

  /**
   * @param options.dbName where the sandbox is stored; `options.close` releases the storage;
   *   `options.caller` who the UI acts as (default: the account root).
   */
  constructor(
    service: KmsService,
    repository: Repository,
    options: { dbName: string; close?: () => void; caller?: CallerContext },
  ) {
    this.#service = service;
    this.#repository = repository;
    this.dbName = options.dbName;
    this.#close = options.close ?? (() => undefined);
    this.caller = options.caller ?? DEFAULT_CALLER;
    this.#unsubscribe = service.subscribe(() => {
      this.#version += 1;
    });
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

  /** Moves the sandbox clock forward, letting due rotations and deletions happen. */
  advanceDays(days: number): Promise<AdvanceResult> {
    return this.#service.advanceClock(days * DAY_MS);
  }

  /** Stops listening to the service and closes the storage (when the sandbox is replaced). */
  destroy(): void {
    this.#unsubscribe();
    this.#close();
  }
}
