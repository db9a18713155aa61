/**
 * Flow tests of issue 8's Load & cost tab: a load above the quota throttles (the plot, the totals
 * and the line saying what was executed for real and what was counted in bulk), a background
 * workload throttles the sandbox's own call until stopped, data-key caching saves requests (each
 * miss a GenerateDataKey in the trail) and shows the blast radius, and the cost section shows the
 * trail's total, the plot, and edited prices that survive a reload. Role and label locators only.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { typeCli } from './cli';

const tab = (page: Page) => page.getByRole('region', { name: 'Load & cost', exact: true });
const trailItems = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' }).getByRole('option');

/** Records in the learner's trail (the trail panel's "n of N events"; its list is windowed). */
async function trailTotal(page: Page): Promise<number> {
  return Number(/of (\d+) events?/.exec(await page.getByRole('status', { name: 'CloudTrail events shown' }).innerText())![1]);
}

async function openTab(page: Page): Promise<void> {
  await page.goto('./');
  await expect(trailItems(page).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Load & cost' }).click();
  await expect(tab(page).getByRole('heading', { name: 'Load generator' })).toBeVisible();
}

/** Serious and critical axe findings (WCAG 2 A and AA) inside the tab. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('#panel-load').withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
}

test('a load above the quota throttles: plot, totals, and what was executed vs counted', async ({ page }) => {
  await openTab(page);
  const t = tab(page);
  const form = t.getByRole('form', { name: 'Load generator' });
  await expect(t.getByText('Request quotas in us-east-1 (account 111122223333)')).toBeVisible();
  await expect(form.getByLabel('KMS key')).toHaveValue('alias/orders');
  const total = await trailTotal(page);

  await form.getByLabel('Requests per second').fill('150,000');
  await form.getByLabel('Sandbox seconds').fill('5');
  await form.getByRole('button', { name: 'Run load' }).click();

  const result = t.getByRole('region', { name: 'Load run result' });
  await expect(result.getByRole('note')).toContainText(/^Executed for real: \d+ calls? \(\d+ succeeded.*\) through the KMS service on a copy of your sandbox.*; counted in bulk: [\d,]+ KMS requests against the quota/);
  await expect(result.getByRole('img', { name: /KMS requests per sandbox second, quota 100k\/s/ })).toBeVisible();
  const totals = result.getByRole('definition');
  await expect(result.getByRole('term').nth(3)).toHaveText('Throttled (ThrottlingException)');
  // 150,000/s against 100,000/s: a third of every second is throttled at first.
  await expect(totals.nth(3)).not.toHaveText('0');
  await expect(result.getByRole('term').first()).toHaveText('Offered requests');
  await expect(totals.first()).toHaveText('750,000');
  // The learner's trail did not get the run's calls.
  expect(await trailTotal(page)).toBe(total);
  expect(await axeProblems(page)).toEqual([]);

  await expect(form.getByRole('button', { name: 'Run load' })).not.toHaveAttribute('aria-disabled');
});

test('through S3, Bucket Keys cut the KMS requests below the quota', async ({ page }) => {
  await openTab(page);
  await page.getByRole('tab', { name: 'Services' }).click();
  const create = page.getByRole('form', { name: 'Create bucket' });
  await create.getByLabel('Bucket name').fill('ingest-data');
  await create.getByRole('button', { name: 'CreateBucket' }).click();
  await page.getByRole('tab', { name: 'Load & cost' }).click();

  const form = tab(page).getByRole('form', { name: 'Load generator' });
  await form.getByRole('radio', { name: /Amazon S3/ }).check();
  await form.getByLabel('Bucket', { exact: true }).selectOption('ingest-data');
  await form.getByLabel('Requests per second').fill('150000');
  await form.getByLabel('Sandbox seconds').fill('5');
  await form.getByRole('button', { name: 'Run load' }).click();
  const terms = tab(page).getByRole('region', { name: 'Load run result' }).getByRole('definition');
  await expect(terms.nth(3)).not.toHaveText('0'); // without Bucket Keys: one KMS request per object, throttled

  await form.getByLabel('S3 Bucket Keys').check();
  await form.getByRole('button', { name: 'Run load' }).click();
  // One bucket key per 100 objects (src/services/s3Model.ts): 1,500 KMS requests/s, 7,500 in all, none throttled.
  await expect(terms.nth(1)).toHaveText('7,500');
  await expect(terms.nth(3)).toHaveText('0');
});

test('a background workload throttles the sandbox’s own call until it is stopped', async ({ page }) => {
  await openTab(page);
  const form = tab(page).getByRole('form', { name: 'Load generator' });
  await form.getByLabel('Requests per second').fill('200000');
  await form.getByLabel('Sandbox seconds').fill('3600');
  await form.getByLabel(/Workload label/).fill('nightly ingest');
  await form.getByRole('button', { name: 'Start as background workload' }).click();
  await expect(tab(page).getByRole('status').filter({ hasText: 'Started “nightly ingest”' })).toBeVisible();
  const row = tab(page).getByRole('row').filter({ hasText: 'nightly ingest' });
  await expect(row).toContainText('running until');

  await typeCli(page, 'aws kms generate-random --number-of-bytes 8');
  const log = page.getByRole('region', { name: 'AWS CLI console' }).getByRole('log', { name: 'Console output' });
  await expect(log).toContainText('ThrottlingException');

  await page.getByRole('tab', { name: 'Load & cost' }).click();
  await row.getByRole('button', { name: 'Stop nightly ingest' }).click();
  await expect(tab(page).getByRole('row').filter({ hasText: 'nightly ingest' })).toHaveCount(0);
  await typeCli(page, 'aws kms generate-random --number-of-bytes 8 --output text');
  await expect(log).toContainText(/--output text\s+[A-Za-z0-9+/]{11}=/);
});

test('data-key caching saves requests and shows the blast radius of each data key', async ({ page }) => {
  await openTab(page);
  const form = tab(page).getByRole('form', { name: 'Data-key caching' });
  const before = await trailTotal(page);
  await form.getByLabel('Max messages encrypted').fill('5');
  await form.getByLabel(/^Messages/).fill('20');
  await form.getByRole('button', { name: 'Encrypt 20 messages' }).click();
  // 4 data keys for 20 messages (5 each): 4 GenerateDataKey, then 4 Decrypt for the 20 decryptions (one per encrypted data key).
  await expect(tab(page).getByRole('status').filter({ hasText: 'Requests saved' })).toContainText('Requests saved: 32 of 40 — 8 KMS calls instead of 40 for 20 messages encrypted and 20 decrypted');
  const radius = tab(page).getByRole('region', { name: 'Data keys and their blast radius' });
  await expect(radius.getByRole('row')).toHaveCount(5); // header + 4 data keys
  await expect(radius.getByRole('row').nth(1)).toContainText('retired: max messages reached');
  await expect(tab(page).getByText('One leaked data key exposes up to 5 messages (20 KiB)')).toBeVisible();
  await expect(tab(page).getByText(/no CloudTrail record per message/)).toBeVisible();
  // Each miss is a real KMS call in the learner's trail; hits are not.
  await expect(page.getByRole('status', { name: 'CloudTrail events shown' })).toContainText(`of ${before + 8} events`);
});

test('cost: the trail so far, the plot, and edited prices that survive a reload', async ({ page }) => {
  await openTab(page);
  const t = tab(page);
  const trail = t.getByRole('table', { name: 'Cost of the trail so far' });
  await expect(trail.getByRole('row', { name: /Total/ })).toContainText(/\$\d+\.\d{2,4}/);
  await expect(trail).toContainText('Customer managed keys');
  await expect(t.getByRole('img', { name: 'Monthly KMS cost against request rate' })).toBeVisible();
  await expect(t.getByRole('status').filter({ hasText: /^At 5,000 requests\/s: / })).toContainText('with caching');
  // An invalid cache limit is said outside the collapsed section too.
  const limitsSummary = t.getByText('Cache limits of the “with caching” line', { exact: true });
  const costLimits = t.getByRole('group').filter({ has: page.getByText('Cache limits of the “with caching” line', { exact: true }) });
  await limitsSummary.click();
  await costLimits.getByLabel('Max age (ms)').fill('0');
  await limitsSummary.click();
  await expect(t.getByText(/^Cache limits of the “with caching” line: Max age/)).toBeVisible();
  await limitsSummary.click();
  await costLimits.getByLabel('Max age (ms)').fill('300000');
  await expect(t.getByText(/^Cache limits of the “with caching” line: /)).toHaveCount(0);

  await t.getByText(/^Prices \(us-east-1, USD\)/).click();
  const prices = t.getByRole('form', { name: 'Price table' });
  await expect(prices.getByText('(unverified)').first()).toBeVisible();
  await expect(t.getByRole('link', { name: 'https://aws.amazon.com/kms/pricing/' })).toBeVisible();
  await prices.getByLabel('symmetric per 10k', { exact: true }).fill('-1');
  await prices.getByRole('button', { name: 'Save prices' }).click();
  await expect(prices.getByRole('alert')).toContainText('symmetricPer10k must be a non-negative number.');
  await prices.getByLabel('symmetric per 10k', { exact: true }).fill('0.06');
  await prices.getByRole('button', { name: 'Save prices' }).click();
  await expect(prices.getByRole('status')).toHaveText('Prices saved in this browser.');
  expect(await axeProblems(page)).toEqual([]);

  await page.reload();
  await page.getByRole('tab', { name: 'Load & cost' }).click();
  await tab(page).getByText(/^Prices \(us-east-1, USD\) — your edits/).click();
  await expect(tab(page).getByRole('form', { name: 'Price table' }).getByLabel('symmetric per 10k', { exact: true })).toHaveValue('0.06');
  await tab(page).getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(tab(page).getByRole('form', { name: 'Price table' }).getByLabel('symmetric per 10k', { exact: true })).toHaveValue('0.03');
});
