// `pnpm generate-cli-docs`: writes the reference page of spacetimedb-tooling from the tool's own
// flag definitions (tooling/options.ts), so a flag, exit code or marker is defined in one place.
// `pnpm generate-cli-docs --check` fails when the committed page differs from what it would write.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type * as ToolOptions from '../tooling/options';

export const HELP = `Usage: pnpm generate-cli-docs [--check] [options]

Renders the command-line reference of spacetimedb-tooling from tooling/options.ts into
docs/00400-reference/00300-spacetimedb-tooling-cli.md. Never edit that page by hand.

Options:
  --check            write nothing; exit 1 when the page is missing or differs from what would be written
  --stdout           print the page instead of writing it
  --options FILE     the definitions module (default: tooling/options.ts)
  --out FILE         the page to write or check (default: docs/00400-reference/00300-spacetimedb-tooling-cli.md)
  -h, --help         print this help

Exit codes:
  0  the page was written, or (with --check) is up to date
  1  --check: the page is missing or out of date (run pnpm generate-cli-docs)
  2  usage error
  3  the definitions module could not be loaded, or the page could not be written
`;

/** One flag, as the definitions module (tooling/options.ts) declares it: the tool's own type. */
export type OptionDefinition = ToolOptions.OptionSpec;

export interface ToolDefinitions {
  TOOL_NAME: string;
  TOOL_VERSION: string;
  USAGE: string;
  OPTIONS: readonly OptionDefinition[];
  EXIT_CODES: readonly { code: number; meaning: string }[];
  MARKERS: readonly { marker: string; meaning: string }[];
  /** Order of the option groups; groups not listed follow in order of first use. */
  GROUPS?: readonly string[];
  /** How each mode is named in an option's "Applies to" (options without appliesTo apply to all). */
  MODE_LABELS?: Readonly<Record<string, string>>;
}

// Compile-time check that the real definitions still have the shape this generator reads.
export type RealDefinitionsFit = typeof ToolOptions extends ToolDefinitions ? true : never;
const fits: RealDefinitionsFit = true;
void fits;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OPTIONS_MODULE = 'tooling/options.ts';
export const DEFAULT_PAGE = 'docs/00400-reference/00300-spacetimedb-tooling-cli.md';

/** Prose for Markdown and MDX: nothing in it can start a tag, an expression, emphasis or a link. */
export function escapeProse(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#&]/g, (char) => (char === '&' ? '&amp;' : `\\${char}`));
}

/** Inline code that survives any content (backticks inside get a longer fence). */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  // A `|` would end a table cell even inside code: GFM wants it escaped there too.
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** Prose in which `--flag` names are shown as code. */
function describe(text: string): string {
  return text
    .split(/(--[a-z][a-z0-9-]*)/g)
    .map((part, index) => (index % 2 === 1 ? code(part) : escapeProse(part)))
    .join('');
}

function flagNames(option: OptionDefinition): string[] {
  const value = option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : '';
  const names = [`--${option.name}${value}`];
  if (option.short) names.unshift(`-${option.short}${value}`);
  if (option.negatable) names.push(`--no-${option.name}`);
  for (const alias of option.aliases ?? []) names.push(`--${alias}${value}`);
  return names;
}

function defaultCell(option: OptionDefinition): string {
  if (option.defaultDescription) return describe(option.defaultDescription);
  if (option.default === undefined) return '';
  if (typeof option.default === 'boolean') {
    if (option.negatable) return code(option.default ? `--${option.name}` : `--no-${option.name}`);
    return option.default ? 'on' : 'off';
  }
  return code(option.default);
}

function optionRow(option: OptionDefinition, modeLabels: Readonly<Record<string, string>> = {}): string {
  let description = describe(option.description);
  if (option.choices?.length) description += ` One of ${option.choices.map(code).join(', ')}.`;
  if (option.appliesTo?.length) description += ` Applies to: ${option.appliesTo.map((mode) => describe(modeLabels[mode] ?? mode)).join(', ')}.`;
  const flags = flagNames(option).map(code).join('<br />');
  return `| ${flags} | ${defaultCell(option)} | ${description} |`;
}

export function renderCliReference(defs: ToolDefinitions, sourceName = DEFAULT_OPTIONS_MODULE): string {
  const listed = defs.GROUPS ?? [];
  const groups = [...new Set([...listed, ...defs.OPTIONS.map((option) => option.group)])].filter((group) =>
    defs.OPTIONS.some((option) => option.group === group),
  );
  const lines: string[] = [
    '---',
    `title: ${defs.TOOL_NAME} command line`,
    `description: Every flag, exit code and output marker of ${defs.TOOL_NAME} ${defs.TOOL_VERSION}, generated from the tool's own definitions.`,
    '---',
    '',
    `{/* Generated by scripts/generate-cli-docs.ts from ${sourceName}. Do not edit: run pnpm generate-cli-docs. */}`,
    '',
    `# ${defs.TOOL_NAME} command line`,
    '',
    ':::info[Generated page]',
    '',
    `This page is generated from the tool's own flag definitions in ${code(sourceName)}, the same ones`,
    `its ${code('--help')} prints. To change it, edit that file and run ${code('pnpm generate-cli-docs')};`,
    `${code('pnpm test')} fails while this page is out of date.`,
    '',
    ':::',
    '',
    `Version ${escapeProse(defs.TOOL_VERSION)}.`,
    '',
    '## Usage',
    '',
    '```text',
    ...defs.USAGE.split('\n').map((line) => line.trimEnd()),
    '```',
    '',
    '## Options',
    ...(defs.MODE_LABELS ? ['', 'A flag that names no mode it applies to applies to every mode.'] : []),
  ];
  for (const group of groups) {
    lines.push('', `### ${escapeProse(group)}`, '', '| Flag | Default | Description |', '| --- | --- | --- |');
    for (const option of defs.OPTIONS.filter((candidate) => candidate.group === group)) lines.push(optionRow(option, defs.MODE_LABELS));
  }
  lines.push('', '## Exit codes', '', '| Code | Meaning |', '| --- | --- |');
  for (const { code: exitCode, meaning } of defs.EXIT_CODES) lines.push(`| ${exitCode} | ${describe(meaning)} |`);
  lines.push(
    '',
    '## Output markers',
    '',
    'Each run prints one of these markers on a line of its own; runbooks and scripts look for them.',
    '',
    '| Marker | Meaning |',
    '| --- | --- |',
  );
  for (const { marker, meaning } of defs.MARKERS) lines.push(`| ${code(marker)} | ${describe(meaning)} |`);
  return `${lines.join('\n')}\n`;
}

export async function loadDefinitions(file: string): Promise<ToolDefinitions> {
  const loaded = (await import(pathToFileURL(file).href)) as Partial<ToolDefinitions>;
  const missing = (['TOOL_NAME', 'TOOL_VERSION', 'USAGE', 'OPTIONS', 'EXIT_CODES', 'MARKERS'] as const).filter(
    (name) => loaded[name] === undefined,
  );
  if (missing.length > 0) throw new Error(`${file} does not export ${missing.join(', ')}`);
  return loaded as ToolDefinitions;
}

export interface Io {
  out: (text: string) => void;
  err: (line: string) => void;
}

export async function run(argv: string[], io: Io, root = repoRoot): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        check: { type: 'boolean', default: false },
        stdout: { type: 'boolean', default: false },
        options: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    io.err(`generate-cli-docs: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (values.check && values.stdout) {
    io.err('generate-cli-docs: --check and --stdout cannot be combined.');
    return 2;
  }
  const optionsFile = resolve(root, values.options ?? DEFAULT_OPTIONS_MODULE);
  const page = resolve(root, values.out ?? DEFAULT_PAGE);
  const shownPage = relative(root, page).split('\\').join('/');
  let text: string;
  try {
    const sourceName = relative(root, optionsFile).split('\\').join('/');
    text = renderCliReference(await loadDefinitions(optionsFile), sourceName);
  } catch (error) {
    io.err(`generate-cli-docs: cannot load ${optionsFile}: ${(error as Error).message}`);
    return 3;
  }
  if (values.stdout) {
    io.out(text);
    return 0;
  }
  const current = existsSync(page) ? readFileSync(page, 'utf8') : undefined;
  if (values.check) {
    if (current === text) {
      io.out(`generate-cli-docs: ${shownPage} is up to date.\n`);
      return 0;
    }
    if (current === undefined) {
      io.err(`generate-cli-docs: ${shownPage} is missing. Run pnpm generate-cli-docs and commit the page.`);
      return 1;
    }
    const had = current.split('\n');
    const want = text.split('\n');
    const line = want.findIndex((wanted, index) => had[index] !== wanted);
    io.err(`generate-cli-docs: ${shownPage} is out of date (first difference at line ${line + 1}).`);
    io.err(`  page:      ${JSON.stringify(had[line] ?? '(end of file)')}`);
    io.err(`  generated: ${JSON.stringify(want[line] ?? '(end of file)')}`);
    io.err('Run pnpm generate-cli-docs and commit the page; never edit it by hand.');
    return 1;
  }
  if (current === text) {
    io.out(`generate-cli-docs: ${shownPage} is up to date, nothing written.\n`);
    return 0;
  }
  try {
    mkdirSync(dirname(page), { recursive: true });
    writeFileSync(page, text);
  } catch (error) {
    io.err(`generate-cli-docs: cannot write ${shownPage}: ${(error as Error).message}`);
    return 3;
  }
  io.out(`generate-cli-docs: wrote ${shownPage}.\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await run(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
