/**
 * Issue 8's lessons (12: kms:ViaService, 13: data-key caching and cost, 14: S3 Bucket Keys and
 * throttling) and the engine pieces they brought (replay.test.ts already replays every solution
 * and anti-solution): each anti-solution fails exactly the goals and probes it is meant to trip.
 */
import { describe, expect, it } from 'vitest';
import { runAntiSolution, type Evaluation, type Lesson } from '../../../src/lessons';
import { memoryFactory, mustLoad } from './lessonFiles';

const SEED = 12;

/** Ids of the goals and probes an evaluation leaves unmet. */
const unmet = (e: Evaluation) => [...e.goals, ...e.probes].filter((g) => !g.met).map((g) => g.id);

function antiIndex(lesson: Lesson, title: RegExp): number {
  const i = lesson.antiSolutions.findIndex((a) => title.test(a.title));
  if (i < 0) throw new Error(`no anti-solution ${title}`);
  return i;
}

describe('lesson 12 (kms:ViaService)', () => {
  const lesson = mustLoad('06-habitat/12-via-service');
  it.each([
    [/No condition/, ['direct-denied', 'seen-denied', 'secretsmanager-denied', 'ec2-denied', 'direct-encrypt-denied']],
    [/wildcard/, ['secretsmanager-denied', 'ec2-denied']],
    [/another Region/, ['s3-decrypts', 's3-writes']],
    [/without a Region/, ['s3-decrypts', 's3-writes']],
  ])('anti-solution %s fails exactly %j', async (title, ids) => {
    const { evaluation } = await runAntiSolution(lesson, antiIndex(lesson, title), { seed: SEED, factory: memoryFactory });
    expect(unmet(evaluation)).toEqual(ids);
  });
});

describe('lesson 13 (data-key caching and cost)', () => {
  const lesson = mustLoad('06-habitat/13-caching-cost');
  it.each([
    [/No cache/, ['under-half', 'budget', 'safe-cache']],
    [/unlimited/, ['safe-cache']],
    [/too small/, ['budget']],
    [/smaller test load/, ['the-workload', 'under-half', 'budget', 'safe-cache']],
  ])('anti-solution %s fails exactly %j', async (title, ids) => {
    const { evaluation } = await runAntiSolution(lesson, antiIndex(lesson, title), { seed: SEED, factory: memoryFactory });
    expect(unmet(evaluation)).toEqual(ids);
  });
});

describe('lesson 14 (S3 Bucket Keys and throttling)', () => {
  const lesson = mustLoad('06-habitat/14-bucket-keys-throttling');
  it.each([
    [/without the key policy fix/, ['ingest-writes']],
    [/without Bucket Keys/, ['reports-decrypt', 'bucket-key', 'ingest-writes']],
    [/Principal/, ['ingest-not-direct', 'ingest-only-its-bucket', 'alice-denied']],
    [/conditions removed/, ['ingest-not-direct', 'ingest-only-its-bucket']],
    [/Stops the ingest/, ['bucket-key']],
  ])('anti-solution %s fails exactly %j', async (title, ids) => {
    const { evaluation } = await runAntiSolution(lesson, antiIndex(lesson, title), { seed: SEED, factory: memoryFactory });
    expect(unmet(evaluation)).toEqual(ids);
  });
});

describe('lesson 9 (detective) with Throttling as its fourth cause', () => {
  const lesson = mustLoad('04-capstone/09-detective');
  it('only retrying the thumbnail job leaves exactly that goal unmet (the backfill keeps the eu-west-2 quota)', async () => {
    const { evaluation } = await runAntiSolution(lesson, antiIndex(lesson, /only retries the thumbnail job/), { seed: SEED, factory: memoryFactory });
    expect(unmet(evaluation)).toEqual(['thumbnails-fixed']);
  });
});
