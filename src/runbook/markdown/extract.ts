/**
 * From a markdown syntax tree (mdast with remark-directive's nodes) to runbooks, with every mistake
 * reported at its line. The remark plugin calls this on the tree Docusaurus parsed; `parseRunbooks`
 * calls it on a tree it parses itself. Both get the same model and the same checks.
 */
import type { Code, Root } from 'mdast';
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive';
import type { RunbookProblem } from '../errors';
import {
  DIRECTIVES,
  HOSTS,
  ID_PATTERN,
  KNOWN_NEEDS,
  VARIABLE_NAME_PATTERN,
  isReservedVariableName,
  type Host,
  type Need,
  type Runbook,
  type Step,
  type Variable,
} from '../model';
import { UNSUPPORTED_CONTEXTS, findPlaceholders } from '../shell';
import { matchesPattern } from '../values';

/** Fence languages that mark a step's command. Other fenced blocks in a step (output, files) are prose. */
const COMMAND_LANGUAGES: ReadonlySet<string> = new Set(['bash', 'sh', 'shell', 'zsh']);

/** Attributes each directive accepts; anything else is a mistake. */
const ATTRIBUTES = {
  runbook: ['id'],
  variable: ['name', 'default', 'options', 'pattern', 'secret', 'test'],
  step: ['id', 'host', 'destructive', 'dry-run', 'runnable', 'needs', 'setup', 'exit', 'success', 'failure'],
} as const;

export interface ExtractedStep {
  step: Step;
  node: ContainerDirective;
  /** The fenced block holding the command. */
  code: Code;
}

export interface ExtractedRunbook {
  runbook: Runbook;
  node: ContainerDirective;
  steps: ExtractedStep[];
  variableNodes: LeafDirective[];
}

export interface Extraction {
  runbooks: ExtractedRunbook[];
  problems: RunbookProblem[];
}

/** The tree's nodes as this walker needs them: whatever the node type, maybe children. */
interface AnyNode {
  type: string;
  name?: string;
  value?: string;
  children?: AnyNode[];
  position?: { start: { line: number } };
  data?: { directiveLabel?: boolean };
}

const OWN_NAMES: ReadonlySet<string> = new Set(Object.values(DIRECTIVES));

export function extractRunbooks(tree: Root, file: string): Extraction {
  const problems: RunbookProblem[] = [];
  const runbooks: ExtractedRunbook[] = [];
  const report = (node: AnyNode | undefined, message: string, line?: number): void => {
    problems.push({ file, line: line ?? node?.position?.start.line ?? 1, message });
  };

  /** Reports own directives found where they do not belong, at any depth below `node`. */
  const walk = (node: AnyNode, insideRunbook: boolean): void => {
    for (const child of node.children ?? []) {
      if (isOwnDirective(child)) {
        if (!rightKind(child, report)) continue;
        if (child.name === DIRECTIVES.runbook) {
          if (insideRunbook) report(child, 'a runbook cannot contain another runbook');
          else runbooks.push(readRunbook(child as unknown as ContainerDirective, file, report, walk));
          continue;
        }
        const what = child.name === DIRECTIVES.step ? 'step' : 'variable';
        report(
          child,
          insideRunbook
            ? `a ${what} must sit directly inside its runbook, not inside another block`
            : `${what} outside a runbook: put it inside a ::::runbook block`,
        );
        continue;
      }
      walk(child, insideRunbook);
    }
  };

  walk(tree as unknown as AnyNode, false);
  return { runbooks, problems };
}

function isOwnDirective(node: AnyNode): boolean {
  return (node.type === 'containerDirective' || node.type === 'leafDirective') && OWN_NAMES.has(node.name ?? '');
}

/** Runbooks and steps are containers (`:::`), variables are leaves (`::`). */
function rightKind(node: AnyNode, report: Report): boolean {
  const container = node.type === 'containerDirective';
  if (node.name === DIRECTIVES.variable && container) {
    report(node, 'write a variable as a leaf directive: ::var[Description]{name=NAME}');
    return false;
  }
  if (node.name === DIRECTIVES.runbook && !container) {
    report(node, 'write a runbook as a container directive: ::::runbook[Title]{#id} ... ::::');
    return false;
  }
  if (node.name === DIRECTIVES.step && !container) {
    report(node, 'write a step as a container directive: :::step[Title]{#id host=...} ... :::');
    return false;
  }
  return true;
}

type Report = (node: AnyNode | undefined, message: string, line?: number) => void;

function readRunbook(
  node: ContainerDirective,
  file: string,
  report: Report,
  walk: (node: AnyNode, insideRunbook: boolean) => void,
): ExtractedRunbook {
  const container = node as unknown as AnyNode;
  const attributes = readAttributes(container, 'runbook', ATTRIBUTES.runbook, report);
  const id = attributes.get('id') ?? '';
  if (!id) report(container, 'a runbook needs an id: ::::runbook[Title]{#my-runbook}');
  else if (!ID_PATTERN.test(id)) report(container, `runbook id "${id}" must be lower-case words joined by dashes`);
  const title = labelText(container);
  if (!title) report(container, `runbook "${id}" needs a title: ::::runbook[Title]{#${id || 'id'}}`);

  const variables: Variable[] = [];
  const variableNodes: LeafDirective[] = [];
  const steps: ExtractedStep[] = [];
  let stepDirectives = 0;
  for (const child of container.children ?? []) {
    if (child.data?.directiveLabel) continue;
    if (isOwnDirective(child) && rightKind(child, report)) {
      if (child.name === DIRECTIVES.variable) {
        variables.push(readVariable(child, report));
        variableNodes.push(child as unknown as LeafDirective);
      } else if (child.name === DIRECTIVES.step) {
        stepDirectives += 1;
        const step = readStep(child, report, walk);
        if (step) steps.push(step);
      } else {
        report(child, 'a runbook cannot contain another runbook');
      }
      continue;
    }
    if (!isOwnDirective(child)) walk(child, true);
  }

  if (stepDirectives === 0) report(container, `runbook ${id || '(no id)'} has no steps`);
  checkRunbook(id, variables, steps, report);
  return {
    runbook: {
      id,
      title,
      file,
      line: container.position?.start.line ?? 1,
      variables,
      steps: steps.map((extracted) => extracted.step),
    },
    node,
    steps,
    variableNodes,
  };
}

function readVariable(node: AnyNode, report: Report): Variable {
  const attributes = readAttributes(node, 'variable', ATTRIBUTES.variable, report);
  const name = attributes.get('name') ?? '';
  const description = plainText(node.children ?? []);
  const secret = readFlag(node, attributes, 'secret', report) ?? false;
  const options = attributes.has('options') ? splitList(attributes.get('options')!, '|') : [];
  const pattern = attributes.get('pattern') ?? null;
  const defaultValue = attributes.get('default') ?? '';
  const test = attributes.get('test') ?? null;
  const where = name ? `variable ${name}` : 'a variable';

  if (!name) report(node, 'a variable needs a name: ::var[Description]{name=DEST_HOST}');
  else if (!VARIABLE_NAME_PATTERN.test(name)) report(node, `variable name "${name}" must be UPPER_SNAKE_CASE (A-Z, 0-9, _)`);
  else if (isReservedVariableName(name)) report(node, `variable name ${name} is reserved: bash or the exported script already uses it`);
  if (!description) report(node, `${where} needs a description: ::var[What it is]{name=${name || 'NAME'}}`);
  if (attributes.has('options') && options.length === 0) report(node, `${where}: options lists no values`);
  if (new Set(options).size !== options.length) report(node, `${where}: options lists a value twice`);
  if (pattern !== null) {
    try {
      new RegExp(pattern);
    } catch {
      report(node, `${where}: pattern ${pattern} is not a valid regular expression`);
    }
  }
  if (secret && defaultValue) report(node, `${where} is secret, so it cannot have a default: a secret is never written down`);
  if (secret && options.length > 0) report(node, `${where} is secret, so it cannot list options`);

  const check = (value: string, label: string): void => {
    if (!value) return;
    if (options.length > 0 && !options.includes(value)) report(node, `${where}: ${label} "${value}" is not one of its options`);
    if (pattern !== null && safeMatches(pattern, value) === false) {
      report(node, `${where}: ${label} "${value}" does not match its pattern ${pattern}`);
    }
  };
  check(defaultValue, 'default');
  if (test !== null) {
    if (test === '') report(node, `${where}: test is empty; leave it out to use the default`);
    check(test, 'test value');
  }

  return {
    name,
    default: defaultValue,
    description,
    options,
    pattern,
    secret,
    test,
    line: node.position?.start.line ?? 1,
  };
}

function safeMatches(pattern: string, value: string): boolean | null {
  try {
    return matchesPattern(pattern, value);
  } catch {
    return null;
  }
}

function readStep(
  node: AnyNode,
  report: Report,
  walk: (node: AnyNode, insideRunbook: boolean) => void,
): ExtractedStep | null {
  const attributes = readAttributes(node, 'step', ATTRIBUTES.step, report);
  const id = attributes.get('id') ?? '';
  const where = id ? `step ${id}` : 'a step';
  if (!id) report(node, 'a step needs an id: :::step[Title]{#my-step host=control}');
  else if (!ID_PATTERN.test(id)) report(node, `step id "${id}" must be lower-case words joined by dashes`);
  const title = labelText(node);
  if (!title) report(node, `${where} needs a title: :::step[Title]{#${id || 'id'}}`);

  const flags = readStepFlags(node, attributes, where, report);
  const dryRunValue = attributes.get('dry-run');
  if (dryRunValue === '') report(node, `${where}: dry-run needs the id of the step that is its dry run`);

  const code = readCommandBlock(node, where, report, walk);
  if (!code) return null;
  const command = code.value.replace(/\n+$/, '');
  const variables = checkCommand(code, command, where, report);
  return {
    step: {
      id,
      title,
      host: readHost(node, attributes, where, flags.setup, report),
      command,
      lang: (code.lang ?? 'bash').toLowerCase(),
      destructive: flags.destructive,
      dryRun: dryRunValue ? dryRunValue : null,
      markers: readMarkers(node, attributes, where, report),
      runnable: flags.setup || flags.runnable,
      needs: flags.needs,
      setup: flags.setup,
      exit: readExit(node, attributes, where, report),
      variables,
      line: node.position?.start.line ?? 1,
    },
    node: node as unknown as ContainerDirective,
    code,
  };
}

/** setup, destructive, runnable and needs, and the rules that tie them together. */
function readStepFlags(node: AnyNode, attributes: Map<string, string>, where: string, report: Report) {
  const setup = readFlag(node, attributes, 'setup', report) ?? false;
  const destructive = readFlag(node, attributes, 'destructive', report) ?? false;
  const runnableValue = readFlag(node, attributes, 'runnable', report);
  const runnable = runnableValue ?? false;
  const needs: Need[] = [];
  if (attributes.has('needs')) {
    const listed = splitList(attributes.get('needs')!, ',');
    for (const need of listed) {
      if ((KNOWN_NEEDS as readonly string[]).includes(need)) needs.push(need as Need);
      else report(node, `${where}: unknown need "${need}"; known needs are ${KNOWN_NEEDS.join(', ')}`);
    }
    if (listed.length === 0) report(node, `${where}: needs lists nothing`);
  }
  if (setup && attributes.has('needs')) report(node, `${where} is a setup step, which CI always runs: it cannot have needs`);
  if (setup && destructive) report(node, `${where} is a setup step: it cannot also be destructive`);
  if (runnable && attributes.has('needs')) {
    report(node, `${where} says both runnable and needs=...: CI either runs it or it needs something CI lacks`);
  }
  if (!setup && runnableValue === false && !attributes.has('needs')) {
    report(node, `${where}: say whether CI may run it: add runnable, or needs=<${KNOWN_NEEDS.join('|')}>`);
  }
  return { setup, destructive, runnable, needs };
}

function readHost(node: AnyNode, attributes: Map<string, string>, where: string, setup: boolean, report: Report): Host {
  const hostValue = attributes.get('host');
  if (hostValue === undefined) {
    if (!setup) report(node, `${where} needs a host: host=${HOSTS.join('|')}`);
    return 'any';
  }
  if ((HOSTS as readonly string[]).includes(hostValue)) return hostValue as Host;
  report(node, `${where}: unknown host "${hostValue}"; hosts are ${HOSTS.join(', ')}`);
  return 'any';
}

function readExit(node: AnyNode, attributes: Map<string, string>, where: string, report: Report): number {
  const text = attributes.get('exit');
  if (text === undefined) return 0;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return Number(text);
  report(node, `${where}: exit must be a whole number from 0 to 255, not "${text}"`);
  return 0;
}

function readMarkers(node: AnyNode, attributes: Map<string, string>, where: string, report: Report): Step['markers'] {
  const markers = {
    success: attributes.has('success') ? splitList(attributes.get('success')!, '|') : [],
    failure: attributes.has('failure') ? splitList(attributes.get('failure')!, '|') : [],
  };
  for (const kind of ['success', 'failure'] as const) {
    if (attributes.has(kind) && markers[kind].length === 0) report(node, `${where}: ${kind} lists no markers`);
  }
  return markers;
}

/** The step's one command block; other content is walked as prose, nested runbook directives refused. */
function readCommandBlock(
  node: AnyNode,
  where: string,
  report: Report,
  walk: (node: AnyNode, insideRunbook: boolean) => void,
): Code | null {
  const codes: Code[] = [];
  for (const child of node.children ?? []) {
    if (child.data?.directiveLabel) continue;
    if (child.type === 'code' && COMMAND_LANGUAGES.has(((child as unknown as Code).lang ?? 'bash').toLowerCase())) {
      codes.push(child as unknown as Code);
      continue;
    }
    if (isOwnDirective(child)) {
      const what = child.name === DIRECTIVES.step ? 'another step' : child.name === DIRECTIVES.variable ? 'a variable' : 'a runbook';
      report(child, `${where} cannot contain ${what}; declare variables and steps directly inside the runbook`);
      continue;
    }
    walk(child, true);
  }
  if (codes.length === 0) {
    report(node, `${where} has no command: add a fenced block (\`\`\`bash) with the command`);
    return null;
  }
  if (codes.length > 1) {
    report(codes[1] as unknown as AnyNode, `${where} has ${codes.length} command blocks; a step runs one command block, so split it into steps`);
  }
  return codes[0]!;
}

/** Refuses prompts and badly placed placeholders; returns the variables the command uses, in order. */
function checkCommand(code: Code, command: string, where: string, report: Report): string[] {
  const firstLine = (code.position?.start.line ?? 1) + 1;
  const commandLine = (offset: number): number => firstLine + (command.slice(0, offset).match(/\n/g)?.length ?? 0);
  if (!command.trim()) report(code as unknown as AnyNode, `${where} has an empty command block`);
  command.split('\n').forEach((line, index) => {
    if (/^\s*\$ /.test(line)) {
      report(undefined, `${where}: remove the "$ " prompt: a command block holds only what the reader runs`, firstLine + index);
    }
  });
  const variables: string[] = [];
  for (const use of findPlaceholders(command)) {
    const unsupported = UNSUPPORTED_CONTEXTS[use.context];
    if (unsupported) report(undefined, `${where}: placeholder {{${use.name}}} sits ${unsupported}`, commandLine(use.start));
    if (!variables.includes(use.name)) variables.push(use.name);
  }
  return variables;
}

function checkRunbook(id: string, variables: Variable[], steps: ExtractedStep[], report: Report): void {
  const label = id ? `runbook ${id}` : 'the runbook';

  const declared = new Map<string, Variable>();
  for (const variable of variables) {
    if (!variable.name) continue;
    if (declared.has(variable.name)) {
      report(undefined, `${label} declares variable ${variable.name} twice (first on line ${declared.get(variable.name)!.line})`, variable.line);
    } else {
      declared.set(variable.name, variable);
    }
  }

  const stepsById = new Map<string, ExtractedStep>();
  for (const extracted of steps) {
    const { step } = extracted;
    if (!step.id) continue;
    const first = stepsById.get(step.id);
    if (first) report(undefined, `${label} has two steps with the id ${step.id} (first on line ${first.step.line})`, step.line);
    else stepsById.set(step.id, extracted);
  }

  const used = new Set<string>();
  const declaredLower = new Map([...declared.keys()].map((name) => [name.toLowerCase(), name]));
  for (const { step, code } of steps) {
    const lineOf = (offset: number): number =>
      (code.position?.start.line ?? 1) + 1 + (step.command.slice(0, offset).match(/\n/g)?.length ?? 0);
    for (const use of findPlaceholders(step.command)) {
      used.add(use.name);
      if (!declared.has(use.name)) {
        report(undefined, `step ${step.id}: placeholder {{${use.name}}} has no variable; declare it with ::var[Description]{name=${use.name}}`, lineOf(use.start));
      }
    }
    for (const match of step.command.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
      const exact = `{{${match[1]}}}`;
      const meant = declaredLower.get(match[1]!.toLowerCase());
      if (meant && match[0] !== `{{${meant}}}`) {
        report(undefined, `step ${step.id}: write the placeholder as {{${meant}}}, not ${match[0]}`, lineOf(match.index));
      } else if (!meant && match[0] !== exact && VARIABLE_NAME_PATTERN.test(match[1]!)) {
        report(undefined, `step ${step.id}: write the placeholder without spaces: ${exact}`, lineOf(match.index));
      }
    }
    if (step.dryRun !== null) {
      const target = stepsById.get(step.dryRun);
      if (!target) report(extractedNode(step), `step ${step.id}: dry-run names step ${step.dryRun}, which ${label} does not have`);
      else if (step.dryRun === step.id) report(extractedNode(step), `step ${step.id} cannot be its own dry run`);
      else if (target.step.destructive) report(extractedNode(step), `step ${step.id}: its dry run ${step.dryRun} is itself destructive`);
      else if (target.step.setup) report(extractedNode(step), `step ${step.id}: its dry run ${step.dryRun} is a hidden setup step`);
    }
  }
  for (const variable of declared.values()) {
    if (VARIABLE_NAME_PATTERN.test(variable.name) && !used.has(variable.name)) {
      report(undefined, `variable ${variable.name} is declared but no command uses {{${variable.name}}}`, variable.line);
    }
  }

  function extractedNode(step: Step): AnyNode {
    return { type: 'step', position: { start: { line: step.line } } };
  }
}

/** A directive's attributes, with unknown names reported. `#id` arrives as `id`. */
function readAttributes(
  node: AnyNode,
  kind: 'runbook' | 'variable' | 'step',
  allowed: readonly string[],
  report: Report,
): Map<string, string> {
  const raw = (node as unknown as { attributes?: Record<string, string | null | undefined> | null }).attributes ?? {};
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (!allowed.includes(name)) {
      const shown = name === 'class' ? `.${value ?? ''}` : name;
      report(node, `unknown attribute "${shown}" on ${kind}; allowed: ${allowed.join(', ')}`);
      continue;
    }
    result.set(name, value ?? '');
  }
  return result;
}

/** `{secret}`, `{secret=true}` and `{secret=false}`; null (reported) for anything else. */
function readFlag(node: AnyNode, attributes: Map<string, string>, name: string, report: Report): boolean | null {
  if (!attributes.has(name)) return false;
  const value = attributes.get(name);
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  report(node, `${name} is a flag: write ${name} (or ${name}=false), not ${name}="${value}"`);
  return null;
}

function splitList(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The text of a container directive's `[label]`. */
function labelText(node: AnyNode): string {
  const label = (node.children ?? []).find((child) => child.data?.directiveLabel);
  return label ? plainText(label.children ?? []) : '';
}

function plainText(nodes: readonly AnyNode[]): string {
  const text = (node: AnyNode): string =>
    typeof node.value === 'string' ? node.value : (node.children ?? []).map(text).join('');
  return nodes.map(text).join('').replace(/\s+/g, ' ').trim();
}
