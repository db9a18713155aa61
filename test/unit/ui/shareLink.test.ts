/** The Share dialog's link (issue 6): a link with its length, or above the cap a refusal that offers a file export. */
import { expect, test } from 'vitest';
import { decodeShare, importSandboxFile, exportSandboxFile, readShareFragment } from '../../../src/share';
import { envelopeOf } from '../../../src/ui/share/envelope';
import { makeLink } from '../../../src/ui/share/link';
import { typicalSandbox } from '../share/typicalSandbox';

test('a link on the page address, its old fragment replaced, that decodes to the envelope', async () => {
  const { h } = await typicalSandbox();
  const env = envelopeOf(h.repo, { inputsIncluded: false });
  const r = await makeLink(env, 'https://kms.example/play/#sandbox=1.old&x');
  expect(r.kind).toBe('ok');
  if (r.kind !== 'ok') return;
  expect(r.link.startsWith('https://kms.example/play/#sandbox=1.')).toBe(true);
  expect(r.length).toBe(r.link.length);
  const dec = await decodeShare(readShareFragment(new URL(r.link).hash));
  expect(dec.ok && dec.envelope).toEqual(env);
});

test('above the cap: no link, the length and the file export in the message; the file carries the same envelope', async () => {
  const { h } = await typicalSandbox();
  const env = envelopeOf(h.repo, { inputsIncluded: true });
  const r = await makeLink(env, 'https://kms.example/', { limits: { maxLinkLength: 500 } });
  expect(r.kind).toBe('too-long');
  if (r.kind !== 'too-long') return;
  expect(r.length).toBeGreaterThan(500);
  expect(r.message).toContain('more than the 500 a share link may have');
  expect(r.message).toContain('Export it as a file');
  const file = importSandboxFile(exportSandboxFile(env));
  expect(file.ok && file.envelope).toEqual(env);
});

test('an envelope that breaks the rules gives a typed error, not an exception', async () => {
  const { h } = await typicalSandbox();
  const env = envelopeOf(h.repo, { inputsIncluded: true });
  const r = await makeLink({ ...env, inputsIncluded: false }, 'https://kms.example/');
  expect(r).toMatchObject({ kind: 'error', reason: 'invalid-envelope' });
});
