/**
 * Flow test of the share link (issue 6): a ciphertext made, "Share…", the link opened in a NEW
 * browser context → confirm → the same trail rows, and the old ciphertext decrypts there; hostile
 * links (markup in every string, bad base64, `__proto__`, a too-new version) run no script and leave
 * the own sandbox intact; "Undo last call" removes the last call's trail row; the timeline previews
 * a step read-only and goes back to now. Role and label locators only.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { runCli as cli } from './cli';
import { existsSync, readFileSync } from 'node:fs';
import { createKmsService, createSeededRandom, webCryptoBackend } from '../../src/kms';
import { createMemoryRepository } from '../../src/kms/store';
import { loadLesson, runAntiSolution, runSolution, type SandboxFactory } from '../../src/lessons';
import { encodeFragment, encodeShare } from '../../src/share';
import { toTrailRecord } from '../../src/trail';
import { proofEnvelope } from '../../src/ui/share/proof';

/** Calls the seed makes (src/ui/seed.ts), one CloudTrail record each. */
const SEED_CALLS = 13;
/** A base64 blob as the console prints it with --output text. */
const BLOB = /[A-Za-z0-9+/]{80,}={0,2}/;
const trailItems = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' }).getByRole('option');

/** Opens "Share…", checks what it says, and returns the link (Escape closes the dialog). */
async function shareLinkOf(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this sandbox' });
  await expect(dialog).toContainText('Anyone with this link can rebuild this sandbox, including its simulated key material');
  await expect(dialog.getByRole('checkbox', { name: 'Include my inputs' })).not.toBeChecked();
  const box = dialog.getByRole('textbox', { name: 'Share link' });
  await expect(box).toHaveValue(/#sandbox=1\./);
  const link = await box.inputValue();
  await expect(dialog).toContainText(`Length: ${link.length.toLocaleString('en-US')} characters`);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  return link;
}

/** A page in a fresh browser context that records JS dialogs, page errors and console errors. */
async function watchedPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, dialogs, errors };
}

test('a shared link opens in a new browser context as a new sandbox: same trail, the old ciphertext decrypts', async ({ page, browser }) => {
  await page.goto('./');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  const out = await cli(page, 'aws kms encrypt --key-id alias/orders --plaintext aGVsbG8gc2hhcmU= --output text --query CiphertextBlob', BLOB);
  const blob = out.match(BLOB)![0];
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);
  const rows = await trailItems(page).allInnerTexts();
  const link = await shareLinkOf(page);

  const other = await watchedPage(browser);
  await other.page.goto(link);
  const ask = other.page.getByRole('dialog', { name: 'Open a shared sandbox?' });
  await expect(ask).toContainText(`Open the shared sandbox (${SEED_CALLS + 1} calls)? Your own sandbox stays in this browser.`);
  await ask.getByRole('button', { name: 'Open shared sandbox' }).click();
  await expect(ask).toBeHidden();
  await expect(trailItems(other.page)).toHaveCount(SEED_CALLS + 1);
  expect(await trailItems(other.page).allInnerTexts()).toEqual(rows);
  expect(new URL(other.page.url()).hash).toBe('');
  await expect(other.page.getByRole('note').filter({ hasText: 'You are in a shared sandbox' })).toBeVisible();
  await cli(other.page, `aws kms decrypt --ciphertext-blob ${blob} --output text --query Plaintext`, 'aGVsbG8gc2hhcmU=');
  expect(other.dialogs).toEqual([]);
  await other.context.close();
});

test('hostile links run no script and leave the own sandbox intact', async ({ browser }) => {
  const { context, page, dialogs, errors } = await watchedPage(browser);
  await page.goto('./');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  const markup = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  await cli(page, `aws kms create-key --description "${markup}"`, /KeyMetadata/);
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);
  const link = await shareLinkOf(page);
  const base = new URL('./', page.url()).href;

  // Refused links: a dialog with the typed reason; nothing ran, the own sandbox is unchanged.
  const hostile: [string, string][] = [
    ['1.@@@<script>alert(3)</script>', 'bad-base64'],
    // Truncated at a whole base64 quantum, so the base64 is fine and the gzip stream is cut off.
    [`1.${link.split('#sandbox=1.')[1]!.slice(0, 200)}`, 'decompress-failed'],
    [await encodeFragment(JSON.parse('{"format":"kms-playground","formatVersion":1,"__proto__":{"x":"<b>1</b>"}}')), 'forbidden-key'],
    [await encodeFragment({ format: 'kms-playground', formatVersion: 99, seed: '<script>alert(4)</script>' }), 'version-too-new'],
  ];
  for (const [fragment, reason] of hostile) {
    await page.evaluate((f) => (location.hash = `sandbox=${f}`), fragment);
    const refused = page.getByRole('dialog', { name: /was refused/ });
    await expect(refused).toContainText(reason);
    await expect(refused).toContainText('Your own sandbox is untouched');
    await refused.getByRole('button', { name: 'OK' }).click();
    await expect(refused).toBeHidden();
    await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);
  }
  // A refused link on load: refused before the own sandbox opens, which then opens unchanged.
  await page.goto(`${base}#sandbox=1.AAAA!!`);
  await expect(page.getByRole('dialog', { name: /was refused/ })).toContainText('bad-base64');
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);

  // Markup in the shared strings is shown as text in a new context; no script runs there either.
  const other = await watchedPage(browser);
  await other.page.goto(link);
  await other.page.getByRole('dialog', { name: 'Open a shared sandbox?' }).getByRole('button', { name: 'Open shared sandbox' }).click();
  await expect(trailItems(other.page)).toHaveCount(SEED_CALLS + 1);
  await expect(other.page.getByText(markup).first()).toBeVisible();
  expect(await other.page.locator('img[src="x"]').count()).toBe(0);

  expect(dialogs).toEqual([]);
  expect(other.dialogs).toEqual([]);
  expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  expect(other.errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  await other.context.close();
  await context.close();
});

test('undo removes the last call; the timeline previews a step read-only and comes back', async ({ page }) => {
  await page.goto('./');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  await cli(page, 'aws kms encrypt --key-id alias/orders --plaintext dW5kbyBtZQ== --output text --query CiphertextBlob', BLOB);
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Undo last call' }).click();
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  await page.reload();
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);

  await page.getByRole('button', { name: 'Timeline' }).click();
  const history = page.getByRole('region', { name: 'Sandbox history' });
  await history.getByRole('slider', { name: 'Timeline' }).fill('3');
  await expect(history.getByRole('status')).toContainText('After entry 3 of');
  await expect(history.getByRole('status')).toContainText('preview, read-only');
  await expect(trailItems(page)).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Undo last call' })).toBeDisabled();
  await history.getByRole('button', { name: 'Back to now' }).click();
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
});

test('the own sandbox stays: "Keep my sandbox", or open the shared one and go back; export and import a file', async ({ page, browser }) => {
  // The sender: a sandbox with one more call, shared as a link and as a file.
  const sender = await watchedPage(browser);
  await sender.page.goto('./');
  await expect(trailItems(sender.page)).toHaveCount(SEED_CALLS);
  await cli(sender.page, 'aws kms encrypt --key-id alias/orders --plaintext c2VudA== --output text --query CiphertextBlob', BLOB);
  await expect(trailItems(sender.page)).toHaveCount(SEED_CALLS + 1);
  const link = await shareLinkOf(sender.page);
  await sender.page.getByRole('button', { name: 'Share…' }).click();
  const shareDialog = sender.page.getByRole('dialog', { name: 'Share this sandbox' });
  // Focus stays in the dialog: Shift+Tab from its first control wraps to its last.
  await shareDialog.getByRole('button', { name: 'Close' }).focus();
  await sender.page.keyboard.press('Shift+Tab');
  expect(await shareDialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  // "Include my inputs" changes the link (the typed plaintexts go in).
  const box = shareDialog.getByRole('textbox', { name: 'Share link' });
  await shareDialog.getByRole('checkbox', { name: 'Include my inputs' }).check();
  await expect(box).not.toHaveValue(link);
  await expect(shareDialog).toContainText('Your typed plaintexts, S3 object bodies and secret values are in the link.');
  // No serious or critical accessibility violation in the dialog.
  const axe = await new AxeBuilder({ page: sender.page }).include('dialog[open]').withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  const downloading = sender.page.waitForEvent('download');
  await shareDialog.getByRole('button', { name: 'Export sandbox file' }).click();
  const file = await (await downloading).path();
  expect(sender.dialogs).toEqual([]);

  // The recipient has a sandbox of their own, with a call the sender's has not.
  await page.goto('./');
  await expect(trailItems(page)).toHaveCount(SEED_CALLS);
  await cli(page, 'aws kms list-keys', /KeyId/);
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);
  const own = await trailItems(page).allInnerTexts();

  // "Keep my sandbox": nothing changes, the fragment is cleared.
  await page.goto(link);
  const ask = page.getByRole('dialog', { name: 'Open a shared sandbox?' });
  await ask.getByRole('button', { name: 'Keep my sandbox' }).click();
  await expect(ask).toBeHidden();
  expect(await trailItems(page).allInnerTexts()).toEqual(own);
  expect(new URL(page.url()).hash).toBe('');

  // Open it, then go back to the own sandbox, unchanged.
  await page.goto(link);
  await page.getByRole('dialog', { name: 'Open a shared sandbox?' }).getByRole('button', { name: 'Open shared sandbox' }).click();
  await expect(trailItems(page).filter({ hasText: 'ListKeys' })).toHaveCount(0);
  await expect(trailItems(page)).toHaveCount(SEED_CALLS + 1);
  await page.getByRole('button', { name: 'Back to my sandbox' }).click();
  await expect(trailItems(page).filter({ hasText: 'ListKeys' })).toHaveCount(1);
  expect(await trailItems(page).allInnerTexts()).toEqual(own);

  // The exported file, imported: asked first, then opened as another sandbox of its own.
  await page.getByRole('button', { name: 'Share…' }).click();
  await page.getByRole('dialog', { name: 'Share this sandbox' }).getByLabel('Import sandbox file', { exact: true }).setInputFiles(file);
  const fromFile = page.getByRole('dialog', { name: 'Open a shared sandbox?' });
  await expect(fromFile).toContainText(`(${SEED_CALLS + 1} calls)`);
  await expect(fromFile).toContainText('The sender included their typed inputs.');
  await fromFile.getByRole('button', { name: 'Open shared sandbox' }).click();
  await expect(trailItems(page).filter({ hasText: 'ListKeys' })).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Your sandboxes' }).getByRole('option')).toHaveCount(3);

  // The same file dropped on the drop zone: asked first; keeping the current sandbox changes nothing.
  await page.getByRole('button', { name: 'Share…' }).click();
  const zone = page.getByRole('dialog', { name: 'Share this sandbox' }).getByRole('group', { name: 'Sandbox file drop zone' });
  const dropped = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.kms-sandbox.json', { type: 'application/json' }));
    return dt;
  }, readFileSync(file, 'utf8'));
  await zone.dispatchEvent('drop', { dataTransfer: dropped });
  const fromDrop = page.getByRole('dialog', { name: 'Open a shared sandbox?' });
  await expect(fromDrop).toContainText(`(${SEED_CALLS + 1} calls)`);
  await fromDrop.getByRole('button', { name: 'Keep my sandbox' }).click();
  await expect(fromDrop).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Your sandboxes' }).getByRole('option')).toHaveCount(3);
  await sender.context.close();
});

/** The files of a lesson folder (as the unit tests' lessonFiles, without __dirname). */
function lessonFiles(path: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of ['index.md', 'start.json', 'goal.json', 'solution.json']) {
    const p = new URL(`../../lessons/${path}/${f}`, import.meta.url);
    if (existsSync(p)) files[f] = readFileSync(p, 'utf8');
  }
  return files;
}

/** In-memory lesson sandboxes with a fixed clock (as the unit tests' memoryFactory). */
const memoryFactory: SandboxFactory = async ({ seed, now, records }) => {
  const repository = createMemoryRepository(records ?? []);
  const service = await createKmsService({ repository, clock: { now: () => now }, random: createSeededRandom(seed), crypto: webCryptoBackend, recordTrail: toTrailRecord });
  return { service, repository };
};

test('a proof link shows "verified" only when the lesson\'s goals hold on the replay', async ({ page }) => {
  const path = '02-access/03-key-policy-lockout';
  const loaded = loadLesson(lessonFiles(path), path);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const link = async (run: typeof runSolution) => {
    const { session } = await run(loaded.lesson, { seed: 21, factory: memoryFactory });
    const enc = await encodeShare(proofEnvelope(session, loaded.lesson.text.id));
    if (!enc.ok) throw new Error(enc.message);
    return `./#sandbox=${enc.fragment}`;
  };
  await page.goto(await link(runSolution));
  const ask = page.getByRole('dialog', { name: 'Open a shared sandbox?' });
  const proof = ask.getByRole('region', { name: 'Lesson proof' });
  await proof.getByRole('button', { name: 'Verify the proof' }).click();
  await expect(proof.getByRole('status')).toContainText('Verified: every goal of');
  await ask.getByRole('button', { name: 'Open shared sandbox' }).click();
  await expect(ask).toBeHidden();
  await expect(trailItems(page).first()).toBeVisible();

  await page.goto(await link((lesson, opts) => runAntiSolution(lesson, 0, opts)));
  const again = page.getByRole('dialog', { name: 'Open a shared sandbox?' }).getByRole('region', { name: 'Lesson proof' });
  await again.getByRole('button', { name: 'Verify the proof' }).click();
  await expect(again.getByRole('status')).toContainText('Not verified: Not every goal holds');
});
