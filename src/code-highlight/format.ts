/**
 * The highlighted code block as the build hands it to the browser: a JSON string in the `highlighted`
 * prop of the code element (see src/plugins/code-highlight/rehype.ts), read by src/theme/CodeBlock. No Node, no Prism: the
 * browser only turns these tokens into spans.
 */

/** A token: plain text as a bare string, else `[Prism token types separated by spaces, text]`. */
export type HighlightedToken = string | [types: string, text: string];

export interface HighlightedCode {
  lines: HighlightedToken[][];
  title?: string;
  lineNumbersStart?: number;
  /** Extra classes per 0-based line (highlighted lines). */
  lineClassNames?: Record<number, string[]>;
}

/** The token types and text of a token, as prism-react-renderer's tokens have them. */
export function tokenParts(token: HighlightedToken): { types: string[]; content: string } {
  return typeof token === 'string' ? { types: ['plain'], content: token } : { types: token[0].split(' '), content: token[1] };
}

/** The code a reader copies: the tokens' text, lines joined with line breaks. */
export function codeText(lines: readonly HighlightedToken[][]): string {
  return lines.map((line) => line.map((token) => tokenParts(token).content).join('')).join('\n');
}
