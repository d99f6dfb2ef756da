/**
 * Swizzled CodeBlock/Container: Docusaurus' code block frame, without the inline `--prism-color` and
 * `--prism-background-color` of the current colour mode. Those come from the stylesheet the
 * code-highlight plugin puts in every page (one rule per mode, src/plugins/code-highlight/theme-css.ts),
 * so the server-rendered block already has the reader's colours and is not drawn a second time after
 * hydration to swap them (what Docusaurus does when the colours are inline).
 */
import type { ComponentProps, ReactNode } from 'react';
import clsx from 'clsx';
import { ThemeClassNames } from '@docusaurus/theme-common';
import styles from './styles.module.css';

export default function CodeBlockContainer<T extends 'div' | 'pre'>({ as: As, ...props }: { as: T } & ComponentProps<T>): ReactNode {
  const Element = As as 'div';
  return (
    <Element
      {...(props as ComponentProps<'div'>)}
      className={clsx(props.className, styles.codeBlockContainer, ThemeClassNames.common.codeBlock)}
    />
  );
}
