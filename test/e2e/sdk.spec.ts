/**
 * Flow tests of issue 4 in the page: the Code panel runs real @aws-sdk/client-kms code against the
 * sandbox (only on Run, lazily loaded), and the AWS CLI console speaks `aws kms` through the JSON
 * 1.1 handler, as the principal picked, with CLI-style output and errors. Role and label locators
 * only (STYLE §15).
 */
import { expect, test, type Page } from '@playwright/test';

/** Calls the seed makes (src/ui/seed.ts), one CloudTrail record each. */
const SEED_CALLS = 13;

const trailItems = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' }).getByRole('option');

test('the Code panel loads on demand and runs an SDK example only when Run is pressed', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  await page.goto('./');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  // The first load fetched neither the editor nor the SDK.
  expect(scripts.some((s) => /CodePanel|sandboxClient/.test(s))).toBe(false);

  await page.getByRole('tab', { name: 'Code (SDK)' }).click();
  const panel = page.getByRole('region', { name: /^Code/ });
  await expect(panel.getByRole('textbox', { name: 'Code' })).toBeVisible();
  await panel.getByRole('combobox', { name: /^Example/ }).selectOption({ label: 'Envelope encryption (GenerateDataKey + AES-GCM)' });
  await expect(panel.getByRole('textbox', { name: 'Code' })).toContainText('GenerateDataKeyCommand');
  // Loading an example runs nothing: the trail is unchanged and the SDK is not even fetched.
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  expect(scripts.some((s) => /sandboxClient/.test(s))).toBe(false);

  await panel.getByRole('button', { name: 'Run' }).click();
  const output = panel.getByRole('list', { name: 'Code output' });
  await expect(output).toContainText('Decrypted: Order #1002: 3 x flat white');
  await expect(panel.getByRole('status')).toHaveText('Done.');
  // GenerateDataKey and Decrypt, newest first, made by the SDK (its user agent in the record).
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 2);
  await expect(trailItems(page).first()).toContainText('Decrypt');
  await expect(trailItems(page).nth(1)).toContainText('GenerateDataKey');
  await trailItems(page).nth(1).getByText('GenerateDataKey', { exact: true }).click();
  await expect(page.getByLabel('CloudTrail record of GenerateDataKey')).toContainText('aws-sdk-js');

  // A thrown error is shown as name: message and the app keeps working.
  await panel.getByRole('combobox', { name: /^Example/ }).selectOption({ label: 'Errors (exception classes)' });
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(output).toContainText('true NotFoundException 400');
  await expect(output).toContainText('ValidationException: 1 validation error detected');
  await expect(panel.getByRole('status')).toHaveText('Failed with ValidationException.');
  await expect(page.getByRole('heading', { name: 'KMS Playground', level: 1 })).toBeVisible();
});

test('the AWS CLI console runs aws kms commands with history, completion and CLI errors', async ({ page }) => {
  await page.goto('./');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  await page.getByRole('tab', { name: 'AWS CLI' }).click();
  const cli = page.getByRole('region', { name: 'AWS CLI console' });
  const input = cli.getByRole('textbox', { name: 'Command' });
  const log = cli.getByRole('log', { name: 'Console output' });

  await input.fill('aws kms list-keys');
  await input.press('Enter');
  await expect(log).toContainText('"Keys": [');
  await expect(log).toContainText('"KeyArn": "arn:aws:kms:us-east-1:111122223333:key/');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);

  // Tab completes a command, Up recalls the previous line.
  await input.fill('aws kms list-al');
  await input.press('Tab');
  await expect(input).toHaveValue('aws kms list-aliases ');
  await input.fill('');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('aws kms list-keys');

  await input.fill('aws kms encrypt --key-id alias/orders --plaintext "Hello, KMS" --cli-binary-format raw-in-base64-out --output text --query KeyId');
  await input.press('Enter');
  await expect(log).toContainText(/arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}\n/);
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 2);
  await expect(trailItems(page).first()).toContainText('Encrypt');

  // Command-line errors are the CLI's (nothing is sent: no trail record).
  await input.fill('aws kms encrypt --key-id alias/orders');
  await input.press('Enter');
  await expect(log).toContainText('aws: error: the following arguments are required: --plaintext');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 2);

  // As alice (no KMS permissions), the call is denied and printed as the CLI prints it.
  await cli.getByLabel('Access key (principal)').selectOption('AKIAALICEEXAMPLE');
  await input.fill('aws kms encrypt --key-id alias/orders --plaintext SGVsbG8=');
  await input.press('Enter');
  await expect(log).toContainText(
    'An error occurred (AccessDeniedException) when calling the Encrypt operation: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Encrypt',
  );
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 3);
  await expect(trailItems(page).first()).toContainText('AccessDeniedException');
});

test('the access keys of the sandbox are listed', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Access keys' }).click();
  const table = page.getByRole('table', { name: 'Access keys of this sandbox' });
  await expect(table.getByRole('row')).toHaveCount(7);
  await expect(table.getByRole('row', { name: /user\/alice/ })).toContainText('AKIAALICEEXAMPLE');
  await expect(table.getByRole('row', { name: /444455556666:role\/PartnerApp/ })).toContainText('AKIAPARTNEREXAMPLE');
});
