/**
 * Flow tests of the key zoo in the page (issue 7): creating an RSA_4096 key shows progress and the
 * page stays usable meanwhile; an ECC_NIST_P256 signing key signs, verifies in the page with the
 * public key (no Verify call), and a tampered signature fails Verify with KMSInvalidSignatureException;
 * an RSA encryption key encrypts in the page and KMS decrypts. Role and label locators only.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const details = (page: Page) => page.getByRole('region', { name: /Key details/ });
const createRegion = (page: Page) => page.getByRole('region', { name: 'Create key' });

/** Opens the create-key form and picks the spec and usage. */
async function fillCreate(page: Page, spec: string, usage: string): Promise<void> {
  const create = createRegion(page);
  await create.getByRole('button', { name: 'Create key…' }).click();
  await create.getByRole('radio', { name: spec, exact: true }).check();
  await create.getByRole('radio', { name: usage, exact: true }).check();
}

async function createKey(page: Page, spec: string, usage: string, alias: string): Promise<void> {
  await fillCreate(page, spec, usage);
  const create = createRegion(page);
  await create.getByLabel(/^Alias/).fill(alias);
  await create.getByRole('button', { name: 'Create key', exact: true }).click();
  await expect(create.getByRole('status')).toContainText('Created key');
  await expect(details(page).getByRole('heading', { name: `Key details: alias/${alias}` })).toBeVisible();
}

test('an RSA_4096 key pair is generated with a progress status while the page stays usable', async ({ page }) => {
  await page.goto('./');
  await fillCreate(page, 'RSA_4096', 'SIGN_VERIFY');
  const create = createRegion(page);
  // Custom key stores: none is connected in a new sandbox, so their origins are disabled with the reason.
  await expect(create.getByRole('radio', { name: /AWS CloudHSM key store/ })).toBeDisabled();
  await expect(create.getByText(/No connected AWS CloudHSM key store/)).toBeVisible();
  await create.getByLabel(/^Alias/).fill('release-signing');
  await create.getByRole('button', { name: 'Create key', exact: true }).click();
  await expect(create.getByRole('status').filter({ hasText: 'Generating an RSA_4096 key pair…' })).toBeVisible();
  // Another control reacts while (or right after) the key pair is made: the page is not frozen.
  await page.getByText('Dark', { exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(create.getByRole('status')).toContainText('Created key');
  await expect(details(page).getByRole('heading', { name: 'Key details: alias/release-signing' })).toBeVisible();
  await details(page).getByRole('tab', { name: 'Use the key' }).click();
  await expect(details(page).getByLabel('SigningAlgorithm')).toHaveValue('RSASSA_PKCS1_V1_5_SHA_256');
  await expect(details(page).getByLabel('SigningAlgorithm').getByRole('option')).toHaveCount(6);
});

test('sign with ECC_NIST_P256, verify offline in the page and with KMS; a tampered signature fails', async ({ page }) => {
  await page.goto('./');
  await createKey(page, 'ECC_NIST_P256', 'SIGN_VERIFY', 'manifest-signer');
  await details(page).getByRole('tab', { name: 'Use the key' }).click();
  const use = details(page).getByRole('tabpanel', { name: 'Use the key' });
  await use.getByLabel('Message', { exact: true }).fill('release 1.2.3 manifest');
  await use.getByRole('button', { name: 'Sign', exact: true }).click();
  const signature = use.getByLabel(/^Signature/);
  await expect(signature).toHaveValue(/^[A-Za-z0-9+/]{40,}={0,2}$/);

  await use.getByRole('button', { name: 'Verify offline (in the page)' }).click();
  await expect(use.getByRole('status').filter({ hasText: 'Offline: the signature is valid' })).toBeVisible();
  await expect(use.getByLabel(/^PublicKey \(PEM/)).toHaveValue(/^-----BEGIN PUBLIC KEY-----/);
  await use.getByRole('button', { name: 'Verify (KMS)' }).click();
  await expect(use.getByRole('status').filter({ hasText: 'SignatureValid: true' })).toBeVisible();

  // DIGEST: the page hashes the message; KMS signs the 32-byte digest.
  await use.getByRole('button', { name: 'Compute SHA-256 digest in the page' }).click();
  await expect(use.getByRole('radio', { name: 'DIGEST' })).toBeChecked();
  await use.getByRole('button', { name: 'Sign', exact: true }).click();
  await use.getByRole('button', { name: 'Verify offline (in the page)' }).click();
  await expect(use.getByRole('status').filter({ hasText: 'Offline: the signature is valid' })).toBeVisible();

  // Tamper: another (valid DER-looking) signature fails both ways; KMS answers KMSInvalidSignatureException.
  const valid = await signature.inputValue();
  await signature.fill(valid.slice(0, 20) + (valid[20] === 'A' ? 'B' : 'A') + valid.slice(21));
  await use.getByRole('button', { name: 'Verify (KMS)' }).click();
  await expect(use.getByRole('alert')).toContainText('KMSInvalidSignatureException');
  await use.getByRole('button', { name: 'Verify offline (in the page)' }).click();
  await expect(use.getByRole('status').filter({ hasText: 'Offline: the signature does not match' })).toBeVisible();
});

test('RSA_2048 ENCRYPT_DECRYPT: encrypt in the page with the public key, decrypt with KMS', async ({ page }) => {
  await page.goto('./');
  await createKey(page, 'RSA_2048', 'ENCRYPT_DECRYPT', 'offline-inbox');
  await details(page).getByRole('tab', { name: 'Use the key' }).click();
  const use = details(page).getByRole('tabpanel', { name: 'Use the key' });
  await use.getByLabel(/^Plaintext/).fill('a secret for the inbox');
  await use.getByRole('button', { name: 'Encrypt in the page (public key)' }).click();
  await expect(use.getByLabel(/^CiphertextBlob/)).toHaveValue(/^[A-Za-z0-9+/]{300,}={0,2}$/);
  await use.getByRole('button', { name: 'Decrypt (KMS)' }).click();
  await expect(use.getByLabel('Decrypted plaintext')).toHaveText('a secret for the inbox');
});

test('the workbench encrypts with an RSA key: EncryptionAlgorithm and KeyId go with Decrypt', async ({ page }) => {
  await page.goto('./');
  await createKey(page, 'RSA_3072', 'ENCRYPT_DECRYPT', 'rsa-direct');
  const form = page.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form.getByRole('combobox', { name: 'KeyId' }).selectOption('alias/rsa-direct');
  await form.getByRole('combobox', { name: /^EncryptionAlgorithm/ }).selectOption('RSAES_OAEP_SHA_1');
  await expect(form.getByText(/of the 342-byte limit of Encrypt\s+with RSA_3072 and RSAES_OAEP_SHA_1/)).toBeVisible();
  await form.getByLabel('Plaintext', { exact: true }).fill('short enough for RSA');
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(form.getByLabel(/^CiphertextBlob/)).not.toHaveValue('');
  await form.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(form.getByLabel('Decrypted plaintext')).toHaveText('short enough for RSA');
});

test('HMAC, ECDH and ML-KEM keys: GenerateMac/VerifyMac, DeriveSharedSecret with a page-made peer, Encapsulate/Decapsulate', async ({ page }) => {
  await page.goto('./');
  await createKey(page, 'HMAC_256', 'GENERATE_VERIFY_MAC', 'mac');
  await details(page).getByRole('tab', { name: 'Use the key' }).click();
  let use = details(page).getByRole('tabpanel', { name: 'Use the key' });
  await use.getByLabel('Message', { exact: true }).fill('webhook body');
  await use.getByRole('button', { name: 'GenerateMac' }).click();
  await expect(use.getByLabel(/^Mac/)).toHaveValue(/^[A-Za-z0-9+/]{43}=$/);
  await use.getByRole('button', { name: 'VerifyMac' }).click();
  await expect(use.getByRole('status')).toHaveText('MacValid: true');
  await use.getByLabel('Message', { exact: true }).fill('webhook body, changed');
  await use.getByRole('button', { name: 'VerifyMac' }).click();
  await expect(use.getByRole('alert')).toContainText('KMSInvalidMacException');

  await createKey(page, 'ECC_NIST_P384', 'KEY_AGREEMENT', 'ecdh');
  await details(page).getByRole('tab', { name: 'Use the key' }).click();
  use = details(page).getByRole('tabpanel', { name: 'Use the key' });
  await use.getByRole('button', { name: 'Generate a peer key pair in the page' }).click();
  await expect(use.getByLabel(/^Peer public key/)).toHaveValue(/^-----BEGIN PUBLIC KEY-----/);
  await use.getByRole('button', { name: 'DeriveSharedSecret' }).click();
  await expect(use.getByRole('status').filter({ hasText: 'Both sides derived the same secret.' })).toBeVisible();

  await createKey(page, 'ML_KEM_768', 'ENCAPSULATE_DECAPSULATE', 'kem');
  await details(page).getByRole('tab', { name: 'Use the key' }).click();
  use = details(page).getByRole('tabpanel', { name: 'Use the key' });
  await use.getByRole('button', { name: 'Encapsulate' }).click();
  await expect(use.getByLabel(/^SharedSecretCiphertextBlob/)).not.toHaveValue('');
  await use.getByRole('button', { name: 'Decapsulate' }).click();
  await expect(use.getByRole('status').filter({ hasText: 'Same secret on both sides.' })).toBeVisible();
});

test('axe: the open create-key form and a signing key\'s Use tab have no serious or critical violations', async ({ page }) => {
  await page.goto('./');
  await createKey(page, 'ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', 'ed');
  await details(page).getByRole('tab', { name: 'Use the key' }).click();
  await details(page).getByRole('button', { name: 'GetPublicKey' }).click();
  await expect(details(page).getByLabel(/^PublicKey \(PEM/)).toBeVisible();
  await createRegion(page).getByRole('button', { name: 'Create key…' }).click();
  const result = await new AxeBuilder({ page }).include('#create-key-form').include('[role="tabpanel"]:not([hidden])').withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
});
