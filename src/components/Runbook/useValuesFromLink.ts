import { useEffect } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import type { Runbook } from '../../runbook/model';

/**
 * A link with `?NAME=value` fills in values, which are then stored like typed ones; the parameters are
 * removed from the address so that a reload keeps what the reader types next. Secret parameters are
 * dropped without being used.
 */
export function useValuesFromLink(
  runbook: Runbook,
  ready: boolean,
  setValue: (name: string, value: string, secret: boolean) => void,
  announce: (text: string) => void,
): void {
  const location = useLocation();
  const history = useHistory();
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
}
