import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CachingCmm,
  CacheLimitsError,
  cacheEffect,
  validateLimits,
  DEFAULT_CACHE_CAPACITY,
  MAX_BYTES_ENCRYPTED,
  MAX_MESSAGES_ENCRYPTED,
  type CacheLimits,
  type DataKeySource,
  type EncryptionContext,
} from '../../../src/services/cachingCmm';

/** A data-key source that numbers its keys: key n is 32 bytes of n, its blob is [0xEE, n]. */
function fakeSource(): DataKeySource & { generated: number; decrypted: number; failNext: boolean } {
  const src = {
    generated: 0,
    decrypted: 0,
    failNext: false,
    async generateDataKey(_ec: EncryptionContext) {
      if (src.failNext) {
        src.failNext = false;
        throw Object.assign(new Error('You have exceeded the rate at which you may call KMS.'), { name: 'ThrottlingException' });
      }
      src.generated += 1;
      const n = src.generated;
      return { plaintext: new Uint8Array(32).fill(n), ciphertextBlob: Uint8Array.of(0xee, n), keyId: 'arn:aws:kms:us-east-1:111122223333:key/k' };
    },
    async decrypt(blob: Uint8Array, _ec: EncryptionContext) {
      src.decrypted += 1;
      return new Uint8Array(32).fill(blob[1] ?? 0);
    },
  };
  return src;
}

function setup(limits: CacheLimits) {
  const clock = { now: 0 };
  const source = fakeSource();
  const cmm = new CachingCmm(source, limits, { clock: () => clock.now });
  const enc = (plaintextLength: number, encryptionContext: EncryptionContext = { app: 'a' }) =>
    cmm.getEncryptionMaterials({ encryptionContext, plaintextLength });
  return { clock, source, cmm, enc };
}

describe('validateLimits', () => {
  it('fills in the AWS defaults', () => {
    expect(validateLimits({ maxAgeMs: 1000 })).toEqual({
      maxAgeMs: 1000,
      maxMessagesEncrypted: 2 ** 32,
      maxBytesEncrypted: 2 ** 63 - 1,
      capacity: DEFAULT_CACHE_CAPACITY,
    });
    expect(MAX_MESSAGES_ENCRYPTED).toBe(4294967296);
    expect(MAX_BYTES_ENCRYPTED).toBe(2 ** 63); // 2^63 − 1 is not a double: it rounds to 2^63
  });

  it('accepts the edges of every range, bytes above 2^53 and bigint bytes', () => {
    expect(validateLimits({ maxAgeMs: 0.5, maxMessagesEncrypted: 1, maxBytesEncrypted: 0, capacity: 1 }).maxBytesEncrypted).toBe(0);
    expect(validateLimits({ maxAgeMs: 1, maxMessagesEncrypted: 2 ** 32 }).maxMessagesEncrypted).toBe(2 ** 32);
    expect(validateLimits({ maxAgeMs: 1, maxBytesEncrypted: 2 ** 60 }).maxBytesEncrypted).toBe(2 ** 60);
    expect(validateLimits({ maxAgeMs: 1, maxBytesEncrypted: 9223372036854775807n }).maxBytesEncrypted).toBe(2 ** 63);
  });

  it.each([
    [undefined, 'limits'],
    [null, 'limits'],
    [[], 'limits'],
    [{}, 'maxAgeMs'],
    [{ maxAgeMs: 0 }, 'maxAgeMs'],
    [{ maxAgeMs: -1 }, 'maxAgeMs'],
    [{ maxAgeMs: Infinity }, 'maxAgeMs'],
    [{ maxAgeMs: '60' }, 'maxAgeMs'],
    [{ maxAgeMs: 1, maxMessagesEncrypted: 0 }, 'maxMessagesEncrypted'],
    [{ maxAgeMs: 1, maxMessagesEncrypted: 2 ** 32 + 1 }, 'maxMessagesEncrypted'],
    [{ maxAgeMs: 1, maxMessagesEncrypted: 1.5 }, 'maxMessagesEncrypted'],
    [{ maxAgeMs: 1, maxBytesEncrypted: -1 }, 'maxBytesEncrypted'],
    [{ maxAgeMs: 1, maxBytesEncrypted: 2 ** 64 }, 'maxBytesEncrypted'],
    [{ maxAgeMs: 1, maxBytesEncrypted: NaN }, 'maxBytesEncrypted'],
    [{ maxAgeMs: 1, capacity: 0 }, 'capacity'],
    [{ maxAgeMs: 1, capacity: 2.5 }, 'capacity'],
    [{ maxAgeMs: 1, maxAge: 5 }, 'maxAge'],
  ])('refuses %j naming %s', (input, field) => {
    try {
      validateLimits(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CacheLimitsError);
      expect((e as CacheLimitsError).field).toBe(field);
      expect((e as Error).message.length).toBeGreaterThan(10);
    }
  });
});

describe('CachingCmm encryption thresholds (§12.1)', () => {
  it('a data key encrypts exactly max messages messages, the first one included', async () => {
    const { enc, cmm, source } = setup({ maxAgeMs: 60_000, maxMessagesEncrypted: 3 });
    const got = [await enc(10), await enc(10), await enc(10), await enc(10)];
    expect(got.map((m) => [m.entryId, m.cacheHit])).toEqual([
      ['dk-1', false],
      ['dk-1', true],
      ['dk-1', true],
      ['dk-2', false],
    ]);
    expect(source.generated).toBe(2);
    const s = cmm.stats();
    expect(s).toMatchObject({ hits: 2, misses: 2, kmsCalls: 2, evictions: 1 });
    expect(s.entries[0]).toMatchObject({ entryId: 'dk-1', messages: 3, bytes: 30, retired: true, reason: 'messages' });
    expect(s.entries[1]).toMatchObject({ entryId: 'dk-2', messages: 1, bytes: 10, retired: false });
  });

  it('max messages 1 caches nothing useful: every message gets its own data key', async () => {
    const { enc, source } = setup({ maxAgeMs: 60_000, maxMessagesEncrypted: 1 });
    for (let i = 0; i < 4; i++) expect((await enc(5)).cacheHit).toBe(false);
    expect(source.generated).toBe(4);
  });

  it('max bytes counts the current request: 40 + 40 fit in 100, + 30 does not', async () => {
    const { enc, cmm } = setup({ maxAgeMs: 60_000, maxBytesEncrypted: 100 });
    expect((await enc(40)).cacheHit).toBe(false);
    expect((await enc(40)).cacheHit).toBe(true); // 80 ≤ 100
    expect((await enc(20)).cacheHit).toBe(true); // 100 ≤ 100: exactly at the limit is allowed
    expect((await enc(1)).cacheHit).toBe(false); // 101 > 100: evicted, a new key for this message
    expect(cmm.stats().entries.map((e) => [e.messages, e.bytes, e.reason])).toEqual([
      [3, 100, 'bytes'],
      [1, 1, undefined],
    ]);
  });

  it('max bytes 0: only empty messages share a data key; a longer first message gets an uncached key', async () => {
    const { enc, cmm, source } = setup({ maxAgeMs: 60_000, maxBytesEncrypted: 0 });
    expect((await enc(0)).cacheHit).toBe(false);
    expect((await enc(0)).cacheHit).toBe(true);
    expect((await enc(0)).cacheHit).toBe(true);
    const big = await enc(1); // over the limit: evicts the empty-message entry, key not cached
    expect(big.cacheHit).toBe(false);
    expect((await enc(1)).cacheHit).toBe(false);
    expect((await enc(0)).cacheHit).toBe(false); // the entry was evicted by the 1-byte lookup
    expect((await enc(0)).cacheHit).toBe(true);
    expect(source.generated).toBe(4);
    const e = cmm.stats().entries;
    expect(e.map((x) => [x.messages, x.bytes, x.retired, x.reason])).toEqual([
      [3, 0, true, 'bytes'],
      [1, 1, true, 'bytes'],
      [1, 1, true, 'bytes'],
      [2, 0, false, undefined],
    ]);
  });

  it('a message longer than max bytes still gets a data key (the first use is exempt)', async () => {
    const { enc } = setup({ maxAgeMs: 60_000, maxBytesEncrypted: 10 });
    const m = await enc(1_000_000);
    expect(m.dataKey).toHaveLength(32);
    expect(m.cacheHit).toBe(false);
  });

  it('max age on the sandbox clock: usable at exactly max age, not 1 ms later', async () => {
    const { enc, clock, cmm } = setup({ maxAgeMs: 1000 });
    clock.now = 5000;
    expect((await enc(1)).cacheHit).toBe(false);
    clock.now = 6000;
    expect((await enc(1)).cacheHit).toBe(true);
    clock.now = 6001;
    const m = await enc(1);
    expect(m.cacheHit).toBe(false);
    expect(m.entryId).toBe('dk-2');
    expect(cmm.stats().entries[0]).toMatchObject({ createdAt: 5000, expiresAt: 6000, messages: 2, retired: true, reason: 'age' });
  });

  it('stats report an untouched key past its max age as retired by age', async () => {
    const { enc, clock, cmm } = setup({ maxAgeMs: 1000 });
    await enc(1);
    expect(cmm.stats().entries[0]?.retired).toBe(false);
    clock.now = 1001;
    expect(cmm.stats().entries[0]).toMatchObject({ retired: true, reason: 'age' });
  });

  it('the cache key is the encryption context (key order does not matter) and the partition', async () => {
    const { enc } = setup({ maxAgeMs: 60_000 });
    expect((await enc(1, { a: '1', b: '2' })).entryId).toBe('dk-1');
    expect((await enc(1, { b: '2', a: '1' })).cacheHit).toBe(true);
    expect((await enc(1, { a: '1' })).entryId).toBe('dk-2');
    expect((await enc(1, {})).entryId).toBe('dk-3');
  });

  it('LRU by capacity: the least recently used entry goes first', async () => {
    const { enc, cmm } = setup({ maxAgeMs: 60_000, capacity: 2 });
    await enc(1, { c: 'A' }); // dk-1
    await enc(1, { c: 'B' }); // dk-2
    expect((await enc(1, { c: 'A' })).cacheHit).toBe(true); // A is now the most recent
    await enc(1, { c: 'C' }); // dk-3 evicts B
    expect((await enc(1, { c: 'A' })).cacheHit).toBe(true);
    const b = await enc(1, { c: 'B' }); // dk-4 evicts C
    expect(b).toMatchObject({ cacheHit: false, entryId: 'dk-4' });
    expect((await enc(1, { c: 'C' })).entryId).toBe('dk-5');
    const s = cmm.stats();
    expect(s.entries.find((e) => e.entryId === 'dk-2')).toMatchObject({ retired: true, reason: 'capacity' });
    expect(s.evictions).toBe(3);
  });

  it('returns copies: zeroing a returned data key does not change the cached one', async () => {
    const { enc } = setup({ maxAgeMs: 60_000 });
    const first = await enc(1);
    first.dataKey.fill(0);
    const second = await enc(1);
    expect(second.cacheHit).toBe(true);
    expect([...second.dataKey]).toEqual(new Array(32).fill(1));
    expect([...second.encryptedDataKey]).toEqual([0xee, 1]);
  });

  it('never puts data key bytes in stats', async () => {
    const { enc, cmm } = setup({ maxAgeMs: 60_000, maxMessagesEncrypted: 2 });
    for (let i = 0; i < 5; i++) await enc(3);
    const s = cmm.stats();
    for (const e of s.entries) expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['bytes', 'createdAt', 'entryId', 'expiresAt', 'keyId', 'messages', 'retired']));
    const text = JSON.stringify(s);
    expect(text).not.toMatch(/dataKey|plaintext|encryptedDataKey/);
    expect(Object.keys(s.entries[0] ?? {}).every((k) => !/key$/i.test(k) || k === 'keyId')).toBe(true);
  });

  it('rejects malformed requests with a TypeError and passes source errors through', async () => {
    const { cmm, source, enc } = setup({ maxAgeMs: 60_000 });
    await expect(cmm.getEncryptionMaterials({ encryptionContext: { a: 1 } as never, plaintextLength: 1 })).rejects.toThrow(TypeError);
    await expect(cmm.getEncryptionMaterials({ encryptionContext: {}, plaintextLength: -1 })).rejects.toThrow(TypeError);
    await expect(cmm.getEncryptionMaterials({ encryptionContext: {}, plaintextLength: 1.5 })).rejects.toThrow(TypeError);
    await expect(cmm.getEncryptionMaterials(undefined as never)).rejects.toThrow(TypeError);
    await expect(cmm.getDecryptionMaterials({ encryptedDataKey: 'x' as never, encryptionContext: {} })).rejects.toThrow(TypeError);
    source.failNext = true;
    await expect(enc(1)).rejects.toMatchObject({ name: 'ThrottlingException' });
    const m = await enc(1);
    expect(m).toMatchObject({ cacheHit: false, entryId: 'dk-1' });
    expect(cmm.stats()).toMatchObject({ kmsCalls: 2, misses: 2, hits: 0 });
  });

  it('serializes concurrent calls: two parallel requests for one context make one KMS call', async () => {
    const { enc, source } = setup({ maxAgeMs: 60_000 });
    const [a, b] = await Promise.all([enc(1), enc(1)]);
    expect(source.generated).toBe(1);
    expect([a.cacheHit, b.cacheHit]).toEqual([false, true]);
  });
});

describe('CachingCmm decryption', () => {
  it('caches by encrypted data key and context, with max age only', async () => {
    const { cmm, source, clock } = setup({ maxAgeMs: 1000, maxMessagesEncrypted: 1, maxBytesEncrypted: 0 });
    const edk = Uint8Array.of(0xee, 7);
    const dec = (ec: EncryptionContext) => cmm.getDecryptionMaterials({ encryptedDataKey: edk, encryptionContext: ec });
    expect(await dec({ a: '1' })).toMatchObject({ cacheHit: false });
    for (let i = 0; i < 5; i++) expect((await dec({ a: '1' })).cacheHit).toBe(true);
    expect((await dec({ a: '2' })).cacheHit).toBe(false);
    expect((await cmm.getDecryptionMaterials({ encryptedDataKey: Uint8Array.of(0xee, 8), encryptionContext: { a: '1' } })).cacheHit).toBe(false);
    clock.now = 1000;
    expect((await dec({ a: '1' })).cacheHit).toBe(true);
    clock.now = 1001;
    const again = await dec({ a: '1' });
    expect(again.cacheHit).toBe(false);
    expect([...again.dataKey]).toEqual(new Array(32).fill(7));
    expect(source.decrypted).toBe(4);
    expect(cmm.stats().entries).toEqual([]); // no data keys generated
  });
});

describe('CachingCmm property: never returns a data key past a threshold', () => {
  it('holds for random limits, clocks, contexts and message sizes', async () => {
    const limitsArb = fc.record({
      maxAgeMs: fc.integer({ min: 1, max: 50 }),
      maxMessagesEncrypted: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      maxBytesEncrypted: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
      capacity: fc.integer({ min: 1, max: 4 }),
    });
    const stepArb = fc.record({ advance: fc.integer({ min: 0, max: 20 }), ctx: fc.integer({ min: 0, max: 4 }), len: fc.integer({ min: 0, max: 30 }) });
    await fc.assert(
      fc.asyncProperty(limitsArb, fc.array(stepArb, { minLength: 1, maxLength: 60 }), async (limits, steps) => {
        const { cmm, clock, enc } = setup(limits);
        const l = validateLimits(limits);
        const seen = new Map<string, { created: number; messages: number; bytes: number }>();
        for (const s of steps) {
          clock.now += s.advance;
          const m = await enc(s.len, { ctx: String(s.ctx) });
          const u = seen.get(m.entryId);
          if (!u) {
            expect(m.cacheHit).toBe(false);
            seen.set(m.entryId, { created: clock.now, messages: 1, bytes: s.len });
            continue;
          }
          expect(m.cacheHit).toBe(true);
          u.messages += 1;
          u.bytes += s.len;
          expect(clock.now - u.created).toBeLessThanOrEqual(l.maxAgeMs);
          expect(u.messages).toBeLessThanOrEqual(l.maxMessagesEncrypted);
          expect(u.bytes).toBeLessThanOrEqual(l.maxBytesEncrypted);
        }
        const st = cmm.stats();
        expect(st.hits + st.misses).toBe(steps.length);
        expect(st.kmsCalls).toBe(st.misses);
        for (const e of st.entries) {
          const u = seen.get(e.entryId);
          expect(u).toBeDefined();
          expect([e.messages, e.bytes]).toEqual([u?.messages, u?.bytes]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

/** Runs the class on cacheEffect's schedule (message i at i × spacing ms, context i mod n). */
async function runClass(spacingMs: number, seconds: number, bytes: number, limits: CacheLimits | null, contexts: number) {
  const { cmm, clock, source } = setup(limits ?? { maxAgeMs: 1, maxMessagesEncrypted: 1 });
  const perSecond = new Array<number>(seconds).fill(0);
  for (let i = 0; i * spacingMs < seconds * 1000; i++) {
    clock.now = i * spacingMs;
    const before = source.generated;
    await cmm.getEncryptionMaterials({ encryptionContext: { ctx: String(i % contexts) }, plaintextLength: bytes });
    const s = Math.floor(clock.now / 1000);
    perSecond[s] = (perSecond[s] ?? 0) + (source.generated - before);
  }
  return { total: source.generated, perSecond, messages: cmm.stats().hits + cmm.stats().misses };
}

describe('cacheEffect (closed form)', () => {
  it('hand-computed: 100 msgs/s, 10 s, max messages 7 → ⌈1000 / 7⌉ = 143 GenerateDataKey calls', () => {
    const e = cacheEffect({ messagesPerSecond: 100, seconds: 10, messageBytes: 1024, limits: { maxAgeMs: 60_000, maxMessagesEncrypted: 7 } });
    expect(e).toMatchObject({ messages: 1000, kmsRequests: 143, cacheHits: 857, messagesPerDataKey: 7, bytesPerDataKey: 7168, limitedBy: 'messages' });
    // second 0 holds messages 0..99: misses at 0, 7, …, 98 → 15; second 1 (100..199): 105..196 → 14
    expect(e.perSecond(0)).toBe(15);
    expect(e.perSecond(1)).toBe(14);
    expect(e.perSecond(10)).toBe(0);
    expect(e.perSecond(-1)).toBe(0);
    expect(Array.from({ length: 10 }, (_, t) => e.perSecond(t)).reduce((a, b) => a + b, 0)).toBe(143);
  });

  it('hand-computed: an hour at 5,000 msgs/s with max age 1 s → 1 + ⌊1000 / 0.2⌋ = 5,001 messages per key', () => {
    const e = cacheEffect({ messagesPerSecond: 5000, seconds: 3600, messageBytes: 100, limits: { maxAgeMs: 1000 } });
    expect(e.messages).toBe(18_000_000);
    expect(e.messagesPerDataKey).toBe(5001);
    expect(e.limitedBy).toBe('age');
    expect(e.kmsRequests).toBe(Math.ceil(18_000_000 / 5001)); // 3,600 (3599.28 rounded up)
    expect(e.bytesPerDataKey).toBe(500_100);
  });

  it('without a cache every message is a GenerateDataKey call', () => {
    const e = cacheEffect({ messagesPerSecond: 5000, seconds: 3600, messageBytes: 100, limits: null });
    expect(e).toMatchObject({ kmsRequests: 18_000_000, cacheHits: 0, limitedBy: 'uncached' });
    expect(e.perSecond(17)).toBe(5000);
  });

  it('a cache smaller than the contexts taking turns misses every time; bytes over max are never cached', () => {
    expect(cacheEffect({ messagesPerSecond: 10, seconds: 10, messageBytes: 1, limits: { maxAgeMs: 60_000, capacity: 2 }, distinctContexts: 3 })).toMatchObject({
      kmsRequests: 100,
      limitedBy: 'capacity',
    });
    expect(cacheEffect({ messagesPerSecond: 10, seconds: 10, messageBytes: 11, limits: { maxAgeMs: 60_000, maxBytesEncrypted: 10 } })).toMatchObject({
      kmsRequests: 100,
      limitedBy: 'bytes',
    });
    expect(cacheEffect({ messagesPerSecond: 10, seconds: 10, messageBytes: 0, limits: { maxAgeMs: 60_000, maxBytesEncrypted: 0 } })).toMatchObject({
      kmsRequests: 1,
      limitedBy: 'age',
    });
  });

  it('refuses bad options', () => {
    expect(() => cacheEffect({ messagesPerSecond: -1, seconds: 1, messageBytes: 1, limits: null })).toThrow(RangeError);
    expect(() => cacheEffect({ messagesPerSecond: 1, seconds: NaN, messageBytes: 1, limits: null })).toThrow(RangeError);
    expect(() => cacheEffect({ messagesPerSecond: 1, seconds: 1, messageBytes: 1.5, limits: null })).toThrow(RangeError);
    expect(() => cacheEffect({ messagesPerSecond: 1, seconds: 1, messageBytes: 1, limits: null, distinctContexts: 0 })).toThrow(RangeError);
    expect(() => cacheEffect({ messagesPerSecond: 1, seconds: 1, messageBytes: 1, limits: { maxAgeMs: 0 } })).toThrow(CacheLimitsError);
  });

  it('agrees exactly with the class on the same schedule (property)', async () => {
    const limitsArb = fc.option(
      fc.record({
        maxAgeMs: fc.integer({ min: 1, max: 400 }),
        maxMessagesEncrypted: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        maxBytesEncrypted: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        capacity: fc.integer({ min: 1, max: 5 }),
      }),
      { nil: null },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 40 }),
        limitsArb,
        fc.integer({ min: 1, max: 4 }),
        async (spacing, seconds, bytes, limits, contexts) => {
          const model = cacheEffect({ messagesPerSecond: 1000 / spacing, seconds, messageBytes: bytes, limits, distinctContexts: contexts });
          const real = await runClass(spacing, seconds, bytes, limits, contexts);
          expect(model.messages).toBe(real.messages);
          expect(model.kmsRequests).toBe(real.total);
          expect(Array.from({ length: seconds }, (_, t) => model.perSecond(t))).toEqual(real.perSecond);
        },
      ),
      { numRuns: 120 },
    );
  });
});
