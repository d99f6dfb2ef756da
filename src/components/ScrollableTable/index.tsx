import type { ComponentProps, ReactNode } from 'react';

/**
 * A table that can be scrolled sideways with the keyboard. Docusaurus styles tables as scroll
 * containers on narrow screens; a scroll container must be focusable (WCAG 2.1.1), or keyboard
 * users cannot reach the columns it hides.
 */
export default function ScrollableTable(props: ComponentProps<'table'>): ReactNode {
  return <table tabIndex={0} {...props} />;
}
