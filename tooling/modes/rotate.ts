// Rotation (the default mode): new pair → store (every environment that shares it) → this host's
// mounted key directory → re-signed publisher token → journal marked complete → verification.
//
// Everything that could stop the run is checked before the first write (inputs, symlink rule,
// permissions, write probes, the lock, the environment guard, the token's trust). Then a backup
// directory is written in one piece with a "pending" journal and the new pair; each later step is
// idempotent, so a run that was killed anywhere is finished by running the same command again (it finds
// the pending journal and uses the same new pair), or undone with --restore-backup.
import { dirname, join } from 'node:path';
import type { Env } from '../core/types';
import { ENVIRONMENTS } from '../core/types';
import { NEW_PAIR_DIR, readBackupPair, type Journal, type PendingRotation } from '../store/backup';
import { now, openStore, readRequired, show, storeDirFor, type Context } from '../engine/context';
import { completeSnapshot, refuseOtherEnvironmentsKeys } from '../engine/env-guard';
import { pendingRotationMessage, pendingRotations } from '../engine/pending';
import { guardedRun, type Places } from '../engine/preflight';
import { prepareResign, unverifiedWarning } from '../engine/resign-token';
import { applyRotation, backUpRotation, restartSteps, verifyRotation, type RotationPlan } from '../engine/rotation-steps';
import { trustedKeys } from '../engine/trusted-keys';
import { ToolError } from '../core/errors';
import { probeWritable, resolveWriteTarget } from '../fs/fs-guard';
import { KeyDir, NO_PAIR, PRIVATE_NAME, PUBLIC_NAME, type RawPair } from '../keys/key-dir';
import { Keypair } from '../keys/keypair';
import { envsSharingKeys, mustShare } from '../checks/policy';
import { readSnapshot, storedFingerprint, type StoreSnapshot } from '../checks/store-checks';
import type { KeyStore } from '../store/store';

/** Where this run works, after the symlink rule: the places it writes and the store behind them. */
interface Targets {
  places: Places;
  backupRoot: string;
  mounted: KeyDir | undefined;
  cliPath: string | undefined;
  store: KeyStore;
}

function resolveTargets(ctx: Context): Targets {
  const s = ctx.settings;
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);
  const mountedPath = s.syncMounted ? resolveWriteTarget(s.mountedDir, show(ctx, s.mountedDir), '--mounted-keys-dir', s.followSymlinks) : undefined;
  const cliPath = s.preserveToken ? resolveWriteTarget(s.cliTomlPath, show(ctx, s.cliTomlPath), '--publisher-cli-toml-path', s.followSymlinks) : undefined;
  const storeDir = s.store === 'file' ? storeDirFor(ctx) : undefined;
  return {
    places: { backupRoot, storeDir, mountedDir: mountedPath, cliToml: cliPath },
    backupRoot,
    mounted: mountedPath ? new KeyDir(mountedPath, show(ctx, mountedPath)) : undefined,
    cliPath,
    store: openStore(ctx, true),
  };
}

/** The keys this host's server loads, for the environment guard: read, never written, when not synced. */
function hostKeys(ctx: Context, targets: Targets): { pair: RawPair | undefined; display: string } {
  const dir = targets.mounted ?? new KeyDir(ctx.settings.mountedDir, show(ctx, ctx.settings.mountedDir));
  try {
    return { pair: dir.readRaw(), display: dir.display };
  } catch (error) {
    if (targets.mounted) throw error;
    return { pair: undefined, display: dir.display }; // left alone by this run: only read for the guard
  }
}

function newPairFor(ctx: Context, store: KeyStore, snapshot: StoreSnapshot, envs: Env[]): Keypair {
  const s = ctx.settings;
  if (!s.privateKeyPath || !s.publicKeyPath) {
    ctx.reporter.report.keys.source = 'generated (P-256)';
    return Keypair.generate();
  }
  const privDisplay = show(ctx, s.privateKeyPath);
  const pubDisplay = show(ctx, s.publicKeyPath);
  const pair = Keypair.parse(readRequired(s.privateKeyPath, privDisplay, 'missing-key'), readRequired(s.publicKeyPath, pubDisplay, 'missing-key'), privDisplay, pubDisplay).normalised();
  ctx.reporter.report.keys.source = `${privDisplay} and ${pubDisplay}`;
  // A given pair must not be another environment's (a generated one cannot be).
  const full = { ...snapshot, ...readSnapshot(store, ENVIRONMENTS.filter((env) => !snapshot[env])) };
  for (const env of ENVIRONMENTS) {
    if (envs.includes(env) || mustShare(env, s.env)) continue;
    if (storedFingerprint(full[env] ?? NO_PAIR) === pair.fingerprint) {
      throw new ToolError('policy', `the pair to install is already ${store.describe(env)}'s; ${env} and ${s.env} must not share a keypair. Use another pair.`);
    }
  }
  return pair;
}

/** Reads and checks everything a fresh rotation needs; nothing is written. */
async function planRotation(ctx: Context, targets: Targets): Promise<RotationPlan> {
  const { settings: s, reporter } = ctx;
  reporter.progress('checking inputs');
  const { store, mounted, cliPath, backupRoot } = targets;
  const envs = envsSharingKeys(s.env);
  let snapshot = readSnapshot(store, envs);
  const host = s.syncMounted || s.preserveToken ? hostKeys(ctx, targets) : undefined;
  if (host) {
    snapshot = completeSnapshot(store, snapshot, host.pair);
    refuseOtherEnvironmentsKeys(ctx, store, snapshot, host.pair, host.display);
  }
  const mountedBefore = mounted?.readRaw();
  const newPair = newPairFor(ctx, store, snapshot, envs);
  const storeBefore = envs.map((env) => ({ env, pair: snapshot[env] as RawPair }));
  const replaced = [...storeBefore.map((entry) => storedFingerprint(entry.pair)), host?.pair ? storedFingerprint(host.pair) : undefined].filter(
    (fp): fp is string => fp !== undefined && fp !== newPair.fingerprint,
  );
  const trust = {
    keys: trustedKeys(ctx, { mounted: mounted ?? new KeyDir(s.mountedDir, show(ctx, s.mountedDir)), signingKey: { label: 'the new pair', key: newPair.publicKey }, store: { store, pairs: storeBefore }, backupRoot }),
    allowUnverified: s.resignUnverified,
  };
  const prepared = cliPath ? await prepareResign(cliPath, show(ctx, cliPath), newPair, now(ctx), trust, replaced) : undefined;
  const previous = storedFingerprint(snapshot[s.env] ?? NO_PAIR) ?? (mountedBefore ? storedFingerprint(mountedBefore) : undefined);
  reporter.report.keys.previousFingerprint = previous ?? null;
  return { envs, store, newPair, mounted, cliPath, backupRoot, places: targets.places, trust, storeBefore, mountedBefore, prepared };
}

function reportPlan(ctx: Context, plan: RotationPlan): void {
  const { reporter } = ctx;
  const prepared = plan.prepared;
  if (!prepared) {
    reporter.warn(
      'the publisher token was left alone (--no-preserve-publisher-token): after the restart, tokens signed by the old key get 401. Re-sign the cached token with --resign-token-only (same identity) rather than logging in again (new identity, 403 on its databases).',
    );
    return;
  }
  reporter.report.identityBefore = prepared.identityBefore;
  for (const note of prepared.serverKeyNotes) reporter.warn(note);
  if (prepared.droppedExp !== undefined) reporter.warn('the token had a numeric exp; the re-signed token has none, so it does not expire');
  const loud = unverifiedWarning(prepared);
  if (loud) reporter.alarm(loud);
}

function reportDryRun(ctx: Context, plan: RotationPlan): number {
  const { settings: s, reporter } = ctx;
  reporter.report.keys.fingerprint = s.privateKeyPath ? plan.newPair.fingerprint : null;
  reporter.action(`back up the current keys${plan.cliPath ? ' and cli.toml' : ''} into a new directory under ${show(ctx, plan.backupRoot)}`);
  for (const env of plan.envs) reporter.action(`write ${s.privateKeyPath ? 'the given pair' : 'a new P-256 pair'} to ${plan.store.describe(env)}`);
  if (plan.mounted) reporter.action(`switch ${plan.mounted.display} to it atomically`);
  if (plan.prepared) reporter.action(`re-sign the token in ${plan.prepared.display}, keeping identity ${plan.prepared.identityBefore}`);
  return reporter.succeed();
}

async function finish(ctx: Context, plan: RotationPlan, backupDir: string, journal: Journal, resuming: boolean): Promise<number> {
  const { reporter } = ctx;
  await applyRotation(ctx, plan, backupDir, journal, resuming);
  await verifyRotation(ctx, plan);
  if (reporter.report.identityBefore && reporter.report.identityAfter && reporter.report.identityBefore !== reporter.report.identityAfter) {
    reporter.addChecks([{ name: 'identity-preserved', ok: false, message: `identity changed from ${reporter.report.identityBefore} to ${reporter.report.identityAfter}` }]);
  }
  reporter.report.nextSteps.push(...restartSteps(ctx, plan.envs, !!plan.mounted));
  return reporter.succeed();
}

/** How a journal's paths differ from this run's, as flags; empty when the run may resume it. */
function journalDifferences(ctx: Context, journal: Journal, targets: Targets): string[] {
  const differences: string[] = [];
  const describe = (value: string | null, flag: string, off: string): string => (value === null ? off : `${flag} ${show(ctx, value)}`);
  if (journal.mountedDir !== (targets.mounted?.path ?? null)) {
    differences.push(`${describe(journal.mountedDir, '--mounted-keys-dir', '--no-sync-mounted-keys')} (this run: ${describe(targets.mounted?.path ?? null, '--mounted-keys-dir', '--no-sync-mounted-keys')})`);
  }
  if (journal.cliTomlPath !== (targets.cliPath ?? null)) {
    differences.push(
      `${describe(journal.cliTomlPath, '--publisher-cli-toml-path', '--no-preserve-publisher-token')} (this run: ${describe(targets.cliPath ?? null, '--publisher-cli-toml-path', '--no-preserve-publisher-token')})`,
    );
  }
  const store = targets.store;
  if (journal.store !== store.kind || journal.envs.some((env) => journal.storeLocations[env] !== store.location(env))) {
    const where = (location: string | undefined): string => (store.kind === 'file' && location ? show(ctx, location) : (location ?? '?'));
    const recorded = journal.envs.map((env) => `${env} in ${where(journal.storeLocations[env])}`).join(', ');
    differences.push(`--store ${journal.store} with ${recorded} (this run: --store ${store.kind} with ${journal.envs.map((env) => `${env} in ${where(store.location(env))}`).join(', ')})`);
  }
  return differences;
}

/** Finishes the rotation a trusted journal records, when it names exactly this run's places. */
async function resume(ctx: Context, targets: Targets, pending: PendingRotation): Promise<number> {
  const { settings: s, reporter } = ctx;
  const display = show(ctx, pending.dir);
  const journal = pending.journal;
  if (!journal) throw new ToolError('untrusted-journal', pendingRotationMessage(ctx, pending));
  if (!journal.envs.includes(s.env)) throw new ToolError('pending-rotation', pendingRotationMessage(ctx, pending));
  const differences = journalDifferences(ctx, journal, targets);
  if (differences.length > 0) {
    throw new ToolError(
      'pending-rotation',
      `the interrupted rotation recorded in ${display} was started with ${differences.join('; ')}. Run it again with its flags to finish it, or roll back with --restore-backup ${display} --yes. Nothing was changed.`,
    );
  }
  const raw = readBackupPair(join(pending.dir, NEW_PAIR_DIR), `${display}/${NEW_PAIR_DIR}`);
  if (!raw.privatePem || !raw.publicPem) throw new ToolError('bad-backup', `${display}/${NEW_PAIR_DIR}: the pair being installed is missing; roll back with --restore-backup ${display} --yes.`);
  const newPair = Keypair.parse(raw.privatePem, raw.publicPem, `${display}/${NEW_PAIR_DIR}/${PRIVATE_NAME}`, `${display}/${NEW_PAIR_DIR}/${PUBLIC_NAME}`);
  if (newPair.fingerprint !== journal.newFingerprint) throw new ToolError('bad-backup', `${display}/${NEW_PAIR_DIR}: is not the pair its journal names; roll back with --restore-backup ${display} --yes.`);
  targets.mounted?.inspect();
  const storePairs = journal.envs.map((env) => ({ env, pair: targets.store.read(env) }));
  const trust = {
    keys: trustedKeys(ctx, { mounted: targets.mounted, signingKey: { label: 'the new pair', key: newPair.publicKey }, store: { store: targets.store, pairs: storePairs }, backupRoot: targets.backupRoot }),
    allowUnverified: s.resignUnverified,
  };
  const plan: RotationPlan = { envs: journal.envs, store: targets.store, newPair, mounted: targets.mounted, cliPath: targets.cliPath, backupRoot: targets.backupRoot, places: targets.places, trust };
  reporter.report.backupDir = display;
  reporter.report.keys = { fingerprint: newPair.fingerprint, source: 'resumed rotation' };
  if (s.dryRun) {
    reporter.action(`finish the rotation recorded in ${display} (store, mounted keys, token, each only if not done yet)`);
    return reporter.succeed();
  }
  reporter.progress(`finishing the interrupted rotation recorded in ${display}`);
  reporter.warn(`finished an interrupted rotation of ${journal.envs.join('/')} recorded in ${display}, with the same flags it was started with`);
  return finish(ctx, plan, pending.dir, journal, true);
}

export async function runRotate(ctx: Context): Promise<number> {
  const targets = resolveTargets(ctx);
  const envs = envsSharingKeys(ctx.settings.env);
  const probe = (): void => {
    probeWritable(targets.backupRoot, show(ctx, targets.backupRoot));
    targets.store.preflightWrite(envs);
    if (targets.mounted) {
      targets.mounted.inspect();
      probeWritable(targets.mounted.path, targets.mounted.display);
    }
    if (targets.cliPath) probeWritable(dirname(targets.cliPath), show(ctx, dirname(targets.cliPath)));
  };
  return guardedRun(ctx, targets.places, probe, async () => {
    const pending = pendingRotations(ctx, targets.backupRoot)[0];
    if (pending) return resume(ctx, targets, pending);
    const plan = await planRotation(ctx, targets);
    reportPlan(ctx, plan);
    if (ctx.settings.dryRun) return reportDryRun(ctx, plan);
    const { backupDir, journal } = backUpRotation(ctx, plan);
    return finish(ctx, plan, backupDir, journal, false);
  });
}
