/**
 * Runs calls later, when the browser is idle, a few per idle period: a pure helper (no DOM, no React)
 * for work that must happen but need not happen now. See ./deferredPrefetch.ts.
 */

/** What an idle callback is given (the browser's IdleDeadline has this method). */
export interface IdleDeadlineLike {
  timeRemaining(): number;
}

/** Schedules one idle slice: `requestIdleCallback` in browsers that have it. */
export type ScheduleIdle = (work: (deadline: IdleDeadlineLike) => void) => void;

/**
 * Returns a function that queues its argument for `run`. Queued calls run in order, in idle slices:
 * each slice runs at least one call, and more while the slice has over `reserveMs` left.
 */
export function idleQueue<A>(run: (argument: A) => void, schedule: ScheduleIdle, reserveMs = 5): (argument: A) => void {
  const queue: A[] = [];
  let scheduled = false;
  const drain = (deadline: IdleDeadlineLike): void => {
    scheduled = false;
    do {
      run(queue.shift()!);
    } while (queue.length > 0 && deadline.timeRemaining() > reserveMs);
    if (queue.length > 0) {
      scheduled = true;
      schedule(drain);
    }
  };
  return (argument: A): void => {
    queue.push(argument);
    if (!scheduled) {
      scheduled = true;
      schedule(drain);
    }
  };
}
