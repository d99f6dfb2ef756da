/**
 * Rehype plugin: highlights every fenced code block when the site is built, so no highlighter runs in
 * the browser.
 *
 * It reads the block's meta string and magic comments (lines.ts), tokenizes the code with Prism
 * (tokenize.ts) and leaves the `<code>` element with one prop, `highlighted`, holding the result as JSON
 * (format.ts). Docusaurus passes the element to the swizzled src/theme/CodeBlock, which draws Docusaurus'
 * own code block (title, copy and wrap buttons, highlighted lines, line numbers) from it; the colours come
 * from the stylesheet of theme-css.ts. Runbook commands are not code blocks by then (remark-runbooks
 * turned them into <RunbookCommand>), so they keep their live values.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { HighlightedCode } from '../../code-highlight/format';
import { DEFAULT_MAGIC_COMMENTS, parseCodeBlock, type MagicComment } from './lines';
import { tokenize } from './tokenize';

export interface RehypeCodeHighlightOptions {
  /** As `themeConfig.prism.magicComments` (default: Docusaurus' line highlighting). */
  magicComments?: readonly MagicComment[];
  /** Language of a block without one (as `themeConfig.prism.defaultLanguage`; default: plain text). */
  defaultLanguage?: string;
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map(textOf).join('') : '';
}

/** The `code` element of a fenced code block, `<pre><code>…</code></pre>`. */
function fencedCode(node: RootContent | ElementContent): Element | undefined {
  if (node.type !== 'element' || node.tagName !== 'pre') return undefined;
  const elements = node.children.filter((child): child is Element => child.type === 'element');
  return elements.length === 1 && elements[0]!.tagName === 'code' ? elements[0] : undefined;
}

/** The language of a code element's `language-…` class, lower case (Docusaurus accepts any case). */
function languageOf(code: Element, fallback: string): string {
  const classes = Array.isArray(code.properties.className) ? code.properties.className.map(String) : [];
  return (classes.find((name) => name.startsWith('language-'))?.slice('language-'.length) ?? fallback).toLowerCase();
}

/** Replaces the code element's text with its highlighted form (see the top of this file). */
function highlightCodeElement(code: Element, options: RehypeCodeHighlightOptions = {}): void {
  const language = languageOf(code, options.defaultLanguage ?? 'text');
  const metastring = typeof code.properties.metastring === 'string' ? code.properties.metastring : undefined;
  const parsed = parseCodeBlock(code.children.map(textOf).join(''), language, metastring, options.magicComments ?? DEFAULT_MAGIC_COMMENTS);
  const highlighted: HighlightedCode = {
    lines: tokenize(parsed.code, language),
    ...(parsed.title ? { title: parsed.title } : {}),
    ...(parsed.lineNumbersStart !== undefined ? { lineNumbersStart: parsed.lineNumbersStart } : {}),
    ...(Object.keys(parsed.lineClassNames).length > 0 ? { lineClassNames: parsed.lineClassNames } : {}),
  };
  const classes = Array.isArray(code.properties.className) ? code.properties.className.map(String) : [];
  code.properties = {
    className: classes.some((name) => name.startsWith('language-')) ? classes : [...classes, `language-${language}`],
    highlighted: JSON.stringify(highlighted),
  };
  code.children = [];
}

function visit(parent: Root | Element, options: RehypeCodeHighlightOptions): void {
  for (const child of parent.children) {
    const code = fencedCode(child as RootContent);
    if (code) highlightCodeElement(code, options);
    else if (child.type === 'element') visit(child, options);
    else if ('children' in child && Array.isArray(child.children)) visit(child as unknown as Element, options);
  }
}

export function rehypeCodeHighlight(options: RehypeCodeHighlightOptions = {}) {
  return (tree: Root): void => visit(tree, options);
}

// Docusaurus' config takes the default export; ES modules that import this CommonJS file use the named one.
