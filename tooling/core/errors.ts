// Errors that end a run, each with the exit code and the short reason code its marker line carries.

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
const EXIT_USAGE = 2;
export const EXIT_STATE = 3;
export const EXIT_INTERRUPTED = 4;

/** An error a user can act on: the message names the file, the problem and the fix, on one line. */
export class ToolError extends Error {
  constructor(
    /** Short machine-readable code, e.g. 'bad-private-key'; it follows *_FAILED on the marker line. */
    readonly reason: string,
    message: string,
    readonly exitCode: number = EXIT_STATE,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export class UsageError extends ToolError {
  constructor(message: string, reason = 'usage') {
    super(reason, message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** Formats an unknown thrown value as one line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\s*\n\s*/g, ' ');
  return String(error);
}

/** The errno code of a Node fs error, if any. */
export function errnoCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    return (error as { code: string }).code;
  }
  return undefined;
}

/** The path a Node fs error happened on, when it carries one. */
export function errnoPath(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'path' in error && typeof (error as { path: unknown }).path === 'string') {
    return (error as { path: string }).path;
  }
  return undefined;
}

/**
 * An fs error as a ToolError naming the path it happened on. Writes on a file descriptor (write, fsync,
 * fchmod) report no path of their own, so every low-level write goes through this.
 */
export function pathError(action: 'read' | 'write', path: string, error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  return new ToolError('io', fsProblem(action, path, error));
}

/** Turns an fs error into a one-line explanation: what failed, on which file, and what usually fixes it. */
export function fsProblem(action: 'read' | 'write', file: string, error: unknown): string {
  const code = errnoCode(error);
  switch (code) {
    case 'ENOENT':
      return `${file}: not found. Check the path or the flag that sets it.`;
    case 'EACCES':
    case 'EPERM':
      return `${file}: permission denied (cannot ${action} it). Run as a user that can ${action} it.`;
    case 'EROFS':
      return `${file}: read-only file system (cannot ${action} it). Run the tool where this path is writable, not inside a read-only mount.`;
    case 'ENOTDIR':
      return `${file}: a component of the path is not a directory.`;
    case 'EISDIR':
      return `${file}: is a directory, expected a file.`;
    case 'ENOSPC':
      return `${file}: no space left on the device (cannot ${action} it).`;
    default:
      return `${file}: cannot ${action} it: ${describeError(error)}`;
  }
}
