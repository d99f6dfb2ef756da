#!/usr/bin/env node
// Makes sure the playbook tests have Ansible: `ansible-playbook` (Debian package ansible-core) runs the
// exported runbook playbooks in the doc tests, `ansible-lint` (Debian package ansible-lint) checks them
// in the unit tests.
//
// - When both commands exist, nothing happens.
// - Otherwise, when running as root on a machine with apt-get, the missing Debian packages are installed.
// - Otherwise it says what to install; the tests that need Ansible then fail with the same advice.
//
// Exit codes: 0 both commands are available, 1 they are not.
import { spawnSync } from 'node:child_process';

const packages = [
  { command: 'ansible-playbook', debian: 'ansible-core' },
  { command: 'ansible-lint', debian: 'ansible-lint' },
];

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

export function ensureAnsible() {
  const missing = packages.filter((entry) => !hasCommand(entry.command));
  if (missing.length === 0) return true;
  const names = missing.map((entry) => entry.debian);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasCommand('apt-get')) {
    console.log(`Ansible is missing: installing Debian's ${names.join(' and ')}.`);
    if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names])) {
      return packages.every((entry) => hasCommand(entry.command));
    }
    console.error(`apt-get could not install ${names.join(', ')}.`);
    return false;
  }
  console.error(`${missing.map((entry) => entry.command).join(' and ')} not found: install the Debian packages ${names.join(' ')} (apt-get install ${names.join(' ')}).`);
  return false;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(ensureAnsible() ? 0 : 1);
}
