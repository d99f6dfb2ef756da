import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import useBrokenLinks from '@docusaurus/useBrokenLinks';
import { playbookFileName, runbookAnchor } from '../../runbook/contract';
import { visibleSteps, type Runbook as RunbookModel } from '../../runbook/model';
import { exportScript } from '../../runbook/script';
import { effectiveValues } from '../../runbook/values';
import { usePlaybookUrl } from '../PlaybookLink';
import { useRunbookValues } from '../RunbookValues';
import { copyText } from './clipboard';
import { RunbookContext, type RunbookContextValue } from './context';
import { ReplaceTable, VariablesPanel } from './Variables';
import styles from './styles.module.css';

const BUTTON = 'button button--secondary button--sm';

export interface RunbookProps {
  /** The runbook model as JSON, written by the remark plugin. */
  model: string;
  /** Prose and steps, in page order. */
  children?: ReactNode;
}

const PROGRESS_KEY_PREFIX = 'spacetimedb-runbooks:progress:';

/** Progress is kept per runbook and, when the runbook has an ENV variable, per environment. */
export function progressKey(runbook: RunbookModel, values: Readonly<Record<string, string>>): string {
  const hasEnv = runbook.variables.some((variable) => variable.name === 'ENV' && !variable.secret);
  const env = hasEnv ? values.ENV ?? '' : '';
  return `${PROGRESS_KEY_PREFIX}${runbook.id}${env ? `:${env}` : ''}`;
}

function readProgress(key: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(key) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : []);
  } catch {
    return new Set();
  }
}

function writeProgress(key: string, done: ReadonlySet<string>): void {
  try {
    if (done.size === 0) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify([...done]));
  } catch {
    // Storage disabled: progress lasts until the page closes.
  }
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/x-shellscript' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A runbook: values panel, "replace the following" table, export buttons, then its prose and steps. */
export function Runbook({ model, children }: RunbookProps): ReactNode {
  const runbook = useMemo(() => JSON.parse(model) as RunbookModel, [model]);
  const visible = useMemo(() => visibleSteps(runbook), [runbook]);
  const { ready, values: given, setValue } = useRunbookValues();
  const values = useMemo(() => effectiveValues(runbook, given), [runbook, given]);
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clear first so that the same message twice is announced twice.
    setMessage('');
    window.setTimeout(() => setMessage(text), 50);
  }, []);

  // A link with ?NAME=value fills in values, which are then stored like typed ones; the parameters are
  // removed from the address so that a reload keeps what the reader types next. Secret parameters are
  // dropped without being used.
  const location = useLocation();
  const history = useHistory();
  // Registers the anchor so that links to #runbook-<id> from other pages pass the broken-anchor check.
  useBrokenLinks().collectAnchor(runbookAnchor(runbook.id));
  useEffect(() => {
    if (!ready) return;
    const params = new URLSearchParams(window.location.search);
    const applied: string[] = [];
    let changed = false;
    for (const variable of runbook.variables) {
      const value = params.get(variable.name);
      if (value === null) continue;
      params.delete(variable.name);
      changed = true;
      if (variable.secret) continue;
      setValue(variable.name, value, false);
      applied.push(variable.name);
    }
    if (!changed) return;
    const search = params.toString();
    history.replace({ pathname: window.location.pathname, search: search ? `?${search}` : '', hash: window.location.hash });
    if (applied.length > 0) announce(`Filled in from the link: ${applied.join(', ')}.`);
  }, [ready, location.search, runbook, setValue, history, announce]);

  const key = progressKey(runbook, values);
  const [done, setDoneSet] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    if (ready) setDoneSet(readProgress(key));
  }, [ready, key]);
  const setDone = useCallback(
    (stepId: string, isDone: boolean) => {
      setDoneSet((current) => {
        const next = new Set(current);
        if (isDone) next.add(stepId);
        else next.delete(stepId);
        writeProgress(key, next);
        return next;
      });
    },
    [key],
  );
  const resetProgress = (): void => {
    setDoneSet(new Set());
    writeProgress(key, new Set());
    announce('Progress reset: no step is marked done.');
  };

  const script = (): string | null => {
    const exported = exportScript(runbook, values, { source: window.location.origin + window.location.pathname });
    if (exported.problems.length > 0) {
      announce(`No script: ${exported.problems.join('; ')}.`);
      return null;
    }
    return exported.text;
  };
  const copyScript = async (): Promise<void> => {
    const text = script();
    if (text === null) return;
    announce((await copyText(text)) ? 'Copied the script.' : 'Could not copy: the browser refused. Use "Download .sh" instead.');
  };
  const downloadScript = (): void => {
    const text = script();
    if (text === null) return;
    download(`${runbook.id}.sh`, text);
    announce(`Downloaded ${runbook.id}.sh.`);
  };
  const copyLink = async (): Promise<void> => {
    const url = new URL(window.location.pathname, window.location.origin);
    for (const variable of runbook.variables) {
      if (!variable.secret) url.searchParams.set(variable.name, values[variable.name] ?? '');
    }
    url.hash = runbookAnchor(runbook.id);
    const copied = await copyText(url.toString());
    announce(copied ? 'Copied a link with these values (secrets left out).' : `Could not copy the link: ${url.toString()}`);
  };

  const playbookUrl = usePlaybookUrl(runbook.id);

  const context: RunbookContextValue = { runbook, visible, values, ready, done, setDone, announce };
  const doneCount = visible.filter((step) => done.has(step.id)).length;
  const titleId = `${runbookAnchor(runbook.id)}-title`;

  return (
    <section className={styles.runbook} id={runbookAnchor(runbook.id)} aria-labelledby={titleId} data-runbook={runbook.id}>
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          <span className={styles.kicker}>Runbook</span> {runbook.title}
        </h2>
        <p className={styles.progress}>
          <span data-testid="progress">
            {doneCount} of {visible.length} steps done
          </span>
          <button type="button" className={BUTTON} onClick={resetProgress} disabled={!ready}>
            Reset progress
          </button>
        </p>
      </header>
      <VariablesPanel runbook={runbook} values={values} ready={ready} setValue={setValue} />
      <ReplaceTable runbook={runbook} values={values} />
      <div className={styles.actions}>
        <button type="button" className={BUTTON} onClick={copyLink} disabled={!ready}>
          Copy link with these values
        </button>
        <button type="button" className={BUTTON} onClick={copyScript} disabled={!ready}>
          Copy as script
        </button>
        <button type="button" className={BUTTON} onClick={downloadScript} disabled={!ready}>
          Download .sh
        </button>
        <a className={BUTTON} href={playbookUrl} download={playbookFileName(runbook.id)}>
          Download playbook
        </a>
      </div>
      <div role="status" className={styles.status} data-testid="announcer">
        {message}
      </div>
      <RunbookContext.Provider value={context}>
        <div className={styles.body}>{children}</div>
      </RunbookContext.Provider>
    </section>
  );
}
