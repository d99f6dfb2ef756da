#!/usr/bin/env tsx
/**
 * `pnpm bench:page-weight`: what every page costs a reader, beside the stock Docusaurus template of the
 * same version.
 *
 * 1. Builds the stock template (`create-docusaurus <version> classic --typescript`, installed with pnpm
 *    from the npm registry) and a fresh copy of this site (every docs version) in temporary directories.
 * 2. Serves both as a host would (gzip, static-server.ts) and opens every URL of each sitemap in
 *    Chromium, counting the JavaScript the page executes on first load (gzip; prefetches not counted;
 *    see script-weight.ts). Prints the heaviest, median and lightest page of each site.
 * 3. Runs Lighthouse (mobile, simulated throttling) on four page types of each site, interleaved in
 *    one run so both sites see the same machine load, and prints the median performance score:
 *    this site's home page, a plain doc page, a runbook page and a diagram page; the stock site's home
 *    page, its intro doc, its code-heavy markdown-features doc and a blog post.
 *
 *   pnpm bench:page-weight [--runs N] [--no-lighthouse] [--list]
 *
 *   --runs N          Lighthouse runs per page (default 5; the median is printed)
 *   --no-lighthouse   only the JavaScript per page
 *   --list            also print every page of this site with its JavaScript
 *
 * Environment: CHROME_PATH (else Debian's /usr/bin/chromium, else Playwright's Chromium).
 * It prints figures; it passes or fails nothing (exit 1 only when a build or a page load fails).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { copySite } from '../site-copy';
import { PERFORMANCE_METRICS, runLighthouseReport, type PerformanceMetric } from './lighthouse-run';
import { median } from './measure';
import { ScriptWeigher, sitemapPaths, type PageWeight } from './script-weight';
import { buildStockSite } from './stock-site';
import { serveBuild } from './static-server';

const HELP = 'Usage: pnpm bench:page-weight [--runs N] [--no-lighthouse] [--list]';
if (process.argv.includes('--help')) {
  console.log(HELP);
  process.exit(0);
}
const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 5;
const withLighthouse = !process.argv.includes('--no-lighthouse');
const listPages = process.argv.includes('--list');
if (!Number.isInteger(runs) || runs < 1) {
  console.error(HELP);
  process.exit(2);
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const docusaurusVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'node_modules/@docusaurus/core/package.json'), 'utf8')) as { version: string }
).version;

/** The page types Lighthouse scores, per site (paths under the site's base URL `/`). */
const LIGHTHOUSE_PAGES = {
  stock: [
    { type: 'home page', path: '/' },
    { type: 'doc page (intro)', path: '/docs/intro' },
    { type: 'code-heavy doc page', path: '/docs/tutorial-basics/markdown-features' },
    { type: 'blog post', path: '/blog/welcome' },
  ],
  site: [
    { type: 'home page', path: '/' },
    { type: 'plain doc page', path: '/docs/contributing/adding-pages' },
    { type: 'runbook page', path: '/docs/how-to/rotate-keys' },
    { type: 'diagram page', path: '/docs/introduction/about' },
  ],
} as const;

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

interface Summary {
  pages: number;
  heaviest: PageWeight;
  median: number;
  lightest: PageWeight;
}

function summarise(weights: readonly PageWeight[]): Summary {
  const sorted = [...weights].sort((a, b) => b.bytes - a.bytes);
  return { pages: sorted.length, heaviest: sorted[0]!, median: median(sorted.map((page) => page.bytes)), lightest: sorted[sorted.length - 1]! };
}

function buildThisSite(dir: string): string {
  process.stderr.write('building this site (every docs version)...\n');
  const build = spawnSync(join(dir, 'node_modules/.bin/docusaurus'), ['build'], { cwd: dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building this site failed:\n${build.stderr.slice(-3000)}`);
  return join(dir, 'build');
}

async function weighSite(name: string, buildDir: string, origin: string): Promise<PageWeight[]> {
  const debian = '/usr/bin/chromium';
  const executablePath = process.env.CHROME_PATH ?? (existsSync(debian) ? debian : undefined);
  const browser = await chromium.launch(executablePath ? { executablePath } : {});
  try {
    const weigher = new ScriptWeigher(browser, origin, buildDir);
    const weights: PageWeight[] = [];
    const paths = sitemapPaths(buildDir);
    for (const [index, path] of paths.entries()) {
      process.stderr.write(`\r${name}: page ${index + 1}/${paths.length}`);
      weights.push(await weigher.weigh(path));
    }
    process.stderr.write('\n');
    return weights;
  } finally {
    await browser.close();
  }
}

/** The median of each metric behind the score, one row per page (times in ms, CLS unitless). */
function printMetrics(pages: readonly { url: string; site: string; type: string }[], metrics: Map<string, Partial<Record<PerformanceMetric, number>>[]>): void {
  const names = Object.keys(PERFORMANCE_METRICS) as PerformanceMetric[];
  console.log(`\nThe metrics behind it (median; ms, CLS unitless):\n${''.padEnd(40)}${names.map((name) => name.padStart(8)).join('')}`);
  for (const page of pages) {
    const runsOfPage = metrics.get(page.url)!;
    const cells = names.map((name) => {
      const values = runsOfPage.map((run) => run[name]).filter((value): value is number => value !== undefined);
      if (values.length === 0) return '-'.padStart(8);
      const value = median(values);
      return (name === 'CLS' ? value.toFixed(3) : String(Math.round(value))).padStart(8);
    });
    console.log(`${`${page.site}: ${page.type}`.padEnd(40)}${cells.join('')}`);
  }
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  const site = copySite(repoRoot);
  let stock: ReturnType<typeof buildStockSite> | undefined;
  try {
    stock = buildStockSite(docusaurusVersion);
    const siteBuild = buildThisSite(site.dir);
    // Port 0: the system picks free ports, so the benchmark runs beside other servers.
    servers.push(await serveBuild(stock.buildDir, 0), await serveBuild(siteBuild, 0));
    const origin = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const origins = { stock: origin(servers[0]!), site: origin(servers[1]!) };

    const stockWeights = await weighSite('stock', stock.buildDir, origins.stock);
    const siteWeights = await weighSite('this site', siteBuild, origins.site);
    const summaries = { stock: summarise(stockWeights), site: summarise(siteWeights) };

    console.log(`\nJavaScript each page executes on first load (gzip as served, prefetches not counted), Docusaurus ${docusaurusVersion}:`);
    console.log(`${''.padEnd(12)}${'stock template'.padStart(18)}${'this site'.padStart(14)}`);
    console.log(`${'pages'.padEnd(12)}${String(summaries.stock.pages).padStart(18)}${String(summaries.site.pages).padStart(14)}`);
    for (const row of ['heaviest', 'median', 'lightest'] as const) {
      const value = (summary: Summary): number => (row === 'median' ? summary.median : summary[row].bytes);
      console.log(`${row.padEnd(12)}${kb(value(summaries.stock)).padStart(18)}${kb(value(summaries.site)).padStart(14)}`);
    }
    console.log(`heaviest pages: stock ${summaries.stock.heaviest.path}, this site ${summaries.site.heaviest.path}`);
    console.log(`lightest pages: stock ${summaries.stock.lightest.path}, this site ${summaries.site.lightest.path}`);
    if (listPages) {
      console.log('\nThis site, every page:');
      for (const page of [...siteWeights].sort((a, b) => b.bytes - a.bytes)) console.log(`${kb(page.bytes).padStart(10)}  ${page.path}`);
    }

    if (!withLighthouse) return;
    const pages = [
      ...LIGHTHOUSE_PAGES.stock.map((page) => ({ ...page, site: 'stock', url: `${origins.stock}${page.path}` })),
      ...LIGHTHOUSE_PAGES.site.map((page) => ({ ...page, site: 'this site', url: `${origins.site}${page.path}` })),
    ];
    const scores = new Map<string, number[]>(pages.map((page) => [page.url, []]));
    const metrics = new Map<string, Partial<Record<PerformanceMetric, number>>[]>(pages.map((page) => [page.url, []]));
    for (let run = 1; run <= runs; run++) {
      for (const page of pages) {
        process.stderr.write(`lighthouse run ${run}/${runs}: ${page.url}\n`);
        const result = await runLighthouseReport(page.url, { repoRoot, categories: ['performance'] });
        scores.get(page.url)!.push(result.scores.performance);
        metrics.get(page.url)!.push(result.metrics);
      }
    }
    console.log(`\nLighthouse mobile performance, median of ${runs} runs, both sites interleaved in one run:`);
    for (const page of pages) {
      const all = scores.get(page.url)!;
      const label = `${page.site}: ${page.type} (${page.path})`;
      console.log(`${label.padEnd(64)}${Math.round(median(all) * 100).toString().padStart(4)}   runs: ${all.map((score) => Math.round(score * 100)).join(' ')}`);
    }
    printMetrics(pages, metrics);
  } finally {
    for (const server of servers) server.close();
    stock?.remove();
    site.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
