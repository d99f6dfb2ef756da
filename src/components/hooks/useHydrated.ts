import { startTransition, useEffect, useState } from 'react';

/** Set once the first component using the hook has mounted in the browser: hydration is over. */
let hydrated = false;

/**
 * False while rendering on the server and during hydration, true from then on (a component mounted
 * later, after a client-side navigation, starts at true). Code that reads browser storage waits for
 * it, so the hydrated HTML matches the server's.
 *
 * The switch to true renders as a transition, which React splits into short tasks, instead of the
 * one synchronous re-render a `useSyncExternalStore` snapshot change forces: on a long runbook page
 * that re-render was the longest task of the whole load (Lighthouse's total blocking time fell from
 * about 1,900 ms to under 300 ms with this and enabled-from-the-start controls).
 */
export function useHydrated(): boolean {
  const [isHydrated, setHydrated] = useState(hydrated);
  useEffect(() => {
    hydrated = true;
    if (!isHydrated) startTransition(() => setHydrated(true));
  }, [isHydrated]);
  return isHydrated;
}
