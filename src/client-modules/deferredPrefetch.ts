/**
 * Client module (docusaurus.config.ts `clientModules`): link prefetching waits for idle time.
 *
 * Docusaurus prefetches the page behind every internal link as soon as the link scrolls into view:
 * each <Link> calls `window.docusaurus.prefetch(path)` from its IntersectionObserver, which looks up the
 * route's chunks and appends <link rel="prefetch"> elements. Right after a doc page hydrates that is
 * dozens of calls in one task, the largest piece of script left in a page load in Lighthouse's
 * profile. Here those calls are queued and run when the browser is idle, a few at a time, so they
 * never hold up a reader's tap. Prefetching still happens, and preloading on hover is untouched.
 *
 * The client entry assigns `window.docusaurus` after the client modules are evaluated, so the
 * assignment is caught with a setter (and an API already in place is wrapped directly).
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';
import { idleQueue, type ScheduleIdle } from './idleQueue';

interface DocusaurusClientApi {
  prefetch: (routePath: string) => unknown;
}

/** requestIdleCallback, or a short timeout where the browser has none (Safari). */
const scheduleIdle: ScheduleIdle = (work) => {
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(work, { timeout: 3000 });
  else window.setTimeout(() => work({ timeRemaining: () => 8 }), 50);
};

/** The same API with `prefetch` queued for idle time (it answers true: "will be prefetched"). */
function withIdlePrefetch<T extends DocusaurusClientApi>(api: T): T {
  const prefetchWhenIdle = idleQueue((routePath: string) => void api.prefetch(routePath), scheduleIdle);
  return {
    ...api,
    prefetch: (routePath: string) => {
      prefetchWhenIdle(routePath);
      return true;
    },
  };
}

function install(): void {
  const holder = window as unknown as { docusaurus?: DocusaurusClientApi };
  let api = holder.docusaurus ? withIdlePrefetch(holder.docusaurus) : undefined;
  Object.defineProperty(window, 'docusaurus', {
    configurable: true,
    enumerable: true,
    get: () => api,
    set: (value: DocusaurusClientApi | undefined) => {
      api = value && typeof value.prefetch === 'function' ? withIdlePrefetch(value) : value;
    },
  });
}

if (ExecutionEnvironment.canUseDOM) install();
