/**
 * Swizzled Root (wraps every page, kept across navigation): holds the runbook values so that a
 * variable keeps its value across runbooks and pages.
 */
import type { ReactNode } from 'react';
import { RunbookValuesProvider } from '@site/src/components/RunbookValues';

export default function Root({ children }: { children: ReactNode }): ReactNode {
  return <RunbookValuesProvider>{children}</RunbookValuesProvider>;
}
