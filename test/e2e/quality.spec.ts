/**
 * Quality of the built app (issue 5, "Persistence and safety" and "Quality"): axe-core finds no
 * serious or critical WCAG 2 A/AA violation on any workbench tab in light and dark; no horizontal
 * scroll at 1280×720 and at tablet width; Tab reaches the main controls with a visible focus
 * ring; the theme override persists; two tabs on one sandbox (one writer, one read-only that
 * follows it and can take over); the Content-Security-Policy holds while the lazy chunks, the
 * editor, the envelope worker and the Code panel run; without IndexedDB the app runs in memory
 * and says so. Run with `E2E_PORT=4186 npx playwright test test/e2e/quality.spec.ts`.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const WORKBENCH_TABS = ['Keys', 'Services', 'Load & cost', 'IAM', 'Code (SDK)', 'AWS CLI', 'Access keys'] as const;

/** The trail (a list or a listbox, depending on the panel's version) and its rows. */
function trailRows(page: Page) {
  const list = page.getByRole('listbox', { name: 'CloudTrail events' }).or(page.getByRole('list', { name: 'CloudTrail events' }));
  return list.getByRole('option').or(list.getByRole('listitem'));
}

async function openApp(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'KMS Playground', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Show key / }).first()).toBeVisible();
}

/** Opens a workbench tab and waits for its panel to be loaded (Code and CLI are lazy chunks). */
async function openTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('tabpanel', { name, exact: true });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('Loading…', { exact: true })).toHaveCount(0);
  if (name === 'Code (SDK)') await expect(panel.getByRole('textbox', { name: 'Code' })).toBeVisible();
}

/** Serious and critical axe findings (WCAG 2 A and AA rules), as readable lines. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: no serious or critical violations on any workbench tab (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page);
    const problems: string[] = [];
    for (const name of WORKBENCH_TABS) {
      await openTab(page, name);
      problems.push(...(await axeProblems(page)).map((p) => `[${name}] ${p}`));
    }
    expect(problems).toEqual([]);
  });
}

test('the theme follows the OS, the override wins and survives a reload', async ({ page }) => {
  const rootBackground = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page);
  const theme = page.getByRole('group', { name: 'Theme' });
  await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();
  const darkBg = await rootBackground();
  await theme.getByRole('radio', { name: 'Light' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const lightBg = await rootBackground();
  expect(lightBg).not.toBe(darkBg);
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Light' })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await rootBackground()).toBe(lightBg);
  // "System" gives the choice back to the OS.
  await page.getByRole('radio', { name: 'System' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
  expect(await rootBackground()).toBe(darkBg);
});

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 820, height: 1180 },
]) {
  test(`usable at ${viewport.width}×${viewport.height}: no horizontal scroll on any tab`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openApp(page);
    for (const name of WORKBENCH_TABS) {
      await openTab(page, name);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.scrollingElement!.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth, `${name}: page wider than the viewport`).toBeLessThanOrEqual(innerWidth);
    }
    await expect(page.getByRole('tab', { name: 'Keys', exact: true })).toBeInViewport();
  });
}

test('keyboard: Tab reaches the main controls, each with a visible focus ring', async ({ page }) => {
  await openApp(page);
  await page.locator('body').focus();
  const reached = new Map<string, boolean>();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const name = (el.getAttribute('aria-label') ?? el.closest('label')?.textContent ?? el.textContent ?? '').trim().replace(/\s+/g, ' ');
      const ring = (e: Element) => {
        const s = getComputedStyle(e);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
      };
      // A visually hidden control (the theme radios) shows its focus on its label.
      const label = el.closest('label');
      return { role: el.getAttribute('role') ?? el.tagName.toLowerCase(), name: name.slice(0, 60), visible: ring(el) || (label !== null && ring(label)) };
    });
    if (focused) reached.set(`${focused.role}:${focused.name}`, focused.visible);
  }
  const expectReached = (pattern: RegExp) => {
    const hit = [...reached].find(([k]) => pattern.test(k));
    expect(hit, `not reached by Tab: ${pattern} (reached: ${[...reached.keys()].join(', ')})`).toBeDefined();
    expect(hit![1], `no visible focus on ${hit![0]}`).toBe(true);
  };
  expectReached(/^input:.*System/);
  expectReached(/^button:New sandbox/);
  expectReached(/^tab:Keys$/);
  expectReached(/^button:.*(Show key|[0-9a-f]{8}-)/);
  const withoutRing = [...reached].filter(([, visible]) => !visible).map(([k]) => k);
  expect(withoutRing, 'controls without a visible focus').toEqual([]);
});

test('two tabs: the second is read-only, follows the first, and can take over', async ({ page, context }) => {
  await openApp(page);
  const second = await context.newPage();
  await openApp(second);
  const banner = (p: Page) => p.getByRole('region', { name: 'Read-only tab' });
  await expect(banner(second)).toContainText('open in another tab');
  await expect(banner(page)).toHaveCount(0);

  // The read-only tab refuses to act, with a clear message.
  const form2 = second.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form2.getByLabel('Plaintext', { exact: true }).fill('from the second tab');
  await form2.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(form2.getByRole('alert')).toContainText('ReadOnlySandbox');
  await expect(form2.getByRole('alert')).toContainText('Take over');

  // The writer's calls show up in the read-only tab.
  const before = await trailRows(second).count();
  const form1 = page.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form1.getByLabel('Plaintext', { exact: true }).fill('from the first tab');
  await form1.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(form1.getByLabel(/^CiphertextBlob/)).not.toHaveValue('');
  await expect(trailRows(second)).toHaveCount(before + 1);

  // Take over: the second tab writes, the first becomes read-only and follows.
  await banner(second).getByRole('button', { name: 'Take over' }).click();
  await expect(banner(second)).toHaveCount(0);
  await expect(banner(page)).toBeVisible();
  await form2.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(form2.getByLabel(/^CiphertextBlob/)).not.toHaveValue('');
  await expect(trailRows(page)).toHaveCount(before + 2);

  // When the writing tab closes, the other one writes again by itself.
  await second.close();
  await expect(banner(page)).toHaveCount(0);
  await form1.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(trailRows(page)).toHaveCount(before + 3);
});

test('two tabs: "New sandbox…" is refused in the read-only tab; when the writer starts one, the other tab follows', async ({ page, context }) => {
  await openApp(page);
  const second = await context.newPage();
  await openApp(second);
  const banner = second.getByRole('region', { name: 'Read-only tab' });
  await expect(banner).toBeVisible();
  const firstKey = async (p: Page) => (await p.getByRole('button', { name: /^Show key / }).first().textContent())?.trim();
  const oldKey = await firstKey(page);
  expect(await firstKey(second)).toBe(oldKey);

  // Refused in the read-only tab, without a dialog.
  let dialogs = 0;
  second.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await second.getByRole('button', { name: 'New sandbox…' }).click();
  await expect(second.getByRole('alert').filter({ hasText: 'read-only' })).toBeVisible();
  expect(dialogs).toBe(0);

  // "Reset" asks first: declining keeps the sandbox.
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('button', { name: 'New sandbox…' }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain('will be deleted');
  await expect(page.getByRole('button', { name: /^Show key / }).first()).toHaveText(oldKey!);

  // The writer starts a new sandbox (after confirming); the read-only tab shows the new one.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'New sandbox…' }).click();
  await expect.poll(() => firstKey(page)).not.toBe(oldKey);
  const newKey = await firstKey(page);
  await expect.poll(() => firstKey(second)).toBe(newKey);
  await expect(second.getByRole('region', { name: 'Read-only tab' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Read-only tab' })).toHaveCount(0);
});

test('CSP: scripts only from the app; lazy chunks, editor, worker and Code panel run without a violation', async ({ page }) => {
  test.setTimeout(90_000);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (v: string) => void violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await openApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);

  // Envelope encryption runs in a Web Worker.
  const form = page.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form.getByRole('radio', { name: /^Envelope/ }).check();
  await form.getByLabel('choose a file').setInputFiles({ name: 'small.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(70_000, 7) });
  await form.getByRole('button', { name: 'Encrypt with a data key' }).click();
  await expect(form.getByRole('article', { name: 'Envelope: small.bin.kmsenv' })).toBeVisible();

  // Every tab; the Code panel (CodeMirror injects styles; the learner's code runs on Run).
  for (const name of WORKBENCH_TABS) await openTab(page, name);
  await openTab(page, 'Code (SDK)');
  const code = page.getByRole('region', { name: /^Code/ });
  await code.getByRole('button', { name: 'Run' }).click();
  await expect(code.getByRole('status')).toHaveText(/^(Done\.|Failed with .*)$/);
  expect(violations).toEqual([]);

  // The policy can fail: an injected inline script does not run, and is reported.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.some((v) => v.startsWith('script-src'))).toBe(true);
});

test('without IndexedDB the app runs a temporary sandbox in memory and says so', async ({ browser }) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('IndexedDB is disabled in this test.', 'SecurityError');
    };
  });
  const page = await context.newPage();
  await openApp(page);
  await expect(page.getByRole('note')).toContainText('Temporary sandbox: IndexedDB is not available');
  // It still works: a call goes through and shows up in the trail.
  const before = await trailRows(page).count();
  const form = page.getByRole('region', { name: 'Encrypt / Decrypt' });
  await form.getByLabel('Plaintext', { exact: true }).fill('in memory');
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(trailRows(page)).toHaveCount(before + 1);
  await context.close();
});
