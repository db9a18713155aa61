/**
 * The lesson engine beyond replays: loader errors for malformed files, id-agnostic goals (two
 * seeds, different ids and parameters), predictions and misconceptions, stars, hints, and probes
 * that leave the learner's sandbox untouched.
 */
import { describe, expect, it } from 'vitest';
import { callerOf, drawParams, findKeys, loadLesson, LessonStepError, runSolution, startLesson } from '../../../src/lessons';
import { lessonFiles, memoryFactory, mustLoad } from './lessonFiles';

const ENVELOPE = '01-foundations/01-envelope-encryption';
const CONTEXT = '01-foundations/02-encryption-context';
const LOCKOUT = '02-access/03-key-policy-lockout';
const DELETION = '03-lifecycle/08-scheduled-deletion';

/** A small valid lesson to break one file at a time. */
function minimal(): Record<string, string> {
  return {
    'index.md': '---\nid: tiny\ntitle: Tiny\nsummary: A tiny lesson.\npar: 1\n---\nDo it.\n\n## In real AWS\nSame.\n',
    'start.json': JSON.stringify({ params: { name: { oneOf: ['a', 'b'] } }, setup: [{ id: 'key', call: 'CreateKey', request: { Description: 'k-$name' } }] }),
    'goal.json': JSON.stringify({ goals: [{ id: 'g', title: 'Key exists', check: { keyExists: { description: 'k-${name}' } } }] }),
    'solution.json': JSON.stringify({ solution: [{ call: 'CreateAlias', request: { AliasName: 'alias/x', TargetKeyId: '$ref:key.KeyMetadata.KeyId' } }] }),
  };
}

function errorsOf(files: Record<string, string>): string[] {
  const r = loadLesson(files, 'test/tiny');
  return r.ok ? [] : [...r.errors];
}

function edit(file: string, change: (v: Record<string, unknown>) => void): Record<string, string> {
  const files = minimal();
  const v = JSON.parse(files[file]!) as Record<string, unknown>;
  change(v);
  files[file] = JSON.stringify(v);
  return files;
}

describe('loadLesson', () => {
  it('accepts the minimal lesson and reads the frontmatter and the "In real AWS" note', () => {
    const r = loadLesson(minimal(), 'test/tiny');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.lesson.text).toMatchObject({ id: 'tiny', title: 'Tiny', par: 1, inRealAws: 'Same.' });
    }
  });

  it('names missing files and invalid JSON', () => {
    const files = minimal();
    delete files['goal.json'];
    expect(loadLesson(files)).toMatchObject({ ok: false, reason: 'missing-file' });
    const bad = { ...minimal(), 'solution.json': '{ nope' };
    const r = loadLesson(bad);
    expect(r).toMatchObject({ ok: false, reason: 'invalid-json' });
    expect(r.ok ? [] : r.errors[0]).toMatch(/^solution\.json: invalid JSON/);
  });

  it('requires frontmatter fields, an integer par and the "In real AWS" section', () => {
    const files = { ...minimal(), 'index.md': '---\nid: Tiny Lesson\ntitle: T\npar: 1.5\n---\nNo note.' };
    const errors = errorsOf(files);
    expect(errors).toContain('index.md: frontmatter: missing summary');
    expect(errors).toContain('index.md: frontmatter: id must be a lowercase slug');
    expect(errors).toContain('index.md: frontmatter: par must be a positive integer');
    expect(errors).toContain('index.md: missing "## In real AWS" section');
  });

  it('rejects unknown matchers, key matchers by id, and bad policy actions, with the JSON path', () => {
    const errors = errorsOf(
      edit('goal.json', (g) => {
        g.goals = [
          { id: 'a', title: 'A', check: { keyExist: { alias: 'alias/x' } } },
          { id: 'b', title: 'B', check: { keyState: { key: { keyId: '1234abcd' }, state: 'Enabled' } } },
          { id: 'c', title: 'C', check: { policyAllows: { key: { alias: 'alias/x' }, principal: 'root', action: 'Decrypt' } } },
          { id: 'c', title: 'D', check: { not: { all: [{ bogus: 1 }] } } },
        ];
      }),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^goal\.json: goals\[0\]\.check: unknown matcher "keyExist"/),
      'goal.json: goals[1].check.keyState.key: a key matcher uses alias, tag, description, region, keySpec, keyUsage, multiRegion, multiRegionKeyType (never an id)',
      'goal.json: goals[2].check.policyAllows.action: expected kms:<Operation>',
      'goal.json: goals[3].id: duplicate id "c"',
      expect.stringMatching(/^goal\.json: goals\[3\]\.check\.not\.all\[0\]: unknown matcher "bogus"/),
    ]);
  });

  it('rejects unknown operations, undeclared parameters and references to later steps', () => {
    const errors = errorsOf(
      edit('solution.json', (s) => {
        s.solution = [
          { call: 'DeleteKey', request: {} },
          { call: 'Encrypt', request: { KeyId: '$ref:later.KeyId', Plaintext: { $utf8: '${nobody}' } } },
          { id: 'later', call: 'DescribeKey', request: { KeyId: 'alias/x' } },
          { advanceDays: 1, store: 'x', value: 1 },
        ];
      }),
    );
    expect(errors).toEqual([
      'solution.json: solution[0].call: unknown operation "DeleteKey"',
      'solution.json: solution[1]: $ref to unknown or later step "later"',
      'solution.json: solution[3]: expected exactly one of call, advanceDays, advanceSeconds, world, store, envelope, digest, verifyOffline, s3, secretsManager, workload, load',
      'solution.json: solution[1].request.Plaintext.$utf8: unknown parameter $nobody',
    ]);
  });

  it('checks parameters and predictions', () => {
    const files = edit('start.json', (s) => {
      s.params = { a: { oneOf: [] }, b: { oneOf: ['x'], distinctFrom: ['c'] } };
    });
    files['goal.json'] = JSON.stringify({
      goals: [{ id: 'g', title: 'G', check: { bucketHasNoPlaintextKey: true } }],
      predictions: [{ id: 'p', question: 'Q?', explanation: 'E', before: { operation: 'Frobnicate' }, options: [{ id: 'o', label: 'L', outcome: 'Allow' }] }],
    });
    const errors = errorsOf(files);
    expect(errors).toEqual(
      expect.arrayContaining([
        'start.json: params.a.oneOf: expected a non-empty array of strings',
        'start.json: params.b.distinctFrom: "c" must be a parameter declared before',
        'goal.json: predictions[0].before.operation: expected an operation name',
        'goal.json: predictions[0].options: expected at least two options',
      ]),
    );
  });

  it('loads every shipped lesson', () => {
    for (const p of [ENVELOPE, CONTEXT, LOCKOUT, DELETION]) expect(loadLesson(lessonFiles(p), p).ok).toBe(true);
  });
});

describe('parameters and id-agnostic goals', () => {
  it('draws parameters from the seed, deterministically and distinct where asked', () => {
    const lesson = mustLoad(CONTEXT);
    const a = drawParams(lesson.params, 7);
    expect(drawParams(lesson.params, 7)).toEqual(a);
    const draws = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => drawParams(lesson.params, s));
    for (const d of draws) expect(d.tenant).not.toBe(d.otherTenant);
    expect(new Set(draws.map((d) => d.tenant)).size).toBeGreaterThan(1);
    expect(drawParams(lesson.params, 7, { tenant: 'acme' }).tenant).toBe('acme');
  });

  it('the same goals pass for different seeds, key ids and parameters', async () => {
    const lesson = mustLoad(CONTEXT);
    const one = await runSolution(lesson, { seed: 11, factory: memoryFactory, params: { tenant: 'acme', otherTenant: 'globex' } });
    const two = await runSolution(lesson, { seed: 12, factory: memoryFactory, params: { tenant: 'hooli', otherTenant: 'initech' } });
    const idOf = (s: typeof one.session) => findKeys(s.repository, { alias: 'alias/tenant-data' })[0]!.keyId;
    expect(idOf(one.session)).not.toBe(idOf(two.session));
    expect(one.evaluation.solved && two.evaluation.solved).toBe(true);
    expect(one.evaluation.goals.find((g) => g.id === 'worker-other-tenant')?.title).toBe('role/TenantWorker cannot decrypt globex data');
  });
});

describe('sessions', () => {
  it('runs the setup before the start: no calls counted, goals unmet, the trail of the setup ignored', async () => {
    const session = await startLesson(mustLoad(DELETION), { seed: 5, factory: memoryFactory });
    expect(session.callCount).toBe(0);
    const goals = await session.check();
    expect(goals.find((g) => g.id === 'job-works')).toMatchObject({ met: false });
    expect(goals.find((g) => g.id === 'enabled')).toMatchObject({ met: true, reason: 'alias/nightly-reports is Enabled' });
  });

  it('asks a prediction once, before the matching call, and names the misconception of a wrong guess', async () => {
    const lesson = mustLoad(DELETION);
    const session = await startLesson(lesson, { seed: 5, factory: memoryFactory });
    const asked: (string | null)[] = [];
    session.onCall(({ prediction }) => {
      asked.push(prediction?.id ?? null);
      return prediction ? 'allow' : undefined;
    });
    const [schedule, advance, job] = lesson.solution;
    // Before the key is pending deletion, a Decrypt does not trigger the prediction.
    expect(session.pendingPrediction('Decrypt')).toBeNull();
    await session.runStep(schedule!);
    await session.runStep(advance!);
    const { predict: _ignored, ...jobWithoutAnswer } = job as { predict?: string };
    await session.runStep(jobWithoutAnswer as typeof job & object);
    expect(asked).toEqual([null, 'pending-deletion-decrypt']);
    expect(session.predictions).toEqual([{ predictionId: 'pending-deletion-decrypt', predicted: 'Allow', actual: 'KMSInvalidStateException', correct: false }]);
    expect(session.misconceptions).toEqual([
      { predictionId: 'pending-deletion-decrypt', name: 'pending-deletion-key-still-decrypts', predicted: 'Allow', actual: 'KMSInvalidStateException' },
    ]);
    // Asked once: the next Decrypt on the pending key gets no prediction.
    expect(session.pendingPrediction('Decrypt')).toBeNull();
    await session.runSteps(lesson.solution.slice(3));
    expect(await session.stars()).toEqual({ solved: true, withinPar: true, perfect: false, count: 2 });
  });

  it('a prediction tied to a key fires only for calls naming that key', async () => {
    const lesson = mustLoad(LOCKOUT);
    const session = await startLesson(lesson, { seed: 2, factory: memoryFactory });
    const scratch = findKeys(session.repository, { alias: 'alias/scratch' })[0]!;
    const payroll = findKeys(session.repository, { alias: 'alias/payroll' })[0]!;
    expect(session.pendingPrediction('PutKeyPolicy', { KeyId: scratch.keyId })).toBeNull();
    expect(session.pendingPrediction('PutKeyPolicy', { KeyId: payroll.id })?.id).toBe('self-locking-policy');
  });

  it('awards stars: solved, within par, no hints and every prediction right', async () => {
    const lesson = mustLoad(ENVELOPE);
    const best = await runSolution(lesson, { seed: 1, factory: memoryFactory });
    expect(await best.session.stars()).toEqual({ solved: true, withinPar: true, perfect: true, count: 3 });

    const hinted = await runSolution(lesson, { seed: 1, factory: memoryFactory });
    expect(hinted.session.revealHint()).toBe(lesson.hints[0]);
    expect(hinted.session.hintsRevealed).toBe(1);
    expect(await hinted.session.stars()).toMatchObject({ perfect: false, count: 2 });

    const slow = await runSolution(lesson, { seed: 1, factory: memoryFactory });
    await slow.session.call('DescribeKey', { KeyId: 'alias/reports' }, callerOf('role/AppRole'));
    await slow.session.call('DescribeKey', { KeyId: 'alias/reports' }, callerOf('role/AppRole'));
    expect(slow.session.callCount).toBe(4);
    expect(await slow.session.stars()).toMatchObject({ solved: true, withinPar: false, count: 2 });

    const unsolved = await startLesson(lesson, { seed: 1, factory: memoryFactory });
    expect(await unsolved.stars()).toEqual({ solved: false, withinPar: false, perfect: false, count: 0 });
  });

  it('reveals hints one at a time, then null', async () => {
    const lesson = mustLoad(DELETION);
    const session = await startLesson(lesson, { seed: 1, factory: memoryFactory });
    const seen = lesson.hints.map(() => session.revealHint());
    expect(seen).toEqual(lesson.hints);
    expect(session.revealHint()).toBeNull();
  });

  it('probes and policy goals run on a copy: the learner sandbox and its trail are untouched', async () => {
    const { session } = await runSolution(mustLoad(LOCKOUT), { seed: 3, factory: memoryFactory });
    const trail = session.repository.list('trailEvent').length;
    const keys = JSON.stringify(session.repository.list('key'));
    const policies = JSON.stringify(session.repository.list('policy'));
    await session.evaluate();
    await session.evaluate();
    expect(session.repository.list('trailEvent').length).toBe(trail);
    expect(JSON.stringify(session.repository.list('key'))).toBe(keys);
    expect(JSON.stringify(session.repository.list('policy'))).toBe(policies);
  });

  it('a call returns the AWS error instead of throwing; a step with the wrong expectation fails loudly', async () => {
    const session = await startLesson(mustLoad(ENVELOPE), { seed: 1, factory: memoryFactory });
    const out = await session.call('Encrypt', { KeyId: 'alias/nope', Plaintext: new Uint8Array(1) }, callerOf('root'));
    expect(out).toMatchObject({ ok: false, error: { name: 'NotFoundException' } });
    await expect(session.runStep({ call: 'DescribeKey', request: { KeyId: 'alias/reports' }, expectError: 'NotFoundException' })).rejects.toThrow(LessonStepError);
    await expect(session.runStep({ call: 'DescribeKey', request: { KeyId: '$ref:missing.KeyId' } })).rejects.toThrow(/no response for step "missing"/);
  });
});

describe('interpolate', () => {
  it('fills ${param} in prose and leaves unknown names as written', async () => {
    const { interpolate } = await import('../../../src/lessons');
    expect(interpolate('store ${report} for ${who}', { report: 'q3.pdf' })).toBe('store q3.pdf for ${who}');
  });
});

describe('prediction triggers on request fields', () => {
  it('lesson 2 asks only before a Decrypt without an encryption context', async () => {
    const session = await startLesson(mustLoad(CONTEXT), { seed: 4, factory: memoryFactory });
    expect(session.pendingPrediction('Decrypt', { CiphertextBlob: new Uint8Array(1), EncryptionContext: { tenant: 'x' } })).toBeNull();
    expect(session.pendingPrediction('Decrypt', { CiphertextBlob: new Uint8Array(1) })?.id).toBe('decrypt-without-context');
  });

  it('trailHas matches the logged context values, not just the keys', async () => {
    const lesson = mustLoad(CONTEXT);
    const session = await startLesson(lesson, { seed: 4, factory: memoryFactory, params: { tenant: 'acme', otherTenant: 'globex' } });
    await session.call('Encrypt', { KeyId: 'alias/tenant-data', Plaintext: new Uint8Array(4), EncryptionContext: { tenant: 'globex' } }, callerOf('role/AppRole'));
    expect((await session.check()).find((g) => g.id === 'tenant-context')?.met).toBe(false);
    await session.call('Encrypt', { KeyId: 'alias/tenant-data', Plaintext: new Uint8Array(4), EncryptionContext: { tenant: 'acme' } }, callerOf('role/AppRole'));
    expect((await session.check()).find((g) => g.id === 'tenant-context')?.met).toBe(true);
  });
});
