/**
 * Flow test of the key policy editor (issue 5): the editor is a lazily loaded chunk; JSON syntax
 * errors, a public statement, a removed root statement (lockout) are reported while typing; the
 * service refuses the lockout with MalformedPolicyDocumentException; a valid change saves and the
 * trail records PutKeyPolicy. Drafts survive switching keys; Cancel restores; Tab leaves the editor;
 * acting as a principal the stored policy does not let in, Save is announced and refused as denied.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const ACCOUNT = '111122223333';
const ROOT_STATEMENT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const APP_DECRYPT = { Sid: 'AppDecrypt', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` }, Action: 'kms:Decrypt', Resource: '*' };

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

const details = (page: Page) => page.getByRole('region', { name: /Key details/ });
const editor = (page: Page) => details(page).getByRole('textbox', { name: 'Key policy editor' });
const problems = (page: Page) => details(page).getByRole('list', { name: 'Policy problems' });
const findings = (page: Page) => details(page).getByRole('list', { name: 'Policy findings' });
const trailRows = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' }).getByRole('option');

/** Replaces the editor's whole text, as a paste would. */
async function setPolicy(page: Page, text: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

async function openOrders(page: Page): Promise<void> {
  await page.goto('./');
  const row = page.getByRole('table', { name: /Keys in this sandbox/ }).getByRole('row').filter({ hasText: 'alias/orders' });
  await row.getByRole('button', { name: /^Show key / }).click();
  await expect(details(page).getByRole('heading', { name: /alias\/orders/ })).toBeVisible();
}

test('the policy editor validates as you type, refuses a lockout and saves a valid change', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await openOrders(page);
  await expect(details(page).getByLabel('Key policy document')).toContainText(`arn:aws:iam::${ACCOUNT}:root`);
  expect(scripts.some((u) => u.includes('PolicyEditPane'))).toBe(false);

  await details(page).getByRole('button', { name: 'Edit policy' }).click();
  await expect(editor(page)).toBeVisible();
  expect(scripts.some((u) => u.includes('PolicyEditPane'))).toBe(true);
  await expect(findings(page)).toContainText('can still change this policy');

  // Broken JSON: a syntax error with its position.
  await setPolicy(page, '{\n  "Version": "2012-10-17",\n  "Statement": [\n}');
  await expect(problems(page)).toContainText('JSON:');
  await expect(problems(page)).toContainText(/\(line 4, column \d+\)/);
  await expect(details(page).getByText('Findings appear once the policy is valid.')).toBeVisible();

  // Principal "*" without a Condition.
  await setPolicy(page, policy(ROOT_STATEMENT, { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }));
  const publicFinding = findings(page).getByRole('listitem').filter({ hasText: 'Public access' });
  await expect(publicFinding).toContainText('anyone in any AWS account');
  // Its location button moves the cursor to the statement's Principal.
  await publicFinding.getByRole('button', { name: /^Go to statement "Everyone"/ }).click();
  await expect(editor(page)).toBeFocused();
  expect(await page.evaluate(() => window.getSelection()?.toString())).toBe('"Principal": "*"');

  // No root statement: the lockout is predicted, and the service refuses it.
  await setPolicy(page, policy(APP_DECRYPT));
  await expect(findings(page)).toContainText('No root statement');
  await expect(findings(page).getByRole('listitem').filter({ hasText: 'Lockout:' })).toContainText('could no longer call kms:PutKeyPolicy');
  await details(page).getByRole('button', { name: 'Save' }).click();
  const alert = details(page).getByRole('alert');
  await expect(alert).toContainText('MalformedPolicyDocumentException');
  await expect(alert).toContainText('The new key policy will not allow you to update the key policy in the future.');

  // A valid change: AppRole may Decrypt.
  await setPolicy(page, policy(ROOT_STATEMENT, APP_DECRYPT));
  await expect(problems(page)).toHaveCount(0);
  await expect(findings(page).getByRole('listitem')).toHaveCount(1);
  await expect(findings(page)).toContainText('can still change this policy');
  await details(page).getByRole('button', { name: 'Save' }).click();
  await expect(details(page).getByText('Key policy saved (PutKeyPolicy).')).toBeVisible();
  await expect(details(page).getByLabel('Key policy document')).toContainText(`arn:aws:iam::${ACCOUNT}:role/AppRole`);
  await expect(details(page).getByRole('button', { name: 'Edit policy' })).toBeFocused();

  const putRows = trailRows(page).filter({ hasText: 'PutKeyPolicy' });
  await expect(putRows).toHaveCount(2);
  await expect(putRows.filter({ hasText: 'MalformedPolicyDocumentException' })).toHaveCount(1);
  await expect(putRows.filter({ hasText: 'Success' })).toHaveCount(1);
});

test('Cancel restores the stored policy; a draft survives switching keys; Tab leaves the editor', async ({ page }) => {
  await openOrders(page);
  const stored = await details(page).getByLabel('Key policy document').textContent();
  await details(page).getByRole('button', { name: 'Edit policy' }).click();
  await setPolicy(page, '{ "draft": true ');
  await details(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(details(page).getByLabel('Key policy document')).toHaveText(stored!);

  // Tab moves on to Save: CodeMirror does not keep keyboard users in.
  await details(page).getByRole('button', { name: 'Edit policy' }).click();
  await editor(page).click();
  await page.keyboard.press('Tab');
  await expect(details(page).getByRole('button', { name: 'Save' })).toBeFocused();

  // An unsaved draft is kept while another key is shown, and offered back.
  await setPolicy(page, policy(ROOT_STATEMENT, { ...APP_DECRYPT, Sid: 'DraftMarker' }));
  const keys = page.getByRole('table', { name: /Keys in this sandbox/ });
  await keys.getByRole('row').filter({ hasText: 'Legacy reports key' }).getByRole('button', { name: /^Show key / }).click();
  await expect(details(page).getByRole('heading', { name: /alias\/orders/ })).toHaveCount(0);
  const note = details(page).getByRole('note');
  await expect(note).toContainText('Unsaved policy changes on other keys');
  await note.getByRole('button').click();
  await expect(details(page).getByRole('heading', { name: /alias\/orders/ })).toBeVisible();
  await expect(editor(page)).toContainText('DraftMarker');
});

test('acting as AppRole, the editor says Save will be refused, and PutKeyPolicy refuses it', async ({ page }) => {
  await openOrders(page);
  await page.getByRole('region', { name: 'Acting as' }).getByLabel('Principal').selectOption(`arn:aws:iam::${ACCOUNT}:role/AppRole`);
  await details(page).getByRole('button', { name: 'Edit policy' }).click();
  await expect(details(page).getByRole('note')).toContainText('Save will be refused with AccessDeniedException');
  await expect(findings(page)).toContainText('cannot change the stored policy');
  await details(page).getByRole('button', { name: 'Save' }).click();
  await expect(details(page).getByRole('alert')).toContainText('AccessDeniedException');
  await expect(details(page).getByRole('alert')).toContainText(`assumed-role/AppRole`);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: the policy editor with problems and findings has no serious or critical violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openOrders(page);
    await details(page).getByRole('button', { name: 'Edit policy' }).click();
    await setPolicy(page, policy(APP_DECRYPT, { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }));
    await expect(findings(page)).toContainText('Lockout:');
    await expect(findings(page)).toContainText('Public access');
    await details(page).getByRole('button', { name: 'Save' }).click();
    await expect(details(page).getByRole('alert')).toContainText('MalformedPolicyDocumentException');
    if (process.env.POLICY_SHOTS) await page.screenshot({ path: `/tmp/policy-${scheme}.png`, fullPage: true });
    const result = await new AxeBuilder({ page }).include('.policy-edit-pane').withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
    expect(serious).toEqual([]);
  });
}
