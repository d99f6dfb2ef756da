/**
 * The values readers type into runbooks, shared by every runbook on every page: one value per
 * variable name. Provided once for the whole site by `src/theme/Root.tsx`.
 *
 * Plain values persist in localStorage; secret values live only in memory (never stored, never put in
 * a URL). Nothing is read from storage before hydration, so the first render matches the server's HTML,
 * which shows the defaults.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useHydrated } from '../hooks/useHydrated';

const VALUES_STORAGE_KEY = 'spacetimedb-runbooks:values';

export interface RunbookValuesApi {
  /** False during server rendering and the first client render; true once stored values are loaded. */
  ready: boolean;
  /** Values typed or loaded so far, by variable name; a name that is absent shows its default. */
  values: Readonly<Record<string, string>>;
  /** Sets one value; a secret one is kept in memory only (and any stored copy is removed). */
  setValue: (name: string, value: string, secret: boolean) => void;
}

const RunbookValuesContext = createContext<RunbookValuesApi | null>(null);

function readStoredValues(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(VALUES_STORAGE_KEY) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

function storeValue(name: string, value: string | null): void {
  try {
    const stored = readStoredValues();
    if (value === null) delete stored[name];
    else stored[name] = value;
    window.localStorage.setItem(VALUES_STORAGE_KEY, JSON.stringify(stored));
  } catch {
    // Storage can be full or disabled (private windows): values then last until the page closes.
  }
}

export function RunbookValuesProvider({ children }: { children: ReactNode }): ReactNode {
  const ready = useHydrated();
  // What this page's reader typed; stored values (read once, after hydration) sit underneath.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const stored = useMemo(() => (ready ? readStoredValues() : {}), [ready]);
  const values = useMemo(() => ({ ...stored, ...typed }), [stored, typed]);

  const setValue = useCallback((name: string, value: string, secret: boolean) => {
    setTyped((current) => ({ ...current, [name]: value }));
    storeValue(name, secret ? null : value);
  }, []);

  const api = useMemo(() => ({ ready, values, setValue }), [ready, values, setValue]);
  return <RunbookValuesContext.Provider value={api}>{children}</RunbookValuesContext.Provider>;
}

const WITHOUT_PROVIDER: RunbookValuesApi = { ready: false, values: {}, setValue: () => undefined };

export function useRunbookValues(): RunbookValuesApi {
  return useContext(RunbookValuesContext) ?? WITHOUT_PROVIDER;
}
