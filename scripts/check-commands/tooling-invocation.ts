/**
 * Checks one invocation of spacetimedb-tooling against the tool's own option table
 * (tooling/options.ts): every word is a known flag, with a value when it takes one and one of its
 * choices when it has them. When every word can be spelled out (placeholders take the runbook's test
 * values), the tool's own argument parser then judges the whole line, so contradictory modes or a
 * writing run without --yes are caught too.
 */
import { UsageError } from '../../tooling/core/errors';
import { parseCommandLine } from '../../tooling/cli/args';
import { OPTIONS, TOOL_NAME, type OptionSpec } from '../../tooling/options';
import { display, literal, literalPrefix, type Word } from './shell-words';
import { dropPrefix } from './cli-invocation';
import { suggestion } from './suggest';

export interface ToolingCheck {
  errors: string[];
}

const WHERE = '(flags: tooling/options.ts, or spacetimedb-tooling --help)';

/** Every spelling the tool accepts, mapped to its option. */
function spellings(): Map<string, { spec: OptionSpec; negated: boolean }> {
  const map = new Map<string, { spec: OptionSpec; negated: boolean }>();
  for (const spec of OPTIONS) {
    map.set(spec.name, { spec, negated: false });
    for (const alias of spec.aliases ?? []) map.set(alias, { spec, negated: false });
    if (spec.negatable) map.set(`no-${spec.name}`, { spec, negated: true });
  }
  return map;
}

export function checkToolingInvocation(args: readonly Word[], values: Readonly<Record<string, string>>): ToolingCheck {
  const errors: string[] = [];
  const known = spellings();
  const fail = (message: string): void => {
    errors.push(`${TOOL_NAME}: ${message} ${WHERE}`);
  };

  for (let i = 0; i < args.length; i += 1) {
    const word = args[i]!;
    const prefix = literalPrefix(word);
    if (!prefix.startsWith('-') || prefix === '-') {
      fail(`takes no positional argument, got "${display(word)}"; every option is a --flag`);
      continue;
    }
    if (!prefix.startsWith('--')) {
      const short = prefix.slice(1, 2);
      const spec = OPTIONS.find((option) => option.short === short);
      if (!spec) fail(`has no option -${short}; valid: ${OPTIONS.filter((option) => option.short).map((option) => `-${option.short}`).join(', ')}`);
      continue;
    }
    const equals = prefix.indexOf('=');
    const text = literal(word);
    if (equals === -1 && text === null) continue; // a flag name built from a variable: nothing to check
    const name = equals === -1 ? text!.slice(2) : prefix.slice(2, equals);
    const found = known.get(name);
    if (!found) {
      const positive = name.startsWith('no-') ? known.get(name.slice(3)) : undefined;
      if (positive && !positive.negated) fail(`has no option --${name}: --${positive.spec.name} has no --no- form; leave it out instead`);
      else fail(`has no option --${name}; ${suggestion(name, [...known.keys()], (candidate) => `--${candidate}`)}`);
      continue;
    }
    if (found.spec.type === 'boolean' || found.negated) {
      if (equals !== -1) fail(`--${name} takes no value`);
      continue;
    }
    let value: Word | undefined = equals === -1 ? undefined : dropPrefix(word, equals + 1);
    if (!value) {
      const next = args[i + 1];
      if (!next || literalPrefix(next).startsWith('-')) {
        fail(`--${name} needs a value${found.spec.valueName ? ` (${found.spec.valueName})` : ''}`);
        continue;
      }
      value = next;
      i += 1;
    }
    const choice = literal(value);
    if (choice !== null && found.spec.choices && !found.spec.choices.includes(choice)) {
      fail(`--${name} does not take "${choice}"; ${suggestion(choice, found.spec.choices)}`);
    }
  }
  if (errors.length) return { errors };

  // The tool's own judgement of the whole line, when every word can be spelled out.
  const argv = spelledOut(args, values);
  if (argv) {
    try {
      parseCommandLine(argv, '/');
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const placeholders = args.some((word) => word.parts.some((part) => part.kind === 'placeholder'));
      fail(`refuses these arguments${placeholders ? ' (with the runbook\'s test values)' : ''}: ${error.message}`);
    }
  }
  return { errors };
}

/** The words as the tool would receive them, or null when one holds a shell expansion or an unknown placeholder. */
function spelledOut(args: readonly Word[], values: Readonly<Record<string, string>>): string[] | null {
  const argv: string[] = [];
  for (const word of args) {
    let text = '';
    for (const part of word.parts) {
      if (part.kind === 'text') text += part.text;
      else if (part.kind === 'placeholder' && values[part.name] !== undefined) text += values[part.name];
      else return null;
    }
    argv.push(text);
  }
  return argv;
}
