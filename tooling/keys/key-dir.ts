// A key directory (the host's mounted key directory, or one environment of the file store) and the
// atomic switch that makes a pair change all at once.
//
// Layout the tool maintains:
//
//   <dir>/id_ecdsa      -> current/id_ecdsa
//   <dir>/id_ecdsa.pub  -> current/id_ecdsa.pub
//   <dir>/current       -> generations/<generation>
//   <dir>/generations/<generation>/id_ecdsa      (0600)
//   <dir>/generations/<generation>/id_ecdsa.pub  (0644)
//
// All links are relative and stay inside <dir>, so they resolve the same inside a container that
// mounts <dir> (e.g. at /etc/spacetimedb). A new pair is written into a new generation directory,
// flushed, and then `current` is swapped with one rename: readers see the old pair or the new pair,
// never one file of each. A plain directory (two regular files) is converted first, in steps that
// each keep the old pair readable: copy it into a generation, point `current` at it, then replace each
// file by its link. A directory that does not exist is built beside its final path and renamed into place.
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  fchmodPath,
  fsyncPath,
  lstatOrUndefined,
  mkdirDurable,
  removeStaleTemps,
  symlinkAtomic,
  tempName,
  writeNewFile,
  type Owner,
} from '../fs/atomic-write';
import { crashPoint } from '../fs/crash-points';
import { ToolError, errnoCode, fsProblem } from '../core/errors';

export const PRIVATE_NAME = 'id_ecdsa';
export const PUBLIC_NAME = 'id_ecdsa.pub';
export const CURRENT = 'current';
export const GENERATIONS = 'generations';

export interface RawPair {
  privatePem: Buffer | undefined;
  publicPem: Buffer | undefined;
}

export interface PemPair {
  privatePem: Buffer;
  publicPem: Buffer;
}

export type KeyDirState =
  | { kind: 'absent' }
  | { kind: 'plain'; privateFile: boolean; publicFile: boolean; empty: boolean }
  | { kind: 'managed'; current: string | undefined; privateLinked: boolean; publicLinked: boolean; privateFile: boolean; publicFile: boolean };

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('.', '');
}

export class KeyDir {
  constructor(
    readonly path: string,
    readonly display: string,
  ) {}

  get privatePath(): string {
    return join(this.path, PRIVATE_NAME);
  }

  get publicPath(): string {
    return join(this.path, PUBLIC_NAME);
  }

  /** Classifies the directory; throws a ToolError for a layout the tool must not write into. */
  inspect(): KeyDirState {
    const top = lstatOrUndefined(this.path);
    if (!top) return { kind: 'absent' };
    if (top.isSymbolicLink()) {
      throw new ToolError('symlink', `${this.display}: is a symlink to ${readlinkSync(this.path)}; this tool does not write through symlinks. Pass the real directory or add --follow-symlinks.`);
    }
    if (!top.isDirectory()) throw new ToolError('not-a-directory', `${this.display}: exists but is not a directory. Move it away or choose another directory.`);
    const current = lstatOrUndefined(join(this.path, CURRENT));
    let currentTarget: string | undefined;
    if (current) {
      currentTarget = current.isSymbolicLink() ? readlinkSync(join(this.path, CURRENT)) : undefined;
      if (!currentTarget || !/^generations\/[^/]+$/.test(currentTarget)) {
        throw new ToolError(
          'unexpected-layout',
          `${this.display}/${CURRENT}: is not this tool's link to generations/<name>; move it away so the tool can manage this directory.`,
        );
      }
    }
    const keyEntry = (name: string): { linked: boolean; file: boolean } => {
      const path = join(this.path, name);
      const stat = lstatOrUndefined(path);
      if (!stat) return { linked: false, file: false };
      if (stat.isSymbolicLink()) {
        const target = readlinkSync(path);
        if (target === `${CURRENT}/${name}`) return { linked: true, file: false };
        throw new ToolError(
          'symlink',
          `${this.display}/${name}: is a symlink to ${target}, which this tool does not manage; it will not write through it. Replace it with a regular file, or point the flag at the directory that holds the real files.`,
        );
      }
      if (!stat.isFile()) throw new ToolError('unexpected-layout', `${this.display}/${name}: is not a regular file.`);
      return { linked: false, file: true };
    };
    const priv = keyEntry(PRIVATE_NAME);
    const pub = keyEntry(PUBLIC_NAME);
    if (currentTarget || priv.linked || pub.linked) {
      return { kind: 'managed', current: currentTarget, privateLinked: priv.linked, publicLinked: pub.linked, privateFile: priv.file, publicFile: pub.file };
    }
    return { kind: 'plain', privateFile: priv.file, publicFile: pub.file, empty: readdirSync(this.path).length === 0 };
  }

  /** Reads both files through any links; a missing file is undefined. */
  readRaw(): RawPair {
    return { privatePem: readIfPresent(this.privatePath, `${this.display}/${PRIVATE_NAME}`), publicPem: readIfPresent(this.publicPath, `${this.display}/${PUBLIC_NAME}`) };
  }

  /** Owner of the current private key file, so a new one can keep it (e.g. the container's user). */
  private currentOwner(): Owner | undefined {
    try {
      const stat = statSync(this.privatePath);
      return { uid: stat.uid, gid: stat.gid };
    } catch {
      return undefined;
    }
  }

  /**
   * Makes the directory hold `pair`, switching atomically. Crash points are named `<label>:<step>`.
   * Returns false when the directory already held exactly these bytes.
   */
  install(pair: PemPair, label: string, now: Date): boolean {
    const state = this.inspect();
    const before = this.readRaw();
    if (before.privatePem?.equals(pair.privatePem) && before.publicPem?.equals(pair.publicPem)) return false;
    const owner = this.currentOwner();
    const generation = `${stamp(now)}-new`;
    if (state.kind === 'absent' || (state.kind === 'plain' && state.empty && this.tryRemoveEmpty())) {
      this.buildFresh(pair, generation, owner, label);
      return true;
    }
    removeStaleTemps(this.path);
    removeStaleTemps(join(this.path, GENERATIONS));
    if (state.privateFile || state.publicFile) {
      // Convert regular files to links without the pair ever being unreadable or mixed: copy what
      // readers see now into a generation, point `current` at it, then replace each file by its link.
      const previous = this.writeGeneration(`${stamp(now)}-previous`, before, owner);
      crashPoint(`${label}:previous-generation-written`);
      symlinkAtomic(`${GENERATIONS}/${previous}`, join(this.path, CURRENT), `${label}:current-to-previous`);
      if (state.privateFile) symlinkAtomic(`${CURRENT}/${PRIVATE_NAME}`, this.privatePath, `${label}:private-linked`);
      if (state.publicFile) symlinkAtomic(`${CURRENT}/${PUBLIC_NAME}`, this.publicPath, `${label}:public-linked`);
    }
    const name = this.writeGeneration(generation, pair, owner);
    crashPoint(`${label}:generation-written`);
    symlinkAtomic(`${GENERATIONS}/${name}`, join(this.path, CURRENT), `${label}:current-swapped`);
    // A directory that had no key files (or was left half-converted) gets its links now; the public
    // link first, so an interruption leaves at most a missing private key (a loud start-up error).
    const after = this.inspect();
    if (after.kind === 'managed' && !after.publicLinked) symlinkAtomic(`${CURRENT}/${PUBLIC_NAME}`, this.publicPath, `${label}:public-linked`);
    if (after.kind === 'managed' && !after.privateLinked) symlinkAtomic(`${CURRENT}/${PRIVATE_NAME}`, this.privatePath, `${label}:private-linked`);
    this.prune(name);
    crashPoint(`${label}:pruned`);
    return true;
  }

  private tryRemoveEmpty(): boolean {
    try {
      rmdirSync(this.path);
      fsyncPath(dirname(this.path));
      return true;
    } catch {
      return false; // e.g. a mount point: fill it in place instead
    }
  }

  /** Builds the whole layout beside the final path, then renames it into place. */
  private buildFresh(pair: PemPair, generation: string, owner: Owner | undefined, label: string): void {
    const parent = dirname(this.path);
    mkdirDurable(parent, 0o755);
    removeStaleTemps(parent);
    const staging = tempName(parent, basename(this.path));
    mkdirSync(staging, { mode: 0o755 });
    fchmodPath(staging, 0o755);
    const stagedDir = new KeyDir(staging, this.display);
    const name = stagedDir.writeGeneration(generation, pair, owner);
    symlinkAtomic(`${GENERATIONS}/${name}`, join(staging, CURRENT), `${label}:staging-current`);
    symlinkAtomic(`${CURRENT}/${PUBLIC_NAME}`, join(staging, PUBLIC_NAME), `${label}:staging-public`);
    symlinkAtomic(`${CURRENT}/${PRIVATE_NAME}`, join(staging, PRIVATE_NAME), `${label}:staging-private`);
    fsyncPath(staging);
    crashPoint(`${label}:staged`);
    renameSync(staging, this.path);
    fsyncPath(parent);
    crashPoint(`${label}:renamed`);
  }

  /** Writes a complete generation directory (via a temporary name) and returns its name. */
  private writeGeneration(wanted: string, pair: RawPair, owner: Owner | undefined): string {
    const generations = join(this.path, GENERATIONS);
    mkdirDurable(generations, 0o755);
    let name = wanted;
    for (let n = 2; lstatOrUndefined(join(generations, name)); n++) name = `${wanted}-${n}`;
    const staging = tempName(generations, name);
    mkdirSync(staging, { mode: 0o755 });
    fchmodPath(staging, 0o755);
    if (pair.privatePem) writeNewFile(join(staging, PRIVATE_NAME), pair.privatePem, 0o600, owner);
    if (pair.publicPem) writeNewFile(join(staging, PUBLIC_NAME), pair.publicPem, 0o644, owner);
    fsyncPath(staging);
    renameSync(staging, join(generations, name));
    fsyncPath(generations);
    return name;
  }

  /** Removes every generation except the current one (backups keep the old keys). */
  private prune(keep: string): void {
    const generations = join(this.path, GENERATIONS);
    for (const name of readdirSync(generations)) {
      if (name !== keep) rmSync(join(generations, name), { recursive: true, force: true });
    }
    fsyncPath(generations);
  }
}

export function readIfPresent(path: string, display: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new ToolError('unreadable', fsProblem('read', display, error));
  }
}

/** Mode bits of a file (following links), or undefined when missing. */
export function fileMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
