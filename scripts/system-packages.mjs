#!/usr/bin/env node
// The programs `pnpm test` needs from the operating system, and how they get there.
//
//   node scripts/system-packages.mjs            check; as root with apt-get, install what is missing
//   node scripts/system-packages.mjs --check    only report (never installs)
//
// As root on a machine with apt-get, missing Debian packages are installed in one `apt-get install`.
// Otherwise the missing programs are listed with the command that installs them, and the exit code is
// 1. Chromium is the exception: without Debian's /usr/bin/chromium and without root, Playwright's own
// Chromium is downloaded instead (`playwright install chromium`), as on machines that are not Debian.
//
// Exit codes: 0 everything is there, 1 something is missing and could not be installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pnpmCommand } from './pnpm-command.mjs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Each program a test stage runs, the Debian package that provides it, and who needs it. */
export const REQUIRED = [
  { program: 'chromium', package: 'chromium', usedBy: 'browser tests (Playwright drives it)' },
  { program: 'openssl', package: 'openssl', usedBy: "the tool's interop tests, the runbook doc tests" },
  { program: 'rsync', package: 'rsync', usedBy: 'the data-move runbooks' },
  { program: 'sshd', package: 'openssh-server', usedBy: 'the doc tests (an sshd on a loopback port)', paths: ['/usr/sbin/sshd'] },
  { program: 'ssh', package: 'openssh-client', usedBy: 'the doc tests (ssh to the sandbox hosts)' },
  { program: 'ssh-keygen', package: 'openssh-client', usedBy: "the doc tests (throwaway host keys)" },
  { program: 'shellcheck', package: 'shellcheck', usedBy: 'the exported runbook scripts' },
  { program: 'ansible-playbook', package: 'ansible-core', usedBy: 'the exported playbooks (syntax check, doc tests)' },
  { program: 'ansible-lint', package: 'ansible-lint', usedBy: 'the exported playbooks (lint)' },
];

function hasProgram(entry) {
  if (entry.program === 'chromium') return existsSync(DEBIAN_CHROMIUM);
  if (entry.paths?.some((path) => existsSync(path))) return true;
  return spawnSync('sh', ['-c', `command -v ${entry.program}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

const canApt = () =>
  typeof process.getuid === 'function' &&
  process.getuid() === 0 &&
  spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;

/** The required entries that are not on this machine. */
export function missingPrograms() {
  return REQUIRED.filter((entry) => !hasProgram(entry));
}

function aptInstall(packages) {
  return run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
}

/** Playwright's own Chromium, for machines without Debian's package and without root. */
function playwrightChromium() {
  const [command, ...args] = pnpmCommand('exec', 'playwright', 'install', 'chromium');
  return run(command, args);
}

/** Makes sure a browser exists for the browser tests (Debian's, else Playwright's). */
export function ensureBrowser() {
  if (existsSync(DEBIAN_CHROMIUM)) return true;
  if (canApt() && aptInstall(['chromium']) && existsSync(DEBIAN_CHROMIUM)) return true;
  return playwrightChromium();
}

/** Installs (as root with apt-get) or reports what is missing. Returns true when nothing is missing. */
export function ensureSystemPackages({ install = true } = {}) {
  const missing = missingPrograms();
  if (missing.length === 0) {
    console.log(`system packages: all ${REQUIRED.length} programs present`);
    return true;
  }
  const packages = [...new Set(missing.map((entry) => entry.package))];
  if (install && canApt()) {
    console.log(`system packages: installing ${packages.join(', ')}`);
    aptInstall(packages);
  }
  const still = missingPrograms();
  const browserOnly = still.length === 1 && still[0].program === 'chromium';
  if (browserOnly && install && playwrightChromium()) return true;
  if (still.length === 0) return true;
  console.error('system packages: missing programs:');
  for (const entry of still) console.error(`  ${entry.program} (Debian package ${entry.package}): ${entry.usedBy}`);
  const stillPackages = [...new Set(still.map((entry) => entry.package))];
  console.error(`Install them with:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${stillPackages.join(' ')}`);
  return false;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(ensureSystemPackages({ install: !process.argv.includes('--check') }) ? 0 : 1);
}
