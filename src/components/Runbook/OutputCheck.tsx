import { useId, useMemo, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import { describeJudgement, judgeOutput, type Verdict } from '../../runbook/markers';
import type { Step } from '../../runbook/model';
import styles from './styles.module.css';

const VERDICT_CLASSES: Readonly<Record<Verdict, string>> = {
  worked: 'alert--success',
  failed: 'alert--danger',
  incomplete: 'alert--warning',
  'no-marker': 'alert--secondary',
};

export interface OutputCheckProps {
  step: Step;
  number: number;
  isDone: boolean;
  /** Ticks the step (offered when the output shows that it worked). */
  onTick: () => void;
}

/**
 * "Check the output": the reader pastes what the command printed and reads a verdict from the step's
 * markers. The pasted text lives in this component's state only: never stored, never sent, gone on
 * reload (it may hold secrets), and spell checking is off so no browser service reads it.
 */
export function OutputCheck({ step, number, isDone, onTick }: OutputCheckProps): ReactNode {
  const [output, setOutput] = useState('');
  const id = useId();
  const judgement = useMemo(
    () => (output.trim() === '' ? null : judgeOutput(step.markers, output, { command: step.command })),
    [output, step],
  );
  return (
    <details className={styles.outputCheck}>
      <summary className={styles.outputSummary}>Check the output</summary>
      <label htmlFor={id} className={styles.outputLabel}>
        Paste what step {number} printed. It stays on this page: it is not stored or sent, and a reload clears it.
      </label>
      <textarea
        id={id}
        className={styles.outputField}
        data-testid="step-output"
        rows={4}
        value={output}
        onChange={(event) => setOutput(event.target.value)}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        data-gramm="false"
      />
      <div
        role="status"
        data-testid="step-output-verdict"
        data-verdict={judgement?.verdict}
        className={clsx(judgement && ['alert', VERDICT_CLASSES[judgement.verdict], styles.verdict])}
      >
        {judgement && describeJudgement(judgement, step.markers)}
      </div>
      {judgement?.verdict === 'worked' && !isDone && (
        <button type="button" className={clsx('button button--secondary button--sm', styles.tick)} onClick={onTick}>
          Mark step {number} done
        </button>
      )}
    </details>
  );
}
