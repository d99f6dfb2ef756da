#!/usr/bin/env node
// `pnpm test`: every check the project has.
//
//   pnpm test                 stages run side by side, one more at once than the machine has cores
//   pnpm test --jobs N        at most N stages at once (TEST_JOBS=N does the same)
//   pnpm test --serial        one stage at a time, its output streamed as it comes (--jobs 1)
//
// A stage starts once the stages it waits for have ended (`after`) or passed (`needs`) and a slot is
// free; the list order is the order slots are handed out: the longest stage (unit tests) and the long
// chain (build, then the browser and doc tests) first, the quick checks beside them. With more than one job, a stage's output is held back
// and printed as one block when it ends, so blocks never interleave. Each stage runs even when
// another failed, except those that need a failed one. The summary gives every stage's time, and the
// last line sums the tests run by every stage:
//
//   tests: N passed, M failed
//
// Exit codes: 0 everything passed, 1 a stage failed, 2 usage error.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { pnpmCommand } from './pnpm-command.mjs';

/** @typedef {{ name: string; command: string[]; after?: string[]; needs?: string[] }} Stage */

/** @type {Stage[]} */
const stages = [
  // Programs the later stages run (Chromium, OpenSSL, rsync, sshd, shellcheck, Ansible): installed as
  // root with apt-get, otherwise named with the command that installs them. Stages that run those
  // programs start after it, so nothing runs while apt-get installs.
  { name: 'system packages', command: [process.execPath, 'scripts/system-packages.mjs'] },
  // The longest stage, so it starts first.
  { name: 'unit tests', command: pnpmCommand('-s', 'test:unit'), after: ['system packages'] },
  { name: 'production build', command: pnpmCommand('-s', 'build') },
  // ESLint (typescript-eslint, React hooks) and knip (unused files, exports, dependencies).
  { name: 'lint', command: pnpmCommand('-s', 'lint') },
  { name: 'typecheck', command: pnpmCommand('-s', 'typecheck') },
  // The browser and doc tests read the build (which also bundles the tool the runbooks call).
  { name: 'browser tests', command: pnpmCommand('-s', 'test:e2e'), after: ['system packages'], needs: ['production build'] },
  { name: 'runbook doc tests', command: pnpmCommand('-s', 'test:runbooks'), after: ['system packages'], needs: ['production build'] },
  // The generated CLI reference matches tooling/options.ts, and no doc links absolutely to a page
  // (so a link in a version keeps pointing inside that version once it is cut).
  { name: 'cli reference up to date', command: pnpmCommand('-s', 'generate-cli-docs', '--check') },
  { name: 'docs links relative', command: pnpmCommand('-s', 'rewrite-links', '--check') },
  // Every runbook step's commands use subcommands, flags and routes the pinned SpacetimeDB release has
  // (facts/) and flags spacetimedb-tooling has; its last line is `check:commands: N passed, M failed`,
  // N the steps checked statically, M the steps with a wrong command.
  { name: 'runbook commands match the facts', command: pnpmCommand('-s', 'check:commands') },
];

const HELP = 'Usage: pnpm test [--jobs N | --serial]';

/**
 * How many stages may run at once: --serial, --jobs N, TEST_JOBS, else one more than the machine's
 * cores. No stage keeps every core busy all the time (they wait on the programs they start: ssh,
 * ansible, git, the browser), so the extra stage fills the gaps: on two cores, 2 at a time took
 * 382 s and 3 at a time 333 s.
 */
function parseJobs(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    process.exit(0);
  }
  if (argv.includes('--serial')) return 1;
  const flag = argv.indexOf('--jobs');
  const raw = flag >= 0 ? argv[flag + 1] : process.env.TEST_JOBS;
  if (raw === undefined) return availableParallelism() + 1;
  const jobs = Number(raw);
  if (!Number.isInteger(jobs) || jobs < 1) {
    console.error(`pnpm test: --jobs (or TEST_JOBS) takes a whole number of at least 1, not "${raw}"\n${HELP}`);
    process.exit(2);
  }
  return jobs;
}

/** Test counts as the runners print them: node's test runner, Playwright, and our own plain line. */
function countTests(output) {
  const clean = stripVTControlCharacters(output);
  const last = (pattern) => {
    const matches = [...clean.matchAll(pattern)];
    return matches.length ? Number(matches[matches.length - 1][1]) : 0;
  };
  const nodePassed = last(/^ℹ pass (\d+)$/gm);
  const nodeFailed = last(/^ℹ fail (\d+)$/gm);
  const pwPassed = last(/^\s+(\d+) passed \(/gm);
  const pwFailed = last(/^\s+(\d+) failed$/gm);
  const plainPassed = last(/^(?:[\w:]+: )?(\d+) passed, \d+ failed/gm);
  const plainFailed = last(/^(?:[\w:]+: )?\d+ passed, (\d+) failed/gm);
  return {
    passed: nodePassed + pwPassed + plainPassed,
    failed: nodeFailed + pwFailed + plainFailed,
  };
}

/** Runs one stage; `live` streams its output, otherwise it is returned to be printed in one block. */
function runStage(stage, live) {
  return new Promise((resolve) => {
    const [command, ...args] = stage.command;
    const started = Date.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (stream) => (chunk) => {
      output += chunk;
      if (live) stream.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    const finish = (ok) => resolve({ ok, output, seconds: (Date.now() - started) / 1000, ...countTests(output) });
    child.on('error', (error) => {
      output += `\n${stage.name}: could not start ${command}: ${error.message}\n`;
      finish(false);
    });
    child.on('close', (code) => finish(code === 0));
  });
}

const jobs = parseJobs(process.argv.slice(2));
const live = jobs === 1;
/** @type {Map<string, { ok: boolean; seconds?: number; skipped?: string }>} */
const results = new Map();
const running = new Set();
let passed = 0;
let failed = 0;
const suiteStarted = Date.now();

function elapsed() {
  return `${Math.round((Date.now() - suiteStarted) / 1000)} s`;
}

/** The next stage that may start now, or undefined; stages whose needs failed are marked not run. */
function nextStage() {
  for (const stage of stages) {
    if (results.has(stage.name) || running.has(stage.name)) continue;
    const failedNeed = (stage.needs ?? []).find((name) => results.has(name) && !results.get(name).ok);
    if (failedNeed) {
      console.log(`\n=== ${stage.name}: not run, because ${failedNeed} failed`);
      results.set(stage.name, { ok: false, skipped: failedNeed });
      continue;
    }
    const waitsFor = [...(stage.after ?? []), ...(stage.needs ?? [])];
    if (waitsFor.every((name) => results.has(name))) return stage;
  }
  return undefined;
}

async function start(stage) {
  running.add(stage.name);
  console.log(live ? `\n=== ${stage.name}` : `--- ${stage.name}: started (at ${elapsed()})`);
  const result = await runStage(stage, live);
  running.delete(stage.name);
  if (!live) {
    console.log(`\n=== ${stage.name}`);
    process.stdout.write(result.output.endsWith('\n') || result.output === '' ? result.output : `${result.output}\n`);
  }
  results.set(stage.name, { ok: result.ok, seconds: result.seconds });
  passed += result.passed;
  failed += result.failed;
  console.log(`=== ${stage.name}: ${result.ok ? 'ok' : 'FAILED'} (${result.seconds.toFixed(1)} s, at ${elapsed()})`);
}

await new Promise((allDone) => {
  const fill = () => {
    let stage;
    while (running.size < jobs && (stage = nextStage())) void start(stage).then(fill);
    if (running.size === 0 && results.size === stages.length) allDone();
  };
  fill();
});

console.log(`\nSummary (${jobs} at a time, ${elapsed()} in all):`);
for (const stage of stages) {
  const result = results.get(stage.name);
  const detail = result.skipped ? `not run: ${result.skipped} failed` : `${result.seconds.toFixed(1)} s`;
  console.log(`  ${result.ok ? 'ok    ' : 'FAILED'} ${stage.name} (${detail})`);
}
const allOk = [...results.values()].every((result) => result.ok);
// A failed stage with no failing test (a type error, a build error) still counts as one failure.
if (!allOk && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(allOk ? 0 : 1);
