#!/usr/bin/env node
// Runs every unit test (`*.test.ts` under tests/, tooling/, scripts/ and src/) with
// Node's own test runner, TypeScript loaded through tsx.
//
//   pnpm test:unit                 every unit test
//   pnpm test:unit tests/runbook-model   only the test files whose path contains one of the words
//
// Test files run side by side, as many as the machine has cores (node's own default leaves one core
// idle), the long ones first.
//
// Exit code: the test runner's (0 all passed, 1 something failed).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const searched = ['tests', 'tooling', 'scripts', 'src'];
const skipped = new Set(['node_modules', 'fixtures', 'e2e', 'build', '.docusaurus']);

function findTests(dir) {
  let found = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skipped.has(name)) found = found.concat(findTests(path));
    } else if (name.endsWith('.test.ts')) {
      found.push(relative(root, path));
    }
  }
  return found;
}

/**
 * Files that take tens of seconds (a real pnpm install, Docusaurus builds, ansible-lint, Ansible runs)
 * start first, so that no long file starts last and runs alone at the end.
 */
const LONG_FIRST = [
  'tests/get-old-docs/',
  'tests/runbook-model/ansible-playbooks',
  'tests/runbook-model/ansible.test',
  'tests/doc-tests/playbook-runner',
  'tests/versioning/',
];
const rank = (file) => {
  const index = LONG_FIRST.findIndex((prefix) => file.startsWith(prefix));
  return index < 0 ? LONG_FIRST.length : index;
};

const filters = process.argv.slice(2);
const files = searched
  .flatMap((dir) => findTests(join(root, dir)))
  .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

if (files.length === 0) {
  console.error(`No unit test files match ${filters.join(' ') || '*.test.ts'}.`);
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${availableParallelism()}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
