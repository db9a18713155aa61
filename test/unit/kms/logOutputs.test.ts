/**
 * Output references in the call log (issue 6, share link size): a request's byte member equal to an
 * earlier successful call's output is logged as `{ "$output": [seq, member] }`, replay resolves it
 * from the outputs it saw, a forged reference is a typed `invalid-entry`, and the index of outputs
 * is a function of the log (a reopened sandbox logs the same entries as one never closed).
 */
import { describe, expect, it } from 'vitest';
import { createKmsService, createSeededRandom, webCryptoBackend, type LogEntry, type Repository } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { decodeLogRequest, encodeLogRequest, OUTPUT_WINDOW, OutputIndex, OutputLog, placeholderBytes, redactLogEntry } from '../../../src/kms/log';
import { createMemoryRepository, validateLogEntry } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { allRecords, logOf, ROOT } from './logScenario';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const SEED = new Uint8Array(32).fill(3);
const replayOpts = { seed: SEED, startTime: T0, crypto: webCryptoBackend, recordTrail: toTrailRecord };
const utf8 = (s: string) => new TextEncoder().encode(s);

async function sandbox(repository: Repository = createMemoryRepository()) {
  const clock = { t: T0, now() { return this.t; } };
  const service = await createKmsService({ repository, clock, random: createSeededRandom(SEED), crypto: webCryptoBackend, recordTrail: toTrailRecord });
  return { service, clock, repository };
}

/** CreateKey, Encrypt (seq 1), Decrypt of it (seq 2), GenerateDataKeyWithoutPlaintext (seq 3), ReEncrypt of it (seq 4), Decrypt of that (seq 5). */
async function history(service: Awaited<ReturnType<typeof sandbox>>['service']) {
  const created = await service.call('CreateKey', { Description: 'k' }, ROOT);
  const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
  const enc = await service.call('Encrypt', { KeyId: keyId, Plaintext: utf8('hello') }, ROOT);
  await service.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, ROOT);
  const dk = await service.call('GenerateDataKeyWithoutPlaintext', { KeyId: keyId, KeySpec: 'AES_256' }, ROOT);
  const re = await service.call('ReEncrypt', { CiphertextBlob: dk.CiphertextBlob, DestinationKeyId: keyId }, ROOT);
  await service.call('Decrypt', { CiphertextBlob: re.CiphertextBlob }, ROOT);
  return { keyId, blob: enc.CiphertextBlob as Uint8Array };
}

const callAt = (log: LogEntry[], seq: number) => log[seq] as Extract<LogEntry, { kind: 'call' }>;

describe('the request codec with output references', () => {
  it('writes references for the named top-level byte members only, and decodes them through a resolver', () => {
    const blob = new Uint8Array([1, 2, 3, 4]);
    const refs = new Map([['CiphertextBlob', [4, 'CiphertextBlob'] as const]]);
    const enc = encodeLogRequest({ CiphertextBlob: blob, Other: new Uint8Array([5]), KeyId: 'k' }, refs);
    expect(enc).toEqual({ CiphertextBlob: { $output: [4, 'CiphertextBlob'] }, Other: { $bytes: 'BQ==' }, KeyId: 'k' });
    const resolved = decodeLogRequest(enc, (seq, member) => (seq === 4 && member === 'CiphertextBlob' ? blob : undefined));
    expect(resolved).toEqual({ ok: true, value: { CiphertextBlob: blob, Other: new Uint8Array([5]), KeyId: 'k' } });
    // A reference that is not bytes in the request (or a placeholder) stays as it is.
    expect(encodeLogRequest({ CiphertextBlob: 'text' }, refs)).toEqual({ CiphertextBlob: 'text' });
    expect(encodeLogRequest({ CiphertextBlob: placeholderBytes(2) }, refs)).toEqual({ CiphertextBlob: { $redacted: 2 } });
  });

  it('refuses references it cannot resolve, malformed ones and nested ones, with a path and no exception', () => {
    const resolve = (seq: number, member: string) => (seq === 1 && member === 'CiphertextBlob' ? new Uint8Array([7]) : undefined);
    for (const bad of [
      { C: { $output: [2, 'CiphertextBlob'] } },
      { C: { $output: [1, 'KeyMetadata'] } },
      { C: { $output: [1] } },
      { C: { $output: [-1, 'CiphertextBlob'] } },
      { C: { $output: [1.5, 'CiphertextBlob'] } },
      { C: { $output: '1/CiphertextBlob' } },
      { C: { Nested: { $output: [1, 'CiphertextBlob'] } } },
    ]) {
      expect(decodeLogRequest(bad, resolve), JSON.stringify(bad)).toMatchObject({ ok: false, detail: expect.stringMatching(/^request\.C/) as unknown });
    }
    expect(decodeLogRequest({ C: { $output: [1, 'CiphertextBlob'] } })).toMatchObject({ ok: false });
    expect(decodeLogRequest({ C: { $output: [1, 'CiphertextBlob'] } }, resolve)).toMatchObject({ ok: true });
    // An escaped key is data, not a reference.
    expect(decodeLogRequest({ C: { $$output: [1, 'x'] } })).toEqual({ ok: true, value: { C: { $output: [1, 'x'] } } });
  });

  it('the index and the replay store keep the same window of the last OUTPUT_WINDOW outputs', () => {
    const index = new OutputIndex();
    const store = new OutputLog();
    const blob = (i: number) => new Uint8Array([i & 255, i >> 8, 9, 9]);
    for (let i = 0; i <= OUTPUT_WINDOW; i++) {
      index.add(i, { CiphertextBlob: blob(i), Plaintext: blob(i + 5000) });
      store.record(i, { CiphertextBlob: blob(i) });
    }
    expect(index.size).toBe(OUTPUT_WINDOW);
    expect(index.referencesOf({ CiphertextBlob: blob(0) }, []).size).toBe(0); // evicted
    expect(store.resolverFor(OUTPUT_WINDOW + 1)(0, 'CiphertextBlob')).toBeUndefined();
    expect([...index.referencesOf({ CiphertextBlob: blob(1) }, [])]).toEqual([['CiphertextBlob', [1, 'CiphertextBlob']]]);
    expect(store.resolverFor(OUTPUT_WINDOW + 1)(1, 'CiphertextBlob')).toEqual(blob(1));
    // Plaintexts are never outputs; secret members never reference.
    expect(index.referencesOf({ CiphertextBlob: blob(5001) }, []).size).toBe(0);
    expect(index.referencesOf({ Plaintext: blob(1) }, ['Plaintext']).size).toBe(0);
    // Only earlier entries resolve.
    expect(store.resolverFor(1)(1, 'CiphertextBlob')).toBeUndefined();
  });

  it('keeps its own copy of each output and matches byte for byte, not by key alone', () => {
    const index = new OutputIndex();
    const given = new Uint8Array(40).map((_, i) => i);
    index.add(7, { CiphertextBlob: given });
    const original = given.slice();
    given.fill(0); // the caller reuses or zeroes the array it was given
    expect([...index.referencesOf({ CiphertextBlob: original }, [])]).toEqual([['CiphertextBlob', [7, 'CiphertextBlob']]]);
    expect(index.referencesOf({ CiphertextBlob: given }, []).size).toBe(0);
    // Same length and same last 16 bytes (the lookup key), different head: not the output.
    const lookalike = original.slice();
    lookalike[0] = lookalike[0]! ^ 1;
    expect(index.referencesOf({ CiphertextBlob: lookalike }, []).size).toBe(0);
  });
});

describe('the service logs output references', () => {
  it('Decrypt and ReEncrypt of earlier outputs log references; the log validates and replays to the same records', async () => {
    const { service, repository } = await sandbox();
    await history(service);
    const log = logOf(repository);
    expect(callAt(log, 2).request).toEqual({ CiphertextBlob: { $output: [1, 'CiphertextBlob'] } });
    expect(callAt(log, 4).request).toMatchObject({ CiphertextBlob: { $output: [3, 'CiphertextBlob'] } });
    expect(callAt(log, 5).request).toEqual({ CiphertextBlob: { $output: [4, 'CiphertextBlob'] } });
    for (const e of log) expect(validateLogEntry(JSON.parse(JSON.stringify(e))).ok).toBe(true);
    const r = await replayLog(JSON.parse(JSON.stringify(log)) as LogEntry[], replayOpts);
    if (!r.ok) throw new Error(`${r.reason} ${r.detail}`);
    expect(allRecords(r.repository)).toEqual(allRecords(repository));
    // Redacted (no plaintexts): still replays, references untouched.
    const r2 = await replayLog(log.map(redactLogEntry), replayOpts);
    expect(r2.ok).toBe(true);
  });

  it('a blob that was not an output, and a secret member equal to an output, are logged as bytes', async () => {
    const { service, repository } = await sandbox();
    const { keyId, blob } = await history(service);
    const forged = blob.slice();
    forged[forged.length - 1]! ^= 1;
    await expect(service.call('Decrypt', { CiphertextBlob: forged }, ROOT)).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    // Encrypt's Plaintext is secret (redacted on share): never a reference, even when it equals an output.
    await service.call('Encrypt', { KeyId: keyId, Plaintext: blob }, ROOT);
    const log = logOf(repository);
    expect(callAt(log, 6).request).toEqual({ CiphertextBlob: { $bytes: Buffer.from(forged).toString('base64') } });
    expect(callAt(log, 7).request?.Plaintext).toEqual({ $bytes: Buffer.from(blob).toString('base64') });
    expect(callAt(log, 7).secretMembers).toEqual(['Plaintext']);
    const r = await replayLog(log, replayOpts);
    expect(r.ok).toBe(true);
  });

  it('a sandbox reopened over its repository rebuilds the index from its log: the same entries as without the reload', async () => {
    const once = await sandbox();
    const { blob } = await history(once.service);
    await once.service.call('Decrypt', { CiphertextBlob: blob }, ROOT);

    const first = await sandbox();
    await history(first.service);
    const reopened = await sandbox(first.repository); // a reload: a new service over the same records
    await reopened.service.call('Decrypt', { CiphertextBlob: blob }, ROOT);
    expect(callAt(logOf(first.repository), 6).request).toEqual({ CiphertextBlob: { $output: [1, 'CiphertextBlob'] } });
    expect(allRecords(first.repository)).toEqual(allRecords(once.repository));
  });
});

describe('replay refuses forged references', () => {
  it('to a later or unknown entry, to a failed call, to a member that is not an output: invalid-entry, never an exception', async () => {
    const { service, repository } = await sandbox();
    await history(service);
    await service.call('Encrypt', { KeyId: 'alias/none', Plaintext: utf8('x') }, ROOT).catch(() => undefined); // seq 6 fails
    const log = logOf(repository);
    const withRef = (ref: unknown) => log.map((e, i) => (i === 2 && e.kind === 'call' ? { ...e, request: { CiphertextBlob: { $output: ref } } } : e)) as LogEntry[];
    for (const ref of [[2, 'CiphertextBlob'], [5, 'CiphertextBlob'], [99, 'CiphertextBlob'], [0, 'CiphertextBlob'], [1, 'KeyId'], [1, 'Plaintext'], [0, 'KeyMetadata'], ['1', 'CiphertextBlob']]) {
      const r = await replayLog(withRef(ref), replayOpts);
      expect(r, JSON.stringify(ref)).toMatchObject({ ok: false, reason: 'invalid-entry', index: 2, detail: expect.stringMatching(/^entries\[2\]\.request\.CiphertextBlob/) as unknown });
    }
    const toFailed = log.concat([{ ...callAt(log, 2), seq: 7, request: { CiphertextBlob: { $output: [6, 'CiphertextBlob'] } } }]);
    expect(await replayLog(toFailed, replayOpts)).toMatchObject({ ok: false, reason: 'invalid-entry', index: 7 });
  });
});
