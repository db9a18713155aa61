/**
 * Issue 7's lessons in the app: lesson 11 (sign a release manifest, verify offline) completed
 * through the AWS CLI console and the lesson's "Your application's storage" (SHA-256 of the
 * manifest, the CLI's Signature stored, offline verification with GetPublicKey's key), with its
 * prediction; lesson 10 (multi-Region keys) through the CLI with `--region eu-west-1` and the
 * sandbox clock, the trap (the replica's default key policy) shown by its prediction; axe on the
 * storage panel.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { typeCli as cli } from './cli';

const ACCOUNT = '111122223333';
const arn = (p: string) => `arn:aws:iam::${ACCOUNT}:${p}`;
const goal = (page: Page, title: string | RegExp) => page.getByRole('list', { name: /^Goals/ }).getByRole('listitem').filter({ hasText: title });
const output = (page: Page) => page.getByRole('region', { name: 'AWS CLI console' }).getByRole('log', { name: 'Console output' });
const storage = (page: Page) => page.getByRole('region', { name: "Your application's storage" });

/** The last value of `"<member>": "<base64>"` printed by the console. */
async function lastMember(page: Page, member: string): Promise<string> {
  await expect(output(page)).toContainText(new RegExp(`"${member}":\\s*"[A-Za-z0-9+/=]+"`));
  const text = await output(page).innerText();
  const all = [...text.matchAll(new RegExp(`"${member}":\\s*"([A-Za-z0-9+/=]+)"`, 'g'))];
  expect(all.length).toBeGreaterThan(0);
  return all.at(-1)![1]!;
}

async function openLesson(page: Page, label: string): Promise<void> {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: label }).click();
  await expect(page.getByRole('region', { name: 'Lesson banner' })).toBeVisible();
}

async function actAs(page: Page, principal: string): Promise<void> {
  await page.getByRole('region', { name: 'Acting as' }).getByLabel('Principal').selectOption(arn(principal));
}

test('lesson 11: sign the manifest digest in KMS, verify offline in the application, no Verify call', async ({ page }) => {
  await openLesson(page, 'Open lesson 11: Sign a release, verify it offline');
  await expect(storage(page)).toContainText('release-manifest.json');
  const scan = await new AxeBuilder({ page }).include('#panel-lessons').analyze();
  expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  await cli(page, 'aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --description "Release signing key"');
  // Wait for the command's output before reading it (the console renders after the call returns).
  await expect(output(page)).toContainText(/"KeyId":\s*"[0-9a-f-]{36}"/);
  const keyId = (await output(page).innerText()).match(/"KeyId":\s*"([0-9a-f-]{36})"/)![1]!;
  await cli(page, `aws kms create-alias --alias-name alias/release-signing --target-key-id ${keyId}`);

  // The application hashes the 5.7 KB manifest.
  await page.getByRole('tab', { name: 'Lessons' }).click();
  const s = storage(page);
  await s.getByText('SHA-256 of an object').click();
  await s.getByLabel('Object', { exact: true }).selectOption('release-manifest.json');
  await s.getByLabel('Store the digest as').fill('manifest.sha256');
  await s.getByRole('button', { name: 'Hash in the application' }).click();
  await expect(s.getByRole('list', { name: 'Stored objects' })).toContainText('manifest.sha256');
  const digest = await s.getByLabel('base64 of manifest.sha256').inputValue();
  expect(digest).toMatch(/^[A-Za-z0-9+/]{43}=$/);

  await cli(page, `aws kms sign --key-id alias/release-signing --message ${digest} --message-type DIGEST --signing-algorithm ECDSA_SHA_256`);
  await expect(output(page)).toContainText('"Signature"');
  const signature = await lastMember(page, 'Signature');
  await cli(page, 'aws kms get-public-key --key-id alias/release-signing');
  await expect(output(page)).toContainText('"PublicKey"');
  const publicKey = await lastMember(page, 'PublicKey');

  // A signing key cannot encrypt: predict first.
  await cli(page, 'aws kms encrypt --key-id alias/release-signing --plaintext "release notes" --cli-binary-format raw-in-base64-out');
  const dialog = page.getByRole('dialog', { name: /^Predict:/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: /^InvalidKeyUsageException/ }).click();
  await expect(output(page)).toContainText('InvalidKeyUsageException');

  await page.getByRole('tab', { name: 'Lessons' }).click();
  await s.getByText('Store bytes').click();
  await s.getByLabel('Object name').fill('release-manifest.json.sig');
  await s.getByLabel(/^Bytes/).fill(signature);
  await s.getByRole('button', { name: 'Store', exact: true }).click();
  await expect(s.getByRole('list', { name: 'Stored objects' })).toContainText('release-manifest.json.sig');
  await expect(goal(page, 'is a valid signature of release-manifest.json')).toContainText('✓ Met');

  await s.getByText('Verify a signature offline').click();
  await s.getByLabel(/^Public key/).fill(publicKey);
  await s.getByLabel('Signature object', { exact: true }).selectOption('release-manifest.json.sig');
  await s.getByLabel('Signed object', { exact: true }).selectOption('manifest.sha256');
  await s.getByLabel('The signed object is').selectOption('DIGEST');
  await s.getByLabel('SigningAlgorithm').selectOption('ECDSA_SHA_256');
  await s.getByLabel('Store the result as').fill('release.verified');
  await s.getByRole('button', { name: 'Verify in the application' }).click();
  await expect(s).toContainText('the signature is valid');

  for (const title of ['ECC_NIST_P256 key for SIGN_VERIFY', 'refuse to Encrypt', 'MessageType DIGEST', 'is a valid signature', 'Verify the signature offline', 'No Verify call']) {
    await expect(goal(page, title)).toContainText('✓ Met');
  }
  const result = page.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('Lesson complete');
  await expect(result).toContainText('Within par (5 of 5 calls)');

  // The attempt survives a reload: calls replayed, storage actions replayed in place.
  await page.reload();
  await expect(storage(page).getByRole('list', { name: 'Stored objects' })).toContainText('release.verified');
  await expect(goal(page, 'Verify the signature offline')).toContainText('✓ Met');
  await expect(goal(page, 'is a valid signature')).toContainText('✓ Met');
});

test('lesson 10: the replica decrypts the us-east-1 ciphertext in eu-west-1 once its own key policy names OrdersApp', async ({ page }) => {
  await openLesson(page, 'Open lesson 10: Multi-Region keys and the replica\'s own policy');
  const orderEnc = await storage(page).getByLabel('base64 of order.enc').inputValue();
  await expect(page.locator('#panel-lessons')).toContainText(/ORD-\d{5}/);
  const order = (await page.locator('#panel-lessons').innerText()).match(/ORD-\d{5}/)![0];

  await cli(page, 'aws kms describe-key --key-id alias/orders');
  await expect(output(page)).toContainText(/"KeyId":\s*"mrk-[0-9a-f]{32}"/);
  const keyId = (await output(page).innerText()).match(/"KeyId":\s*"(mrk-[0-9a-f]{32})"/)![1]!;
  await cli(page, `aws kms replicate-key --key-id ${keyId} --replica-region eu-west-1`);
  await expect(output(page)).toContainText('"KeyState": "Creating"');
  await page.getByRole('region', { name: 'Sandbox clock' }).getByRole('button', { name: /^\+1 hour/ }).click();

  await actAs(page, 'role/OrdersApp');
  const decrypt = `aws kms decrypt --region eu-west-1 --ciphertext-blob ${orderEnc} --encryption-context order=${order}`;
  await cli(page, decrypt);
  const dialog = page.getByRole('dialog', { name: /^Predict:/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: /^AccessDeniedException/ }).click();
  await expect(output(page)).toContainText('AccessDeniedException');

  await actAs(page, 'root');
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'kms:*', Resource: '*' },
      { Sid: 'OrdersAppUsesTheKey', Effect: 'Allow', Principal: { AWS: arn('role/OrdersApp') }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: '*' },
    ],
  });
  await cli(page, `aws kms put-key-policy --region eu-west-1 --key-id ${keyId} --policy-name default --policy '${policy}'`);
  await actAs(page, 'role/OrdersApp');
  await cli(page, decrypt);
  await expect(output(page)).toContainText('"Plaintext"');

  await page.getByRole('tab', { name: 'Lessons' }).click();
  for (const title of ['replica in eu-west-1', 'has decrypted order.enc in eu-west-1', 'With us-east-1 down']) {
    await expect(goal(page, title)).toContainText('✓ Met');
  }
  const result = page.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('Lesson complete');
  await expect(result).toContainText('Within par (5 of 5 calls)');
});
