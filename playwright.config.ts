/**
 * Playwright flow tests (STYLE §15) on Debian's Chromium at /usr/bin/chromium: no
 * `playwright install` (its CDN is not reachable here, and `.ci/run` installs chromium via apt).
 * The app is built and served by `vite preview`, i.e. the same static site `npm run build` ships.
 */
import { defineConfig, devices } from '@playwright/test';

// E2E_PORT lets several runs share a machine: each builds into its own folder and serves on its own port.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const OUT_DIR = process.env.E2E_PORT ? `dist-e2e-${PORT}` : 'dist';
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: process.env.E2E_PORT ? `test-results-${PORT}` : 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npm run build -- --outDir ${OUT_DIR} && npm run preview -- --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
