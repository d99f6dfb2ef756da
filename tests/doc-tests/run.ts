#!/usr/bin/env tsx
/**
 * `pnpm test:runbooks [id...] [--keep] [--tool bundle|source|both] [--version current|NAME|all]`
 *
 * Executes the guides: every `runnable` step of every runbook, in page order, one shell session
 * per runbook, in a fresh sandbox with the variables' test values. Real OpenSSL, rsync, the real
 * spacetimedb-tooling (the bundled .mjs readers download; `--tool source` or `both` for the TypeScript
 * source, which the tool's own unit tests already cover) and ssh to an sshd on a loopback port.
 * Hosts are directories of the sandbox on this one machine.
 *
 * Each runnable runbook's exported Ansible playbook runs too, with ansible-playbook over SSH to the
 * same kind of sandbox (see playbook-runner.ts), next to the shell-session runs.
 *
 * Exit codes: 0 every executed step passed, 1 a step failed, 2 usage error, 3 the sandbox
 * could not be set up (no sshd, no bundle, no ansible-playbook).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadFacts, type Facts } from '../../scripts/check-commands/check-command';
import { checkStep } from '../../scripts/check-commands/check-step';
import { discoverRunbooks, runbookFingerprint, type DocRunbook } from './discover';
import { findSshd } from './ssh-hosts';
import { hasAnsiblePlaybook, hasRunnablePlaybookSteps, runPlaybook, type PlaybookRunResult } from './playbook-runner';
import { runRunbook, type RunbookResult, type StepResult } from './runner';
import type { ToolFlavour } from './sandbox';

const usage = `Usage: pnpm test:runbooks [RUNBOOK_ID...] [options]

Runs every runnable step of the guides' runbooks in a sandbox and checks exit codes and markers.

Options:
  --keep               keep each sandbox directory afterwards and print where it is
  --tool WHICH         which build of spacetimedb-tooling to put on PATH: bundle, source or both (default bundle,
                       the build readers download)
  --version WHICH      docs version to run: current, a cut version name, or all (default all;
                       a runbook identical in several versions runs once)
  --step-timeout SEC   seconds one step may take (default 120)
  --skip-playbooks     do not run the exported Ansible playbooks
  -h, --help           print this help

Exit codes: 0 all executed steps passed, 1 a step (or a playbook) failed, 2 usage error, 3 sandbox set-up failed.`;

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      keep: { type: 'boolean', default: false },
      tool: { type: 'string', default: 'bundle' },
      version: { type: 'string', default: 'all' },
      'step-timeout': { type: 'string', default: '120' },
      'skip-playbooks': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  console.error(`test:runbooks: ${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(usage);
  process.exit(0);
}
const flavours: ToolFlavour[] =
  args.values.tool === 'both' ? ['bundle', 'source'] : args.values.tool === 'bundle' || args.values.tool === 'source' ? [args.values.tool] : [];
if (flavours.length === 0) {
  console.error(`test:runbooks: --tool must be bundle, source or both, not "${args.values.tool}"`);
  process.exit(2);
}
const stepTimeoutMs = Number(args.values['step-timeout']) * 1000;
if (!(stepTimeoutMs > 0)) {
  console.error('test:runbooks: --step-timeout takes a positive number of seconds');
  process.exit(2);
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let all: DocRunbook[];
let facts: Facts;
try {
  all = discoverRunbooks(repoRoot);
  facts = loadFacts(repoRoot);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const wanted = new Set(args.positionals);
const unknown = [...wanted].filter((id) => !all.some((entry) => entry.runbook.id === id));
if (unknown.length) {
  console.error(`test:runbooks: no runbook with id ${unknown.join(', ')}. Known: ${[...new Set(all.map((e) => e.runbook.id))].join(', ')}`);
  process.exit(2);
}
const selected = all.filter(
  (entry) =>
    (wanted.size === 0 || wanted.has(entry.runbook.id)) &&
    (args.values.version === 'all' || entry.version === args.values.version),
);
if (selected.length === 0) {
  console.error(`test:runbooks: no runbook in version "${args.values.version}".`);
  process.exit(2);
}

// Set-up checks: a missing piece is a set-up error, not a silently skipped test.
if (!findSshd()) {
  console.error('test:runbooks: sshd is not installed. On Debian: apt-get install openssh-server');
  process.exit(3);
}
const runPlaybooks = !args.values['skip-playbooks'];
const keepSandboxes = args.values.keep;
if (runPlaybooks && !hasAnsiblePlaybook()) {
  console.error('test:runbooks: ansible-playbook is not installed. On Debian: apt-get install ansible-core (or pass --skip-playbooks)');
  process.exit(3);
}
if (flavours.includes('bundle')) {
  const bundle = `${repoRoot}static/tooling/spacetimedb-tooling.mjs`;
  if (!existsSync(bundle)) {
    console.log('Bundling spacetimedb-tooling (pnpm build:tooling)...');
    const built = spawnSync(`${repoRoot}node_modules/.bin/tsx`, [`${repoRoot}scripts/build-tooling.ts`], { stdio: 'inherit' });
    if (built.status !== 0 || !existsSync(bundle)) {
      console.error('test:runbooks: could not build static/tooling/spacetimedb-tooling.mjs');
      process.exit(3);
    }
  }
}

console.log(
  'Each runbook runs in its own sandbox. Hosts are directories on this one machine: ' +
    'hosts/control, hosts/server, hosts/source and hosts/destination, each the HOME of the steps that run on it; ' +
    'the SSH aliases control, server, source and destination reach an sshd on 127.0.0.1 that lands in those directories.\n',
);

const symbols: Record<StepResult['status'], string> = {
  passed: 'ok  ',
  failed: 'FAIL',
  'not-executable': 'skip',
  'not-reached': 'stop',
};

function printStep(entry: DocRunbook, step: StepResult): void {
  const detail = step.status === 'passed' ? (step.seconds === undefined ? '' : `${step.seconds.toFixed(1)} s`) : step.reason ?? '';
  console.log(`  ${symbols[step.status]} ${step.step.setup ? '(setup) ' : ''}${step.step.id} [${step.step.host === 'any' ? 'control' : step.step.host}] ${detail}`);
  if (step.status === 'failed') {
    console.log(`\n  Page: ${entry.runbook.file}:${step.step.line}\n  Step: ${step.step.id}\n  Command as run:`);
    console.log((step.command ?? '').replace(/^/gm, '    | '));
    console.log(`  Output (exit ${step.exitCode ?? '-'}):`);
    console.log((step.output ?? '').trimEnd().replace(/^/gm, '    > ') || '    (no output)');
    console.log('');
  }
}

// Playbook runs go one at a time in the background, beside the shell-session runs. A finished one's
// report waits until the session run in progress has printed its own, then prints as one block.
const playbookResults: PlaybookRunResult[] = [];
const playbookReports: (() => void)[] = [];
let playbookQueue: Promise<void> = Promise.resolve();
function queuePlaybook(entry: DocRunbook, label: string): void {
  playbookQueue = playbookQueue.then(async () => {
    try {
      const result = await runPlaybook(entry.runbook, { repoRoot, flavour: flavours[0]!, keep: keepSandboxes, stepTimeoutMs });
      playbookResults.push(result);
      playbookReports.push(() => {
        console.log(`▶ ${label}, playbook: ansible-playbook over SSH, tool: ${flavours[0] === 'bundle' ? 'bundled .mjs' : 'TypeScript source'}`);
        for (const step of result.steps) printStep(entry, step);
        if (keepSandboxes) console.log(`  sandbox kept at ${result.sandboxDir}`);
      });
    } catch (error) {
      console.error(`test:runbooks: could not set up the sandbox for the playbook of ${label}: ${(error as Error).message}`);
      process.exit(3);
    }
  });
}
function printPlaybookReports(): void {
  for (const print of playbookReports.splice(0)) print();
}

const results: RunbookResult[] = [];
const seen = new Map<string, string>();
for (const entry of selected) {
  const label = `${entry.runbook.id} (${entry.runbook.file})`;
  const fingerprint = runbookFingerprint(entry.runbook);
  const twin = seen.get(fingerprint);
  if (twin) {
    console.log(`= ${label}: identical to ${twin}, already run`);
    continue;
  }
  seen.set(fingerprint, label);
  if (runPlaybooks && hasRunnablePlaybookSteps(entry.runbook)) queuePlaybook(entry, label);
  for (const flavour of flavours) {
    console.log(`▶ ${label}, tool: ${flavour === 'bundle' ? 'bundled .mjs' : 'TypeScript source'}`);
    try {
      const result = await runRunbook(entry.runbook, {
        repoRoot,
        flavour,
        keep: args.values.keep,
        stepTimeoutMs,
        onStep: (step) => printStep(entry, step),
      });
      if (args.values.keep) console.log(`  sandbox kept at ${result.sandboxDir}`);
      results.push(result);
      printPlaybookReports();
    } catch (error) {
      console.error(`test:runbooks: could not set up the sandbox for ${label}: ${(error as Error).message}`);
      process.exit(3);
    }
  }
}

await playbookQueue;
printPlaybookReports();

// Coverage: each step counts once per runbook, whichever tool builds it ran with. A step that was not
// executed counts as checked statically when pnpm check:commands validates every command in it.
interface PageRow {
  executed: number;
  checked: number;
  unchecked: number;
  failed: number;
}
const pages = new Map<string, PageRow>();
let executed = 0;
let checkedStatically = 0;
let unchecked = 0;
let failedSteps = 0;
let failedRunSteps = 0;
let passedRuns = 0;
let failedRuns = 0;
const notChecked: string[] = [];
const staticFailures: string[] = [];
const byRunbook = new Map<string, RunbookResult[]>();
for (const result of results) {
  const key = `${result.runbook.file}#${result.runbook.id}`;
  byRunbook.set(key, [...(byRunbook.get(key) ?? []), result]);
  for (const step of result.steps) {
    if (step.status === 'passed') passedRuns++;
    if (step.status === 'failed' || step.status === 'not-reached') failedRuns++;
  }
}
for (const runs of byRunbook.values()) {
  const runbook = runs[0]!.runbook;
  const page = runbook.file;
  const row = pages.get(page) ?? { executed: 0, checked: 0, unchecked: 0, failed: 0 };
  runs[0]!.steps.forEach(({ step }, index) => {
    const statuses = runs.map((run) => run.steps[index]!.status);
    if (statuses.includes('not-executable')) {
      const check = checkStep(runbook, step, facts);
      const where = `${page}:${step.line} ${runbook.id}/${step.id}`;
      if (check.status === 'checked') {
        row.checked++;
        checkedStatically++;
      } else if (check.status === 'failed') {
        row.failed++;
        failedSteps++;
        staticFailures.push(...check.errors.map((error) => `  ${where}: ${error.message}`));
      } else {
        row.unchecked++;
        unchecked++;
        notChecked.push(`  ${where}: ${check.reasons.join('; ')}`);
      }
    } else if (statuses.every((status) => status === 'passed')) {
      row.executed++;
      executed++;
    } else {
      row.failed++;
      failedSteps++;
      failedRunSteps++;
    }
  });
  pages.set(page, row);
}
// Playbooks: per page, the steps their playbooks passed of those they ran (setup steps and steps
// skipped by their needs tags left out). Each playbook step is one more run in the runbooks line.
const playbookPages = new Map<string, { passed: number; ran: number }>();
let passedPlaybooks = 0;
let failedPlaybooks = 0;
for (const result of playbookResults) {
  const row = playbookPages.get(result.runbook.file) ?? { passed: 0, ran: 0 };
  const ran = result.steps.filter((step) => !step.step.setup && step.status !== 'not-executable');
  row.ran += ran.length;
  row.passed += ran.filter((step) => step.status === 'passed').length;
  playbookPages.set(result.runbook.file, row);
  if (result.steps.every((step) => step.status === 'passed' || step.status === 'not-executable')) passedPlaybooks++;
  else failedPlaybooks++;
  for (const step of ran) {
    if (step.status === 'passed') passedRuns++;
    else failedRuns++;
  }
}

console.log('\nPer page:');
const width = Math.max(...[...pages.keys()].map((page) => page.length), 4);
console.log(`  ${'page'.padEnd(width)}  executed  checked statically  unchecked  failed`);
for (const [page, row] of pages) {
  console.log(
    `  ${page.padEnd(width)}  ${String(row.executed).padStart(8)}  ${String(row.checked).padStart(18)}  ${String(row.unchecked).padStart(9)}  ${String(row.failed).padStart(6)}`,
  );
}
if (playbookPages.size > 0) {
  console.log('\nPlaybooks per page (ansible-playbook over SSH):');
  console.log(`  ${'page'.padEnd(width)}  steps passed  steps run`);
  for (const [page, row] of playbookPages) {
    console.log(`  ${page.padEnd(width)}  ${String(row.passed).padStart(12)}  ${String(row.ran).padStart(9)}`);
  }
}
if (staticFailures.length) console.log(`\nNot executed, and wrong by pnpm check:commands:\n${staticFailures.join('\n')}`);
if (notChecked.length) console.log(`\nNot executed and not checked statically (why):\n${notChecked.join('\n')}`);
const total = executed + checkedStatically + unchecked + failedSteps;
console.log(`\nrunbook steps: ${executed} executed, ${checkedStatically} checked statically, ${unchecked} unchecked, ${failedSteps} failed`);
console.log(`executable share: ${total ? ((100 * (executed + failedRunSteps)) / total).toFixed(0) : 0}% of ${total} steps`);
if (runPlaybooks) console.log(`playbooks: ${passedPlaybooks} passed, ${failedPlaybooks} failed`);
console.log(`runbooks: ${passedRuns} passed, ${failedRuns} failed`);
process.exit(failedSteps > 0 || failedPlaybooks > 0 ? 1 : 0);
