// Named points between the writes of a run, for the crash tests only.
//
// SPACETIMEDB_TOOLING_TEST_CRASH_AT=<name> makes the process kill itself with SIGKILL when it reaches
// that point (no cleanup, no flush: like a power cut for this process). SPACETIMEDB_TOOLING_TEST_TRACE=<file>
// appends the name of every point reached, so a test can list them and then crash at each in turn.
// Operators never need either variable.
import { appendFileSync } from 'node:fs';

export const CRASH_AT_ENV = 'SPACETIMEDB_TOOLING_TEST_CRASH_AT';
export const TRACE_ENV = 'SPACETIMEDB_TOOLING_TEST_TRACE';

export function crashPoint(name: string): void {
  const trace = process.env[TRACE_ENV];
  if (trace) appendFileSync(trace, `${name}\n`);
  if (process.env[CRASH_AT_ENV] === name) process.kill(process.pid, 'SIGKILL');
}
