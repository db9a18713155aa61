/**
 * Lesson progress in IndexedDB (issue 6): a database of its own, `kms-playground-progress`, apart
 * from the sandboxes (a new or discarded sandbox never loses progress). Plain IndexedDB with a
 * versioned schema (src/ui may not import Dexie: STYLE §2, only src/kms/store does).
 *
 * Stores (version 1):
 *   `progress` (key `lessonId`): completed, best stars, misconceptions (union over attempts);
 *   `attempts` (key `lessonId`): the open attempt: seed, the learner's log entries since the start
 *     (replayed through the lesson session after a reload), prediction answers, hints revealed.
 * Every method resolves; a refused database (private mode, a newer version) makes the store a
 * no-op that says so in `failure`, so lessons still work for the page's lifetime.
 */
import type { LogEntry } from '../../kms';
import type { LocalStepRecord, Misconception, Stars } from '../../lessons';

export const PROGRESS_DB_NAME = 'kms-playground-progress';
export const PROGRESS_DB_VERSION = 1;

export interface LessonProgress {
  readonly lessonId: string;
  readonly completed: boolean;
  /** Best star count over completed attempts (0..3). */
  readonly stars: number;
  readonly detail: Stars | null;
  readonly misconceptions: readonly Misconception[];
  readonly updatedAt: number;
}

export interface LessonAttempt {
  readonly lessonId: string;
  readonly seed: number;
  /** The learner's log entries after the lesson's setup, in order. */
  readonly entries: readonly LogEntry[];
  /** Prediction id → the option the learner chose. */
  readonly answers: Readonly<Record<string, string>>;
  readonly hintsRevealed: number;
  /**
   * The application's local steps (bucket actions) with the log seq they followed, replayed in
   * place after a reload (absent in attempts saved before issue 7: none).
   */
  readonly locals?: readonly LocalStepRecord[];
}

export interface ProgressStore {
  /** Why the database could not be used (null: it works). */
  readonly failure: string | null;
  all(): Promise<LessonProgress[]>;
  /** Merges a finished attempt into the lesson's progress (best stars, misconceptions union). */
  record(lessonId: string, stars: Stars, misconceptions: readonly Misconception[]): Promise<LessonProgress>;
  attempt(lessonId: string): Promise<LessonAttempt | null>;
  saveAttempt(attempt: LessonAttempt): Promise<void>;
  deleteAttempt(lessonId: string): Promise<void>;
  close(): void;
}

const req = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

/** Merges a new result into the stored progress. */
export function mergeProgress(old: LessonProgress | null, lessonId: string, stars: Stars, found: readonly Misconception[], now: number): LessonProgress {
  const misconceptions = [...(old?.misconceptions ?? [])];
  for (const m of found) if (!misconceptions.some((x) => x.name === m.name && x.predictionId === m.predictionId)) misconceptions.push(m);
  const better = !old || stars.count >= old.stars;
  return {
    lessonId,
    completed: (old?.completed ?? false) || stars.solved,
    stars: Math.max(old?.stars ?? 0, stars.count),
    detail: better ? stars : old.detail,
    misconceptions,
    updatedAt: now,
  };
}

function openDb(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = factory.open(name, PROGRESS_DB_VERSION);
    r.onupgradeneeded = (e) => {
      const db = r.result;
      if (e.oldVersion < 1) {
        db.createObjectStore('progress', { keyPath: 'lessonId' });
        db.createObjectStore('attempts', { keyPath: 'lessonId' });
      }
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB open failed'));
    r.onblocked = () => reject(new Error('the progress database is blocked by another tab'));
  });
}

/** A store that keeps nothing (the database was refused). */
function nullStore(failure: string): ProgressStore {
  return {
    failure,
    all: async () => [],
    record: async (lessonId, stars, m) => mergeProgress(null, lessonId, stars, m, Date.now()),
    attempt: async () => null,
    saveAttempt: async () => undefined,
    deleteAttempt: async () => undefined,
    close: () => undefined,
  };
}

/** Opens the progress database (`factory`: the page's indexedDB, or fake-indexeddb in tests). */
export async function openProgressStore(factory: IDBFactory | undefined = globalThis.indexedDB, name = PROGRESS_DB_NAME): Promise<ProgressStore> {
  if (!factory) return nullStore('IndexedDB is not available: progress is not saved.');
  let db: IDBDatabase;
  try {
    db = await openDb(factory, name);
  } catch (e) {
    return nullStore(`Progress is not saved: ${e instanceof Error ? e.message : String(e)}`);
  }
  const tx = (store: 'progress' | 'attempts', mode: IDBTransactionMode) => db.transaction(store, mode).objectStore(store);
  const safe = async <T>(f: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await f();
    } catch {
      return fallback;
    }
  };
  return {
    failure: null,
    all: () => safe(() => req(tx('progress', 'readonly').getAll() as IDBRequest<LessonProgress[]>), []),
    async record(lessonId, stars, found) {
      const old = await safe(async () => ((await req(tx('progress', 'readonly').get(lessonId))) as LessonProgress | undefined) ?? null, null);
      const next = mergeProgress(old, lessonId, stars, found, Date.now());
      await safe(() => req(tx('progress', 'readwrite').put(next)), undefined);
      return next;
    },
    attempt: (lessonId) => safe(async () => ((await req(tx('attempts', 'readonly').get(lessonId))) as LessonAttempt | undefined) ?? null, null),
    saveAttempt: (a) => safe(async () => void (await req(tx('attempts', 'readwrite').put(JSON.parse(JSON.stringify(a)) as LessonAttempt))), undefined),
    deleteAttempt: (lessonId) => safe(async () => void (await req(tx('attempts', 'readwrite').delete(lessonId))), undefined),
    close: () => db.close(),
  };
}
