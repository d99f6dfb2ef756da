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

interface Ancestor {
  command: CliCommand;
  path: string[];
}

function checkCommand(
  walk: Walk,
  command: CliCommand,
  path: string[],
  ancestors: Ancestor[],
  args: readonly Word[],
  supplied: ReadonlySet<string>,
): void {
  walk.what = path.join(' ');
  if (command.passThrough) return;
  new ArgvWalk(walk, command, path, ancestors, args, supplied).run();
}

/**
 * The words of one command, read left to right as clap reads them: options (counted, their values
 * checked), positionals (collected, checked at the end), and the subcommand, whose words go to a
 * walk of their own.
 */
class ArgvWalk {
  private readonly label: string;
  private readonly link: string;
  /** How many times each option (by its long name) was given. */
  private readonly seen = new Map<string, number>();
  private positionals: Word[] = [];
  private helpGiven = false;
  private optionsGiven = 0;
  private afterDashes = false;
  private forwarded = false;
  private unknownGiven = false;
  /** The index of the word being read. */
  private i = 0;

  constructor(
    private readonly walk: Walk,
    private readonly command: CliCommand,
    private readonly path: string[],
    private readonly ancestors: Ancestor[],
    private readonly args: readonly Word[],
    private readonly supplied: ReadonlySet<string>,
  ) {
    this.label = `\`${path.join(' ')}\``;
    this.link = permalink(walk.pin, command.source);
  }

  run(): void {
    const { command, args } = this;
    while (this.i < args.length) {
      const word = args[this.i]!;
      if (command.forward && (this.afterDashes || !isOwnOption(command, word))) {
        this.forwarded = true;
        forward(this.walk, command, this.path, args.slice(this.i), this.seen, args);
        return this.finish();
      }
      if (!this.afterDashes && literal(word) === '--') {
        this.afterDashes = true;
      } else if (!this.afterDashes && isOption(word)) {
        this.optionsGiven += 1;
        if (literalPrefix(word).startsWith('--')) this.readLongOption(word);
        else this.readShortOptions(word);
      } else if (this.expectsSubcommand()) {
        return this.readSubcommand(word);
      } else {
        this.positionals = [...this.positionals, word];
      }
      this.i += 1;
    }
    this.finish();
  }

  private fail(message: string, source = this.link): void {
    this.walk.errors.push(`${message} (${source})`);
  }

  /** Where a message about the option points: its own definition, else the command's. */
  private optionLink(option: CliOption): string {
    return option.source ? permalink(this.walk.pin, option.source) : this.link;
  }

  private given(option: CliOption): boolean {
    return this.seen.has(option.long) || this.supplied.has(option.long);
  }

  /** `--name`, `--name=value` or `--name value`. */
  private readLongOption(word: Word): void {
    const { command, args } = this;
    const prefix = literalPrefix(word);
    const text = literal(word);
    const equals = prefix.indexOf('=');
    if (equals === -1 && text === null) {
      this.walk.unchecked = `the option ${display(word)} of ${this.label} is not written literally`;
      return;
    }
    const name = equals === -1 ? text!.slice(2) : prefix.slice(2, equals);
    const inline = equals === -1 ? undefined : dropPrefix(word, equals + 1);
    if ((name === 'help' && command.helpFlag) || (name === 'version' && command.versionFlag)) {
      this.helpGiven = true;
      return;
    }
    const option = findLong(command, name);
    if (!option) {
      // Step over the value the misspelt option was probably given, so it is not taken for a positional.
      const meant = this.unknownLong(name);
      if (meant?.value === 'required' && !inline && args[this.i + 1] && !isOption(args[this.i + 1]!)) this.i += 1;
      return;
    }
    this.count(option, `--${name}`);
    this.takeValue(option, inline, `--${name}`);
  }

  /** Short options, possibly bundled (-fsS) or with a value attached (-bfile, -b=file). */
  private readShortOptions(word: Word): void {
    const { command } = this;
    const prefix = literalPrefix(word);
    for (let j = 1; j < prefix.length; j += 1) {
      const char = prefix[j]!;
      if ((char === 'h' && command.helpFlag) || (char === 'V' && command.versionFlag)) {
        this.helpGiven = true;
        continue;
      }
      const option = command.options.find((candidate) => candidate.short === char);
      if (!option) {
        this.fail(`${this.label} has no option -${char}; ${shortNamesHint(command)}`);
        return;
      }
      this.count(option, `-${char}`);
      if (option.value === 'none') continue;
      const rest = dropPrefix(word, j + 1);
      const attached = literalPrefix(rest).startsWith('=') ? dropPrefix(rest, 1) : rest;
      this.takeValue(option, attached.parts.length ? attached : undefined, `-${char}`);
      return;
    }
  }

  /** A positional word is a subcommand name where the command has subcommands and no positionals. */
  private expectsSubcommand(): boolean {
    return Object.keys(this.command.subcommands).length > 0 && this.command.positionals.length === 0 && !this.afterDashes;
  }

  /** The subcommand named by `word` reads the words after it. */
  private readSubcommand(word: Word): void {
    const { command, label } = this;
    const text = literal(word);
    if (text === null) {
      this.walk.unchecked = `the subcommand ${display(word)} of ${label} is not written literally`;
      return;
    }
    if (text === 'help') {
      checkHelpPath(this.walk, command, this.path, this.args.slice(this.i + 1));
      return;
    }
    const sub = command.subcommands[text];
    if (!sub) {
      const visible = Object.keys(command.subcommands).filter((name) => !command.subcommands[name]!.hidden);
      this.fail(`${label} has no subcommand "${text}"; ${suggestion(text, [...visible, 'help'])}`);
      return;
    }
    if (command.argsConflictWithSubcommands && this.optionsGiven > 0) {
      this.fail(`${label}: its options cannot be given together with the subcommand ${text}`);
    }
    this.checkRelations();
    const ancestors = [...this.ancestors, { command, path: this.path }];
    checkCommand(this.walk, sub, [...this.path, text], ancestors, this.args.slice(this.i + 1), new Set());
  }

  /** The option's value: attached (`inline`), else the next word when the option takes one. */
  private takeValue(option: CliOption, inline: Word | undefined, shown: string): void {
    if (option.value === 'none') {
      if (inline) this.fail(`${this.label}: ${shown} takes no value, got "${display(inline)}"`, this.optionLink(option));
      return;
    }
    let value = inline;
    if (!value) {
      const next = this.args[this.i + 1];
      if (option.value === 'required') {
        if (!next || isOption(next)) {
          this.fail(`${this.label}: ${shown} needs a value`, this.optionLink(option));
          return;
        }
        value = next;
        this.i += 1;
      } else if (!option.requireEquals && next && !isOption(next)) {
        value = next;
        this.i += 1;
      }
    }
    if (value) this.checkValue(option, value, shown);
  }

  private checkValue(option: CliOption, value: Word, shown: string): void {
    const text = literal(value);
    if (text === null) return;
    const source = this.optionLink(option);
    if (option.values.length) {
      for (const item of option.delimiter ? text.split(option.delimiter) : [text]) {
        if (!option.values.includes(item)) this.fail(`${this.label}: ${shown} does not take "${item}"; ${suggestion(item, option.values)}`, source);
      }
    }
    if (option.range) {
      const number = Number(text);
      if (!/^\d+$/.test(text) || number < option.range[0] || number > option.range[1]) {
        this.fail(`${this.label}: ${shown} takes a number from ${option.range[0]} to ${option.range[1]}, got "${text}"`, source);
      }
    }
  }

  private count(option: CliOption, shown: string): void {
    const times = (this.seen.get(option.long) ?? 0) + 1;
    this.seen.set(option.long, times);
    if (times === 2 && !option.repeatable && !this.command.overrideSelf) this.fail(`${this.label}: ${shown} is given more than once`);
  }

  /** Reports an unknown long option; returns the option it probably meant, to read its value. */
  private unknownLong(name: string): CliOption | undefined {
    const { command, label, path } = this;
    this.unknownGiven = true;
    const owner = this.ancestors.find((ancestor) => findLong(ancestor.command, name));
    if (owner) {
      this.fail(`${label} has no option --${name}; it is an option of \`${owner.path.join(' ')}\` and goes before \`${path.slice(owner.path.length).join(' ')}\``);
      return findLong(owner.command, name);
    }
    this.fail(`${label} has no option --${name}; ${suggestion(name, longNames(command), (candidate) => `--${candidate}`)}`);
    const meant = nearest(name, longNames(command));
    return meant === undefined ? undefined : findLong(command, meant);
  }

  /** After the last word: what the command still needs, and what it was given too much of. */
  private finish(): void {
    const { command, label } = this;
    if (command.forward && !this.forwarded) {
      this.forwarded = true;
      forward(this.walk, command, this.path, [], this.seen, this.args);
    }
    if (this.helpGiven) return;
    if (command.subcommandRequired && !command.forward) {
      this.fail(`${label} needs a subcommand: ${Object.keys(command.subcommands).filter((name) => !command.subcommands[name]!.hidden).join(', ')}`);
    }
    for (const option of command.options) {
      if (option.required && !this.given(option)) this.fail(`${label} needs --${option.long}`, this.optionLink(option));
    }
    this.checkPositionals();
    this.checkRelations();
  }

  /** Enough positionals for the required ones, and no more than the command takes. */
  private checkPositionals(): void {
    const { command, label, positionals } = this;
    const required = command.positionals.filter((positional) => positional.required);
    if (positionals.length < required.length) {
      this.fail(`${label} needs ${required.slice(positionals.length).map((positional) => `<${positional.name}>`).join(' ')}`);
    }
    const most = command.positionals.some((positional) => positional.multiple) ? Infinity : command.positionals.length;
    if (positionals.length > most && !this.unknownGiven) {
      const extra = positionals.slice(most).map((word) => `"${display(word)}"`).join(' ');
      this.fail(
        most === 0
          ? `${label} takes no positional argument, got ${extra}`
          : `${label} takes at most ${most} positional argument${most === 1 ? '' : 's'} (${command.positionals.map((positional) => `<${positional.name}>`).join(' ')}), got also ${extra}`,
      );
    }
  }

  /** `requires` and `conflicts` between the options given. */
  private checkRelations(): void {
    const { command, label } = this;
    for (const option of command.options) {
      if (!this.seen.has(option.long)) continue;
      for (const needed of option.requires) {
        const other = findLong(command, needed)!;
        if (!this.given(other)) this.fail(`${label}: --${option.long} needs --${needed} as well`, this.optionLink(option));
      }
      for (const conflicting of option.conflicts) {
        if (this.seen.has(conflicting) && option.long < conflicting) this.fail(`${label}: --${option.long} and --${conflicting} cannot be used together`);
      }
    }
  }
}

/** The short options a message offers instead of an unknown one. */
function shortNamesHint(command: CliCommand): string {
  const shorts = command.options.filter((candidate) => candidate.short && !candidate.hidden).map((candidate) => candidate.short!);
  if (command.helpFlag) shorts.push('h');
  if (command.versionFlag) shorts.push('V');
  return shorts.length ? `valid: ${shorts.map((short) => `-${short}`).join(', ')}` : 'it has no short options';
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
