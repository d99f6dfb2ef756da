import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

/** Helpers shared by the end-to-end specs. */

export const baseUrl = (process.env.BASE_URL ?? '/').replace(/\/*$/, '/');

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

/** Navigate and wait until React has hydrated the page, so clicks and typing take effect. */
export async function openHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('html[data-has-hydrated="true"]').waitFor({ state: 'attached' });
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
