/**
 * The Services tab (issue 8): S3 with SSE-KMS under a customer key — create a bucket, set its
 * default encryption, put and get an object, see the GenerateDataKey and Decrypt S3 made in the
 * trail (invokedBy s3.amazonaws.com), reload and find the object still there; S3 Bucket Keys cut
 * the KMS calls; EBS attach shows the grant and the Decrypt; a secret value shows only while the
 * principal that fetched it is acting; axe finds nothing serious. Role and label locators (axe's
 * include takes a CSS selector).
 * Run: E2E_PORT=4191 npx playwright test test/e2e/services.spec.ts
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

async function openServices(page: Page) {
  const tab = page.getByRole('tab', { name: 'Services', exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('tabpanel', { name: 'Services', exact: true });
  await expect(panel.getByRole('heading', { name: 'Services' })).toBeVisible();
  return panel;
}

async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('section[aria-labelledby="services-heading"]').withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('S3 with SSE-KMS and a customer key: put, get, the KMS calls in the trail, reload, Bucket Keys', async ({ page }) => {
  test.setTimeout(90_000);
  // Reduced motion: the animation narrates every step as a list (the service actor's steps are read there).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./');
  const services = await openServices(page);

  await services.getByLabel('Bucket name').fill('e2e-orders');
  await services.getByRole('button', { name: 'CreateBucket' }).click();
  await expect(services.getByRole('group', { name: 'CreateBucket result' })).toContainText('created');

  const encryption = services.getByRole('form', { name: 'Default encryption' });
  await encryption.getByRole('radio', { name: /SSE-KMS/ }).check();
  await encryption.getByLabel('KMS key (KMSMasterKeyID)').selectOption({ label: (await encryption.getByRole('option', { name: /^alias\/orders/ }).textContent())! });
  await encryption.getByRole('button', { name: 'PutBucketEncryption' }).click();
  await expect(encryption.getByText(/Now: SSE-KMS with arn:aws:kms:.*, S3 Bucket Key disabled/)).toBeVisible();

  const put = services.getByRole('form', { name: 'Put object' });
  await put.getByLabel('Object key').fill('note.txt');
  await put.getByLabel('Object text').fill('Hello through S3');
  await put.getByRole('button', { name: 'PutObject' }).click();
  const putResult = put.getByRole('group', { name: 'PutObject result' });
  await expect(putResult).toContainText('stored note.txt');
  await expect(putResult.getByRole('table', { name: 'KMS calls made by Amazon S3' })).toContainText('GenerateDataKey');

  // The GenerateDataKey S3 made, selected in the trail: made for the caller, invoked by S3.
  await putResult.getByRole('button', { name: /^Show GenerateDataKey/ }).click();
  const record = page.getByLabel('CloudTrail record of GenerateDataKey');
  await expect(record).toContainText('"invokedBy": "s3.amazonaws.com"');
  await expect(record).toContainText('"aws:s3:arn": "arn:aws:s3:::e2e-orders/note.txt"');
  // The animation follows the selection: S3 is the actor between the application and KMS.
  const narration = page.getByRole('list', { name: 'Narration' });
  await expect(narration).toContainText('The application calls Amazon S3 (PutObject');
  await expect(narration).toContainText('Amazon S3 calls GenerateDataKey');

  const objects = services.getByRole('table', { name: 'Objects' });
  await expect(objects.getByRole('row', { name: /note\.txt/ })).toContainText('arn:aws:kms:');
  await objects.getByRole('button', { name: 'GetObject note.txt' }).click();
  await expect(services.getByLabel('Body of note.txt')).toHaveValue('Hello through S3');
  const getResult = services.getByRole('group', { name: 'GetObject result' });
  await getResult.getByRole('button', { name: /^Show Decrypt/ }).click();
  await expect(page.getByLabel('CloudTrail record of Decrypt')).toContainText('"invokedBy": "s3.amazonaws.com"');

  expect(await axeProblems(page)).toEqual([]);

  // Nothing lost on reload: the bucket, its encryption and the object are sandbox records.
  await page.reload();
  const again = await openServices(page);
  await expect(again.getByRole('table', { name: 'Objects' }).getByRole('row', { name: /note\.txt/ })).toBeVisible();
  await again.getByRole('table', { name: 'Objects' }).getByRole('button', { name: 'GetObject note.txt' }).click();
  await expect(again.getByLabel('Body of note.txt')).toHaveValue('Hello through S3');

  // S3 Bucket Keys: the first object makes one GenerateDataKey for the bucket key, the next none.
  const enc2 = again.getByRole('form', { name: 'Default encryption' });
  await enc2.getByRole('checkbox', { name: /S3 Bucket Key/ }).check();
  await enc2.getByRole('button', { name: 'PutBucketEncryption' }).click();
  await expect(enc2.getByText(/S3 Bucket Key enabled/)).toBeVisible();
  const put2 = again.getByRole('form', { name: 'Put object' });
  const result2 = put2.getByRole('group', { name: 'PutObject result' });
  await put2.getByLabel('Object key').fill('a.txt');
  await put2.getByRole('button', { name: 'PutObject' }).click();
  await expect(result2).toContainText('stored a.txt');
  await expect(result2).toContainText('with the S3 Bucket Key');
  await expect(result2).toContainText('1 KMS call: GenerateDataKey');
  await put2.getByLabel('Object key').fill('b.txt');
  await put2.getByRole('button', { name: 'PutObject' }).click();
  await expect(result2).toContainText('stored b.txt');
  await expect(result2).toContainText('No KMS call');
  await expect(again.getByRole('table', { name: 'Objects' }).getByRole('row', { name: /b\.txt/ })).toContainText('yes');
});

test('EBS: an encrypted volume under aws/ebs, attached (grant + Decrypt), snapshot; a bad bucket name is refused before sending', async ({ page }) => {
  await page.goto('./');
  const services = await openServices(page);
  await services.getByLabel('Bucket name').fill('No_Such');
  await services.getByRole('button', { name: 'CreateBucket' }).click();
  await expect(services.getByRole('alert')).toContainText('lowercase');

  await services.getByRole('tab', { name: 'EBS' }).click();
  await services.getByRole('button', { name: 'CreateVolume' }).click();
  await expect(services.getByRole('group', { name: 'CreateVolume result' })).toContainText('GenerateDataKeyWithoutPlaintext');
  const volumes = services.getByRole('table', { name: 'Volumes' });
  await volumes.getByRole('button', { name: /^AttachVolume vol-/ }).click();
  const attach = services.getByRole('group', { name: 'AttachVolume result' });
  await expect(attach).toContainText('CreateGrant');
  await expect(attach).toContainText('Decrypt');
  await expect(volumes).toContainText('grant ');
  await volumes.getByRole('button', { name: /^CreateSnapshot vol-/ }).click();
  await expect(services.getByRole('table', { name: 'Snapshots' })).toContainText('snap-');
  expect(await axeProblems(page)).toEqual([]);
});

test('Secrets Manager: create under aws/secretsmanager, get, put a new version; the value shows only to its reader; the animation narrates the service', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./');
  const services = await openServices(page);
  await services.getByRole('tab', { name: 'Secrets Manager' }).click();
  await services.getByLabel('Secret name').fill('prod/e2e');
  await services.getByLabel('Secret value (SecretString)').fill('s3cr3t-value');
  await services.getByRole('button', { name: 'CreateSecret' }).click();
  const created = services.getByRole('group', { name: 'CreateSecret result' });
  await expect(created).toContainText('GenerateDataKey');
  await expect(services.getByLabel('Secret value (SecretString)')).toHaveValue(''); // the typed secret is cleared once stored
  const secrets = services.getByRole('table', { name: 'Secrets' });
  await expect(secrets.getByRole('row', { name: /prod\/e2e/ })).toContainText('aws/secretsmanager');
  await secrets.getByRole('button', { name: 'GetSecretValue prod/e2e' }).click();
  await expect(services.getByLabel(/^Value of prod\/e2e/)).toHaveValue('s3cr3t-value');
  await services.getByLabel('New value for PutSecretValue').fill('rotated-value');
  await secrets.getByRole('button', { name: 'PutSecretValue prod/e2e' }).click();
  await expect(services.getByRole('group', { name: 'PutSecretValue result' })).toContainText('AWSCURRENT');
  await expect(services.getByLabel('New value for PutSecretValue')).toHaveValue('');
  await expect(secrets.getByRole('row', { name: /prod\/e2e/ }).getByRole('cell').nth(2)).toHaveText('2');
  await secrets.getByRole('button', { name: 'GetSecretValue prod/e2e' }).click();
  const value = services.getByLabel(/^Value of prod\/e2e/);
  await expect(value).toHaveValue('rotated-value');
  // Shown only while the principal that fetched it is acting; Hide forgets it.
  const principal = page.getByRole('region', { name: 'Acting as' }).getByRole('combobox', { name: /^Principal/ });
  const me = await principal.inputValue();
  await principal.selectOption('arn:aws:iam::111122223333:user/alice');
  await expect(value).toHaveCount(0);
  await principal.selectOption(me);
  await expect(value).toHaveValue('rotated-value');
  await services.getByRole('button', { name: 'Hide value' }).click();
  await expect(value).toHaveCount(0);
  await services.getByRole('group', { name: 'GetSecretValue result' }).getByRole('button', { name: /^Show Decrypt/ }).click();
  await expect(page.getByRole('list', { name: 'Narration' })).toContainText('Secrets Manager calls Decrypt');
  expect(await axeProblems(page)).toEqual([]);
});
