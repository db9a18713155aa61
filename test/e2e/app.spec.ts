/**
 * Flow test of the app shell (issue 2): a newcomer gets a ready sandbox, can round-trip
 * Encrypt/Decrypt through the form, and a reload gives back the same sandbox (not a new seed).
 * Role and label locators only (STYLE §15).
 */
import { expect, test, type Page } from '@playwright/test';

const DAY_MS = 86_400_000;
/** Calls the seed makes (src/ui/seed.ts), one CloudTrail record each, including the failing Encrypt. */
const SEED_CALLS = 13;

const keyButtons = (page: Page) => page.getByRole('button', { name: /^Show key / });
const trailItems = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' }).getByRole('option');

async function sandboxTime(page: Page): Promise<number> {
  const iso = await page.getByRole('region', { name: 'Sandbox clock' }).locator('time').getAttribute('datetime');
  expect(iso).not.toBeNull();
  return Date.parse(iso!);
}

test('a newcomer sees a ready sandbox, encrypts and decrypts, and a reload keeps everything', async ({ page }) => {
  await page.goto('./');

  // The seeded sandbox: three keys, alias/orders, a trail with a DisabledException.
  await expect(page.getByRole('heading', { name: 'KMS Playground', level: 1 })).toBeVisible();
  const keys = page.getByRole('table', { name: /Keys in this sandbox/ });
  await expect(keys.getByRole('cell', { name: 'alias/orders' })).toBeVisible();
  await expect(keyButtons(page)).toHaveCount(3);
  await expect(keys.getByText('PendingDeletion')).toBeVisible();
  await expect(keys.getByText('Disabled', { exact: true })).toBeVisible();
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  const failure = trailItems(page).filter({ hasText: 'DisabledException' });
  await expect(failure).toHaveCount(1);

  // A denied call keeps its reason (the "why").
  const denied = trailItems(page).filter({ hasText: 'AccessDeniedException' });
  await expect(denied).toHaveCount(1);
  await denied.getByText('AccessDeniedException').first().click();
  await expect(page.getByRole('region', { name: 'Why' })).toContainText('no identity policy of arn:aws:iam::111122223333:user/alice allows it');

  // A trail row expands to its full CloudTrail record.
  await failure.getByText('DisabledException').first().click();
  await expect(page.getByLabel('CloudTrail record of Encrypt')).toContainText('"eventSource": "kms.amazonaws.com"');

  // Key details of the selected key (the first one: Orders service data key).
  const details = page.getByRole('region', { name: /Key details/ });
  await expect(details.getByText('Orders service data key')).toBeVisible();
  await expect(details.getByLabel('Key policy document')).toContainText('"Statement"');

  // Encrypt then decrypt a text through the form.
  const form = page.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form.getByLabel('Plaintext').fill('attack at dawn ☕');
  await form.getByRole('button', { name: 'Encrypt' }).click();
  const blob = form.getByLabel(/CiphertextBlob/);
  await expect(blob).not.toHaveValue('');
  expect(await blob.inputValue()).toMatch(/^[A-Za-z0-9+/]+=*$/);
  await form.getByRole('button', { name: 'Decrypt' }).click();
  await expect(form.getByLabel('Decrypted plaintext')).toHaveText('attack at dawn ☕');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 2);

  // A wrong encryption context is refused as AWS refuses it.
  await form.getByRole('button', { name: 'Add context pair' }).click();
  await form.getByLabel('Context key 1').fill('purpose');
  await form.getByLabel('Context value 1').fill('other');
  await form.getByRole('button', { name: 'Decrypt' }).click();
  await expect(form.getByRole('alert')).toContainText('InvalidCiphertextException');
  await form.getByRole('button', { name: 'Remove context pair 1' }).click();

  // Thirty days later the 7-day deletion has completed (a DeleteKey service event).
  const before = await sandboxTime(page);
  await page.getByRole('button', { name: '+30 days' }).click();
  await expect(keyButtons(page)).toHaveCount(2);
  const after = await sandboxTime(page);
  expect(after - before).toBeGreaterThanOrEqual(30 * DAY_MS);
  const trailLength = await trailItems(page).count();
  expect(trailLength).toBeGreaterThan(SEED_CALLS + 3);
  await expect(trailItems(page).filter({ hasText: 'DeleteKey' })).toHaveCount(1);

  // Reload: same keys, same trail, same sandbox time (not reseeded).
  const keyIds = await keyButtons(page).allInnerTexts();
  await page.reload();
  await expect(keyButtons(page)).toHaveCount(2);
  expect(await keyButtons(page).allInnerTexts()).toEqual(keyIds);
  await expect(trailItems(page)).toHaveCount(trailLength);
  const reloaded = await sandboxTime(page);
  expect(reloaded - after).toBeGreaterThanOrEqual(0);
  expect(reloaded - after).toBeLessThan(60_000);
});

test('the layout works at a narrow width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('./');
  await expect(page.getByRole('table', { name: /Keys in this sandbox/ }).getByRole('cell', { name: 'alias/orders' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a stored sandbox the app refuses is shown with its reason and never deleted', async ({ page }) => {
  // A database this build cannot use: an IndexedDB version above its own, without its tables.
  await page.goto('./favicon.svg');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('kms-playground', 9999);
        req.onsuccess = () => {
          req.result.close();
          resolve();
        };
        req.onerror = () => reject(req.error);
      }),
  );

  await page.goto('./');
  const panel = page.getByRole('alert');
  const heading = panel.getByRole('heading', { name: /^The stored sandbox (was refused|could not be read)/ });
  await expect(heading).toBeVisible();
  await expect(panel.locator('code').first()).toHaveText(/^(storage-failed|version-too-new|unknown-format)$/);

  // Declining the confirmation changes nothing; accepting starts a new sandbox beside the old one.
  page.once('dialog', (d) => d.dismiss());
  await panel.getByRole('button', { name: /Start a new sandbox/ }).click();
  await expect(heading).toBeVisible();
  page.once('dialog', (d) => d.accept());
  await panel.getByRole('button', { name: /Start a new sandbox/ }).click();
  await expect(page.getByRole('table', { name: /Keys in this sandbox/ }).getByRole('cell', { name: 'alias/orders' })).toBeVisible();
  const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(names).toContain('kms-playground');
  expect(names.length).toBe(2);
});
