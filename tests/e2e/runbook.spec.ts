import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors, openHydrated, seriousAxeViolations, sitePath, waitForHydration } from './site';

/** The demonstration page ("Contributing → Writing runbooks", current docs) exercises every feature. */
const demoPath = sitePath('docs/next/contributing/writing-runbooks');
const firstRunbook = '[data-runbook="demo-copy-data"]';
const secondRunbook = '[data-runbook="demo-check-destination"]';

const input = (page: Page, name: string, runbook = firstRunbook) => page.locator(`${runbook} #runbook-${runbook.match(/"(.+)"/)![1]}-var-${name}`);
const command = (page: Page, stepId: string, runbook = firstRunbook) => page.locator(`${runbook} [data-command="${stepId}"] pre`);
const copyButton = (page: Page, stepId: string, runbook = firstRunbook) =>
  page.locator(`${runbook} [data-command="${stepId}"]`).getByRole('button', { name: /^Copy the command/ });
const announcer = (page: Page, runbook = firstRunbook) => page.locator(`${runbook} [data-testid="announcer"]`);
const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test.beforeEach(async ({ context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
});

test('the HTML served without JavaScript shows the defaults in every command and table', async ({ request, browser }) => {
  const html = await (await request.get(demoPath)).text();
  // The runbooks, as text (the syntax documentation above them shows placeholders on purpose).
  const text = html.slice(html.search(/id="?runbook-demo-copy-data\b/)).replace(/<[^>]*>/g, '');
  expect(text).toContain('Replace the following');
  expect(text).toContain('rsync --archive --delete spacetime-prod:/var/lib/spacetimedb/data/ /var/lib/spacetimedb/data/');
  expect(text).toContain('spacetime server ping http://azvmtest:3000');
  expect(text).not.toContain('{{DEST_HOST}}');

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(demoPath);
  await expect(command(page, 'delete-temp')).toHaveText("find /var/lib/spacetimedb/data -name '*.tmp' -print -delete");
  await expect(command(page, 'publish')).toContainText('--server http://azvmtest:3000');
  await expect(page.locator(`${firstRunbook} tr[data-variable="DEST_HOST"] td`).first()).toHaveText('azvmtest');
  // The hidden setup step is not on the page.
  await expect(page.locator('[data-step="sample-files"]')).toHaveCount(0);
  await context.close();
});

test('no control is disabled in the served HTML, so hydration does not flip them all at once', async ({ request }) => {
  // Switching every button and field from disabled to enabled right after hydration was the longest
  // task of a runbook page's load; controls work from the start and say when the values still load.
  const html = await (await request.get(demoPath)).text();
  const runbooks = html.slice(html.search(/id="?runbook-demo-copy-data\b/));
  expect(runbooks).toContain('Copy the command of step');
  expect(runbooks.match(/<(?:button|input|select|textarea)\b[^>]*\sdisabled\b[^>]*>/g) ?? []).toEqual([]);
});

test('typing a value updates every command that uses it, in both runbooks', async ({ page }) => {
  await openHydrated(page, demoPath);
  await input(page, 'DEST_HOST').fill('azvmprod');
  const values = page.locator('pre [data-variable="DEST_HOST"]');
  expect(await values.count()).toBeGreaterThanOrEqual(3);
  for (const value of await values.all()) await expect(value).toHaveText('azvmprod');
  await expect(input(page, 'DEST_HOST', secondRunbook)).toHaveValue('azvmprod');
  await expect(command(page, 'note', secondRunbook)).toHaveText("printf 'Checked %s for %s\\n' azvmprod test");
  await expect(page.locator(`${firstRunbook} tr[data-variable="DEST_HOST"] td`).first()).toHaveText('azvmprod');
});

test('copy puts exactly the command with the current values on the clipboard', async ({ page }) => {
  await openHydrated(page, demoPath);
  await input(page, 'DATA_DIR').fill('/srv/data');
  await copyButton(page, 'delete-temp').click();
  await expect(announcer(page)).toHaveText('Copied the command of step 3.');
  expect(await readClipboard(page)).toBe("find /srv/data -name '*.tmp' -print -delete");

  await input(page, 'CLI_TOML').fill("/home/op/it's my.toml");
  await copyButton(page, 'check-config').click();
  await expect(announcer(page)).toHaveText('Copied the command of step 1.');
  expect(await readClipboard(page)).toBe(
    "if grep -q '^spacetimedb_token' '/home/op/it'\\''s my.toml'; then echo CONFIG_OK; else echo NO_TOKEN; fi",
  );
});

test('copy works from the keyboard', async ({ page }) => {
  await openHydrated(page, demoPath);
  await copyButton(page, 'list-temp').focus();
  await page.keyboard.press('Enter');
  await expect(announcer(page)).toHaveText('Copied the command of step 2.');
  expect(await readClipboard(page)).toBe("find /var/lib/spacetimedb/data -name '*.tmp' -print");
});

test('copy falls back to execCommand where navigator.clipboard is missing', async ({ page, context }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  await openHydrated(page, demoPath);
  expect(await page.evaluate(() => 'clipboard' in navigator && navigator.clipboard !== undefined)).toBe(false);
  await copyButton(page, 'list-temp').click();
  await expect(announcer(page)).toHaveText('Copied the command of step 2.');
  const reader = await context.newPage();
  await reader.goto(demoPath);
  expect(await readClipboard(reader)).toBe("find /var/lib/spacetimedb/data -name '*.tmp' -print");
});

test('values survive a reload; a secret is neither stored nor put in the URL or a link', async ({ page }) => {
  await openHydrated(page, demoPath);
  await input(page, 'DEST_HOST').fill('azvmkept');
  await input(page, 'API_TOKEN').fill('aaaa.bbbb.SECRETcccc');
  await expect(command(page, 'log-in')).toHaveText('spacetime login --token ••••••••');
  await copyButton(page, 'log-in').click();
  expect(await readClipboard(page)).toBe('spacetime login --token aaaa.bbbb.SECRETcccc');

  await page.locator(firstRunbook).getByRole('button', { name: 'Copy link with these values' }).click();
  const link = await readClipboard(page);
  expect(link).toContain('DEST_HOST=azvmkept');
  expect(link).toContain('#runbook-demo-copy-data');
  expect(link).not.toContain('SECRET');
  expect(link).not.toContain('API_TOKEN');

  const storage = await page.evaluate(() => JSON.stringify({ ...window.localStorage }));
  expect(storage).toContain('azvmkept');
  expect(storage).not.toContain('SECRET');
  expect(page.url()).not.toContain('SECRET');

  await page.reload();
  await waitForHydration(page);
  await expect(input(page, 'DEST_HOST')).toHaveValue('azvmkept');
  await expect(input(page, 'API_TOKEN')).toHaveValue('');
  await expect(command(page, 'publish')).toContainText('http://azvmkept:3000');
});

test('a query string prefills values, which are then kept like typed ones', async ({ page }) => {
  await openHydrated(page, `${demoPath}?ENV=dev&DEST_HOST=azvmdev&API_TOKEN=x.y.z`);
  await expect(input(page, 'ENV')).toHaveValue('dev');
  await expect(input(page, 'DEST_HOST')).toHaveValue('azvmdev');
  await expect(input(page, 'API_TOKEN')).toHaveValue('');
  await expect(command(page, 'publish')).toContainText('tee /tmp/publish-dev.log');
  await expect(command(page, 'note', secondRunbook)).toHaveText("printf 'Checked %s for %s\\n' azvmdev dev");
  await expect(page).not.toHaveURL(/DEST_HOST|API_TOKEN/);
  await page.reload();
  await expect(input(page, 'DEST_HOST')).toHaveValue('azvmdev');
});

test('the checklist survives a reload, is kept per environment, and resets', async ({ page }) => {
  await openHydrated(page, demoPath);
  const progress = page.locator(`${firstRunbook} [data-testid="progress"]`);
  const box = page.locator(`${firstRunbook} [data-step="check-config"]`).getByRole('checkbox', { name: 'Step 1 done' });
  await expect(progress).toHaveText('0 of 8 steps done');
  await box.check();
  await expect(progress).toHaveText('1 of 8 steps done');

  await page.reload();
  await waitForHydration(page);
  await expect(box).toBeChecked();
  await expect(progress).toHaveText('1 of 8 steps done');

  await input(page, 'ENV').selectOption('prod');
  await expect(box).not.toBeChecked();
  await input(page, 'ENV').selectOption('test');
  await expect(box).toBeChecked();

  await page.locator(firstRunbook).getByRole('button', { name: 'Reset progress' }).click();
  await expect(box).not.toBeChecked();
  await expect(progress).toHaveText('0 of 8 steps done');
  await page.reload();
  await waitForHydration(page);
  await expect(progress).toHaveText('0 of 8 steps done');
});

test('the exported script holds the current values and no secret', async ({ page }) => {
  await openHydrated(page, demoPath);
  await input(page, 'DEST_HOST').fill('azvmscript');
  await input(page, 'DATA_DIR').fill('/srv/data');
  await input(page, 'API_TOKEN').fill('aaaa.bbbb.SECRETcccc');
  const runbook = page.locator(firstRunbook);
  await runbook.getByRole('button', { name: 'Copy as script' }).click();
  await expect(announcer(page)).toHaveText('Copied the script.');
  const script = await readClipboard(page);
  expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
  expect(script).toContain('set -euo pipefail');
  expect(script).toContain('DEST_HOST=azvmscript\n');
  expect(script).toContain('DATA_DIR=/srv/data\n');
  expect(script).toContain('ENV=test\n');
  expect(script).toContain('rsync --archive --delete "${SOURCE_HOST}":"${DATA_DIR}"/ "${DATA_DIR}"/ && echo COPY_DONE');
  expect(script).not.toContain('SECRET');
  expect(script).not.toContain('Write sample files');

  const [download] = await Promise.all([page.waitForEvent('download'), runbook.getByRole('button', { name: 'Download .sh' }).click()]);
  expect(download.suggestedFilename()).toBe('demo-copy-data.sh');
  expect(readFileSync(await download.path(), 'utf8')).toBe(script);
});

test('"Download playbook" links to the playbook the build published for this docs version', async ({ page, request }) => {
  await openHydrated(page, demoPath);
  const link = page.locator(firstRunbook).getByRole('link', { name: 'Download playbook' });
  await expect(link).toHaveAttribute('href', sitePath('runbooks/next/demo-copy-data.ansible.yml'));
  await expect(link).toHaveAttribute('download', 'demo-copy-data.ansible.yml');
  const response = await request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  const playbook = await response.text();
  expect(playbook).toMatch(/^---\n# Tidy a data directory and copy it to another host\n# Runbook demo-copy-data, exported from /);
  expect(playbook).toContain('  hosts: destination\n');
  expect(playbook).toContain('rsync --archive --delete {{ SOURCE_HOST | quote }}:{{ DATA_DIR | quote }}/ {{ DATA_DIR | quote }}/ && echo COPY_DONE');
  expect(playbook).not.toContain('Write sample');
});

test('a hostile value from the URL stays inert text and is quoted when copied', async ({ page }) => {
  const hostile = '"><img src=x onerror=alert(1)>';
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await openHydrated(page, `${demoPath}?CLI_TOML=${encodeURIComponent(hostile)}`);
  await expect(input(page, 'CLI_TOML')).toHaveValue(hostile);
  await expect(command(page, 'check-config')).toContainText(`'${hostile}'`);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await copyButton(page, 'check-config').click();
  expect(await readClipboard(page)).toBe(
    `if grep -q '^spacetimedb_token' '${hostile}'; then echo CONFIG_OK; else echo NO_TOKEN; fi`,
  );

  await input(page, 'CLI_TOML').fill('a b; rm -rf ~');
  await copyButton(page, 'check-config').click();
  await expect.poll(() => readClipboard(page)).toContain("grep -q '^spacetimedb_token' 'a b; rm -rf ~'; then");
  expect(dialogs).toEqual([]);
});

test('an invalid value is flagged and copying its commands is refused with the reason', async ({ page }) => {
  await openHydrated(page, demoPath);
  await page.evaluate(() => navigator.clipboard.writeText('before'));
  await input(page, 'DEST_HOST').fill('not a host');
  await expect(input(page, 'DEST_HOST')).toHaveAttribute('aria-invalid', 'true');
  await copyButton(page, 'note', secondRunbook).click();
  await expect(announcer(page, secondRunbook)).toHaveText(
    'Not copied: DEST_HOST does not match the pattern [a-z0-9][a-z0-9.-]*.',
  );
  expect(await readClipboard(page)).toBe('before');
  // The secret has no value yet: its command says so and refuses too.
  await copyButton(page, 'log-in').click();
  await expect(announcer(page)).toHaveText('Not copied: API_TOKEN needs a value.');

  await page.locator(firstRunbook).getByRole('button', { name: 'Copy as script' }).click();
  await expect(announcer(page)).toContainText('No script: DEST_HOST does not match');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the runbook page passes axe in ${colorScheme} mode with values typed and problems shown`, async ({ page }) => {
    const errors = collectConsoleErrors(page);
    await page.emulateMedia({ colorScheme });
    await openHydrated(page, demoPath);
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await input(page, 'DEST_HOST').fill('not a host');
    await page.locator(`${firstRunbook} [data-step="list-temp"]`).getByRole('checkbox').check();
    await copyButton(page, 'list-temp').click();
    expect(await seriousAxeViolations(page, firstRunbook)).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('the runbook contract is published as JSON', async ({ request }) => {
  const index = await (await request.get(sitePath('runbooks/next/index.json'))).json();
  const ids = index.runbooks.map((entry: { id: string }) => entry.id);
  expect(ids).toEqual(expect.arrayContaining(['demo-copy-data', 'demo-check-destination', 'rotate-keys', 'migrate-data']));
  expect(new Set(ids).size).toBe(ids.length);
  const demo = index.runbooks.find((entry: { id: string }) => entry.id === 'demo-copy-data');
  expect(demo.url).toBe(`${demoPath}#runbook-demo-copy-data`);
  const runbook = await (await request.get(sitePath('runbooks/next/demo-copy-data.json'))).json();
  expect(runbook.steps.slice(0, 2)).toMatchObject([
    { id: 'sample-config', setup: true, runnable: true },
    { id: 'sample-files', setup: true, runnable: true, host: 'source' },
  ]);
  expect(runbook.steps.find((step: { id: string }) => step.id === 'publish').markers).toEqual({
    success: ['PUBLISH_SUCCESS'],
    failure: ['PUBLISH_FAILED', 'InvalidSignature'],
  });
  // The unversioned files are the version readers land on (the last cut version).
  const root = await (await request.get(sitePath('runbooks/index.json'))).json();
  expect(root.versions.map((version: { version: string }) => version.version)).toContain('current');
  expect(root.version).not.toBe('current');
  expect(root.runbooks.find((entry: { id: string }) => entry.id === 'demo-copy-data').url).not.toContain('/next/');
});
