/**
 * The load generator (src/services/loadGenerator.ts): exact counts per sandbox second against
 * the §3.6 quotas, the SDK retries landing where the model says, Bucket Keys and caching, the
 * executed sample on a copy (the learner's sandbox untouched), recorded runs, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allRecords, createKmsService, createSeededRandom, webCryptoBackend, type CallerContext, type KmsService } from '../../../src/kms';
import { createMemoryRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import {
  countInSecond,
  downsample,
  expectedRetryDelayMs,
  latestLoadRun,
  loadRunError,
  retryLandsAfter,
  runLoad,
  shareAdmission,
  validateLoadSpec,
  type LoadSpec,
} from '../../../src/services/loadGenerator';
import { startWorkload } from '../../../src/services/workloads';
import { cacheEffect } from '../../../src/services/cachingCmm';
import { ACCOUNT, PARTNER, ROOT, callerIn, makeHarness, seedOf, type Harness } from '../kms/harness';

const SYDNEY = callerIn(ACCOUNT, 'ap-southeast-2'); // symmetric quota 20,000/s

/** A copy of the harness's sandbox (new repository from its records, new service), as lessons make for probes. */
function copier(h: Harness): () => Promise<KmsService> {
  return async () => {
    const now = h.service.now();
    return createKmsService({ repository: createMemoryRepository(allRecords(h.repo)), clock: { now: () => now }, random: createSeededRandom(seedOf(9)), crypto: webCryptoBackend, recordTrail: toTrailRecord });
  };
}

const spec = (over: Partial<LoadSpec>): LoadSpec => ({ ratePerSecond: 1, seconds: 1, source: 'app', operation: 'GenerateDataKey', keyId: 'alias/none', caller: SYDNEY, ...over });

describe('the request model', () => {
  it('spreads fractional rates exactly (cumulative ceilings)', () => {
    expect([0, 1, 2, 3].map((s) => countInSecond(0.5, s))).toEqual([1, 0, 1, 0]);
    expect([0, 1, 2].map((s) => countInSecond(2.5, s))).toEqual([3, 2, 3]);
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 500 }), (r, n) => {
        let sum = 0;
        for (let s = 0; s < n; s++) sum += countInSecond(r, s);
        return sum === Math.ceil(Math.round(r * n * 1e6) / 1e6);
      }),
    );
  });

  it("SDK standard mode backoff: expected min(1000·2^i, 20000)/2 ms; retries land at least one second later", () => {
    expect([0, 1, 2, 3, 4, 5].map(expectedRetryDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 10000]);
    expect([0, 1, 2, 3, 4, 5].map(retryLandsAfter)).toEqual([1, 1, 2, 4, 8, 10]);
  });

  it('shares a window among attempts in proportion (largest remainder), never more than each has', () => {
    expect(shareAdmission([25_000, 5_000], 20_000)).toEqual([16_667, 3_333]);
    expect(shareAdmission([3, 3], 3)).toEqual([2, 1]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 3e6 }), (sizes, a) => {
        const out = shareAdmission(sizes, a);
        const total = sizes.reduce((x, y) => x + y, 0);
        return out.reduce((x, y) => x + y, 0) === Math.min(a, total) && out.every((v, i) => v >= 0 && v <= sizes[i]!);
      }),
    );
  });
});

describe('runLoad counts on the clock', () => {
  it('12,000 req/s for 3 s in ap-southeast-2 (quota 20,000): nothing throttled', async () => {
    const h = await makeHarness();
    const r = await runLoad(h.service, spec({ ratePerSecond: 12_000, seconds: 3 }));
    expect(r.quota).toMatchObject({ id: 'symmetric', perSecond: 20_000 });
    expect(r.series).toEqual([0, 1, 2].map((t) => ({ t, offered: 12_000, kmsRequests: 12_000, admitted: 12_000, throttled: 0, retries: 0, failedAfterRetries: 0 })));
    expect(r.totals).toMatchObject({ offered: 36_000, attempts: 36_000, admitted: 36_000, throttled: 0, peakKmsRequestsPerSecond: 12_000, peakQuotaShare: 0.6, seconds: 3 });
  });

  it('25,000 req/s for 1 s: 5,000 throttled in the first second, retried and admitted in the next', async () => {
    const h = await makeHarness();
    const r = await runLoad(h.service, spec({ ratePerSecond: 25_000, seconds: 1 }));
    expect(r.series).toEqual([
      { t: 0, offered: 25_000, kmsRequests: 25_000, admitted: 20_000, throttled: 5_000, retries: 0, failedAfterRetries: 0 },
      { t: 1, offered: 0, kmsRequests: 0, admitted: 5_000, throttled: 0, retries: 5_000, failedAfterRetries: 0 },
    ]);
  });

  it('25,000 req/s for 3 s: hand-computed seconds, every request admitted once or failed after 3 attempts', async () => {
    const h = await makeHarness();
    const r = await runLoad(h.service, spec({ ratePerSecond: 25_000, seconds: 3 }));
    // s0: 25,000 new → 20,000 in, 5,000 retried (attempt 2) in s1.
    // s1: 25,000 new + 5,000 retries; 20,000 in shared 2:1/3 → 16,667 + 3,333; 8,333 (attempt 2) and 1,667 (attempt 3) land in s2.
    expect(r.series[0]).toEqual({ t: 0, offered: 25_000, kmsRequests: 25_000, admitted: 20_000, throttled: 5_000, retries: 0, failedAfterRetries: 0 });
    expect(r.series[1]).toEqual({ t: 1, offered: 25_000, kmsRequests: 25_000, admitted: 20_000, throttled: 10_000, retries: 5_000, failedAfterRetries: 0 });
    // s2: 25,000 + 8,333 + 1,667 = 35,000; 20,000 in (4/7 each: 14,286 / 4,762 / 952); the 715 attempt-3 requests throttled fail.
    expect(r.series[2]).toMatchObject({ t: 2, kmsRequests: 25_000, retries: 10_000, admitted: 20_000, throttled: 15_000, failedAfterRetries: 715 });
    expect(r.totals.admitted + r.totals.failedAfterRetries).toBe(r.totals.kmsRequests);
    expect(r.totals.attempts).toBe(r.totals.admitted + r.totals.throttled);
    for (const x of r.series) expect(x.admitted).toBeLessThanOrEqual(20_000);
  });

  it('a retry lands where the model says: seconds 1, 2, 4, 8 for attempts 2–5 behind a workload that fills the quota', async () => {
    const h = await makeHarness();
    await startWorkload(h.service, { label: 'fills it', caller: SYDNEY, ratePerSecond: 20_000, seconds: 8, operation: 'Decrypt', source: 'app' });
    const r = await runLoad(h.service, spec({ ratePerSecond: 1, seconds: 1, maxAttempts: 5 }));
    const rows = r.series.filter((x) => x.kmsRequests + x.retries > 0).map((x) => [x.t, x.admitted, x.throttled, x.retries]);
    expect(rows).toEqual([
      [0, 0, 1, 0],
      [1, 0, 1, 1],
      [2, 0, 1, 1],
      [4, 0, 1, 1],
      [8, 1, 0, 1], // the workload ended at 8 s
    ]);
    expect(r.totals.background).toBe(8 * 20_000);
    const r2 = await runLoad(h.service, spec({ ratePerSecond: 1, seconds: 1, maxAttempts: 3 }));
    expect(r2.series.at(-1)).toMatchObject({ t: 2, throttled: 1, failedAfterRetries: 1 });
  });

  it('property: every request is admitted once or fails; no window admits more than the quota leaves', async () => {
    const h = await makeHarness();
    await startWorkload(h.service, { label: 'bg', caller: SYDNEY, ratePerSecond: 7_500, seconds: 20, operation: 'Decrypt', source: 'app' });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), async (rate, seconds, maxAttempts) => {
        const r = await runLoad(h.service, spec({ ratePerSecond: rate, seconds, maxAttempts }));
        expect(r.totals.admitted + r.totals.failedAfterRetries).toBe(r.totals.kmsRequests);
        expect(r.totals.attempts).toBe(r.totals.admitted + r.totals.throttled);
        expect(r.totals.kmsRequests).toBe(rate * seconds);
        r.series.forEach((x) => expect(x.admitted).toBeLessThanOrEqual(20_000 - (x.t < 20 ? 7_500 : 0)));
        if (maxAttempts === 1) expect(r.totals.retries).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('a workload of another account does not count', async () => {
    const h = await makeHarness();
    await startWorkload(h.service, { label: 'partner', caller: callerIn(PARTNER, 'ap-southeast-2'), ratePerSecond: 20_000, seconds: 8, operation: 'Decrypt', source: 'app' });
    const r = await runLoad(h.service, spec({ ratePerSecond: 20_000, seconds: 2 }));
    expect(r.totals).toMatchObject({ throttled: 0, background: 0 });
  });

  it('S3 Bucket Keys: 30,000 PUTs/s → 300 GenerateDataKey/s (one per 100 objects); without them 30,000 and throttled', async () => {
    const h = await makeHarness();
    const on = await runLoad(h.service, spec({ source: 's3', bucket: 'ingest', bucketKeyEnabled: true, ratePerSecond: 30_000, seconds: 10 }));
    expect(on.series.every((x) => x.kmsRequests === 300 && x.offered === 30_000)).toBe(true);
    expect(on.totals).toMatchObject({ offered: 300_000, kmsRequests: 3_000, throttled: 0 });
    const off = await runLoad(h.service, spec({ source: 's3', bucket: 'ingest', ratePerSecond: 30_000, seconds: 10 }));
    expect(off.totals.kmsRequests).toBe(300_000);
    expect(off.series[0]!.throttled).toBe(10_000);
    // At one object every 10 s a bucket key serves 30 objects (5 minutes): 0.1/s → 1 request per 300 s.
    const slow = await runLoad(h.service, spec({ source: 's3', bucket: 'ingest', bucketKeyEnabled: true, ratePerSecond: 0.1, seconds: 600 }));
    expect(slow.totals).toMatchObject({ offered: 60, kmsRequests: 2 });
  });

  it('data-key caching: 5,000 messages/s with 100 messages per key → 50 GenerateDataKey/s; the byte and age limits bind when lower', async () => {
    const h = await makeHarness();
    const r = await runLoad(h.service, spec({ ratePerSecond: 5_000, seconds: 4, caching: { maxAgeMs: 60_000, maxMessagesEncrypted: 100 } }));
    expect(r.totals).toMatchObject({ offered: 20_000, kmsRequests: 200 });
    const bytes = await runLoad(h.service, spec({ ratePerSecond: 5_000, seconds: 4, messageBytes: 1000, caching: { maxAgeMs: 60_000, maxBytesEncrypted: 10_000 } }));
    expect(bytes.totals.kmsRequests).toBe(2_000); // 10 messages of 1,000 bytes per key
    const age = await runLoad(h.service, spec({ ratePerSecond: 10, seconds: 10, caching: { maxAgeMs: 5_000 } }));
    expect(age.totals.kmsRequests).toBe(2); // one key per 51 messages (the one at exactly 5 s still uses it)
    // Per second exactly the caching CMM's model.
    const limits = { maxAgeMs: 1_500, maxMessagesEncrypted: 7 };
    const odd = await runLoad(h.service, spec({ ratePerSecond: 13, seconds: 20, caching: limits }));
    const effect = cacheEffect({ messagesPerSecond: 13, seconds: 20, messageBytes: 1024, limits });
    expect(odd.series.map((x) => x.kmsRequests)).toEqual(Array.from({ length: 20 }, (_, t) => effect.perSecond(t)));
    expect(odd.totals.kmsRequests).toBe(effect.kmsRequests);
  });
});

describe('runLoad executes a sample on a copy', () => {
  it('executed + counted = every KMS request; the learner sandbox keeps its trail and log', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const trail = h.repo.list('trailEvent').length;
    const log = h.repo.list('logEntry').length;
    const progress: number[] = [];
    const r = await runLoad(h.service, spec({ keyId, caller: ROOT, ratePerSecond: 500, seconds: 250, sampleEvery: 10 }), { copy: copier(h), onProgress: (d) => progress.push(d) });
    expect(r.executed).toMatchObject({ calls: 25, kmsCalls: 25, succeeded: 25, errors: {}, where: 'copy', everySeconds: 10 });
    expect(r.executed.kmsCalls + r.counted).toBe(r.totals.attempts);
    expect(r.totals.attempts).toBe(125_000);
    expect(progress).toEqual([100, 200, 250]);
    expect(h.repo.list('trailEvent').length).toBe(trail);
    expect(h.repo.list('logEntry').length).toBe(log);
  });

  it('S3 as the source: the sample goes through with kms:ViaService and aws:s3:arn (Decrypt of a PUT made in setup)', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const r = await runLoad(h.service, spec({ keyId, caller: ROOT, source: 's3', bucket: 'photos', operation: 'Decrypt', ratePerSecond: 50, seconds: 3 }), { copy: copier(h) });
    expect(r.executed).toMatchObject({ calls: 3, succeeded: 3, errors: {} });
  });

  it('a Decrypt load by a principal that may only decrypt: the ciphertext (or object) it reads is made by the owner', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    const reader = { ...ROOT, principalArn: `arn:aws:iam::${ROOT.accountId}:user/alice` };
    await h.service.world.putIdentityPolicy(reader.principalArn, 'DecryptOnly', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: arn }] }));
    const app = await runLoad(h.service, spec({ keyId: arn, caller: reader, operation: 'Decrypt', ratePerSecond: 10, seconds: 3 }), { copy: copier(h) });
    expect(app.executed).toMatchObject({ calls: 3, succeeded: 3, errors: {} });
    expect(app.executed.setupError).toBeUndefined();
    // A key nobody can use for GenerateDataKey: the setup's failure is reported as such.
    const gone = await runLoad(h.service, spec({ keyId: 'alias/none', caller: reader, operation: 'Decrypt', ratePerSecond: 10, seconds: 1 }), { copy: copier(h) });
    expect(gone.executed.setupError).toMatch(/GenerateDataKey .* failed: NotFoundException/);
    void keyId;
  });

  it('S3 PUTs with Bucket Keys go through the S3 simulation: one GenerateDataKey via S3 for the sampled objects', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    let copy: Harness['repo'] | null = null;
    const capture = async () => {
      const now = h.service.now();
      copy = createMemoryRepository(allRecords(h.repo));
      return createKmsService({ repository: copy, clock: { now: () => now }, random: createSeededRandom(seedOf(9)), crypto: webCryptoBackend, recordTrail: toTrailRecord });
    };
    const r = await runLoad(h.service, spec({ keyId, caller: ROOT, source: 's3', bucket: 'ingest-bk', bucketKeyEnabled: true, ratePerSecond: 50, seconds: 5 }), { copy: capture });
    expect(r.executed).toMatchObject({ calls: 5, kmsCalls: 1, succeeded: 5, errors: {} });
    expect(r.executed.kmsCalls + r.counted).toBe(r.totals.attempts);
    const gdk = copy!.list('trailEvent').filter((t) => t.record.eventName === 'GenerateDataKey');
    expect(gdk.length).toBe(1);
    expect(gdk[0]!.record.userIdentity).toMatchObject({ invokedBy: 's3.amazonaws.com' });
    expect(copy!.list('serviceResource').filter((x) => x.service === 's3' && x.kind === 'object').length).toBe(5);
  });

  it('a caller the key policy does not allow: the sample reports AccessDeniedException', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const r = await runLoad(h.service, spec({ keyId: arn, caller: callerIn(PARTNER), ratePerSecond: 10, seconds: 2 }), { copy: copier(h) });
    expect(r.executed).toMatchObject({ calls: 2, succeeded: 0, errors: { AccessDeniedException: 2 } });
  });

  it('without a copy nothing is executed and everything is counted', async () => {
    const h = await makeHarness();
    const r = await runLoad(h.service, spec({ ratePerSecond: 10, seconds: 2 }));
    expect(r.executed).toMatchObject({ calls: 0, where: 'none' });
    expect(r.counted).toBe(20);
  });

  it('aborts with the signal, before or during the run', async () => {
    const h = await makeHarness();
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(runLoad(h.service, spec({ seconds: 100 }), { signal: ac.signal })).rejects.toThrow('stop');
    const mid = new AbortController();
    const seen: number[] = [];
    const run = runLoad(h.service, spec({ seconds: 1_000 }), {
      signal: mid.signal,
      onProgress: (d) => {
        seen.push(d);
        if (d === 300) mid.abort(new Error('stopped at 300'));
      },
    });
    await expect(run).rejects.toThrow('stopped at 300');
    expect(seen).toEqual([100, 200, 300]);
  });
});

describe('recorded runs', () => {
  it('record: true keeps one loadRun/latest record (≤ 120 points), replaced by the next run; latestLoadRun reads it', async () => {
    const h = await makeHarness();
    expect(latestLoadRun(h.service)).toBeNull();
    await runLoad(h.service, spec({ ratePerSecond: 25_000, seconds: 1000 }), { record: true });
    const first = latestLoadRun(h.service)!;
    expect(first).toMatchObject({ quotaPerSecond: 20_000, caching: null, step: 9 });
    expect(first.series.length).toBeLessThanOrEqual(120);
    expect(first.peakQuotaShare).toBeGreaterThan(1);
    await runLoad(h.service, spec({ ratePerSecond: 5_000, seconds: 60, caching: { maxAgeMs: 300_000, maxMessagesEncrypted: 1000 } }), { record: true });
    const second = latestLoadRun(h.service)!;
    expect(h.service.world.listServiceResources({ service: 'workload', kind: 'loadRun' }).map((r) => r.id)).toEqual(['loadRun/latest']);
    expect(second).toMatchObject({ peakKmsRequestsPerSecond: 5, peakQuotaShare: 5 / 20_000, caching: { maxAgeMs: 300_000, maxMessagesEncrypted: 1000 } });
    expect(second.spec.caller).toEqual(SYDNEY);
    // 5 GenerateDataKey/s measured (300 attempts in 60 s) for a 30-day month (12,960,000 requests; 20,000 free) at
    // $0.03 per 10,000; the key is not included (lesson goals judge this figure).
    expect(second.totals.attempts).toBe(300);
    expect(second.monthlyCost).toBeCloseTo(((5 * 2_592_000 - 20_000) / 10_000) * 0.03, 6);
  });

  it('a stored run that is not valid reads as null', async () => {
    const h = await makeHarness();
    await h.service.world.putServiceResource({ id: 'loadRun/latest', service: 'workload', kind: 'loadRun', accountId: ROOT.accountId, region: ROOT.region, data: { spec: 'nope' } });
    expect(latestLoadRun(h.service)).toBeNull();
    expect(loadRunError({ spec: 'nope' })).toMatch(/spec/);
  });

  it('downsample keeps per-second means', () => {
    const s = Array.from({ length: 4 }, (_, t) => ({ t, offered: t, kmsRequests: 0, admitted: 0, throttled: 0, retries: 0, failedAfterRetries: 0 }));
    expect(downsample(s, 2)).toEqual({ step: 2, points: [{ t: 0, offered: 0.5, kmsRequests: 0, admitted: 0, throttled: 0, retries: 0, failedAfterRetries: 0 }, { t: 2, offered: 2.5, kmsRequests: 0, admitted: 0, throttled: 0, retries: 0, failedAfterRetries: 0 }] });
  });
});

describe('validateLoadSpec', () => {
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        validateLoadSpec(x);
        validateLoadSpec({ ...spec({}), ...(typeof x === 'object' && x !== null ? x : { ratePerSecond: x }) });
      }),
    );
  });

  it('accepts a good spec and refuses bad ones with every reason', async () => {
    expect(validateLoadSpec(spec({})).ok).toBe(true);
    const cases: [unknown, RegExp][] = [
      [null, /object/],
      [spec({ ratePerSecond: 0 }), /ratePerSecond/],
      [spec({ ratePerSecond: 1_000_001 }), /ratePerSecond/],
      [spec({ seconds: 86_401 }), /seconds/],
      [spec({ seconds: 0.5 }), /seconds/],
      [spec({ source: 'ebs' as never }), /source/],
      [spec({ operation: 'Sign' as never }), /operation/],
      [spec({ source: 's3', operation: 'Encrypt', bucket: 'abc' }), /never Encrypt/],
      [spec({ source: 's3' }), /bucket/],
      [spec({ source: 's3', bucket: 'abc', caching: { maxAgeMs: 1 } }), /caching/],
      [spec({ bucket: 'abc' }), /only with source 's3'/],
      [spec({ keyId: '' }), /keyId/],
      [spec({ caller: { accountId: '1' } as unknown as CallerContext }), /caller/],
      [spec({ caching: { maxAgeMs: -1 } }), /maxAgeMs/],
      [spec({ caching: { maxAgeMs: 1, maxMessagesEncrypted: 0 } }), /maxMessagesEncrypted/],
      [spec({ operation: 'Encrypt', caching: { maxAgeMs: 1 } }), /not Encrypt/],
      [spec({ maxAttempts: 0 }), /maxAttempts/],
      [spec({ messageBytes: -1 }), /messageBytes/],
      [spec({ sampleEvery: 0 }), /sampleEvery/],
      [{ ...spec({}), extra: 1 }, /extra: unknown field/],
    ];
    for (const [x, reason] of cases) {
      const v = validateLoadSpec(x);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.errors.join('; ')).toMatch(reason);
    }
    const many = validateLoadSpec({ ratePerSecond: -1, seconds: -1 });
    expect(many.ok ? [] : many.errors.length).toBeGreaterThanOrEqual(5);
    const h = await makeHarness();
    await expect(runLoad(h.service, spec({ seconds: -1 }))).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/seconds/) });
  });
});

describe('a run whose recording is refused', () => {
  it('still returns its result, with recordError', async () => {
    const h = await makeHarness();
    const refusing = { ...h.service, world: { ...h.service.world, putServiceResource: () => Promise.reject(Object.assign(new Error('this tab is read-only'), { name: 'ReadOnlySandbox' })) } };
    const r = await runLoad(refusing, spec({ ratePerSecond: 100, seconds: 2 }), { record: true });
    expect(r.totals.attempts).toBe(200);
    expect(r.recordError).toBe('ReadOnlySandbox: this tab is read-only');
    expect(latestLoadRun(h.service)).toBeNull();
  });
});
