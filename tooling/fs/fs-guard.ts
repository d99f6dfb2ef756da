// The symlink rule and the pre-flight write probe.
//
// Symlink rule: the tool never writes through a symlink and never replaces one it did not create.
// When a path it would write (the mounted key directory, the store directory, the backup directory,
// cli.toml) is a symlink, it stops with an error naming the link and its target, unless
// --follow-symlinks is given, in which case it resolves the link once and works on the target.
// Inside a key directory, the only symlinks allowed are the ones the tool manages itself
// (id_ecdsa -> current/id_ecdsa, id_ecdsa.pub -> current/id_ecdsa.pub, current -> generations/<name>).
import { closeSync, openSync, readlinkSync, realpathSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { lstatOrUndefined, TEMP_MARK } from './atomic-write';
import { ToolError, fsProblem } from '../core/errors';

/** Returns the path to write: the path itself, or its resolved target with --follow-symlinks. */
export function resolveWriteTarget(path: string, display: string, flag: string, follow: boolean): string {
  const stat = lstatOrUndefined(path);
  if (!stat?.isSymbolicLink()) return path;
  const target = readlinkSync(path);
  if (!follow) {
    throw new ToolError(
      'symlink',
      `${display}: is a symlink to ${target}; this tool does not write through symlinks. Pass the real path (${flag} ${resolve(dirname(path), target)}) or add --follow-symlinks.`,
    );
  }
  try {
    return realpathSync(path);
  } catch {
    return resolve(dirname(path), target);
  }
}

/** The nearest existing directory at or above `path`. */
export function nearestExistingDir(path: string): string {
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
