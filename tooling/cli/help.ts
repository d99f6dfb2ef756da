// `--help`, rendered from the same definitions as the generated CLI reference.
import { EXIT_CODES, GROUPS, MARKERS, MODE_LABELS, OPTIONS, TOOL_NAME, TOOL_VERSION, USAGE, type OptionSpec } from '../options';

/** The flag column of one option, e.g. `--env ENV, --preserve-publisher-token-env ENV`. */
export function flagLabel(option: OptionSpec): string {
  const value = option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : '';
  const names = [`--${option.name}${value}`];
  if (option.negatable) names.push(`--no-${option.name}`);
  for (const alias of option.aliases ?? []) names.push(`--${alias}${value}`);
  if (option.short) names.unshift(`-${option.short}`);
  return names.join(', ');
}

/** The default shown for an option, or undefined when it has none worth showing. */
function defaultLabel(option: OptionSpec): string | undefined {
  if (option.defaultDescription) return option.defaultDescription;
  if (option.default === undefined) return undefined;
  if (typeof option.default === 'boolean') {
    if (option.negatable) return option.default ? `--${option.name}` : `--no-${option.name}`;
    return option.default ? 'on' : 'off';
  }
  return option.default;
}

/** "Applies to: rotation, --verify-only." for a flag limited to some modes; empty for one that applies to all. */
function appliesToLabel(option: OptionSpec): string {
  if (!option.appliesTo) return '';
  return `Applies to: ${option.appliesTo.map((mode) => MODE_LABELS[mode]).join(', ')}.`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function renderHelp(): string {
  const out: string[] = [];
  out.push(`${TOOL_NAME} ${TOOL_VERSION}: rotate, verify and sync SpacetimeDB signing keys, and re-sign the`);
  out.push('cached publisher token so its identity (and database ownership) survives a rotation.');
  out.push('');
  out.push('Usage:');
  for (const line of USAGE.split('\n')) out.push(`  ${line}`);
  out.push('');
  out.push('A flag that names no mode it applies to applies to every mode.');
  const groups = [...GROUPS, ...new Set(OPTIONS.map((option) => option.group).filter((g) => !GROUPS.includes(g as never)))];
  for (const group of groups) {
    const options = OPTIONS.filter((option) => option.group === group);
    if (options.length === 0) continue;
    out.push('');
    out.push(`${group}:`);
    for (const option of options) {
      out.push(`  ${flagLabel(option)}`);
      let text = option.description;
      if (option.choices) text += ` One of: ${option.choices.join(', ')}.`;
      if (option.appliesTo) text += ` ${appliesToLabel(option)}`;
      const shownDefault = defaultLabel(option);
      if (shownDefault !== undefined) text += ` (default: ${shownDefault})`;
      for (const line of wrap(text, 88)) out.push(`      ${line}`);
    }
  }
  out.push('');
  out.push('Exit codes:');
  for (const { code, meaning } of EXIT_CODES) {
    const [first, ...rest] = wrap(meaning, 84);
    out.push(`  ${code}   ${first ?? ''}`);
    for (const line of rest) out.push(`      ${line}`);
  }
  out.push('');
  out.push('The server reads its keys only at start-up: restart it after a rotation or a sync.');
  return `${out.join('\n')}\n`;
}

/** --help --json: the same definitions as one JSON object. */
export function helpJson(): Record<string, unknown> {
  return {
    tool: TOOL_NAME,
    version: TOOL_VERSION,
    usage: USAGE.split('\n'),
    options: OPTIONS.map((option) => ({
      flags: flagLabel(option).split(', '),
      name: option.name,
      type: option.type,
      group: option.group,
      default: defaultLabel(option) ?? null,
      choices: option.choices ?? null,
      appliesTo: (option.appliesTo ?? Object.keys(MODE_LABELS)).map((mode) => MODE_LABELS[mode as keyof typeof MODE_LABELS]),
      description: option.description,
    })),
    exitCodes: EXIT_CODES,
    markers: MARKERS,
  };
}
