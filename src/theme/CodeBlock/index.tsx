/**
 * Swizzled CodeBlock: draws code blocks highlighted when the site was built.
 *
 * Fenced code blocks reach this component with a `highlighted` prop (JSON from
 * src/plugins/code-highlight/rehype.ts): the tokens, title, highlighted lines and line numbers. They are
 * put into Docusaurus' own code block context and layout, so the title, the copy and word-wrap buttons,
 * line highlighting and line numbers are Docusaurus' own; only the token spans come from the build
 * instead of Prism. Anything else (a <CodeBlock> written in JSX) goes to the original component, whose
 * content is shown as plain text: no highlighter is shipped to the browser.
 */
import { useMemo, type ReactNode } from 'react';
import { CodeBlockContextProvider, useCodeWordWrap, type CodeBlockMetadata } from '@docusaurus/theme-common/internal';
import OriginalCodeBlock from '@theme-original/CodeBlock';
import CodeBlockLayout from '@theme/CodeBlock/Layout';
import type { Props } from '@theme/CodeBlock';
import { codeText, type HighlightedCode } from '@site/src/code-highlight/format';
import type { MetadataWithTokens } from './Content';

export default function CodeBlock(props: Props & { highlighted?: string }): ReactNode {
  const { highlighted, ...rest } = props;
  if (typeof highlighted !== 'string') return <OriginalCodeBlock {...rest} />;
  // Unlike Docusaurus' block, nothing here depends on the colour mode (the colours are CSS, see
  // ./Container), so the server-rendered block is hydrated as it is, not drawn again.
  return <HighlightedCodeBlock json={highlighted} className={rest.className} />;
}

function HighlightedCodeBlock({ json, className = '' }: { json: string; className?: string }): ReactNode {
  const metadata = useMemo((): MetadataWithTokens => {
    const parsed = JSON.parse(json) as HighlightedCode;
    const code = codeText(parsed.lines);
    const base: CodeBlockMetadata = {
      codeInput: code,
      code,
      className,
      language: /(?:^|\s)language-(\S+)/.exec(className)?.[1] ?? 'text',
      title: parsed.title,
      lineNumbersStart: parsed.lineNumbersStart,
      lineClassNames: parsed.lineClassNames ?? {},
    };
    return { ...base, tokens: parsed.lines };
  }, [json, className]);
  const wordWrap = useCodeWordWrap();
  return (
    <CodeBlockContextProvider metadata={metadata} wordWrap={wordWrap}>
      <CodeBlockLayout />
    </CodeBlockContextProvider>
  );
}
