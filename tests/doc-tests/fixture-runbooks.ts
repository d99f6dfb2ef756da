/** What the two runner tests (shell sessions and playbooks) share: the fixture runbooks and what they expect. */
import { readFileSync } from 'node:fs';
import { parseRunbooks } from '../../src/runbook/markdown/parse';
import type { Runbook } from '../../src/runbook/model';

/** A runbook of `fixtures/<file>`, parsed as a page is; throws when the id is not there. */
export function fixtureRunbook(file: string, id: string): Runbook {
  const runbook = parseRunbooks(readFileSync(new URL(`fixtures/${file}`, import.meta.url), 'utf8'), `tests/doc-tests/fixtures/${file}`).find(
    (candidate) => candidate.id === id,
  );
  if (!runbook) throw new Error(`tests/doc-tests/fixtures/${file} has no runbook ${id}`);
  return runbook;
}

/** Each step's outcome, by step id. */
export function stepStatuses(result: { steps: readonly { step: { id: string }; status: string }[] }): Record<string, string> {
  return Object.fromEntries(result.steps.map((step) => [step.step.id, step.status]));
}

/**
 * `runner-fixture` of hosts-and-markers.md, whichever runner runs it: every step runs on its host but
 * the one that needs a SpacetimeDB server.
 */
export const HOSTS_FIXTURE_OUTCOME = {
  write: 'passed',
  carry: 'passed',
  copy: 'passed',
  read: 'passed',
  publish: 'not-executable',
} as const;
