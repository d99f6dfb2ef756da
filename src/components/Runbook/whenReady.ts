/**
 * Said when a control is used in the moment between hydration and the stored values being loaded.
 * Controls are never disabled for that moment: switching the disabled state of every button and field
 * at once, right after hydration, was the most expensive thing a runbook page did while loading.
 */
export const STILL_LOADING = 'Your saved values and progress are still loading, so nothing was done: try again in a moment.';

/**
 * A control's handler: `action` once the stored values and progress are loaded; before that it only
 * says so (a copy then would copy the defaults, a tick would be overwritten by the stored progress).
 */
export function whenReady<Args extends unknown[]>(
  ready: boolean,
  announce: (message: string) => void,
  action: (...args: Args) => void,
): (...args: Args) => void {
  return (...args) => {
    if (ready) action(...args);
    else announce(STILL_LOADING);
  };
}
