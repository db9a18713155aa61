/**
 * Flow tests of the encrypt/decrypt workbench (issue 5): direct Encrypt/Decrypt of typed text, the
 * 4,096-byte limit as KMS enforces it, and a 20 MiB file through envelope encryption in the worker
 * (GenerateDataKey → local AES-GCM → envelope download → envelope upload → Decrypt → local
 * decrypt) with progress, a byte-exact round trip checked by SHA-256, and the trail rows.
 * Run: E2E_PORT=4184 npx playwright test test/e2e/workbench.spec.ts (add `--output <dir>` when other runs share test-results/)
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const workbench = (page: Page) => page.getByRole('region', { name: 'Encrypt / Decrypt' });

/** The newest CloudTrail row (the trail lists newest first). */
function newestTrailRow(page: Page) {
  const list = page.getByRole('listbox', { name: 'CloudTrail events' }).or(page.getByRole('list', { name: 'CloudTrail events' }));
  return list.getByRole('option').or(list.getByRole('listitem')).first();
}

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces. */
function generate(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

/** Serious or critical axe violations inside the workbench panel. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('section[aria-labelledby="crypto-heading"]').analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('direct Encrypt and Decrypt of typed text, bytes in hex and base64, and the 4,096-byte limit', async ({ page }) => {
  await page.goto('./');
  const form = workbench(page);
  await form.getByLabel('Plaintext', { exact: true }).fill('Hello from the workbench');
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(form.getByLabel(/^CiphertextBlob/)).not.toHaveValue('');
  await expect(form.getByLabel('Ciphertext bytes (hex)')).toHaveText(/^[0-9a-f]{100,}$/);
  await expect(newestTrailRow(page)).toContainText('Encrypt');

  await form.getByRole('radio', { name: 'base64' }).check();
  const b64 = await form.getByLabel('Ciphertext bytes (base64)').textContent();
  expect(b64).toBe(await form.getByLabel(/^CiphertextBlob/).inputValue());

  await form.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(form.getByLabel('Decrypted plaintext')).toHaveText('Hello from the workbench');
  await expect(newestTrailRow(page)).toContainText('Decrypt');
  expect(await axeProblems(page)).toEqual([]);

  // 5,000 bytes: the limit is shown before sending, and KMS refuses the call with ValidationException.
  await form.getByLabel('Plaintext', { exact: true }).fill('x'.repeat(5000));
  await expect(form.getByText(/5,000 bytes of the 4,096-byte limit of Encrypt: too large/)).toBeVisible();
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(form.getByRole('alert')).toContainText('ValidationException');
  await expect(form.getByText(/KMS encrypts at most 4,096 bytes itself/)).toBeVisible();
  await expect(newestTrailRow(page)).toContainText('ValidationException');
  await form.getByRole('button', { name: 'Switch to envelope mode' }).click();
  await expect(form.getByRole('radio', { name: /^Envelope/ })).toBeChecked();
});

test('a 20 MiB file through envelope encryption: progress, download, upload, byte-exact round trip, trail rows', async ({ page }) => {
  test.setTimeout(120_000);
  const data = generate(20 * 1024 * 1024);
  const digest = sha256(data);
  await page.goto('./');
  const form = workbench(page);
  await form.getByRole('radio', { name: /^Envelope/ }).check();
  await form.getByLabel('choose a file').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: data });
  await expect(form.getByRole('group', { name: 'Input file' })).toContainText('big.bin');
  await expect(form.getByLabel('Input bytes (hex)')).toHaveText(`${data.subarray(0, 256).toString('hex')}…`);
  await form.getByRole('button', { name: 'Add context pair' }).click();
  await form.getByLabel('Context key 1').fill('purpose');
  await form.getByLabel('Context value 1').fill('e2e');

  await form.getByRole('button', { name: 'Encrypt with a data key' }).click();
  const encrypting = form.getByRole('progressbar', { name: 'Encrypting big.bin' });
  await expect(encrypting).toBeVisible();
  await expect(encrypting).toHaveAttribute('aria-valuenow', '100');
  const envelope = form.getByRole('article', { name: 'Envelope: big.bin.kmsenv' });
  await expect(envelope).toContainText('21.0 MB in 20 AES-256-GCM frames');
  await expect(envelope).toContainText('{"purpose":"e2e"}');
  await expect(envelope.getByLabel('Encrypted data key (CiphertextBlob) (hex)')).toHaveText(/^[0-9a-f]{100,}$/);
  await expect(envelope.getByText(/^Forgotten:/)).toBeVisible();
  await expect(newestTrailRow(page)).toContainText('GenerateDataKey');

  const [envelopeDownload] = await Promise.all([page.waitForEvent('download'), envelope.getByRole('button', { name: 'Download envelope' }).click()]);
  expect(envelopeDownload.suggestedFilename()).toBe('big.bin.kmsenv');
  const envelopePath = test.info().outputPath('big.bin.kmsenv');
  await envelopeDownload.saveAs(envelopePath);
  const envelopeBytes = await readFile(envelopePath);
  expect(envelopeBytes.subarray(0, 8).toString('latin1')).toBe('KMSPGENV');
  expect(envelopeBytes.length).toBeGreaterThan(data.length);

  await form.getByLabel('Envelope file to decrypt').setInputFiles(envelopePath);
  await form.getByRole('button', { name: 'Decrypt envelope file' }).click();
  await expect(form.getByRole('progressbar', { name: 'Decrypting big.bin.kmsenv' })).toHaveAttribute('aria-valuenow', '100');
  const decrypted = form.getByRole('article', { name: 'Decrypted: big.bin' });
  await expect(decrypted).toContainText('21.0 MB in 20 AES-256-GCM frames');
  await expect(newestTrailRow(page)).toContainText('Decrypt');

  const [download] = await Promise.all([page.waitForEvent('download'), decrypted.getByRole('button', { name: 'Download decrypted file' }).click()]);
  expect(download.suggestedFilename()).toBe('big.bin');
  const roundTrip = await readFile(await download.path());
  expect(roundTrip.length).toBe(data.length);
  expect(sha256(roundTrip)).toBe(digest);
});

test('an envelope of typed text decrypts in place; a file that is not an envelope is refused before KMS', async ({ page }) => {
  await page.goto('./');
  const form = workbench(page);
  await form.getByRole('radio', { name: /^Envelope/ }).check();
  await form.getByLabel('Plaintext', { exact: true }).fill('envelope me');
  await form.getByRole('button', { name: 'Encrypt with a data key' }).click();
  const envelope = form.getByRole('article', { name: 'Envelope: text.txt.kmsenv' });
  await expect(envelope).toContainText('11 bytes in 1 AES-256-GCM frame');
  await envelope.getByRole('button', { name: 'Decrypt envelope' }).click();
  const decrypted = form.getByRole('article', { name: 'Decrypted: text.txt' });
  await expect(decrypted.getByLabel('Plaintext bytes of the file (hex)')).toHaveText(Buffer.from('envelope me').toString('hex'));
  await expect(decrypted.getByText(/the worker decrypted every frame with it and then forgot it/)).toBeVisible();
  expect(await axeProblems(page)).toEqual([]);

  // An envelope file that is not one: the page refuses it before calling KMS.
  await form.getByLabel('Envelope file to decrypt').setInputFiles({ name: 'junk.kmsenv', mimeType: 'application/octet-stream', buffer: Buffer.from('not an envelope') });
  await form.getByRole('button', { name: 'Decrypt envelope file' }).click();
  await expect(form.getByRole('alert')).toContainText('InvalidCiphertextException');
  await expect(form.getByRole('alert')).toContainText('unknown-format');
});
