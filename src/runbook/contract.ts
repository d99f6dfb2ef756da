/**
 * The machine-readable contract: each runbook as JSON, published at build time under
 * `<baseUrl>runbooks/`. Documented on the reference page "Runbook contract"; bump
 * `CONTRACT_SCHEMA_VERSION` on any change that is not a new optional field.
 */
import type { Host, Markers, Need, Runbook } from './model';

export const CONTRACT_SCHEMA_VERSION = 1;

export interface ContractVariable {
  name: string;
  default: string;
  description: string;
  options: string[];
  pattern: string | null;
  secret: boolean;
  test: string | null;
}

export interface ContractStep {
  id: string;
  title: string;
  host: Host;
  command: string;
  lang: string;
  destructive: boolean;
  dryRun: string | null;
  markers: Markers;
  runnable: boolean;
  needs: Need[];
  setup: boolean;
  exit: number;
  variables: string[];
  line: number;
}

export interface ContractRunbook {
  schemaVersion: number;
  id: string;
  title: string;
  /** Docs version the runbook belongs to (`current`, `1.0`, ...). */
  version: string;
  /** Source file relative to the site directory. */
  page: string;
  line: number;
  /** Path of the runbook on the site, base URL included, with a fragment pointing at it. */
  url: string;
  variables: ContractVariable[];
  steps: ContractStep[];
}

export interface ContractIndexEntry {
  id: string;
  title: string;
  page: string;
  url: string;
}

export interface ContractIndex {
  schemaVersion: number;
  version: string;
  runbooks: ContractIndexEntry[];
}

/** Where a runbook is on the page: the id of its section element. */
export function runbookAnchor(runbookId: string): string {
  return `runbook-${runbookId}`;
}

/** Folder of a docs version under `runbooks/`: its docs URL segment for `current` (`next`), else its name. */
export function versionDirectory(versionName: string): string {
  return versionName === 'current' ? 'next' : versionName;
}

/** The file a runbook's Ansible playbook is published as, next to its JSON contract (`<id>.json`). */
export function playbookFileName(runbookId: string): string {
  return `${runbookId}.ansible.yml`;
}

/** Where a step is on the page. */
export function stepAnchor(runbookId: string, stepId: string): string {
  return `runbook-${runbookId}--${stepId}`;
}

export function toContract(runbook: Runbook, where: { version: string; permalink: string }): ContractRunbook {
  return {
    schemaVersion: CONTRACT_SCHEMA_VERSION,
    id: runbook.id,
    title: runbook.title,
    version: where.version,
    page: runbook.file,
    line: runbook.line,
    url: `${where.permalink}#${runbookAnchor(runbook.id)}`,
    // Every field of a variable but its source line.
    variables: runbook.variables.map(({ line: _line, ...variable }) => variable),
    steps: runbook.steps.map((step) => ({
      id: step.id,
      title: step.title,
      host: step.host,
      command: step.command,
      lang: step.lang,
      destructive: step.destructive,
      dryRun: step.dryRun,
      markers: step.markers,
      runnable: step.runnable,
      needs: step.needs,
      setup: step.setup,
      exit: step.exit,
      variables: step.variables,
      line: step.line,
    })),
  };
}

export function toContractIndex(version: string, runbooks: readonly ContractRunbook[]): ContractIndex {
  return {
    schemaVersion: CONTRACT_SCHEMA_VERSION,
    version,
    runbooks: runbooks.map(({ id, title, page, url }) => ({ id, title, page, url })),
  };
}
