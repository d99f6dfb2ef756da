import { expect, test } from '@playwright/test';
import { openHydrated, sitePath } from './site';

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

test('a mermaid block renders as an SVG diagram', async ({ page }) => {
  await openHydrated(page, sitePath('docs/introduction/about'));
  const diagram = page.locator('.docusaurus-mermaid-container svg');
  await expect(diagram).toBeVisible();
  await expect(diagram).toContainText('Runbook model');
});
