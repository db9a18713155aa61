/**
 * Lessons in the app (issue 6): lesson 3 (key policy lockout) completed through the UI with the
 * AWS CLI console, including its prediction (a modal dialog before the call); goals tick as the
 * learner works; stars and the "in real AWS" note at the end; the attempt survives a reload; the
 * learner's own sandbox is untouched after leaving; a permalink opens a lesson directly; axe scan
 * of the lesson panel.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { typeCli as cli } from './cli';

const ACCOUNT = '111122223333';
const arn = (p: string) => `arn:aws:iam::${ACCOUNT}:${p}`;
const USE = { Effect: 'Allow', Principal: { AWS: arn('role/AppRole') }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' };
const ADMIN = {
  Effect: 'Allow',
  Principal: { AWS: arn('role/KeyAdmin') },
  Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
  Resource: '*',
};
const ROOT = { Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'kms:*', Resource: '*' };
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const keyIds = (page: Page) => page.getByRole('region', { name: 'Customer managed keys' }).locator('button[data-key]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-key')));
const goal = (page: Page, title: string | RegExp) => page.getByRole('list', { name: /^Goals/ }).getByRole('listitem').filter({ hasText: title });

async function keyIdOf(page: Page, alias: string): Promise<string> {
  await page.getByRole('tab', { name: 'Keys', exact: true }).click();
  const id = await page.getByRole('row', { name: new RegExp(alias) }).locator('button[data-key]').getAttribute('data-key');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id!;
}

async function actAs(page: Page, principal: string): Promise<void> {
  await page.getByRole('region', { name: 'Acting as' }).getByLabel('Principal').selectOption(arn(principal));
}

const output = (page: Page) => page.getByRole('region', { name: 'AWS CLI console' }).getByRole('log', { name: 'Console output' });

test('lesson 3 is completed through the UI, with its prediction; the own sandbox is untouched', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('region', { name: 'Customer managed keys' }).locator('button[data-key]').first()).toBeVisible();
  const ownKeys = await keyIds(page);
  expect(ownKeys.length).toBeGreaterThan(0);

  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: 'Open lesson 3: Key policy lockout' }).click();
  await expect(page.getByRole('region', { name: 'Lesson banner' })).toContainText('Lesson: Key policy lockout — your own sandbox is untouched');
  await expect(page.getByRole('heading', { name: 'Key policy lockout', level: 2 })).toBeFocused();
  await expect(page).toHaveURL(/#lesson=key-policy-lockout$/);
  await expect(goal(page, 'See the safety check')).toContainText('Not yet');

  const scan = await new AxeBuilder({ page }).include('#panel-lessons').analyze();
  expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  const payroll = await keyIdOf(page, 'alias/payroll');
  const scratch = await keyIdOf(page, 'alias/scratch');
  expect(ownKeys).not.toContain(payroll);

  // 1. A policy that locks KeyAdmin out: predict first (the dialog holds the call).
  await actAs(page, 'role/KeyAdmin');
  await cli(page, `aws kms put-key-policy --key-id ${payroll} --policy-name default --policy '${policy(USE)}'`);
  const dialog = page.getByRole('dialog', { name: /^Predict:/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button').first()).toBeFocused();
  await expect(output(page)).not.toContainText('MalformedPolicyDocumentException');
  await dialog.getByRole('button', { name: /^MalformedPolicyDocumentException/ }).click();
  await expect(dialog).toBeHidden();
  await expect(output(page)).toContainText('MalformedPolicyDocumentException');
  await expect(page.getByRole('status').filter({ hasText: 'Your prediction was right.' })).toBeVisible();

  // 2. The right principals, no root statement.
  await cli(page, `aws kms put-key-policy --key-id ${payroll} --policy-name default --policy '${policy(ADMIN, USE)}'`);
  // 3. Danger zone: the bypass, then root cannot repair it.
  await cli(page, `aws kms put-key-policy --key-id ${scratch} --policy-name default --policy '${policy(USE)}' --bypass-policy-lockout-safety-check`);
  await actAs(page, 'root');
  await cli(page, `aws kms put-key-policy --key-id ${scratch} --policy-name default --policy '${policy(ROOT)}'`);
  await expect(output(page)).toContainText('AccessDeniedException');

  await page.getByRole('tab', { name: 'Lessons' }).click();
  for (const title of ['See the safety check', 'role/KeyAdmin can still change', 'role/AppRole can encrypt', "user/intern's IAM policy", 'Danger zone']) {
    await expect(goal(page, title)).toContainText('✓ Met');
  }
  const result = page.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('Lesson complete');
  await expect(result.getByRole('img', { name: '3 of 3 stars' })).toBeVisible();
  await expect(result).toContainText('Within par (4 of 4 calls)');
  await expect(result).toContainText('None recorded');
  await expect(result).toContainText('only AWS Support can help');

  // Finishing offers a proof link; opened in another browser, it replays and shows "verified".
  await result.getByRole('button', { name: 'Make a proof link' }).click();
  const proofLink = await result.getByLabel(/^Proof link/).inputValue();
  expect(proofLink).toMatch(/#sandbox=1\./);
  const other = await page.context().browser()!.newContext();
  const recipient = await other.newPage();
  await recipient.goto(proofLink);
  const proof = recipient.getByRole('dialog', { name: 'Open a shared sandbox?' }).getByRole('region', { name: 'Lesson proof' });
  await proof.getByRole('button', { name: 'Verify the proof' }).click();
  await expect(proof.getByRole('status')).toContainText('Verified: every goal of');
  await other.close();

  // The attempt survives a reload (replayed from its log).
  await page.reload();
  await expect(page.getByRole('region', { name: 'Lesson banner' })).toBeVisible();
  await expect(goal(page, 'Danger zone')).toContainText('✓ Met');
  await expect(page.getByRole('region', { name: 'Result' }).getByRole('img', { name: '3 of 3 stars' })).toBeVisible();

  // Leaving shows the own sandbox again, as it was; the list shows the lesson completed.
  await page.getByRole('region', { name: 'Lesson banner' }).getByRole('button', { name: 'Leave lesson' }).click();
  await expect(page.getByRole('region', { name: 'Lesson banner' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Keys', exact: true }).click();
  await expect.poll(() => keyIds(page)).toEqual(ownKeys);
  await expect(page).not.toHaveURL(/#lesson/);
  await page.getByRole('tab', { name: 'Lessons' }).click();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Open lesson 3: Key policy lockout' }) });
  await expect(item).toContainText('Completed');
  await expect(item.getByRole('img', { name: '3 of 3 stars' })).toBeVisible();
});

test('a permalink opens a lesson directly, a wrong prediction is recorded, reset restores the start', async ({ page }) => {
  await page.goto('./#lesson=key-policy-lockout&step=1');
  await expect(page.getByRole('heading', { name: 'Key policy lockout', level: 2 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Lesson banner' })).toBeVisible();
  await expect(goal(page, 'role/KeyAdmin can still change')).toHaveAttribute('aria-current', 'step');

  const payroll = await keyIdOf(page, 'alias/payroll');
  await actAs(page, 'role/KeyAdmin');
  await cli(page, `aws kms put-key-policy --key-id ${payroll} --policy-name default --policy '${policy(USE)}'`);
  await page.getByRole('dialog').getByRole('button', { name: /^It is accepted/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not quite.' })).toContainText('MalformedPolicyDocumentException');
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await expect(goal(page, 'See the safety check')).toContainText('✓ Met');
  await expect(page.getByTestId('lesson-calls')).toHaveText('1');

  await page.getByRole('button', { name: 'Reset lesson' }).click();
  await page.getByRole('group', { name: /Start this lesson over/ }).getByRole('button', { name: 'Reset' }).click();
  await expect(goal(page, 'See the safety check')).toContainText('Not yet');
  await expect(page.getByTestId('lesson-calls')).toHaveText('0');

  // Hints one at a time; the solution behind a confirm.
  await page.getByRole('button', { name: 'Show a hint (4 left)' }).click();
  await expect(page.getByRole('button', { name: 'Show a hint (3 left)' })).toBeVisible();
  await page.getByRole('button', { name: 'Show solution' }).click();
  await page.getByRole('button', { name: 'Show it' }).click();
  await expect(page.getByRole('region', { name: 'Reference solution' })).toContainText('PutKeyPolicy as role/KeyAdmin (expected to fail: MalformedPolicyDocumentException)');
});

test('axe in dark mode on a narrow screen: the lesson list, the lesson panel and the prediction dialog', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 820, height: 1180 });
  const serious = async (include?: string) => {
    const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
    const r = await (include ? builder.include(include) : builder).analyze();
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  };
  await page.goto('./');
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await expect(page.getByRole('button', { name: /^Open lesson 1:/ })).toBeVisible();
  expect(await serious('#panel-lessons')).toEqual([]);

  await page.getByRole('button', { name: 'Open lesson 3: Key policy lockout' }).click();
  await expect(page.getByRole('heading', { name: 'Key policy lockout', level: 2 })).toBeVisible();
  expect(await serious()).toEqual([]);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);

  const payroll = await keyIdOf(page, 'alias/payroll');
  await actAs(page, 'role/KeyAdmin');
  await cli(page, `aws kms put-key-policy --key-id ${payroll} --policy-name default --policy '${policy(USE)}'`);
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  // Escape does not dismiss it; Tab stays inside.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button').nth(1)).toBeFocused();
  expect(await serious()).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Your prediction was right.' })).toBeVisible();
});
