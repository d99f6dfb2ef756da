/**
 * One Ansible playbook for a runbook, for running it across a fleet: a first play checks the values
 * (extra vars) and the inventory, then one play per step runs its command on the inventory group its
 * host names, in page order. A step passes when it exits with its exit code, prints every success
 * marker and no failure marker; its output is shown either way. Destructive steps run only with
 * `-e confirm=yes`. Hidden setup steps (CI's sample files) are left out. Sibling of `script.ts`;
 * no Node APIs, no React.
 */
import { playbookFileName } from './contract';
import type { Host, Need, Step, Variable } from './model';
import { findPlaceholders, type PlaceholderUse } from './shell';
import { yamlList, yamlString, yamlTextField } from './yaml';

/** The parts of a variable the playbook reads (the contract's variables have no source line). */
export type PlaybookVariable = Omit<Variable, 'line'>;
export type PlaybookStep = Omit<Step, 'line' | 'lang'>;

export interface PlaybookRunbook {
  id: string;
  title: string;
  variables: readonly PlaybookVariable[];
  steps: readonly PlaybookStep[];
}

export interface PlaybookOptions {
  /** Where the runbook came from (the page's URL or path), written into the header comment. */
  source?: string;
}

/** The inventory group each host's steps run on. "Any host" runs on the control host, as in CI. */
export const PLAYBOOK_GROUPS: Readonly<Record<Host, string>> = {
  control: 'control',
  server: 'server',
  source: 'source',
  destination: 'destination',
  any: 'control',
};

/** The extra var that lets destructive steps run: `-e confirm=yes`. */
const CONFIRM_VARIABLE = 'confirm';
/** Tag of every destructive step, so `--skip-tags destructive` runs only the rest. */
const DESTRUCTIVE_TAG = 'destructive';

export { playbookFileName };

/** Tag of the steps that need something a host may lack: `needs-docker`, `needs-spacetimedb`, ... */
export function needTag(need: Need): string {
  return `needs-${need}`;
}

/** Tags Ansible gives a meaning of its own; a step with such an id is tagged `step-<id>` instead. */
const SPECIAL_TAGS = new Set(['all', 'always', 'never', 'tagged', 'untagged']);

/** The tag that selects one step (`--tags rotate`): its id. */
function stepTag(stepId: string): string {
  return SPECIAL_TAGS.has(stepId) ? `step-${stepId}` : stepId;
}

/** The steps the playbook holds, in page order: every step but the hidden setup steps. */
export function playbookSteps<S extends Pick<Step, 'setup'>>(steps: readonly S[]): S[] {
  return steps.filter((step) => !step.setup);
}

/** Play name of the `index`-th (from 1) of `total` steps; the doc tests read the number back. */
function stepPlayName(index: number, total: number, title: string): string {
  return `Step ${index} of ${total}: ${oneLine(title)}`;
}

const JINJA_DELIMITER = /\{[{%#]/;

/** Literal text for a templated field: wrapped in `{% raw %}` when Jinja would read part of it. */
function jinjaLiteral(text: string): string {
  if (!JINJA_DELIMITER.test(text) && !text.endsWith('{')) return text;
  if (/\{%-?\s*endraw/.test(text)) {
    throw new Error(`cannot put "${text.slice(0, 40)}" into a playbook: it contains Jinja's {% endraw %}`);
  }
  return `{% raw %}${text}{% endraw %}`;
}

/**
 * The Jinja that puts a variable's value where a placeholder stands, so that the shell reads exactly
 * the value: the same rules as the page (`quoteValueFor`), with Ansible's `quote` filter (Python's
 * `shlex.quote`) doing the single-quoting.
 */
function jinjaValueFor(use: PlaceholderUse): string {
  const name = use.name;
  switch (use.context) {
    case 'plain':
      return `{{ ${name} | quote }}`;
    case 'double':
      // Close the double quotes, add the value as one quoted word, reopen: nothing in it expands.
      return `"{{ ${name} | quote }}"`;
    case 'heredoc':
      // In the body of <<EOF the shell expands \, $ and `: each gets a backslash before it.
      return `{{ ${name} | regex_replace(runbook_heredoc_special, runbook_heredoc_escape) }}`;
    case 'comment':
      // Only a line break ends a comment; values hold none (the first play checks), and none stays.
      return `{{ ${name} | regex_replace(runbook_control_characters, ' ') }}`;
    default:
      throw new Error(`placeholder {{${name}}} stands where a playbook cannot quote it (${use.context})`);
  }
}

/**
 * The command as a Jinja template: literal text kept (in `{% raw %}` where it holds `{{`, `{%` or
 * `{#`, as in `${#array[@]}`), each placeholder replaced by its quoted value. Inside '...', the quotes
 * close around the value: `'ls {{DIR}}/x'` becomes `'ls '{{ DIR | quote }}'/x'`.
 */
export function commandForPlaybook(command: string): string {
  let result = '';
  let position = 0;
  for (const use of findPlaceholders(command)) {
    let start = use.start;
    let end = use.end;
    let reference: string;
    if (use.context === 'single' && use.quoted) {
      const opensQuote = use.start === use.quoted.start;
      const closesQuote = use.end === use.quoted.end;
      reference = `${opensQuote ? '' : "'"}{{ ${use.name} | quote }}${closesQuote ? '' : "'"}`;
      if (opensQuote) start -= 1;
      if (closesQuote) end += 1;
    } else {
      reference = jinjaValueFor(use);
    }
    result += jinjaLiteral(command.slice(position, start)) + reference;
    position = end;
  }
  return result + jinjaLiteral(command.slice(position));
}

/** The command without its '...' strings, where `$NAME` and `NAME=` are only text. */
function outsideSingleQuotes(command: string): string {
  return command.replace(/'[^']*'/g, "''");
}

/** Where a command first assigns each shell variable (`NAME=...`, `for NAME in`), found by reading it. */
function assignments(command: string): Map<string, number> {
  const text = outsideSingleQuotes(command);
  const first = new Map<string, number>();
  const note = (name: string, at: number): void => {
    if (!first.has(name) || first.get(name)! > at) first.set(name, at);
  };
  for (const match of text.matchAll(/(?:^|[\s;&|(!])(?:(?:export|local|readonly)\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g)) note(match[1]!, match.index);
  for (const match of text.matchAll(/\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b/g)) note(match[1]!, match.index);
  return first;
}

/** Where a command first reads a shell variable (`$NAME`, `${NAME...}`), or -1. */
function firstReference(command: string, name: string): number {
  return outsideSingleQuotes(command).search(new RegExp(`\\$\\{?${name}(?![A-Za-z0-9_])`));
}

export interface CarriedVariables {
  /** Variables this step sets that a later step on the same group reads. */
  keeps: string[];
  /** Variables this step reads before setting them, that an earlier step on the same group set. */
  takes: string[];
}

/**
 * The shell variables each step carries to later steps on the same inventory group, and those it
 * takes from earlier ones. The guide runs a host's steps in one terminal, so a variable one step sets
 * (`ARCHIVE=...`) is still set in the next; Ansible starts a new shell for every task, so the
 * playbook keeps such variables in a file on the host between steps.
 */
export function carriedVariables(steps: readonly PlaybookStep[]): CarriedVariables[] {
  const assigned = steps.map((step) => assignments(step.command));
  const group = (index: number): string => PLAYBOOK_GROUPS[steps[index]!.host];
  const takes = steps.map((step, index) => {
    const earlier = new Set(assigned.slice(0, index).flatMap((names, at) => (group(at) === group(index) ? [...names.keys()] : [])));
    return [...earlier]
      .filter((name) => {
        const read = firstReference(step.command, name);
        const own = assigned[index]!.get(name);
        return read >= 0 && (own === undefined || read < own);
      })
      .sort();
  });
  return steps.map((_, index) => ({
    keeps: [...assigned[index]!.keys()]
      .filter((name) => takes.some((names, later) => later > index && group(later) === group(index) && names.includes(name)))
      .sort(),
    takes: takes[index]!,
  }));
}

/** The command Ansible runs for a step: the guide's command, with the carried variables restored before and kept after. */
function stepScript(runbookId: string, command: string, carried: CarriedVariables): string {
  const templated = commandForPlaybook(command);
  if (carried.keeps.length === 0 && carried.takes.length === 0) return templated;
  const lines = [
    '# Shell variables carried between steps on this host, as in the terminal the guide runs them in.',
    `runbook_state=~/.local/state/spacetimedb-runbooks/${runbookId}`,
  ];
  if (carried.takes.length > 0) {
    lines.push(
      `for runbook_name in ${carried.takes.join(' ')}; do if [ -f "$runbook_state/$runbook_name" ]; then . "$runbook_state/$runbook_name"; fi; done`,
    );
  }
  lines.push("# The guide's command:", templated);
  if (carried.keeps.length > 0) {
    lines.push(
      'runbook_status=$?',
      `mkdir -p "$runbook_state" && for runbook_name in ${carried.keeps.join(' ')}; do declare -p "$runbook_name" > "$runbook_state/$runbook_name" 2>/dev/null; done`,
      'exit "$runbook_status"',
    );
  }
  return lines.join('\n');
}

/** A Python regular expression that matches a whole value exactly when the page's pattern does. */
function fullMatchPattern(pattern: string): string {
  return `(?:${pattern})\\Z`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** What a variable must be, in words, for the header and for the message when a value breaks it. */
function ruleOf(variable: PlaybookVariable): string {
  if (variable.options.length > 0) return `one of ${variable.options.join(', ')}`;
  if (variable.pattern !== null) return `one line matching the pattern ${variable.pattern}`;
  return 'a value on one line';
}

/** The assert that stops the play before any step when a value breaks its variable's rule. */
function valueCheck(variable: PlaybookVariable): string[] {
  const name = variable.name;
  const given = variable.secret ? '' : ` (given: {{ ${name} | default('') | string | to_json }})`;
  const how = variable.secret
    ? ` It is secret, so this file has no value for it: pass it with -e ${name}=... or from a vault-encrypted vars file.`
    : '';
  const conditions = [
    `${name} is defined`,
    `${name} | string | length > 0`,
    `${name} | string is not search(runbook_control_characters)`,
  ];
  const vars: string[] = [];
  if (variable.options.length > 0) {
    conditions.push(`${name} | string in runbook_options`);
    vars.push(`        runbook_options: ${yamlList(variable.options)}`);
  }
  if (variable.pattern !== null) {
    conditions.push(`${name} | string is match(runbook_pattern)`);
    vars.push(`        runbook_pattern: ${yamlString(fullMatchPattern(variable.pattern))}`);
  }
  return [
    `    - name: ${yamlString(`Check ${name}`)}`,
    '      ansible.builtin.assert:',
    '        that:',
    ...conditions.map((condition) => `          - ${yamlString(condition)}`),
    `        fail_msg: ${yamlString(`${jinjaLiteral(`${name} must be ${ruleOf(variable)}`)}${given}.${jinjaLiteral(how)}`)}`,
    '        quiet: true',
    ...(vars.length > 0 ? ['      vars:', ...vars] : []),
  ];
}

/**
 * How every step is judged, shared by all plays: from the command's result (`runbook_step`) and the
 * judging task's `runbook_exit`, `runbook_success` and `runbook_failure`, the list of problems.
 */
const JUDGEMENT_VARS: readonly [string, string][] = [
  // The string between the two streams is a line break itself, not `\n`: Ansible 2.14 reads no escapes in Jinja strings.
  ['runbook_output', "{{ runbook_step.stdout | default('') ~ '\n' ~ runbook_step.stderr | default('') }}"],
  ['runbook_missing', "{{ runbook_success | reject('in', runbook_output) | list }}"],
  ['runbook_present', "{{ runbook_failure | select('in', runbook_output) | list }}"],
  [
    'runbook_problems',
    [
      "{{ (['the command did not run: ' ~ runbook_step.msg | default('no result')] if runbook_step.rc is not defined else [])",
      " + (['exit code ' ~ runbook_step.rc ~ ', expected ' ~ runbook_exit] if runbook_step.rc is defined and runbook_step.rc != runbook_exit else [])",
      " + (['success marker missing: ' ~ runbook_missing | join(', ')] if runbook_missing else [])",
      " + (['failure marker present: ' ~ runbook_present | join(', ')] if runbook_present else []) }}",
    ].join(''),
  ],
];

function stepPlay(
  runbook: PlaybookRunbook,
  step: PlaybookStep,
  index: number,
  steps: readonly PlaybookStep[],
  carried: CarriedVariables,
): string[] {
  const label = `Step ${index} (${oneLine(step.title)})`;
  const dryRunIndex = step.dryRun ? steps.findIndex((candidate) => candidate.id === step.dryRun) : -1;
  const dryRun = dryRunIndex >= 0 ? steps[dryRunIndex] : undefined;
  const isDryRun = steps.some((other) => other.dryRun === step.id);
  const tags = [stepTag(step.id), ...step.needs.map(needTag), ...(step.destructive ? [DESTRUCTIVE_TAG] : [])];
  const secrets = new Set(runbook.variables.filter((variable) => variable.secret).map((variable) => variable.name));
  const lines = [
    '',
    `- name: ${yamlString(stepPlayName(index, steps.length, step.title))}`,
    `  hosts: ${PLAYBOOK_GROUPS[step.host]}`,
    '  gather_facts: false',
    '  any_errors_fatal: true',
    `  tags: ${yamlList(tags)}`,
    '  vars: *runbook_vars',
    '  tasks:',
  ];
  if (step.destructive) {
    const next = dryRun
      ? `Its dry run is step ${dryRunIndex + 1} (${oneLine(dryRun.title)}): read what it showed, then run the playbook again with -e ${CONFIRM_VARIABLE}=yes.`
      : `Run the playbook again with -e ${CONFIRM_VARIABLE}=yes to run it.`;
    lines.push(
      '    - name: Stop here unless destructive steps are confirmed',
      '      ansible.builtin.assert:',
      `        that: ${yamlString(`${CONFIRM_VARIABLE} | default('') | string == 'yes'`)}`,
      `        fail_msg: ${yamlString(jinjaLiteral(`Stopped before ${label}: it is destructive. ${next}`))}`,
      '        quiet: true',
    );
  }
  lines.push(
    '    - name: Run the command',
    '      ansible.builtin.shell:',
    ...yamlTextField('cmd', stepScript(runbook.id, step.command, carried), 8),
    '        executable: /bin/bash',
    '        chdir: "~"',
    '      register: runbook_step',
    // The model does not say which commands change the host; only a dry run is known not to.
    `      changed_when: ${isDryRun ? 'false' : 'true'}`,
    '      failed_when: false',
  );
  // The command holds a secret: Ansible must not log its arguments.
  if (step.variables.some((name) => secrets.has(name))) lines.push('      no_log: true');
  lines.push(
    '    - name: Show the output',
    '      ansible.builtin.debug:',
    `        msg: ${yamlString('{{ runbook_step.stdout_lines | default([]) + runbook_step.stderr_lines | default([]) }}')}`,
    '    - name: Check the exit code and the markers',
    '      ansible.builtin.assert:',
    `        that: ${yamlString('runbook_problems | length == 0')}`,
    `        fail_msg: ${yamlString(`${jinjaLiteral(label)} failed on {{ inventory_hostname }}: {{ runbook_problems | join('; ') }}`)}`,
    `        success_msg: ${yamlString(`${jinjaLiteral(label)} passed on {{ inventory_hostname }}`)}`,
    '      vars:',
    `        runbook_exit: ${step.exit}`,
    `        runbook_success: ${yamlMarkers(step.markers.success)}`,
    `        runbook_failure: ${yamlMarkers(step.markers.failure)}`,
  );
  return lines;
}

/** The playbook as YAML text. Throws when a command cannot be templated safely (the parser refuses those first). */
export function exportPlaybook(runbook: PlaybookRunbook, options: PlaybookOptions = {}): string {
  const steps = playbookSteps(runbook.steps);
  const used = new Set(steps.flatMap((step) => step.variables));
  const variables = runbook.variables.filter((variable) => used.has(variable.name));
  const plain = variables.filter((variable) => !variable.secret);
  const groups = [...new Set(steps.map((step) => PLAYBOOK_GROUPS[step.host]))];
  const destructive = steps.flatMap((step, index) => (step.destructive ? [`${index + 1} (${oneLine(step.title)})`] : []));
  const needs = [...new Set(steps.flatMap((step) => step.needs))];
  const nameWidth = Math.max(0, ...variables.map((variable) => variable.name.length));

  const lines = ['---', `# ${oneLine(runbook.title)}`];
  lines.push(`# Runbook ${runbook.id}${options.source ? `, exported from ${oneLine(options.source)}` : ''}.`);
  lines.push(
    '# Generated from the guide: change the guide, not this file.',
    '#',
    `# One play per step, in page order, on the inventory group its host names: ${groups.join(', ') || 'none'}.`,
  );
  if (steps.some((step) => step.host === 'any')) lines.push('# Steps that may run on any host run on the control group.');
  lines.push(
    '# A step fails when it exits with another code than the guide expects, when a success marker is',
    '# missing from its output or a failure marker shows in it; its output is shown either way.',
  );
  if (variables.length > 0) {
    lines.push('#', '# Values, as extra vars (-e NAME=value). The first play stops when one breaks its rule.');
    for (const variable of variables) {
      const detail = variable.secret
        ? 'secret: no default, never written here'
        : `${variable.default ? `default ${variable.default}; ` : 'no default; '}${ruleOf(variable)}`;
      lines.push(`#   ${variable.name.padEnd(nameWidth)}  ${oneLine(variable.description)} (${detail})`);
    }
  }
  lines.push('#');
  if (destructive.length > 0) {
    lines.push(
      `# Destructive, run only with -e ${CONFIRM_VARIABLE}=yes (tag ${DESTRUCTIVE_TAG}): step ${destructive.join(', step ')}.`,
      '# Without it the run stops before the first of them; the steps before it, dry runs included, have run.',
    );
  } else {
    lines.push('# No step is destructive.');
  }
  if (needs.length > 0) {
    lines.push(`# Steps that need what a host may lack are tagged ${needs.map(needTag).join(', ')}; skip them with --skip-tags.`);
  }
  lines.push(
    '#',
    `#   ansible-playbook -i inventory.ini ${playbookFileName(runbook.id)}${plain.map((variable) => ` -e ${variable.name}=...`).join('')}`,
  );

  // The first play checks values and inventory before any step runs, on every host a step may run on
  // (so --limit cannot leave it out; its checks run on the control machine and connect to no host).
  // Its vars, shared by every play, hold the defaults and how a step is judged.
  lines.push(
    '',
    '- name: Check the values and the inventory',
    `  hosts: ${yamlString(groups.join(':') || 'localhost')}`,
    '  gather_facts: false',
    '  any_errors_fatal: true',
    '  tags: [always]',
    '  vars: &runbook_vars',
  );
  if (plain.length > 0) lines.push("    # The page's defaults; -e NAME=value overrides them.");
  for (const variable of plain) lines.push(`    ${variable.name}: ${yamlDefault(variable.default)}`);
  lines.push('    # What no value may hold: a line break or another control character.');
  lines.push(`    runbook_control_characters: ${yamlString('[\\x00-\\x1f\\x7f]')}`);
  lines.push("    # What a value gets in a here-document body (<<EOF): a backslash before each \\, $ and `.");
  lines.push(`    runbook_heredoc_special: ${yamlString('([\\\\$`])')}`);
  lines.push(`    runbook_heredoc_escape: ${yamlString('\\\\\\1')}`);
  lines.push('    # How a step is judged: from its result and its exit code and markers.');
  for (const [name, template] of JUDGEMENT_VARS) lines.push(`    ${name}: ${yamlString(template)}`);
  lines.push('  tasks:');
  for (const variable of variables) lines.push(...valueCheck(variable));
  lines.push(
    '    - name: Check that every group the steps run on has a host',
    '      ansible.builtin.assert:',
    `        that: ${yamlString('groups[item] | default([]) | length > 0')}`,
    `        fail_msg: ${yamlString('The inventory has no host in group {{ item }}, where steps of this runbook run.')}`,
    '        quiet: true',
    `      loop: ${yamlList(groups)}`,
  );

  const carried = carriedVariables(steps);
  steps.forEach((step, index) => {
    lines.push(...stepPlay(runbook, step, index + 1, steps, carried[index]!));
  });
  return `${lines.join('\n')}\n`;
}

/** Markers as YAML data: never read as templates. */
function yamlMarkers(markers: readonly string[]): string {
  return markers.some((marker) => JINJA_DELIMITER.test(marker))
    ? `[${markers.map((marker) => `!unsafe ${JSON.stringify(marker)}`).join(', ')}]`
    : yamlList(markers);
}

/** A default value as YAML that Ansible reads back as exactly that string, never as a template. */
function yamlDefault(value: string): string {
  return JINJA_DELIMITER.test(value) ? `!unsafe ${JSON.stringify(value)}` : yamlString(value);
}
