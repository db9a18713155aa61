/**
 * Data-key caching: a caching cryptographic materials manager (CMM) like the AWS Encryption SDK's
 * (kms-semantics.md §12.1), and its bulk model for the load generator (`cacheEffect`).
 *
 * Rules, as the AWS Encryption SDK for JavaScript implements them (modules/cache-material,
 * `getEncryptionMaterials`, `cacheEntryHasExceededLimits`, the local LRU cache):
 * - The cache key of encryption materials is (partition, encryption context); of decryption
 *   materials (partition, encrypted data key, encryption context). The algorithm suite is fixed here.
 * - A miss calls the data-key source (KMS GenerateDataKey) and caches the result with the first
 *   message already counted (messages 1, bytes = its length). The first use is exempt from the
 *   thresholds: a first message longer than max bytes still gets its data key, which is simply not
 *   cached (so with max bytes 0 only empty messages ever share a data key).
 * - A lookup counts the current request first (messages + 1, bytes + its length) and then checks
 *   every threshold: age > max age, messages > max messages, bytes > max bytes. An entry over any
 *   of them is evicted and the request is a miss. So one data key encrypts at most max messages
 *   messages and max bytes bytes, and is used up to max age after it was cached (inclusive).
 * - Decryption entries have only the age limit.
 * - The cache is an LRU of `capacity` entries (encryption and decryption entries share it).
 *
 * Time is the sandbox clock (ms). Calls are processed one at a time in arrival order (the SDK
 * shares in-flight misses between concurrent callers to the same effect).
 *
 * `stats()` reports, for every data key the CMM generated, how many messages and bytes it protected:
 * the blast radius of leaking that one key. Data key bytes never appear in it.
 */

/** The caching CMM's security thresholds and cache size (§12.1). */
export interface CacheLimits {
  /** Max age of a cache entry in milliseconds (the JavaScript SDK's unit; the other SDKs take seconds). Required, > 0. */
  maxAgeMs: number;
  /** Max messages one cached data key encrypts, 1 … 2^32 (default 2^32). */
  maxMessagesEncrypted?: number;
  /** Max bytes one cached data key encrypts, 0 … 2^63 − 1 (default 2^63 − 1). Values above 2^53 are effectively unlimited. */
  maxBytesEncrypted?: number;
  /** Entries the local LRU cache holds, ≥ 1 (default `DEFAULT_CACHE_CAPACITY`). */
  capacity?: number;
}

/** Default and maximum of max messages encrypted: 2^32 (§12.1). */
export const MAX_MESSAGES_ENCRYPTED = 2 ** 32;
/**
 * Default and maximum of max bytes encrypted: 2^63 − 1 (§12.1). As a JavaScript number this is
 * 2^63 (doubles cannot hold 2^63 − 1); any value above 2^53 is counted in whole doubles and is
 * effectively unlimited: no simulated workload gets near it.
 */
export const MAX_BYTES_ENCRYPTED = 2 ** 63 - 1;
/** Cache capacity when none is given (the SDK requires one; 100 is what its examples use). */
export const DEFAULT_CACHE_CAPACITY = 100;

/** Text for the UI (what each limit means and the trade-offs, §12.1). */
export const CACHE_LIMITS_HELP = {
  maxAge:
    'Max age (required): how long a cached data key may be used after it was cached. In milliseconds here, as in the AWS Encryption SDK for JavaScript; the SDKs for other languages take seconds.',
  maxMessages: 'Max messages encrypted (optional): 1 to 2^32 messages per cached data key (default 2^32).',
  maxBytes:
    'Max bytes encrypted (optional): 0 to 2^63 − 1 bytes per cached data key (default 2^63 − 1). The current message counts when checking; with 0 only empty messages reuse a data key.',
  capacity: 'Capacity: how many entries the local cache keeps; the least recently used is dropped first.',
  tradeOffs:
    'A cache hit does not call KMS: no CloudTrail record per message, and disabling the KMS key, revoking a grant or changing the key policy does not stop cached data keys until they expire. Plaintext data keys stay in memory for up to max age, and one leaked data key exposes every message encrypted under it. Use the least caching that meets your cost and throughput goals.',
} as const;

/** Thrown by `validateLimits` for limits the SDK would refuse. */
export class CacheLimitsError extends Error {
  override readonly name = 'CacheLimitsError';
  constructor(
    /** The offending member (`maxAgeMs`, `maxMessagesEncrypted`, …) or `limits`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Validated limits with every default filled in. */
export type ResolvedCacheLimits = Required<CacheLimits>;

function toNumber(value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/**
 * Checks user-entered limits (a form, a lesson, a share link) and fills in the defaults. Throws
 * `CacheLimitsError` naming the member: max age missing or ≤ 0 or not finite; max messages not an
 * integer in 1 … 2^32; max bytes not an integer in 0 … 2^63 − 1 (a bigint is accepted); capacity
 * not an integer ≥ 1.
 */
export function validateLimits(l: unknown): ResolvedCacheLimits {
  if (typeof l !== 'object' || l === null || Array.isArray(l)) {
    throw new CacheLimitsError('limits', 'Cache limits must be an object with maxAgeMs (and optionally maxMessagesEncrypted, maxBytesEncrypted, capacity).');
  }
  const r = l as Record<string, unknown>;
  const known = new Set(['maxAgeMs', 'maxMessagesEncrypted', 'maxBytesEncrypted', 'capacity']);
  for (const k of Object.keys(r)) {
    if (!known.has(k)) throw new CacheLimitsError(k, `Unknown cache limit '${k}'.`);
  }
  const maxAgeMs = r.maxAgeMs;
  if (maxAgeMs === undefined) throw new CacheLimitsError('maxAgeMs', 'maxAgeMs is required: you cannot cache a data key forever.');
  if (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs <= 0) {
    throw new CacheLimitsError('maxAgeMs', 'maxAgeMs must be a finite number of milliseconds greater than 0.');
  }
  const messages = r.maxMessagesEncrypted ?? MAX_MESSAGES_ENCRYPTED;
  if (typeof messages !== 'number' || !Number.isInteger(messages) || messages < 1 || messages > MAX_MESSAGES_ENCRYPTED) {
    throw new CacheLimitsError('maxMessagesEncrypted', 'maxMessagesEncrypted must be an integer from 1 to 2^32 (4294967296).');
  }
  const bytes = toNumber(r.maxBytesEncrypted ?? MAX_BYTES_ENCRYPTED);
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0 || bytes > MAX_BYTES_ENCRYPTED) {
    throw new CacheLimitsError('maxBytesEncrypted', 'maxBytesEncrypted must be an integer from 0 to 2^63 − 1.');
  }
  const capacity = r.capacity ?? DEFAULT_CACHE_CAPACITY;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1) {
    throw new CacheLimitsError('capacity', 'capacity must be an integer of at least 1 entry.');
  }
  return { maxAgeMs, maxMessagesEncrypted: messages, maxBytesEncrypted: bytes, capacity };
}

/** Encryption context as KMS takes it. */
export type EncryptionContext = Readonly<Record<string, string>>;

/** Where data keys come from: the caller wires these to KMS GenerateDataKey and Decrypt. */
export interface DataKeySource {
  generateDataKey(encryptionContext: EncryptionContext): Promise<{ plaintext: Uint8Array; ciphertextBlob: Uint8Array; keyId: string }>;
  decrypt(ciphertextBlob: Uint8Array, encryptionContext: EncryptionContext): Promise<Uint8Array>;
}

export interface EncryptionMaterials {
  /** Plaintext data key (a copy: zeroing it does not affect the cache). */
  dataKey: Uint8Array;
  /** The data key encrypted under the KMS key (GenerateDataKey's CiphertextBlob). */
  encryptedDataKey: Uint8Array;
  /** KMS key ARN that encrypted it. */
  keyId: string;
  cacheHit: boolean;
  /** Which data key this is (`dk-1`, `dk-2`, …; matches `BlastRadius.entryId`). */
  entryId: string;
}

export interface DecryptionMaterials {
  dataKey: Uint8Array;
  cacheHit: boolean;
}

export type RetireReason = 'age' | 'messages' | 'bytes' | 'capacity';

/** What one generated data key protected (never the key itself). */
export interface BlastRadius {
  entryId: string;
  keyId: string;
  /** When it was generated (sandbox ms). */
  createdAt: number;
  /** Messages encrypted under it, the first included. */
  messages: number;
  /** Plaintext bytes encrypted under it. */
  bytes: number;
  /** createdAt + max age: it is not used after this. */
  expiresAt: number;
  /** True once it can no longer be used (evicted, expired, or never cached). */
  retired: boolean;
  /** Why it was retired: the threshold that ended it, or the LRU dropping it. */
  reason?: RetireReason;
}

export interface CachingCmmStats {
  hits: number;
  misses: number;
  /** Calls made to the data-key source (GenerateDataKey + Decrypt), failed ones included. */
  kmsCalls: number;
  /** Entries removed before their natural end: thresholds hit on lookup, or LRU capacity. */
  evictions: number;
  /** One per generated data key, oldest first (the last `MAX_TRACKED_KEYS`). */
  entries: BlastRadius[];
}

/** How many data keys `stats().entries` remembers (older ones are dropped from the report). */
export const MAX_TRACKED_KEYS = 1000;

export interface CachingCmmOptions {
  /** Sandbox clock (ms). */
  clock: () => number;
  /** Cache partition (the SDK's `partition`): part of every cache key. */
  partition?: string;
}

interface EncEntry {
  kind: 'enc';
  dataKey: Uint8Array;
  encryptedDataKey: Uint8Array;
  keyId: string;
  createdAt: number;
  radius: BlastRadius;
}
interface DecEntry {
  kind: 'dec';
  dataKey: Uint8Array;
  createdAt: number;
}

function isContext(v: unknown): v is EncryptionContext {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every((x) => typeof x === 'string');
}

/** Canonical text of an encryption context (sorted keys), for cache keys. */
function contextKey(ec: EncryptionContext): string {
  return JSON.stringify(Object.keys(ec).sort().map((k) => [k, ec[k]]));
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * The caching CMM. `getEncryptionMaterials` / `getDecryptionMaterials` throw a `TypeError` for
 * malformed requests and pass the source's errors (AccessDenied, Throttling, …) through.
 */
export class CachingCmm {
  readonly limits: ResolvedCacheLimits;
  private readonly source: DataKeySource;
  private readonly clock: () => number;
  private readonly partition: string;
  /** LRU: Map iteration order is recency order (oldest first). */
  private readonly cache = new Map<string, EncEntry | DecEntry>();
  private readonly radii: BlastRadius[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private hits = 0;
  private misses = 0;
  private kmsCalls = 0;
  private evictions = 0;

  constructor(source: DataKeySource, limits: CacheLimits, options: CachingCmmOptions) {
    this.limits = validateLimits(limits);
    this.source = source;
    this.clock = options.clock;
    this.partition = options.partition ?? 'default';
  }

  /** Materials to encrypt one message of `plaintextLength` bytes under `encryptionContext`. */
  getEncryptionMaterials(request: { encryptionContext: EncryptionContext; plaintextLength: number }): Promise<EncryptionMaterials> {
    return this.serial(() => this.encryptionMaterials(request));
  }

  /** The plaintext data key for an encrypted data key made under `encryptionContext`. */
  getDecryptionMaterials(request: { encryptedDataKey: Uint8Array; encryptionContext: EncryptionContext }): Promise<DecryptionMaterials> {
    return this.serial(() => this.decryptionMaterials(request));
  }

  /** Counters and the blast radius of every data key (sandbox time decides which have expired). */
  stats(): CachingCmmStats {
    const now = this.clock();
    const entries = this.radii.map((r) => (!r.retired && now > r.expiresAt ? { ...r, retired: true, reason: 'age' as const } : { ...r }));
    return { hits: this.hits, misses: this.misses, kmsCalls: this.kmsCalls, evictions: this.evictions, entries };
  }

  /** Empties the cache (zeroing the cached data keys); counters and the report stay. */
  clear(): void {
    for (const [id] of this.cache) this.drop(id, null);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async encryptionMaterials(request: { encryptionContext: EncryptionContext; plaintextLength: number }): Promise<EncryptionMaterials> {
    const { encryptionContext, plaintextLength } = request ?? ({} as never);
    if (!isContext(encryptionContext)) throw new TypeError('encryptionContext must be an object of string values.');
    if (typeof plaintextLength !== 'number' || !Number.isSafeInteger(plaintextLength) || plaintextLength < 0) {
      throw new TypeError('plaintextLength must be a non-negative integer number of bytes.');
    }
    const { maxAgeMs, maxMessagesEncrypted, maxBytesEncrypted } = this.limits;
    const id = `${this.partition}\u0000enc\u0000${contextKey(encryptionContext)}`;
    const now = this.clock();
    const found = this.cache.get(id);
    if (found?.kind === 'enc') {
      const r = found.radius;
      const reason: RetireReason | null =
        now - found.createdAt > maxAgeMs
          ? 'age'
          : r.messages + 1 > maxMessagesEncrypted
            ? 'messages'
            : r.bytes + plaintextLength > maxBytesEncrypted
              ? 'bytes'
              : null;
      if (reason === null) {
        r.messages += 1;
        r.bytes += plaintextLength;
        this.touch(id, found);
        this.hits += 1;
        return { dataKey: found.dataKey.slice(), encryptedDataKey: found.encryptedDataKey.slice(), keyId: found.keyId, cacheHit: true, entryId: r.entryId };
      }
      this.evictions += 1;
      this.drop(id, reason);
    }
    this.misses += 1;
    this.kmsCalls += 1;
    const made = await this.source.generateDataKey({ ...encryptionContext });
    const createdAt = this.clock();
    const radius: BlastRadius = {
      entryId: `dk-${this.nextId++}`,
      keyId: made.keyId,
      createdAt,
      messages: 1,
      bytes: plaintextLength,
      expiresAt: createdAt + maxAgeMs,
      retired: false,
    };
    this.track(radius);
    const materials = { dataKey: made.plaintext.slice(), encryptedDataKey: made.ciphertextBlob.slice(), keyId: made.keyId, cacheHit: false, entryId: radius.entryId };
    if (plaintextLength > maxBytesEncrypted) {
      // First use is exempt: the message gets its data key, which is never cached.
      radius.retired = true;
      radius.reason = 'bytes';
      return materials;
    }
    this.insert(id, { kind: 'enc', dataKey: made.plaintext.slice(), encryptedDataKey: made.ciphertextBlob.slice(), keyId: made.keyId, createdAt, radius });
    return materials;
  }

  private async decryptionMaterials(request: { encryptedDataKey: Uint8Array; encryptionContext: EncryptionContext }): Promise<DecryptionMaterials> {
    const { encryptedDataKey, encryptionContext } = request ?? ({} as never);
    if (!(encryptedDataKey instanceof Uint8Array)) throw new TypeError('encryptedDataKey must be bytes (Uint8Array).');
    if (!isContext(encryptionContext)) throw new TypeError('encryptionContext must be an object of string values.');
    const id = `${this.partition}\u0000dec\u0000${hex(encryptedDataKey)}\u0000${contextKey(encryptionContext)}`;
    const found = this.cache.get(id);
    if (found?.kind === 'dec') {
      if (this.clock() - found.createdAt <= this.limits.maxAgeMs) {
        this.touch(id, found);
        this.hits += 1;
        return { dataKey: found.dataKey.slice(), cacheHit: true };
      }
      this.evictions += 1;
      this.drop(id, 'age');
    }
    this.misses += 1;
    this.kmsCalls += 1;
    const dataKey = await this.source.decrypt(encryptedDataKey.slice(), { ...encryptionContext });
    this.insert(id, { kind: 'dec', dataKey: dataKey.slice(), createdAt: this.clock() });
    return { dataKey: dataKey.slice(), cacheHit: false };
  }

  private touch(id: string, entry: EncEntry | DecEntry): void {
    this.cache.delete(id);
    this.cache.set(id, entry);
  }

  private insert(id: string, entry: EncEntry | DecEntry): void {
    if (this.cache.has(id)) this.drop(id, null);
    while (this.cache.size >= this.limits.capacity) {
      const oldest = this.cache.keys().next().value as string;
      this.evictions += 1;
      this.drop(oldest, 'capacity');
    }
    this.cache.set(id, entry);
  }

  /** Removes an entry, zeroes its data key, and retires its data key in the report. */
  private drop(id: string, reason: RetireReason | null): void {
    const entry = this.cache.get(id);
    if (!entry) return;
    this.cache.delete(id);
    entry.dataKey.fill(0);
    if (entry.kind === 'enc' && !entry.radius.retired) {
      entry.radius.retired = true;
      // An entry found expired is reported as 'age' even when cleared for another reason later.
      const expired = this.clock() > entry.radius.expiresAt;
      const why = expired ? 'age' : reason;
      if (why) entry.radius.reason = why;
    }
  }

  private track(radius: BlastRadius): void {
    this.radii.push(radius);
    if (this.radii.length > MAX_TRACKED_KEYS) this.radii.shift();
  }
}

/** Which limit ends a data key's use in `cacheEffect`. */
export type CacheLimitedBy = 'age' | 'messages' | 'bytes' | 'capacity' | 'uncached';

export interface CacheEffectOptions {
  /** Messages encrypted per second (evenly spaced: message i at i × 1000 / rate ms). */
  messagesPerSecond: number;
  /** How long (sandbox seconds). */
  seconds: number;
  /** Plaintext bytes of every message. */
  messageBytes: number;
  /** Cache limits, or null for no caching (one GenerateDataKey per message). */
  limits: CacheLimits | null;
  /** Encryption contexts the messages take in turn (message i uses context i mod n); default 1. */
  distinctContexts?: number;
}

export interface CacheEffect {
  /** Messages in the run. */
  messages: number;
  /** GenerateDataKey calls (= data keys generated = cache misses). */
  kmsRequests: number;
  /** Messages served from the cache. */
  cacheHits: number;
  /** Messages each data key encrypts (the last key of a context may encrypt fewer). */
  messagesPerDataKey: number;
  /** Bytes each data key encrypts (same caveat): the blast radius of one leaked data key. */
  bytesPerDataKey: number;
  /** The limit that ends each data key ('uncached' without a cache; a limit that reuses nothing still names that limit). */
  limitedBy: CacheLimitedBy;
  /** KMS requests in sandbox second t (0 ≤ t < seconds; 0 outside). */
  perSecond: (t: number) => number;
  /** KMS requests in the first `ms` sandbox milliseconds. */
  requestsBefore: (ms: number) => number;
}

/**
 * KMS requests of a steady encryption workload through a `CachingCmm` — in closed form, so an hour
 * at 5,000 messages/s costs the same as a second. Exactly what the class does on the same schedule
 * (message i at i × 1000 / messagesPerSecond ms, context i mod distinctContexts, all messages of
 * `messageBytes`, calls not failing):
 * - Each context sees a message every d = distinctContexts × 1000 / rate ms, so a data key serves
 *   K = min(max messages, ⌊max bytes / bytes⌋, 1 + ⌊max age / d⌋) messages (at least 1; 1 when the
 *   first message alone is over max bytes).
 * - With capacity < distinctContexts the contexts take turns through an LRU that is too small: every
 *   lookup misses (K = 1).
 * - Message i is a miss exactly when ⌊i / C⌋ mod K = 0 (C contexts), so the misses among the first
 *   x messages are ⌊x / KC⌋ × C + min(x mod KC, C).
 */
export function cacheEffect(opts: CacheEffectOptions): CacheEffect {
  const rate = opts.messagesPerSecond;
  const seconds = opts.seconds;
  const bytes = opts.messageBytes;
  const contexts = opts.distinctContexts ?? 1;
  if (!(Number.isFinite(rate) && rate >= 0)) throw new RangeError('messagesPerSecond must be a finite number ≥ 0.');
  if (!(Number.isFinite(seconds) && seconds >= 0)) throw new RangeError('seconds must be a finite number ≥ 0.');
  if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError('messageBytes must be a non-negative integer.');
  if (!(Number.isSafeInteger(contexts) && contexts >= 1)) throw new RangeError('distinctContexts must be an integer ≥ 1.');
  const limits = opts.limits === null ? null : validateLimits(opts.limits);

  let perKey = 1;
  let limitedBy: CacheLimitedBy = 'uncached';
  if (limits && rate > 0) {
    if (limits.capacity < contexts) {
      limitedBy = 'capacity';
    } else if (bytes > limits.maxBytesEncrypted) {
      limitedBy = 'bytes';
    } else {
      // Messages of one context after its first that fall within max age: ⌊max age / d⌋, with a
      // relative tolerance so that a tie (a message exactly at max age, still usable) survives rounding.
      const within = (limits.maxAgeMs * rate) / (contexts * 1000);
      const byAge = 1 + Math.floor(within + 1e-9 * Math.max(1, within));
      const byMessages = limits.maxMessagesEncrypted;
      const byBytes = bytes === 0 ? Infinity : Math.floor(limits.maxBytesEncrypted / bytes);
      perKey = Math.max(1, Math.min(byAge, byMessages, byBytes));
      limitedBy = perKey === byMessages ? 'messages' : perKey === byBytes ? 'bytes' : 'age';
    }
  }
  const total = messagesBefore(rate, seconds * 1000);
  const period = perKey * contexts;
  const missesAmong = (x: number): number => Math.floor(x / period) * contexts + Math.min(x % period, contexts);
  const requestsBefore = (ms: number): number => missesAmong(Math.min(total, messagesBefore(rate, Math.max(0, ms))));
  const kmsRequests = missesAmong(total);
  return {
    messages: total,
    kmsRequests,
    cacheHits: total - kmsRequests,
    messagesPerDataKey: perKey,
    bytesPerDataKey: perKey * bytes,
    limitedBy,
    perSecond: (t) => (t >= 0 && t < seconds ? requestsBefore((t + 1) * 1000) - requestsBefore(t * 1000) : 0),
    requestsBefore,
  };
}

/** Messages sent before sandbox time `ms` (message i is at i × 1000 / rate ms). */
function messagesBefore(rate: number, ms: number): number {
  if (rate <= 0 || ms <= 0) return 0;
  const x = (ms * rate) / 1000;
  return Math.ceil(x - 1e-9 * Math.max(1, x));
}
