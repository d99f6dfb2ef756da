// What every mode needs: the settings, output, clock, and the key store they name.
import type { Settings } from '../cli/args';
import { lstatOrUndefined } from '../fs/atomic-write';
import { EXIT_INTERRUPTED, ToolError, describeError } from '../core/errors';
import { resolveWriteTarget } from '../fs/fs-guard';
import { readInput, type InputKind } from '../fs/safe-read';
import { displayPath, type Io } from '../core/io';
import type { Reporter } from '../cli/report';
import { AzureStore } from '../store/azure-store';
import { FileStore } from '../store/file-store';
import type { KeyStore } from '../store/store';

export interface Context {
  settings: Settings;
  io: Io;
  reporter: Reporter;
}

export function show(ctx: Context, path: string): string {
  return displayPath(ctx.io.cwd, path);
}

export function now(ctx: Context): Date {
  return ctx.io.now();
}

/** The file store's directory as a writing run uses it (the symlink rule applied). */
export function storeDirFor(ctx: Context): string {
  const s = ctx.settings;
  return resolveWriteTarget(s.storeDir, show(ctx, s.storeDir), '--store-dir', s.followSymlinks);
}

/** The configured store; for writing modes the file store's directory obeys the symlink rule. */
export function openStore(ctx: Context, forWriting: boolean): KeyStore {
  const s = ctx.settings;
  if (s.store === 'azure') return new AzureStore(s.azureVaults, ctx.io.env, (line) => ctx.reporter.detail(line));
  const dir = forWriting ? storeDirFor(ctx) : s.storeDir;
  return new FileStore(dir, show(ctx, dir));
}

/** Why the file store is not consulted in a read-only run, if it does not exist. */
export function storeSkipReason(ctx: Context): string | undefined {
  if (ctx.settings.store !== 'file') return undefined;
  return lstatOrUndefined(ctx.settings.storeDir) ? undefined : `no file store at ${show(ctx, ctx.settings.storeDir)} (nothing to compare)`;
}

/** Reads an input file the run cannot do without (a regular file of bounded size). */
export function readRequired(path: string, display: string, reason: string, hint = '', kind: InputKind = 'key'): Buffer {
  return readInput(path, display, kind, reason, hint);
}

/**
 * Runs the writing steps of a mode. Any failure once writing has begun is reported as interrupted
 * (exit 4), pointing at the backup and at the command that finishes or undoes the work.
 */
export async function writingPhase<T>(backupDisplay: string, retry: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ToolError(
      'interrupted',
      `${describeError(error)} Writing had begun: the previous state is saved in ${backupDisplay}. Run ${retry} again to finish, or --restore-backup ${backupDisplay} --yes to go back.`,
      EXIT_INTERRUPTED,
    );
  }
}
