/**
 * Properties of the share codec (STYLE §8, §15): encode∘decode is the identity on valid envelopes,
 * and nothing a link can hold makes `decodeShare` throw or hand back a different sandbox.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeShare, encodeFragment, encodeShare, exportSandboxFile, importSandboxFile, SHARE_REFUSALS } from '../../../src/share';
import { envelopeArb } from './arbitraries';

const REASONS: ReadonlySet<string> = new Set(SHARE_REFUSALS);

/** Asserts a typed refusal (never an exception: `decodeShare` returning at all proves that). */
function expectRefusal(r: { ok: boolean; reason?: string; message?: string }): void {
  expect(r.ok).toBe(false);
  expect(REASONS.has(r.reason!)).toBe(true);
  expect(typeof r.message).toBe('string');
  expect(r.reason).not.toBe('internal-error');
}

describe('share codec properties', () => {
  test('encode then decode is the identity on valid envelopes (link and file)', async () => {
    await fc.assert(
      fc.asyncProperty(envelopeArb, async (env) => {
        const enc = await encodeShare(env);
        expect(enc.ok).toBe(true);
        if (!enc.ok) return;
        const dec = await decodeShare(enc.fragment);
        expect(dec).toEqual({ ok: true, envelope: env });
        expect(importSandboxFile(exportSandboxFile(env))).toEqual({ ok: true, envelope: env });
      }),
      { numRuns: 150 },
    );
  });

  test('arbitrary strings are refused with a typed reason, never an exception', async () => {
    const link = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^1\.[A-Za-z0-9_-]{0,200}$/),
      fc.stringMatching(/^[0-9]{1,3}\.[A-Za-z0-9_-]{0,40}$/),
    );
    await fc.assert(
      fc.asyncProperty(link, async (s) => {
        expectRefusal(await decodeShare(s));
        expectRefusal(importSandboxFile(s));
      }),
      { numRuns: 400 },
    );
  });

  test('every truncation of a valid link is refused', async () => {
    await fc.assert(
      fc.asyncProperty(envelopeArb, fc.nat(), async (env, cut) => {
        const fragment = await encodeFragment(env);
        const n = cut % fragment.length;
        expectRefusal(await decodeShare(fragment.slice(0, n)));
      }),
      { numRuns: 150 },
    );
  });

  test('a changed character never yields a different sandbox: refused, or (gzip header bytes without meaning) the same', async () => {
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!%';
    let refused = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(envelopeArb, fc.nat(), fc.nat(ALPHABET.length - 1), async (env, at, c) => {
        const fragment = await encodeFragment(env);
        const i = at % fragment.length;
        const ch = ALPHABET[c]!;
        fc.pre(fragment[i] !== ch);
        const changed = fragment.slice(0, i) + ch + fragment.slice(i + 1);
        const r = await decodeShare(changed);
        runs++;
        if (r.ok) expect(r.envelope).toEqual(env);
        else refused++;
      }),
      { numRuns: 300 },
    );
    // Few bits carry no meaning (see the next test); almost every change is refused.
    expect(refused).toBeGreaterThan(runs * 0.9);
  });

  test('single bit flips in the compressed bytes: refused, or the same sandbox (bits without meaning), never another one', async () => {
    // Bits without meaning: the gzip XFL and OS header bytes (8, 9), the padding bits after the last
    // deflate block, and rare flips that turn a back-reference into another one copying the same
    // bytes. The CRC-32 over the output guarantees any flip that changes the output is refused.
    let refused = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(envelopeArb, fc.nat(), fc.nat(7), async (env, at, bit) => {
        const fragment = await encodeFragment(env);
        const bytes = Buffer.from(fragment.slice(2), 'base64url');
        const i = at % bytes.length;
        bytes[i]! ^= 1 << bit;
        const r = await decodeShare(`1.${bytes.toString('base64url')}`);
        runs++;
        if (i === 8 || i === 9) expect(r).toEqual({ ok: true, envelope: env });
        if (r.ok) expect(r.envelope).toEqual(env);
        else refused++;
      }),
      { numRuns: 300 },
    );
    expect(refused).toBeGreaterThan(runs * 0.9);
  });
});
