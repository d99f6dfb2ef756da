/**
 * Values in commands: checking a value against its variable, and putting values into a command
 * the way the shell will read them. Used by the page (live commands, copy) and by the doc-test runner.
 */
import type { Runbook, Variable } from './model';
import { quoteValueFor, spliceCommand, type PlaceholderUse, type Splice } from './shell';

/** Matches a whole value against a variable's pattern. */
export function matchesPattern(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}

/** True when the text holds a C0 control character (line breaks included) or DEL. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Why a value cannot be used for a variable, or null when it can. */
export function valueProblem(variable: Variable, value: string): string | null {
  if (value === '') return `${variable.name} needs a value`;
  if (hasControlCharacter(value)) return `${variable.name} contains a line break or another control character`;
  if (variable.options.length > 0 && !variable.options.includes(value)) {
    return `${variable.name} must be one of ${variable.options.join(', ')}`;
  }
  if (variable.pattern !== null && !matchesPattern(variable.pattern, value)) {
    return `${variable.name} does not match the pattern ${variable.pattern}`;
  }
  return null;
}

/** Each variable's value: the one given, else its default (secrets have no default). */
export function effectiveValues(
  runbook: Pick<Runbook, 'variables'>,
  given: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  return Object.fromEntries(runbook.variables.map((variable) => [variable.name, given[variable.name] ?? variable.default]));
}

/** A piece of a command as shown on the page: literal text, or the text that stands for a value. */
export interface CommandPart {
  text: string;
  /** Set on the parts that come from a variable. */
  variable?: string;
  /** The value cannot be used (missing or invalid); the part shows the placeholder or the bad value. */
  invalid?: boolean;
}

export interface RenderedCommand {
  parts: CommandPart[];
  /** What copy puts on the clipboard when `problems` is empty. */
  text: string;
  /** One line per variable whose value cannot be used; copying is refused while there are any. */
  problems: string[];
}

/** The command with each placeholder replaced by its value, quoted for where it stands. */
export function renderCommand(
  command: string,
  variables: readonly Variable[],
  values: Readonly<Record<string, string>>,
): RenderedCommand {
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  const problems: string[] = [];
  const valuePart = (use: PlaceholderUse): Splice<CommandPart> => {
    const variable = byName.get(use.name);
    const value = values[use.name] ?? '';
    const problem = variable ? valueProblem(variable, value) : `${use.name} is not a variable of this runbook`;
    if (problem && !problems.includes(problem)) problems.push(problem);
    if (value === '' || !variable) return { part: { text: `{{${use.name}}}`, variable: use.name, invalid: true } };
    return { part: { text: quoteValueFor(use.context, value), variable: use.name, ...(problem ? { invalid: true } : {}) } };
  };
  const parts = spliceCommand<CommandPart>(command, valuePart, (text) => ({ text }));
  return { parts, text: parts.map((part) => part.text).join(''), problems };
}
