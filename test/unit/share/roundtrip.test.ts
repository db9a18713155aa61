/**
 * A real sandbox through a link and back (issue 6): service + calls → envelope → link → decode →
 * replayLog → the same trail and records; and the link length of a typical lesson sandbox.
 */
import { describe, expect, test } from 'vitest';
import { webCryptoBackend } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { redactLogEntry } from '../../../src/kms/log';
import { decodeShare, encodeFragment, encodeShare, shareLink, withoutInputs } from '../../../src/share';
import { toTrailRecord } from '../../../src/trail';
import { envelopeOf, typicalSandbox } from './typicalSandbox';

describe('a real sandbox through a link', () => {
  for (const inputsIncluded of [true, false]) {
    test(`replays to the same trail and records (inputs ${inputsIncluded ? 'included' : 'left out'})`, async () => {
      const { h, calls } = await typicalSandbox();
      expect(calls).toBe(30);
      const env = envelopeOf(h, { inputsIncluded });
      const enc = await encodeShare(env);
      if (!enc.ok) throw new Error(enc.message);
      const url = shareLink('https://kms-playground.example/', enc.fragment);
      const dec = await decodeShare(new URL(url).hash.slice('#sandbox='.length));
      if (!dec.ok) throw new Error(dec.message);
      expect(dec.envelope).toEqual(env);

      const replayed = await replayLog(dec.envelope.log, { seed: dec.envelope.seed, startTime: dec.envelope.start, crypto: webCryptoBackend, recordTrail: toTrailRecord });
      if (!replayed.ok) throw new Error(`${replayed.reason} at ${replayed.index}: ${replayed.detail}`);
      expect(replayed.repository.list('trailEvent')).toEqual(h.repo.list('trailEvent'));
      for (const table of ['key', 'alias', 'grant', 'policy', 'tag', 'principal', 'identityPolicy', 'clock'] as const) {
        expect(replayed.repository.list(table), table).toEqual(h.repo.list(table));
      }
      // The replayed sandbox decrypts a ciphertext made before sharing.
      const before = await h.call('Encrypt', { KeyId: 'alias/orders', Plaintext: new TextEncoder().encode('made before'), EncryptionContext: { tenant: 'a' } });
      const after = await replayed.service.call('Decrypt', { CiphertextBlob: before.CiphertextBlob, EncryptionContext: { tenant: 'a' } }, { principalArn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', region: 'us-east-1' } as never);
      expect(new TextDecoder().decode(after.Plaintext as Uint8Array)).toBe('made before');
    });
  }

  test('withoutInputs drops every plaintext and agrees with kms redactLogEntry', async () => {
    const { h } = await typicalSandbox();
    const log = h.repo.list('logEntry').map((r) => r.entry);
    const redacted = withoutInputs(log);
    expect(redacted).toEqual(log.map(redactLogEntry));
    const encrypts = redacted.filter((e) => e.kind === 'call' && e.operation === 'Encrypt');
    expect(encrypts).toHaveLength(5);
    for (const e of encrypts) expect(e.kind === 'call' && e.request?.Plaintext).toEqual({ $redacted: expect.any(Number) });
    expect(JSON.stringify(redacted)).not.toContain(Buffer.from('secret number').toString('base64').slice(0, 12));
    expect(log.some((e) => e.kind === 'call' && JSON.stringify(e.request).includes('$bytes') && e.operation === 'Encrypt')).toBe(true);
  });

  /** Link length of the typical sandbox, and of the same log with every `$output` reference written out as the bytes it stands for. */
  async function typicalLengths(): Promise<{ url: number; withoutReferences: number; references: number }> {
    const { h, outputs } = await typicalSandbox();
    const env = envelopeOf(h, { inputsIncluded: false, lesson: { id: 'key-policy-lockout' } });
    const enc = await encodeShare(env);
    if (!enc.ok) throw new Error(enc.message);
    const url = shareLink('https://kms-playground.example/', enc.fragment).length;
    let references = 0;
    const expanded = env.log.map((e) => {
      if (e.kind !== 'call' || e.request === null) return e;
      const request = { ...e.request };
      for (const [k, v] of Object.entries(request)) {
        const ref = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { $output?: [number, string] }).$output : undefined;
        if (ref) {
          references++;
          request[k] = { $bytes: Buffer.from(outputs.get(ref[0])!).toString('base64') };
        }
      }
      return { ...e, request };
    });
    const withoutReferences = shareLink('https://kms-playground.example/', await encodeFragment({ ...env, log: expanded })).length;
    console.log(`typical lesson sandbox link: ${url} characters (${withoutReferences} with its ${references} output references written out as bytes)`);
    return { url, withoutReferences, references };
  }

  test('a typical lesson sandbox (2 accounts, 5 keys, 30 calls) gives a link of at most 2,000 characters', async () => {
    const { url, withoutReferences, references } = await typicalLengths();
    expect(references).toBe(6); // the six Decrypts of earlier Encrypt outputs
    expect(url).toBeLessThanOrEqual(2_000);
    // What references save: the ciphertexts they stand for are random bytes no compression shrinks.
    expect(withoutReferences - url).toBeGreaterThan(700);
  });
});
