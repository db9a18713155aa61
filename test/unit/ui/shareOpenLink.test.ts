/**
 * The "open a shared sandbox" decisions (issue 6): a fragment or file gives nothing, a typed
 * refusal with a plain explanation, or a confirmation question with the number of calls; hostile
 * input never throws.
 */
import { describe, expect, test } from 'vitest';
import { encodeFragment, encodeShare, exportSandboxFile, shareLink, SHARE_REFUSALS } from '../../../src/share';
import { envelopeOf } from '../../../src/ui/share/envelope';
import { confirmQuestion, decideFile, decideFragment, REFUSAL_EXPLANATIONS, withoutFragment } from '../../../src/ui/share/openLink';
import { typicalSandbox } from '../share/typicalSandbox';

async function typicalLink(inputsIncluded = false): Promise<string> {
  const { h } = await typicalSandbox();
  const enc = await encodeShare(envelopeOf(h.repo, { inputsIncluded }));
  if (!enc.ok) throw new Error(enc.message);
  return shareLink('https://kms.example/app/?x=1', enc.fragment);
}

describe('decideFragment', () => {
  test('no sandbox fragment: nothing to do', async () => {
    for (const hash of ['', '#', '#keys', '#lesson=3', '#sandboxes=1']) expect(await decideFragment(hash), hash).toEqual({ kind: 'none' });
  });

  test('a real link asks to open it, counting its calls', async () => {
    const link = await typicalLink();
    const d = await decideFragment(new URL(link).hash);
    expect(d.kind).toBe('confirm');
    if (d.kind !== 'confirm') return;
    expect(d.calls).toBe(30);
    expect(d.source).toBe('link');
    expect(d.question).toBe('Open the shared sandbox (30 calls)? Your own sandbox stays in this browser.');
    expect(d.envelope.inputsIncluded).toBe(false);
  });

  test('hostile fragments are refused with a typed reason and an explanation, never an exception', async () => {
    const link = await typicalLink();
    const fragment = new URL(link).hash.slice('#sandbox='.length);
    const cases: [string, string | string[]][] = [
      ['#sandbox=1.@@@not*base64', 'bad-base64'],
      [`#sandbox=${fragment.slice(0, Math.floor(fragment.length / 2))}`, ['decompress-failed', 'bad-base64']],
      ['#sandbox=9.abc', 'unknown-encoding'],
      [`#sandbox=1.${'A'.repeat(9000)}`, 'too-long'],
      [`#sandbox=${await encodeFragment({ format: 'kms-playground', formatVersion: 99 })}`, 'version-too-new'],
      [`#sandbox=${await encodeFragment({ format: 'kms-playground', formatVersion: 0 })}`, 'version-too-old'],
      [`#sandbox=${await encodeFragment(JSON.parse('{"format":"kms-playground","__proto__":{"polluted":1}}'))}`, 'forbidden-key'],
      [`#sandbox=${await encodeFragment({ hello: '<script>alert(1)</script>' })}`, 'not-an-envelope'],
    ];
    for (const [hash, reason] of cases) {
      const d = await decideFragment(hash);
      expect(d.kind, hash.slice(0, 40)).toBe('refused');
      if (d.kind !== 'refused') continue;
      expect([reason].flat(), hash.slice(0, 40)).toContain(d.reason);
      expect(d.explanation.length).toBeGreaterThan(10);
      expect(d.message).not.toContain('<script>');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a decompression bomb and 100,000 calls are refused, typed', async () => {
    const { h } = await typicalSandbox();
    const env = envelopeOf(h.repo, { inputsIncluded: false });
    const bomb = await encodeFragment({ ...env, pad: ' '.repeat(3 * 1024 * 1024) });
    const d1 = await decideFragment(`#sandbox=${bomb}`);
    expect(d1).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^(too-large-decompressed|too-long)$/) });
    const many = Array.from({ length: 100_000 }, (_, i) => ({ kind: 'clock', seq: i, at: env.start + i, ms: 0 }));
    const huge = await encodeFragment({ ...env, log: many });
    const d2 = await decideFragment(`#sandbox=${huge}`);
    expect(d2).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^(too-many-entries|too-large-decompressed|too-long)$/) });
    // As a file (no link caps), the entry count cap still refuses it.
    const d3 = decideFile(JSON.stringify({ ...env, log: many }));
    expect(d3).toMatchObject({ kind: 'refused', reason: 'too-many-entries' });
  });

  test('markup in string fields stays data: the link opens, the strings are not interpreted here', async () => {
    const { h } = await typicalSandbox();
    await h.call('CreateKey', { Description: '<img src=x onerror=alert(1)><script>alert(2)</script>' });
    const enc = await encodeShare(envelopeOf(h.repo, { inputsIncluded: false }));
    if (!enc.ok) throw new Error(enc.message);
    const d = await decideFragment(`#sandbox=${enc.fragment}`);
    expect(d.kind).toBe('confirm');
    if (d.kind === 'confirm') expect(JSON.stringify(d.envelope.log)).toContain('<script>alert(2)</script>');
  });
});

test('every refusal reason has an explanation', () => {
  for (const reason of SHARE_REFUSALS) expect(REFUSAL_EXPLANATIONS[reason], reason).toMatch(/\w/);
});

test('confirmQuestion: singular and plural', () => {
  expect(confirmQuestion(1)).toBe('Open the shared sandbox (1 call)? Your own sandbox stays in this browser.');
  expect(confirmQuestion(1234)).toContain('(1,234 calls)');
});

describe('decideFile', () => {
  test('an export file asks to open it; other text is refused', async () => {
    const { h } = await typicalSandbox();
    const d = decideFile(exportSandboxFile(envelopeOf(h.repo, { inputsIncluded: true })));
    expect(d.kind).toBe('confirm');
    if (d.kind === 'confirm') {
      expect(d.source).toBe('file');
      expect(d.envelope.inputsIncluded).toBe(true);
    }
    for (const text of ['', 'not json', '{"format":"other"}', '[1,2,3]']) expect(decideFile(text).kind, text).toBe('refused');
  });
});

test('withoutFragment drops everything from the first #', () => {
  expect(withoutFragment('https://a.example/x?y=1#sandbox=1.abc')).toBe('https://a.example/x?y=1');
  expect(withoutFragment('https://a.example/')).toBe('https://a.example/');
});
