#!/usr/bin/env node
// Runs every unit test (`*.test.ts` under tests/, tooling/, scripts/ and src/) with
// Node's own test runner, TypeScript loaded through tsx.
//
//   pnpm test:unit                 every unit test
//   pnpm test:unit tests/runbook-model   only the test files whose path contains one of the words
//
// Test files run side by side, as many as the machine has cores (node's own default leaves one core
// idle): most files spend their time waiting on the programs they start (openssl, git, bash, ansible).
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

const filters = process.argv.slice(2);
const files = searched
  .flatMap((dir) => findTests(join(root, dir)))
  .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
  .sort();

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
