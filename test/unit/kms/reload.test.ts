/**
 * Persistence and reproducibility of a sandbox (issue 2 "CloudTrail and persistence", "Lifecycle,
 * time and randomness"; STYLE §5, §7, §8):
 *   - a reload gives back exactly the same sandbox: after a random call sequence on the Dexie
 *     (fake-indexeddb) repository, close + reopen with `openSandboxService` yields every table's
 *     records deep-equal, and the next call answers exactly as the same call on a never-reloaded
 *     twin (byte-identical CiphertextBlob, same request id, same trail record);
 *   - seeded runs reproduce: same seed + same calls → identical key ids, ciphertexts, request ids
 *     and trail; another seed → different ones;
 *   - all writes of a call commit in one transaction: a commit that fails leaves nothing
 *     half-written (the call answers KMSInternalException; memory and IndexedDB unchanged).
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openSandboxService,
  requestIdOf,
  TABLE_OF,
  webCryptoBackend,
  type AnyRecord,
  type ChangeSet,
  type KmsService,
  type Repository,
  type TypeName,
} from '../../../src/kms';
import { createMemoryRepository, deleteDexieSandbox, openDexieRepository, type DexieRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { ROOT, seedOf, T0, utf8 } from './harness';

const DAY_MS = 86_400_000;
const ALL_TYPES = Object.keys(TABLE_OF) as TypeName[];
const clock = { now: () => T0 };

// ─── repositories, with cleanup ─────────────────────────────────────────────────────────────────

const openDbs: DexieRepository[] = [];
const dbNames = new Set<string>();
let dbCounter = 0;

async function openDexie(name: string): Promise<DexieRepository> {
  const r = await openDexieRepository(name);
  if (!r.ok) throw new Error(`open ${name}: ${r.reason} ${r.detail}`);
  openDbs.push(r.value);
  dbNames.add(name);
  return r.value;
}

function freshDbName(): string {
  return `kms-reload-test-${++dbCounter}`;
}

afterEach(async () => {
  for (const db of openDbs.splice(0)) db.close();
  for (const name of dbNames) await deleteDexieSandbox(name);
  dbNames.clear();
});

function sandbox(repository: Repository, seed?: number): Promise<KmsService> {
  return openSandboxService({
    repository,
    clock,
    crypto: webCryptoBackend,
    recordTrail: toTrailRecord,
    ...(seed === undefined ? {} : { seed: seedOf(seed) }),
  });
}

/** Every table's records. */
function tables(repo: Repository): Record<string, readonly AnyRecord[]> {
  return Object.fromEntries(ALL_TYPES.map((t) => [t, [...repo.list(t)]]));
}

// ─── random call sequences (data, so the same sequence can be played on several services) ────────

type Step =
  | { op: 'CreateKey'; description: string }
  | { op: 'Encrypt'; key: number; plaintext: Uint8Array; context: Record<string, string> }
  | { op: 'GenerateDataKey'; key: number; bytes: number }
  | { op: 'DisableKey' | 'EnableKey' | 'CancelKeyDeletion' | 'RotateKeyOnDemand' | 'DescribeKey'; key: number }
  | { op: 'ScheduleKeyDeletion'; key: number; days: number }
  | { op: 'EnableKeyRotation'; key: number; days: number }
  | { op: 'CreateAlias'; key: number; alias: string }
  | { op: 'DeleteAlias'; alias: string }
  | { op: 'TagResource'; key: number; tag: string; value: string }
  | { op: 'GenerateRandom'; bytes: number }
  | { op: 'advanceClock'; days: number };

const ALIASES = ['alias/a', 'alias/b', 'alias/c'];
const keyIdx = fc.nat({ max: 7 });

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('CreateKey' as const), description: fc.string({ maxLength: 10 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('Encrypt' as const),
      key: keyIdx,
      plaintext: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      context: fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('GenerateDataKey' as const), key: keyIdx, bytes: fc.integer({ min: 1, max: 64 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('DisableKey' as const, 'EnableKey' as const, 'CancelKeyDeletion' as const, 'RotateKeyOnDemand' as const, 'DescribeKey' as const),
      key: keyIdx,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('ScheduleKeyDeletion' as const), key: keyIdx, days: fc.integer({ min: 7, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('EnableKeyRotation' as const), key: keyIdx, days: fc.integer({ min: 90, max: 120 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('CreateAlias' as const), key: keyIdx, alias: fc.constantFrom(...ALIASES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('DeleteAlias' as const), alias: fc.constantFrom(...ALIASES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('TagResource' as const), key: keyIdx, tag: fc.constantFrom('env', 'team'), value: fc.string({ maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('GenerateRandom' as const), bytes: fc.integer({ min: 1, max: 32 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('advanceClock' as const), days: fc.integer({ min: 0, max: 120 }) }) },
);

/** What one step returned: the response (with its request id) or the error; or the clock advance. */
type Result = { ok: true; response: Record<string, unknown>; requestId: string | undefined } | { ok: false; name: string; message: string } | { advanced: unknown };

/** A player keeps the key ARNs its service created, so steps can name keys by index. */
class Player {
  readonly keys: string[] = [];
  constructor(readonly service: KmsService) {}

  private keyOf(i: number): string {
    // With no key yet, name one that does not exist (the call still fails with one trail record).
    return this.keys.length ? this.keys[i % this.keys.length]! : '1234abcd-12ab-34cd-56ef-1234567890ab';
  }

  request(s: Step): [string, Record<string, unknown>] {
    switch (s.op) {
      case 'CreateKey':
        return ['CreateKey', { Description: s.description }];
      case 'Encrypt':
        return ['Encrypt', { KeyId: this.keyOf(s.key), Plaintext: s.plaintext, EncryptionContext: s.context }];
      case 'GenerateDataKey':
        return ['GenerateDataKey', { KeyId: this.keyOf(s.key), NumberOfBytes: s.bytes }];
      case 'ScheduleKeyDeletion':
        return ['ScheduleKeyDeletion', { KeyId: this.keyOf(s.key), PendingWindowInDays: s.days }];
      case 'EnableKeyRotation':
        return ['EnableKeyRotation', { KeyId: this.keyOf(s.key), RotationPeriodInDays: s.days }];
      case 'CreateAlias':
        return ['CreateAlias', { AliasName: s.alias, TargetKeyId: this.keyOf(s.key) }];
      case 'DeleteAlias':
        return ['DeleteAlias', { AliasName: s.alias }];
      case 'TagResource':
        return ['TagResource', { KeyId: this.keyOf(s.key), Tags: [{ TagKey: s.tag, TagValue: s.value }] }];
      case 'GenerateRandom':
        return ['GenerateRandom', { NumberOfBytes: s.bytes }];
      case 'advanceClock':
        throw new Error('not a call');
      default:
        return [s.op, { KeyId: this.keyOf(s.key) }];
    }
  }

  async play(s: Step): Promise<Result> {
    if (s.op === 'advanceClock') return { advanced: await this.service.advanceClock(s.days * DAY_MS) };
    const [op, req] = this.request(s);
    try {
      const response = await this.service.call(op, req, ROOT);
      if (op === 'CreateKey') this.keys.push((response.KeyMetadata as { Arn: string }).Arn);
      return { ok: true, response, requestId: requestIdOf(response) };
    } catch (e) {
      return { ok: false, name: (e as Error).name, message: (e as Error).message };
    }
  }

  async playAll(steps: readonly Step[]): Promise<Result[]> {
    const out: Result[] = [];
    for (const s of steps) out.push(await this.play(s));
    return out;
  }
}

/** The next call after the sequence: something that uses randomness and the stored state. */
const NEXT_STEPS: readonly Step[] = [
  { op: 'CreateKey', description: 'after reload' },
  { op: 'Encrypt', key: 0, plaintext: utf8('after reload'), context: { phase: 'next' } },
  { op: 'GenerateDataKey', key: 1, bytes: 32 },
];

/** The repository a twin's service runs on (kept beside the service for comparison). */
const TWIN_REPOS = new WeakMap<KmsService, Repository>();
function twinRepo(p: Player): Repository {
  const r = TWIN_REPOS.get(p.service);
  if (!r) throw new Error('not a twin');
  return r;
}
const makeTwin = async (seed: number) => {
  const repo = createMemoryRepository();
  const svc = await sandbox(repo, seed);
  TWIN_REPOS.set(svc, repo);
  return svc;
};

// ─── tests ──────────────────────────────────────────────────────────────────────────────────────

describe('reload: the same sandbox comes back', () => {
  it('random sequence on Dexie, close, reopen: identical tables, and the next call matches a never-reloaded twin', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 0xffff }), fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (seed, steps) => {
        const name = freshDbName();
        const dexie = await openDexie(name);
        const a = new Player(await sandbox(dexie, seed));
        const twin = new Player(await makeTwin(seed));
        const resultsA = await a.playAll(steps);
        const resultsTwin = await twin.playAll(steps);
        // The same calls give the same answers whatever the repository.
        expect(resultsA).toEqual(resultsTwin);
        const before = tables(dexie);
        expect(before).toEqual(tables(twinRepo(twin)));

        dexie.close();
        const reopened = await openDexie(name);
        expect(tables(reopened)).toEqual(before);
        // The stored seed wins over the one passed for a new sandbox.
        const b = new Player(await sandbox(reopened, seed + 1));
        b.keys.push(...a.keys);

        for (const next of NEXT_STEPS) {
          const rb = await b.play(next);
          const rt = await twin.play(next);
          expect(rb).toEqual(rt);
          if ('ok' in rb && rb.ok && 'ok' in rt && rt.ok) {
            expect(rb.requestId).toBeDefined();
            expect(rb.requestId).toBe(rt.requestId);
            if (rb.response.CiphertextBlob) {
              expect(Buffer.from(rb.response.CiphertextBlob as Uint8Array).equals(Buffer.from(rt.response.CiphertextBlob as Uint8Array))).toBe(true);
            }
          }
          expect(reopened.list('trailEvent').at(-1)).toEqual(twinRepo(twin).list('trailEvent').at(-1));
        }
        expect(tables(reopened)).toEqual(tables(twinRepo(twin)));
        // And once more through IndexedDB.
        reopened.close();
        expect(tables(await openDexie(name))).toEqual(tables(twinRepo(twin)));
      }),
      { seed: 0x72656c, numRuns: 20 },
    );
  });

  it('the sandbox clock offset and pending events survive a reload', async () => {
    const name = freshDbName();
    const repo = await openDexie(name);
    const svc = await sandbox(repo, 3);
    const p = new Player(svc);
    await p.play({ op: 'CreateKey', description: 'k' });
    await p.play({ op: 'ScheduleKeyDeletion', key: 0, days: 7 });
    await svc.advanceClock(3 * DAY_MS);
    const due = svc.nextScheduledEventTime();
    repo.close();
    const again = await sandbox(await openDexie(name));
    expect(again.now()).toBe(T0 + 3 * DAY_MS);
    expect(again.nextScheduledEventTime()).toBe(due);
    const adv = await again.advanceClock(4 * DAY_MS);
    expect(adv.events.map((e) => (e as { eventName: string }).eventName)).toEqual(['DeleteKey']);
  });
});

describe('seeded runs reproduce', () => {
  it('same seed + same calls: identical key ids, ciphertexts, request ids and trail; another seed differs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 0xfffe }), fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (seed, steps) => {
        const withCreate: Step[] = [{ op: 'CreateKey', description: 'first' }, { op: 'Encrypt', key: 0, plaintext: utf8('x'), context: {} }, ...steps];
        const [s1, s2, s3] = await Promise.all([makeTwin(seed), makeTwin(seed), makeTwin(seed + 1)]);
        const [p1, p2, p3] = [new Player(s1), new Player(s2), new Player(s3)];
        const [r1, r2, r3] = [await p1.playAll(withCreate), await p2.playAll(withCreate), await p3.playAll(withCreate)];
        expect(r1).toEqual(r2);
        expect(r1.map((r) => ('requestId' in r ? r.requestId : null))).toEqual(r2.map((r) => ('requestId' in r ? r.requestId : null)));
        expect(p1.keys).toEqual(p2.keys);
        expect(tables(twinRepo(p1))).toEqual(tables(twinRepo(p2)));
        // Another seed: other key ids, other ciphertexts, other request and event ids.
        expect(p3.keys[0]).not.toBe(p1.keys[0]);
        const blob = (r: Result[]) => Buffer.from(((r[1] as { response: Record<string, unknown> }).response.CiphertextBlob as Uint8Array) ?? []);
        expect(blob(r3).equals(blob(r1))).toBe(false);
        const ids = (p: Player) => twinRepo(p).list('trailEvent').map((t) => [t.record.requestID, t.record.eventID]);
        const ids1 = new Set(ids(p1).flat());
        expect(ids(p3).flat().some((id) => ids1.has(id))).toBe(false);
      }),
      { seed: 0x736565, numRuns: 25 },
    );
  });

  it('a sandbox opened without a seed gets a random one (real sandboxes differ)', async () => {
    const r1 = createMemoryRepository();
    const r2 = createMemoryRepository();
    const [s1, s2] = [await sandbox(r1), await sandbox(r2)];
    expect(r1.get('meta', 'sandbox')!.seed).not.toBe(r2.get('meta', 'sandbox')!.seed);
    const k1 = await s1.call('CreateKey', {}, ROOT);
    const k2 = await s2.call('CreateKey', {}, ROOT);
    expect((k1.KeyMetadata as { KeyId: string }).KeyId).not.toBe((k2.KeyMetadata as { KeyId: string }).KeyId);
  });
});

// ─── atomic commits ─────────────────────────────────────────────────────────────────────────────

/** Wraps a repository so that its next commit is sabotaged by `sabotage` (once). */
function sabotaged(inner: Repository): Repository & { arm(sabotage: (changes: ChangeSet) => Promise<void>): void; commits: number } {
  let pending: ((changes: ChangeSet) => Promise<void>) | null = null;
  const repo = {
    commits: 0,
    get: inner.get.bind(inner),
    list: inner.list.bind(inner),
    async commit(changes: ChangeSet): Promise<void> {
      repo.commits++;
      const s = pending;
      pending = null;
      return s ? s(changes) : inner.commit(changes);
    },
    arm(s: (changes: ChangeSet) => Promise<void>) {
      pending = s;
    },
  };
  return repo as Repository & { arm(sabotage: (changes: ChangeSet) => Promise<void>): void; commits: number };
}

const INTERNAL = {
  name: 'KMSInternalException',
  message: 'The request was rejected because an internal exception occurred. The request can be retried.',
};

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string } | 'OK'> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
}

describe('a failing commit leaves nothing half-written', () => {
  it('memory: commit rejects once → KMSInternalException, repository unchanged, the retry matches a twin that never failed', async () => {
    const inner = createMemoryRepository();
    const repo = sabotaged(inner);
    const svc = await sandbox(repo, 21);
    const twin = await makeTwin(21);
    await svc.call('CreateKey', { Description: 'existing' }, ROOT);
    await twin.call('CreateKey', { Description: 'existing' }, ROOT);
    const notices: unknown[] = [];
    svc.subscribe((n) => notices.push(n));
    const before = tables(repo);

    repo.arm(() => Promise.reject(new Error('disk full')));
    expect(await failure(svc.call('CreateKey', { Description: 'new', Tags: [{ TagKey: 't', TagValue: 'v' }] }, ROOT))).toEqual(INTERNAL);
    expect(tables(repo)).toEqual(before); // no key, material, policy, tag, trail record or counter
    expect(notices).toEqual([]);

    // Nothing was consumed: the retry is exactly the call a never-failed twin makes.
    const retry = await svc.call('CreateKey', { Description: 'new', Tags: [{ TagKey: 't', TagValue: 'v' }] }, ROOT);
    const same = await twin.call('CreateKey', { Description: 'new', Tags: [{ TagKey: 't', TagValue: 'v' }] }, ROOT);
    expect(retry).toEqual(same);
    expect(requestIdOf(retry)).toBe(requestIdOf(same));
    expect(tables(repo)).toEqual(tables(TWIN_REPOS.get(twin)!));
    expect(notices.length).toBe(1);
  });

  it('memory: a failing commit of a failed call, of a crypto call and of a clock advance also change nothing', async () => {
    const repo = sabotaged(createMemoryRepository());
    const svc = await sandbox(repo, 22);
    const key = await svc.call('CreateKey', {}, ROOT);
    const arn = (key.KeyMetadata as { Arn: string }).Arn;
    await svc.call('ScheduleKeyDeletion', { KeyId: arn, PendingWindowInDays: 7 }, ROOT);
    const before = tables(repo);
    for (const attempt of [
      () => svc.call('Encrypt', { KeyId: arn, Plaintext: utf8('x') }, ROOT), // fails (pending deletion); only its trail record would be written
      () => svc.call('DescribeKey', { KeyId: arn }, ROOT),
      () => svc.advanceClock(8 * DAY_MS), // would delete the key (DeleteKey service event)
    ]) {
      repo.arm(() => Promise.reject(new Error('quota exceeded')));
      const f = await failure(attempt());
      expect(f).not.toBe('OK');
      expect(tables(repo)).toEqual(before);
    }
    // Time did not move either.
    expect(svc.now()).toBe(T0);
  });

  it('Dexie: a write that fails mid-transaction rolls back every table, in memory and in IndexedDB', async () => {
    const name = freshDbName();
    const dexie = await openDexie(name);
    const repo = sabotaged(dexie);
    const svc = await sandbox(repo, 23);
    await svc.call('CreateKey', { Description: 'existing' }, ROOT);
    const before = tables(dexie);
    expect(before.trailEvent!.length).toBe(1);

    // Smuggle a trail record that reuses seq 0 into the change set: the `trail` table's unique
    // `&seq` index rejects it AFTER keys, materials, policies and tags were written in the same
    // IndexedDB transaction, so only a real rollback leaves them out.
    const dupe = { ...(before.trailEvent![0] as AnyRecord & { typeName: 'trailEvent' }), id: 'duplicate-seq-0' };
    repo.arm((changes) => dexie.commit({ puts: [...changes.puts, dupe], deletes: changes.deletes }));
    expect(await failure(svc.call('CreateKey', { Description: 'doomed', Tags: [{ TagKey: 't', TagValue: 'v' }] }, ROOT))).toEqual(INTERNAL);
    expect(tables(dexie)).toEqual(before);

    dexie.close();
    const reopened = await openDexie(name);
    expect(tables(reopened)).toEqual(before);
    // The reopened sandbox carries on from the last committed call.
    const next = await (await sandbox(reopened)).call('CreateKey', { Description: 'after' }, ROOT);
    expect(next.KeyMetadata).toBeDefined();
    expect(reopened.list('trailEvent').map((t) => t.seq)).toEqual([0, 1]);
  });
});
