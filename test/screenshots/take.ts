/**
 * Screenshots of the main screens for the docs (issue 5, "screenshots of the main screens
 * committed under docs/"): `npx tsx test/screenshots/take.ts <preview URL>`, e.g. after
 * `npm run build && npm run preview -- --port 4173`: `npx tsx test/screenshots/take.ts http://127.0.0.1:4173/`.
 * Builds nothing; each shot starts from a fresh browser context (a fresh seeded sandbox), at
 * 1280×800, and is written to docs/screenshots/<name>.png.
 *
 * Shots: overview-light, overview-dark (the sandbox as a newcomer sees it), key-detail (key
 * detail scrolled into view), iam (IAM tab), trail-why (a denied call selected: its record and
 * the "why" steps), workbench (an Encrypt then its animation).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, type Browser, type Page } from '@playwright/test';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const VIEWPORT = { width: 1280, height: 800 };

type Shot = { name: string; scheme?: 'light' | 'dark'; prepare(page: Page): Promise<void> };

const trailList = (page: Page) => page.getByRole('listbox', { name: 'CloudTrail events' }).or(page.getByRole('list', { name: 'CloudTrail events' }));

const SHOTS: Shot[] = [
  { name: 'overview-light', scheme: 'light', prepare: async () => undefined },
  { name: 'overview-dark', scheme: 'dark', prepare: async () => undefined },
  {
    name: 'key-detail',
    async prepare(page) {
      await page.getByRole('button', { name: /^Show key / }).first().click();
      await page.getByRole('heading', { name: /Key details/ }).scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'iam',
    async prepare(page) {
      await page.getByRole('tab', { name: 'IAM', exact: true }).click();
      await expect(page.getByRole('tabpanel', { name: 'IAM' })).toBeVisible();
    },
  },
  {
    name: 'trail-why',
    async prepare(page) {
      const rows = trailList(page).getByRole('option').or(trailList(page).getByRole('listitem'));
      await rows.filter({ hasText: 'AccessDeniedException' }).first().click();
      await expect(page.getByRole('list', { name: 'Authorization steps' })).toBeVisible();
      // The why panel at the top: the decision, the steps and the policy it refers to.
      await page.evaluate(() => document.getElementById('why-heading')?.scrollIntoView({ block: 'start' }));
    },
  },
  {
    name: 'workbench',
    async prepare(page) {
      const form = page.getByRole('region', { name: 'Encrypt / Decrypt' });
      await form.getByLabel('Plaintext', { exact: true }).fill('attack at dawn');
      await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
      await expect(form.getByLabel(/^CiphertextBlob/)).not.toHaveValue('');
      await form.scrollIntoViewIfNeeded();
    },
  },
];

async function take(browser: Browser, url: string, shot: Shot): Promise<string> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: shot.scheme ?? 'light', reducedMotion: 'reduce' });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.getByRole('button', { name: /^Show key / }).first()).toBeVisible({ timeout: 30_000 });
    await shot.prepare(page);
    const file = join(OUT, `${shot.name}.png`);
    await page.screenshot({ path: file });
    return file;
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url || !/^https?:\/\//.test(url)) {
    console.error('usage: npx tsx test/screenshots/take.ts <preview server URL, e.g. http://127.0.0.1:4173/>');
    process.exit(2);
  }
  const only = process.argv.slice(3);
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu'] });
  let failed = 0;
  try {
    for (const shot of SHOTS.filter((s) => only.length === 0 || only.includes(s.name))) {
      try {
        console.log(`wrote ${await take(browser, url, shot)}`);
      } catch (e) {
        failed++;
        console.error(`${shot.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(failed === 0 ? 0 : 1);
}

await main();
