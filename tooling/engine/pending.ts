// The pending-rotation guard, in one wording for every mode: while a rotation journal in the backup
// directory says "pending", the writing modes other than that rotation (and a restore) refuse to run,
// and verification reports it. A journal the tool cannot trust is reported with what to do about it.
import { ToolError } from '../core/errors';
import { findPendingRotations, type PendingRotation } from '../store/backup';
import { show, type Context } from './context';

export function pendingRotations(ctx: Context, backupRoot: string): PendingRotation[] {
  return findPendingRotations(backupRoot, (path) => show(ctx, path));
}

/** Why this pending rotation blocks other work, and how to finish or undo it. */
export function pendingRotationMessage(ctx: Context, pending: PendingRotation): string {
  const where = show(ctx, pending.dir);
  if (!pending.journal) {
    return `${where} holds a journal of an interrupted rotation that this tool will not act on: ${pending.problem}. If you did not start that rotation, remove ${where}; if you did, fix its owner and mode (chown -R, chmod -R go-w) and run again.`;
  }
  const journal = pending.journal;
  return `an interrupted rotation of ${journal.envs.join('/')} is recorded in ${where}; finish it first (run the rotation again with --env ${journal.env} --yes and the same path flags) or roll back with --restore-backup ${where} --yes.`;
}

/** Throws when a rotation is pending (exit 3, nothing changed). */
export function refuseIfPendingRotation(ctx: Context, backupRoot: string): void {
  const pending = pendingRotations(ctx, backupRoot)[0];
  if (pending) throw new ToolError(pending.journal ? 'pending-rotation' : 'untrusted-journal', pendingRotationMessage(ctx, pending));
}
