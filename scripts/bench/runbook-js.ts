/**
 * `pnpm bench:runbook-js`: how much JavaScript the runbook components add to a page.
 *
 * Loads two pages of the production build in Chromium, a runbook page and a plain doc page of the same
 * docs version, records every script each page loads until it is hydrated and the network is idle,
 * and compares the gzipped sizes of those files (gzip level 9, from the files in build/). The
 * difference is what a reader pays for runbooks.
 *
 *   pnpm build && pnpm bench:runbook-js
 *
 * Environment: BASE_URL (as for the build), RUNBOOK_PAGE and PLAIN_PAGE (paths under the base URL).
 * Exit codes: 0 within budget, 1 over budget, 2 no build or no browser.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const BUDGET_BYTES = 15 * 1024;
const buildDir = resolve('build');
const baseUrl = (process.env.BASE_URL ?? '/').replace(/^\/*/, '/').replace(/\/*$/, '/');
const runbookPage = process.env.RUNBOOK_PAGE ?? 'docs/next/contributing/writing-runbooks';
const plainPage = process.env.PLAIN_PAGE ?? 'docs/next/contributing/adding-pages';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** The build file a URL path names, as `docusaurus serve` resolves it, or null. */
function fileFor(pathname: string): string | null {
  if (!pathname.startsWith(baseUrl)) return null;
  const path = normalize(`/${decodeURIComponent(pathname.slice(baseUrl.length))}`);
  const candidates = [join(buildDir, path), join(buildDir, `${path}.html`), join(buildDir, path, 'index.html')];
  return candidates.find((file) => file.startsWith(buildDir) && existsSync(file) && statSync(file).isFile()) ?? null;
}

function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const file = fileFor(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const gzipCache = new Map<string, number>();
function gzipSize(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(file), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

async function scriptsOf(origin: string, path: string): Promise<Map<string, number>> {
  const debian = '/usr/bin/chromium';
  const browser = await chromium.launch(existsSync(debian) ? { executablePath: debian } : {});
  try {
    const page = await browser.newPage();
    const scripts = new Set<string>();
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.add(new URL(request.url()).pathname);
    });
    const response = await page.goto(`${origin}${baseUrl}${path}`);
    if (response?.status() !== 200) throw new Error(`${path} answered ${response?.status()}`);
    await page.locator('html[data-has-hydrated="true"]').waitFor({ state: 'attached' });
    await page.waitForLoadState('networkidle');
    const sizes = new Map<string, number>();
    for (const script of scripts) {
      const file = fileFor(script);
      if (file) sizes.set(script, gzipSize(file));
    }
    return sizes;
  } finally {
    await browser.close();
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const total = (sizes: Map<string, number>): number => [...sizes.values()].reduce((sum, size) => sum + size, 0);

async function main(): Promise<number> {
  if (!existsSync(join(buildDir, 'sitemap.xml'))) {
    console.error('No production build in build/: run `pnpm build` first.');
    return 2;
  }
  const server = await serve();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const runbook = await scriptsOf(origin, runbookPage);
    const plain = await scriptsOf(origin, plainPage);
    const extra = [...runbook].filter(([script]) => !plain.has(script));
    const added = total(runbook) - total(plain);

    console.log(`Runbook page  ${runbookPage}: ${runbook.size} scripts, ${kb(total(runbook))} gzipped`);
    console.log(`Plain page    ${plainPage}: ${plain.size} scripts, ${kb(total(plain))} gzipped`);
    console.log('Scripts only the runbook page loads:');
    for (const [script, size] of extra) console.log(`  ${kb(size).padStart(9)}  ${script}`);
    const verdict = added <= BUDGET_BYTES ? 'within' : 'OVER';
    console.log(`runbook-js: ${kb(added)} gzipped added by runbooks (budget ${kb(BUDGET_BYTES)}, ${verdict} budget)`);
    console.log(
      '(The added chunks also hold the page\'s own content; the values provider in Root is in every page\'s main bundle.)',
    );
    return added <= BUDGET_BYTES ? 0 : 1;
  } finally {
    server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
