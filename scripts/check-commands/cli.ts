#!/usr/bin/env tsx
/**
 * `pnpm check:commands`: checks the command of every step of every runbook in every docs version
 * against what the pinned SpacetimeDB release accepts (facts/) and against spacetimedb-tooling's own
 * option table, without running anything.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { discoverRunbooks, type DocRunbook } from '../../tests/doc-tests/discover';
import { loadFacts, type Facts } from './check-command';
import { checkStep, type StepCheck } from './check-step';

export const HELP = `Usage: pnpm check:commands [--verbose] [--site DIR] [--facts DIR]

Reads every step of every runbook in docs/ and versioned_docs/ (through the runbook parser) and checks
each command it runs: spacetime, spacetimedb-standalone and spacetimedb-update invocations against
facts/spacetime-cli.json, curl requests to a SpacetimeDB server against facts/http-routes.json, and
spacetimedb-tooling against tooling/options.ts. Nothing is executed.

A step is "checked statically" when every SpacetimeDB-facing command in it was validated and the
rest are recognised general-purpose tools; "unchecked" when it runs something the checker has no
facts about (docker, systemctl, az, an unknown program) or no SpacetimeDB command at all. The last
line, "check:commands: P passed, F failed", counts the steps checked statically (P) and the steps
with a wrong command (F); unchecked steps count as neither.

Options:
  --verbose     also list every unchecked step with the reason
  --site DIR    the site whose docs/ and versioned_docs/ to read (default: this repository)
  --facts DIR   the directory holding facts/ (default: this repository)
  -h, --help    print this help

Exit codes:
  0  no command is wrong
  1  a command uses an unknown subcommand, option, value or route (each printed as file:line)
  2  usage error
  3  the facts or a page could not be read (the message names the file)
`;

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface StepResult {
  entry: DocRunbook;
  stepIndex: number;
  check: StepCheck;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function run(argv: readonly string[], io: Output, defaultSite = repoRoot): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        verbose: { type: 'boolean', default: false },
        site: { type: 'string' },
        facts: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`check:commands: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const site = values.site ?? defaultSite;
  let facts: Facts;
  let runbooks: DocRunbook[];
  try {
    facts = loadFacts(values.facts ?? repoRoot);
    runbooks = discoverRunbooks(site);
  } catch (error) {
    io.err(`check:commands: ${(error as Error).message}`);
    return 3;
  }

  const results: StepResult[] = runbooks.flatMap((entry) =>
    entry.runbook.steps.map((step, stepIndex) => ({ entry, stepIndex, check: checkStep(entry.runbook, step, facts) })),
  );

  for (const { entry, stepIndex, check } of results) {
    const step = entry.runbook.steps[stepIndex]!;
    for (const error of check.errors) {
      const where = error.origin === 'file' ? `line ${error.line} of the file its here-document writes` : `line ${error.line} of its command`;
      io.err(`${entry.runbook.file}:${step.line}: step ${entry.runbook.id}/${step.id} (${where}): ${error.message}`);
      io.err(`    command: ${error.command.replace(/\n/g, '\n             ')}`);
    }
  }

  const count = (status: StepCheck['status']) => results.filter((result) => result.check.status === status).length;
  const unchecked = results.filter((result) => result.check.status === 'unchecked');
  const executedByDocTests = (result: StepResult) => {
    const step = result.entry.runbook.steps[result.stepIndex]!;
    return step.runnable || step.setup;
  };
  if (values.verbose && unchecked.length) {
    io.out('Steps not checked statically, and why (runnable ones are executed by pnpm test:runbooks):');
    for (const result of unchecked) {
      const step = result.entry.runbook.steps[result.stepIndex]!;
      const note = executedByDocTests(result) ? ' [runnable]' : '';
      io.out(`  ${result.entry.runbook.file}:${step.line} ${result.entry.runbook.id}/${step.id}${note}: ${result.check.reasons.join('; ')}`);
    }
  }
  const versions = new Set(runbooks.map((entry) => entry.version)).size;
  io.out(
    `check:commands: ${results.length} steps in ${runbooks.length} runbooks (${versions} docs version${versions === 1 ? '' : 's'}): ` +
      `${count('checked')} checked statically, ${unchecked.length} unchecked (${unchecked.filter(executedByDocTests).length} of them runnable), ${count('failed')} failed`,
  );
  // The plain line pnpm test adds to its count: a step passes when it was checked statically, so steps
  // nothing could check (left to pnpm test:runbooks, or to a reader) are not counted as tests.
  io.out(`check:commands: ${count('checked')} passed, ${count('failed')} failed`);
  return count('failed') > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(run(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) }));
}
