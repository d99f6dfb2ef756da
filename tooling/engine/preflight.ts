// What every writing run does before it reads the state it will change: refuse places other users can
// write, probe that it can write, and take the locks (one run at a time per place). A dry run takes no
// lock, but stops like a real run would while another run holds one.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError } from '../core/errors';
import { crashPoint } from '../fs/crash-points';
import { assertNotLocked, LockSet, type LockTarget } from '../fs/lock';
import { writableByOthersAll } from '../fs/permissions';
import { CURRENT, GENERATIONS, PRIVATE_NAME, PUBLIC_NAME } from '../keys/key-dir';
import { now, show, type Context } from './context';

/** The places a run works on (absolute paths, after the symlink rule). */
export interface Places {
  backupRoot?: string;
  storeDir?: string;
  mountedDir?: string;
  cliToml?: string;
}

type Guarded = { path: string; display: string };

function keyDirPaths(ctx: Context, dir: string): Guarded[] {
  const paths = [dir, join(dir, GENERATIONS), join(dir, CURRENT), join(dir, PRIVATE_NAME), join(dir, PUBLIC_NAME)];
  return paths.map((path) => ({ path, display: show(ctx, path) }));
}

function storePaths(ctx: Context, dir: string): Guarded[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => !name.startsWith('.'));
  } catch {
    // no store yet
  }
  return [{ path: dir, display: show(ctx, dir) }, ...names.flatMap((name) => keyDirPaths(ctx, join(dir, name)))];
}

/** Key, store, backup and cli.toml paths, files and their directories, that no other user may write. */
export function guardedPaths(ctx: Context, places: Places): Guarded[] {
  const paths: Guarded[] = [];
  if (places.mountedDir) paths.push(...keyDirPaths(ctx, places.mountedDir));
  if (places.storeDir) paths.push(...storePaths(ctx, places.storeDir));
  if (places.backupRoot) paths.push({ path: places.backupRoot, display: show(ctx, places.backupRoot) });
  if (places.cliToml) paths.push({ path: places.cliToml, display: show(ctx, places.cliToml) }, { path: dirname(places.cliToml), display: show(ctx, dirname(places.cliToml)) });
  return paths;
}

/** Refuses to write where another user could change what this run writes or reads back. */
function refuseWritableByOthers(ctx: Context, places: Places): void {
  const problems = writableByOthersAll(guardedPaths(ctx, places));
  if (problems.length === 0) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: run --verify-only to list them)` : '';
  throw new ToolError('permissions', `${problems[0]}${more}. This tool holds the signing key and will not work on paths other users can write; nothing was changed.`);
}

function lockTargets(ctx: Context, places: Places): LockTarget[] {
  const paths = [places.backupRoot, places.storeDir, places.mountedDir, places.cliToml].filter((path): path is string => path !== undefined);
  return [...new Set(paths)].sort().map((path) => ({ path, display: show(ctx, path) }));
}

/**
 * Runs `work` after the common pre-flight: the permission rule, `probe` (the write probes), and the
 * locks of every place, held until the work ends however it ends.
 */
export async function guardedRun<T>(ctx: Context, places: Places, probe: () => void, work: () => Promise<T>): Promise<T> {
  refuseWritableByOthers(ctx, places);
  probe();
  const targets = lockTargets(ctx, places);
  if (ctx.settings.dryRun) {
    targets.forEach(assertNotLocked);
    return work();
  }
  const locks = new LockSet(ctx.settings.mode);
  try {
    for (const target of targets) locks.acquire(target, now(ctx));
    crashPoint('lock:acquired');
    return await work();
  } finally {
    locks.release();
  }
}
