// Backups and the rotation journal.
//
// Before a writing run changes anything it saves what it is about to replace into a new directory
//   <backup-dir>/<UTC timestamp>-<mode>-<env>/          (0700; files 0600)
//     manifest.json      what was saved, from where, and whether it existed
//     store-<env>/id_ecdsa, id_ecdsa.pub    the store's pair of each environment written
//     mounted/id_ecdsa, id_ecdsa.pub        the mounted key directory's pair
//     cli.toml                              the publisher's cli.toml, byte for byte
//     journal.json, new/id_ecdsa, new/id_ecdsa.pub   (rotations only) the pair being installed
// The directory is assembled under a temporary name and renamed into place, so a backup is complete
// or absent. A rotation's journal stays "pending" until every step is done; a later run finds it and
// finishes the same rotation with the same new pair, and --restore-backup marks it "rolled-back".
//
// A backup is state the tool acts on without a human reading it first, so it is trusted only when the
// backup directory, the backup and every file in it are owned by the user running the tool and not
// writable by others, and when its records have exactly the shape this tool writes.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ENVIRONMENTS, TOOL_NAME, TOOL_VERSION, type Env, type Mode, type StoreKind } from '../core/types';
import { fsyncPath, lstatOrUndefined, mkdirDurable, mkdirNew, removeStaleTemps, renamePath, tempName, writeFileAtomic, writeNewFile } from '../fs/atomic-write';
import { crashPoint } from '../fs/crash-points';
import { ToolError, errnoCode } from '../core/errors';
import { untrusted, untrustedTree } from '../fs/permissions';
import { readInput, readInputIfPresent } from '../fs/safe-read';
import { PRIVATE_NAME, PUBLIC_NAME, readIfPresent, type PemPair, type RawPair } from '../keys/key-dir';

const MANIFEST = 'manifest.json';
const JOURNAL = 'journal.json';
export const NEW_PAIR_DIR = 'new';
const CLI_TOML_FILE = 'cli.toml';
const MOUNTED_DIR = 'mounted';

export function storeDirName(env: Env): string {
  return `store-${env}`;
}

export type BackupEntry =
  | { kind: 'store'; env: Env; store: StoreKind; location: string; dir: string; privateKey: boolean; publicKey: boolean }
  | { kind: 'mounted'; path: string; dir: string; privateKey: boolean; publicKey: boolean }
  | { kind: 'cli-toml'; path: string; file: string; present: boolean; mode: number | undefined };

export interface Manifest {
  tool: string;
  version: string;
  createdAt: string;
  mode: Mode | 'pre-restore';
  env: Env | undefined;
  entries: BackupEntry[];
}

export interface Journal {
  state: 'pending' | 'complete' | 'rolled-back';
  env: Env;
  envs: Env[];
  store: StoreKind;
  /** Store location of each environment written (directory, or vault name). */
  storeLocations: Partial<Record<Env, string>>;
  mountedDir: string | null;
  cliTomlPath: string | null;
  newFingerprint: string;
  startedAt: string;
  updatedAt: string;
}

export interface BackupItem {
  entry: BackupEntry;
  pair?: RawPair;
  bytes?: Buffer;
}

function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function writePairInto(dir: string, pair: RawPair): void {
  mkdirNew(dir, 0o700);
  if (pair.privatePem) writeNewFile(join(dir, PRIVATE_NAME), pair.privatePem, 0o600);
  if (pair.publicPem) writeNewFile(join(dir, PUBLIC_NAME), pair.publicPem, 0o600);
  fsyncPath(dir);
}

/** Writes a complete backup directory and returns its path. */
export function createBackup(
  root: string,
  options: { mode: Manifest['mode']; env: Env | undefined; now: Date; items: BackupItem[]; journal?: Journal; newPair?: PemPair },
): string {
  mkdirDurable(root, 0o700);
  removeStaleTemps(root);
  const base = `${backupStamp(options.now)}-${options.mode}${options.env ? `-${options.env}` : ''}`;
  let name = base;
  for (let n = 2; lstatOrUndefined(join(root, name)); n++) name = `${base}-${n}`;
  const staging = tempName(root, name);
  mkdirNew(staging, 0o700);
  const manifest: Manifest = {
    tool: TOOL_NAME,
    version: TOOL_VERSION,
    createdAt: options.now.toISOString(),
    mode: options.mode,
    env: options.env,
    entries: options.items.map((item) => item.entry),
  };
  for (const item of options.items) {
    const entry = item.entry;
    if (entry.kind === 'cli-toml') {
      if (item.bytes) writeNewFile(join(staging, entry.file), item.bytes, 0o600);
    } else if (item.pair) {
      writePairInto(join(staging, entry.dir), item.pair);
    }
  }
  if (options.newPair) writePairInto(join(staging, NEW_PAIR_DIR), options.newPair);
  if (options.journal) writeNewFile(join(staging, JOURNAL), `${JSON.stringify(options.journal, null, 2)}\n`, 0o600);
  writeNewFile(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
  fsyncPath(staging);
  crashPoint('backup:staged');
  const final = join(root, name);
  renamePath(staging, final);
  fsyncPath(root);
  crashPoint('backup:renamed');
  return final;
}

/** Why the backup `dir` (inside `root`) is not trustworthy, or undefined. */
function backupTrustProblem(root: string, dir: string, display: string): string | undefined {
  try {
    // The backup directory may be reached through a link (--follow-symlinks); the backups in it may not.
    return untrusted(statSync(root), 'its backup directory') ?? untrustedTree(dir, display);
  } catch (error) {
    return `${display} could not be inspected (${errnoCode(error) ?? String(error)})`;
  }
}

/** Throws when the backup cannot be trusted, saying what to do about it. */
function assertTrustedBackup(root: string, dir: string, display: string): void {
  const problem = backupTrustProblem(root, dir, display);
  if (!problem) return;
  throw new ToolError(
    'untrusted-backup',
    `${display}: not trusted: ${problem}. This tool acts only on backups that the user running it owns and that no one else can write. If you did not make it, remove it; if you did, fix it (chown -R and chmod -R go-w) and run again. Nothing was changed.`,
  );
}

function readJson(path: string, display: string): unknown {
  const text = readInput(path, display, 'json', 'bad-backup').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ToolError('bad-backup', `${display}: is not valid JSON (damaged backup?). Nothing was changed.`);
  }
}

const isEnv = (value: unknown): value is Env => typeof value === 'string' && (ENVIRONMENTS as readonly string[]).includes(value);
const isStoreKind = (value: unknown): value is StoreKind => value === 'file' || value === 'azure';
const isBool = (value: unknown): value is boolean => typeof value === 'boolean';
const isAbsolutePath = (value: unknown): value is string => typeof value === 'string' && isAbsolute(value) && !value.includes('\0');
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 4096;

/** The modes a saved cli.toml may be put back with: at most rw-r--r--, no execute, no set-id bits. */
function restorableMode(mode: number): boolean {
  return Number.isInteger(mode) && mode >= 0 && (mode & ~0o644) === 0;
}

function entryProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return 'an entry is not an object';
  const entry = value as Record<string, unknown>;
  switch (entry.kind) {
    case 'store':
      if (!isEnv(entry.env) || !isStoreKind(entry.store) || !isText(entry.location)) return 'a store entry names no valid environment, store or location';
      if (entry.dir !== storeDirName(entry.env)) return `the store entry of ${entry.env} points at ${JSON.stringify(entry.dir)}, not ${storeDirName(entry.env)}`;
      return isBool(entry.privateKey) && isBool(entry.publicKey) ? undefined : 'a store entry lacks its key flags';
    case 'mounted':
      if (!isAbsolutePath(entry.path) || entry.dir !== MOUNTED_DIR) return 'the mounted entry has no absolute path or points outside mounted/';
      return isBool(entry.privateKey) && isBool(entry.publicKey) ? undefined : 'the mounted entry lacks its key flags';
    case 'cli-toml':
      if (!isAbsolutePath(entry.path) || entry.file !== CLI_TOML_FILE || !isBool(entry.present)) return 'the cli-toml entry has no absolute path or points outside cli.toml';
      if (entry.mode === undefined || entry.mode === null) return undefined;
      if (typeof entry.mode !== 'number' || !restorableMode(entry.mode)) {
        return `the cli-toml entry asks for mode ${typeof entry.mode === 'number' ? entry.mode.toString(8).padStart(4, '0') : JSON.stringify(entry.mode)}, which no cli.toml this tool backs up has (at most 0644)`;
      }
      return undefined;
    default:
      return `an entry has the unknown kind ${JSON.stringify(entry.kind)}`;
  }
}

function manifestProblem(value: Partial<Manifest> | undefined): string | undefined {
  if (!value || typeof value !== 'object' || value.tool !== TOOL_NAME || !Array.isArray(value.entries)) return `is not a ${TOOL_NAME} backup manifest`;
  if (!['rotate', 'resign', 'sync', 'pre-restore'].includes(value.mode as string)) return `names the unknown mode ${JSON.stringify(value.mode)}`;
  if (value.env !== undefined && value.env !== null && !isEnv(value.env)) return `names the unknown environment ${JSON.stringify(value.env)}`;
  if (value.entries.length > ENVIRONMENTS.length + 2) return 'lists more entries than a backup has';
  const problem = value.entries.map(entryProblem).find(Boolean);
  if (problem) return problem;
  const keys = value.entries.map((entry) => (entry.kind === 'store' ? `store-${entry.env}` : entry.kind));
  return new Set(keys).size === keys.length ? undefined : 'lists the same place twice';
}

/** The manifest of a trusted backup, checked to have exactly the shape this tool writes. */
export function readManifest(root: string, dir: string, display: string): Manifest {
  assertTrustedBackup(root, dir, display);
  const value = readJson(join(dir, MANIFEST), `${display}/${MANIFEST}`) as Partial<Manifest> | undefined;
  const problem = manifestProblem(value);
  if (problem) throw new ToolError('bad-backup', `${display}/${MANIFEST}: ${problem}; not a manifest this tool wrote, or edited since. Nothing was changed.`);
  return { ...(value as Manifest), env: value?.env ?? undefined };
}

function journalProblem(value: Partial<Journal> | undefined): string | undefined {
  if (!value || typeof value !== 'object') return 'is not a journal';
  if (!['pending', 'complete', 'rolled-back'].includes(value.state as string)) return 'has no valid state';
  if (!isEnv(value.env) || !Array.isArray(value.envs) || !value.envs.every(isEnv) || !value.envs.includes(value.env)) return 'names no valid environments';
  if (!isStoreKind(value.store) || !value.storeLocations || typeof value.storeLocations !== 'object') return 'names no valid store';
  if (!value.envs.every((env) => isText(value.storeLocations?.[env]))) return 'lacks the store location of an environment';
  if ((value.mountedDir !== null && !isAbsolutePath(value.mountedDir)) || (value.cliTomlPath !== null && !isAbsolutePath(value.cliTomlPath))) return 'names a path that is not absolute';
  if (typeof value.newFingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(value.newFingerprint)) return 'has no valid fingerprint';
  return isText(value.startedAt) && isText(value.updatedAt) ? undefined : 'has no valid times';
}

/** The journal of a backup (already checked to be trusted), or undefined when it has none. */
export function readJournal(dir: string, display: string): Journal | undefined {
  if (!lstatOrUndefined(join(dir, JOURNAL))) return undefined;
  const value = readJson(join(dir, JOURNAL), `${display}/${JOURNAL}`) as Partial<Journal> | undefined;
  const problem = journalProblem(value);
  if (problem) throw new ToolError('bad-backup', `${display}/${JOURNAL}: ${problem}; not a journal this tool wrote, or edited since. Nothing was changed.`);
  return value as Journal;
}

export function readBackupPair(dir: string, display: string): RawPair {
  return {
    privatePem: readIfPresent(join(dir, PRIVATE_NAME), `${display}/${PRIVATE_NAME}`),
    publicPem: readIfPresent(join(dir, PUBLIC_NAME), `${display}/${PUBLIC_NAME}`),
  };
}

function backupNames(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** A pending rotation found in the backup directory: its journal, or why it cannot be trusted. */
export interface PendingRotation {
  dir: string;
  journal: Journal | undefined;
  /** Set when the journal must not be acted on (untrusted or malformed); journal is then undefined. */
  problem: string | undefined;
}

/** Backups whose journal says a rotation is pending, newest first. Untrusted ones come with their problem. */
export function findPendingRotations(root: string, show: (path: string) => string): PendingRotation[] {
  const pending: PendingRotation[] = [];
  for (const name of backupNames(root)) {
    const dir = join(root, name);
    if (!lstatOrUndefined(join(dir, JOURNAL))) continue;
    let state: unknown;
    try {
      state = (readJson(join(dir, JOURNAL), `${show(dir)}/${JOURNAL}`) as { state?: unknown } | undefined)?.state;
    } catch {
      continue; // an unreadable journal is reported when that backup is restored
    }
    if (state !== 'pending') continue;
    const problem = backupTrustProblem(root, dir, show(dir));
    if (problem) {
      pending.push({ dir, journal: undefined, problem });
      continue;
    }
    try {
      pending.push({ dir, journal: readJournal(dir, show(dir)), problem: undefined });
    } catch (error) {
      pending.push({ dir, journal: undefined, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return pending;
}

/** Public keys saved in the trusted backups under root: the pairs this tool replaced or installed. */
export function savedPublicKeys(root: string, show: (path: string) => string): { label: string; pem: Buffer }[] {
  const keys: { label: string; pem: Buffer }[] = [];
  for (const name of backupNames(root)) {
    const dir = join(root, name);
    if (backupTrustProblem(root, dir, show(dir))) continue;
    const places = [MOUNTED_DIR, NEW_PAIR_DIR, ...ENVIRONMENTS.map(storeDirName)];
    for (const place of places) {
      const file = join(dir, place, PUBLIC_NAME);
      try {
        const pem = readInputIfPresent(file, show(file), 'key');
        if (pem) keys.push({ label: show(file), pem });
      } catch {
        // not a key file: ignored, it cannot vouch for anything
      }
    }
  }
  return keys;
}

export function updateJournal(dir: string, journal: Journal, state: Journal['state'], now: Date, label: string): void {
  const next: Journal = { ...journal, state, updatedAt: now.toISOString() };
  writeFileAtomic(join(dir, JOURNAL), `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600, label });
}
