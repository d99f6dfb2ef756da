import { expect, test } from '@playwright/test';
import { collectConsoleErrors, openHydrated, seriousAxeViolations, sitemapPaths, waitForHydration } from './site';

const paths = sitemapPaths();
/** Links this worker has already seen answer 200: most pages share the navbar and sidebar links. */
const answered = new Set<string>();

test.describe('every page in the sitemap', () => {
  for (const path of paths) {
    test(`${path} hydrates without console errors, its links answer 200 and axe finds no serious issue`, async ({
      page,
      request,
    }) => {
      const errors = collectConsoleErrors(page);
      const response = await page.goto(path);
      expect(response?.status(), `${path} answers 200`).toBe(200);
      await waitForHydration(page);

      const hrefs = await page
        .locator('a[href]')
        .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href));
      const origin = new URL(page.url()).origin;
      const internal = [
        ...new Set(
          hrefs
            .map((href) => new URL(href))
            .filter((url) => url.origin === origin)
            .map((url) => url.pathname + url.search),
        ),
      ];
      for (const link of internal.filter((candidate) => !answered.has(candidate))) {
        const linked = await request.get(link);
        expect(linked.status(), `link ${link} on ${path}`).toBe(200);
        answered.add(link);
      }

      const serious = await seriousAxeViolations(page);
      expect(serious, `axe on ${path}`).toEqual([]);
      expect(errors, `console errors on ${path}`).toEqual([]);
    });
  }
});

test('the sitemap lists the home page and every section', () => {
  const joined = paths.join('\n');
  for (const expected of ['/docs/introduction/about', '/docs/self-hosting', '/docs/how-to', '/docs/reference']) {
    expect(joined).toContain(expected);
  }
  expect(paths.some((path) => path.includes('/docs/next/'))).toBe(true);
});

test('an unknown URL shows the not-found page', async ({ page }) => {
  await openHydrated(page, '/docs/no-such-page');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Page Not Found');
});
