import { expect, test } from '@playwright/test';
import { openHydrated, sitePath, waitForHydration } from './site';

test('search finds a known page', async ({ page }) => {
  await openHydrated(page, sitePath('docs/introduction/about'));
  const searchBox = page.getByRole('searchbox').or(page.getByPlaceholder(/search/i)).first();
  await searchBox.click();
  await searchBox.fill('numbering');
  const result = page.locator('.aa-dropdown-menu, [role="listbox"]').getByText(/Adding pages/i).first();
  await expect(result).toBeVisible({ timeout: 15_000 });
  await result.click();
  await expect(page).toHaveURL(/\/docs\/contributing\/adding-pages/);
});

test('the version dropdown switches between the released and the next version', async ({ page }) => {
  await openHydrated(page, sitePath('docs/introduction/about'));
  await expect(page.locator('.theme-doc-version-banner')).toHaveCount(0);
  const dropdown = page.locator('.navbar__item.dropdown').filter({ hasText: /1\.0|Next/ });
  await dropdown.hover();
  await dropdown.getByRole('link', { name: 'Next (unreleased)' }).click();
  await expect(page).toHaveURL(/\/docs\/next\/introduction\/about/);
  await expect(page.locator('.theme-doc-version-banner')).toContainText('unreleased');

  await dropdown.hover();
  await dropdown.getByRole('link', { name: '1.0' }).click();
  await expect(page).toHaveURL(/\/docs\/introduction\/about$/);
});

const diagrams = [
  { path: 'docs/introduction/about', title: 'One runbook model, four outputs', text: 'Runbook model' },
  { path: 'docs/self-hosting/troubleshooting', title: 'Which path to follow when a publish or connection fails', text: 'Signature path' },
];

for (const scheme of ['light', 'dark'] as const) {
  for (const diagram of diagrams) {
    test(`the diagram on ${diagram.path} is an inline SVG drawn for the ${scheme} mode, named for screen readers`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const scripts: string[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') scripts.push(response.url());
      });
      await openHydrated(page, sitePath(diagram.path));
      const svg = page.locator('.diagram > svg:visible');
      await expect(svg).toHaveCount(1);
      await expect(svg).toHaveAttribute('id', new RegExp(`-${scheme}$`));
      await expect(svg).toContainText(diagram.text);
      await expect(svg).toHaveAccessibleName(diagram.title);
      await expect(svg).toHaveAccessibleDescription(/.{20,}/);
      // Drawn when the site was built: no mermaid in any script the page loaded.
      for (const script of scripts) {
        const body = await (await page.request.get(script)).text();
        expect(body, script).not.toContain('mermaidAPI');
      }
    });
  }
}

test('code blocks are highlighted when the site is built; no Prism reaches the browser', async ({ page }) => {
  const scripts: string[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.url());
  });
  await page.goto(sitePath('docs/reference/spacetimedb-tooling'));
  // Highlighted in the server-rendered HTML, before any script runs.
  const block = page.locator('.theme-code-block').filter({ hasText: 'openssl pkey' }).first();
  await expect(block.locator('.token.parameter.variable').first()).toHaveText('-pubin');
  await waitForHydration(page);
  await expect(block.locator('.token.parameter.variable').first()).toHaveCSS('color', 'rgb(9, 134, 88)');
  for (const script of scripts) {
    const body = await (await page.request.get(script)).text();
    // `webmanifest` is one of the language names prism-react-renderer registers with Prism.
    expect(body, script).not.toContain('webmanifest');
  }

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await waitForHydration(page);
  await expect(block.locator('.token.parameter.variable').first()).toHaveCSS('color', 'rgb(156, 220, 254)');
});

test('the copy button of a highlighted code block copies its code', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
  await openHydrated(page, sitePath('docs/reference/spacetimedb-tooling'));
  const block = page.locator('.theme-code-block').filter({ hasText: 'openssl pkey' }).first();
  await block.hover();
  await block.getByRole('button', { name: 'Copy code to clipboard' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  // Exactly the code: the highlighting spans add nothing, no line break is appended.
  expect(copied).toBe('openssl pkey -pubin -in id_ecdsa.pub -outform DER | openssl dgst -sha256');
});

test('links in view are still prefetched, after hydration, in idle time', async ({ page }) => {
  // src/client-modules/deferredPrefetch.ts queues Docusaurus' viewport prefetching for idle time.
  await openHydrated(page, sitePath('docs/contributing/adding-pages'));
  const prefetched = page.locator('link[rel="prefetch"]');
  await expect.poll(() => prefetched.count(), { timeout: 10_000 }).toBeGreaterThan(0);
  const hrefs = await prefetched.evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
  expect(hrefs.every((href) => /\/assets\/js\/[\w~.-]+\.js$/.test(new URL(href).pathname))).toBe(true);
  expect(await page.evaluate(() => typeof (window as unknown as { docusaurus?: { prefetch?: unknown } }).docusaurus?.prefetch)).toBe('function');
});
