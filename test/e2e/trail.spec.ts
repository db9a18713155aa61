/**
 * Flow test of the live CloudTrail panel and the "why" panel (issue 5): filters over the seeded
 * trail, a record's JSON, keyboard selection, a key policy Deny made through the AWS CLI console
 * and explained with its statement highlighted, and the CloudTrail-format export.
 * Role and label locators only (STYLE §15).
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

/** Calls the seed makes (src/ui/seed.ts), one CloudTrail record each. */
const SEED_CALLS = 13;

const trailList = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' });
const shown = (page: Page) => page.getByRole('status', { name: 'CloudTrail events shown' });
const trailPanel = (page: Page) => page.getByRole('region', { name: /^CloudTrail/ });
const why = (page: Page) => page.getByRole('region', { name: 'Why' });

test('the trail filters, shows a record and explains it; the export is a CloudTrail file', async ({ page }) => {
  await page.goto('./');
  await expect(shown(page)).toHaveText(`${SEED_CALLS} of ${SEED_CALLS} events`);
  const panel = trailPanel(page);
  // Options carry their place in the whole (virtualized) list.
  await expect(trailList(page).getByRole('option').first()).toHaveAttribute('aria-posinset', '1');
  await expect(trailList(page).getByRole('option').first()).toHaveAttribute('aria-setsize', String(SEED_CALLS));

  // Filters combine, with a count.
  await panel.getByLabel('errorCode').fill('DisabledException');
  await expect(shown(page)).toHaveText(`1 of ${SEED_CALLS} events`);
  await expect(trailList(page).getByRole('option')).toHaveCount(1);
  await expect(trailList(page).getByRole('option')).toContainText('DisabledException');
  await panel.getByLabel('errorCode').fill('error');
  await expect(shown(page)).toHaveText(`2 of ${SEED_CALLS} events`);
  await panel.getByLabel('Principal').fill('alice');
  await expect(shown(page)).toHaveText(`1 of ${SEED_CALLS} events`);
  await panel.getByLabel('eventName').fill('Decrypt');
  await expect(shown(page)).toHaveText(`0 of ${SEED_CALLS} events`);
  await panel.getByLabel('eventName').fill('Encrypt');
  const denied = trailList(page).getByRole('option');
  await expect(denied).toHaveCount(1);
  await expect(denied).toContainText('AccessDeniedException');
  await expect(denied).toContainText('user/alice');

  // A time range after the seed matches nothing.
  await panel.getByLabel('From (UTC)').fill('2099-01-01T00:00');
  await expect(shown(page)).toHaveText(`0 of ${SEED_CALLS} events`);
  await panel.getByLabel('From (UTC)').fill('');

  // Selecting the row shows its JSON and why it was denied.
  await denied.click();
  await expect(denied).toHaveAttribute('aria-selected', 'true');
  const json = panel.getByLabel('CloudTrail record of Encrypt');
  await expect(json).toContainText('"errorCode": "AccessDeniedException"');
  await expect(json).toContainText('"userName": "alice"');
  const steps = why(page).getByRole('list', { name: 'Authorization steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(6);
  await expect(steps).toContainText('No identity policy allows kms:Encrypt');
  await expect(why(page)).toContainText('no identity policy of arn:aws:iam::111122223333:user/alice allows it');

  // The export holds the filtered records in CloudTrail's file shape.
  await panel.getByLabel('Principal').fill('');
  await panel.getByLabel('eventName').fill('');
  await expect(shown(page)).toHaveText(`2 of ${SEED_CALLS} events`);
  const downloading = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export filtered as CloudTrail JSON' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^kms-playground-trail-\d{8}T\d{6}Z\.json$/);
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as { Records: { errorCode?: string; eventSource: string }[] };
  expect(Object.keys(file)).toEqual(['Records']);
  expect(file.Records.map((r) => r.errorCode).sort()).toEqual(['AccessDeniedException', 'DisabledException']);
  expect(file.Records.every((r) => r.eventSource === 'kms.amazonaws.com')).toBe(true);

  // Keyboard: the list is one tab stop; arrows move, Enter selects.
  await panel.getByRole('button', { name: 'Clear filters' }).click();
  await expect(shown(page)).toHaveText(`${SEED_CALLS} of ${SEED_CALLS} events`);
  await trailList(page).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const second = trailList(page).getByRole('option').nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(second).toContainText('CreateKey');
  await expect(panel.getByLabel('CloudTrail record of CreateKey')).toBeVisible();
});

test('a key policy Deny is shown in the why panel with its statement highlighted', async ({ page }) => {
  await page.goto('./');
  await expect(shown(page)).toHaveText(`${SEED_CALLS} of ${SEED_CALLS} events`);
  await page.getByRole('tab', { name: 'AWS CLI' }).click();
  const cli = page.getByRole('region', { name: 'AWS CLI console' });
  const input = cli.getByRole('textbox', { name: 'Command' });
  const log = cli.getByRole('log', { name: 'Console output' });
  const run = async (line: string) => {
    await input.fill(line);
    await input.press('Enter');
  };

  // PutKeyPolicy takes a key id: read it the CLI way.
  await run('aws kms describe-key --key-id alias/orders --query KeyMetadata.KeyId --output text');
  await expect(log).toContainText(/[0-9a-f-]{36}/);
  const keyId = /([0-9a-f]{8}-[0-9a-f-]{27})/.exec(await log.innerText())![1]!;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'DenyAppRoleCrypto', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/AppRole' }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
    ],
  });
  await run(`aws kms put-key-policy --key-id ${keyId} --policy-name default --policy '${policy}'`);
  await expect(shown(page)).toHaveText(`${SEED_CALLS + 2} of ${SEED_CALLS + 2} events`);

  // As AppRole (its identity policy allows Encrypt), the key policy's Deny wins.
  await cli.getByLabel('Access key (principal)').selectOption('AKIAAPPROLEEXAMPLE');
  await run('aws kms encrypt --key-id alias/orders --plaintext SGVsbG8=');
  await expect(log).toContainText('with an explicit deny in a resource-based policy');
  await expect(shown(page)).toHaveText(`${SEED_CALLS + 3} of ${SEED_CALLS + 3} events`);

  const newest = trailList(page).getByRole('option').first();
  await expect(newest).toContainText('AccessDeniedException');
  await expect(newest).toContainText('role/AppRole');
  await newest.click();

  const panel = why(page);
  const keyStep = panel.getByRole('listitem').filter({ hasText: 'Key policy' }).first();
  await expect(keyStep).toContainText('statement "DenyAppRoleCrypto" denies kms:Encrypt');
  await expect(keyStep).toContainText('Deny');
  const doc = panel.getByRole('figure');
  await expect(doc).toContainText(`Key policy "default" of arn:aws:kms:us-east-1:111122223333:key/${keyId}`);
  const mark = doc.locator('mark');
  await expect(mark).toContainText('"Sid": "DenyAppRoleCrypto"');
  await expect(mark).toContainText('"Effect": "Deny"');
  await expect(mark).not.toContainText('Enable IAM User Permissions');
  // The highlighted statement is scrolled into the document's view.
  const inView = await doc.locator('pre').evaluate((pre) => {
    const m = pre.querySelector('mark') as HTMLElement;
    return m.offsetTop >= pre.scrollTop && m.offsetTop < pre.scrollTop + pre.clientHeight;
  });
  expect(inView).toBe(true);
  expect(await doc.locator('pre').evaluate((pre) => pre.scrollTop)).toBeGreaterThan(0);
});
