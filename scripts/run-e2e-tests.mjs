#!/usr/bin/env node
// End-to-end tests in a real browser against the production build.
//
//   pnpm test:e2e              build the site if build/ is missing, then run every spec
//   pnpm test:e2e --rebuild    build the site again first
//   pnpm test:e2e -- <args>    extra arguments go to `playwright test` (e.g. a spec file, --grep)
//
// Exit codes: 0 all passed, 1 a test failed or the build failed, 2 no browser available.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureBrowser } from './system-packages.mjs';
import { pnpmCommand } from './pnpm-command.mjs';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const rebuild = args.includes('--rebuild');
const playwrightArgs = args.filter((arg) => arg !== '--rebuild');

if (!ensureBrowser()) {
  console.error('No Chromium available: install Debian\'s chromium or run `pnpm exec playwright install chromium`.');
  process.exit(2);
}

if (rebuild || !existsSync('build/sitemap.xml')) {
  console.log('Building the production site for the browser tests...');
  const [buildCommand, ...buildArgs] = pnpmCommand('-s', 'build');
  const build = spawnSync(buildCommand, buildArgs, { stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

const [command, ...commandArgs] = pnpmCommand('exec', 'playwright', 'test', ...playwrightArgs);
const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
process.exit(result.status ?? 1);
