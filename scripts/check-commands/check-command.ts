/**
 * Checks every command of a shell script (a runbook step's command): finds the simple commands,
 * looks through wrappers (sudo, env, ssh, sh -c, docker exec, ...), and sends each program to its
 * checker: SpacetimeDB's programs to the CLI facts, curl to the route table, spacetimedb-tooling to its
 * option table. Here-documents that write a shell script or a systemd unit are checked too.
 */
import { readCliFacts, type CliFacts } from '../facts/cli-facts';
import { readRoutes, type RouteFacts } from '../facts/http-routes';
import { readPin, type Pin } from '../facts/pin';
import { checkCliInvocation } from './cli-invocation';
import { checkCurl } from './http-request';
import {
  COMPOSE_GLOBAL_OPTIONS,
  DOCKER_GLOBAL_OPTIONS,
  ENV_OPTIONS,
  EXEC_OPTIONS,
  GENERAL_TOOLS,
  NICE_OPTIONS,
  RUN_OPTIONS,
  SSH_OPTIONS,
  SUDO_OPTIONS,
  TIMEOUT_OPTIONS,
  UNDESCRIBED,
  type OptionTable,
} from './programs';
import {
  commandText,
  display,
  literal,
  literalAt,
  literalPrefix,
  parseScript,
  scriptFromWords,
  type HereDocument,
  type ParsedScript,
  type SimpleCommand,
  type Word,
} from './shell-words';
import { checkToolingInvocation } from './tooling-invocation';

export interface Facts {
  pin: Pin;
  cli: CliFacts;
  routes: RouteFacts;
}

export function loadFacts(siteDir: string): Facts {
  return { pin: readPin(siteDir), cli: readCliFacts(siteDir), routes: readRoutes(siteDir) };
}

/**
 * - `error`: the command is wrong (unknown subcommand, flag, value or route);
 * - `validated`: checked against facts/ or the tool's option table, and right;
 * - `recognised`: a general-purpose tool or wrapper, with nothing in facts/ to check it against;
 * - `unchecked`: a program the checker cannot judge (docker, systemctl, az, an unknown program).
 */
export type FindingKind = 'error' | 'validated' | 'recognised' | 'unchecked';

export interface Finding {
  kind: FindingKind;
  /** Line of the command within the script (1-based). */
  line: number;
  /** The command as written. */
  command: string;
  /** The error, what was validated, the program recognised, or why it stays unchecked. */
  message: string;
  /** `step`: a command the step runs; `file`: a command inside a file the step writes (a here-document). */
  origin: 'step' | 'file';
}

export interface CheckContext {
  facts: Facts;
  /** Values for `{{NAME}}` placeholders (the runbook's test values), for the tool's own argument parser. */
  values: Readonly<Record<string, string>>;
}

interface Scope {
  context: CheckContext;
  parsed: ParsedScript;
  command: SimpleCommand;
  origin: 'step' | 'file';
  findings: Finding[];
}

export function checkScript(script: string, context: CheckContext, options: { firstLine?: number; origin?: 'step' | 'file' } = {}): Finding[] {
  const parsed = parseScript(script, options.firstLine ?? 1);
  const findings: Finding[] = [];
  for (const command of parsed.commands) {
    if (command.words.length) checkArgv(command.words, { context, parsed, command, origin: options.origin ?? 'step', findings });
    for (const heredoc of command.hereDocuments) findings.push(...checkFileContent(heredoc, context));
  }
  return findings;
}

/** Shell scripts and systemd units written by a here-document: the commands they will run. */
function checkFileContent(heredoc: HereDocument, context: CheckContext): Finding[] {
  const firstLine = heredoc.body.split('\n', 1)[0] ?? '';
  if (/^#!.*\b(sh|bash|dash|zsh|ksh)\b/.test(firstLine)) {
    return checkScript(heredoc.body, context, { firstLine: heredoc.line, origin: 'file' });
  }
  const findings: Finding[] = [];
  heredoc.body.split('\n').forEach((line, index) => {
    const exec = /^\s*Exec(?:Start|StartPre|StartPost|Reload|Stop|StopPost)=[-@:+!]*(.+)$/.exec(line);
    if (exec) findings.push(...checkScript(exec[1]!, context, { firstLine: heredoc.line + index, origin: 'file' }));
  });
  return findings;
}

/** The program a command word names: the last path component of a literal (or literal-ending) word. */
export function programName(word: Word): string | null {
  const text = literal(word);
  if (text !== null) return text.slice(text.lastIndexOf('/') + 1);
  const last = word.parts[word.parts.length - 1];
  if (last?.kind === 'text' && last.text.includes('/')) return last.text.slice(last.text.lastIndexOf('/') + 1);
  return null;
}

/** The index of the first operand after the options of a wrapper, and the values given to long options. */
function skipOptions(words: readonly Word[], table: OptionTable, from = 0): { index: number; values: Map<string, Word> } {
  const values = new Map<string, Word>();
  let i = from;
  while (i < words.length) {
    const prefix = literalPrefix(words[i]!);
    if (prefix === '--') return { index: i + 1, values };
    if (!prefix.startsWith('-') || prefix === '-') break;
    if (prefix.startsWith('--')) {
      const name = prefix.slice(2).split('=')[0]!;
      if (!prefix.includes('=') && table.long.has(name)) {
        if (words[i + 1]) values.set(name, words[i + 1]!);
        i += 2;
      } else i += 1;
      continue;
    }
    let step = 1;
    for (let j = 1; j < prefix.length; j += 1) {
      if (table.short.includes(prefix[j]!)) {
        if (j === prefix.length - 1 && literal(words[i]!) !== null) step = 2;
        break;
      }
    }
    i += step;
  }
  return { index: i, values };
}

function checkArgv(words: readonly Word[], scope: Scope): void {
  const first = words[0];
  if (!first) return;
  const name = programName(first);
  if (name === null) return report(scope, 'unchecked', `the command name ${display(first)} is only known at run time`);
  const args = words.slice(1);
  const program = name === 'spacetimedb-cli' ? 'spacetime' : name;
  if (scope.context.facts.cli.programs[program]) return checkSpacetime(scope, program, args);
  const check = PROGRAM_CHECKS.get(program);
  if (check) return check(scope, program, args);
  if (GENERAL_TOOLS.has(program)) return report(scope, 'recognised', program);
  if (UNDESCRIBED[program]) return report(scope, 'unchecked', `${program}: ${UNDESCRIBED[program]}, which facts/ does not describe`);
  report(scope, 'unchecked', `unknown program ${program}: neither in facts/ nor among the general-purpose tools of scripts/check-commands/programs.ts`);
}

function report(scope: Scope, kind: FindingKind, message: string): void {
  scope.findings.push({ kind, line: scope.command.line, command: commandText(scope.command), message, origin: scope.origin });
}

/** A script the command runs (`sh -c SCRIPT`, `ssh host COMMAND`), checked as part of it. */
function checkNested(scope: Scope, script: string): void {
  scope.findings.push(...checkScript(script, scope.context, { firstLine: scope.command.line, origin: scope.origin }));
}

/** Checks the arguments of one program; `program` is the name it was called by. */
type ProgramCheck = (scope: Scope, program: string, args: readonly Word[]) => void;

/** The programs, besides SpacetimeDB's own, whose arguments the checker reads. */
const PROGRAM_CHECKS = new Map<string, ProgramCheck>([
  ['spacetimedb-tooling', (scope, _program, args) => checkTooling(scope, args)],
  ['node', checkScriptRunner],
  ['bun', checkScriptRunner],
  ['pnpm', checkPnpm],
  ['curl', checkCurlCommand],
  ['sh', checkShell],
  ['bash', checkShell],
  ['dash', checkShell],
  ['zsh', checkShell],
  ['sudo', (scope, program, args) => checkWrapped(scope, program, args, skipOptions(args, SUDO_OPTIONS).index)],
  ['env', (scope, program, args) => checkWrapped(scope, program, args, envCommandIndex(args))],
  ['nohup', (scope, program, args) => checkWrapped(scope, program, args, 0)],
  ['exec', (scope, program, args) => checkWrapped(scope, program, args, 0)],
  ['command', (scope, program, args) => checkWrapped(scope, program, args, 0)],
  ['time', (scope, program, args) => checkWrapped(scope, program, args, 0)],
  ['nice', (scope, program, args) => checkWrapped(scope, program, args, skipOptions(args, NICE_OPTIONS).index)],
  // After the options comes the duration, then the command.
  ['timeout', (scope, program, args) => checkWrapped(scope, program, args, skipOptions(args, TIMEOUT_OPTIONS).index + 1)],
  ['ssh', checkSsh],
  ['docker', checkContainer],
  ['docker-compose', checkContainer],
  ['podman', checkContainer],
]);

function checkSpacetime(scope: Scope, program: string, args: readonly Word[]): void {
  const { facts } = scope.context;
  const result = checkCliInvocation(facts.cli, facts.pin, program, args);
  for (const error of result.errors) report(scope, 'error', error);
  if (result.unchecked) report(scope, 'unchecked', result.unchecked);
  else if (!result.errors.length) report(scope, 'validated', result.what);
}

function checkTooling(scope: Scope, toolArgs: readonly Word[]): void {
  const result = checkToolingInvocation(toolArgs, scope.context.values);
  for (const error of result.errors) report(scope, 'error', error);
  if (!result.errors.length) report(scope, 'validated', 'spacetimedb-tooling');
}

/** `node spacetimedb-tooling.mjs ARGS`, `bun spacetimedb-tooling.ts ARGS`. */
function checkScriptRunner(scope: Scope, program: string, args: readonly Word[]): void {
  if (/spacetimedb-tooling\.(mjs|ts)$/.test(literalAt(args, 0) ?? '')) return checkTooling(scope, args.slice(1));
  report(scope, 'unchecked', `${program} runs a script the checker does not know`);
}

/** `pnpm [-s] tooling [--] ARGS`. */
function checkPnpm(scope: Scope, _program: string, args: readonly Word[]): void {
  let i = 0;
  while (/^(-s|--silent)$/.test(literalAt(args, i) ?? '')) i += 1;
  if (literalAt(args, i) === 'tooling') return checkTooling(scope, args.slice(literalAt(args, i + 1) === '--' ? i + 2 : i + 1));
  report(scope, 'unchecked', 'pnpm runs a script the checker does not know');
}

function checkCurlCommand(scope: Scope, _program: string, args: readonly Word[]): void {
  const { facts } = scope.context;
  const result = checkCurl(args, facts.routes, facts.pin);
  if (result.kind === 'installer') return report(scope, 'recognised', 'curl downloads the SpacetimeDB install script');
  if (result.kind === 'unchecked') return report(scope, 'unchecked', result.reason);
  for (const error of result.errors) report(scope, 'error', error);
  if (!result.errors.length) report(scope, 'validated', result.what);
}

/** A wrapper (sudo, env, nice, timeout, ...) whose command starts at `index`; none there is the wrapper alone. */
function checkWrapped(scope: Scope, program: string, args: readonly Word[], index: number): void {
  if (index < args.length) checkArgv(args.slice(index), scope);
  else report(scope, 'recognised', program);
}

/** `env [OPTIONS] [NAME=VALUE ...] COMMAND`: where COMMAND starts. */
function envCommandIndex(args: readonly Word[]): number {
  let { index } = skipOptions(args, ENV_OPTIONS);
  while (args[index] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[index]!.raw)) index += 1;
  return index;
}

/** `ssh [OPTIONS] HOST COMMAND...`: the remote command is checked as a script. */
function checkSsh(scope: Scope, _program: string, args: readonly Word[]): void {
  const { index } = skipOptions(args, SSH_OPTIONS);
  const remote = args.slice(index + 1);
  if (!args[index] || remote.length === 0) return report(scope, 'unchecked', 'ssh opens an interactive session');
  report(scope, 'recognised', 'ssh');
  checkNested(scope, scriptFromWords(remote));
}

/** `sh -c SCRIPT`, `sh -n`, `sh -s -- ARGS` (the installer), `sh FILE`. */
function checkShell(scope: Scope, program: string, shellArgs: readonly Word[]): void {
  for (let i = 0; i < shellArgs.length; i += 1) {
    const text = literal(shellArgs[i]!) ?? '';
    if (!/^-[a-z]+$/.test(text)) break;
    if (text.includes('c')) {
      const script = shellArgs[i + 1];
      if (!script) return report(scope, 'error', `${program} -c needs a script`);
      return checkNested(scope, scriptFromWords([script]));
    }
    if (text.includes('n')) return report(scope, 'recognised', `${program} -n (a syntax check)`);
    if (text.includes('s')) return checkInstaller(scope, program, shellArgs.slice(i + 1));
    if (text.endsWith('o')) i += 1; // `-o pipefail`: the option's name
  }
  const file = shellArgs.find((word) => !literalPrefix(word).startsWith('-'));
  if (file) return report(scope, 'unchecked', `${program} runs the script ${display(file)}, which is not checked here`);
  checkInstaller(scope, program, []);
}

/** `curl … install.spacetimedb.com | sh -s -- ARGS`: ARGS go to the installer. */
function checkInstaller(scope: Scope, program: string, shellArgs: readonly Word[]): void {
  const { facts } = scope.context;
  const before = scope.parsed.commands.find(
    (command) => command.pipeline === scope.command.pipeline && command.position === scope.command.position - 1,
  );
  const fromInstaller =
    before?.words[0] !== undefined &&
    programName(before.words[0]) === 'curl' &&
    checkCurl(before.words.slice(1), facts.routes, facts.pin).kind === 'installer';
  if (!fromInstaller) return report(scope, 'unchecked', `${program} runs a script read from its standard input`);
  const installerArgs = literalAt(shellArgs, 0) === '--' ? shellArgs.slice(1) : shellArgs;
  const result = checkCliInvocation(facts.cli, facts.pin, 'spacetime-install', installerArgs);
  for (const error of result.errors) report(scope, 'error', error);
  if (!result.errors.length) report(scope, 'validated', 'spacetime-install (run by the install script)');
}

/** docker, docker compose, docker-compose, podman: not described, but the command run inside is checked. */
function checkContainer(scope: Scope, runtime: string, containerArgs: readonly Word[]): void {
  let { index } = skipOptions(containerArgs, DOCKER_GLOBAL_OPTIONS);
  let sub = literalAt(containerArgs, index) ?? '';
  let shown = `${runtime} ${sub}`;
  if (sub === 'compose') {
    ({ index } = skipOptions(containerArgs, COMPOSE_GLOBAL_OPTIONS, index + 1));
    sub = literalAt(containerArgs, index) ?? '';
    shown = `${runtime} compose ${sub}`;
  } else if (runtime === 'docker-compose') {
    shown = `docker-compose ${sub}`;
  }
  report(scope, 'unchecked', `${shown.trim()}: ${UNDESCRIBED[runtime] ?? 'a container runtime command'}, which facts/ does not describe`);
  // The command run inside the container is still checked.
  if (sub === 'exec') {
    const options = skipOptions(containerArgs, EXEC_OPTIONS, index + 1);
    const inner = containerArgs.slice(options.index + 1);
    if (inner.length) checkArgv(inner, scope);
  } else if (sub === 'run') {
    const options = skipOptions(containerArgs, RUN_OPTIONS, index + 1);
    const entrypoint = options.values.get('entrypoint');
    if (entrypoint) checkArgv([entrypoint, ...containerArgs.slice(options.index + 1)], scope);
  }
}
