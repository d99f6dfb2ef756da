/**
 * Reads a markdown or MDX file's text into runbooks, with the same directive parser Docusaurus uses
 * (remark-directive 3) and the same extraction as the site's remark plugin. The doc-test runner and the
 * contract emitter read runbooks through here; nothing else reads the markdown.
 */
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { RunbookError, type RunbookProblem } from '../errors';
import { extractRunbooks } from './extract';
import type { Runbook } from '../model';

/** Blanks out a leading front matter block, keeping its lines so line numbers stay right. */
export function blankFrontMatter(source: string): string {
  const match = /^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?=\r?\n|$)/.exec(source);
  return match ? match[0].replace(/[^\n]/g, '') + source.slice(match[0].length) : source;
}

export function parseMarkdown(source: string): Root {
  return unified().use(remarkParse).use(remarkDirective).parse(blankFrontMatter(source));
}

/** Runbooks and mistakes, without throwing. */
export function checkRunbooks(source: string, file: string): { runbooks: Runbook[]; problems: RunbookProblem[] } {
  const { runbooks, problems } = extractRunbooks(parseMarkdown(source), file);
  return { runbooks: runbooks.map((extracted) => extracted.runbook), problems };
}

/**
 * The runbooks of one file, in page order. Throws a `RunbookError` listing every mistake as
 * `file:line: message`. `file` is only used in messages and in `Runbook.file`.
 */
export function parseRunbooks(source: string, file: string): Runbook[] {
  const { runbooks, problems } = checkRunbooks(source, file);
  if (problems.length > 0) throw new RunbookError(problems);
  return runbooks;
}
