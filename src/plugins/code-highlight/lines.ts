/**
 * A fenced code block's meta string and magic comments, read the way Docusaurus' own code block reads
 * them in the browser (theme-common's codeBlockUtils), but when the site is built:
 *
 *   ```bash title="deploy.sh" {1,3-4} showLineNumbers      title, highlighted lines, line numbers
 *   # highlight-next-line                                   highlights the next line (comment removed)
 *   # highlight-start … # highlight-end                     highlights the lines between
 *
 * A `{…}` range in the meta string wins over magic comments, as in Docusaurus.
 */

/** One kind of magic comment, as in Docusaurus' `themeConfig.prism.magicComments`. */
export interface MagicComment {
  className: string;
  line?: string;
  block?: { start: string; end: string };
}

/** Docusaurus' default: line highlighting. */
export const DEFAULT_MAGIC_COMMENTS: readonly MagicComment[] = [
  { className: 'theme-code-block-highlighted-line', line: 'highlight-next-line', block: { start: 'highlight-start', end: 'highlight-end' } },
];

export interface ParsedCodeBlock {
  /** The code readers see and copy: magic comment lines removed, no final line break. */
  code: string;
  title?: string;
  /** First line number when line numbers are shown. */
  lineNumbersStart?: number;
  /** Extra classes per line (0-based), e.g. the highlighted lines. */
  lineClassNames: Record<number, string[]>;
}

const COMMENT_SYNTAX = {
  js: { start: '\\/\\/', end: '' },
  jsBlock: { start: '\\/\\*', end: '\\*\\/' },
  jsx: { start: '\\{\\s*\\/\\*', end: '\\*\\/\\s*\\}' },
  bash: { start: '#', end: '' },
  html: { start: '<!--', end: '-->' },
  lua: { start: '--', end: '' },
  tex: { start: '%', end: '' },
} as const;
type CommentSyntax = keyof typeof COMMENT_SYNTAX;

/** Comment syntaxes a magic comment may use in a language (every common one for other languages). */
function commentSyntaxes(language: string): CommentSyntax[] {
  switch (language) {
    case 'js':
    case 'javascript':
    case 'ts':
    case 'typescript':
      return ['js', 'jsBlock'];
    case 'jsx':
    case 'tsx':
      return ['js', 'jsBlock', 'jsx'];
    case 'html':
      return ['js', 'jsBlock', 'html'];
    case 'python':
    case 'py':
    case 'bash':
    case 'sh':
    case 'shell':
    case 'toml':
    case 'ini':
    case 'yaml':
    case 'yml':
      return ['bash'];
    case 'markdown':
    case 'md':
      return ['html', 'jsx', 'bash'];
    case 'lua':
    case 'haskell':
      return ['lua'];
    case 'sql':
      return ['lua', 'jsBlock'];
    case 'tex':
    case 'latex':
      return ['tex'];
    default:
      return ['js', 'jsBlock', 'jsx', 'bash', 'html'];
  }
}

function directivePattern(language: string, comments: readonly MagicComment[]): RegExp {
  const directives = comments.flatMap((comment) => [comment.line, comment.block?.start, comment.block?.end]).filter(Boolean);
  const alternatives = commentSyntaxes(language)
    .map((syntax) => `(?:${COMMENT_SYNTAX[syntax].start}\\s*(${directives.join('|')})\\s*${COMMENT_SYNTAX[syntax].end})`)
    .join('|');
  return new RegExp(`^\\s*(?:${alternatives})\\s*$`);
}

/** `1,3-5` → [1, 3, 4, 5]. */
export function parseRange(range: string): number[] {
  return range
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .flatMap((part) => {
      const [from, to] = part.split('-').map(Number) as [number, number | undefined];
      if (to === undefined) return [from];
      return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
    });
}

function addClass(into: Record<number, string[]>, line: number, className: string): void {
  const classes = (into[line] ??= []);
  if (!classes.includes(className)) classes.push(className);
}

function parseTitle(metastring: string | undefined): string | undefined {
  return /title=(["'])(.*?)\1/.exec(metastring ?? '')?.[2] || undefined;
}

function parseLineNumbersStart(metastring: string | undefined): number | undefined {
  const flag = (metastring ?? '').split(' ').find((word) => word.startsWith('showLineNumbers'));
  if (!flag) return undefined;
  return flag.startsWith('showLineNumbers=') ? Number.parseInt(flag.slice('showLineNumbers='.length), 10) : 1;
}

/** Reads a code block's meta string and magic comments (see the top of this file). */
export function parseCodeBlock(
  rawCode: string,
  language: string,
  metastring: string | undefined,
  magicComments: readonly MagicComment[] = DEFAULT_MAGIC_COMMENTS,
): ParsedCodeBlock {
  const code = rawCode.replace(/\r?\n$/, '');
  const title = parseTitle(metastring);
  const lineNumbersStart = parseLineNumbersStart(metastring);
  const lineClassNames: Record<number, string[]> = {};
  const range = /\{([\d,-]+)\}/.exec(metastring ?? '')?.[1];
  const first = magicComments[0];
  if (range !== undefined && first) {
    for (const line of parseRange(range).filter((number) => number > 0)) addClass(lineClassNames, line - 1, first.className);
    return { code, title, lineNumbersStart, lineClassNames };
  }
  if (magicComments.length === 0) return { code, title, lineNumbersStart, lineClassNames };

  const pattern = directivePattern(language, magicComments);
  const lines = code.split(/\r?\n/);
  const kept: string[] = [];
  const blockStarts = new Map<string, number>();
  let highlightNext: string[] = [];
  for (const line of lines) {
    const match = pattern.exec(line);
    const directive = match?.slice(1).find((group) => group !== undefined);
    if (directive === undefined) {
      for (const className of highlightNext) addClass(lineClassNames, kept.length, className);
      highlightNext = [];
      kept.push(line);
      continue;
    }
    for (const comment of magicComments) {
      if (comment.line === directive) highlightNext.push(comment.className);
      if (comment.block?.start === directive) blockStarts.set(comment.className, kept.length);
      if (comment.block?.end === directive) {
        const start = blockStarts.get(comment.className) ?? 0;
        for (let index = start; index < kept.length; index++) addClass(lineClassNames, index, comment.className);
        blockStarts.delete(comment.className);
      }
    }
  }
  return { code: kept.join('\n'), title, lineNumbersStart, lineClassNames };
}
