// Reading input files: every file the tool reads must be a regular file of bounded size. A FIFO, a
// device or a directory is refused by name before it is opened (opening a FIFO would block the run),
// and a file larger than its limit is refused instead of being read into memory.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { ToolError, errnoCode, fsProblem } from '../core/errors';

/** Upper bounds per kind of input. Real files are a few hundred bytes (keys) or a few KiB (cli.toml). */
export const MAX_BYTES = {
  key: 64 * 1024,
  cliToml: 1024 * 1024,
  json: 1024 * 1024,
} as const;

export type InputKind = keyof typeof MAX_BYTES;

const WHAT: Record<InputKind, string> = { key: 'a key file', cliToml: 'a cli.toml', json: 'a backup record' };

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

function tooLarge(display: string, kind: InputKind, size: number): ToolError {
  return new ToolError('too-large', `${display}: is ${size} bytes, more than ${WHAT[kind]} can be (${kib(MAX_BYTES[kind])}); check that the flag points at the right file.`);
}

/** Why this path cannot be read as an input (not a regular file), or undefined. Follows symlinks. */
function notRegular(path: string, display: string): ToolError | undefined {
  const stat = statSync(path);
  if (stat.isFile()) return undefined;
  const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a named pipe' : stat.isSocket() ? 'a socket' : 'a device or other special file';
  return new ToolError('not-a-file', `${display}: is ${kind}, not a regular file; point the flag at the file itself.`);
}

/**
 * Reads a regular file of at most the kind's size. Throws a ToolError with `reason` (and `hint` after
 * the problem) when the file is missing or unreadable; 'not-a-file' or 'too-large' for the rest.
 */
export function readInput(path: string, display: string, kind: InputKind, reason = 'unreadable', hint = ''): Buffer {
  let fd: number;
  try {
    const problem = notRegular(path, display);
    if (problem) throw problem;
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError(reason, `${fsProblem('read', display, error)}${hint ? ` ${hint}` : ''}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ToolError('not-a-file', `${display}: is not a regular file (it changed while being opened).`);
    const limit = MAX_BYTES[kind];
    if (stat.size > limit) throw tooLarge(display, kind, stat.size);
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > limit) throw tooLarge(display, kind, length);
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError(reason, fsProblem('read', display, error));
  } finally {
    closeSync(fd);
  }
}

/** Like readInput, but a missing file (or a dangling link) is undefined. */
export function readInputIfPresent(path: string, display: string, kind: InputKind, reason = 'unreadable'): Buffer | undefined {
  try {
    statSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
  }
  return readInput(path, display, kind, reason);
}

/** Reads an input for a check: the bytes, or the one-line reason they could not be read. */
export function readInputForCheck(path: string, display: string, kind: InputKind): Buffer | string {
  try {
    return readInput(path, display, kind);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
