/** A mistake in a runbook's markdown, with the place it was found. */
export interface RunbookProblem {
  file: string;
  line: number;
  message: string;
}

function formatProblem(problem: RunbookProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** Thrown when a file's runbooks have mistakes; the message lists every one as `file:line: message`. */
export class RunbookError extends Error {
  readonly problems: readonly RunbookProblem[];

  constructor(problems: readonly RunbookProblem[]) {
    const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const count = sorted.length === 1 ? 'a mistake' : `${sorted.length} mistakes`;
    super(`Runbook syntax: ${count}\n${sorted.map(formatProblem).join('\n')}`);
    this.name = 'RunbookError';
    this.problems = sorted;
  }
}

/**
 * True for a RunbookError, also one thrown by another copy of this module (an ES module test and the
 * CommonJS code it imports can each load their own copy, which defeats `instanceof`).
 */
export function isRunbookError(error: unknown): error is RunbookError {
  return error instanceof Error && error.name === 'RunbookError' && Array.isArray((error as RunbookError).problems);
}
