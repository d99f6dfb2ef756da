/**
 * Checks one invocation of a SpacetimeDB program (`spacetime`, `spacetimedb-standalone`,
 * `spacetimedb-update`, `spacetime-install`) against facts/spacetime-cli.json, reading the words the
 * way clap does: subcommands, long and short options (bundled, `--name=value`, `-xVALUE`), values,
 * positionals, required options, `requires` and `conflicts`, and the commands that hand the rest of
 * the line to another program (`spacetime start`, `spacetime version`).
 */
import { resolveCommand, type CliCommand, type CliFacts, type CliOption } from '../facts/cli-facts';
import { permalink, type Pin } from '../facts/pin';
import { display, literal, literalAt, literalPrefix, type Word } from './shell-words';
import { nearest, suggestion } from './suggest';

export interface InvocationCheck {
  /** The command path reached, e.g. `spacetime publish`, for reports. */
  what: string;
  errors: string[];
  /** Set when some of the words could not be checked (a non-literal option name, an undescribed program). */
  unchecked?: string;
}

interface Walk {
  facts: CliFacts;
  pin: Pin;
  errors: string[];
  unchecked?: string;
  what: string;
}

export function checkCliInvocation(facts: CliFacts, pin: Pin, program: string, args: readonly Word[]): InvocationCheck {
  const command = facts.programs[program];
  if (!command) throw new Error(`no program ${program} in the facts`);
  const walk: Walk = { facts, pin, errors: [], what: program };
  checkCommand(walk, command, [program], [], args, new Set());
  return { what: walk.what, errors: walk.errors, ...(walk.unchecked ? { unchecked: walk.unchecked } : {}) };
}

/** The word without its first `count` literal characters. */
export function dropPrefix(word: Word, count: number): Word {
  let left = count;
  const parts: Word['parts'] = [];
  for (const part of word.parts) {
    if (left > 0 && part.kind === 'text') {
      if (part.text.length <= left) {
        left -= part.text.length;
        continue;
      }
      parts.push({ kind: 'text', text: part.text.slice(left) });
      left = 0;
      continue;
    }
    parts.push(part);
  }
  return { parts, raw: word.raw };
}

function findLong(command: CliCommand, name: string): CliOption | undefined {
  return command.options.find((option) => option.long === name || option.aliases.includes(name));
}

function longNames(command: CliCommand): string[] {
  const names = command.options.filter((option) => !option.hidden).flatMap((option) => [option.long, ...option.aliases]);
  if (command.helpFlag) names.push('help');
  if (command.versionFlag) names.push('version');
  return names;
}

function isOption(word: Word): boolean {
  const prefix = literalPrefix(word);
  return prefix.startsWith('-') && prefix !== '-' && !(literal(word) !== null && /^-\d/.test(prefix));
}

function checkCommand(
  walk: Walk,
  command: CliCommand,
  path: string[],
  ancestors: { command: CliCommand; path: string[] }[],
  args: readonly Word[],
  supplied: ReadonlySet<string>,
): void {
  const label = `\`${path.join(' ')}\``;
  const link = permalink(walk.pin, command.source);
  const fail = (message: string, source = link): void => {
    walk.errors.push(`${message} (${source})`);
  };
  walk.what = path.join(' ');
  if (command.passThrough) return;

  const seen = new Map<string, number>();
  const given = (option: CliOption): boolean => seen.has(option.long) || supplied.has(option.long);
  let positionals: Word[] = [];
  let helpGiven = false;
  let optionsGiven = 0;
  let afterDashes = false;
  let forwarded = false;
  let unknownGiven = false;
  let i = 0;

  const takeValue = (option: CliOption, inline: Word | undefined, shown: string): void => {
    if (option.value === 'none') {
      if (inline) fail(`${label}: ${shown} takes no value, got "${display(inline)}"`, option.source ? permalink(walk.pin, option.source) : link);
      return;
    }
    let value = inline;
    if (!value) {
      const next = args[i + 1];
      if (option.value === 'required') {
        if (!next || isOption(next)) {
          fail(`${label}: ${shown} needs a value`, option.source ? permalink(walk.pin, option.source) : link);
          return;
        }
        value = next;
        i += 1;
      } else if (!option.requireEquals && next && !isOption(next)) {
        value = next;
        i += 1;
      }
    }
    if (value) checkValue(option, value, shown);
  };

  const checkValue = (option: CliOption, value: Word, shown: string): void => {
    const text = literal(value);
    if (text === null) return;
    const source = option.source ? permalink(walk.pin, option.source) : link;
    if (option.values.length) {
      for (const item of option.delimiter ? text.split(option.delimiter) : [text]) {
        if (!option.values.includes(item)) fail(`${label}: ${shown} does not take "${item}"; ${suggestion(item, option.values)}`, source);
      }
    }
    if (option.range) {
      const number = Number(text);
      if (!/^\d+$/.test(text) || number < option.range[0] || number > option.range[1]) {
        fail(`${label}: ${shown} takes a number from ${option.range[0]} to ${option.range[1]}, got "${text}"`, source);
      }
    }
  };

  const count = (option: CliOption, shown: string): void => {
    const times = (seen.get(option.long) ?? 0) + 1;
    seen.set(option.long, times);
    if (times === 2 && !option.repeatable && !command.overrideSelf) fail(`${label}: ${shown} is given more than once`);
  };

  /** Reports an unknown long option; returns the option it probably meant, to read its value. */
  const unknownLong = (name: string): CliOption | undefined => {
    unknownGiven = true;
    const owner = ancestors.find((ancestor) => findLong(ancestor.command, name));
    if (owner) {
      fail(`${label} has no option --${name}; it is an option of \`${owner.path.join(' ')}\` and goes before \`${path.slice(owner.path.length).join(' ')}\``);
      return findLong(owner.command, name);
    }
    fail(`${label} has no option --${name}; ${suggestion(name, longNames(command), (candidate) => `--${candidate}`)}`);
    const meant = nearest(name, longNames(command));
    return meant === undefined ? undefined : findLong(command, meant);
  };

  while (i < args.length) {
    const word = args[i]!;
    const prefix = literalPrefix(word);
    const text = literal(word);

    if (command.forward && (afterDashes || !isOwnOption(command, word))) {
      forwarded = true;
      forward(walk, command, path, args.slice(i), seen, args);
      return finish();
    }
    if (!afterDashes && text === '--') {
      afterDashes = true;
      i += 1;
      continue;
    }
    if (!afterDashes && isOption(word)) {
      optionsGiven += 1;
      if (prefix.startsWith('--')) {
        const equals = prefix.indexOf('=');
        if (equals === -1 && text === null) {
          walk.unchecked = `the option ${display(word)} of ${label} is not written literally`;
          i += 1;
          continue;
        }
        const name = equals === -1 ? text!.slice(2) : prefix.slice(2, equals);
        const inline = equals === -1 ? undefined : dropPrefix(word, equals + 1);
        if ((name === 'help' && command.helpFlag) || (name === 'version' && command.versionFlag)) {
          helpGiven = true;
          i += 1;
          continue;
        }
        const option = findLong(command, name);
        if (!option) {
          // Step over the value the misspelt option was probably given, so it is not taken for a positional.
          const meant = unknownLong(name);
          if (meant?.value === 'required' && !inline && args[i + 1] && !isOption(args[i + 1]!)) i += 1;
        } else {
          count(option, `--${name}`);
          takeValue(option, inline, `--${name}`);
        }
        i += 1;
        continue;
      }
      // Short options, possibly bundled (-fsS) or with a value attached (-bfile, -b=file).
      for (let j = 1; j < prefix.length; j += 1) {
        const char = prefix[j]!;
        if ((char === 'h' && command.helpFlag) || (char === 'V' && command.versionFlag)) {
          helpGiven = true;
          continue;
        }
        const option = command.options.find((candidate) => candidate.short === char);
        if (!option) {
          const shorts = command.options.filter((candidate) => candidate.short && !candidate.hidden).map((candidate) => candidate.short!);
          if (command.helpFlag) shorts.push('h');
          if (command.versionFlag) shorts.push('V');
          fail(`${label} has no option -${char}; ${shorts.length ? `valid: ${shorts.map((short) => `-${short}`).join(', ')}` : 'it has no short options'}`);
          break;
        }
        count(option, `-${char}`);
        if (option.value === 'none') continue;
        const rest = dropPrefix(word, j + 1);
        const attached = literalPrefix(rest).startsWith('=') ? dropPrefix(rest, 1) : rest;
        takeValue(option, attached.parts.length ? attached : undefined, `-${char}`);
        break;
      }
      i += 1;
      continue;
    }

    // A positional word: a subcommand name where the command has subcommands and no positionals.
    const subcommandNames = Object.keys(command.subcommands);
    if (subcommandNames.length && command.positionals.length === 0 && !afterDashes) {
      if (text === null) {
        walk.unchecked = `the subcommand ${display(word)} of ${label} is not written literally`;
        return;
      }
      if (text === 'help') {
        checkHelpPath(walk, command, path, args.slice(i + 1));
        return;
      }
      const sub = command.subcommands[text];
      if (!sub) {
        fail(`${label} has no subcommand "${text}"; ${suggestion(text, [...subcommandNames.filter((name) => !command.subcommands[name]!.hidden), 'help'])}`);
        return;
      }
      if (command.argsConflictWithSubcommands && optionsGiven > 0) {
        fail(`${label}: its options cannot be given together with the subcommand ${text}`);
      }
      checkRelations();
      checkCommand(walk, sub, [...path, text], [...ancestors, { command, path }], args.slice(i + 1), new Set());
      return;
    }
    positionals = [...positionals, word];
    i += 1;
  }
  return finish();

  function finish(): void {
    if (command.forward && !forwarded) {
      forwarded = true;
      forward(walk, command, path, [], seen, args);
    }
    if (helpGiven) return;
    if (command.subcommandRequired && !command.forward) {
      fail(`${label} needs a subcommand: ${Object.keys(command.subcommands).filter((name) => !command.subcommands[name]!.hidden).join(', ')}`);
    }
    for (const option of command.options) {
      if (option.required && !given(option)) fail(`${label} needs --${option.long}`, option.source ? permalink(walk.pin, option.source) : link);
    }
    const required = command.positionals.filter((positional) => positional.required);
    if (positionals.length < required.length) {
      fail(`${label} needs ${required.slice(positionals.length).map((positional) => `<${positional.name}>`).join(' ')}`);
    }
    const most = command.positionals.some((positional) => positional.multiple) ? Infinity : command.positionals.length;
    if (positionals.length > most && !unknownGiven) {
      const extra = positionals.slice(most).map((word) => `"${display(word)}"`).join(' ');
      fail(
        most === 0
          ? `${label} takes no positional argument, got ${extra}`
          : `${label} takes at most ${most} positional argument${most === 1 ? '' : 's'} (${command.positionals.map((positional) => `<${positional.name}>`).join(' ')}), got also ${extra}`,
      );
    }
    checkRelations();
  }

  function checkRelations(): void {
    for (const option of command.options) {
      if (!seen.has(option.long)) continue;
      for (const needed of option.requires) {
        const other = findLong(command, needed)!;
        if (!given(other)) fail(`${label}: --${option.long} needs --${needed} as well`, option.source ? permalink(walk.pin, option.source) : link);
      }
      for (const conflicting of option.conflicts) {
        if (seen.has(conflicting) && option.long < conflicting) fail(`${label}: --${option.long} and --${conflicting} cannot be used together`);
      }
    }
  }
}

/** An option the forwarding command reads itself (e.g. `--edition` of `spacetime start`). */
function isOwnOption(command: CliCommand, word: Word): boolean {
  const prefix = literalPrefix(word);
  if (!prefix.startsWith('--')) return false;
  const name = prefix.slice(2).split('=')[0]!;
  return command.options.some((option) => option.long === name || option.aliases.includes(name));
}

function forward(walk: Walk, command: CliCommand, path: string[], rest: readonly Word[], seen: ReadonlyMap<string, number>, all: readonly Word[]): void {
  const target = command.forward!;
  if (target.when) {
    const option = target.when.option;
    let value = target.when.default;
    for (let index = 0; index < all.length; index += 1) {
      const text = literal(all[index]!);
      if (text === `--${option}`) value = literalAt(all, index + 1) ?? '';
      else if (text?.startsWith(`--${option}=`)) value = text.slice(option.length + 3);
    }
    if (seen.has(option) && value === '') {
      walk.unchecked = `\`${path.join(' ')}\` --${option} is not written literally, so the program it starts is unknown`;
      return;
    }
    if (!target.when.values.includes(value)) {
      walk.unchecked = `\`${path.join(' ')} --${option} ${value}\` starts a program not described in facts/spacetime-cli.json`;
      return;
    }
  }
  const next = resolveCommand(walk.facts, target.program, target.command)!;
  checkCommand(walk, next, [target.program, ...target.command], [], rest, new Set(target.supplied));
  walk.what = `${path.join(' ')} → ${walk.what}`;
}

/** `spacetime help publish`: the words after `help` name subcommands. */
function checkHelpPath(walk: Walk, command: CliCommand, path: string[], rest: readonly Word[]): void {
  let current = command;
  const reached = [...path];
  for (const word of rest) {
    const name = literal(word);
    if (name === null) return;
    const sub = current.subcommands[name];
    if (!sub) {
      walk.errors.push(
        `\`${reached.join(' ')} help\`: no subcommand "${name}"; ${suggestion(name, Object.keys(current.subcommands))} (${permalink(walk.pin, current.source)})`,
      );
      return;
    }
    current = sub;
    reached.push(name);
  }
  walk.what = `${path.join(' ')} help`;
}
