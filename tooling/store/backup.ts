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
import { mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Env, Mode, StoreKind } from '../core/types';
import { fsyncPath, lstatOrUndefined, mkdirDurable, removeStaleTemps, tempName, writeFileAtomic, writeNewFile } from '../fs/atomic-write';
import { crashPoint } from '../fs/crash-points';
import { ToolError, fsProblem } from '../core/errors';
import { PRIVATE_NAME, PUBLIC_NAME, readIfPresent, type PemPair, type RawPair } from '../keys/key-dir';
import { TOOL_NAME, TOOL_VERSION } from '../core/types';

export const MANIFEST = 'manifest.json';
export const JOURNAL = 'journal.json';
export const NEW_PAIR_DIR = 'new';

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

export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function writePairInto(dir: string, pair: RawPair): void {
  mkdirSync(dir, { mode: 0o700 });
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
  mkdirSync(staging, { mode: 0o700 });
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
  renameSync(staging, final);
  fsyncPath(root);
  crashPoint('backup:renamed');
  return final;
}

function readJson(path: string, display: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ToolError('bad-backup', fsProblem('read', display, error));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ToolError('bad-backup', `${display}: is not valid JSON (damaged backup?).`);
  }
}

export function readManifest(dir: string, display: string): Manifest {
  const value = readJson(join(dir, MANIFEST), `${display}/${MANIFEST}`) as Partial<Manifest>;
  if (!value || value.tool !== TOOL_NAME || !Array.isArray(value.entries)) {
    throw new ToolError('bad-backup', `${display}/${MANIFEST}: is not a ${TOOL_NAME} backup manifest.`);
  }
  return value as Manifest;
}

export function readJournal(dir: string): Journal | undefined {
  if (!lstatOrUndefined(join(dir, JOURNAL))) return undefined;
  return readJson(join(dir, JOURNAL), `${basename(dir)}/${JOURNAL}`) as Journal;
}

export function readBackupPair(dir: string, display: string): RawPair {
  return {
    privatePem: readIfPresent(join(dir, PRIVATE_NAME), `${display}/${PRIVATE_NAME}`),
    publicPem: readIfPresent(join(dir, PUBLIC_NAME), `${display}/${PUBLIC_NAME}`),
  };
}

/** Rotations whose journal is still pending, newest first. */
export function findPendingRotations(root: string): { dir: string; journal: Journal }[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const pending: { dir: string; journal: Journal }[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort().reverse()) {
    const dir = join(root, name);
    try {
      const journal = readJournal(dir);
      if (journal?.state === 'pending') pending.push({ dir, journal });
    } catch {
      // an unreadable journal is reported when that backup is restored
    }
  }
  return pending;
}

export function updateJournal(dir: string, journal: Journal, state: Journal['state'], now: Date, label: string): void {
  const next: Journal = { ...journal, state, updatedAt: now.toISOString() };
  writeFileAtomic(join(dir, JOURNAL), `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600, label });
}
