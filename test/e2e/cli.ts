/** The in-page AWS CLI console, as the e2e specs drive it. */
import { expect, type Page } from '@playwright/test';

/** Types `line` into the AWS CLI tab and presses Enter (the tab stays open). */
export async function typeCli(page: Page, line: string): Promise<void> {
  await page.getByRole('tab', { name: 'AWS CLI' }).click();
  const input = page.getByRole('region', { name: 'AWS CLI console' }).getByRole('textbox', { name: 'Command' });
  await input.fill(line);
  await input.press('Enter');
}

/** Runs `line`, waits until the console output shows `expected`, goes back to Keys, and returns the whole output. */
export async function runCli(page: Page, line: string, expected: string | RegExp): Promise<string> {
  await typeCli(page, line);
  const log = page.getByRole('region', { name: 'AWS CLI console' }).getByRole('log', { name: 'Console output' });
  await expect(log).toContainText(expected);
  const text = await log.innerText();
  await page.getByRole('tab', { name: 'Keys', exact: true }).click();
  return text;
}
