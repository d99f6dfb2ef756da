/**
 * Swizzled MDX component map: the original, with markdown tables made keyboard-scrollable.
 */
import MDXComponents from '@theme-original/MDXComponents';
import ScrollableTable from '@site/src/components/ScrollableTable';

export default {
  ...MDXComponents,
  table: ScrollableTable,
};
