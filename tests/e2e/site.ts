import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** Helpers shared by the end-to-end specs. */

const baseUrl = (process.env.BASE_URL ?? '/').replace(/\/*$/, '/');

/** Every page path listed in the production build's sitemap, with the base URL. */
export function sitemapPaths(): string[] {
  const xml = readFileSync(join(process.cwd(), 'build', 'sitemap.xml'), 'utf8');
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
  if (paths.length === 0) throw new Error('build/sitemap.xml lists no pages: was the site built?');
  return paths;
}

/** A path on this site, under the base URL (`docs/next/...` → `/base/docs/next/...`). */
export function sitePath(path: string): string {
  return baseUrl + path.replace(/^\//, '');
}

/**
 * Waits until React has hydrated the page and every runbook on it has loaded the stored values
 * (`data-ready`), so clicks and typing take effect (after goto or reload).
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('html[data-has-hydrated="true"]').waitFor({ state: 'attached' });
  await page.waitForFunction(() => document.querySelectorAll('[data-runbook]:not([data-ready])').length === 0);
}

/** Navigate and wait until React has hydrated the page. */
export async function openHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}

/**
 * axe's serious and critical violations on the page (or inside `include`), one line each.
 *
 * Two settings keep axe to what these tests read, about 2.5 times faster on the long pages:
 * - legacy mode runs axe inside the page instead of opening a blank page to merge per-frame
 *   results; the site has no frames, so nothing goes untested;
 * - `resultTypes: ['violations']` skips building selectors for every passing node.
 */
export async function seriousAxeViolations(page: Page, include?: string): Promise<string[]> {
  if (page.frames().length > 1) {
    throw new Error(`${page.url()} has frames, which axe's legacy mode does not test: drop setLegacyMode in tests/e2e/site.ts`);
  }
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  const axe = await (include ? builder.include(include) : builder).analyze();
  return axe.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.length} nodes: ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')})`,
    );
}

/** Console errors collected while the callback runs. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
