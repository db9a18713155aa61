/**
 * Deterministic replay of the call log (issue 6, STYLE §8): replaying a sandbox's log from its seed
 * and creation time rebuilds identical records; all but the last entry is "undo"; secret inputs
 * can be replaced by zero-filled placeholders; a diverging or malformed entry stops replay with a
 * typed failure, never an exception.
 */
import { describe, expect, it } from 'vitest';
import { createKmsService, createSeededRandom, nobleBackend, redactLogEntry, webCryptoBackend, type AnyRecord, type LogEntry } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { createMemoryRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { loadFixture } from './store/fixtures';
import { allRecords, APP, logOf, ROOT, runScenario } from './logScenario';

const SEED = new Uint8Array(32).fill(7);
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);


async function original() {
  const repository = createMemoryRepository();
  const clock = { t: T0, now() { return this.t; } };
  const service = await createKmsService({ repository, clock, random: createSeededRandom(SEED), crypto: webCryptoBackend, recordTrail: toTrailRecord });
  return { repository, clock, service };
}

const replayOpts = { seed: SEED, startTime: T0, crypto: webCryptoBackend, recordTrail: toTrailRecord };

describe('replayLog', () => {
  it('rebuilds every record of the scripted sandbox, trail and log included', async () => {
    const o = await original();
    await runScenario(o.service, o.clock);
    const r = await replayLog(logOf(o.repository), replayOpts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(allRecords(r.repository)).toEqual(allRecords(o.repository));
    expect(r.service.now()).toBe(o.service.now());
  });

  it('a ciphertext made before the replay decrypts in the replayed sandbox', async () => {
    const o = await original();
    const { ciphertext, plaintext } = await runScenario(o.service, o.clock);
    const r = await replayLog(logOf(o.repository), replayOpts);
    if (!r.ok) throw new Error(r.detail);
    const out = await r.service.call('Decrypt', { CiphertextBlob: ciphertext }, APP);
    expect(new TextDecoder().decode(out.Plaintext as Uint8Array)).toBe(plaintext);
  });

  it('replays the frozen sandbox.v3.json from its seed and creation time, identically (noble backend)', async () => {
    const records = loadFixture('sandbox.v3.json');
    const repo = createMemoryRepository(records);
    const meta = repo.get('meta', 'sandbox')!;
    expect(meta.logComplete).toBe(true);
    const opts = { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord };
    const r = await replayLog(logOf(repo), opts);
    if (!r.ok) throw new Error(`${r.reason} ${r.detail}`);
    // Every record is the same, except that today's log writes the ciphertexts the frozen log (made
    // before output references) repeats as references to the calls that returned them.
    const notLog = (rs: AnyRecord[]) => rs.filter((x) => x.typeName !== 'logEntry');
    expect(notLog(allRecords(r.repository))).toEqual(notLog(allRecords(repo)));
    const frozen = logOf(repo);
    let references = 0;
    const asFrozen = logOf(r.repository).map((e, i) => {
      const f = frozen[i]!;
      if (e.kind !== 'call' || e.request === null || f.kind !== 'call' || f.request === null) return e;
      const request = { ...e.request };
      for (const [k, v] of Object.entries(request)) {
        if (typeof v === 'object' && v !== null && '$output' in v) {
          references++;
          expect(f.request[k]).toMatchObject({ $bytes: expect.any(String) as unknown });
          request[k] = f.request[k]!;
        }
      }
      return { ...e, request };
    });
    expect(asFrozen).toEqual(frozen);
    expect(references).toBeGreaterThan(0);
    // The replayed log, references and all, replays to itself.
    const again = await replayLog(logOf(r.repository), opts);
    if (!again.ok) throw new Error(`${again.reason} ${again.detail}`);
    expect(allRecords(again.repository)).toEqual(allRecords(r.repository));
  });

  it('undo: replaying all but the last entry gives the sandbox as it was before the last change', async () => {
    const o = await original();
    await o.service.call('CreateKey', {}, ROOT);
    await o.service.advanceClock(3_600_000);
    const before = allRecords(o.repository);
    await o.service.call('CreateKey', { Description: 'undone' }, ROOT);
    const log = logOf(o.repository);
    const r = await replayLog(log.slice(0, -1), replayOpts);
    if (!r.ok) throw new Error(r.detail);
    expect(allRecords(r.repository)).toEqual(before);
  });

  it('secret inputs dropped: placeholders of the same length reproduce every record, the log keeps the placeholders', async () => {
    const o = await original();
    await runScenario(o.service, o.clock);
    const log = logOf(o.repository);
    const redacted = log.map(redactLogEntry);
    expect(JSON.stringify(redacted)).not.toContain('$bytes":"Y2FyZCA0MTEx'); // "card 4111" in base64
    expect(redacted.some((e) => JSON.stringify(e).includes('"$redacted":14'))).toBe(true);
    const r = await replayLog(redacted, replayOpts);
    if (!r.ok) throw new Error(r.detail);
    const other = (rs: AnyRecord[]) => rs.filter((x) => x.typeName !== 'logEntry');
    expect(other(allRecords(r.repository))).toEqual(other(allRecords(o.repository)));
    expect(logOf(r.repository)).toEqual(redacted);
    // Sharing the replayed sandbox again gives the same redacted log.
    expect(logOf(r.repository).map(redactLogEntry)).toEqual(redacted);
  });

  it('an entry whose outcome differs stops replay with outcome-differs (and the sandbox so far)', async () => {
    const o = await original();
    await runScenario(o.service, o.clock);
    const log = logOf(o.repository);
    const i = log.findIndex((e) => e.kind === 'call' && e.outcome.ok && e.operation === 'Encrypt');
    const tampered = log.map((e, j) => (j === i && e.kind === 'call' ? { ...e, outcome: { ok: false as const, error: 'AccessDeniedException' } } : e));
    const r = await replayLog(tampered, replayOpts);
    expect(r).toMatchObject({ ok: false, reason: 'outcome-differs', index: i, expected: { ok: false, error: 'AccessDeniedException' }, actual: { ok: true } });
    if (r.ok) return;
    expect(r.repository?.list('logEntry')).toHaveLength(i + 1);

    // A call that failed originally but succeeds now (its key ARN made to resolve differently).
    const j = log.findIndex((e) => e.kind === 'call' && !e.outcome.ok);
    const flipped = log.map((e, k) => (k === j && e.kind === 'call' ? { ...e, outcome: { ok: true as const } } : e));
    expect(await replayLog(flipped, replayOpts)).toMatchObject({ ok: false, reason: 'outcome-differs', index: j });
  });

  it('malformed entries and seeds give typed failures, never exceptions', async () => {
    const o = await original();
    await o.service.call('CreateKey', {}, ROOT);
    await o.service.call('Encrypt', { KeyId: 'alias/none', Plaintext: new Uint8Array(3) }, ROOT).catch(() => undefined);
    const log = logOf(o.repository);
    expect(await replayLog([log[1]!], replayOpts)).toMatchObject({ ok: false, reason: 'invalid-entry', index: 0 });
    const badRequest = { ...log[0]!, request: { Tags: { $bytes: 'not base64!' } } } as LogEntry;
    expect(await replayLog([badRequest], replayOpts)).toMatchObject({ ok: false, reason: 'invalid-entry', index: 0, detail: expect.stringMatching(/request\.Tags/) as unknown });
    const backwards = [log[0]!, { ...log[1]!, at: log[0]!.at - 1 }];
    expect(await replayLog(backwards, replayOpts)).toMatchObject({ ok: false, reason: 'invalid-entry', index: 1 });
    expect(await replayLog(log, { ...replayOpts, seed: 'zz' })).toMatchObject({ ok: false, reason: 'invalid-seed' });
    expect(await replayLog(log, { ...replayOpts, seed: new Uint8Array(3) })).toMatchObject({ ok: false, reason: 'invalid-seed' });
    const unknownKind = { kind: 'teleport', seq: 0, at: T0 } as unknown as LogEntry;
    expect(await replayLog([unknownKind], replayOpts)).toMatchObject({ ok: false, reason: 'invalid-entry', index: 0 });
    expect(await replayLog([], replayOpts)).toMatchObject({ ok: true });
    expect(await replayLog([null] as unknown as LogEntry[], replayOpts)).toMatchObject({ ok: false, reason: 'invalid-entry', index: 0 });
    expect(await replayLog('x' as unknown as LogEntry[], replayOpts)).toMatchObject({ ok: false, reason: 'invalid-entry', index: -1 });
    const noCaller = { ...log[0]!, caller: null } as unknown as LogEntry;
    expect(await replayLog([noCaller], replayOpts)).toMatchObject({ ok: false, index: 0 });
  });
});
