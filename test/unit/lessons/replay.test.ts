/**
 * CI replays every lesson (issue 6, STYLE §14): the reference solution meets every goal and
 * probe; every anti-solution leaves at least one goal or probe unmet. Run with two seeds so the
 * goals are shown to be id-agnostic (different key ids and parameters, same verdicts).
 */
import { describe, expect, it } from 'vitest';
import { runAntiSolution, runSolution } from '../../../src/lessons';
import { lessonPaths, memoryFactory, mustLoad } from './lessonFiles';

const SEEDS = [1, 20260115];

describe.each(lessonPaths())('lesson %s', (path) => {
  const lesson = mustLoad(path);

  it.each(SEEDS)('the reference solution meets every goal and probe (seed %i)', async (seed) => {
    const { evaluation } = await runSolution(lesson, { seed, factory: memoryFactory });
    const unmet = [...evaluation.goals, ...evaluation.probes].filter((g) => !g.met).map((g) => `${g.id}: ${g.reason}`);
    expect(unmet).toEqual([]);
    expect(evaluation.solved).toBe(true);
  });

  it('the reference solution earns every star: within par, every prediction answered right', async () => {
    const { session } = await runSolution(lesson, { seed: SEEDS[0]!, factory: memoryFactory });
    expect(session.predictions.map((p) => p.predictionId).sort()).toEqual(lesson.predictions.map((p) => p.id).sort());
    expect(session.callCount).toBeLessThanOrEqual(lesson.text.par);
    expect(await session.stars()).toEqual({ solved: true, withinPar: true, perfect: true, count: 3 });
  });

  it('has at least one anti-solution', () => {
    expect(lesson.antiSolutions.length).toBeGreaterThan(0);
  });

  it.each(lesson.antiSolutions.map((a, i) => [i, a.title] as const))('anti-solution %i fails (%s)', async (i) => {
    const { evaluation } = await runAntiSolution(lesson, i, { seed: SEEDS[0]!, factory: memoryFactory });
    expect(evaluation.solved).toBe(false);
  });

  it('before the solution runs, the goals are not all met', async () => {
    const { startLesson } = await import('../../../src/lessons');
    const session = await startLesson(lesson, { seed: 3, factory: memoryFactory });
    const goals = await session.check();
    expect(goals.some((g) => !g.met)).toBe(true);
  });
});
