import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests against the production build, served locally by `docusaurus serve`.
 * `pnpm test:e2e` builds the site first when needed and makes sure a browser exists.
 *
 * Browser: Debian's Chromium when it is installed (Playwright cannot download its own
 * browser everywhere), Playwright's bundled Chromium otherwise.
 */
const port = Number(process.env.E2E_PORT ?? 4173);
const baseUrl = process.env.BASE_URL ?? '/';
const debianChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  // One worker per core (Playwright's default is half the cores): the pages are served locally, so a
  // worker waits on its browser, not on the network.
  workers: Math.max(1, availableParallelism()),
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: existsSync(debianChromium)
      ? {
          executablePath: debianChromium,
          args: ['--disable-background-networking', '--disable-component-update', '--disable-sync'],
        }
      : {},
  },
  webServer: {
    command: `node_modules/.bin/docusaurus serve --no-open --host 127.0.0.1 --port ${port}`,
    url: `http://127.0.0.1:${port}${baseUrl}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
