import { useCallback, useMemo, useState } from 'react';
import type { Runbook } from '../../runbook/model';

const PROGRESS_KEY_PREFIX = 'spacetimedb-runbooks:progress:';

/** Progress is kept per runbook and, when the runbook has an ENV variable, per environment. */
function progressKey(runbook: Runbook, values: Readonly<Record<string, string>>): string {
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

export interface Checklist {
  /** Ids of the steps ticked as done. */
  done: ReadonlySet<string>;
  setDone: (stepId: string, done: boolean) => void;
  /** Unticks every step. */
  reset: () => void;
}

/**
 * The steps a reader has ticked, kept in this browser per runbook (and environment). Nothing is read
 * before `ready`, so the first render matches the server's HTML.
 */
export function useChecklist(runbook: Runbook, values: Readonly<Record<string, string>>, ready: boolean): Checklist {
  const key = progressKey(runbook, values);
  // Ticks made on this page, per progress key; what storage holds for the key sits underneath.
  const [changed, setChanged] = useState<Readonly<Record<string, ReadonlySet<string>>>>({});
  const stored = useMemo(() => (ready ? readProgress(key) : new Set<string>()), [ready, key]);
  const done = changed[key] ?? stored;
  const update = useCallback(
    (next: ReadonlySet<string>) => {
      writeProgress(key, next);
      setChanged((current) => ({ ...current, [key]: next }));
    },
    [key],
  );
  const setDone = useCallback(
    (stepId: string, isDone: boolean) => {
      const next = new Set(done);
      if (isDone) next.add(stepId);
      else next.delete(stepId);
      update(next);
    },
    [done, update],
  );
  const reset = useCallback(() => update(new Set()), [update]);
  return { done, setDone, reset };
}
