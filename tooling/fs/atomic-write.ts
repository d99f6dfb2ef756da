// Durable, all-or-nothing writes: a temporary file in the same directory, flushed with fsync, renamed
// into place, and the directory flushed too. A reader sees the old file or the new one, never a mix.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { crashPoint } from './crash-points';
import { pathError } from '../core/errors';

/** Marks every temporary name this tool creates, so a later run can recognise and remove leftovers. */
export const TEMP_MARK = '.spacetimedb-tooling-tmp-';

export interface Owner {
  uid: number;
  gid: number;
}

export function tempName(dir: string, base: string): string {
  return join(dir, `.${base}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Runs one write step; an error names `path` (a write on a descriptor reports no path of its own). */
function writing<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw pathError('write', path, error);
  }
}

export function fsyncPath(path: string): void {
  writing(path, () => {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/** Sets the owner when it differs and the process may change it (root); other users keep their own. */
function applyOwner(fd: number, owner: Owner | undefined): void {
  if (!owner || typeof process.getuid !== 'function') return;
  if (process.getuid() !== 0) return;
  fchownSync(fd, owner.uid, owner.gid);
}

/** Writes a new file (which must not exist) with exactly this mode, whatever the umask, and flushes it. */
export function writeNewFile(path: string, data: Uint8Array | string, mode: number, owner?: Owner): void {
  writing(path, () => {
    const fd = openSync(path, 'wx', mode);
    try {
      fchmodSync(fd, mode);
      applyOwner(fd, owner);
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * Replaces (or creates) `path` atomically. `label` names the crash points around the rename:
 * `<label>:temp-written` before it and `<label>:renamed` after it.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, options: { mode: number; owner?: Owner; label: string }): void {
  const dir = dirname(path);
  const temp = tempName(dir, basename(path));
  try {
    writeNewFile(temp, data, options.mode, options.owner);
    crashPoint(`${options.label}:temp-written`);
    writing(path, () => renameSync(temp, path));
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed or never created
    }
    throw pathError('write', path, error);
  }
  fsyncPath(dir);
  crashPoint(`${options.label}:renamed`);
}

/** Points `path` at `target` atomically (a new link, renamed over the old one). */
export function symlinkAtomic(target: string, path: string, label: string): void {
  const dir = dirname(path);
  const temp = tempName(dir, basename(path));
  writing(path, () => symlinkSync(target, temp));
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw pathError('write', path, error);
  }
  fsyncPath(dir);
  crashPoint(`${label}:renamed`);
}

/** Creates a directory (and missing parents) with this mode, flushing each parent it adds to. */
export function mkdirDurable(path: string, mode: number): void {
  const created = writing(path, () => mkdirSync(path, { recursive: true, mode }));
  if (created === undefined) return;
  // mkdir applies the umask; set the mode we mean on the directory itself.
  fchmodPath(path, mode);
  let dir = path;
  while (dir !== dirname(dir)) {
    fsyncPath(dirname(dir));
    if (dir === created) break;
    dir = dirname(dir);
  }
}

function fchmodPath(path: string, mode: number): void {
  writing(path, () => {
    const fd = openSync(path, 'r');
    try {
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  });
}

/** Creates a directory that must not exist yet, with exactly this mode. */
export function mkdirNew(path: string, mode: number): void {
  writing(path, () => mkdirSync(path, { mode }));
  fchmodPath(path, mode);
}

/** Renames, naming the destination on failure. */
export function renamePath(from: string, to: string): void {
  writing(to, () => renameSync(from, to));
}

/** True while a process with this id exists (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files and directories that an earlier, interrupted run of this tool left in `dir`. */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const at = name.indexOf(TEMP_MARK);
    if (at < 0) continue;
    const pid = Number.parseInt(name.slice(at + TEMP_MARK.length), 10);
    if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) continue;
    if (pid === process.pid) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** lstat that returns undefined for a missing path. */
export function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
