/**
 * Flow test of "Acting as", the IAM tab and the clock (issue 5): every action runs as the chosen
 * principal, so denials are real; a principal added in the IAM tab and given an identity policy
 * can act; advancing the clock to the next scheduled event rotates a key, and a ciphertext from
 * before the rotation still decrypts; a reload keeps the acting principal and the IAM edits.
 * Role and label locators only (STYLE §15). Run: E2E_PORT=4183 npx playwright test test/e2e/identity.spec.ts
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const ROOT = 'arn:aws:iam::111122223333:root';
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const CAROL = 'arn:aws:iam::111122223333:user/carol';

const actingAs = (page: Page) => page.getByRole('region', { name: 'Acting as' });
const cryptoForm = (page: Page) => page.getByRole('region', { name: 'Encrypt / Decrypt' });
const clock = (page: Page) => page.getByRole('region', { name: 'Sandbox clock' });

/** The sandbox clock's time (ms). */
async function sandboxTime(page: Page): Promise<number> {
  return Date.parse((await clock(page).locator('time').getAttribute('datetime'))!);
}

/** The time the "next event" button names for a rotation (ms, to the minute). */
async function rotationDate(page: Page): Promise<number> {
  const name = await clock(page).getByRole('button', { name: /^Next event: rotation/ }).innerText();
  const m = /on (\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC/.exec(name);
  expect(m).not.toBeNull();
  return Date.parse(`${m![1]}T${m![2]}:00Z`);
}

async function actAs(page: Page, arn: string) {
  await actingAs(page).getByLabel('Principal').selectOption(arn);
  await expect(actingAs(page).getByRole('status')).toContainText(`Now acting as ${arn}`);
}

/** Encrypts a text with the form's key (alias/orders); resolves once the call has answered. */
async function encrypt(page: Page, text: string) {
  const form = cryptoForm(page);
  await form.getByLabel('Plaintext').fill(text);
  await form.getByLabel(/CiphertextBlob/).fill('');
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
}

test('acting as a principal: denials are real, identity policies grant, the clock rotates, a reload keeps the caller', async ({ page }) => {
  await page.goto('./');
  const acting = actingAs(page);
  await expect(acting.getByRole('status')).toContainText(`Acting as ${ROOT} in us-east-1`);
  await expect(acting.getByLabel('Account')).toHaveValue('111122223333');
  await expect(acting.getByLabel('Region')).toHaveValue('us-east-1');
  // The principal choice shows each access key id.
  await expect(acting.getByLabel('Principal').locator('option', { hasText: 'user/alice · AKIAALICEEXAMPLE' })).toHaveCount(1);

  // alice has no KMS permissions: Encrypt is denied by the service, as AWS would.
  await actAs(page, ALICE);
  await encrypt(page, 'as alice');
  await expect(cryptoForm(page).getByRole('alert')).toContainText('AccessDeniedException');
  await expect(cryptoForm(page).getByLabel(/CiphertextBlob/)).toHaveValue('');

  // Back to the account root: the same Encrypt works.
  await actAs(page, ROOT);
  await encrypt(page, 'as root');
  await expect(cryptoForm(page).getByLabel(/CiphertextBlob/)).not.toHaveValue('');
  await expect(cryptoForm(page).getByRole('alert')).toHaveCount(0);

  // IAM tab: a new user (bad input is refused with the reason first), then an identity policy.
  await page.getByRole('tab', { name: 'IAM' }).click();
  const addPrincipal = page.getByRole('form', { name: 'Add a principal' });
  await addPrincipal.getByLabel('User name').fill('carol smith');
  await addPrincipal.getByRole('button', { name: 'Add user' }).click();
  await expect(addPrincipal.getByText(/1–64 letters/)).toBeVisible();
  await addPrincipal.getByLabel('User name').fill('carol');
  await addPrincipal.getByRole('button', { name: 'Add user' }).click();
  await expect(addPrincipal.getByRole('status')).toContainText(`Added ${CAROL} (access key AKIA`);
  const addAccount = page.getByRole('form', { name: 'Add an account' });
  await addAccount.getByLabel('Account id').fill('12345');
  await addAccount.getByRole('button', { name: 'Add account' }).click();
  await expect(addAccount.getByText('An account id is exactly 12 digits (got 5 characters).')).toBeVisible();

  const table = page.getByRole('table', { name: 'Principals of account 111122223333' });
  await table.getByRole('button', { name: 'user/carol' }).click();
  const policies = page.getByRole('region', { name: `Identity policies of ${CAROL}` });
  await expect(policies.getByText('No identity policy')).toBeVisible();
  const newPolicy = policies.getByRole('form', { name: 'Identity policy New policy' });
  const documentBox = newPolicy.getByLabel('Policy document', { exact: true });
  const template = await documentBox.inputValue();
  expect(JSON.parse(template).Statement[0].Action).toContain('kms:Encrypt');
  // Validation as you type, by the kms policy parser.
  await documentBox.fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow"');
  await expect(newPolicy.getByText(/The policy is not valid JSON/)).toBeVisible();
  await newPolicy.getByLabel('Policy name').fill('EncryptOrders');
  await expect(newPolicy.getByRole('button', { name: 'Add policy' })).toBeDisabled();
  await documentBox.fill(template);
  await expect(newPolicy.getByText('Valid identity policy.')).toBeVisible();
  await newPolicy.getByRole('button', { name: 'Add policy' }).click();
  await expect(policies.getByRole('form', { name: 'Identity policy EncryptOrders' })).toBeVisible();
  await expect(table.getByRole('row', { name: /user\/carol/ }).getByRole('cell').last()).toHaveText('1');

  // Acting as carol, Encrypt is allowed by her identity policy (the default key policy delegates to IAM).
  await actAs(page, CAROL);
  await expect(table.getByRole('row', { name: /user\/carol/ })).toContainText('acting');
  await encrypt(page, 'before the rotation');
  const blob = cryptoForm(page).getByLabel(/CiphertextBlob/);
  await expect(blob).not.toHaveValue('');
  const oldCiphertext = await blob.inputValue();

  // Rotation every 90 days instead of the seed's 365, set with the AWS CLI console. The console signs as
  // "Acting as" (carol) by default; its own picker switches it to the root's access key.
  const next = clock(page).getByRole('button', { name: /^Next event: / });
  await next.click(); // the pending deletion (7 days) comes first
  await expect(clock(page).getByRole('status')).toContainText(/deleted \(its material is gone\)/);
  await expect(next).toHaveAccessibleName(/^Next event: rotation of alias\/orders on /);
  const yearly = await rotationDate(page);
  await page.getByRole('tab', { name: 'AWS CLI' }).click();
  const cli = page.getByRole('tabpanel', { name: 'AWS CLI' });
  await expect(cli.getByLabel('Access key (principal)').locator('option:checked')).toContainText(CAROL);
  await cli.getByLabel('Access key (principal)').selectOption('AKIAIOSFODNN7EXAMPLE');
  const command = page.getByLabel('Command');
  await command.fill('aws kms describe-key --key-id alias/orders --query KeyMetadata.KeyId --output text');
  await command.press('Enter');
  const keyId = (await page.getByRole('log', { name: 'Console output' }).getByText(/^[0-9a-f]{8}-[0-9a-f-]{27}\s*$/).innerText()).trim();
  await command.fill(`aws kms enable-key-rotation --key-id ${keyId} --rotation-period-in-days 90`);
  await command.press('Enter');
  await expect.poll(() => rotationDate(page)).toBeLessThan(yearly);
  // The new period counts from the key's creation (the last rotation), 7 sandbox days ago.
  const inDays = ((await rotationDate(page)) - (await sandboxTime(page))) / 86_400_000;
  expect(inDays).toBeGreaterThan(82);
  expect(inDays).toBeLessThanOrEqual(83);
  await next.click();
  await expect(clock(page).getByRole('status')).toContainText('alias/orders rotated (new key material)');
  await expect(clock(page).getByText('Clock log (2)')).toBeVisible();

  // No serious or critical accessibility violation in the header (acting as, clock) and the IAM tab.
  await page.getByRole('tab', { name: 'IAM' }).click();
  const scan = await new AxeBuilder({ page }).include('header').include('#panel-iam').analyze();
  expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // The ciphertext from before the rotation still decrypts (its material version is kept).
  await blob.fill(oldCiphertext);
  await cryptoForm(page).getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(cryptoForm(page).getByLabel('Decrypted plaintext')).toHaveText('before the rotation');

  // Reload: still acting as carol, and her policy is still there.
  await page.reload();
  await expect(actingAs(page).getByRole('status')).toContainText(`Acting as ${CAROL} in us-east-1`);
  await expect(actingAs(page).getByLabel('Principal')).toHaveValue(CAROL);
  await page.getByRole('tab', { name: 'IAM' }).click();
  await page.getByRole('table', { name: 'Principals of account 111122223333' }).getByRole('button', { name: 'user/carol' }).click();
  await expect(page.getByRole('form', { name: 'Identity policy EncryptOrders' })).toBeVisible();
});

test('switching Region and account; nothing scheduled disables "next event" with the reason', async ({ page }) => {
  await page.goto('./');
  const acting = actingAs(page);
  await acting.getByLabel('Region').selectOption('eu-west-1');
  await expect(acting.getByRole('status')).toContainText(`Now acting as ${ROOT} in eu-west-1`);
  // Keys live in one Region: from eu-west-1, alias/orders (us-east-1) is not found.
  await encrypt(page, 'wrong Region');
  await expect(cryptoForm(page).getByRole('alert')).toContainText('NotFoundException');
  await acting.getByLabel('Account').selectOption('444455556666');
  await expect(acting.getByRole('status')).toContainText('Now acting as arn:aws:iam::444455556666:root in eu-west-1');
  await expect(acting.getByLabel('Principal')).toHaveValue('arn:aws:iam::444455556666:root');

  // Advance by hours: nothing is due; a bad amount is refused with the reason.
  await clock(page).getByLabel('Hours to advance').fill('5');
  await clock(page).getByRole('button', { name: '+5 hours' }).click();
  await expect(clock(page).getByRole('status')).toContainText(/^Advanced 5 hours to .* UTC: nothing was due\.$/);
  await clock(page).getByLabel('Days to advance').fill('0');
  await expect(clock(page).getByText('Advance by at least 1 day.')).toBeVisible();
  await expect(clock(page).getByRole('button', { name: '+days' })).toBeDisabled();

  // Empty the schedule: the pending deletion completes, then rotation is turned off with the console.
  const next = clock(page).getByRole('button', { name: /^Next event/ });
  await expect(next).toHaveAccessibleName(/^Next event: deletion of /);
  await next.click();
  await expect(next).toHaveAccessibleName(/^Next event: rotation of alias\/orders on /);
  await page.getByRole('tab', { name: 'AWS CLI' }).click();
  // The console follows "Acting as" (the partner root in eu-west-1): sign as the learner's root in us-east-1 instead.
  const cli = page.getByRole('tabpanel', { name: 'AWS CLI' });
  await expect(cli.getByLabel('Region')).toHaveValue('eu-west-1');
  await cli.getByLabel('Access key (principal)').selectOption('AKIAIOSFODNN7EXAMPLE');
  await cli.getByLabel('Region').selectOption('us-east-1');
  const command = page.getByLabel('Command');
  const output = page.getByRole('log', { name: 'Console output' });
  await command.fill('aws kms describe-key --key-id alias/orders --query KeyMetadata.KeyId --output text');
  await command.press('Enter');
  const keyId = (await output.getByText(/^[0-9a-f]{8}-[0-9a-f-]{27}\s*$/).innerText()).trim();
  await command.fill(`aws kms disable-key-rotation --key-id ${keyId}`);
  await command.press('Enter');
  await expect(next).toBeDisabled();
  await expect(next).toHaveAccessibleName('Next event');
  await expect(next).toHaveAccessibleDescription(/Nothing is scheduled/);
});
