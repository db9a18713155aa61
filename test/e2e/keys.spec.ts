/**
 * Flow test of the key console (issue 5): create a key with the form (alias, tag), find it with
 * the list filters, tag and untag it, create a Decrypt-only grant with an encryption context
 * constraint and revoke it, enable rotation with a period, schedule deletion (PendingDeletion,
 * countdown; an old ciphertext no longer decrypts), cancel (Disabled) and enable it again.
 * Every action goes through the service as the acting principal. Role and label locators only.
 */
import { expect, test, type Page } from '@playwright/test';
import { runCli as cli } from './cli';

/** A base64 CiphertextBlob as the console prints it with --output text. */
const BLOB = /[A-Za-z0-9+/]{80,}={0,2}/;
const keyButtons = (page: Page) => page.getByRole('button', { name: /^Show key / });
const keysTable = (page: Page) => page.getByRole('table', { name: /Keys in this sandbox/ });
/** A filter of the key list, by its label. */
const keyFilter = (page: Page, label: string) => page.getByRole('region', { name: 'Customer managed keys' }).getByLabel(label, { exact: true });
const details = (page: Page) => page.getByRole('region', { name: /Key details/ });

test('create, filter, tag, grant, rotate, schedule and cancel deletion of a key from the console', async ({ page }) => {
  await page.goto('./');
  await expect(keyButtons(page)).toHaveCount(3);

  // The create-key form is collapsed; it explains the choices and disables what the simulator refuses.
  const create = page.getByRole('region', { name: 'Create key' });
  await expect(create.getByRole('radio')).toHaveCount(0);
  await create.getByRole('button', { name: 'Create key…' }).click();
  await expect(create.getByRole('radio', { name: 'SYMMETRIC_DEFAULT' })).toBeChecked();
  await expect(create.getByRole('radio', { name: 'SM2' })).toBeDisabled();
  await expect(create.getByRole('checkbox', { name: /Multi-Region key/ })).toBeEnabled();
  await expect(create.getByText(/makes data keys for envelope encryption/)).toBeVisible();
  await expect(create.getByRole('radio', { name: 'SYMMETRIC_DEFAULT' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(create.getByRole('radio')).toHaveCount(0);
  await expect(create.getByRole('button', { name: 'Create key…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await create.getByLabel(/^Alias/).fill('e2e-app');
  await create.getByLabel(/^Description/).fill('E2E application key');
  await create.getByLabel(/^Tags/).fill('team=e2e');
  await create.getByRole('button', { name: 'Create key', exact: true }).click();
  await expect(keyButtons(page)).toHaveCount(4);
  await expect(keysTable(page).getByRole('cell', { name: 'alias/e2e-app' })).toBeVisible();
  await expect(details(page).getByRole('heading', { name: 'Key details: alias/e2e-app' })).toBeVisible();
  await expect(details(page).getByText('E2E application key')).toBeVisible();

  // Filters: by tag, by state, by alias; clear.
  await keyFilter(page, 'Tag').selectOption('team=e2e');
  await expect(keyButtons(page)).toHaveCount(1);
  await keyFilter(page, 'Key state').selectOption('Disabled');
  await expect(keyButtons(page)).toHaveCount(0);
  await expect(keysTable(page).getByText('No key matches the filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear key filters' }).click();
  await keyFilter(page, 'Alias').selectOption('alias/e2e-app');
  await expect(keyButtons(page)).toHaveCount(1);
  await keyFilter(page, 'Key spec').selectOption('SYMMETRIC_DEFAULT');
  await expect(keyButtons(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear key filters' }).click();
  await expect(keyButtons(page)).toHaveCount(4);

  const d = details(page);
  // Tags: add one, then remove it.
  await d.getByRole('tab', { name: 'Tags' }).click();
  const tags = d.getByRole('table', { name: 'Tags of this key' });
  await expect(tags.getByRole('cell', { name: 'e2e', exact: true })).toBeVisible();
  await d.getByLabel('Tag key').fill('stage');
  await d.getByLabel('Tag value').fill('beta');
  await d.getByRole('button', { name: 'Add tag' }).click();
  await expect(tags.getByRole('cell', { name: 'beta' })).toBeVisible();
  await expect(keysTable(page).getByText('stage=beta')).toBeVisible();
  await d.getByRole('button', { name: 'Remove tag stage' }).click();
  await expect(tags.getByRole('cell', { name: 'beta' })).toHaveCount(0);

  // Grants: a Decrypt-only grant for alice with an EncryptionContextSubset constraint; its token is shown; revoke it.
  await d.getByRole('tab', { name: 'Grants' }).click();
  await d.getByRole('button', { name: 'Create grant…' }).click();
  const grantForm = d.getByRole('form', { name: 'Create a grant' });
  await grantForm.getByRole('button', { name: 'Create grant' }).click();
  await expect(grantForm.getByText('Choose at least one operation the grant allows.')).toBeVisible();
  await grantForm.getByLabel('GranteePrincipal').fill('arn:aws:iam::111122223333:user/alice');
  await grantForm.getByRole('checkbox', { name: 'Decrypt', exact: true }).check();
  await grantForm.getByRole('radio', { name: /^EncryptionContextSubset/ }).check();
  await grantForm.getByLabel(/Encryption context pairs/).fill('purpose=e2e');
  await grantForm.getByLabel(/^Name/).fill('e2e-decrypt');
  await grantForm.getByRole('button', { name: 'Create grant' }).click();
  await expect(d.getByLabel(/^GrantToken/)).not.toHaveValue('');
  const grant = d.getByRole('listitem', { name: 'Grant e2e-decrypt' });
  await expect(grant).toContainText('EncryptionContextSubset: purpose=e2e');
  await expect(grant).toContainText('Decrypt');
  await grant.getByRole('button', { name: 'Revoke grant e2e-decrypt' }).click();
  await expect(grant).toHaveCount(0);
  await expect(d.getByText('No grants on this key.')).toBeVisible();
  // A grant can also be retired (here by the key's account, the backstop retiring principal).
  await grantForm.getByLabel(/^Name/).fill('e2e-encrypt');
  await grantForm.getByRole('radio', { name: 'None' }).check();
  await grantForm.getByRole('button', { name: 'Create grant' }).click();
  await d.getByRole('button', { name: 'Retire grant e2e-encrypt' }).click();
  await expect(d.getByText('No grants on this key.')).toBeVisible();

  // Aliases: add a second one, then delete it.
  await d.getByRole('tab', { name: 'Aliases' }).click();
  await d.getByLabel(/^New alias/).fill('e2e-second');
  await d.getByRole('button', { name: 'Create alias' }).click();
  await expect(keysTable(page).getByRole('row').filter({ hasText: 'alias/e2e-app' })).toContainText('alias/e2e-second');
  await d.getByRole('button', { name: 'Delete alias alias/e2e-second' }).click();
  await expect(keysTable(page).getByText('alias/e2e-second')).toHaveCount(0);

  // Rotation with a period: status, period and the next date in sandbox days.
  await d.getByRole('tab', { name: 'Key rotation' }).click();
  await d.getByLabel(/^RotationPeriodInDays/).fill('180');
  await d.getByRole('button', { name: 'Enable automatic rotation' }).click();
  const status = d.getByRole('definition').filter({ hasText: 'sandbox days' });
  await expect(status).toContainText('Next automatic rotation in 180 sandbox days.');
  const versions = d.getByRole('table', { name: /Key material versions/ }).getByRole('row');
  await expect(versions).toHaveCount(2);
  await d.getByRole('button', { name: 'Rotate now (RotateKeyOnDemand)' }).click();
  await expect(versions).toHaveCount(3);
  await expect(versions.nth(2)).toContainText('ON_DEMAND');
  await expect(versions.nth(2)).toContainText('current');

  // An old ciphertext, made before the deletion is scheduled.
  const out = await cli(page, 'aws kms encrypt --key-id alias/e2e-app --plaintext aGVsbG8= --output text --query CiphertextBlob', BLOB);
  const blob = out.match(BLOB)![0];

  // Schedule deletion (7 days): PendingDeletion with its countdown.
  await d.getByLabel(/^Waiting period/).fill('7');
  await d.getByRole('button', { name: 'Schedule key deletion' }).click();
  await expect(keysTable(page).getByRole('row').filter({ hasText: 'alias/e2e-app' })).toContainText('PendingDeletion');
  await expect(d.getByRole('status', { name: 'Deletion countdown' })).toContainText('7 sandbox days left.');
  await expect(d.getByRole('status', { name: 'Deletion countdown' })).toContainText('deletes the key and all its material in 7 sandbox days');

  // Decrypting the old ciphertext now fails as AWS answers.
  await cli(page, `aws kms decrypt --ciphertext-blob ${blob}`, /An error occurred \(KMSInvalidStateException\) when calling the Decrypt operation/);

  // Cancel → Disabled; enable → Enabled.
  await d.getByRole('button', { name: 'Cancel key deletion' }).click();
  const row = keysTable(page).getByRole('row').filter({ hasText: 'alias/e2e-app' });
  await expect(row).toContainText('Disabled');
  await d.getByRole('button', { name: 'Enable key' }).click();
  await expect(row).toContainText('Enabled');
  await expect(d.getByRole('button', { name: 'Disable key' })).toBeVisible();
});

test('the key list is keyboard operable and denials are shown with the AWS error', async ({ page }) => {
  await page.goto('./');
  await expect(keyButtons(page)).toHaveCount(3);
  await keyButtons(page).first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(keyButtons(page).nth(1)).toBeFocused();
  await expect(keyButtons(page).nth(1)).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('End');
  await expect(keyButtons(page).nth(2)).toHaveAttribute('aria-pressed', 'true');
  await expect(details(page).getByRole('status', { name: 'Deletion countdown' })).toBeVisible();

  // Tags cannot change while the key is PendingDeletion: the service's error is shown.
  await details(page).getByRole('tab', { name: 'Tags' }).click();
  await details(page).getByLabel('Tag key').fill('x');
  await details(page).getByRole('button', { name: 'Add tag' }).click();
  await expect(details(page).getByRole('alert')).toContainText('KMSInvalidStateException');

  // As alice (no KMS permissions), the call is denied by authorization, as AWS answers.
  await page.getByRole('region', { name: 'Acting as' }).getByRole('combobox', { name: /^Principal/ }).selectOption('arn:aws:iam::111122223333:user/alice');
  await keyButtons(page).first().click();
  await details(page).getByRole('button', { name: 'Disable key' }).click();
  await expect(details(page).getByRole('alert')).toContainText('AccessDeniedException: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:DisableKey');
  await expect(keysTable(page).getByRole('row').filter({ hasText: 'alias/orders' })).toContainText('Enabled');
});
