/**
 * Flow tests of issue 7's key-zoo tabs (part 2): the import wizard of an EXTERNAL key step by
 * step (parameters with PEM and countdown, material made in the page, wrapped in the page,
 * imported; the material expires on the sandbox clock and only the same material brings the key
 * back; deletion), a multi-Region key replicated and its primary moved (Regionality tab), and a
 * CloudHSM key store whose disconnect makes its key Unavailable (Key stores tab). Keys are made
 * through the AWS CLI tab; every action goes through the service. Role and label locators only.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { runCli } from './cli';

/** Runs one line in the AWS CLI tab, returns the last match of `expected` in the output, and goes back to Keys. */
async function cli(page: Page, line: string, expected: RegExp): Promise<string> {
  const matches = (await runCli(page, line, expected)).match(new RegExp(expected.source, 'g')) ?? [];
  return matches[matches.length - 1] ?? '';
}

const details = (page: Page) => page.getByRole('region', { name: /Key details/ });
const clock = (page: Page) => page.getByRole('region', { name: 'Sandbox clock' });

/** Serious and critical axe findings (WCAG 2 A and AA) on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
}

async function advanceDays(page: Page, days: number): Promise<void> {
  await clock(page).getByLabel('Days to advance').fill(String(days));
  await clock(page).getByRole('button', { name: `+${days} day${days === 1 ? '' : 's'}` }).click();
}

test('import key material step by step; it expires on the sandbox clock and only the same material returns', async ({ page }) => {
  await page.goto('./');
  const keyId = await cli(page, 'aws kms create-key --origin EXTERNAL --output text --query KeyMetadata.KeyId', /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  await page.getByRole('button', { name: `Show key ${keyId}` }).click();
  const d = details(page);
  await d.getByRole('tab', { name: 'Key material' }).click();
  await expect(d.getByLabel('Imported key material')).toContainText('PendingImport');

  // 1. Wrapping key and import token.
  await d.getByLabel('WrappingKeySpec').selectOption('RSA_2048');
  await d.getByRole('button', { name: 'GetParametersForImport' }).click();
  await expect(d.getByLabel('PublicKey (the wrapping key, PEM)')).toHaveValue(/^-----BEGIN PUBLIC KEY-----\n/);
  await expect(d.getByLabel('Import parameters')).toContainText(/valid in (1 sandbox day|2\d sandbox hours)/);
  // 2. Material made in the page, shown as the learner's secret.
  await d.getByRole('button', { name: 'Generate key material' }).click();
  await expect(d.getByText('Your secret: keep a copy, KMS cannot give it back.')).toBeVisible();
  await expect(d.getByLabel('Key material (hex)')).toHaveValue(/^[0-9a-f]{64}$/);
  // 3. Wrapped in the page.
  await d.getByRole('button', { name: 'Wrap with RSAES_OAEP_SHA_256' }).click();
  await expect(d.getByRole('list', { name: 'EncryptedKeyMaterial layout' })).toContainText('RSAES_OAEP_SHA_256(material): 256 bytes');
  expect(await axeProblems(page)).toEqual([]);
  // 4. Imported, expiring in one sandbox day.
  await d.getByRole('button', { name: 'ImportKeyMaterial' }).click();
  await expect(d.getByRole('status').filter({ hasText: 'Imported:' })).toBeVisible();
  await expect(d.getByLabel('Imported key material')).toContainText('Enabled');
  await expect(d.getByLabel('Imported key material')).toContainText('the material expires in');

  // The sandbox clock passes ValidTo: the key is PendingImport, and the old token has expired too.
  await advanceDays(page, 2);
  await expect(d.getByLabel('Imported key material')).toContainText('PendingImport');
  await expect(d.getByText(/any other material is refused with\s+IncorrectKeyMaterialException/)).toBeVisible();
  await expect(d.getByLabel('Import parameters')).toContainText('expired: ImportKeyMaterial now answers ExpiredImportTokenException');

  // The same material (still in the page) imports again with new parameters.
  await d.getByRole('button', { name: 'GetParametersForImport' }).click();
  await expect(d.getByLabel('Import parameters')).toContainText(/valid in/);
  await d.getByRole('button', { name: 'Wrap with RSAES_OAEP_SHA_256' }).click();
  await d.getByLabel('ExpirationModel').selectOption('KEY_MATERIAL_DOES_NOT_EXPIRE');
  await d.getByRole('button', { name: 'ImportKeyMaterial' }).click();
  await expect(d.getByLabel('Imported key material')).toContainText('KEY_MATERIAL_DOES_NOT_EXPIRE');
  await expect(d.getByLabel('Imported key material')).toContainText('Enabled');

  // Other material is refused.
  await d.getByRole('button', { name: 'Generate key material' }).click();
  await d.getByRole('button', { name: 'Wrap with RSAES_OAEP_SHA_256' }).click();
  await d.getByRole('button', { name: 'ImportKeyMaterial' }).click();
  await expect(d.getByRole('alert')).toContainText('IncorrectKeyMaterialException');

  await d.getByRole('button', { name: 'DeleteImportedKeyMaterial' }).click();
  await expect(d.getByText('Deleted: the key is PendingImport.')).toBeVisible();
  await expect(d.getByLabel('Imported key material')).toContainText('PendingImport');
});

test('a multi-Region key side by side: replicate, wait for Creating, move the primary', async ({ page }) => {
  await page.goto('./');
  const keyId = await cli(page, 'aws kms create-key --multi-region --output text --query KeyMetadata.KeyId', /mrk-[0-9a-f]{32}/);
  await page.getByRole('button', { name: `Show key ${keyId}` }).first().click();
  const d = details(page);
  await d.getByRole('tab', { name: 'Regionality' }).click();
  const cards = d.getByRole('list', { name: 'Regions of this multi-Region key' });
  await expect(cards.getByRole('listitem')).toHaveCount(1);
  await expect(cards.getByRole('article', { name: 'us-east-1 (PRIMARY)' })).toBeVisible();

  await d.getByRole('button', { name: 'Replicate to Region…' }).click();
  await d.getByLabel('ReplicaRegion').selectOption('eu-west-1');
  await d.getByRole('button', { name: 'ReplicateKey' }).click();
  const replica = cards.getByRole('article', { name: 'eu-west-1 (REPLICA)' });
  await expect(replica).toContainText('Creating');
  await expect(replica.getByRole('status')).toContainText('KMS is creating the replica');
  await replica.getByRole('button', { name: /Let it finish/ }).click();
  await expect(replica).toContainText('Enabled');

  await replica.getByRole('button', { name: 'Make primary' }).click();
  const newPrimary = cards.getByRole('article', { name: 'eu-west-1 (PRIMARY)' });
  await expect(newPrimary).toContainText('Updating');
  await expect(cards.getByRole('article', { name: 'us-east-1 (REPLICA)' })).toBeVisible();
  expect(await axeProblems(page)).toEqual([]);

  // The outage drill is page-only: the acting Region changes, no KMS state does.
  await newPrimary.getByRole('button', { name: 'Act in eu-west-1' }).click();
  await expect(newPrimary.getByRole('status').filter({ hasText: 'Acting in eu-west-1 now' })).toBeVisible();
});

test('a CloudHSM key store: create, connect, a key in it, disconnect (the key is Unavailable and cannot encrypt)', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Key stores' }).click();
  const panel = page.getByRole('region', { name: 'Custom key stores' });
  await panel.getByRole('button', { name: 'Create custom key store…' }).click();
  const form = panel.getByRole('form', { name: 'Create custom key store' });
  await form.getByLabel('CustomKeyStoreName').fill('e2e-hsm');
  await form.getByRole('button', { name: 'Fill example values' }).click();
  await form.getByLabel(/^KeyStorePassword/).fill('kmsuser-e2e-pass');
  await form.getByRole('button', { name: 'CreateCustomKeyStore' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'no call ever returns it' })).toBeVisible();
  const store = panel.getByRole('article', { name: 'Custom key store e2e-hsm' });
  await expect(store).toContainText('DISCONNECTED');
  await expect(store).not.toContainText('kmsuser-e2e-pass');

  await store.getByRole('button', { name: 'ConnectCustomKeyStore', exact: true }).click();
  await expect(store).toContainText('CONNECTED');
  await store.getByRole('button', { name: 'Create key in this store' }).click();
  const keys = store.getByRole('table', { name: 'Keys in e2e-hsm' });
  await expect(keys).toContainText('Enabled');
  const label = (await keys.getByRole('button', { name: /^Show key / }).getAttribute('aria-label')) ?? '';
  const keyId = label.replace('Show key ', '');

  await store.getByRole('button', { name: 'DisconnectCustomKeyStore' }).click();
  await expect(keys).toContainText('Unavailable');
  await expect(store).toContainText('every key of this store is Unavailable now');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeProblems(page)).toEqual([]);
  await cli(page, `aws kms encrypt --key-id ${keyId} --plaintext aGVsbG8=`, /An error occurred \(KMSInvalidStateException\) when calling the Encrypt operation: .* is unavailable\./);

  await page.getByRole('tab', { name: 'Key stores' }).click();
  await store.getByRole('button', { name: 'ConnectCustomKeyStore', exact: true }).click();
  await expect(keys).toContainText('Enabled');
});
