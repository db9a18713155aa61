/**
 * The lessons UI's plumbing (src/ui/lessons): the bundled catalog (lesson files as raw data), the
 * learner's service (calls through the session: par, predictions, the original KmsError), a saved
 * attempt replayed after a reload rebuilding the same sandbox and result, and permalinks.
 */
import { describe, expect, it } from 'vitest';
import { isKmsError, type AwsShape } from '../../../src/kms';
import { startLesson, type Lesson } from '../../../src/lessons';
import { callerOf } from '../../../src/lessons';
import { lessonFolders, loadCatalog, loadLessonFolder, partTitle } from '../../../src/ui/lessons/catalog';
import { parseLessonHash } from '../../../src/ui/lessons/controller.svelte';
import { attemptEntries, lastLogSeq, learnerService, lessonFactory, replayAttempt } from '../../../src/ui/lessons/sandbox';

async function lesson3(): Promise<Lesson> {
  const { entries } = await loadCatalog();
  const e = entries.find((x) => x.id === 'key-policy-lockout')!;
  const r = await loadLessonFolder(e.path);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.lesson;
}

describe('catalog', () => {
  it('lists every lesson folder in order, by part, from the bundled files', async () => {
    const { entries, errors } = await loadCatalog();
    expect(errors).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(entries.map((e) => e.number)).toEqual([...entries.map((e) => e.number)].sort((a, b) => a - b));
    expect(entries.find((e) => e.id === 'key-policy-lockout')).toMatchObject({ title: 'Key policy lockout', part: '02-access', partTitle: 'Access', number: 3 });
    for (const e of entries) expect((await loadLessonFolder(e.path)).ok).toBe(true);
  });

  it('finds folders only at <NN-part>/<NN-lesson>/', () => {
    expect(lessonFolders(['/lessons/README.md', '/lessons/01-a/README.md', '/lessons/01-a/02-b/index.md', '/lessons/01-a/02-b/goal.json', '/lessons/x/01-c/index.md', '/lessons/01-a/02-b/deep/x.md'])).toEqual([
      '01-a/02-b',
    ]);
    expect(partTitle('04-capstone')).toBe('Capstone');
    expect(partTitle('01-key-basics')).toBe('Key basics');
  });
});

describe('learner service and saved attempts', () => {
  it('routes calls through the session and rejects with the service’s own KmsError', async () => {
    const lesson = await lesson3();
    const { factory, lastError } = lessonFactory();
    const session = await startLesson(lesson, { seed: 7, factory });
    let after = 0;
    const service = learnerService(session, lastError, () => after++);
    const err = await service.call('PutKeyPolicy', { KeyId: 'alias/payroll', PolicyName: 'default', Policy: '{}' } as AwsShape, callerOf('role/KeyAdmin')).catch((e: unknown) => e);
    expect(isKmsError(err)).toBe(true);
    expect(err).toBe(lastError());
    expect(session.callCount).toBe(1);
    expect(after).toBe(1);
    const out = await service.call('ListAliases', {}, callerOf('root'));
    expect(Array.isArray(out.Aliases)).toBe(true);
    expect(session.callCount).toBe(2);
  });

  it('a saved attempt replays into the same sandbox, goals, predictions and stars', async () => {
    const lesson = await lesson3();
    const first = await startLesson(lesson, { seed: 11, factory: lessonFactory().factory });
    const start = lastLogSeq(first);
    const answers: Record<string, string> = {};
    first.onCall(({ prediction }) => {
      if (!prediction) return undefined;
      answers[prediction.id] = 'malformed';
      return 'malformed';
    });
    for (const step of lesson.solution) await first.runStep({ ...step, predict: undefined } as typeof step);
    const entries = attemptEntries(first, start);
    expect(entries.length).toBe(4);
    const stars = await first.stars();
    expect(stars.count).toBe(3);

    // "After a reload": JSON round trip, as the progress store keeps it.
    const saved = JSON.parse(JSON.stringify(entries)) as typeof entries;
    const rebuilt = lessonFactory();
    const second = await startLesson(lesson, { seed: 11, factory: rebuilt.factory });
    second.onCall(({ prediction }) => (prediction ? answers[prediction.id] : undefined));
    await replayAttempt(second, saved, rebuilt.outputs);
    expect(second.callCount).toBe(4);
    expect(second.predictions).toEqual(first.predictions);
    expect(await second.stars()).toEqual(stars);
    expect(second.repository.list('trailEvent').map((t) => t.id)).toEqual(first.repository.list('trailEvent').map((t) => t.id));
  });
});

describe('saved attempts of every lesson', () => {
  // A saved attempt's log refers to earlier outputs (a Decrypt of a GenerateDataKey's blob is logged
  // as { "$output": [seq, "CiphertextBlob"] }), including outputs of the lesson's setup calls.
  it('replay after a reload into the same records, references to earlier outputs included', async () => {
    const { entries: catalog } = await loadCatalog();
    let references = 0;
    for (const item of catalog) {
      const loaded = await loadLessonFolder(item.path);
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const lesson = loaded.lesson;
      const first = await startLesson(lesson, { seed: 5, factory: lessonFactory().factory });
      const start = lastLogSeq(first);
      for (const step of lesson.solution) await first.runStep({ ...step, predict: undefined } as typeof step);
      const saved = JSON.parse(JSON.stringify(attemptEntries(first, start))) as ReturnType<typeof attemptEntries>;
      references += JSON.stringify(saved).split('"$output"').length - 1;
      const rebuilt = lessonFactory();
      const second = await startLesson(lesson, { seed: 5, factory: rebuilt.factory });
      await replayAttempt(second, saved, rebuilt.outputs);
      expect(second.repository.list('trailEvent').map((t) => t.record), item.id).toEqual(first.repository.list('trailEvent').map((t) => t.record));
    }
    expect(references).toBeGreaterThan(0);
  });
});

describe('permalinks', () => {
  it('reads #lesson=<id> and an optional step, refuses anything else', () => {
    expect(parseLessonHash('#lesson=key-policy-lockout')).toEqual({ id: 'key-policy-lockout', step: null });
    expect(parseLessonHash('#lesson=key-policy-lockout&step=2')).toEqual({ id: 'key-policy-lockout', step: 2 });
    for (const bad of ['', '#', '#lesson=', '#lesson=<script>', '#lesson=../x', '#lesson=a&step=-1', '#lesson=a&step=x', '#s=abc', '#lesson=A']) {
      expect(parseLessonHash(bad)).toBeNull();
    }
  });
});
