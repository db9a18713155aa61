/**
 * The benchmark's measuring code, shared unchanged by both environments (issue 2, "Benchmark";
 * method of toolchain.md §0): `bench/run.ts` runs it in Node 20 through tsx, and `bench/page.ts`
 * runs the Vite-bundled copy in headless Chromium. It uses only what both platforms have
 * (`globalThis.crypto.subtle`, `performance.now`), and takes everything platform-specific
 * (logging, garbage collection, memory probes) as arguments.
 *
 * What it measures, in one call of `runBench`:
 * - ops/s of Encrypt, Decrypt and GenerateDataKey (AES_256) through the full service: memory
 *   repository, CloudTrail recorder, one commit per call, the authorization stub, i.e.
 *   `service.call` as every client calls it; 32-byte plaintext, each call awaited before the next;
 * - the raw WebCrypto AES-256-GCM 32-byte encrypt rate (fresh 96-bit IV per call, imported key
 *   reused, awaited sequentially), interleaved with the service ops so both see the same noise;
 * - a per-stage breakdown of one instrumented service run (crypto, trail, commit, random, rest);
 * - envelope encrypt/decrypt MB/s on 64 MiB against raw WebCrypto on the same bytes, one-shot and
 *   as 1 MiB chunks (one in flight, and two in flight as the envelope itself does);
 * - peak memory during one envelope encrypt (and, for information, one decrypt) over a baseline
 *   taken after the input is allocated, through an injected `MemoryProbe`;
 * - issue 3: decide() evaluations/s on a 10-statement key policy with conditions, an IAM policy
 *   and 5 grant traces (bench/policy.ts);
 * - issue 4: SDK GenerateDataKey + Decrypt pairs/s in-process and (Node) over HTTP on loopback,
 *   each against a floor answering canned responses (bench/wire.ts).
 *
 * Sampling: a warm-up, then SAMPLES rounds; each round takes one sample of every metric of its
 * group in turn (interleaved), each sample looping ≥ 1 s (ops) or ≥ 1 pass and ≥ 300 ms
 * (envelope). Reported: median and min–max of the samples; ratios are ratios of the medians,
 * with the min–max of the per-round ratios.
 *
 * Deliberately not done: no assertion on any figure (this is not a test), no concurrency (every
 * op is awaited before the next, as the issue asks).
 */
import { decideFor } from '../src/kms/authorization';
import { cryptoConditions } from '../src/kms/operations/common';
import type { AuthorizationDecision } from '../src/kms/policy/types';
import { UnitOfWork } from '../src/kms/unitOfWork';
import { createKmsService, type AwsShape, type CallerContext, type CryptoBackend, type KmsService, type RandomSource, type Repository } from '../src/kms';
import { createSeededRandom, nobleBackend, webCryptoBackend } from '../src/kms/crypto';
import { decryptEnvelope, decryptEnvelopeFrames, encryptEnvelope, type DataKeyKms, type Envelope } from '../src/kms/envelope';
import { createMemoryRepository } from '../src/kms/store';
import { toTrailRecord } from '../src/trail';
import { decidePerSecond } from './policy';
import { benchWire, serviceBackend, type WireResult } from './wire';
import { benchSigning, type SigningResult } from './signing';

/** Samples per metric (after the warm-up). */
export const SAMPLES = 5;
/** Minimum duration of one ops/s sample (ms). */
export const OPS_SAMPLE_MS = 1000;
/** Minimum duration of one envelope sample (ms), on top of "at least one full pass". */
export const ENVELOPE_SAMPLE_MS = 300;
/** Envelope input size: 64 MiB, i.e. exactly 64 frames of the default 1 MiB. */
export const ENVELOPE_BYTES = 64 * 1024 * 1024;
/** Chunk size of the raw "chunked" baselines (= the envelope's default frame size). */
export const CHUNK_BYTES = 1024 * 1024;
/** Plaintext size of the ops benchmark. */
export const PLAINTEXT_BYTES = 32;

/** Target: a full-service op within this factor of a raw WebCrypto op. */
export const OPS_RATIO_TARGET = 10;
/** Target: envelope throughput ≥ this fraction of raw WebCrypto (in Chromium). */
export const ENVELOPE_THROUGHPUT_TARGET = 0.9;
/** Signing figures (issue 7): rounds and minimum time per sample (11 specs × 4 rates each). */
export const SIGNING_SAMPLES = 3;
export const SIGNING_SAMPLE_MS = 250;
/** Target: peak memory during envelope encrypt ≤ this multiple of the input. */
export const ENVELOPE_MEMORY_TARGET = 1.5;

const ACCOUNT = '111122223333';
export const CALLER: CallerContext = {
  principalArn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT as CallerContext['accountId'],
  region: 'us-east-1' as CallerContext['region'],
};
/** Fixed sandbox time: the bench measures calls, not clock catch-up. */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

/** Median, min and max of a metric's samples (same unit as the samples). */
export interface Stat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

/** One memory reading: `peak − baseline` is the growth while the measured call ran. */
export interface MemoryMetric {
  /** Short name, e.g. "renderer peak RSS". */
  readonly label: string;
  /** Exactly what was measured and how, printed verbatim. */
  readonly description: string;
  readonly baselineBytes: number;
  readonly peakBytes: number;
}

/**
 * Platform memory probe. `begin` takes the baseline (after the input is allocated and a GC if
 * possible), `sample` is called from a timer and after every envelope frame while the measured
 * call runs, `end` returns the readings. The first reading is the one judged against the target.
 */
export interface MemoryProbe {
  begin(): Promise<void>;
  sample(): void;
  end(): Promise<MemoryMetric[]>;
}

/** What `runBench` needs from its platform. */
export interface BenchHost {
  /** Progress lines (not part of the report). */
  log(line: string): void;
  /** Forces a full garbage collection when the platform allows it (no-op otherwise). */
  gc(): Promise<void>;
  /** Creates a probe for one measured call. */
  memoryProbe(): MemoryProbe;
}

/** The service-op figures of one op. */
export interface OpResult {
  readonly op: 'Encrypt' | 'Decrypt' | 'GenerateDataKey';
  /** ops/s through `service.call`. */
  readonly service: Stat;
  /** raw ops/s ÷ service ops/s (of the medians); lower is better. */
  readonly ratio: number;
  /** min–max of the per-round ratios. */
  readonly ratioMin: number;
  readonly ratioMax: number;
}

/** Mean µs per call spent in each stage of one instrumented run (wrapped ports). */
export interface Breakdown {
  readonly op: OpResult['op'];
  readonly calls: number;
  readonly totalUs: number;
  /** CryptoBackend calls (import, AES-GCM), from call to resolution. */
  readonly cryptoUs: number;
  /** The trail recorder (KmsEvent → CloudTrail record). */
  readonly trailUs: number;
  /** Repository commit (one per call). */
  readonly commitUs: number;
  /** RandomSource streams (ChaCha20 DRBG: request/event ids, IVs, data keys). */
  readonly randomUs: number;
  /** Everything else: validation, key resolution, lifecycle check, blob/context encoding, queueing. */
  readonly otherUs: number;
}

/** Envelope figures (MB/s, MB = 10^6 bytes). */
export interface EnvelopeResult {
  readonly inputBytes: number;
  readonly encrypt: Stat;
  readonly decrypt: Stat;
  /** decryptEnvelopeFrames: the same work without joining the frames into one output array. */
  readonly decryptFrames: Stat;
  readonly rawEncryptOneShot: Stat;
  /** 64 × 1 MiB, each awaited before the next. */
  readonly rawEncryptChunked: Stat;
  /** 64 × 1 MiB with two in flight (the envelope's own depth). */
  readonly rawEncryptChunked2: Stat;
  readonly rawDecryptOneShot: Stat;
  readonly rawDecryptChunked: Stat;
  readonly rawDecryptChunked2: Stat;
  /** Memory readings during one encryptEnvelope (judged) and one decryptEnvelope (information). */
  readonly encryptMemory: readonly MemoryMetric[];
  readonly decryptMemory: readonly MemoryMetric[];
}

/** Authorization figures (issue 3). */
export interface PolicyResult {
  /** decide() evaluations per second on the bench/policy.ts fixture. */
  readonly evaluations: Stat;
  /**
   * Authorizations per second of the Encrypt the ops bench makes (the service's own step: caller
   * lookup, condition keys, key policy, IAM, grants, decide()) on the same sandbox.
   */
  readonly encryptAuthorizations: Stat;
}

/** Everything one environment measured. */
export interface BenchResult {
  readonly environment: string;
  readonly raw: Stat;
  readonly ops: readonly OpResult[];
  readonly breakdown: readonly Breakdown[];
  readonly envelope: EnvelopeResult;
  readonly policy: PolicyResult;
  /** Issue 4: the real SDK through the wire handler vs canned floors. */
  readonly wire: WireResult;
  /** Issue 7: Sign and Verify per key spec through the service vs the raw primitive. */
  readonly signing: SigningResult;
  readonly seconds: number;
}

/** Median/min/max of `samples`. */
export function stat(samples: readonly number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, samples };
}

/** `n` bytes from the platform CSPRNG (getRandomValues takes ≤ 65,536 bytes per call). */
function randomInput(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}

const iv12 = (): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(12));

/** Runs `op` sequentially until `minMs` have passed; returns ops/s. */
export async function opsPerSecond(op: () => Promise<unknown>, minMs: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    await op();
    n++;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** Runs `pass` (which processes `bytes`) until ≥ 1 pass and ≥ `minMs`; returns MB/s. */
async function megabytesPerSecond(pass: () => Promise<unknown>, bytes: number, minMs: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  let t: number;
  do {
    await pass();
    n++;
    t = performance.now();
  } while (t - t0 < minMs);
  return (n * bytes) / 1e3 / (t - t0);
}

/**
 * Runs `job(0 … n−1)` in order with up to `depth` jobs in flight (as encryptEnvelope keeps two
 * frames in flight) and returns the results in order.
 */
async function chunked<T>(n: number, depth: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  const queue: Promise<T>[] = [];
  for (let i = 0; i < n; i++) {
    queue.push(job(i));
    if (queue.length >= depth) out.push(await queue.shift()!);
  }
  while (queue.length > 0) out.push(await queue.shift()!);
  return out;
}

/** The ports of one fresh in-memory sandbox (fixed clock, seeded DRBG, `serviceBackend()`: auto in Node, WebCrypto in the browser). */
export interface Ports {
  repository: Repository;
  clock: { now(): number };
  random: RandomSource;
  crypto: CryptoBackend;
  recordTrail: typeof toTrailRecord;
}

export function freshPorts(): Ports {
  const seed = new Uint8Array(32).fill(7);
  return {
    repository: createMemoryRepository(),
    clock: { now: () => T0 },
    random: createSeededRandom(seed),
    crypto: serviceBackend(),
    recordTrail: toTrailRecord,
  };
}

/** A fresh sandbox with one symmetric key; returns the service, the key id and the call functions. */
async function sandbox(ports: Ports = freshPorts()) {
  const service: KmsService = await createKmsService(ports);
  const created = await service.call('CreateKey', { Description: 'bench' }, CALLER);
  const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
  const plaintext = randomInput(PLAINTEXT_BYTES);
  const { CiphertextBlob } = await service.call('Encrypt', { KeyId: keyId, Plaintext: plaintext }, CALLER);
  const calls: Record<OpResult['op'], () => Promise<AwsShape>> = {
    Encrypt: () => service.call('Encrypt', { KeyId: keyId, Plaintext: plaintext }, CALLER),
    Decrypt: () => service.call('Decrypt', { CiphertextBlob }, CALLER),
    GenerateDataKey: () => service.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }, CALLER),
  };
  return { service, keyId, calls };
}

/** The DataKeyKms adapter the envelope module takes: two `service.call`s. */
function dataKeyKms(service: KmsService): DataKeyKms {
  return {
    generateDataKey: async (req) => (await service.call('GenerateDataKey', req, CALLER)) as Awaited<ReturnType<DataKeyKms['generateDataKey']>>,
    decrypt: async (req) => (await service.call('Decrypt', req, CALLER)) as Awaited<ReturnType<DataKeyKms['decrypt']>>,
  };
}

const OPS: readonly OpResult['op'][] = ['Encrypt', 'Decrypt', 'GenerateDataKey'];

/** Raw WebCrypto AES-256-GCM encrypt of 32 bytes: fresh IV each call, key imported once. */
async function rawEncrypt32(): Promise<() => Promise<unknown>> {
  const key = await crypto.subtle.importKey('raw', randomInput(32), 'AES-GCM', false, ['encrypt']);
  const plaintext = randomInput(PLAINTEXT_BYTES);
  return () => crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv12() }, key, plaintext);
}

/**
 * Service ops vs raw WebCrypto, interleaved per round. Each sample runs on a fresh sandbox, so
 * the trail kept in memory (one record per call) grows only within the sample.
 */
async function benchOps(host: BenchHost): Promise<{ raw: Stat; ops: OpResult[] }> {
  const raw = await rawEncrypt32();
  host.log(`ops: warm-up`);
  await opsPerSecond(raw, 300);
  for (const op of OPS) await opsPerSecond((await sandbox()).calls[op], 300);
  const rawSamples: number[] = [];
  const opSamples: Record<string, number[]> = { Encrypt: [], Decrypt: [], GenerateDataKey: [] };
  for (let round = 0; round < SAMPLES; round++) {
    rawSamples.push(await opsPerSecond(raw, OPS_SAMPLE_MS));
    for (const op of OPS) {
      const { calls } = await sandbox();
      opSamples[op]!.push(await opsPerSecond(calls[op], OPS_SAMPLE_MS));
    }
    host.log(`ops: round ${round + 1}/${SAMPLES} raw ${rawSamples[round]!.toFixed(0)}/s, ` + OPS.map((op) => `${op} ${opSamples[op]![round]!.toFixed(0)}/s`).join(', '));
    await host.gc();
  }
  const rawStat = stat(rawSamples);
  const ops = OPS.map((op): OpResult => {
    const samples = opSamples[op]!;
    const perRound = samples.map((s, i) => rawSamples[i]! / s);
    return { op, service: stat(samples), ratio: rawStat.median / stat(samples).median, ratioMin: Math.min(...perRound), ratioMax: Math.max(...perRound) };
  });
  return { raw: rawStat, ops };
}

/** Where a service call's time goes: one ≥ 1 s run per op over ports wrapped with timers. */
async function benchBreakdown(host: BenchHost): Promise<Breakdown[]> {
  const out: Breakdown[] = [];
  for (const op of OPS) {
    const acc = { crypto: 0, trail: 0, commit: 0, random: 0 };
    const base = freshPorts();
    const timeAsync = async <T>(k: keyof typeof acc, f: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await f();
      } finally {
        acc[k] += performance.now() - t;
      }
    };
    const timeSync = <T>(k: keyof typeof acc, f: () => T): T => {
      const t = performance.now();
      try {
        return f();
      } finally {
        acc[k] += performance.now() - t;
      }
    };
    const wc = base.crypto;
    const ports: Ports = {
      repository: { get: base.repository.get, list: base.repository.list, commit: (c) => timeAsync('commit', () => base.repository.commit(c)) },
      clock: base.clock,
      random: {
        get seed() {
          return base.random.seed;
        },
        stream(i) {
          const s = timeSync('random', () => base.random.stream(i));
          return { bytes: (n) => timeSync('random', () => s.bytes(n)) };
        },
      },
      crypto: {
        name: `${wc.name} (timed)`,
        importAesKey: (raw) => timeAsync('crypto', () => wc.importAesKey(raw)),
        aesGcmEncrypt: (k, iv, p, aad) => timeAsync('crypto', () => wc.aesGcmEncrypt(k, iv, p, aad)),
        aesGcmDecrypt: (k, iv, c, aad) => timeAsync('crypto', () => wc.aesGcmDecrypt(k, iv, c, aad)),
        sha256: (d) => timeAsync('crypto', () => wc.sha256(d)),
      },
      recordTrail: (e, seq) => timeSync('trail', () => base.recordTrail(e, seq)),
    };
    const { calls } = await sandbox(ports);
    await opsPerSecond(calls[op], 200);
    for (const k of Object.keys(acc) as (keyof typeof acc)[]) acc[k] = 0;
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < OPS_SAMPLE_MS) {
      await calls[op]();
      n++;
    }
    const total = ((performance.now() - t0) * 1000) / n;
    const us = (ms: number) => (ms * 1000) / n;
    const b = { crypto: us(acc.crypto), trail: us(acc.trail), commit: us(acc.commit), random: us(acc.random) };
    out.push({
      op,
      calls: n,
      totalUs: total,
      cryptoUs: b.crypto,
      trailUs: b.trail,
      commitUs: b.commit,
      randomUs: b.random,
      otherUs: total - b.crypto - b.trail - b.commit - b.random,
    });
    host.log(`breakdown: ${op} ${total.toFixed(1)} µs/call over ${n} calls`);
  }
  return out;
}

/** decide() evaluations/s: a warm-up, then SAMPLES synchronous samples of ≥ OPS_SAMPLE_MS each. */
async function benchPolicy(host: BenchHost): Promise<PolicyResult> {
  host.log('policy: warm-up');
  decidePerSecond(300);
  const samples: number[] = [];
  for (let round = 0; round < SAMPLES; round++) {
    samples.push(decidePerSecond(OPS_SAMPLE_MS));
    host.log(`policy: round ${round + 1}/${SAMPLES} ${samples[round]!.toFixed(0)} evaluations/s`);
    // Yield between samples so the page (and its console relay) stays responsive.
    await new Promise((ok) => setTimeout(ok, 0));
  }
  const auth = await authorizeEncrypt();
  authorizationsPerSecond(auth, 300);
  const authSamples: number[] = [];
  for (let round = 0; round < SAMPLES; round++) {
    authSamples.push(authorizationsPerSecond(auth, OPS_SAMPLE_MS));
    host.log(`policy: Encrypt authorization round ${round + 1}/${SAMPLES} ${authSamples[round]!.toFixed(0)}/s`);
    await new Promise((ok) => setTimeout(ok, 0));
  }
  return { evaluations: stat(samples), encryptAuthorizations: stat(authSamples) };
}

/** The authorization step of the ops bench's Encrypt, as a function (same sandbox, same request). */
async function authorizeEncrypt(): Promise<() => void> {
  const ports = freshPorts();
  await sandbox(ports);
  const key = ports.repository.list('key')[0]!;
  const scope = { caller: CALLER, now: T0, tx: new UnitOfWork(ports.repository), grantTokens: [] as string[], decisions: [] as AuthorizationDecision[] };
  const opts = { operation: 'Encrypt', action: 'kms:Encrypt', target: key, conditions: cryptoConditions(undefined) };
  return () => void decideFor(scope, opts);
}

function authorizationsPerSecond(f: () => void, ms: number): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 64; i++) f();
    n += 64;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** Runs `f` while `probe` samples every `everyMs` and after each progress report. */
async function measureMemory<T>(host: BenchHost, f: (onProgress: () => void) => Promise<T>): Promise<{ value: T; metrics: MemoryMetric[] }> {
  await host.gc();
  const probe = host.memoryProbe();
  await probe.begin();
  const timer = setInterval(() => probe.sample(), 2);
  try {
    const value = await f(() => probe.sample());
    probe.sample();
    return { value, metrics: await probe.end() };
  } finally {
    clearInterval(timer);
  }
}

/** Envelope encrypt/decrypt through the service against raw WebCrypto on the same 64 MiB. */
async function benchEnvelope(host: BenchHost): Promise<EnvelopeResult> {
  const { service, keyId } = await sandbox();
  const kms = dataKeyKms(service);
  const backend = webCryptoBackend;
  const input = randomInput(ENVELOPE_BYTES);

  // Memory first, before the throughput passes leave garbage behind.
  host.log('envelope: memory during one encryptEnvelope / decryptEnvelope');
  const enc = await measureMemory(host, (onProgress) => encryptEnvelope(kms, backend, input, { keyId, onProgress }));
  const dec = await measureMemory(host, (onProgress) => decryptEnvelope(kms, backend, enc.value, { onProgress }));
  if (dec.value.length !== input.length || dec.value[12345] !== input[12345]) throw new Error('envelope round trip failed');

  const rawKey = await crypto.subtle.importKey('raw', randomInput(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const oneShotIv = iv12();
  const oneShot = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: oneShotIv }, rawKey, input);
  const nChunks = Math.ceil(input.length / CHUNK_BYTES);
  const chunkIvs: Uint8Array<ArrayBuffer>[] = [];
  const chunks: ArrayBuffer[] = [];
  for (let at = 0; at < input.length; at += CHUNK_BYTES) {
    chunkIvs.push(iv12());
    chunks.push(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: chunkIvs[chunkIvs.length - 1]! }, rawKey, input.subarray(at, at + CHUNK_BYTES)));
  }
  let envelope: Envelope = enc.value;
  const metrics: Record<string, () => Promise<unknown>> = {
    encrypt: async () => (envelope = await encryptEnvelope(kms, backend, input, { keyId })),
    decrypt: () => decryptEnvelope(kms, backend, envelope),
    decryptFrames: async () => {
      let n = 0;
      for await (const frame of decryptEnvelopeFrames(kms, backend, envelope)) n += frame.length;
      return n;
    },
    rawEncryptOneShot: () => crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv12() }, rawKey, input),
    rawEncryptChunked: () => chunked(nChunks, 1, (i) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv12() }, rawKey, input.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES))),
    rawEncryptChunked2: () => chunked(nChunks, 2, (i) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv12() }, rawKey, input.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES))),
    rawDecryptOneShot: () => crypto.subtle.decrypt({ name: 'AES-GCM', iv: oneShotIv }, rawKey, oneShot),
    rawDecryptChunked: () => chunked(chunks.length, 1, (i) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: chunkIvs[i]! }, rawKey, chunks[i]!)),
    rawDecryptChunked2: () => chunked(chunks.length, 2, (i) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: chunkIvs[i]! }, rawKey, chunks[i]!)),
  };
  const names = Object.keys(metrics);
  host.log('envelope: warm-up');
  for (const name of names) await metrics[name]!();
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < SAMPLES; round++) {
    for (const name of names) {
      await host.gc();
      samples[name]!.push(await megabytesPerSecond(metrics[name]!, input.length, ENVELOPE_SAMPLE_MS));
    }
    host.log(`envelope: round ${round + 1}/${SAMPLES} ` + names.map((n) => `${n} ${samples[n]![round]!.toFixed(0)}`).join(', ') + ' MB/s');
  }
  return {
    inputBytes: input.length,
    encrypt: stat(samples.encrypt!),
    decrypt: stat(samples.decrypt!),
    decryptFrames: stat(samples.decryptFrames!),
    rawEncryptOneShot: stat(samples.rawEncryptOneShot!),
    rawEncryptChunked: stat(samples.rawEncryptChunked!),
    rawEncryptChunked2: stat(samples.rawEncryptChunked2!),
    rawDecryptOneShot: stat(samples.rawDecryptOneShot!),
    rawDecryptChunked: stat(samples.rawDecryptChunked!),
    rawDecryptChunked2: stat(samples.rawDecryptChunked2!),
    encryptMemory: enc.metrics,
    decryptMemory: dec.metrics,
  };
}

/**
 * A what-if for bench/profile.ts: `base` with each call's stream read from the keystream
 * `chunk` bytes at a time and served from that buffer. The bytes are identical to `base`'s
 * (a stream's reads are consecutive keystream), so replay would not change; only the number of
 * ChaCha20 invocations per call drops (from one per read to usually one).
 */
function bufferedRandom(base: RandomSource, chunk = 256): RandomSource {
  return {
    get seed() {
      return base.seed;
    },
    stream(i) {
      const s = base.stream(i);
      let buf = new Uint8Array(0);
      let at = 0;
      return {
        bytes(n) {
          if (buf.length - at < n) {
            const more = s.bytes(Math.max(n, chunk));
            const rest = buf.subarray(at);
            buf = new Uint8Array(rest.length + more.length);
            buf.set(rest);
            buf.set(more, rest.length);
            at = 0;
          }
          const out = buf.slice(at, at + n);
          at += n;
          return out;
        },
      };
    },
  };
}

/** Port variants `loopOp` can run (`as-is` = the production wiring the figures use). */
export type PortVariant = (typeof PORT_VARIANTS)[number];

/** Every port variant, in the order `--compare` prints them: `web-crypto` = `webCryptoBackend` and `noble` = `nobleBackend` whatever the environment's wiring. */
export const PORT_VARIANTS = ['as-is', 'buffered-random', 'web-crypto', 'noble'] as const;

/**
 * Runs one service op (or the raw 32-byte WebCrypto encrypt, op 'raw') on a fresh sandbox for
 * `ms` after a short warm-up; returns ops/s. For profiling (bench/profile.ts), not for figures.
 */
export async function loopOp(op: OpResult['op'] | 'raw', ms: number, variant: PortVariant = 'as-is'): Promise<number> {
  const ports = freshPorts();
  if (variant === 'buffered-random') ports.random = bufferedRandom(ports.random);
  if (variant === 'web-crypto') ports.crypto = webCryptoBackend;
  if (variant === 'noble') ports.crypto = nobleBackend;
  const f = op === 'raw' ? await rawEncrypt32() : (await sandbox(ports)).calls[op];
  await opsPerSecond(f, 200);
  return opsPerSecond(f, ms);
}

/** Runs every measurement once in this environment. */
export async function runBench(environment: string, host: BenchHost): Promise<BenchResult> {
  const t0 = performance.now();
  // decide() is measured first, in a fresh process: after seconds of service calls (which also
  // run decide() on the service's own condition-context shapes) V8's inline caches in the policy
  // engine go polymorphic and the isolated figure drops (Node: ~300k → ~60k/s in one run), while the
  // in-service cost is what the "authorizing the bench Encrypt" row measures.
  const policy = await benchPolicy(host);
  await host.gc();
  const { raw, ops } = await benchOps(host);
  const breakdown = await benchBreakdown(host);
  await host.gc();
  const envelope = await benchEnvelope(host);
  await host.gc();
  const wire = await benchWire(host, { samples: SAMPLES, sampleMs: OPS_SAMPLE_MS, stat });
  await host.gc();
  const signing = await benchSigning(host, { samples: SIGNING_SAMPLES, sampleMs: SIGNING_SAMPLE_MS, stat });
  return { environment, raw, ops, breakdown, envelope, policy, wire, signing, seconds: (performance.now() - t0) / 1000 };
}
