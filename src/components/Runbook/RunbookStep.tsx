import { useRef, type ReactNode } from 'react';
import clsx from 'clsx';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import { stepAnchor } from '../../runbook/contract';
import { declaresMarkers } from '../../runbook/markers';
import { HOST_LABELS, type Step } from '../../runbook/model';
import { useRunbook, useStep } from './context';
import { OutputCheck } from './OutputCheck';
import { whenReady } from './whenReady';
import styles from './styles.module.css';

export interface RunbookStepProps {
  stepId: string;
  /** The step's prose, with a <RunbookCommand> where the command block was. */
  children?: ReactNode;
}

/** A numbered step: title, host badge, destructive warning and dry-run link, markers, output check, checkbox. */
export function RunbookStep({ stepId, children }: RunbookStepProps): ReactNode {
  const { runbook, visible, ready, done, setDone, announce } = useRunbook();
  const { step, number } = useStep(stepId);
  const anchor = stepAnchor(runbook.id, step.id);
  useBrokenLinks().collectAnchor(anchor);
  const numberOf = (id: string): number => visible.findIndex((candidate) => candidate.id === id) + 1;
  const dryRun = step.dryRun ? visible.find((candidate) => candidate.id === step.dryRun) : undefined;
  const dryRunFor = visible.filter((candidate) => candidate.dryRun === step.id);
  const isDone = done.has(step.id);
  const checkbox = useRef<HTMLInputElement>(null);
  const mark = whenReady(ready, announce, (isChecked: boolean) => setDone(step.id, isChecked));
  const tick = (): void => {
    mark(true);
    checkbox.current?.focus();
  };

  return (
    <section
      className={clsx(styles.step, step.destructive && styles.destructive, isDone && styles.stepDone)}
      id={anchor}
      aria-labelledby={`${anchor}-title`}
      data-step={step.id}
    >
      <header className={styles.stepHeader}>
        <h3 id={`${anchor}-title`} className={styles.stepTitle}>
          <span className={styles.stepNumber}>Step {number}</span> {step.title}
        </h3>
        <span className={styles.host} data-host={step.host}>
          Runs on: <strong>{HOST_LABELS[step.host]}</strong>
        </span>
      </header>
      {step.destructive && (
        <p className={styles.warning} data-testid="destructive">
          <strong>Destructive.</strong> This step changes or deletes data and cannot be undone by this runbook.
          {dryRun && (
            <>
              {' '}
              Run its dry run first and read its output:{' '}
              <a href={`#${stepAnchor(runbook.id, dryRun.id)}`}>
                step {numberOf(dryRun.id)}, {dryRun.title}
              </a>
              .
            </>
          )}
        </p>
      )}
      {dryRunFor.map((target) => (
        <p key={target.id} className={styles.note}>
          Dry run for{' '}
          <a href={`#${stepAnchor(runbook.id, target.id)}`}>
            step {numberOf(target.id)}, {target.title}
          </a>
          : it changes nothing and shows what that step would do.
        </p>
      ))}
      <div className={styles.stepBody}>{children}</div>
      <StepMarkers step={step} />
      {declaresMarkers(step.markers) && <OutputCheck step={step} number={number} isDone={isDone} onTick={tick} />}
      <footer className={styles.stepFooter}>
        <label className={styles.check}>
          <input ref={checkbox} type="checkbox" checked={isDone} onChange={(event) => mark(event.target.checked)} />
          Step {number} done
        </label>
        <span className={styles.ci}>
          {step.runnable ? 'Run by the doc tests in CI' : `Not run in CI: needs ${step.needs.join(', ')}`}
        </span>
      </footer>
    </section>
  );
}

/** What the output shows when the step worked or failed, and a non-zero expected exit code. */
function StepMarkers({ step }: { step: Step }): ReactNode {
  const { success, failure } = step.markers;
  if (success.length === 0 && failure.length === 0 && step.exit === 0) return null;
  return (
    <dl className={styles.markers}>
      {success.length > 0 && (
        <div>
          <dt>It worked if the output shows</dt>
          <dd>{joinCodes(success)}</dd>
        </div>
      )}
      {failure.length > 0 && (
        <div>
          <dt>It failed if the output shows</dt>
          <dd>{joinCodes(failure)}</dd>
        </div>
      )}
      {step.exit !== 0 && (
        <div>
          <dt>Expected exit code</dt>
          <dd>
            <code>{step.exit}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

function joinCodes(items: readonly string[]): ReactNode {
  return items.map((item, index) => (
    <span key={item}>
      {index > 0 && ', '}
      <code>{item}</code>
    </span>
  ));
}
