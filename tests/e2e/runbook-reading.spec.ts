import { expect, test, type Page } from '@playwright/test';
import { collectConsoleErrors, openHydrated, seriousAxeViolations, sitePath, waitForHydration } from './site';

/**
 * Reading a runbook on a phone (390 px) and on a desktop (1280 px), in both colour modes: whole commands,
 * each variable once, pasted output judged by its markers, and a page that prints as a checklist.
 */
const demoPath = sitePath('docs/next/contributing/writing-runbooks');
const rotatePath = sitePath('docs/next/how-to/rotate-keys');
const firstRunbook = '[data-runbook="demo-copy-data"]';
const publishCommand =
  'spacetime publish --server http://azvmtest:3000 my-module 2>&1 | tee /tmp/publish-test.log && echo PUBLISH_SUCCESS || echo PUBLISH_FAILED';

const widths = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

/** Command blocks wider than their box (they would scroll sideways), as `step: scrollWidth > clientWidth`. */
async function scrollingCommands(page: Page): Promise<string[]> {
  return page.locator('[data-command] pre').evaluateAll((blocks) =>
    blocks
      .filter((block) => block.scrollWidth > block.clientWidth)
      .map((block) => `${block.parentElement?.dataset.command}: ${block.scrollWidth} > ${block.clientWidth}`),
  );
}

const step = (page: Page, stepId: string) => page.locator(`${firstRunbook} [data-step="${stepId}"]`);

async function openOutputCheck(page: Page, stepId: string) {
  await step(page, stepId).getByText('Check the output').click();
  return { field: step(page, stepId).getByTestId('step-output'), verdict: step(page, stepId).getByTestId('step-output-verdict') };
}

test.beforeEach(async ({ context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
});

for (const { name, width, height } of widths) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${name} (${width} px), ${colorScheme}: whole commands, one list of values, verdicts, axe`, async ({ page }) => {
      const errors = collectConsoleErrors(page);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await openHydrated(page, demoPath);
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);

      expect(await scrollingCommands(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      // The long publish command wraps onto several rows on a phone, and Copy still gives the one-line command.
      const publish = step(page, 'publish').locator('pre');
      if (width < 500) expect((await publish.boundingBox())!.height).toBeGreaterThan(80);
      await step(page, 'publish').getByRole('button', { name: /^Copy the command/ }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(publishCommand);
      await expect(publish).toHaveText(publishCommand);

      // The inputs are the only list of variables.
      await expect(page.locator(`${firstRunbook} [data-testid="replace-table"]`)).toBeHidden();
      await expect(page.locator(`${firstRunbook} input[name="DEST_HOST"]`)).toBeVisible();

      const { field, verdict } = await openOutputCheck(page, 'publish');
      await field.fill('Uploading module...\nUpdated database my-module\nPUBLISH_SUCCESS\n');
      await expect(verdict).toHaveAttribute('data-verdict', 'worked');
      await expect(verdict).toContainText('Worked');
      expect(await seriousAxeViolations(page, firstRunbook)).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  test(`${name} (${width} px): no command on the rotate-keys page scrolls sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openHydrated(page, rotatePath);
    expect(await page.locator('[data-command] pre').count()).toBeGreaterThan(5);
    expect(await scrollingCommands(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  });
}

test('a wrapped command hangs its continuation rows deeper than its lines', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openHydrated(page, demoPath);
  // Where each row of the publish command starts: the first at the block's edge, the others indented.
  const starts = await step(page, 'publish')
    .locator('pre code')
    .evaluate((code) => {
      const rows = new Map<number, number>();
      const texts = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (let text = texts.nextNode(); text; text = texts.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(text);
        for (const rect of Array.from(range.getClientRects())) {
          const top = Math.round(rect.top);
          if (rect.width > 0) rows.set(top, Math.min(rows.get(top) ?? Infinity, rect.left));
        }
      }
      return [...rows.entries()].sort(([a], [b]) => a - b).map(([, left]) => left);
    });
  expect(starts.length).toBeGreaterThan(2);
  const [first, ...continued] = starts;
  for (const start of continued) expect(start).toBeGreaterThan(first! + 10);
});

test('the server HTML holds the variables table; hydration hides it', async ({ page, request }) => {
  const html = await (await request.get(demoPath)).text();
  expect(html).toMatch(/data-testid="?replace-table/);
  expect(html).toContain('Replace the following');
  await openHydrated(page, demoPath);
  const tables = page.locator('[data-runbook] [data-testid="replace-table"]');
  await expect(tables).toHaveCount(2);
  for (const table of await tables.all()) await expect(table).toBeHidden();
});

test('without JavaScript the table is the list of values; the inputs and controls that cannot work are hidden', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(demoPath);
  const runbook = page.locator(firstRunbook);
  await expect(runbook.locator('[data-testid="replace-table"]')).toBeVisible();
  await expect(runbook.locator('fieldset')).toBeHidden();
  await expect(runbook.getByText('Check the output')).toHaveCount(4);
  for (const summary of await runbook.getByText('Check the output').all()) await expect(summary).toBeHidden();
  expect(await runbook.locator('button:visible, input:visible, select:visible, textarea:visible').count()).toBe(0);
  expect(await scrollingCommands(page)).toEqual([]);
  await context.close();
});

test('pasted output: worked offers to tick the step, failed names the marker, unrelated output finds none', async ({ page }) => {
  await openHydrated(page, demoPath);
  const { field, verdict } = await openOutputCheck(page, 'publish');
  const box = step(page, 'publish').getByRole('checkbox', { name: 'Step 8 done' });

  await field.fill(`operator@control:~$ ${publishCommand}\nUploading module...\nPUBLISH_SUCCESS`);
  await expect(verdict).toHaveText(
    'Worked: the output shows PUBLISH_SUCCESS and no failure marker (1 line repeating the command left out).',
  );
  await step(page, 'publish').getByRole('button', { name: 'Mark step 8 done' }).click();
  await expect(box).toBeChecked();
  await expect(box).toBeFocused();
  await expect(step(page, 'publish').getByRole('button', { name: 'Mark step 8 done' })).toHaveCount(0);

  await field.fill('Error: InvalidSignature: the token was signed by another key\nPUBLISH_FAILED');
  await expect(verdict).toHaveAttribute('data-verdict', 'failed');
  await expect(verdict).toHaveText('Failed: the output shows PUBLISH_FAILED and InvalidSignature.');

  await field.fill('bash: spacetime: command not found');
  await expect(verdict).toHaveAttribute('data-verdict', 'no-marker');
  await expect(verdict).toContainText('No marker found');

  // Steps without markers have no output check.
  await expect(step(page, 'list-temp').getByTestId('step-output')).toHaveCount(0);
});

test('pasted output is never stored or sent, and a reload clears it', async ({ page }) => {
  const requests: string[] = [];
  await openHydrated(page, demoPath);
  page.on('request', (request) => requests.push(`${request.url()} ${request.postData() ?? ''}`));
  const { field, verdict } = await openOutputCheck(page, 'check-config');
  await field.fill('CONFIG_OK token=PASTEDSECRET');
  await expect(verdict).toHaveAttribute('data-verdict', 'worked');
  await expect(field).toHaveAttribute('spellcheck', 'false');
  const storage = await page.evaluate(() => JSON.stringify({ ...window.localStorage, ...window.sessionStorage }));
  expect(storage).not.toContain('PASTEDSECRET');
  expect(page.url()).not.toContain('PASTEDSECRET');
  await page.reload();
  await waitForHydration(page);
  const reopened = await openOutputCheck(page, 'check-config');
  await expect(reopened.field).toHaveValue('');
  expect(requests.filter((request) => request.includes('PASTEDSECRET'))).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`print (${colorScheme}): values as typed, the table, every step with host, markers and an empty box; no inputs or navigation`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 700, height: 1000 });
    await page.emulateMedia({ colorScheme });
    await openHydrated(page, demoPath);
    await page.locator(`${firstRunbook} input[name="DEST_HOST"]`).fill('azvmprint');
    await step(page, 'check-config').getByRole('checkbox').check();
    await page.emulateMedia({ media: 'print', colorScheme });

    const runbook = page.locator(firstRunbook);
    await expect(runbook.locator('[data-testid="replace-table"]')).toBeVisible();
    await expect(runbook.locator('tr[data-variable="DEST_HOST"] td').first()).toHaveText('azvmprint');
    await expect(step(page, 'publish').locator('pre')).toContainText('http://azvmprint:3000');
    expect(await page.locator('input:visible, select:visible, textarea:visible, button:visible').count()).toBe(0);
    await expect(page.locator('nav').filter({ visible: true })).toHaveCount(0);
    await expect(runbook.getByTestId('progress')).toBeHidden();

    const steps = runbook.locator('[data-step]');
    expect(await steps.count()).toBe(8);
    for (const printed of await steps.all()) {
      await expect(printed.locator('[data-host]')).toBeVisible();
      // The tick box is drawn empty, even for a step ticked on screen.
      const box = await printed.locator('footer label').evaluate((label) => {
        const before = getComputedStyle(label, '::before');
        return { content: before.content, border: before.borderTopStyle, width: before.width };
      });
      expect(box).toEqual({ content: '""', border: 'solid', width: expect.stringMatching(/px$/) });
    }
    await expect(step(page, 'publish').getByText('It failed if the output shows')).toBeVisible();
    // Black on white, whatever the colour mode, and nothing wider than the page.
    expect(await runbook.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(0, 0, 0)');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    const bounds = await runbook.boundingBox();
    expect(bounds!.x + bounds!.width).toBeLessThanOrEqual(700);
  });
}
