/**
 * The envelope-encryption animation and the key lifecycle diagram (issue 5): an Encrypt made
 * through the form is animated step by step (stepped with the keyboard, each step narrated), the
 * seed's denied call by alice stops at authorization with its reason, reduced motion gives a
 * narration list instead of motion, and the diagram highlights the pending-deletion key's state.
 * Role and label locators (STYLE §15); the D3 stage is checked through its classes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

const panelOf = (page: Page) => page.getByRole('region', { name: 'Animation' });
const currentStep = (panel: Locator) => panel.getByRole('status', { name: 'Current step' });

async function encryptThroughForm(page: Page, text: string): Promise<void> {
  const form = page.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form.getByLabel('Plaintext', { exact: true }).fill(text);
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
}

test('an Encrypt made through the form is animated step by step, by keyboard', async ({ page }) => {
  await page.goto('./');
  const panel = panelOf(page);
  // The newest seeded call is shown before anything happens.
  await expect(panel.getByText(/^ScheduleKeyDeletion: 4 steps$/)).toBeVisible();

  await encryptThroughForm(page, 'hello animation');
  await expect(panel.getByText('Encrypt: 5 steps')).toBeVisible();
  // The D3 stage was loaded lazily and draws the four actors.
  await expect(panel.locator('svg.envelope-stage .actor-label')).toHaveText(['Application', 'KMS front end', 'HSM boundary', 'Storage']);

  await panel.getByRole('button', { name: 'First step' }).click();
  await expect(panel.getByRole('button', { name: 'Play' })).toBeVisible();
  const expected: [string, string | RegExp][] = [
    ['Step 1 of 5: Encrypt request', /The application calls Encrypt on key alias\/orders with up to 4 KB of plaintext\./],
    ['Step 2 of 5: Authorization (kms:Encrypt)', /allowed by statement "Enable IAM User Permissions" of the key policy/],
    ['Step 3 of 5: Material version', /current material version 1 \(original\), id [0-9a-f]{8}…/],
    ['Step 4 of 5: Encrypted in the HSM', 'Inside the HSM the plaintext is encrypted under the key material with AES-256-GCM'],
    ['Step 5 of 5: Encrypt response', 'KMS returns the CiphertextBlob to the application'],
  ];
  const forward = panel.getByRole('button', { name: 'Step forward' });
  const actors = ['KMS front end', 'KMS front end', 'HSM boundary', 'HSM boundary', 'Application'];
  for (const [i, [title, narration]] of expected.entries()) {
    if (i > 0) {
      await forward.focus();
      await page.keyboard.press('Enter');
    }
    await expect(currentStep(panel)).toContainText(title);
    await expect(currentStep(panel)).toContainText(narration);
    await expect(panel.locator('svg.envelope-stage .actor.active .actor-label')).toHaveText(actors[i]!);
  }
  await expect(forward).toBeDisabled();
  await panel.getByRole('button', { name: 'Step back' }).press('Enter');
  await expect(currentStep(panel)).toContainText('Step 4 of 5');
  // Speed is a labelled control.
  await panel.getByLabel('Speed').selectOption('2');
  await expect(panel.getByLabel('Speed')).toHaveValue('2');
});

test("alice's denied Encrypt from the seed animates up to authorization, with the reason", async ({ page }) => {
  await page.goto('./');
  const panel = panelOf(page);
  const picker = panel.getByLabel('Call to animate');
  const denied = picker.locator('option', { hasText: 'AccessDeniedException' });
  await expect(denied).toHaveCount(1);
  await picker.selectOption((await denied.getAttribute('value'))!);
  await expect(panel.getByText('Encrypt — failed: 2 steps')).toBeVisible();

  await panel.getByRole('button', { name: 'First step' }).click();
  await expect(currentStep(panel)).toContainText('Step 1 of 2: Encrypt request');
  await panel.getByRole('button', { name: 'Step forward' }).press('Enter');
  await expect(currentStep(panel)).toContainText('Step 2 of 2: Authorization (kms:Encrypt)');
  await expect(currentStep(panel)).toContainText('It fails with AccessDeniedException: User: arn:aws:iam::111122223333:user/alice is not authorized');
  await expect(currentStep(panel)).toContainText('no identity policy of arn:aws:iam::111122223333:user/alice allows it');
  await expect(panel.getByRole('button', { name: 'Step forward' })).toBeDisabled();
  await expect(panel.locator('svg.envelope-stage .actor.failed .actor-label')).toHaveText('KMS front end');
});

test('with reduced motion the steps are narrated as a list instead of animated', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('./');
  await encryptThroughForm(page, 'no motion please');
  const panel = panelOf(page);
  await expect(panel.getByText('Encrypt: 5 steps (reduced motion: narrated as text)')).toBeVisible();
  const list = panel.getByRole('list', { name: 'Narration' });
  await expect(list.getByRole('listitem')).toHaveCount(5);
  await expect(list.getByRole('listitem').nth(1)).toContainText('Authorization (kms:Encrypt)');
  await expect(list.getByRole('listitem').nth(4)).toContainText('KMS returns the CiphertextBlob');
  await expect(panel.locator('svg.envelope-stage')).toHaveCount(0);
  // Nothing plays by itself; stepping moves the current item.
  await expect(currentStep(panel)).toContainText('Step 1 of 5');
  await panel.getByRole('button', { name: 'Step forward' }).press('Enter');
  await expect(list.locator('li[aria-current="step"]')).toContainText('Authorization (kms:Encrypt)');
});

test('the lifecycle diagram highlights PendingDeletion for the seeded pending-deletion key', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('row').filter({ hasText: 'PendingDeletion' }).getByRole('button', { name: /^Show key / }).click();
  const diagram = page.getByRole('img', { name: /Key lifecycle/ });
  await expect(diagram).toBeVisible();
  await expect(diagram.locator('g.node.current')).toHaveAttribute('data-state', 'PendingDeletion');
  await expect(diagram.locator('g.node')).toHaveCount(9);
  const figure = page.getByRole('figure').filter({ has: diagram });
  await expect(figure).toContainText('Current state: PendingDeletion');
  await expect(figure.getByRole('listitem')).toHaveText(['CancelKeyDeletion → Disabled', 'DeletionWindowElapsed → Deleted']);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical problem in the animation and the diagram (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto('./');
    const panel = panelOf(page);
    const picker = panel.getByLabel('Call to animate');
    await picker.selectOption((await picker.locator('option', { hasText: 'AccessDeniedException' }).getAttribute('value'))!);
    await panel.getByRole('button', { name: 'First step' }).click();
    await panel.getByRole('button', { name: 'Step forward' }).click();
    await expect(panel.locator('svg.envelope-stage .actor.failed')).toHaveCount(1);
    await panel.getByText('All steps as text').click();
    await page.getByRole('row').filter({ hasText: 'PendingDeletion' }).getByRole('button', { name: /^Show key / }).click();
    await expect(page.getByRole('img', { name: /Key lifecycle/ })).toBeVisible();
    const result = await new AxeBuilder({ page })
      .include('section[aria-labelledby="animation-heading"]')
      .include('figure.lifecycle')
      .withTags(['wcag2a', 'wcag2aa'])
      .analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}
