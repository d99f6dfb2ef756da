// Who may change a path. The tool holds the key that decides who owns every database, so what it writes
// and what it trusts must not be writable by other users:
// - writable paths (key, store, backup and cli.toml paths, files and their directories) must not be
//   group- or world-writable;
// - state it acts on without a human in the loop (a rotation journal, a backup to restore) must also be
//   owned by the user running the tool.
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../core/errors';

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** The user running the tool, or undefined where the platform has no uids. */
function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Why other users could change this path (group/world write bit), or undefined. Follows links. */
function writableByOthers(path: string, display: string): string | undefined {
  const stat = statOrUndefined(path);
  if (!stat) return undefined;
  if ((stat.mode & 0o022) === 0) return undefined;
  const who = stat.mode & 0o002 ? 'world' : 'group';
  return `${display}: mode ${octal(stat.mode)} is ${who}-writable, so another user could change it; fix: chmod go-w ${display}`;
}

/** Every problem of writableByOthers over these paths (files and directories that exist). */
export function writableByOthersAll(paths: readonly { path: string; display: string }[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { path, display } of paths) {
    if (seen.has(path)) continue;
    seen.add(path);
    const problem = writableByOthers(path, display);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Why `stat` (of `display`) is not trustworthy state: owned by someone else, or writable by others. */
export function untrusted(stat: Stats, display: string, uid = currentUid()): string | undefined {
  if (uid !== undefined && stat.uid !== uid) return `${display} is owned by uid ${stat.uid}, not by the user running this tool (uid ${uid})`;
  if (stat.mode & 0o022) return `${display} has mode ${octal(stat.mode)} (${stat.mode & 0o002 ? 'world' : 'group'}-writable)`;
  return undefined;
}

/**
 * Why a directory tree written by this tool (a backup) cannot be trusted: the directory or anything in
 * it is a symlink, a special file, owned by another user or writable by others. At most `limit` entries.
 */
export function untrustedTree(dir: string, display: string, uid = currentUid(), limit = 64): string | undefined {
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) return `${display} is not a directory`;
  const problem = untrusted(stat, display, uid);
  if (problem) return problem;
  let count = 0;
  const walk = (path: string, shown: string): string | undefined => {
    for (const name of readdirSync(path)) {
      if (++count > limit) return `${display} holds more than ${limit} entries, more than this tool ever writes`;
      const child = join(path, name);
      const childShown = `${shown}/${name}`;
      const entry = lstatSync(child);
      if (!entry.isDirectory() && !entry.isFile()) return `${childShown} is not a regular file or directory`;
      const childProblem = untrusted(entry, childShown, uid) ?? (entry.isDirectory() ? walk(child, childShown) : undefined);
      if (childProblem) return childProblem;
    }
    return undefined;
  };
  return walk(dir, display);
}
