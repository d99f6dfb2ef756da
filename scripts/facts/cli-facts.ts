/**
 * facts/spacetime-cli.json: the command lines of SpacetimeDB's programs at the pinned release, as
 * plain data (written by hand from their clap definitions, see facts/README.md), read and checked
 * here so a mistake in the file is reported with its place in the file.
 */
import { SOURCE_REFERENCE } from './pin';
import { readFactsJson } from './read-json';

export const CLI_FACTS_FILE = 'facts/spacetime-cli.json';

export interface CliOption {
  /** Long name without dashes, e.g. `bin-path`. */
  long: string;
  /** One character, without the dash. */
  short?: string;
  /** Other long names that mean the same option. */
  aliases: string[];
  /** `none`: a flag; `required`: takes one value; `optional`: may take one. */
  value: 'none' | 'required' | 'optional';
  /** An optional value must be attached with `=` (`--yes=all`); a separate word is not taken. */
  requireEquals: boolean;
  /** The option may be given more than once. */
  repeatable: boolean;
  /** A value may list several items separated by this character. */
  delimiter?: string;
  /** The only values accepted (aliases of a value included); empty when any value is. */
  values: string[];
  /** Inclusive bounds for a number. */
  range?: [number, number];
  /** The command fails without it. */
  required: boolean;
  /** Not shown in `--help`, but accepted. */
  hidden: boolean;
  /** Long names of options that must be given with this one. */
  requires: string[];
  /** Long names of options that cannot be given with this one. */
  conflicts: string[];
  source?: string;
}

export interface CliPositional {
  name: string;
  required: boolean;
  /** Takes every remaining positional word. */
  multiple: boolean;
}

/** Hands the rest of the command line to another program (`spacetime start` → `spacetimedb-standalone start`). */
export interface CliForward {
  program: string;
  command: string[];
  /** Only when this option of the forwarding command has one of these values (or its default). */
  when?: { option: string; values: string[]; default: string };
  /** Options the forwarding program adds itself, so they count as given. */
  supplied: string[];
}

export interface CliCommand {
  /** Path and line range at the pinned tag, e.g. `crates/cli/src/subcommands/publish.rs#L193-L323`. */
  source: string;
  options: CliOption[];
  positionals: CliPositional[];
  subcommands: Record<string, CliCommand>;
  /** `-h` / `--help` (clap adds them unless a command turns them off). */
  helpFlag: boolean;
  /** `-V` / `--version`. */
  versionFlag: boolean;
  subcommandRequired: boolean;
  /** Options of this command cannot be given together with a subcommand. */
  argsConflictWithSubcommands: boolean;
  /** Giving an option twice keeps the last value instead of failing. */
  overrideSelf: boolean;
  hidden: boolean;
  /** Accepts any arguments (a hidden pass-through). */
  passThrough: boolean;
  forward?: CliForward;
}

export interface CliFacts {
  programs: Record<string, CliCommand>;
}

type Json = Record<string, unknown>;

class FactsError extends Error {}

export function readCliFacts(siteDir: string): CliFacts {
  const data = readFactsJson(siteDir, CLI_FACTS_FILE, 'it');
  return parseCliFacts(data);
}

/** Checks the shape of the parsed JSON and fills in defaults; throws naming the place of a mistake. */
export function parseCliFacts(data: unknown): CliFacts {
  try {
    const root = object(data, '(top level)', ['description', 'programs']);
    const programs = object(root.programs, 'programs');
    const facts: CliFacts = { programs: {} };
    for (const [name, command] of Object.entries(programs)) facts.programs[name] = readCommand(command, `programs.${name}`);
    for (const [name, command] of Object.entries(facts.programs)) checkForwards(facts, command, `programs.${name}`);
    return facts;
  } catch (error) {
    if (error instanceof FactsError) throw new Error(`${CLI_FACTS_FILE}: ${error.message}`, { cause: error });
    throw error;
  }
}

const COMMAND_KEYS = [
  'source',
  'note',
  'options',
  'positionals',
  'subcommands',
  'helpFlag',
  'versionFlag',
  'subcommandRequired',
  'argsConflictWithSubcommands',
  'overrideSelf',
  'hidden',
  'passThrough',
  'forward',
];
const OPTION_KEYS = ['long', 'short', 'aliases', 'value', 'requireEquals', 'repeatable', 'delimiter', 'values', 'range', 'required', 'hidden', 'requires', 'conflicts', 'source'];

function readCommand(value: unknown, where: string): CliCommand {
  const json = object(value, where, COMMAND_KEYS);
  const source = string(json.source, `${where}.source`);
  if (!SOURCE_REFERENCE.test(source)) throw new FactsError(`${where}.source "${source}" must be crates/<path>#L<a> or #L<a>-L<b>`);
  const options = array(json.options ?? [], `${where}.options`).map((option, index) => readOption(option, `${where}.options[${index}]`));
  const names = new Set<string>();
  for (const option of options) {
    for (const name of [option.long, ...option.aliases]) {
      if (names.has(name)) throw new FactsError(`${where}: --${name} is defined twice`);
      names.add(name);
    }
  }
  for (const option of options) {
    for (const other of [...option.requires, ...option.conflicts]) {
      if (!options.some((candidate) => candidate.long === other)) throw new FactsError(`${where}: --${option.long} names --${other}, which this command does not have`);
    }
  }
  const subcommands: Record<string, CliCommand> = {};
  for (const [name, sub] of Object.entries(object(json.subcommands ?? {}, `${where}.subcommands`))) {
    subcommands[name] = readCommand(sub, `${where}.subcommands.${name}`);
  }
  const command: CliCommand = {
    source,
    options,
    positionals: array(json.positionals ?? [], `${where}.positionals`).map((positional, index) => {
      const item = object(positional, `${where}.positionals[${index}]`, ['name', 'required', 'multiple']);
      return {
        name: string(item.name, `${where}.positionals[${index}].name`),
        required: bool(item.required, false, `${where}.positionals[${index}].required`),
        multiple: bool(item.multiple, false, `${where}.positionals[${index}].multiple`),
      };
    }),
    subcommands,
    helpFlag: bool(json.helpFlag, true, `${where}.helpFlag`),
    versionFlag: bool(json.versionFlag, false, `${where}.versionFlag`),
    subcommandRequired: bool(json.subcommandRequired, false, `${where}.subcommandRequired`),
    argsConflictWithSubcommands: bool(json.argsConflictWithSubcommands, false, `${where}.argsConflictWithSubcommands`),
    overrideSelf: bool(json.overrideSelf, false, `${where}.overrideSelf`),
    hidden: bool(json.hidden, false, `${where}.hidden`),
    passThrough: bool(json.passThrough, false, `${where}.passThrough`),
  };
  if (json.forward !== undefined) {
    const forward = object(json.forward, `${where}.forward`, ['program', 'command', 'when', 'supplied']);
    const when = forward.when === undefined ? undefined : object(forward.when, `${where}.forward.when`, ['option', 'values', 'default']);
    command.forward = {
      program: string(forward.program, `${where}.forward.program`),
      command: strings(forward.command ?? [], `${where}.forward.command`),
      supplied: strings(forward.supplied ?? [], `${where}.forward.supplied`),
      ...(when
        ? {
            when: {
              option: string(when.option, `${where}.forward.when.option`),
              values: strings(when.values, `${where}.forward.when.values`),
              default: string(when.default, `${where}.forward.when.default`),
            },
          }
        : {}),
    };
  }
  return command;
}

function readOption(value: unknown, where: string): CliOption {
  const json = object(value, where, OPTION_KEYS);
  const long = string(json.long, `${where}.long`);
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(long)) throw new FactsError(`${where}.long "${long}" must be written without dashes in front`);
  const kind = string(json.value, `${where}.value`);
  if (kind !== 'none' && kind !== 'required' && kind !== 'optional') throw new FactsError(`${where}.value must be none, required or optional`);
  const option: CliOption = {
    long,
    aliases: strings(json.aliases ?? [], `${where}.aliases`),
    value: kind,
    requireEquals: bool(json.requireEquals, false, `${where}.requireEquals`),
    repeatable: bool(json.repeatable, false, `${where}.repeatable`),
    values: strings(json.values ?? [], `${where}.values`),
    required: bool(json.required, false, `${where}.required`),
    hidden: bool(json.hidden, false, `${where}.hidden`),
    requires: strings(json.requires ?? [], `${where}.requires`),
    conflicts: strings(json.conflicts ?? [], `${where}.conflicts`),
  };
  if (json.short !== undefined) {
    const short = string(json.short, `${where}.short`);
    if (short.length !== 1) throw new FactsError(`${where}.short must be one character`);
    option.short = short;
  }
  if (json.delimiter !== undefined) option.delimiter = string(json.delimiter, `${where}.delimiter`);
  if (json.range !== undefined) {
    const range = array(json.range, `${where}.range`);
    if (range.length !== 2 || !range.every((bound) => typeof bound === 'number')) throw new FactsError(`${where}.range must be [low, high]`);
    option.range = [range[0] as number, range[1] as number];
  }
  if (json.source !== undefined) {
    option.source = string(json.source, `${where}.source`);
    if (!SOURCE_REFERENCE.test(option.source)) throw new FactsError(`${where}.source must be crates/<path>#L<a> or #L<a>-L<b>`);
  }
  return option;
}

function checkForwards(facts: CliFacts, command: CliCommand, where: string): void {
  if (command.forward) {
    const target = resolveCommand(facts, command.forward.program, command.forward.command);
    if (!target) throw new FactsError(`${where}.forward names ${[command.forward.program, ...command.forward.command].join(' ')}, which is not described`);
  }
  for (const [name, sub] of Object.entries(command.subcommands)) checkForwards(facts, sub, `${where}.subcommands.${name}`);
}

/** The command at `program sub sub...`, or undefined. */
export function resolveCommand(facts: CliFacts, program: string, path: readonly string[]): CliCommand | undefined {
  let command = facts.programs[program];
  for (const name of path) command = command?.subcommands[name];
  return command;
}

function object(value: unknown, where: string, allowed?: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FactsError(`${where} must be an object`);
  if (allowed) {
    const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
    if (unknown.length) throw new FactsError(`${where}: unknown field ${unknown.join(', ')} (known: ${allowed.join(', ')})`);
  }
  return value as Json;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new FactsError(`${where} must be an array`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new FactsError(`${where} must be a string`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  return array(value, where).map((item, index) => string(item, `${where}[${index}]`));
}

function bool(value: unknown, fallback: boolean, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new FactsError(`${where} must be true or false`);
  return value;
}
