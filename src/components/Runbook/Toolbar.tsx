import type { ReactNode } from 'react';
import { playbookFileName } from '../../runbook/contract';
import { usePlaybookUrl } from '../PlaybookLink';
import { TOOLBAR_ACTIONS, type ToolbarContext } from './toolbarActions';
import { whenReady } from './whenReady';
import styles from './styles.module.css';

const BUTTON = 'button button--secondary button--sm';

export interface ToolbarProps extends ToolbarContext {
  /** False until stored values are loaded: a button then only says so (see whenReady). */
  ready: boolean;
}

/**
 * The runbook's buttons (copy a link, copy or download the script), from TOOLBAR_ACTIONS, and the
 * link to the playbook the build published for this runbook (a file, so a plain download link).
 */
export function Toolbar({ ready, ...context }: ToolbarProps): ReactNode {
  const playbookUrl = usePlaybookUrl(context.runbook.id);
  return (
    <div className={styles.actions}>
      {TOOLBAR_ACTIONS.map((action) => (
        <button
          key={action.label}
          type="button"
          className={BUTTON}
          onClick={whenReady(ready, context.announce, () => void action.run(context))}
        >
          {action.label}
        </button>
      ))}
      <a className={BUTTON} href={playbookUrl} download={playbookFileName(context.runbook.id)}>
        Download playbook
      </a>
    </div>
  );
}
