/**
 * One bash script for a runbook: the reader's values at the top, each step as a commented section,
 * a confirmation before each destructive step, marker and exit-code checks where declared.
 * Hidden setup steps are left out; secrets are read from the environment or asked for.
 */
import { HOST_LABELS, visibleSteps, type Runbook, type Step, type Variable } from './model';
import { shellQuote, singleQuote, spliceCommand, variableReferenceFor, type PlaceholderUse, type Splice } from './shell';
import { valueProblem } from './values';

export interface ScriptOptions {
  /** Where the runbook came from (the page's URL), written into the header comment. */
  source?: string;
}

export interface ScriptExport {
  /** The script; meaningful only when `problems` is empty. */
  text: string;
  /** Values that cannot go into the script (missing or invalid); export is refused while there are any. */
  problems: string[];
  /** A file name for the download. */
  fileName: string;
}

/**
 * The command with variable references for placeholders: `{{DEST_HOST}}` → `"${DEST_HOST}"`.
 * Inside '...', the quotes close around the reference; `'{{DIR}}/x'` becomes `"${DIR}"'/x'`.
 */
export function commandForScript(command: string): string {
  const reference = (use: PlaceholderUse): Splice<string> => {
    if (!use.quoted) return { part: variableReferenceFor(use.context, use.name) };
    // Inside '...': close the quotes around "${NAME}", or absorb a quote the placeholder touches.
    const opensQuote = use.start === use.quoted.start;
    const closesQuote = use.end === use.quoted.end;
    return {
      part: `${opensQuote ? '' : "'"}"\${${use.name}}"${closesQuote ? '' : "'"}`,
      start: opensQuote ? use.start - 1 : use.start,
      end: closesQuote ? use.end + 1 : use.end,
    };
  };
  return spliceCommand(command, reference, (text) => text).join('');
}

export function exportScript(
  runbook: Runbook,
  values: Readonly<Record<string, string>>,
  options: ScriptOptions = {},
): ScriptExport {
  const steps = visibleSteps(runbook);
  const used = new Set(steps.flatMap((step) => step.variables));
  const variables = runbook.variables.filter((variable) => used.has(variable.name));
  const features = {
    markers: steps.some((step) => step.markers.success.length + step.markers.failure.length > 0),
    exitChecks: steps.some((step) => step.exit !== 0),
    destructive: steps.some((step) => step.destructive),
  };
  const lines = [
    ...scriptHeader(runbook, options, features.markers),
    ...valueLines(variables, values),
    ...helperFunctions(features),
    ...steps.flatMap((step, index) => stepSection(runbook, step, index + 1, steps.length)),
    "printf '\\nAll %s steps ran.\\n' " + String(steps.length) + ' >&2',
  ];
  return { text: `${lines.join('\n')}\n`, problems: valueProblems(variables, values), fileName: `${runbook.id}.sh` };
}

/** Why the page's values cannot go into the script (secrets are not checked: they are not in it). */
function valueProblems(variables: readonly Variable[], values: Readonly<Record<string, string>>): string[] {
  return variables.flatMap((variable) => {
    const problem = variable.secret ? null : valueProblem(variable, values[variable.name] ?? '');
    return problem ? [problem] : [];
  });
}

function scriptHeader(runbook: Runbook, options: ScriptOptions, needsBash44: boolean): string[] {
  const lines = [
    '#!/usr/bin/env bash',
    `# ${oneLine(runbook.title)}`,
    `# Runbook ${runbook.id}${options.source ? `, exported from ${oneLine(options.source)}` : ''}.`,
    '#',
    '# Each step names the host it runs on. Run the script, or copy each section to the host it names.',
    'set -euo pipefail',
    '',
  ];
  if (needsBash44) lines.push(...BASH_VERSION_CHECK);
  return lines;
}

/** The page's values as assignments; secrets read from the environment or asked for, never written. */
function valueLines(variables: readonly Variable[], values: Readonly<Record<string, string>>): string[] {
  const lines: string[] = [];
  const plain = variables.filter((variable) => !variable.secret);
  if (plain.length > 0) {
    lines.push('# Values, as they were on the page when this script was exported.');
    for (const variable of plain) lines.push(`${variable.name}=${shellQuote(values[variable.name] ?? '')}`);
    lines.push('');
  }
  for (const variable of variables.filter((candidate) => candidate.secret)) {
    const prompt = `${variable.name} (${oneLine(variable.description)}): `;
    lines.push(
      `# ${variable.name} is secret: read from the environment or asked for, never written into this file.`,
      `if [[ -z "\${${variable.name}:-}" ]]; then`,
      '  if [[ -t 0 ]]; then',
      `    read -r -s -p ${singleQuote(prompt)} ${variable.name}`,
      "    printf '\\n' >&2",
      '  else',
      `    printf '%s\\n' ${singleQuote(`Set ${variable.name} in the environment: it is secret, so this script does not contain it.`)} >&2`,
      '    exit 1',
      '  fi',
      'fi',
      '',
    );
  }
  return lines;
}

/** The shell functions the steps call, only those this runbook needs. */
function helperFunctions(features: { markers: boolean; exitChecks: boolean; destructive: boolean }): string[] {
  return [
    ...STEP_BANNER,
    ...(features.destructive ? CONFIRM_FUNCTION : []),
    ...(features.markers ? MARKER_FUNCTIONS : []),
    ...(features.exitChecks ? EXIT_FUNCTION : []),
  ];
}

/** Marker checks use bash 4.4 features. */
const BASH_VERSION_CHECK: readonly string[] = [
  'if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then',
  "  printf 'This script needs bash 4.4 or later.\\n' >&2",
  '  exit 1',
  'fi',
  '',
];

/** Prints each step's banner on stderr. */
const STEP_BANNER: readonly string[] = ['runbook_step() {', "  printf '\\n== Step %s: %s (on: %s)\\n' \"$1\" \"$2\" \"$3\" >&2", '}', ''];

/** Asks before a destructive step; anything but "yes" stops the script. */
const CONFIRM_FUNCTION: readonly string[] = [
  'runbook_confirm() {',
  "  local answer=''",
  "  printf '\\n%s\\n' \"$1\" >&2",
  "  read -r -p 'Type yes to run it, anything else to stop: ' answer || true",
  '  if [[ "${answer}" != yes ]]; then',
  "    printf 'Stopped before a destructive step.\\n' >&2",
  '    exit 1',
  '  fi',
  '}',
  '',
];

/** Judges a step's output by its success and failure markers. */
const MARKER_FUNCTIONS: readonly string[] = [
  'runbook_log=$(mktemp)',
  "trap 'rm -f \"${runbook_log}\"' EXIT",
  '',
  'runbook_expect_output() {',
  '  local marker',
  '  for marker in "$@"; do',
  '    if ! grep -qF -- "${marker}" "${runbook_log}"; then',
  "      printf 'Stopped: the output does not show %s.\\n' \"${marker}\" >&2",
  '      exit 1',
  '    fi',
  '  done',
  '}',
  '',
  'runbook_refuse_output() {',
  '  local marker',
  '  for marker in "$@"; do',
  '    if grep -qF -- "${marker}" "${runbook_log}"; then',
  "      printf 'Stopped: the output shows %s.\\n' \"${marker}\" >&2",
  '      exit 1',
  '    fi',
  '  done',
  '}',
  '',
];

/** Checks a step that is expected to exit with another code than 0. */
const EXIT_FUNCTION: readonly string[] = [
  'runbook_expect_exit() {',
  '  if [[ "$2" -ne "$1" ]]; then',
  "    printf 'Stopped: the command exited with %s, not %s.\\n' \"$2\" \"$1\" >&2",
  '    exit 1',
  '  fi',
  '}',
  '',
];

function stepSection(runbook: Runbook, step: Step, number: number, total: number): string[] {
  const rule = `# ${'-'.repeat(76)}`;
  const host = HOST_LABELS[step.host];
  const lines = ['', rule, `# Step ${number} of ${total}: ${oneLine(step.title)}`, `# Runs on: ${host}`];
  const dryRun = step.dryRun ? visibleSteps(runbook).findIndex((candidate) => candidate.id === step.dryRun) : -1;
  const dryRunStep = dryRun >= 0 ? visibleSteps(runbook)[dryRun] : undefined;
  if (step.destructive) {
    lines.push(`# Destructive.${dryRunStep ? ` Its dry run is step ${dryRun + 1} (${oneLine(dryRunStep.title)}).` : ''}`);
  }
  const { success, failure } = step.markers;
  if (success.length > 0) lines.push(`# Succeeds when the output shows: ${success.join(', ')}`);
  if (failure.length > 0) lines.push(`# Fails when the output shows: ${failure.join(', ')}`);
  if (step.exit !== 0) lines.push(`# Expected exit code: ${step.exit}`);
  lines.push(rule, `runbook_step ${number} ${singleQuote(oneLine(step.title))} ${singleQuote(host)}`);

  if (step.destructive) {
    const question = dryRunStep
      ? `Step ${number} (${oneLine(step.title)}) is destructive. Did step ${dryRun + 1} (${oneLine(dryRunStep.title)}), its dry run, show what you expect?`
      : `Step ${number} (${oneLine(step.title)}) is destructive.`;
    lines.push(`runbook_confirm ${singleQuote(question)}`);
  }

  const command = commandForScript(step.command);
  const markers = success.length + failure.length > 0;
  const capture = markers ? ' > >(tee "${runbook_log}") 2>&1' : '';
  if (markers) lines.push(': >"${runbook_log}"');
  if (step.exit === 0) {
    if (markers) lines.push('{', command, `}${capture}`, 'wait "$!"');
    else lines.push(command);
  } else {
    lines.push('set +e', '(', 'set -e', command, `)${capture}`, 'runbook_status=$?', 'set -e');
    if (markers) lines.push('wait "$!"');
    lines.push(`runbook_expect_exit ${step.exit} "\${runbook_status}"`);
  }
  if (success.length > 0) lines.push(`runbook_expect_output ${success.map(singleQuote).join(' ')}`);
  if (failure.length > 0) lines.push(`runbook_refuse_output ${failure.map(singleQuote).join(' ')}`);
  return lines;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
