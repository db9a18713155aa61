/**
 * Issue 8's lessons in the app: lesson 13 (data-key caching and cost) through the CLI and the Load
 * & cost tab — a run without a cache misses the quota share, budget and safe-cache goals, a run
 * with a 1-minute, 1,000-message cache meets them all; lesson 12 (kms:ViaService) through the AWS CLI console — the key
 * policy gets the condition, the direct Decrypt by the same role is predicted and denied, the goals
 * (through S3 allowed, direct denied) and the hidden probes (Secrets Manager, EC2 denied) hold;
 * lesson 14 opens with every goal unmet (the ingest's 12,000 objects/s throttle even its own writes),
 * the other team's Decrypt is predicted and answered with ThrottlingException, then the key policy
 * moves to the bucket ARN (CLI) and Bucket Keys go on (Services tab): every goal and probe holds. Role and label locators only.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { typeCli as cli } from './cli';

const ACCOUNT = '111122223333';
const arn = (p: string) => `arn:aws:iam::${ACCOUNT}:${p}`;
const goal = (page: Page, title: string | RegExp) => page.getByRole('list', { name: /^Goals/ }).getByRole('listitem').filter({ hasText: title });
const output = (page: Page) => page.getByRole('region', { name: 'AWS CLI console' }).getByRole('log', { name: 'Console output' });
/** The Lessons tab panel (also while another tab is shown: the panel stays mounted, hidden). */
const lessonPanel = (page: Page) => page.getByRole('tabpanel', { name: 'Lessons', exact: true, includeHidden: true });
const lessonText = (page: Page) => lessonPanel(page).innerText();
/** The first match of `re` in the lesson's text, once the lesson has rendered it. */
async function lessonMatch(page: Page, re: RegExp): Promise<RegExpMatchArray> {
  await expect(lessonPanel(page)).toContainText(re);
  return (await lessonText(page)).match(re)!;
}
const storage = (page: Page) => page.getByRole('region', { name: "Your application's storage" });

async function openLesson(page: Page, label: string | RegExp): Promise<void> {
  await page.goto('./');
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: label }).click();
  await expect(page.getByRole('region', { name: 'Lesson banner' })).toBeVisible();
}

async function actAs(page: Page, principal: string): Promise<void> {
  await page.getByRole('region', { name: 'Acting as' }).getByLabel('Principal').selectOption(arn(principal));
}

test('lesson 12: the upload key only through S3 — the direct Decrypt by the same role is denied', async ({ page }) => {
  await openLesson(page, /^Open lesson 12: kms:ViaService/);
  const region = (await lessonMatch(page, /alias\/uploads\s*\(in\s*([a-z]+-[a-z]+-\d)\)/))[1]!;
  const thumbnail = await storage(page).getByLabel('base64 of thumbnail.enc').inputValue();
  const scan = await new AxeBuilder({ page }).include('#panel-lessons').analyze();
  expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await expect(goal(page, 'A direct Decrypt by role/UploadApp is denied')).toContainText('○ Not yet');

  await actAs(page, 'role/KeyAdmin');
  await cli(page, `aws kms describe-key --region ${region} --key-id alias/uploads`);
  await expect(output(page)).toContainText('"KeyId"');
  const keyId = (await output(page).innerText()).match(/"KeyId":\s*"([0-9a-f-]{36})"/)![1]!;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'UploadAppUsesTheKey',
        Effect: 'Allow',
        Principal: { AWS: arn('role/UploadApp') },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      },
    ],
  });
  await cli(page, `aws kms put-key-policy --region ${region} --key-id ${keyId} --policy-name default --policy '${policy}'`);
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await expect(goal(page, 'A direct Decrypt by role/UploadApp is denied')).toContainText('✓ Met');
  await expect(goal(page, 'Through S3 in')).toHaveCount(2);
  for (const item of await goal(page, 'Through S3 in').all()) await expect(item).toContainText('✓ Met');

  await actAs(page, 'role/UploadApp');
  await cli(page, `aws kms decrypt --region ${region} --ciphertext-blob ${thumbnail}`);
  const dialog = page.getByRole('dialog', { name: /^Predict:/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: /^AccessDeniedException/ }).click();
  await expect(output(page)).toContainText('AccessDeniedException');

  await page.getByRole('tab', { name: 'Lessons' }).click();
  await expect(goal(page, 'You tried it')).toContainText('✓ Met');
  const result = page.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('Lesson complete');
  await expect(result).toContainText('Within par (3 of 4 calls)');
});

test('lesson 14: the ingest throttles the other team (predicted); the key policy on the bucket ARN and Bucket Keys fix it', async ({ page }) => {
  await openLesson(page, /^Open lesson 14: S3 Bucket Keys/);
  const region = (await lessonMatch(page, /alias\/reports`?\s*in\s*`?([a-z]+-[a-z]+-\d)/))[1]!;
  await expect(goal(page, "The reports team's Decrypt")).toContainText('○ Not yet');
  await expect(goal(page, 'uses S3 Bucket Keys')).toContainText('○ Not yet');
  // The ingest's own writes are throttled too: 12,000 objects/s against 10,000 requests/s.
  await expect(goal(page, 'can still write to')).toContainText('○ Not yet');

  const report = await storage(page).getByLabel('base64 of report.enc').inputValue();
  await actAs(page, 'role/AppRole');
  await cli(page, `aws kms decrypt --region ${region} --ciphertext-blob ${report}`);
  const dialog = page.getByRole('dialog', { name: /^Predict:/ });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('ITS OWN key');
  await dialog.getByRole('button', { name: /^ThrottlingException/ }).click();
  await expect(output(page)).toContainText('ThrottlingException');
  await expect(output(page)).toContainText('You have exceeded the rate at which you may call KMS');

  // The fix: the key policy matches the bucket ARN, then Bucket Keys on the bucket.
  const bucket = (await lessonMatch(page, /ingest-raw-\d{4}/))[0];
  // The feedback names the prediction with the attempt's values (no ${…} left).
  const feedback = page.getByRole('status').filter({ hasText: 'You predicted' });
  await expect(feedback).toContainText(`You predicted: ThrottlingException: the account's symmetric quota in ${region} is used up`);
  await expect(feedback).not.toContainText('${');
  await actAs(page, 'role/KeyAdmin');
  await page.getByRole('region', { name: 'Acting as' }).getByLabel('Region').selectOption(region);
  await cli(page, `aws kms describe-key --region ${region} --key-id alias/ingest`);
  await expect(output(page)).toContainText('"Description": "Ingest key"');
  const keyId = (await output(page).innerText()).match(/"KeyId":\s*"([0-9a-f-]{36})"[\s\S]*?"Description": "Ingest key"/)![1]!;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'IngestJobWritesThroughS3',
        Effect: 'Allow',
        Principal: { AWS: arn('role/IngestJob') },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${bucket}` } },
      },
    ],
  });
  await cli(page, `aws kms put-key-policy --region ${region} --key-id ${keyId} --policy-name default --policy '${policy}'`);
  // The console shows a command once it has answered: wait for it before the negative assertion.
  await expect(output(page)).toContainText(`$ aws kms put-key-policy --region ${region} --key-id ${keyId}`);
  await expect(output(page)).not.toContainText('MalformedPolicyDocumentException');

  await page.getByRole('tab', { name: 'Services', exact: true }).click();
  const encryption = page.getByRole('tabpanel', { name: 'Services', exact: true }).getByRole('form', { name: 'Default encryption' });
  await expect(encryption.getByText(/S3 Bucket Key disabled/)).toBeVisible();
  await encryption.getByRole('checkbox', { name: /S3 Bucket Key/ }).check();
  await encryption.getByRole('button', { name: 'PutBucketEncryption' }).click();
  await expect(encryption.getByText(/S3 Bucket Key enabled/)).toBeVisible();

  await page.getByRole('tab', { name: 'Lessons' }).click();
  for (const title of ["The reports team's Decrypt", 'uses S3 Bucket Keys', 'can still write to']) {
    await expect(goal(page, title)).toContainText('✓ Met');
  }
  const result = page.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('Lesson complete');
});

test('lesson 13: the load without a cache misses the goals; with safe cache limits it is under half the quota and the budget', async ({ page }) => {
  test.setTimeout(60_000);
  await openLesson(page, /^Open lesson 13: Data-key caching/);
  const region = (await lessonMatch(page, /alias\/messages`?\s*in\s*`?([a-z]+-[a-z]+-\d)/))[1]!;
  const queue = (await lessonMatch(page, /(orders|payments|telemetry)-events/))[0];
  await actAs(page, 'role/AppRole');
  await page.getByRole('region', { name: 'Acting as' }).getByLabel('Region').selectOption(region);

  await cli(page, `aws kms generate-data-key --key-id alias/messages --key-spec AES_256 --encryption-context queue=${queue}`);
  const dialog = page.getByRole('dialog', { name: /^Predict:/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: /^It works/ }).click();
  await expect(output(page)).toContainText('"CiphertextBlob"');

  await page.getByRole('tab', { name: 'Load & cost' }).click();
  const tab = page.getByRole('region', { name: 'Load & cost', exact: true });
  const form = tab.getByRole('form', { name: 'Load generator' });
  await expect(form.getByLabel('KMS key')).toHaveValue('alias/messages');
  await form.getByLabel('Requests per second').fill('5000');
  await form.getByLabel('Sandbox seconds').fill('60');
  await form.getByRole('button', { name: 'Run load' }).click();
  await expect(tab.getByRole('region', { name: 'Load run result' })).toBeVisible();

  await page.getByRole('tab', { name: 'Lessons' }).click();
  await expect(goal(page, 'A recorded load run of the real workload')).toContainText('✓ Met');
  for (const title of ['peak below half', 'cost at most $50', 'safe cache limits']) await expect(goal(page, title)).toContainText('○ Not yet');

  await page.getByRole('tab', { name: 'Load & cost' }).click();
  await form.getByRole('checkbox', { name: /Data-key caching/ }).check();
  await form.getByLabel('Max age (ms)').fill('60000');
  await form.getByLabel('Max messages encrypted').fill('1000');
  await form.getByRole('button', { name: 'Run load' }).click();

  await page.getByRole('tab', { name: 'Lessons' }).click();
  for (const title of ['A recorded load run of the real workload', 'peak below half', 'cost at most $50', 'safe cache limits']) {
    await expect(goal(page, title)).toContainText('✓ Met');
  }
  await expect(page.getByRole('region', { name: 'Result' })).toContainText('Lesson complete');
});
