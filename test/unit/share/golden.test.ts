/**
 * Golden links (STYLE §8, §15): links made by released versions must decode forever to the same
 * envelope. Never regenerate these files: add new ones (v2-*.txt) next to them when the format or
 * encoding changes, and keep these decoding (through migrations).
 *
 *   v1-small   a small sandbox (key, alias, encrypt with context, decrypt, a failed decrypt, a day
 *              later), inputs included
 *   v1-lesson  the same sandbox with inputs left out and a lesson field (params, step, proof)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { webCryptoBackend } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { decodeShare, importSandboxFile } from '../../../src/share';
import { toTrailRecord } from '../../../src/trail';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/share/${name}`, import.meta.url), 'utf8');

describe('golden links', () => {
  for (const name of ['v1-small', 'v1-lesson']) {
    test(`${name} decodes to its committed envelope`, async () => {
      const link = fixture(`${name}.txt`).trim();
      const expected: unknown = JSON.parse(fixture(`${name}.expected.json`));
      const r = await decodeShare(link);
      expect(r).toEqual({ ok: true, envelope: expected });
      // The expected envelope is itself a valid export file.
      expect(importSandboxFile(fixture(`${name}.expected.json`))).toEqual({ ok: true, envelope: expected });
    });

    test(`${name} replays under today's simulator (update only with a sem bump)`, async () => {
      const r = await decodeShare(fixture(`${name}.txt`).trim());
      if (!r.ok) throw new Error(r.message);
      const replayed = await replayLog(r.envelope.log, { seed: r.envelope.seed, startTime: r.envelope.start, crypto: webCryptoBackend, recordTrail: toTrailRecord });
      expect(replayed.ok ? 'ok' : `${replayed.reason} at ${replayed.index}`).toBe('ok');
      expect(replayed.ok && replayed.repository.list('trailEvent').map((t) => t.record.eventName)).toEqual(['CreateKey', 'CreateAlias', 'Encrypt', 'Decrypt', 'Decrypt']);
    });
  }

  test('the lesson link carries the lesson and no plaintext', async () => {
    const r = await decodeShare(fixture('v1-lesson.txt').trim());
    if (!r.ok) throw new Error(r.message);
    expect(r.envelope.lesson).toEqual({ id: 'envelope-encryption', params: { tenant: 'acme', bucket: 'reports-7' }, step: 2, proof: true });
    expect(r.envelope.inputsIncluded).toBe(false);
    expect(JSON.stringify(r.envelope)).not.toContain(Buffer.from('hello golden').toString('base64').slice(0, 12));
  });
});
