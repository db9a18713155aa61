/**
 * Model-based replay test (STYLE §15, issue 6): random sequences of calls (successes, denials,
 * failures), grants, rotations, world edits, sandbox clock advances and wall-clock time passing run
 * against the real service. After each step: every API call wrote exactly one trail record and one
 * log entry, and the log is contiguous; a reload step reopens the service over the same records
 * (the log must not depend on where reloads happened). After the run: replaying the log rebuilds
 * identical records, log included (with its `$output` references); replaying all but the last entry gives the state before it (undo); replaying with
 * secret inputs dropped gives the same records but the log; a ciphertext made before the replay
 * decrypts (or fails) the same way in the replayed sandbox.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKmsService, createSeededRandom, redactLogEntry, webCryptoBackend, type AnyRecord, type CallerContext, type KmsService, type Repository } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { createMemoryRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { ADMIN, ALICE, allRecords, APP, LEARNER, logOf, ROOT } from './logScenario';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY = 86_400_000;

interface Real {
  service: KmsService;
  seed: Uint8Array;
  repo: Repository;
  clock: { t: number; now(): number };
  keys: string[];
  ciphertexts: { blob: Uint8Array; context: Record<string, string> }[];
  /** Records after each log length. */
  snapshots: Map<number, AnyRecord[]>;
}
type Model = { steps: number };

async function attempt(r: Real, op: string, req: Record<string, unknown>, caller: CallerContext = ROOT): Promise<Record<string, unknown> | null> {
  try {
    return await r.service.call(op, req, caller);
  } catch {
    return null;
  }
}

const keyOf = (r: Real, i: number) => (r.keys.length ? r.keys[i % r.keys.length]! : '11111111-2222-3333-4444-555555555555');

function checkInvariants(r: Real): void {
  const log = logOf(r.repo);
  expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
  const calls = log.filter((e) => e.kind === 'call').length;
  expect(r.repo.list('trailEvent').filter((t) => t.record.eventType === 'AwsApiCall')).toHaveLength(calls);
  expect(r.repo.get('meta', 'sandbox')?.logCount).toBe(log.length);
  r.snapshots.set(log.length, allRecords(r.repo));
}

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly name: string,
    readonly run_: (r: Real) => Promise<unknown>,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    await this.run_(r);
    m.steps++;
    checkInvariants(r);
  }
  toString = () => this.name;
}

const idx = fc.nat(7);
const commands = [
  fc.string({ maxLength: 12 }).map((d) => new Step(`CreateKey(${JSON.stringify(d)})`, async (r) => {
    const out = await attempt(r, 'CreateKey', { Description: d });
    if (out) r.keys.push((out.KeyMetadata as { KeyId: string }).KeyId);
  })),
  fc.tuple(idx, fc.uint8Array({ maxLength: 24 }), fc.boolean(), fc.constantFrom(ROOT, APP, ALICE)).map(([i, pt, ctx, who]) => new Step(`Encrypt(${i}, ${pt.length}B, ctx=${ctx}, ${who.principalArn})`, async (r) => {
    const context: Record<string, string> = ctx ? { tenant: 'acme' } : {};
    const out = await attempt(r, 'Encrypt', { KeyId: keyOf(r, i), Plaintext: pt, ...(ctx ? { EncryptionContext: context } : {}) }, who);
    if (out) r.ciphertexts.push({ blob: out.CiphertextBlob as Uint8Array, context });
  })),
  fc.tuple(idx, fc.boolean(), fc.constantFrom(ROOT, APP, ALICE)).map(([i, wrong, who]) => new Step(`Decrypt(${i}, wrong=${wrong})`, async (r) => {
    const c = r.ciphertexts[i % Math.max(1, r.ciphertexts.length)];
    await attempt(r, 'Decrypt', { CiphertextBlob: c?.blob ?? new Uint8Array(40), EncryptionContext: wrong ? { tenant: 'other' } : (c?.context ?? {}) }, who);
  })),
  // Encrypt then Decrypt or ReEncrypt of its output (logged as a `$output` reference).
  fc.tuple(idx, fc.boolean()).map(([i, re]) => new Step(`Encrypt+${re ? 'ReEncrypt' : 'Decrypt'}(${i})`, async (r) => {
    if (r.keys.length === 0) {
      const created = await attempt(r, 'CreateKey', {});
      if (created) r.keys.push((created.KeyMetadata as { KeyId: string }).KeyId);
      checkInvariants(r);
    }
    const out = await attempt(r, 'Encrypt', { KeyId: keyOf(r, i), Plaintext: new Uint8Array([i]) });
    checkInvariants(r); // two calls in one step: snapshot between them (undo of the second)
    const blob = (out?.CiphertextBlob as Uint8Array | undefined) ?? new Uint8Array(40);
    await attempt(r, re ? 'ReEncrypt' : 'Decrypt', re ? { CiphertextBlob: blob, DestinationKeyId: keyOf(r, i + 1) } : { CiphertextBlob: blob });
  })),
  idx.map((i) => new Step(`RotateKeyOnDemand(${i})`, (r) => attempt(r, 'RotateKeyOnDemand', { KeyId: keyOf(r, i) }, ADMIN))),
  fc.tuple(idx, fc.integer({ min: 85, max: 120 })).map(([i, d]) => new Step(`EnableKeyRotation(${i}, ${d})`, (r) => attempt(r, 'EnableKeyRotation', { KeyId: keyOf(r, i), RotationPeriodInDays: d }, ADMIN))),
  idx.map((i) => new Step(`DisableKey(${i})`, (r) => attempt(r, 'DisableKey', { KeyId: keyOf(r, i) }))),
  idx.map((i) => new Step(`EnableKey(${i})`, (r) => attempt(r, 'EnableKey', { KeyId: keyOf(r, i) }))),
  fc.tuple(idx, fc.integer({ min: 6, max: 9 })).map(([i, d]) => new Step(`ScheduleKeyDeletion(${i}, ${d})`, (r) => attempt(r, 'ScheduleKeyDeletion', { KeyId: keyOf(r, i), PendingWindowInDays: d }))),
  idx.map((i) => new Step(`CancelKeyDeletion(${i})`, (r) => attempt(r, 'CancelKeyDeletion', { KeyId: keyOf(r, i) }))),
  fc.tuple(idx, fc.boolean()).map(([i, constrained]) => new Step(`CreateGrant(${i}, ${constrained})`, (r) => attempt(r, 'CreateGrant', {
    KeyId: keyOf(r, i),
    GranteePrincipal: ALICE.principalArn,
    Operations: ['Decrypt', 'Encrypt'],
    ...(constrained ? { Constraints: { EncryptionContextSubset: { tenant: 'acme' } } } : {}),
  }))),
  // A reload: a new service over the same records (its index of outputs is rebuilt from the log).
  fc.constant(null).map(() => new Step('reload', async (r) => {
    r.service = await createKmsService({ repository: r.repo, clock: r.clock, random: createSeededRandom(r.seed), crypto: webCryptoBackend, recordTrail: toTrailRecord });
  })),
  fc.integer({ min: 0, max: 200 }).map((d) => new Step(`advanceClock(${d}d)`, (r) => r.service.advanceClock(d * DAY))),
  fc.integer({ min: 0, max: 3 * DAY }).map((ms) => new Step(`wallClock(+${ms})`, async (r) => void (r.clock.t += ms))),
  fc.constantFrom('bob', 'carol', 'bad name!').map((n) => new Step(`createPrincipal(${n})`, (r) => r.service.world.createPrincipal({ accountId: LEARNER, kind: 'user', name: n }).catch(() => null))),
  fc.tuple(fc.constantFrom('bob', 'alice'), fc.boolean()).map(([n, put]) => new Step(`${put ? 'put' : 'delete'}IdentityPolicy(${n})`, (r) => {
    const arn = `arn:aws:iam::${LEARNER}:user/${n}`;
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }] });
    return (put ? r.service.world.putIdentityPolicy(arn, 'Use', doc) : r.service.world.deleteIdentityPolicy(arn, 'Use')).catch(() => null);
  })),
];

describe('replay (model-based)', () => {
  const stats = { entries: 0, failures: 0, references: 0, kinds: new Set<string>() };
  it('replay rebuilds identical records; undo is replay of all but the last; placeholders change only the log', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 255 }), fc.commands(commands, { maxCommands: 16, size: 'large' }), async (seedByte, cmds) => {
        const seed = new Uint8Array(32).fill(seedByte);
        const repo = createMemoryRepository();
        const clock = { t: T0, now() { return this.t; } };
        const service = await createKmsService({ repository: repo, clock, random: createSeededRandom(seed), crypto: webCryptoBackend, recordTrail: toTrailRecord });
        const real: Real = { service, seed, repo, clock, keys: [], ciphertexts: [], snapshots: new Map() };
        checkInvariants(real);
        await fc.asyncModelRun(() => ({ model: { steps: 0 }, real }), cmds);

        const opts = { seed, startTime: T0, crypto: webCryptoBackend, recordTrail: toTrailRecord };
        const log = logOf(repo);
        stats.entries += log.length;
        stats.failures += log.filter((e) => e.kind === 'call' && !e.outcome.ok).length;
        stats.kinds = new Set([...stats.kinds, ...log.map((e) => e.kind)]);
        stats.references += log.filter((e) => e.kind === 'call' && JSON.stringify(e.request).includes('"$output"')).length;
        const full = await replayLog(log, opts);
        if (!full.ok) throw new Error(`${full.reason} at ${full.index}: ${full.detail}`);
        expect(allRecords(full.repository)).toEqual(allRecords(repo));

        if (log.length > 0) {
          const undo = await replayLog(log.slice(0, -1), opts);
          if (!undo.ok) throw new Error(`${undo.reason}: ${undo.detail}`);
          expect(allRecords(undo.repository)).toEqual(real.snapshots.get(log.length - 1));
        }

        const redacted = log.map(redactLogEntry);
        const blind = await replayLog(redacted, opts);
        if (!blind.ok) throw new Error(`${blind.reason}: ${blind.detail}`);
        const notLog = (rs: AnyRecord[]) => rs.filter((x) => x.typeName !== 'logEntry');
        expect(notLog(allRecords(blind.repository))).toEqual(notLog(allRecords(repo)));
        expect(logOf(blind.repository)).toEqual(redacted);

        // Ciphertexts made before the replay behave the same in both sandboxes.
        for (const c of real.ciphertexts.slice(0, 2)) {
          const outcome = (s: KmsService) =>
            s.call('Decrypt', { CiphertextBlob: c.blob, EncryptionContext: c.context }, ROOT).then(
              (o) => ({ ok: true, pt: Array.from(o.Plaintext as Uint8Array) }),
              (e: Error) => ({ ok: false, name: e.name }),
            );
          expect(await outcome(full.service)).toEqual(await outcome(real.service));
        }
      }),
      { numRuns: 50 },
    );
    // The sequences exercised something: many entries, failed calls, every entry kind.
    expect(stats.entries).toBeGreaterThan(200);
    expect(stats.failures).toBeGreaterThan(20);
    expect(stats.references).toBeGreaterThan(5); // Decrypts of earlier ciphertexts logged as $output references
    expect(stats.kinds).toEqual(new Set(['call', 'world', 'clock']));
  }, 120_000);
});
