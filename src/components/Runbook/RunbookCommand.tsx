import { useMemo, useRef, type ReactNode } from 'react';
import clsx from 'clsx';
import { renderCommand } from '../../runbook/values';
import { copyText } from './clipboard';
import { useRunbook, useStep } from './context';
import styles from './styles.module.css';

const BUTTON = 'button button--secondary button--sm';

export interface RunbookCommandProps {
  stepId: string;
}

/** Shown on screen instead of a secret value; Copy still puts the value itself on the clipboard. */
const SECRET_MASK = '••••••••';

/** A step's command with the current values, and a Copy button that copies exactly that command. */
export function RunbookCommand({ stepId }: RunbookCommandProps): ReactNode {
  const { runbook, values, ready, announce } = useRunbook();
  const { step, number } = useStep(stepId);
  const pre = useRef<HTMLPreElement>(null);
  const rendered = useMemo(() => renderCommand(step.command, runbook.variables, values), [step, runbook, values]);
  const secrets = useMemo(
    () => new Set(runbook.variables.filter((variable) => variable.secret).map((variable) => variable.name)),
    [runbook],
  );

  const copy = async (): Promise<void> => {
    if (rendered.problems.length > 0) {
      announce(`Not copied: ${rendered.problems.join('; ')}.`);
      return;
    }
    if (await copyText(rendered.text)) {
      announce(`Copied the command of step ${number}.`);
      return;
    }
    if (pre.current) window.getSelection()?.selectAllChildren(pre.current);
    announce('Could not copy: the browser refused. The command is selected: copy it with your keyboard.');
  };

  return (
    <div className={styles.command} data-command={step.id}>
      <pre ref={pre} className={styles.pre} tabIndex={0}>
        <code>
          {rendered.parts.map((part, index) =>
            part.variable ? (
              <span
                key={index}
                className={clsx(styles.value, part.invalid && styles.invalidValue)}
                data-variable={part.variable}
                title={part.variable}
              >
                {secrets.has(part.variable) && (values[part.variable] ?? '') !== '' ? SECRET_MASK : part.text}
              </span>
            ) : (
              part.text
            ),
          )}
        </code>
      </pre>
      <div className={styles.commandBar}>
        <button
          type="button"
          className={BUTTON}
          onClick={copy}
          disabled={!ready}
          aria-label={`Copy the command of step ${number}`}
        >
          Copy
        </button>
        {rendered.problems.length > 0 && (
          <span className={styles.problem}>Copy is refused until this is fixed: {rendered.problems.join('; ')}.</span>
        )}
      </div>
    </div>
  );
}
