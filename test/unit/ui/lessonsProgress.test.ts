/**
 * Lesson progress store (src/ui/lessons/progress.ts) over fake-indexeddb: best stars and
 * misconceptions merge across attempts, attempts round-trip and survive reopening, a database of a
 * newer version is refused without throwing.
 */
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { mergeProgress, openProgressStore, PROGRESS_DB_NAME, PROGRESS_DB_VERSION } from '../../../src/ui/lessons/progress';

const three = { solved: true, withinPar: true, perfect: true, count: 3 };
const one = { solved: true, withinPar: false, perfect: false, count: 1 };
const none = { solved: false, withinPar: false, perfect: false, count: 0 };
const wrong = { predictionId: 'p', name: 'admins-cannot-lock-themselves-out', predicted: 'Allow', actual: 'MalformedPolicyDocumentException' };

describe('progress store', () => {
  it('records completion, keeps the best stars and the union of misconceptions', async () => {
    const factory = new IDBFactory();
    const store = await openProgressStore(factory);
    expect(store.failure).toBeNull();
    expect(await store.all()).toEqual([]);
    await store.record('key-policy-lockout', one, [wrong]);
    await store.record('key-policy-lockout', three, [wrong]);
    const after = await store.record('key-policy-lockout', one, []);
    expect(after).toMatchObject({ completed: true, stars: 3, misconceptions: [wrong] });
    expect(after.detail).toEqual(three);
    store.close();
    const again = await openProgressStore(factory);
    expect(await again.all()).toEqual([after]);
    again.close();
  });

  it('an unsolved attempt does not mark the lesson completed', () => {
    expect(mergeProgress(null, 'x', none, [], 1)).toMatchObject({ completed: false, stars: 0 });
    expect(mergeProgress(mergeProgress(null, 'x', one, [], 1), 'x', none, [], 2)).toMatchObject({ completed: true, stars: 1 });
  });

  it('saves, replaces and deletes the open attempt', async () => {
    const factory = new IDBFactory();
    const store = await openProgressStore(factory);
    const entry = { kind: 'clock' as const, seq: 7, at: 1, ms: 86_400_000 };
    await store.saveAttempt({ lessonId: 'a', seed: 42, entries: [entry], answers: { p: 'malformed' }, hintsRevealed: 1 });
    expect(await store.attempt('a')).toEqual({ lessonId: 'a', seed: 42, entries: [entry], answers: { p: 'malformed' }, hintsRevealed: 1 });
    await store.saveAttempt({ lessonId: 'a', seed: 42, entries: [], answers: {}, hintsRevealed: 2 });
    expect((await store.attempt('a'))?.hintsRevealed).toBe(2);
    expect(await store.attempt('b')).toBeNull();
    await store.deleteAttempt('a');
    expect(await store.attempt('a')).toBeNull();
    store.close();
  });

  it('refuses a database of a newer version without throwing, and keeps nothing', async () => {
    const factory = new IDBFactory();
    await new Promise<void>((resolve) => {
      const r = factory.open(PROGRESS_DB_NAME, PROGRESS_DB_VERSION + 1);
      r.onsuccess = () => {
        r.result.close();
        resolve();
      };
    });
    const store = await openProgressStore(factory);
    expect(store.failure).toMatch(/not saved/);
    expect(await store.record('x', three, [])).toMatchObject({ completed: true, stars: 3 });
    expect(await store.all()).toEqual([]);
    expect(await openProgressStore(undefined).then((s) => s.failure)).toMatch(/not available/);
  });
});
