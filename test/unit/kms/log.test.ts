/**
 * The call log (issue 6): the JSON-safe request codec, entry validation, redaction, and that the
 * service writes exactly one log entry per state change in the transaction of its effects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKmsService,
  createSeededRandom,
  decodeLogRequest,
  encodeLogRequest,
  isPlaceholder,
  placeholderBytes,
  redactLogEntry,
  webCryptoBackend,
  type ChangeSet,
  type LogEntry,
  type Repository,
} from '../../../src/kms';
import { createMemoryRepository, validateLogEntry, validateRecord } from '../../../src/kms/store';
import { openSandboxService } from '../../../src/kms';
import { toTrailRecord } from '../../../src/trail';
import { encodeBase64 } from '../../../src/kms/crypto';
import { loadFixture } from './store/fixtures';
import { logEntryValueArb } from './store/records';
import { ADMIN, ALICE, ROOT } from './logScenario';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

/** AWS-shaped request values: JSON, bytes, dates, `$` keys, nested. */
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 64 }),
  fc.date(),
  fc.constantFrom(NaN, Infinity, -Infinity),
);
const keyArb = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('$bytes', '$$x', '$date', '__proto__', 'constructor', '$redacted'));
const valueArb = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(keyArb, tie('v'), { maxKeys: 4, noNullPrototype: true })),
})).v;
const requestArb = fc.dictionary(keyArb, valueArb, { maxKeys: 6, noNullPrototype: true });

async function sandbox(repository: Repository = createMemoryRepository()) {
  const clock = { t: T0, now() { return this.t; } };
  const service = await createKmsService({ repository, clock, random: createSeededRandom(new Uint8Array(32).fill(1)), crypto: webCryptoBackend, recordTrail: toTrailRecord });
  return { service, clock, repository };
}

describe('encodeLogRequest / decodeLogRequest', () => {
  it('decode ∘ JSON ∘ encode is the identity on AWS-shaped requests', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const wire = JSON.parse(JSON.stringify(encodeLogRequest(req))) as unknown;
        expect(wire).toEqual(encodeLogRequest(req));
        const back = decodeLogRequest(wire);
        expect(back.ok).toBe(true);
        if (back.ok) expect(back.value).toEqual(req);
      }),
      { numRuns: 300 },
    );
  });

  it('logs byte members as exactly the project codec\'s padded base64 (checked against Node\'s own)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const expected = Buffer.from(b).toString('base64');
        expect(encodeBase64(b)).toBe(expected);
        expect(encodeLogRequest({ B: b })).toEqual({ B: { $bytes: expected } });
      }),
      { numRuns: 300 },
    );
  });

  it('encode is stable: encoding the decoded request gives the same JSON', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const enc = encodeLogRequest(req);
        const back = decodeLogRequest(enc);
        if (!back.ok) throw new Error(back.detail);
        expect(encodeLogRequest(back.value)).toEqual(enc);
      }),
    );
  });

  it('random JSON decodes or is refused with a detail, never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = decodeLogRequest(v);
        if (!r.ok) expect(typeof r.detail).toBe('string');
      }),
      { numRuns: 300 },
    );
    expect(decodeLogRequest({ a: { $bytes: 'AAA' } })).toMatchObject({ ok: false });
    expect(decodeLogRequest({ a: { $redacted: 1e12 } })).toMatchObject({ ok: false });
    expect(decodeLogRequest({ a: { $evil: 1 } })).toMatchObject({ ok: false });
    expect(decodeLogRequest({ $a: 1 })).toMatchObject({ ok: false });
  });

  it('a non-object request is logged as null; undefined members are dropped; blobs become base64', () => {
    expect(encodeLogRequest(null)).toBeNull();
    expect(encodeLogRequest([1])).toBeNull();
    expect(encodeLogRequest({ a: undefined, b: new Uint8Array([1, 2]), d: new Date(5) })).toEqual({ b: { $bytes: 'AQI=' }, d: { $date: 5 } });
    const proto = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    const back = decodeLogRequest(encodeLogRequest(proto));
    expect(back.ok && Object.hasOwn(back.value, '__proto__')).toBe(true);
    expect(({} as { x?: number }).x).toBeUndefined();
  });

  it('placeholders decode to zero bytes and encode back to $redacted', () => {
    const d = decodeLogRequest({ Plaintext: { $redacted: 5 } });
    if (!d.ok) throw new Error(d.detail);
    expect(d.value.Plaintext).toEqual(new Uint8Array(5));
    expect(isPlaceholder(d.value.Plaintext)).toBe(true);
    expect(encodeLogRequest(d.value)).toEqual({ Plaintext: { $redacted: 5 } });
    expect(encodeLogRequest({ P: placeholderBytes(2) })).toEqual({ P: { $redacted: 2 } });
  });
});

describe('log entries', () => {
  it('generated entries validate, and survive JSON', () => {
    fc.assert(
      fc.property(logEntryValueArb, (e) => {
        expect(validateLogEntry(e)).toEqual({ ok: true, value: e });
        expect(validateLogEntry(JSON.parse(JSON.stringify(e)))).toMatchObject({ ok: true });
      }),
    );
  });

  it('malformed entries are refused with a reason, never an exception', () => {
    fc.assert(fc.property(fc.anything(), (v) => void validateLogEntry(v)));
    const good: LogEntry = { kind: 'clock', seq: 0, at: T0, ms: 5 };
    expect(validateLogEntry({ ...good, ms: -1 }).ok).toBe(false);
    expect(validateLogEntry({ ...good, extra: 1 }).ok).toBe(false);
    expect(validateLogEntry({ kind: 'world', seq: 0, at: T0, edit: { op: 'dropTables' } }).ok).toBe(false);
    const call = { kind: 'call', seq: 0, at: T0, operation: 'Encrypt', request: { KeyId: 'k' }, secretMembers: ['Plaintext'], caller: ROOT, outcome: { ok: true } };
    expect(validateLogEntry(call)).toMatchObject({ ok: false, detail: expect.stringMatching(/secretMembers/) as unknown });
    expect(validateLogEntry({ ...call, secretMembers: [] }).ok).toBe(true);
    expect(validateLogEntry({ ...call, secretMembers: [], outcome: { ok: false } }).ok).toBe(false);
  });

  it('redactLogEntry drops secret inputs only, keeping their length', () => {
    const e: LogEntry = {
      kind: 'call',
      seq: 3,
      at: T0,
      operation: 'Encrypt',
      request: encodeLogRequest({ KeyId: 'alias/a', Plaintext: new Uint8Array([9, 9, 9]) })!,
      secretMembers: ['Plaintext'],
      caller: ROOT,
      outcome: { ok: true },
    };
    expect(redactLogEntry(e)).toEqual({ ...e, request: { KeyId: 'alias/a', Plaintext: { $redacted: 3 } } });
    const clock: LogEntry = { kind: 'clock', seq: 0, at: T0, ms: 1 };
    expect(redactLogEntry(clock)).toBe(clock);
  });
});

describe('the service writes the log', () => {
  /** A repository that remembers every change set it committed. */
  function recording(): { repo: Repository; commits: ChangeSet[] } {
    const inner = createMemoryRepository();
    const commits: ChangeSet[] = [];
    return { commits, repo: { get: inner.get, list: inner.list, commit: async (c) => (commits.push(c), inner.commit(c)) } };
  }

  it('one entry per call (success or failure), world edit and clock advance, committed with its effects and its one trail record', async () => {
    const { repo, commits } = recording();
    const { service, clock } = await sandbox(repo);
    commits.length = 0;
    const created = await service.call('CreateKey', { Description: 'd' }, ROOT);
    const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
    await expect(service.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1]) }, ALICE)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(service.call('NoSuchOperation', {}, ROOT)).rejects.toMatchObject({ name: 'UnknownOperationException' });
    await service.world.createPrincipal({ accountId: ROOT.accountId, kind: 'user', name: 'eve' });
    await expect(service.world.createPrincipal({ accountId: ROOT.accountId, kind: 'user', name: 'eve' })).rejects.toMatchObject({ name: 'AlreadyExistsException' });
    await service.advanceClock(1000);
    clock.t += 500;
    await service.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1, 2]) }, ADMIN).catch(() => undefined);

    const log = repo.list('logEntry').map((r) => r.entry);
    expect(log.map((e) => e.kind)).toEqual(['call', 'call', 'world', 'clock', 'call']);
    expect(log.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(log.map((e) => e.at)).toEqual([T0, T0, T0, T0, T0 + 1500]);
    expect(log[1]).toMatchObject({ operation: 'Encrypt', secretMembers: ['Plaintext'], outcome: { ok: false, error: 'AccessDeniedException' }, caller: ALICE });
    expect(log[3]).toMatchObject({ kind: 'clock', ms: 1000 });
    expect(log[2]).toMatchObject({ edit: { op: 'createPrincipal', name: 'eve', kind: 'user' } });
    expect(repo.get('meta', 'sandbox')).toMatchObject({ logCount: 5, logComplete: true });
    for (const r of repo.list('logEntry')) expect(validateRecord(r).ok).toBe(true);
    // Same transaction: every commit carrying a log entry carries exactly one, and calls their one trail record.
    const withLog = commits.filter((c) => c.puts.some((p) => p.typeName === 'logEntry'));
    expect(withLog).toHaveLength(5);
    for (const c of withLog) {
      const entries = c.puts.filter((p) => p.typeName === 'logEntry');
      expect(entries).toHaveLength(1);
      const trail = c.puts.filter((p) => p.typeName === 'trailEvent');
      const kind = (entries[0] as { entry: LogEntry }).entry.kind;
      expect(trail).toHaveLength(kind === 'call' ? 1 : 0);
      expect(c.puts.some((p) => p.typeName === 'meta')).toBe(true);
    }
  });

  it('a new sandbox over records seeded without meta does not claim a complete log', async () => {
    const seeded = createMemoryRepository([{ typeName: 'account', id: '999988887777' as never, name: 'Seeded' }]);
    const { repository } = await sandbox(seeded);
    expect(repository.get('meta', 'sandbox')?.logComplete).toBe(false);
    const { repository: fresh } = await sandbox();
    expect(fresh.get('meta', 'sandbox')?.logComplete).toBe(true);
  });

  it('a sandbox saved before the log (sandbox.v2.json) keeps logging from seq 0, marked incomplete', async () => {
    const repo = createMemoryRepository(loadFixture('sandbox.v2.json'));
    const service = await openSandboxService({ repository: repo, clock: { now: () => T0 + 1e10 }, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    await service.call('ListKeys', {}, ROOT);
    expect(repo.list('logEntry').map((r) => r.id)).toEqual(['000000000000']);
    expect(repo.get('meta', 'sandbox')).toMatchObject({ logCount: 1, logComplete: false });
  });
});
