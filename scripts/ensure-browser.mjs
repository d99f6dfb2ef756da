#!/usr/bin/env node
// Makes sure the end-to-end tests have a Chromium to drive.
//
// - Debian's /usr/bin/chromium is used when it exists (playwright.config.ts points at it).
// - Otherwise, when running as root on a machine with apt-get, Debian's `chromium` is installed.
// - Otherwise Playwright downloads its own Chromium (`playwright install chromium`).
//
// Exit codes: 0 a browser is available, 1 none could be installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pnpmCommand } from './pnpm-command.mjs';

const debianChromium = '/usr/bin/chromium';

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function ensureBrowser() {
  if (existsSync(debianChromium)) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasCommand('apt-get')) {
    console.log('Chromium is missing: installing Debian\'s chromium package.');
    if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'chromium'])) {
      return existsSync(debianChromium);
    }
    console.error('apt-get could not install chromium; trying Playwright\'s own browser.');
  }
  const [command, ...args] = pnpmCommand('exec', 'playwright', 'install', 'chromium');
  return run(command, args);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(ensureBrowser() ? 0 : 1);
}
