/**
 * The runbook model: plain data parsed once from a page's markdown, then read by the page components,
 * the script export, the JSON contract and the doc-test runner. No React, no Node APIs here.
 */

/** Where a step runs. Shown as a badge on the page and named in the exported script. */
export const HOSTS = ['control', 'server', 'source', 'destination', 'any'] as const;
export type Host = (typeof HOSTS)[number];

/** Readable names of the hosts, for badges and script comments. */
export const HOST_LABELS: Readonly<Record<Host, string>> = {
  control: 'Control host',
  server: 'Server',
  source: 'Source host',
  destination: 'Destination host',
  any: 'Any host',
};

/** What a step that CI cannot run needs (`needs="docker,ssh"`). */
export const KNOWN_NEEDS = [
  'docker',
  'az',
  'aws',
  'gcloud',
  'spacetimedb',
  'ssh',
  'systemd',
  'root',
  'network',
  'interactive',
] as const;
export type Need = (typeof KNOWN_NEEDS)[number];

/** A value the reader types once; every `{{NAME}}` in the runbook's commands shows it. */
export interface Variable {
  /** `UPPER_SNAKE_CASE`; the placeholder is `{{NAME}}`, the script variable `${NAME}`. */
  name: string;
  /** Shown before the reader types anything (and in the HTML served without JavaScript). `''` if none. */
  default: string;
  description: string;
  /** Allowed values, in order (`options="prod|test|dev|local"`); empty when any value is allowed. */
  options: string[];
  /** A JavaScript regular expression the whole value must match, or null. */
  pattern: string | null;
  /** Never stored, never put in a URL or an exported script. */
  secret: boolean;
  /** The value CI uses when it runs the runbook; null means "use the default". */
  test: string | null;
  /** Line of the `::var` directive in the source file. */
  line: number;
}

export interface Markers {
  /** Strings that must all appear in the step's output. */
  success: string[];
  /** Strings that must not appear in the step's output. */
  failure: string[];
}

export interface Step {
  /** Unique within its runbook; lower-case words joined by dashes. */
  id: string;
  title: string;
  host: Host;
  /** The command as written, placeholders included, without a trailing newline. */
  command: string;
  /** The fence's language (`bash` if none was given). */
  lang: string;
  destructive: boolean;
  /** Id of the step that is this step's dry run, or null. */
  dryRun: string | null;
  markers: Markers;
  /** CI may execute this step (setup steps always are). */
  runnable: boolean;
  /** Why CI cannot run it (`docker`, `ssh`, ...); empty when runnable. */
  needs: Need[];
  /** A hidden setup step: run by CI before the others in order, never shown or exported. */
  setup: boolean;
  /** The exit code the command is expected to end with. */
  exit: number;
  /** Names of the variables the command uses, in order of first use. */
  variables: string[];
  /** Line of the `:::step` directive in the source file. */
  line: number;
}

export interface Runbook {
  id: string;
  title: string;
  /** The source file, relative to the site directory (e.g. `docs/00300-how-to/00700-rotate-keys.md`). */
  file: string;
  line: number;
  variables: Variable[];
  /** In the order they appear on the page, setup steps included. */
  steps: Step[];
}

/** Names of the directives this project owns. None collides with a Docusaurus admonition. */
export const DIRECTIVES = { runbook: 'runbook', variable: 'var', step: 'step' } as const;

/** Ids of runbooks and steps: they end up in file names and URL fragments. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Variable names, and so the only text `{{...}}` placeholders may hold. */
export const VARIABLE_NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * Names a runbook variable may not take: the exported script assigns every variable as a shell
 * variable, and these already mean something to bash or to the programs it starts.
 */
const RESERVED_VARIABLE_NAMES: ReadonlySet<string> = new Set([
  'BASH',
  'CDPATH',
  'EUID',
  'GROUPS',
  'HOME',
  'HOSTNAME',
  'HOSTTYPE',
  'IFS',
  'LANG',
  'LINENO',
  'LOGNAME',
  'MACHTYPE',
  'OLDPWD',
  'OPTARG',
  'OPTIND',
  'OSTYPE',
  'PATH',
  'PIPESTATUS',
  'PPID',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'PWD',
  'RANDOM',
  'REPLY',
  'SECONDS',
  'SHELL',
  'SHELLOPTS',
  'SHLVL',
  'TERM',
  'TMPDIR',
  'UID',
  'USER',
]);

export function isReservedVariableName(name: string): boolean {
  return RESERVED_VARIABLE_NAMES.has(name) || name.startsWith('BASH_') || name.startsWith('LC_') || name.startsWith('RUNBOOK_');
}

/** Steps a reader sees, numbered from 1 in this order. */
export function visibleSteps(runbook: Runbook): Step[] {
  return runbook.steps.filter((step) => !step.setup);
}

/** The value CI uses for each variable: its `test` value, else its default. */
export function testValues(runbook: Runbook): Record<string, string> {
  return Object.fromEntries(runbook.variables.map((variable) => [variable.name, variable.test ?? variable.default]));
}
