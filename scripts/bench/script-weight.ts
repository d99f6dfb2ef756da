/**
 * The JavaScript a page makes the browser execute on first load, gzipped as a host serves it.
 *
 * Each page is opened in a fresh browser context (empty cache) and followed until React has hydrated
 * it and the network is idle. Every request of resource type `script` to the site counts; prefetches
 * (Docusaurus' `<link rel="prefetch">` for linked pages, type `other`, `Sec-Purpose: prefetch`) do not,
 * as they are not run. Sizes are gzip at Node's default level, the same compression static-server.ts
 * (and most hosts) apply, of the files in the build.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';

export interface PageWeight {
  path: string;
  /** Gzipped bytes of the scripts the page ran. */
  bytes: number;
  scripts: string[];
}

export class ScriptWeigher {
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly browser: Browser,
    private readonly origin: string,
    private readonly buildDir: string,
  ) {}

  /** Gzipped size of the build file a script URL names. */
  private gzipSize(pathname: string): number {
    let size = this.sizes.get(pathname);
    if (size === undefined) {
      const file = join(this.buildDir, normalize(decodeURIComponent(pathname)));
      if (!file.startsWith(this.buildDir) || !existsSync(file) || !statSync(file).isFile()) {
        throw new Error(`${pathname}: the page loaded a script that is not in ${this.buildDir}`);
      }
      size = gzipSync(readFileSync(file)).length;
      this.sizes.set(pathname, size);
    }
    return size;
  }

  async weigh(path: string): Promise<PageWeight> {
    const context = await this.browser.newContext();
    try {
      const page = await context.newPage();
      const scripts = new Set<string>();
      page.on('request', (request) => {
        const url = new URL(request.url());
        const purpose = request.headers()['sec-purpose'] ?? request.headers()['purpose'] ?? '';
        if (request.resourceType() === 'script' && url.origin === this.origin && !/prefetch/.test(purpose)) scripts.add(url.pathname);
      });
      const response = await page.goto(`${this.origin}${path}`);
      if (response?.status() !== 200) throw new Error(`${path} answered ${response?.status()}`);
      await page.locator('html[data-has-hydrated="true"]').waitFor({ state: 'attached' });
      await page.waitForLoadState('networkidle');
      const list = [...scripts].sort();
      return { path, bytes: list.reduce((sum, script) => sum + this.gzipSize(script), 0), scripts: list };
    } finally {
      await context.close();
    }
  }
}

/** Every page path a build's sitemap lists (the sitemap's origin is whatever SITE_URL was). */
export function sitemapPaths(buildDir: string): string[] {
  const xml = readFileSync(join(buildDir, 'sitemap.xml'), 'utf8');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
}
