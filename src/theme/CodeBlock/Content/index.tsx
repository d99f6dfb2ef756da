/**
 * Swizzled CodeBlock/Content: Docusaurus' code lines, from tokens made when the site was built instead
 * of Prism in the browser (see ../index.tsx). Nothing here imports prism-react-renderer, so Prism stays
 * out of every page's JavaScript. Code without build-time tokens (a <CodeBlock> written in JSX) is shown
 * as plain text.
 */
import type { ReactNode, RefObject } from 'react';
import clsx from 'clsx';
import { useCodeBlockContext, type CodeBlockMetadata } from '@docusaurus/theme-common/internal';
import Line from '@theme/CodeBlock/Line';
import type { Props } from '@theme/CodeBlock/Content';
import type { LineInputProps, LineOutputProps, Token, TokenInputProps, TokenOutputProps } from 'prism-react-renderer';
import { tokenParts, type HighlightedToken } from '@site/src/code-highlight/format';
import styles from './styles.module.css';

/** The code block context's metadata, with the build's tokens when there are some. */
export type MetadataWithTokens = CodeBlockMetadata & { tokens?: HighlightedToken[][] };

function getLineProps({ className, line: _line, ...rest }: LineInputProps): LineOutputProps {
  return { ...rest, className: clsx('token-line', className) };
}

function getTokenProps({ token, className, ...rest }: TokenInputProps): TokenOutputProps {
  return { ...rest, className: clsx('token', ...token.types, className), children: token.content };
}

function toTokens(lines: readonly HighlightedToken[][]): Token[][] {
  return lines.map((line) => line.map(tokenParts));
}

export default function CodeBlockContent({ className }: Props): ReactNode {
  const { metadata, wordWrap } = useCodeBlockContext();
  // Docusaurus types the ref for React 19's types; the site runs React 18.
  const { codeBlockRef } = wordWrap as { codeBlockRef: RefObject<HTMLPreElement> };
  const { tokens, code, language, lineNumbersStart, lineClassNames } = metadata as MetadataWithTokens;
  const lines = toTokens(tokens ?? code.split('\n').map((line) => (line === '' ? [] : [line])));
  return (
    <pre
      ref={codeBlockRef}
      tabIndex={0}
      className={clsx(className, 'prism-code', `language-${language}`, styles.codeBlock, 'thin-scrollbar')}
    >
      <code
        className={clsx(styles.codeBlockLines, lineNumbersStart !== undefined && styles.codeBlockLinesWithNumbering)}
        style={lineNumbersStart === undefined ? undefined : { counterReset: `line-count ${lineNumbersStart - 1}` }}
      >
        {lines.map((line, index) => (
          <Line
            key={index}
            line={line}
            getLineProps={getLineProps}
            getTokenProps={getTokenProps}
            classNames={lineClassNames[index]}
            showLineNumbers={lineNumbersStart !== undefined}
          />
        ))}
      </code>
    </pre>
  );
}
