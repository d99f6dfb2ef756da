import { useMemo, type ReactNode } from 'react';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import { runbookAnchor } from '../../runbook/contract';
import { visibleSteps, type Runbook as RunbookModel } from '../../runbook/model';
import { effectiveValues } from '../../runbook/values';
import { useRunbookValues } from '../RunbookValues';
import { RunbookContext, type RunbookContextValue } from './context';
import { Toolbar } from './Toolbar';
import { useAnnouncer } from './useAnnouncer';
import { useChecklist } from './useChecklist';
import { useValuesFromLink } from './useValuesFromLink';
import { ReplaceTable, VariablesPanel } from './Variables';
import { whenReady } from './whenReady';
import styles from './styles.module.css';

const BUTTON = 'button button--secondary button--sm';

export interface RunbookProps {
  /** The runbook model as JSON, written by the remark plugin. */
  model: string;
  /** Prose and steps, in page order. */
  children?: ReactNode;
}

/** A runbook: values panel, "replace the following" table, toolbar, then its prose and steps. */
export function Runbook({ model, children }: RunbookProps): ReactNode {
  const runbook = useMemo(() => JSON.parse(model) as RunbookModel, [model]);
  const visible = useMemo(() => visibleSteps(runbook), [runbook]);
  const { ready, values: given, setValue } = useRunbookValues();
  const values = useMemo(() => effectiveValues(runbook, given), [runbook, given]);
  const { message, announce } = useAnnouncer();
  useValuesFromLink(runbook, ready, setValue, announce);
  const { done, setDone, reset } = useChecklist(runbook, values, ready);
  // Registers the anchor so that links to #runbook-<id> from other pages pass the broken-anchor check.
  useBrokenLinks().collectAnchor(runbookAnchor(runbook.id));

  const resetProgress = whenReady(ready, announce, () => {
    reset();
    announce('Progress reset: no step is marked done.');
  });
  const context: RunbookContextValue = { runbook, visible, values, ready, done, setDone, announce };
  const doneCount = visible.filter((step) => done.has(step.id)).length;
  const titleId = `${runbookAnchor(runbook.id)}-title`;

  return (
    <section className={styles.runbook} id={runbookAnchor(runbook.id)} aria-labelledby={titleId} data-runbook={runbook.id} data-ready={ready || undefined}>
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          <span className={styles.kicker}>Runbook</span> {runbook.title}
        </h2>
        <p className={styles.progress}>
          <span data-testid="progress">
            {doneCount} of {visible.length} steps done
          </span>
          <button type="button" className={BUTTON} onClick={resetProgress}>
            Reset progress
          </button>
        </p>
      </header>
      <VariablesPanel runbook={runbook} values={values} setValue={setValue} />
      <ReplaceTable runbook={runbook} values={values} ready={ready} />
      <Toolbar runbook={runbook} values={values} ready={ready} announce={announce} />
      <div role="status" className={styles.status} data-testid="announcer">
        {message}
      </div>
      <RunbookContext.Provider value={context}>
        <div className={styles.body}>{children}</div>
      </RunbookContext.Provider>
    </section>
  );
}
