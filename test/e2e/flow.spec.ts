/**
 * The issue 5 golden path in one flow (STYLE §15: a few real flows): create a key with the form →
 * encrypt text with it → the animation shows that Encrypt's steps and the trail shows its rows
 * (CreateKey, CreateAlias, Encrypt) → decrypt it back. Role and label locators only.
 */
import { expect, test, type Page } from '@playwright/test';

const trailOptions = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' }).getByRole('option');

test('create a key, encrypt text with it, watch the animation and the trail, decrypt it back', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('button', { name: /^Show key / })).toHaveCount(3);

  // Create a key with an alias through the form.
  const create = page.getByRole('region', { name: 'Create key' });
  await create.getByRole('button', { name: 'Create key…' }).click();
  await create.getByLabel(/^Alias/).fill('golden-path');
  await create.getByLabel(/^Description/).fill('Golden path key');
  await create.getByRole('button', { name: 'Create key', exact: true }).click();
  await expect(page.getByRole('button', { name: /^Show key / })).toHaveCount(4);
  await expect(trailOptions(page).filter({ hasText: 'CreateKey' }).first()).toBeVisible();

  // Encrypt text with the new key.
  const form = page.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form.getByLabel('KeyId').selectOption('alias/golden-path');
  await form.getByLabel('Plaintext', { exact: true }).fill('the golden path');
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
  const blob = form.getByLabel(/^CiphertextBlob/);
  await expect(blob).not.toHaveValue('');

  // The animation follows the newest call: the Encrypt on the new key, step by step.
  const animation = page.getByRole('region', { name: 'Animation' });
  await expect(animation.getByText('Encrypt: 5 steps')).toBeVisible();
  await animation.getByRole('button', { name: 'First step' }).click();
  const current = animation.getByRole('status', { name: 'Current step' });
  await expect(current).toContainText('Step 1 of 5: Encrypt request');
  await expect(current).toContainText('alias/golden-path');
  for (let step = 2; step <= 5; step++) {
    await animation.getByRole('button', { name: 'Step forward' }).click();
    await expect(current).toContainText(`Step ${step} of 5`);
  }
  await expect(current).toContainText('KMS returns the CiphertextBlob to the application');

  // The trail has the Encrypt on top (newest first), selected by the animation, with its JSON.
  await expect(trailOptions(page).first()).toContainText('Encrypt');
  await expect(trailOptions(page).first()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('"eventName": "Encrypt"').first()).toBeVisible();

  // Decrypt it back.
  await form.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await expect(form.getByLabel('Decrypted plaintext')).toHaveText('the golden path');
  await expect(trailOptions(page).first()).toContainText('Decrypt');
  await expect(animation.getByText(/^Decrypt: \d+ steps$/)).toBeVisible();
});
