import { createContext, useContext } from 'react';
import type { Runbook, Step } from '../../runbook/model';

/** What the parts of one runbook share: the model, the current values, progress, announcements. */
export interface RunbookContextValue {
  runbook: Runbook;
  /** Steps a reader sees, in order; a step's number is its index + 1. */
  visible: readonly Step[];
  /** Current value of every variable (typed, stored, from the link, or the default). */
  values: Readonly<Record<string, string>>;
  /** True once stored values are loaded and the controls work. */
  ready: boolean;
  done: ReadonlySet<string>;
  setDone: (stepId: string, done: boolean) => void;
  /** Says something in the runbook's live region (copy results, refusals). */
  announce: (message: string) => void;
}

export const RunbookContext = createContext<RunbookContextValue | null>(null);

export function useRunbook(): RunbookContextValue {
  const value = useContext(RunbookContext);
  if (!value) throw new Error('RunbookStep and RunbookCommand must be inside a Runbook');
  return value;
}

/** A step of the current runbook with its number (0 for hidden setup steps). */
export function useStep(stepId: string): { step: Step; number: number } {
  const { runbook, visible } = useRunbook();
  const step = runbook.steps.find((candidate) => candidate.id === stepId);
  if (!step) throw new Error(`Runbook ${runbook.id} has no step ${stepId}`);
  return { step, number: visible.indexOf(step) + 1 };
}
