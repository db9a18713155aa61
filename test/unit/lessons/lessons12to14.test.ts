/**
 * Issue 8's lessons (12: kms:ViaService, 13: data-key caching and cost, 14: S3 Bucket Keys and
 * throttling), the capstone's Throttling cause, and the engine pieces they brought
 * (replay.test.ts already replays every solution and anti-solution):
 * - each anti-solution fails exactly the goals and probes it is meant to trip;
 * - lesson 14: S3 really sends the object ARN, then (Bucket Keys) the bucket ARN, through S3
 *   (invokedBy in the trail); Bucket Keys cut the ingest workload's KMS rate 100-fold;
 * - lesson 13: the recorded runs' peak share and monthly cost against hand-computed figures;
 * - loader: the new steps and matchers are validated with JSON paths; service steps fail loudly
 *   on a wrong expectation.
 */
import { describe, expect, it } from 'vitest';
import { loadLesson, LessonStepError, runAntiSolution, runSolution, startLesson, type Evaluation, type Lesson } from '../../../src/lessons';
import { monthlyRequestCostOf } from '../../../src/services/loadGenerator';
import { latestLoadRun } from '../../../src/services/loadGenerator';
import { listWorkloads } from '../../../src/services/workloads';
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

describe('lesson 12 through the simulated services', () => {
  const lesson = mustLoad('06-habitat/12-via-service');

  it('after the fix, S3 still writes and reads with the key for role/UploadApp; Secrets Manager is refused with KMS\'s AccessDenied', async () => {
    const region = 'eu-west-1';
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory, params: { region } });
    const key = session.repository.list('key').find((k) => k.description === 'Uploads key')!;
    const steps = [
      { s3: 'CreateBucket', region, request: { Bucket: 'photo-uploads' } },
      { s3: 'PutBucketEncryption', region, request: { Bucket: 'photo-uploads', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.id } }] } } },
      { id: 'put', s3: 'PutObject', as: 'role/UploadApp', region, request: { Bucket: 'photo-uploads', Key: 'IMG.jpg', Body: { $utf8: 'jpeg bytes' } } },
      { id: 'get', s3: 'GetObject', as: 'role/UploadApp', region, request: { Bucket: 'photo-uploads', Key: 'IMG.jpg' } },
      { id: 'secret', secretsManager: 'CreateSecret', as: 'role/UploadApp', region, request: { Name: 'upload-token', SecretString: 'token', KmsKeyId: key.id }, expectError: 'AccessDeniedException' },
    ] as const;
    const before = session.callCount;
    for (const step of steps) await session.runStep(step as never);
    // S3's GenerateDataKey and Decrypt, and Secrets Manager's refused GenerateDataKey, went through the session.
    expect(session.callCount - before).toBeGreaterThanOrEqual(3);
    const trail = session.repository.list('trailEvent').map((t) => t.record).filter((r) => (r.userIdentity as { invokedBy?: string }).invokedBy !== undefined);
    expect(trail.map((r) => [r.eventName, (r.userIdentity as { invokedBy?: string }).invokedBy, r.errorCode ?? null])).toEqual(
      expect.arrayContaining([
        ['GenerateDataKey', 's3.amazonaws.com', null],
        ['Decrypt', 's3.amazonaws.com', null],
        ['GenerateDataKey', 'secretsmanager.amazonaws.com', 'AccessDeniedException'],
      ]),
    );
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
  it('only retrying the thumbnail job leaves exactly that goal unmet (the backfill keeps the ap-southeast-2 quota)', async () => {
    const { evaluation } = await runAntiSolution(lesson, antiIndex(lesson, /only retries the thumbnail job/), { seed: SEED, factory: memoryFactory });
    expect(unmet(evaluation)).toEqual(['thumbnails-fixed']);
  });
});

describe('lesson 14: what S3 sends to KMS', () => {
  const lesson = mustLoad('06-habitat/14-bucket-keys-throttling');

  it('sends the object ARN through S3 before Bucket Keys, the bucket ARN after; the ingest\'s KMS rate drops 100-fold (24,000 → 240/s)', async () => {
    const params = { region: 'ap-southeast-2', bucket: 'ingest-raw-4711' };
    const session = await startLesson(lesson, { seed: SEED, factory: memoryFactory, params });
    const gdks = () => session.repository.list('trailEvent').filter((t) => t.record.eventName === 'GenerateDataKey').map((t) => t.record);
    const [first] = gdks();
    expect(first!.userIdentity).toMatchObject({ invokedBy: 's3.amazonaws.com' });
    expect(first!.sourceIPAddress).toBe('s3.amazonaws.com');
    expect((first!.requestParameters as { encryptionContext: unknown }).encryptionContext).toEqual({ 'aws:s3:arn': 'arn:aws:s3:::ingest-raw-4711/2026/01/15/batch-0001.json' });
    expect(listWorkloads(session.service).map((w) => [w.label, w.ratePerSecond, w.running])).toEqual([['nightly ingest', 24_000, true]]);

    await session.runSteps(lesson.solution);
    expect(listWorkloads(session.service).map((w) => w.ratePerSecond)).toEqual([240]);
    const put = await session.serviceCall('s3', 'PutObject', { Bucket: 'ingest-raw-4711', Key: 'after.json', Body: new TextEncoder().encode('{}') }, { principalArn: 'arn:aws:iam::111122223333:role/IngestJob', accountId: '111122223333', region: 'ap-southeast-2' } as never);
    expect(put.ok).toBe(true);
    const last = gdks().at(-1)!;
    expect((last.requestParameters as { encryptionContext: unknown }).encryptionContext).toEqual({ 'aws:s3:arn': 'arn:aws:s3:::ingest-raw-4711' });
  });

  it('the prediction waits for the reports team\'s own Decrypt: S3\'s Decrypt for the ingest (with its context) does not trigger it', async () => {
    const session = await startLesson(lesson, { seed: SEED, factory: memoryFactory, params: { bucket: 'ingest-raw-4711' } });
    const ingest = { principalArn: 'arn:aws:iam::111122223333:role/IngestJob', accountId: '111122223333', region: 'ap-southeast-2' } as never;
    const get = await session.serviceCall('s3', 'GetObject', { Bucket: 'ingest-raw-4711', Key: '2026/01/15/batch-0001.json' }, ingest);
    // Throttled as well: the ingest's own reads share the quota it exhausts (S3 reports SlowDown).
    expect(get).toMatchObject({ ok: false, error: { kmsError: { name: 'ThrottlingException' } } });
    // The failed KMS call keeps its request id: it links to its trail record.
    const failed = !get.ok ? get.error.kmsCalls?.at(-1) : undefined;
    expect(failed?.requestId).toBeDefined();
    expect(session.repository.list('trailEvent').some((t) => t.record.requestID === failed?.requestId && t.record.errorCode === 'ThrottlingException')).toBe(true);
    expect(session.predictions).toEqual([]);
    await session.runStep(lesson.solution[0]!);
    expect(session.predictions).toEqual([{ predictionId: 'shared-quota', predicted: 'ThrottlingException', actual: 'ThrottlingException', correct: true }]);
  });

  it('a service step with the wrong expectation fails loudly, naming what happened', async () => {
    const session = await startLesson(lesson, { seed: SEED, factory: memoryFactory });
    const step = { s3: 'GetObject', request: { Bucket: 'no-such-bucket-here', Key: 'x' }, expectError: 'AccessDenied' } as const;
    await expect(session.runStep(step)).rejects.toThrow(LessonStepError);
    await expect(session.runStep(step)).rejects.toThrow(/expected to fail with AccessDenied, got NoSuchBucket/);
    await expect(session.runStep({ workload: { stop: 'nobody' } })).rejects.toThrow(/no workload labelled "nobody"/);
  });
});

describe('lesson 13: recorded runs', () => {
  const lesson = mustLoad('06-habitat/13-caching-cost');

  it('prices a month of requests as cost.ts does: 5 requests/s = 12,960,000 a month = (12,960,000 − 20,000) / 10,000 × $0.03 = $38.82', async () => {
    const run = (attempts: number, seconds: number) => monthlyRequestCostOf({ totals: { attempts } as never, spec: { seconds } as never });
    expect(run(300, 60)).toBeCloseTo(38.82, 10);
    expect(run(0, 60)).toBe(0);
    expect(run(10, 0)).toBe(0);
  });

  it('the solution\'s cache (1,000 messages per data key) sends 5 GenerateDataKey a second; without a cache the other team\'s 17,000/s push the run into throttling', async () => {
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    const run = latestLoadRun(session.service)!;
    expect(run.caching).toEqual({ maxAgeMs: 60_000, maxMessagesEncrypted: 1000 });
    expect(run.totals.kmsRequests).toBe(300);
    expect(run.totals.throttled).toBe(0);
    expect(run.peakQuotaShare).toBeLessThan(0.01);

    const anti = await runAntiSolution(lesson, antiIndex(lesson, /No cache/), { seed: SEED, factory: memoryFactory });
    const bare = latestLoadRun(anti.session.service)!;
    expect(bare.caching).toBeNull();
    expect(bare.totals.kmsRequests).toBe(300_000);
    expect(bare.totals.throttled).toBeGreaterThan(0);
    expect(bare.peakQuotaShare).toBeGreaterThan(0.5);
  });
});

describe('loader: issue 8 steps and matchers', () => {
  const base = () => ({
    'index.md': '---\nid: tiny\ntitle: Tiny\nsummary: A tiny lesson.\npar: 1\n---\nDo it.\n\n## In real AWS\nSame.\n',
    'start.json': JSON.stringify({ setup: [] }),
    'goal.json': JSON.stringify({ goals: [{ id: 'g', title: 'Key exists', check: { keyExists: { description: 'k' } } }] }),
    'solution.json': JSON.stringify({ solution: [{ call: 'CreateKey', request: { Description: 'k' } }] }),
  });
  const errorsOf = (files: Record<string, string>) => {
    const r = loadLesson(files, 'test/tiny');
    return r.ok ? [] : [...r.errors];
  };

  it('accepts the new steps and matchers', () => {
    const files = base();
    files['solution.json'] = JSON.stringify({
      solution: [
        { s3: 'CreateBucket', region: 'eu-west-1', request: { Bucket: 'b-1' } },
        { secretsManager: 'CreateSecret', request: { Name: 's', SecretString: 'x' }, expectError: 'AccessDeniedException' },
        { workload: { label: 'w', ratePerSecond: 10, seconds: 5, source: 's3', bucket: 'b-1' } },
        { workload: { stop: 'w' } },
        { load: { ratePerSecond: 10, seconds: 5, key: 'alias/x', caching: { maxAgeMs: 1000 } } },
      ],
    });
    files['goal.json'] = JSON.stringify({
      goals: [
        { id: 'a', title: 'A', check: { loadRun: { maxPeakQuotaShare: 0.5, maxMonthlyCost: 0, cacheLimits: { maxAgeMsAtMost: 1 } } } },
        { id: 'b', title: 'B', check: { bucketKeyEnabled: { bucket: 'b-1' } } },
        { id: 'c', title: 'C', check: { s3PutSucceeds: { bucket: 'b-1', as: 'role/AppRole' } } },
        { id: 'd', title: 'D', check: { callSucceeds: { operation: 'Decrypt', key: { alias: 'alias/x' }, as: 'role/AppRole' } } },
        { id: 'e', title: 'E', check: { policyAllows: { key: { alias: 'alias/x' }, principal: 'root', action: 'kms:Decrypt', via: 'secretsmanager' } } },
      ],
    });
    expect(errorsOf(files)).toEqual([]);
  });

  it('names every problem with its JSON path', () => {
    const files = base();
    files['solution.json'] = JSON.stringify({
      solution: [
        { s3: 'DeleteBucket', request: {} },
        { secretsManager: 'GetSecretValue', request: 'x' },
        { workload: { label: '', ratePerSecond: -1, seconds: 5, source: 's3' } },
        { workload: { stop: 'w', label: 'x' } },
        { load: { ratePerSecond: 10, seconds: 0, key: 'alias/x', operation: 'Sign', caching: 3 } },
      ],
    });
    files['goal.json'] = JSON.stringify({
      goals: [
        { id: 'a', title: 'A', check: { loadRun: { maxPeakQuota: 0.5 } } },
        { id: 'b', title: 'B', check: { loadRun: { cacheLimits: { maxAge: 1 } } } },
        { id: 'c', title: 'C', check: { s3PutSucceeds: { bucket: 'b-1' } } },
        { id: 'd', title: 'D', check: { callSucceeds: { operation: 'Frobnicate', key: { alias: 'alias/x' }, as: 'root' } } },
        { id: 'e', title: 'E', check: { policyDenies: { key: { alias: 'alias/x' }, principal: 'root', action: 'kms:Decrypt', via: 'lambda' } } },
      ],
    });
    expect(errorsOf(files)).toEqual([
      'goal.json: goals[0].check.loadRun.maxPeakQuota: unknown bound (one of minRatePerSecond, minSeconds, spec, maxPeakQuotaShare, maxMonthlyCost, cacheLimits)',
      'goal.json: goals[1].check.loadRun.cacheLimits.maxAge: unknown bound (one of maxAgeMsAtMost, maxMessagesAtMost, maxBytesAtMost)',
      'goal.json: goals[2].check.s3PutSucceeds.as: expected a non-empty string',
      'goal.json: goals[3].check.callSucceeds.operation: unknown operation "Frobnicate"',
      'goal.json: goals[4].check.policyDenies.via: expected one of "s3", "secretsmanager", "ec2"',
      'solution.json: solution[0].s3: unknown operation "DeleteBucket" (one of CreateBucket, PutBucketEncryption, GetBucketEncryption, PutObject, GetObject, HeadObject, ListObjectsV2, ListBuckets, DeleteObject)',
      'solution.json: solution[1].request: expected an object',
      'solution.json: solution[2].workload.label: expected a non-empty string',
      'solution.json: solution[2].workload.ratePerSecond: expected a positive number',
      'solution.json: solution[2].workload.bucket: expected a non-empty string',
      'solution.json: solution[3].workload: a stop step has only "stop"',
      'solution.json: solution[4].load.seconds: expected a positive number',
      'solution.json: solution[4].load.operation: expected one of GenerateDataKey, Decrypt, Encrypt',
      'solution.json: solution[4].load.caching: expected cache limits { maxAgeMs, maxMessagesEncrypted?, maxBytesEncrypted? } or null',
    ]);
  });
});
