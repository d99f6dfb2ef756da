// The steps of a rotation after its plan: back up (with a "pending" journal and the new pair), apply
// (store → mounted keys → token → journal "complete", each step skipped when already done, so that a
// rerun finishes an interrupted rotation), and verify. Shared by a fresh rotation and a resumed one.
import type { Env } from '../core/types';
import { createBackup, storeDirName, updateJournal, type BackupItem, type Journal } from '../store/backup';
import { CliToml } from '../token/cli-toml';
import { decodeToken, signatureValid } from '../token/token';
import { readInput } from '../fs/safe-read';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import { PRIVATE_NAME, PUBLIC_NAME, samePair, type KeyDir, type RawPair } from '../keys/key-dir';
import type { Keypair } from '../keys/keypair';
import { hasAny, type KeyStore } from '../store/store';
import { keySourceFromFiles, type KeySource } from '../checks/key-checks';
import { verify } from '../checks/verify-checks';
import { now, show, writingPhase, type Context } from './context';
import { guardedPaths, type Places } from './preflight';
import { applyResign, prepareResign, unverifiedWarning, type PreparedResign, type TokenTrust } from './resign-token';

export interface RotationPlan {
  envs: Env[];
  store: KeyStore;
  newPair: Keypair;
  mounted: KeyDir | undefined;
  cliPath: string | undefined;
  backupRoot: string;
  places: Places;
  trust: TokenTrust;
  /** What the store and the mounted keys held before (fresh rotations only: a resumed one is past it). */
  storeBefore?: { env: Env; pair: RawPair }[];
  mountedBefore?: RawPair;
  prepared?: PreparedResign;
}

async function tokenVerifiesWith(path: string, pair: Keypair): Promise<boolean> {
  try {
    const token = CliToml.fromBytes(readInput(path, path, 'cliToml')).token;
    return token !== undefined && (await signatureValid(decodeToken(token), pair.publicKey));
  } catch {
    return false;
  }
}

export function restartSteps(ctx: Context, envs: Env[], synced: boolean): string[] {
  const env = ctx.settings.env;
  const steps = [
    synced
      ? 'Restart SpacetimeDB so it loads the new keys (it reads them only at start-up), e.g. docker compose restart spacetimedb.'
      : `This host's mounted keys were left alone (--no-sync-mounted-keys): on each server host run spacetimedb-tooling --sync-only --env ${env} --yes, then restart SpacetimeDB (it reads keys only at start-up).`,
    `After the restart, check the running server: spacetimedb-tooling --verify-only --env ${env} --server-url http://127.0.0.1:3000 (expects the public key byte for byte and HTTP 204 for the token).`,
  ];
  if (synced) steps.push(`Any other host that mounts the ${envs.join('/')} keys: spacetimedb-tooling --sync-only --env ${env} --yes, then restart it.`);
  return steps;
}

/** Writes the backup of a fresh rotation: the old state, the new pair and a "pending" journal. */
export function backUpRotation(ctx: Context, plan: RotationPlan): { backupDir: string; journal: Journal } {
  const { reporter } = ctx;
  const items: BackupItem[] = (plan.storeBefore ?? [])
    .filter((entry) => hasAny(entry.pair))
    .map((entry) => ({
      entry: { kind: 'store', env: entry.env, store: plan.store.kind, location: plan.store.location(entry.env), dir: storeDirName(entry.env), privateKey: !!entry.pair.privatePem, publicKey: !!entry.pair.publicPem },
      pair: entry.pair,
    }));
  const before = plan.mountedBefore;
  if (plan.mounted && before && hasAny(before)) {
    items.push({ entry: { kind: 'mounted', path: plan.mounted.path, dir: 'mounted', privateKey: !!before.privatePem, publicKey: !!before.publicPem }, pair: before });
  }
  if (plan.prepared) items.push({ entry: { kind: 'cli-toml', path: plan.prepared.path, file: 'cli.toml', present: true, mode: plan.prepared.mode }, bytes: plan.prepared.original });
  const at = now(ctx).toISOString();
  const journal: Journal = {
    state: 'pending',
    env: ctx.settings.env,
    envs: plan.envs,
    store: plan.store.kind,
    storeLocations: Object.fromEntries(plan.envs.map((env) => [env, plan.store.location(env)])),
    mountedDir: plan.mounted?.path ?? null,
    cliTomlPath: plan.cliPath ?? null,
    newFingerprint: plan.newPair.fingerprint,
    startedAt: at,
    updatedAt: at,
  };
  reporter.progress(`backing up into ${show(ctx, plan.backupRoot)}`);
  const backupDir = createBackup(plan.backupRoot, { mode: 'rotate', env: ctx.settings.env, now: now(ctx), items, journal, newPair: plan.newPair });
  reporter.report.backupDir = show(ctx, backupDir);
  reporter.action(`backed up the current keys${plan.prepared ? ' and cli.toml' : ''} to ${show(ctx, backupDir)}`);
  reporter.detail(`new key fingerprint ${fingerprintOfPublicKey(plan.newPair.publicKey)}`);
  return { backupDir, journal };
}

async function resignStep(ctx: Context, plan: RotationPlan, cliPath: string): Promise<void> {
  const { reporter } = ctx;
  const display = show(ctx, cliPath);
  if (await tokenVerifiesWith(cliPath, plan.newPair)) return;
  reporter.progress(`re-signing the token in ${display}`);
  const prepared = await prepareResign(cliPath, display, plan.newPair, now(ctx), plan.trust);
  applyResign(prepared, 'cli-toml');
  const loud = unverifiedWarning(prepared);
  if (loud) reporter.alarm(loud);
  reporter.report.identityBefore ??= prepared.identityBefore;
  reporter.report.identityAfter = prepared.identityAfter;
  reporter.action(`re-signed the token in ${display} with the new key (identity ${prepared.identityAfter} unchanged)`);
}

/** The steps after the backup: each one skipped when already done, so a rerun finishes the work. */
export async function applyRotation(ctx: Context, plan: RotationPlan, backupDir: string, journal: Journal, resuming: boolean): Promise<void> {
  const { reporter } = ctx;
  await writingPhase(show(ctx, backupDir), 'the rotation', async () => {
    for (const env of plan.envs) {
      // A fresh rotation knows the store does not hold the new pair yet; a resumed one checks.
      if (resuming && samePair(plan.store.read(env), plan.newPair)) continue;
      reporter.progress(`writing the new pair to ${plan.store.describe(env)}`);
      plan.store.write(env, plan.newPair, `store:${env}`, now(ctx));
      reporter.action(`wrote the new pair to ${plan.store.describe(env)}`);
    }
    if (plan.mounted) {
      reporter.progress(`switching ${plan.mounted.display} to the new pair`);
      if (plan.mounted.install(plan.newPair, 'mounted', now(ctx))) reporter.action(`switched ${plan.mounted.display} to the new pair (atomic)`);
    }
    if (plan.cliPath) await resignStep(ctx, plan, plan.cliPath);
    updateJournal(backupDir, journal, 'complete', now(ctx), 'journal:complete');
  });
}

export async function verifyRotation(ctx: Context, plan: RotationPlan): Promise<void> {
  const s = ctx.settings;
  let keys: KeySource;
  if (plan.mounted) {
    keys = keySourceFromFiles(plan.mounted.privatePath, plan.mounted.publicPath, `${plan.mounted.display}/${PRIVATE_NAME}`, `${plan.mounted.display}/${PUBLIC_NAME}`);
  } else {
    const stored = plan.store.read(s.env);
    const where = plan.store.describe(s.env);
    keys = {
      privateDisplay: `${where} private key`,
      publicDisplay: `${where} public key`,
      privatePem: stored.privatePem ?? `${where}: no private key`,
      publicPem: stored.publicPem ?? `${where}: no public key`,
    };
  }
  ctx.reporter.progress('verifying');
  const result = await verify({
    env: s.env,
    keys,
    keyDir: plan.mounted,
    store: plan.store,
    cliToml: plan.cliPath ? { path: plan.cliPath, display: show(ctx, plan.cliPath) } : undefined,
    serverUrl: undefined,
    now: now(ctx),
    pendingRotation: undefined,
    guardedPaths: guardedPaths(ctx, plan.places),
  });
  ctx.reporter.addChecks(result.checks);
  ctx.reporter.report.keys.fingerprint = result.fingerprint;
  ctx.reporter.report.token = result.token;
  if (result.fingerprint !== plan.newPair.fingerprint) {
    ctx.reporter.addChecks([{ name: 'new-pair-installed', ok: false, message: `the keys checked (${result.fingerprint}) are not the new pair (${plan.newPair.fingerprint})` }]);
  }
}
