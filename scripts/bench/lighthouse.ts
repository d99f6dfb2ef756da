#!/usr/bin/env tsx
/**
 * `pnpm bench:lighthouse`: Lighthouse's mobile scores (performance, accessibility,
 * best practices) for the home page and the heaviest page of a production build.
 *
 * Builds a fresh copy of the site, serves it on 127.0.0.1 as a production host would (gzip,
 * immutable caching of hashed assets: see static-server.ts), and runs Lighthouse's default
 * (mobile, simulated throttling) configuration three times per page, reporting the median.
 * The heaviest page is the built page with the most HTML. Chromium: CHROME_PATH, else
 * Debian's /usr/bin/chromium.
 *
 *   pnpm bench:lighthouse [--runs N] [--desktop]
 */
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure';
import { copySite } from '../site-copy';
import { serveBuild } from './static-server';
import { LIGHTHOUSE_CATEGORIES as categories, runLighthouse } from './lighthouse-run';

if (process.argv.includes('--help')) {
  console.log('Usage: pnpm bench:lighthouse [--runs N] [--desktop]\nPrints Lighthouse scores for the home page and the heaviest page.');
  process.exit(0);
}

const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 3;
const desktop = process.argv.includes('--desktop');
const port = 4180;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function htmlPages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'assets' || entry.name === '__server' ? [] : htmlPages(path);
    return entry.name.endsWith('.html') && entry.name !== '404.html' && entry.name !== 'search.html' ? [path] : [];
  });
}

function pageUrl(buildDir: string, file: string): string {
  const path = '/' + relative(buildDir, file).replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '');
  return `http://127.0.0.1:${port}${path}`;
}

async function waitForServer(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The site server did not answer at ${url}`);
}

const site = copySite(repoRoot);
let server: Server | undefined;
try {
  process.stderr.write('building the site...\n');
  const build = spawnSync(join(site.dir, 'node_modules/.bin/docusaurus'), ['build'], { cwd: site.dir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr.slice(-3000)}`);
  const buildDir = join(site.dir, 'build');
  const heaviest = htmlPages(buildDir).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  const pages = [
    { name: 'home page', url: `http://127.0.0.1:${port}/` },
    { name: `heaviest page (${relative(buildDir, heaviest)})`, url: pageUrl(buildDir, heaviest) },
  ];

  server = await serveBuild(buildDir, port);
  await waitForServer(pages[0]!.url);

  console.log(`\nLighthouse ${desktop ? 'desktop' : 'mobile'} scores, median of ${runs} runs:`);
  console.log('page'.padEnd(58) + categories.map((name) => name.padStart(16)).join(''));
  for (const page of pages) {
    const scores: Record<string, number>[] = [];
    for (let run = 0; run < runs; run++) {
      process.stderr.write(`lighthouse ${page.url}\n`);
      scores.push(await runLighthouse(page.url, { repoRoot: site.dir, desktop }));
    }
    const medians = categories.map((name) => median(scores.map((score) => score[name] ?? 0)));
    console.log(page.name.padEnd(58) + medians.map((score) => score.toFixed(2).padStart(16)).join(''));
  }
} finally {
  server?.close();
  site.remove();
}
