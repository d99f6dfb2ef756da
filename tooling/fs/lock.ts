// One writing run at a time per location. Before it reads the state it will change, a writing run takes
// a lock on every location it writes (the backup directory, the file store, the mounted key directory,
// cli.toml): a file beside the location,
//   <parent>/.<name>.spacetimedb-tooling.lock   {"pid":…, "host":…, "startedAt":…, "mode":…, "nonce":…}
// created all at once (written under a temporary name, then hard-linked into place, which fails when
// the lock exists). A second run finds the lock and stops with exit 3 ("busy"). A lock whose process is
// gone (same host, no such pid: the holder was killed) is stale and is broken, under a short-lived
// guard file so that two runs cannot both break it and both go ahead.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, linkSync, mkdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ToolError, errnoCode, fsProblem } from '../core/errors';
import { TOOL_NAME } from '../core/types';
import { fsyncPath, pidAlive, removeStaleTemps, tempName, writeNewFile } from './atomic-write';
import { readInputIfPresent } from './safe-read';

const LOCK_SUFFIX = '.spacetimedb-tooling.lock';

export interface LockTarget {
  path: string;
  display: string;
}

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
  mode: string;
  nonce: string;
}

/**
 * Where the lock of `target` lives: beside it, or, when its parent cannot be written (a key directory
 * mounted into a read-only parent), inside it. Both runs that contend for a place choose the same.
 */
function lockPathFor(target: string): string {
  const beside = join(dirname(target), `.${basename(target)}${LOCK_SUFFIX}`);
  try {
    accessSync(dirname(beside), constants.W_OK);
    return beside;
  } catch (error) {
    const inside = errnoCode(error) !== 'ENOENT' && statSync(target, { throwIfNoEntry: false })?.isDirectory();
    return inside ? join(target, LOCK_SUFFIX) : beside;
  }
}

function readHolder(lock: string): Holder | undefined | 'absent' {
  let text: string;
  try {
    const bytes = readInputIfPresent(lock, lock, 'json');
    if (!bytes) return 'absent';
    text = bytes.toString('utf8');
  } catch {
    return undefined; // not a regular file, or unreadable: not a lock this tool wrote
  }
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.nonce === 'string') return value as Holder;
  } catch {
    // not a lock this tool wrote
  }
  return undefined;
}

function isStale(holder: Holder): boolean {
  return holder.host === hostname() && !pidAlive(holder.pid);
}

function busy(target: LockTarget, lock: string, holder: Holder | undefined): ToolError {
  const who = holder
    ? `another ${TOOL_NAME} run (pid ${holder.pid} on ${holder.host}, ${holder.mode}, started ${holder.startedAt}) is working on it`
    : `it is locked by ${lock}, which does not say who holds it`;
  return new ToolError('busy', `${target.display}: busy: ${who}. Wait for that run to finish and run this again; if no such run is going on, remove ${lock}.`);
}

/** Throws 'busy' when a live run holds the lock of `target` (for dry runs, which take no lock). */
export function assertNotLocked(target: LockTarget): void {
  const lock = lockPathFor(target.path);
  const holder = readHolder(lock);
  if (holder === 'absent') return;
  if (holder && isStale(holder)) return;
  throw busy(target, lock, holder);
}

/** Removes a stale lock unless another run is breaking it at the same moment; true when it is gone. */
function breakStale(lock: string, stale: Holder): boolean {
  const guard = `${lock}.break`;
  try {
    writeNewFile(guard, JSON.stringify({ pid: process.pid, host: hostname() }), 0o600);
  } catch {
    const other = readHolder(guard);
    if (other && other !== 'absent' && isStale(other)) unlinkSync(guard);
    return false;
  }
  try {
    const now = readHolder(lock);
    if (now === 'absent') return true;
    if (now && now.nonce === stale.nonce) unlinkSync(lock);
    return true;
  } finally {
    unlinkSync(guard);
  }
}

export class LockSet {
  private readonly held: { lock: string; nonce: string; createdDir: string | undefined }[] = [];

  constructor(private readonly mode: string) {}

  /** Takes the lock of `target`, breaking a stale one; throws 'busy' while a live run holds it. */
  acquire(target: LockTarget, now: Date): void {
    const lock = lockPathFor(target.path);
    const createdDir = this.makeParent(lock);
    const holder: Holder = { pid: process.pid, host: hostname(), startedAt: now.toISOString(), mode: this.mode, nonce: randomBytes(8).toString('hex') };
    removeStaleTemps(dirname(lock)); // e.g. a lock's temporary file left by a run killed while locking
    const temp = tempName(dirname(lock), basename(lock));
    writeNewFile(temp, `${JSON.stringify(holder)}\n`, 0o644);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (this.tryLink(temp, lock)) {
          fsyncPath(dirname(lock));
          this.held.push({ lock, nonce: holder.nonce, createdDir });
          return;
        }
        const current = readHolder(lock);
        if (current === 'absent') continue;
        if (!current || !isStale(current)) throw busy(target, lock, current);
        breakStale(lock, current);
      }
      throw busy(target, lock, undefined);
    } catch (error) {
      if (createdDir && this.held.every((entry) => entry.createdDir !== createdDir)) removeIfEmpty(dirname(lock), createdDir);
      throw error;
    } finally {
      unlinkSync(temp);
    }
  }

  /** Releases every lock this set holds (only locks that still carry this run's nonce). */
  release(): void {
    for (const entry of this.held.splice(0).reverse()) {
      const holder = readHolder(entry.lock);
      if (holder && holder !== 'absent' && holder.nonce === entry.nonce) unlinkSync(entry.lock);
      if (entry.createdDir) removeIfEmpty(dirname(entry.lock), entry.createdDir);
    }
  }

  private tryLink(temp: string, lock: string): boolean {
    try {
      linkSync(temp, lock);
      return true;
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') return false;
      throw new ToolError('not-writable', `${fsProblem('write', lock, error)} (the lock file of this run); nothing was changed.`);
    }
  }

  /** Creates the lock's directory when missing; returns the topmost directory it created. */
  private makeParent(lock: string): string | undefined {
    try {
      return mkdirSync(dirname(lock), { recursive: true, mode: 0o755 }) ?? undefined;
    } catch (error) {
      throw new ToolError('not-writable', `${fsProblem('write', dirname(lock), error)} (where this run's lock file goes); nothing was changed.`);
    }
  }
}

/** Removes `dir` and its parents up to `top` while they are empty (directories a lock created). */
function removeIfEmpty(dir: string, top: string): void {
  for (let at = dir; at.startsWith(top); at = dirname(at)) {
    try {
      rmdirSync(at);
    } catch {
      return;
    }
    if (at === top) return;
  }
}
