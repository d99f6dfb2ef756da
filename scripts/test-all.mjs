#!/usr/bin/env node
// `pnpm test`: every check the project has, in the order a failure is cheapest to find.
// Each stage runs even when an earlier one failed (except the browser tests, which need a build),
// and the last line sums the tests run by every stage:
//
//   tests: N passed, M failed
//
// Exit codes: 0 everything passed, 1 a stage failed.
import { spawn } from 'node:child_process';
import { ensureAnsible } from './ensure-ansible.mjs';
import { pnpmCommand } from './pnpm-command.mjs';

/** @type {{ name: string; command: string[]; needs?: string }[]} */
const stages = [
  { name: 'typecheck', command: pnpmCommand('-s', 'typecheck') },
  // The generated CLI reference matches tooling/options.ts, and no doc links absolutely to a page
  // (so a link in a version keeps pointing inside that version once it is cut).
  { name: 'cli reference up to date', command: pnpmCommand('-s', 'generate-cli-docs', '--check') },
  { name: 'docs links relative', command: pnpmCommand('-s', 'rewrite-links', '--check') },
  { name: 'unit tests', command: pnpmCommand('-s', 'test:unit') },
  { name: 'production build', command: pnpmCommand('-s', 'build') },
  // Runs after the build, which bundles the tool the runbooks call.
  { name: 'runbook doc tests', command: pnpmCommand('-s', 'test:runbooks'), needs: 'production build' },
  { name: 'browser tests', command: pnpmCommand('-s', 'test:e2e'), needs: 'production build' },
];

/** Test counts as the runners print them: node's test runner, Playwright, and our own plain line. */
function countTests(output) {
  const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
  const last = (pattern) => {
    const matches = [...clean.matchAll(pattern)];
    return matches.length ? Number(matches[matches.length - 1][1]) : 0;
  };
  const nodePassed = last(/^ℹ pass (\d+)$/gm);
  const nodeFailed = last(/^ℹ fail (\d+)$/gm);
  const pwPassed = last(/^\s+(\d+) passed \(/gm);
  const pwFailed = last(/^\s+(\d+) failed$/gm);
  const plainPassed = last(/^(?:\w+: )?(\d+) passed, \d+ failed/gm);
  const plainFailed = last(/^(?:\w+: )?\d+ passed, (\d+) failed/gm);
  return {
    passed: nodePassed + pwPassed + plainPassed,
    failed: nodeFailed + pwFailed + plainFailed,
  };
}

function runStage(stage) {
  return new Promise((resolve) => {
    const [command, ...args] = stage.command;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code) => resolve({ ok: code === 0, ...countTests(output) }));
  });
}

// The unit tests lint the exported playbooks and the doc tests run them: install Ansible first when
// it is missing and this is a root shell with apt-get. Without it, those tests fail and say why.
console.log('=== system packages: Ansible');
ensureAnsible();

const results = new Map();
let passed = 0;
let failed = 0;
for (const stage of stages) {
  if (stage.needs && !results.get(stage.needs)) {
    console.log(`\n=== ${stage.name}: not run, because ${stage.needs} failed`);
    results.set(stage.name, false);
    continue;
  }
  console.log(`\n=== ${stage.name}`);
  const started = Date.now();
  const result = await runStage(stage);
  results.set(stage.name, result.ok);
  passed += result.passed;
  failed += result.failed;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`=== ${stage.name}: ${result.ok ? 'ok' : 'FAILED'} (${seconds} s)`);
}

console.log('\nSummary:');
for (const [name, ok] of results) console.log(`  ${ok ? 'ok    ' : 'FAILED'} ${name}`);
const allOk = [...results.values()].every(Boolean);
// A failed stage with no failing test (a type error, a build error) still counts as one failure.
if (!allOk && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(allOk ? 0 : 1);
