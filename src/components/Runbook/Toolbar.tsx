import type { ReactNode } from 'react';
import { TOOLBAR_ACTIONS, type ToolbarContext } from './toolbarActions';
import styles from './styles.module.css';

const BUTTON = 'button button--secondary button--sm';

export interface ToolbarProps extends ToolbarContext {
  /** False until stored values are loaded: the buttons stay disabled. */
  ready: boolean;
}

/** The runbook's buttons (copy a link, copy or download the script), from TOOLBAR_ACTIONS. */
export function Toolbar({ ready, ...context }: ToolbarProps): ReactNode {
  return (
    <div className={styles.actions}>
      {TOOLBAR_ACTIONS.map((action) => (
        <button key={action.label} type="button" className={BUTTON} onClick={() => void action.run(context)} disabled={!ready}>
          {action.label}
        </button>
      ))}
    </div>
  );
}
