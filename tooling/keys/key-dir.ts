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
import { readdirSync, readlinkSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  fsyncPath,
  lstatOrUndefined,
  mkdirDurable,
  mkdirNew,
  removeStaleTemps,
  renamePath,
  symlinkAtomic,
  tempName,
  writeNewFile,
  type Owner,
} from '../fs/atomic-write';
import { crashPoint } from '../fs/crash-points';
import { ToolError, errnoCode, fsProblem } from '../core/errors';
import { readInputIfPresent } from '../fs/safe-read';

export const PRIVATE_NAME = 'id_ecdsa';
export const PUBLIC_NAME = 'id_ecdsa.pub';
export const CURRENT = 'current';
export const GENERATIONS = 'generations';

export interface RawPair {
  privatePem: Buffer | undefined;
  publicPem: Buffer | undefined;
}

/** A pair with neither half: what a place that holds no keys reads as. */
export const NO_PAIR: RawPair = Object.freeze({ privatePem: undefined, publicPem: undefined });

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
    return this.inspectLayout();
  }

  /**
   * Classifies what is inside the directory (which may itself be reached through a link); throws a
   * ToolError for any link the tool does not manage, a `generations` that is not a real directory, or a
   * generation that is a link: the tool writes and prunes there, and must never do so somewhere else.
   */
  inspectLayout(): KeyDirState {
    const top = statOrUndefined(this.path);
    if (!top) return { kind: 'absent' };
    if (!top.isDirectory()) throw new ToolError('not-a-directory', `${this.display}: exists but is not a directory. Move it away or choose another directory.`);
    this.checkGenerations();
    const currentTarget = this.currentTarget();
    const priv = this.keyEntry(PRIVATE_NAME);
    const pub = this.keyEntry(PUBLIC_NAME);
    if (currentTarget || priv.linked || pub.linked) {
      return { kind: 'managed', current: currentTarget, privateLinked: priv.linked, publicLinked: pub.linked, privateFile: priv.file, publicFile: pub.file };
    }
    return { kind: 'plain', privateFile: priv.file, publicFile: pub.file, empty: readdirSync(this.path).length === 0 };
  }

  private checkGenerations(): void {
    const generations = join(this.path, GENERATIONS);
    const stat = lstatOrUndefined(generations);
    if (!stat) return;
    if (stat.isSymbolicLink()) {
      throw new ToolError(
        'symlink',
        `${this.display}/${GENERATIONS}: is a symlink to ${readlinkSync(generations)}; this tool writes and prunes key generations there and will not do so through a link. Replace it with a real directory (or move the key directory away) and run again.`,
      );
    }
    if (!stat.isDirectory()) throw new ToolError('unexpected-layout', `${this.display}/${GENERATIONS}: is not a directory; move it away so the tool can manage this directory.`);
  }

  /** The `current` link's target (generations/<name>), checked to be a real directory when it exists. */
  private currentTarget(): string | undefined {
    const current = lstatOrUndefined(join(this.path, CURRENT));
    if (!current) return undefined;
    const target = current.isSymbolicLink() ? readlinkSync(join(this.path, CURRENT)) : undefined;
    if (!target || !/^generations\/[^/]+$/.test(target) || target === `${GENERATIONS}/..` || target === `${GENERATIONS}/.`) {
      throw new ToolError('unexpected-layout', `${this.display}/${CURRENT}: is not this tool's link to generations/<name>; move it away so the tool can manage this directory.`);
    }
    const generation = lstatOrUndefined(join(this.path, target));
    if (generation && !generation.isDirectory()) {
      throw new ToolError(
        generation.isSymbolicLink() ? 'symlink' : 'unexpected-layout',
        `${this.display}/${target}: is ${generation.isSymbolicLink() ? `a symlink to ${readlinkSync(join(this.path, target))}` : 'not a directory'}; a key generation must be a real directory written by this tool. Move it away and run again.`,
      );
    }
    for (const name of [PRIVATE_NAME, PUBLIC_NAME]) {
      const file = lstatOrUndefined(join(this.path, target, name));
      if (file && !file.isFile()) {
        throw new ToolError('unexpected-layout', `${this.display}/${target}/${name}: is not a regular file; a key generation holds only the two key files. Move it away and run again.`);
      }
    }
    return target;
  }

  private keyEntry(name: string): { linked: boolean; file: boolean } {
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
  }

  /** Reads both files through the tool's links (after checking the layout); a missing file is undefined. */
  readRaw(): RawPair {
    this.inspectLayout();
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
    if (samePair(before, pair)) return false;
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
    mkdirNew(staging, 0o755);
    const stagedDir = new KeyDir(staging, this.display);
    const name = stagedDir.writeGeneration(generation, pair, owner);
    symlinkAtomic(`${GENERATIONS}/${name}`, join(staging, CURRENT), `${label}:staging-current`);
    symlinkAtomic(`${CURRENT}/${PUBLIC_NAME}`, join(staging, PUBLIC_NAME), `${label}:staging-public`);
    symlinkAtomic(`${CURRENT}/${PRIVATE_NAME}`, join(staging, PRIVATE_NAME), `${label}:staging-private`);
    fsyncPath(staging);
    crashPoint(`${label}:staged`);
    renamePath(staging, this.path);
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
    mkdirNew(staging, 0o755);
    if (pair.privatePem) writeNewFile(join(staging, PRIVATE_NAME), pair.privatePem, 0o600, owner);
    if (pair.publicPem) writeNewFile(join(staging, PUBLIC_NAME), pair.publicPem, 0o644, owner);
    fsyncPath(staging);
    renamePath(staging, join(generations, name));
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

/** A key file's bytes (a regular file of bounded size), or undefined when it does not exist. */
export function readIfPresent(path: string, display: string): Buffer | undefined {
  return readInputIfPresent(path, display, 'key');
}

/** True when both pairs are complete and byte for byte the same. */
export function samePair(a: RawPair, b: RawPair): boolean {
  return !!a.privatePem && !!a.publicPem && !!b.privatePem && !!b.publicPem && a.privatePem.equals(b.privatePem) && a.publicPem.equals(b.publicPem);
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new ToolError('unreadable', fsProblem('read', path, error));
  }
}
