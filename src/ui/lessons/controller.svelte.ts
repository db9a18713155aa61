/**
 * The Lessons tab's state (issue 6), in the lazy chunk: the catalog, progress, and the open
 * attempt. Opening a lesson starts a `LessonSession` over its own in-memory sandbox and hands a
 * `SandboxState` over it to the workspace (`LessonHost.sandbox`): the learner uses the normal
 * panels, and every call they make goes through the session (predictions asked in a dialog, par
 * counted). After every commit the goals are re-checked; once all are met the hidden probes run
 * and stars are awarded. The attempt (seed, log entries since the start, prediction answers,
 * hints) is saved after each commit and replayed when the page reloads on `#lesson=<id>`.
 */
import type { Component } from 'svelte';
import { interpolate, startLesson, type Evaluation, type GoalResult, type Lesson, type LessonSession, type Misconception, type Prediction, type Stars } from '../../lessons';
import { SandboxState } from '../sandbox.svelte';
import { loadCatalog, loadLessonFolder, type CatalogEntry } from './catalog';
import type { LessonHost } from './host.svelte';
import { openProgressStore, type LessonProgress, type ProgressStore } from './progress';
import { attemptEntries, lastLogSeq, learnerService, lessonFactory, replayAttempt } from './sandbox';
import { bucketRows, jsonSafeStep, type BucketRow } from './bucket';

export interface PredictionFeedback {
  readonly question: string;
  readonly predicted: string;
  readonly actual: string;
  readonly correct: boolean;
  readonly explanation: string;
}

export interface LessonResult {
  readonly evaluation: Evaluation;
  readonly stars: Stars;
  readonly misconceptions: readonly Misconception[];
}

/** The open attempt. */
export interface ActiveLesson {
  readonly lesson: Lesson;
  readonly session: LessonSession;
  readonly sandbox: SandboxState;
  readonly seed: number;
  readonly params: Readonly<Record<string, string>>;
  readonly startLogSeq: number;
  readonly answers: Record<string, string>;
  readonly unsubscribe: () => void;
}

/** Parses `#lesson=<id>&step=<n>`. */
export function parseLessonHash(hash: string): { id: string; step: number | null } | null {
  const m = /^#lesson=([a-z0-9][a-z0-9-]{0,63})(?:&step=(\d{1,4}))?$/.exec(hash);
  if (!m) return null;
  return { id: m[1]!, step: m[2] === undefined ? null : Number(m[2]) };
}

export class LessonController {
  catalog = $state.raw<CatalogEntry[]>([]);
  catalogErrors = $state.raw<string[]>([]);
  progress = $state.raw<Record<string, LessonProgress>>({});
  storeFailure = $state<string | null>(null);
  active = $state.raw<ActiveLesson | null>(null);
  goals = $state.raw<GoalResult[]>([]);
  hints = $state.raw<string[]>([]);
  step = $state<number | null>(null);
  prediction = $state.raw<{ prediction: Prediction; answer: (optionId: string) => void } | null>(null);
  feedback = $state.raw<PredictionFeedback | null>(null);
  result = $state.raw<LessonResult | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  callCount = $state(0);
  /** The learner's application storage (objects of the lesson's bucket). */
  bucket = $state.raw<BucketRow[]>([]);

  #store: Promise<ProgressStore> | null = null;
  #ready: Promise<void> | null = null;
  #checking = false;
  #dirty = false;

  constructor(
    private readonly host: LessonHost,
    private readonly banner: Component,
  ) {}

  /** Loads the catalog and progress, and opens the lesson the URL asks for (once per page). */
  init(): Promise<void> {
    this.#ready ??= (async () => {
      this.#store = openProgressStore();
      const [{ entries, errors }, store] = await Promise.all([loadCatalog(), this.#store]);
      this.catalog = entries;
      this.catalogErrors = errors;
      this.storeFailure = store.failure;
      this.progress = Object.fromEntries((await store.all()).map((p) => [p.lessonId, p]));
      globalThis.addEventListener?.('hashchange', () => void this.followHash());
      await this.followHash();
    })();
    return this.#ready;
  }

  /** Opens the lesson named in the URL fragment, if any (and not already open). */
  async followHash(): Promise<void> {
    const asked = parseLessonHash(globalThis.location?.hash ?? '');
    if (!asked) return;
    if (this.active?.lesson.text.id !== asked.id) await this.open(asked.id);
    this.step = asked.step;
  }

  /** Opens a lesson: restores its saved attempt, or starts a new one. */
  async open(id: string, fresh = false): Promise<void> {
    const entry = this.catalog.find((e) => e.id === id);
    if (!entry) {
      this.error = `There is no lesson "${id}".`;
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const loaded = await loadLessonFolder(entry.path);
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const store = await this.#store!;
      const saved = fresh ? null : await store.attempt(id);
      const seed = saved?.seed ?? (crypto.getRandomValues(new Uint32Array(1))[0]! >>> 0);
      this.#close();
      const { factory, lastError, outputs } = lessonFactory();
      const session = await startLesson(loaded.lesson, { seed, factory });
      const answers: Record<string, string> = { ...(saved?.answers ?? {}) };
      let restoring = true;
      session.onCall(({ prediction }) => {
        if (!prediction) return undefined;
        if (restoring) return answers[prediction.id];
        return new Promise<string>((resolve) => {
          this.prediction = {
            prediction,
            answer: (optionId) => {
              answers[prediction.id] = optionId;
              this.prediction = null;
              resolve(optionId);
            },
          };
        });
      });
      const startLogSeq = lastLogSeq(session);
      if (saved) await replayAttempt(session, saved.entries, outputs, saved.locals ?? []);
      for (let i = 0; i < (saved?.hintsRevealed ?? 0); i++) session.revealHint();
      restoring = false;
      const service = learnerService(session, lastError, () => this.#afterCall());
      const sandbox = new SandboxState(service, session.repository, { dbName: `lesson-${id}`, storage: null });
      const unsubscribe = session.service.subscribe(() => void this.#onCommit());
      this.active = { lesson: loaded.lesson, session, sandbox, seed, params: session.params, startLogSeq, answers, unsubscribe };
      this.hints = loaded.lesson.hints.slice(0, session.hintsRevealed);
      this.callCount = session.callCount;
      this.#feedbackCount = session.predictions.length;
      this.feedback = null;
      this.result = null;
      this.goals = [];
      this.host.banner = this.banner;
      this.host.sandbox = sandbox;
      this.#setHash(`#lesson=${id}`);
      await this.#onCommit();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  /** Closes the lesson: the workspace shows the learner's own sandbox again (the attempt stays saved). */
  leave(): void {
    this.#close();
    this.#setHash('');
  }

  /** Starts the open lesson over (same seed: the very start state); the saved attempt is dropped. */
  async reset(): Promise<void> {
    const a = this.active;
    if (!a) return;
    const store = await this.#store!;
    await store.saveAttempt({ lessonId: a.lesson.text.id, seed: a.seed, entries: [], answers: {}, hintsRevealed: 0 });
    await this.open(a.lesson.text.id);
  }

  revealHint(): void {
    const a = this.active;
    if (!a) return;
    if (a.session.revealHint() !== null) this.hints = a.lesson.hints.slice(0, a.session.hintsRevealed);
    void this.#save();
  }

  /**
   * Runs a local action of the learner's application on the bucket (store bytes, SHA-256, verify
   * offline: src/ui/lessons/bucket.ts), then re-checks the goals and saves the attempt (the step
   * is replayed in place after a reload). Not a KMS call: nothing is counted or logged.
   */
  async local<T>(action: (session: LessonSession) => Promise<T>): Promise<T | undefined> {
    const a = this.active;
    if (!a) return undefined;
    this.error = null;
    try {
      const out = await action(a.session);
      return out;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return undefined;
    } finally {
      await this.#onCommit();
    }
  }

  /** The lesson text with the attempt's parameters filled in. */
  text(s: string): string {
    return this.active ? interpolate(s, this.active.params) : s;
  }

  #close(): void {
    const a = this.active;
    if (!a) return;
    a.unsubscribe();
    this.prediction?.answer('');
    this.active = null;
    this.prediction = null;
    this.host.sandbox = null;
    this.host.banner = null;
  }

  #setHash(hash: string): void {
    const loc = globalThis.location;
    if (!loc || loc.hash === hash) return;
    history.replaceState(history.state, '', `${loc.pathname}${loc.search}${hash}`);
  }

  #afterCall(): void {
    const a = this.active;
    if (!a) return;
    this.callCount = a.session.callCount;
    if (a.session.predictions.length <= this.#feedbackCount) return;
    this.#feedbackCount = a.session.predictions.length;
    const last = a.session.predictions.at(-1)!;
    const p = a.lesson.predictions.find((x) => x.id === last.predictionId);
    if (!p) return;
    const label = (outcome: string | null) => p.options.find((o) => o.outcome === outcome)?.label ?? outcome ?? 'no answer';
    this.feedback = { question: this.text(p.question), predicted: this.text(label(last.predicted)), actual: last.actual, correct: last.correct, explanation: this.text(p.explanation) };
  }
  #feedbackCount = 0;

  /** After every commit: save the attempt, re-check the goals (coalesced), evaluate when all are met. */
  async #onCommit(): Promise<void> {
    void this.#save();
    if (this.#checking) {
      this.#dirty = true;
      return;
    }
    this.#checking = true;
    try {
      do {
        this.#dirty = false;
        const a = this.active;
        if (!a) return;
        const goals = await a.session.check();
        if (this.active !== a) return;
        this.goals = goals;
        this.bucket = bucketRows(a.session.bucket);
        if (goals.length > 0 && goals.every((g) => g.met)) await this.#finish(a);
        else this.result = null;
      } while (this.#dirty);
    } finally {
      this.#checking = false;
    }
  }

  async #finish(a: ActiveLesson): Promise<void> {
    const evaluation = await a.session.evaluate();
    const stars = await a.session.stars();
    if (this.active !== a) return;
    const misconceptions = [...a.session.misconceptions];
    this.result = { evaluation, stars, misconceptions };
    if (evaluation.solved) {
      const stored = await (await this.#store!).record(a.lesson.text.id, stars, misconceptions);
      this.progress = { ...this.progress, [stored.lessonId]: stored };
    }
  }

  async #save(): Promise<void> {
    const a = this.active;
    if (!a || !this.#store) return;
    const entries = attemptEntries(a.session, a.startLogSeq);
    const locals = a.session.localSteps.filter((l) => l.afterSeq >= a.startLogSeq).map(jsonSafeStep);
    await (await this.#store).saveAttempt({ lessonId: a.lesson.text.id, seed: a.seed, entries, answers: { ...a.answers }, hintsRevealed: a.session.hintsRevealed, locals });
  }
}
