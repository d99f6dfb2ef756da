// What a run talks to: its output streams, working directory, environment and clock.
// The entry point passes the real process; tests pass buffers and a temporary directory.
import { relative, resolve, isAbsolute } from 'node:path';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  now(): Date;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
  };
}

/** A path resolved against the run's working directory. */
export function resolveFrom(cwd: string, path: string): string {
  return resolve(cwd, path);
}

/** A path as shown to the user: relative to the working directory when it is inside it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  if (!rel.startsWith('..') && !isAbsolute(rel)) return rel;
  return path;
}
