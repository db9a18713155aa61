/**
 * What the Load & cost tab says about runs (src/ui/load): the executed/counted line never blurs
 * the two, totals and the plot's table fallback; the blast-radius rows and bars; a caching run
 * through a CMM (a fake, and the real CachingCmm over fake KMS calls) counts the requests saved
 * and zeroes every data key copy; the price table persists, validates and resets.
 */
import { describe, expect, it } from 'vitest';
import { CachingCmm } from '../../../src/services/cachingCmm';
import { blastRows, worstCase } from '../../../src/ui/load/blastRadius';
import { cachingSizeProblem, kmsDataKeySource, MAX_CACHING_TOTAL_BYTES, runCaching, type CmmLike } from '../../../src/ui/load/cachingRun';
import { executedCountedLine, runSummary, seriesTableRows, totalsRows, type LoadResultView } from '../../../src/ui/load/loadSummary';
import { isWebAddress, loadPrices, PRICE_STORAGE_KEY, priceFields, priceMeta, resetPrices, savePrices, withPrice } from '../../../src/ui/load/priceStore';

const result = (over: Partial<LoadResultView> = {}): LoadResultView => ({
  series: [
    { t: 0, offered: 30_000, kmsRequests: 30_000, admitted: 20_000, throttled: 10_000, retries: 0, failedAfterRetries: 0 },
    { t: 1, offered: 30_000, kmsRequests: 30_000, admitted: 20_000, throttled: 20_000, retries: 10_000, failedAfterRetries: 0 },
    { t: 2, offered: 0, kmsRequests: 0, admitted: 0, throttled: 0, retries: 0, failedAfterRetries: 0 },
  ],
  totals: { offered: 60_000, kmsRequests: 60_000, attempts: 70_000, admitted: 40_000, throttled: 30_000, retries: 10_000, failedAfterRetries: 0, background: 0, peakKmsRequestsPerSecond: 40_000, peakQuotaShare: 2, seconds: 3 },
  quota: { name: 'Cryptographic operations (symmetric) request rate', perSecond: 20_000 },
  executed: { calls: 3, succeeded: 2, errors: { ThrottlingException: 1 }, where: 'copy', everySeconds: 1 },
  counted: 69_997,
  wallMs: 12.4,
  ...over,
});

describe('load run texts', () => {
  it('says how many calls were executed for real and how many were counted in bulk', () => {
    expect(executedCountedLine(result())).toBe(
      'Executed for real: 3 calls (2 succeeded, 1 ThrottlingException) through the KMS service on a copy of your sandbox, one every 1 sandbox second; counted in bulk: 69,997 KMS requests against the quota (not executed, not in your trail).',
    );
    expect(executedCountedLine(result({ executed: { calls: 0, succeeded: 0, errors: {}, where: 'none', everySeconds: 1 }, counted: 1 }))).toBe(
      'Executed for real: none; counted in bulk: 1 KMS request against the quota (not executed, not in your trail).',
    );
  });

  it('lists totals and summarises the run', () => {
    const rows = totalsRows(result());
    expect(rows.find((r) => r.label === 'Throttled (ThrottlingException)')?.value).toBe('30,000');
    expect(rows.find((r) => r.label === 'Peak KMS requests per second')?.value).toBe('40,000 (200 % of the quota)');
    expect(runSummary(result())).toMatch(/^60,000 offered requests over 3 sandbox seconds against the Cryptographic operations \(symmetric\) request rate of 20,000\/s: 40,000 admitted, 30,000 throttled/);
  });

  it('shows the seconds with throttling or retries in the table fallback (else the first seconds)', () => {
    expect(seriesTableRows(result()).map((p) => p.t)).toEqual([0, 1]);
    const calm = result({ series: result().series.map((p) => ({ ...p, throttled: 0, retries: 0 })) });
    expect(seriesTableRows(calm, 2).map((p) => p.t)).toEqual([0, 1]);
  });
});

describe('blast radius', () => {
  const entries = [
    { entryId: 'dk-1', keyId: 'arn:k', createdAt: 0, messages: 100, bytes: 102_400, expiresAt: 60_000, retired: true, reason: 'messages' as const },
    { entryId: 'dk-2', keyId: 'arn:k', createdAt: 1, messages: 25, bytes: 25_600, expiresAt: 60_001, retired: false },
  ];

  it('makes one row per data key with bars relative to the largest', () => {
    expect(blastRows(entries)).toEqual([
      { entryId: 'dk-1', keyId: 'arn:k', messages: '100', bytes: '100 KiB', status: 'retired: max messages reached', barPercent: 100 },
      { entryId: 'dk-2', keyId: 'arn:k', messages: '25', bytes: '25 KiB', status: 'in the cache', barPercent: 25 },
    ]);
    expect(worstCase(entries)).toBe('One leaked data key exposes up to 100 messages (100 KiB) — dk-1.');
    expect(worstCase([])).toBeNull();
  });
});

/** Fake KMS calls: GenerateDataKey gives a fresh 32-byte key n (all bytes n) as blob [n]; Decrypt of [n] gives key n back. */
function fakeCall() {
  const calls: string[] = [];
  let n = 0;
  const call = async (operation: string, request: Record<string, unknown>) => {
    calls.push(`${operation} ${JSON.stringify(request['EncryptionContext'])}`);
    if (operation === 'Decrypt') return { Plaintext: new Uint8Array(32).fill((request['CiphertextBlob'] as Uint8Array)[0]!), KeyId: 'k' };
    n += 1;
    return { Plaintext: new Uint8Array(32).fill(n), CiphertextBlob: new Uint8Array([n]), KeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' };
  };
  return { call, calls };
}

const FAKE_CRYPTO = { seal: async () => new Uint8Array(0), open: async () => new Uint8Array(0) };

describe('runCaching', () => {
  it('with the real CachingCmm: 10 messages, max 4 messages per key → 3 GenerateDataKey calls, 7 saved', async () => {
    const { call, calls } = fakeCall();
    const keys: Uint8Array[] = [];
    const r = await runCaching(
      (clock) => new CachingCmm(kmsDataKeySource(call, 'alias/app'), { maxAgeMs: 60_000, maxMessagesEncrypted: 4 }, { clock }),
      1_000_000,
      { messages: 10, messageBytes: 16, intervalMs: 10, encryptionContext: { purpose: 'demo' } },
      { crypto: { seal: async (k) => (keys.push(k), new Uint8Array(0)), open: async () => new Uint8Array(0) } },
    );
    expect(calls).toEqual(Array(3).fill('GenerateDataKey {"purpose":"demo"}'));
    expect(r).toMatchObject({ messages: 10, decrypted: 0, misses: 3, hits: 7, kmsCalls: 3, withoutCache: 10, requestsSaved: 7 });
    expect(r.entries.map((e) => e.messages)).toEqual([4, 4, 2]);
    expect(keys.every((k) => k.every((b) => b === 0))).toBe(true); // every copy handed out was zeroed
  });

  it('spaces messages on the cache clock, so max age ends a data key within a run', async () => {
    const { call } = fakeCall();
    const r = await runCaching(
      (clock) => new CachingCmm(kmsDataKeySource(call, 'alias/app'), { maxAgeMs: 250 }, { clock }),
      0,
      { messages: 10, messageBytes: 1, intervalMs: 100, encryptionContext: {} },
      { crypto: FAKE_CRYPTO },
    );
    expect(r.kmsCalls).toBe(4); // keys at 0, 300, 600, 900 ms (each serves 3 messages within 250 ms)
  });

  it('stops when aborted and passes KMS errors through', async () => {
    const cmm: CmmLike = {
      getEncryptionMaterials: async () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
      stats: () => ({ hits: 0, misses: 0, kmsCalls: 0, evictions: 0, entries: [] }),
    };
    await expect(runCaching(() => cmm, 0, { messages: 1, messageBytes: 1, intervalMs: 1, encryptionContext: {} })).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const c = new AbortController();
    c.abort();
    await expect(runCaching(() => cmm, 0, { messages: 1, messageBytes: 1, intervalMs: 1, encryptionContext: {} }, { signal: c.signal })).rejects.toThrow();
  });

  it('clears the cache when the run ends: after success, a KMS error and an abort (no plaintext data key stays cached)', async () => {
    let cleared = 0;
    let fail = false;
    const cmm: CmmLike = {
      getEncryptionMaterials: async () => {
        if (fail) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
        return { dataKey: new Uint8Array(32).fill(7), encryptedDataKey: new Uint8Array(4), keyId: 'k', cacheHit: false, entryId: 'e' };
      },
      stats: () => ({ hits: 0, misses: 1, kmsCalls: 1, evictions: 0, entries: [] }),
      clear: () => void (cleared += 1),
    };
    const input = { messages: 2, messageBytes: 1, intervalMs: 1, encryptionContext: {} };
    await runCaching(() => cmm, 0, input, { crypto: FAKE_CRYPTO });
    expect(cleared).toBe(1);
    fail = true;
    await expect(runCaching(() => cmm, 0, input, { crypto: FAKE_CRYPTO })).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(cleared).toBe(2);
    const c = new AbortController();
    c.abort();
    await expect(runCaching(() => cmm, 0, input, { signal: c.signal, crypto: FAKE_CRYPTO })).rejects.toThrow();
    expect(cleared).toBe(3);
  });

  it('refuses more than 64 MiB of messages before any KMS call, and does not decrypt unless asked', async () => {
    expect(cachingSizeProblem(64, 1024 * 1024)).toBeNull();
    expect(cachingSizeProblem(65, 1024 * 1024)).toMatch(/at most 67,108,864 bytes/);
    const { call, calls } = fakeCall();
    const made = () => new CachingCmm(kmsDataKeySource(call, 'k'), { maxAgeMs: 1000 }, { clock: () => 0 });
    await expect(runCaching(made, 0, { messages: 1000, messageBytes: MAX_CACHING_TOTAL_BYTES / 500, intervalMs: 1, encryptionContext: {} })).rejects.toThrow(RangeError);
    expect(calls).toEqual([]);
    let opened = 0;
    const r = await runCaching(made, 0, { messages: 3, messageBytes: 8, intervalMs: 1, encryptionContext: {}, decrypt: false }, { crypto: { seal: FAKE_CRYPTO.seal, open: async () => (opened++, new Uint8Array(0)) } });
    expect(opened).toBe(0);
    expect(r.decrypted).toBe(0);
  });

  it('really encrypts and decrypts with the data keys (WebCrypto AES-GCM); decryptions reuse cached keys too', async () => {
    const { call, calls } = fakeCall();
    const keys: Uint8Array[] = [];
    const { sealMessage, openMessage } = await import('../../../src/ui/load/cachingRun');
    const r = await runCaching(
      (clock) => new CachingCmm(kmsDataKeySource(call, 'k'), { maxAgeMs: 1000, maxMessagesEncrypted: 2 }, { clock }),
      0,
      { messages: 4, messageBytes: 100, intervalMs: 1, encryptionContext: {}, decrypt: true },
      { crypto: { seal: sealMessage, open: async (k, b) => (keys.push(k), openMessage(k, b)) } },
    );
    // 2 GenerateDataKey (2 messages per key), then 2 Decrypt (one per distinct encrypted data key); 8 calls without a cache.
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['GenerateDataKey', 'GenerateDataKey', 'Decrypt', 'Decrypt']);
    expect(r).toMatchObject({ messages: 4, decrypted: 4, kmsCalls: 4, withoutCache: 8, requestsSaved: 4 });
    expect(keys.every((k) => k.every((b) => b === 0))).toBe(true);
    expect((await sealMessage(new Uint8Array(32), new Uint8Array(100))).length).toBe(12 + 100 + 16);
  });
});

/** A Map-backed Storage. */
function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

const DEFAULTS = { asOf: '2026-01-01', source: 'https://aws.amazon.com/kms/pricing/', keyMonth: 1, symmetricPer10k: 0.03, asymmetric: { verified: false, otherPer10k: 0.15 } };
const validate = (x: unknown) => {
  const t = x as typeof DEFAULTS;
  if (typeof t.keyMonth !== 'number' || t.keyMonth < 0) throw new Error('keyMonth: expected a non-negative number');
  return t;
};

describe('price table persistence', () => {
  it('uses the defaults until edits are saved, then the edits, until reset', () => {
    const s = memoryStorage();
    expect(loadPrices(s, validate, DEFAULTS)).toEqual({ table: DEFAULTS, edited: false, problem: null });
    const edited = withPrice(DEFAULTS, ['symmetricPer10k'], 0.04);
    expect(DEFAULTS.symmetricPer10k).toBe(0.03); // not mutated
    expect(savePrices(s, edited)).toBe(true);
    expect(loadPrices(s, validate, DEFAULTS)).toEqual({ table: edited, edited: true, problem: null });
    resetPrices(s);
    expect(s.m.has(PRICE_STORAGE_KEY)).toBe(false);
    expect(loadPrices(s, validate, DEFAULTS).edited).toBe(false);
  });

  it('ignores stored edits that no longer validate, or are not JSON, and says why', () => {
    const s = memoryStorage();
    s.setItem(PRICE_STORAGE_KEY, JSON.stringify({ ...DEFAULTS, keyMonth: -1 }));
    expect(loadPrices(s, validate, DEFAULTS)).toEqual({ table: DEFAULTS, edited: false, problem: 'Your stored prices were ignored: keyMonth: expected a non-negative number' });
    s.setItem(PRICE_STORAGE_KEY, '{');
    expect(loadPrices(s, validate, DEFAULTS).problem).toMatch(/^Your stored prices were ignored: /);
    expect(loadPrices(null, validate, DEFAULTS).table).toBe(DEFAULTS);
    const refusing = { getItem: () => null, setItem: () => { throw new Error('full'); }, removeItem: () => undefined };
    expect(savePrices(refusing, DEFAULTS)).toBe(false);
  });

  it('lists every number as a field, marks unverified ones, keeps strings as metadata', () => {
    expect(priceFields(DEFAULTS)).toEqual([
      { path: ['keyMonth'], label: 'key month', value: 1, verified: true },
      { path: ['symmetricPer10k'], label: 'symmetric per 10k', value: 0.03, verified: true },
      { path: ['asymmetric', 'otherPer10k'], label: 'asymmetric › other per 10k', value: 0.15, verified: false },
    ]);
    expect(priceMeta(DEFAULTS)).toEqual({ asOf: '2026-01-01', source: 'https://aws.amazon.com/kms/pricing/' });
    expect(() => withPrice(DEFAULTS, ['asOf'], 1)).toThrow(/No price at asOf/);
    expect(isWebAddress('https://aws.amazon.com/kms/pricing/')).toBe(true);
    expect(isWebAddress('javascript:alert(1)')).toBe(false);
  });
});

describe('sandboxCopier', () => {
  it('copies the committed records at sandbox time now; calls on the copy leave the sandbox alone', async () => {
    const { makeHarness, ROOT } = await import('../kms/harness');
    const { sandboxCopier } = await import('../../../src/ui/load/sandboxCopy');
    const h = await makeHarness();
    const key = await h.createKey();
    const trail = h.repo.list('trailEvent').length;
    const copy = await sandboxCopier(h.repo, () => h.service.now())();
    expect(copy.now()).toBe(h.service.now());
    await copy.call('GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256' }, ROOT);
    await copy.advanceClock(5_000);
    expect(h.repo.list('trailEvent').length).toBe(trail);
    expect(h.service.now()).toBe(copy.now() - 5_000);
  });
});

describe('loadRecord', () => {
  it('tells the abort of the run from another error', async () => {
    const { isAbortOf } = await import('../../../src/ui/load/loadRecord');
    const c = new AbortController();
    const other = Object.assign(new Error('x'), { name: 'ThrottlingException' });
    expect(isAbortOf(other, c.signal)).toBe(false);
    c.abort();
    expect(isAbortOf(c.signal.reason, c.signal)).toBe(true);
    expect(isAbortOf(other, c.signal)).toBe(false);
    expect(isAbortOf(new DOMException('stop', 'AbortError'), c.signal)).toBe(true);
  });

  it('a run whose recording was refused (read-only tab) is shown with a note', async () => {
    const { recordNote } = await import('../../../src/ui/load/loadRecord');
    expect(recordNote({ recordError: 'ReadOnlySandbox: this tab is read-only' })).toBe('Not recorded (lessons check the latest recorded run): ReadOnlySandbox: this tab is read-only');
    expect(recordNote({})).toBeNull();
  });
});
