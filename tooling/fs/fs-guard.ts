// The symlink rule and the pre-flight write probe.
//
// Symlink rule: the tool never writes through a symlink and never replaces one it did not create.
// When a path it would write (the mounted key directory, the store directory, the backup directory,
// cli.toml), or any directory on the way to it, is a symlink, it stops with an error naming the link and
// its target, unless --follow-symlinks is given, in which case it resolves the path once and works on
// the real location. Inside a key directory, the only symlinks allowed are the ones the tool manages
// itself (id_ecdsa -> current/id_ecdsa, id_ecdsa.pub -> current/id_ecdsa.pub, current -> generations/<name>).
import { closeSync, openSync, readlinkSync, realpathSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { lstatOrUndefined, TEMP_MARK } from './atomic-write';
import { ToolError, fsProblem } from '../core/errors';

/** The first symlink on the way from the root to `path` (an absolute path), the path itself included. */
function firstSymlink(path: string): { at: string; target: string } | undefined {
  const parts = resolve(path).split(sep).filter(Boolean);
  let at: string = sep;
  for (const part of parts) {
    at = join(at, part);
    const stat = lstatOrUndefined(at);
    if (!stat) return undefined; // nothing below a missing component exists yet
    if (stat.isSymbolicLink()) return { at, target: readlinkSync(at) };
  }
  return undefined;
}

/** `path` with every symlink on its way resolved (components that do not exist yet are kept). */
export function realLocation(path: string): string {
  const absolute = resolve(path);
  const missing: string[] = [];
  let existing = absolute;
  while (!lstatOrUndefined(existing) && existing !== dirname(existing)) {
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    // a dangling link: keep the path as written
  }
  return missing.length ? join(real, ...missing) : real;
}

/** How to show `at`, a directory on the way to `path` that the user sees as `display`. */
function shownAncestor(path: string, display: string, at: string): string {
  const tail = resolve(path).slice(at.length);
  return tail && display.endsWith(tail) ? display.slice(0, display.length - tail.length) || at : at;
}

/** Returns the path to write: the path itself, or its real location with --follow-symlinks. */
export function resolveWriteTarget(path: string, display: string, flag: string, follow: boolean): string {
  const link = firstSymlink(path);
  if (!link) return path;
  if (follow) return realLocation(path);
  const fix = `Pass the real path (${flag} ${realLocation(path)}) or add --follow-symlinks.`;
  if (link.at === resolve(path)) {
    throw new ToolError('symlink', `${display}: is a symlink to ${link.target}; this tool does not write through symlinks. ${fix}`);
  }
  throw new ToolError(
    'symlink',
    `${display}: the directory ${shownAncestor(path, display, link.at)} on its path is a symlink to ${link.target}; this tool does not write through symlinks anywhere on a path. ${fix}`,
  );
}

/** The nearest existing directory at or above `path`. */
function nearestExistingDir(path: string): string {
  let dir = path;
  for (;;) {
    const stat = lstatOrUndefined(dir);
    if (stat?.isDirectory() || (stat?.isSymbolicLink() && lstatOrUndefined(realpathSafe(dir))?.isDirectory())) return dir;
    if (dir === dirname(dir)) return dir;
    dir = dirname(dir);
  }
}

function realpathSafe(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Pre-flight write probe: creates and removes an empty file in `dir` (or, when it does not exist yet,
 * in the nearest existing directory above it, where it would be created). Throws a ToolError naming the
 * directory when that fails, before anything has been written.
 */
export function probeWritable(dir: string, display: string): void {
  const at = nearestExistingDir(dir);
  const probe = resolve(at, `.write-probe${TEMP_MARK}${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
  } catch (error) {
    const where = at === dir ? display : `${display} (to be created in ${at})`;
    throw new ToolError('not-writable', `${fsProblem('write', where, error)} Found by the pre-flight write probe; nothing was changed.`);
  }
  unlinkSync(probe);
}
