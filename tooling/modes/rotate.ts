// Rotation (the default mode): new pair → store (every environment that shares it) → this host's
// mounted key directory → re-signed publisher token → journal marked complete → verification.
//
// Everything that could stop the run is checked before the first write (inputs, symlink rule, write
// probes). Then a backup directory is written in one piece with a "pending" journal and the new pair;
// each later step is idempotent, so a run that was killed anywhere is finished by running the tool
// again (it finds the pending journal and uses the same new pair), or undone with --restore-backup.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../core/types';
import {
  createBackup,
  findPendingRotations,
  readBackupPair,
  updateJournal,
  NEW_PAIR_DIR,
  type BackupItem,
  type Journal,
} from '../store/backup';
import { CliToml } from '../token/cli-toml';
import { now, openStore, readRequired, show, storeFromRecord, writingPhase, type Context } from '../engine/context';
import { ToolError } from '../core/errors';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import { probeWritable, resolveWriteTarget } from '../fs/fs-guard';
import { KeyDir, PRIVATE_NAME, PUBLIC_NAME, type RawPair } from '../keys/key-dir';
import { Keypair } from '../keys/keypair';
import { ENVIRONMENTS } from '../core/types';
import { envsSharingKeys, mustShare } from '../checks/policy';
import { applyResign, prepareResign } from '../engine/resign-token';
import { hasAny, type KeyStore } from '../store/store';
import { decodeToken, signatureValid } from '../token/token';
import { keySourceFromFiles, storedFingerprint, verify, type KeySource } from '../checks/key-checks';

interface RotationPlan {
  envs: Env[];
  store: KeyStore;
  newPair: Keypair;
  mounted: KeyDir | undefined;
  cliPath: string | undefined;
  backupRoot: string;
}

function sameBytes(a: RawPair, pair: Keypair): boolean {
  return !!a.privatePem?.equals(pair.privatePem) && !!a.publicPem?.equals(pair.publicPem);
}

async function tokenVerifiesWith(path: string, pair: Keypair): Promise<boolean> {
  try {
    const token = CliToml.parse(readFileSync(path, 'utf8')).token;
    return token !== undefined && (await signatureValid(decodeToken(token), pair.publicKey));
  } catch {
    return false;
  }
}

function restartSteps(ctx: Context, envs: Env[], synced: boolean): string[] {
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

/** The steps after the backup: each one skipped when already done, so a rerun finishes the work. */
async function completeRotation(ctx: Context, plan: RotationPlan, backupDir: string, journal: Journal, resuming: boolean): Promise<void> {
  const { reporter } = ctx;
  const backupDisplay = show(ctx, backupDir);
  await writingPhase(backupDisplay, 'the rotation', async () => {
    for (const env of plan.envs) {
      // A fresh rotation knows the store does not hold the new pair yet; a resumed one checks.
      if (resuming && sameBytes(plan.store.read(env), plan.newPair)) continue;
      reporter.progress(`writing the new pair to ${plan.store.describe(env)}`);
      plan.store.write(env, plan.newPair, `store:${env}`, now(ctx));
      reporter.action(`wrote the new pair to ${plan.store.describe(env)}`);
    }
    if (plan.mounted) {
      reporter.progress(`switching ${plan.mounted.display} to the new pair`);
      if (plan.mounted.install(plan.newPair, 'mounted', now(ctx))) reporter.action(`switched ${plan.mounted.display} to the new pair (atomic)`);
    }
    if (plan.cliPath) {
      const display = show(ctx, plan.cliPath);
      if (!(await tokenVerifiesWith(plan.cliPath, plan.newPair))) {
        reporter.progress(`re-signing the token in ${display}`);
        const prepared = await prepareResign(plan.cliPath, display, plan.newPair, now(ctx));
        applyResign(prepared, 'cli-toml');
        reporter.report.identityBefore ??= prepared.identityBefore;
        reporter.report.identityAfter = prepared.identityAfter;
        reporter.action(`re-signed the token in ${display} with the new key (identity ${prepared.identityAfter} unchanged)`);
      }
    }
    updateJournal(backupDir, journal, 'complete', now(ctx), 'journal:complete');
  });
}

async function verifyRotation(ctx: Context, plan: RotationPlan): Promise<void> {
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
    store: plan.store,
    cliToml: plan.cliPath ? { path: plan.cliPath, display: show(ctx, plan.cliPath) } : undefined,
    serverUrl: undefined,
    now: now(ctx),
    pendingRotation: undefined,
  });
  ctx.reporter.addChecks(result.checks);
  ctx.reporter.report.keys.fingerprint = result.fingerprint;
  ctx.reporter.report.token = result.token;
  if (result.fingerprint !== plan.newPair.fingerprint) {
    ctx.reporter.addChecks([{ name: 'new-pair-installed', ok: false, message: `the keys checked (${result.fingerprint}) are not the new pair (${plan.newPair.fingerprint})` }]);
  }
}

async function resume(ctx: Context, dir: string, journal: Journal): Promise<number> {
  const { settings: s, reporter } = ctx;
  const display = show(ctx, dir);
  reporter.progress(`finishing the interrupted rotation recorded in ${display}`);
  reporter.warn(`finished an interrupted rotation of ${journal.envs.join('/')} recorded in ${display}, with the settings it was started with`);
  const raw = readBackupPair(join(dir, NEW_PAIR_DIR), `${display}/${NEW_PAIR_DIR}`);
  if (!raw.privatePem || !raw.publicPem) throw new ToolError('bad-backup', `${display}/${NEW_PAIR_DIR}: the pair being installed is missing; roll back with --restore-backup ${display} --yes.`);
  const newPair = Keypair.parse(raw.privatePem, raw.publicPem, `${display}/${NEW_PAIR_DIR}/${PRIVATE_NAME}`, `${display}/${NEW_PAIR_DIR}/${PUBLIC_NAME}`);
  const plan: RotationPlan = {
    envs: journal.envs,
    store: storeFromRecord(ctx, journal.store, journal.storeLocations),
    newPair,
    mounted: journal.mountedDir ? new KeyDir(journal.mountedDir, show(ctx, journal.mountedDir)) : undefined,
    cliPath: journal.cliTomlPath ?? undefined,
    backupRoot: dirname(dir),
  };
  reporter.report.backupDir = display;
  reporter.report.keys = { fingerprint: newPair.fingerprint, source: 'resumed rotation' };
  if (plan.mounted) plan.mounted.inspect();
  if (s.dryRun) {
    reporter.action(`finish the rotation recorded in ${display} (store, mounted keys, token, each only if not done yet)`);
    return reporter.succeed();
  }
  await completeRotation(ctx, plan, dir, journal, true);
  await verifyRotation(ctx, plan);
  reporter.report.nextSteps.push(...restartSteps(ctx, plan.envs, !!plan.mounted));
  return reporter.succeed();
}

export async function runRotate(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);
  const envs = envsSharingKeys(s.env);
  const pending = findPendingRotations(backupRoot)[0];
  if (pending) {
    if (!pending.journal.envs.includes(s.env)) {
      throw new ToolError(
        'pending-rotation',
        `an interrupted rotation of ${pending.journal.envs.join('/')} is recorded in ${show(ctx, pending.dir)}; finish it first (run again with --env ${pending.journal.env} --yes) or roll back with --restore-backup ${show(ctx, pending.dir)} --yes.`,
      );
    }
    return resume(ctx, pending.dir, pending.journal);
  }

  // Pre-flight: read and check everything; nothing is written until all of it passed.
  reporter.progress('checking inputs');
  const store = openStore(ctx, true);
  const mountedPath = s.syncMounted ? resolveWriteTarget(s.mountedDir, show(ctx, s.mountedDir), '--mounted-keys-dir', s.followSymlinks) : undefined;
  const cliPath = s.preserveToken ? resolveWriteTarget(s.cliTomlPath, show(ctx, s.cliTomlPath), '--publisher-cli-toml-path', s.followSymlinks) : undefined;
  const mounted = mountedPath ? new KeyDir(mountedPath, show(ctx, mountedPath)) : undefined;
  mounted?.inspect();
  const storeBefore = envs.map((env) => ({ env, pair: store.read(env) }));
  const mountedBefore = mounted?.readRaw();

  let newPair: Keypair;
  if (s.privateKeyPath && s.publicKeyPath) {
    const privDisplay = show(ctx, s.privateKeyPath);
    const pubDisplay = show(ctx, s.publicKeyPath);
    newPair = Keypair.parse(readRequired(s.privateKeyPath, privDisplay, 'missing-key'), readRequired(s.publicKeyPath, pubDisplay, 'missing-key'), privDisplay, pubDisplay).normalised();
    reporter.report.keys.source = `${privDisplay} and ${pubDisplay}`;
  } else {
    newPair = Keypair.generate();
    reporter.report.keys.source = 'generated (P-256)';
  }
  // A given pair must not be another environment's (a generated one cannot be).
  for (const env of s.privateKeyPath ? ENVIRONMENTS : []) {
    if (envs.includes(env) || mustShare(env, s.env)) continue;
    if (storedFingerprint(store.read(env)) === newPair.fingerprint) {
      throw new ToolError('policy', `the pair to install is already ${store.describe(env)}'s; ${env} and ${s.env} must not share a keypair. Use another pair.`);
    }
  }
  const replaced = [...storeBefore.map((entry) => storedFingerprint(entry.pair)), mountedBefore ? storedFingerprint(mountedBefore) : undefined].filter(
    (fp): fp is string => fp !== undefined && fp !== newPair.fingerprint,
  );
  const prepared = cliPath ? await prepareResign(cliPath, show(ctx, cliPath), newPair, now(ctx), replaced) : undefined;

  probeWritable(backupRoot, show(ctx, backupRoot));
  store.preflightWrite(envs);
  if (mounted) probeWritable(mounted.path, mounted.display);
  if (cliPath) probeWritable(dirname(cliPath), show(ctx, dirname(cliPath)));

  const previous = storedFingerprint(storeBefore.find((entry) => entry.env === s.env)?.pair ?? { privatePem: undefined, publicPem: undefined }) ?? (mountedBefore ? storedFingerprint(mountedBefore) : undefined);
  reporter.report.keys.previousFingerprint = previous ?? null;
  if (prepared) {
    reporter.report.identityBefore = prepared.identityBefore;
    for (const note of prepared.serverKeyNotes) reporter.warn(note);
    if (prepared.droppedExp !== undefined) reporter.warn('the token had a numeric exp; the re-signed token has none, so it does not expire');
  } else {
    reporter.warn(
      'the publisher token was left alone (--no-preserve-publisher-token): after the restart, tokens signed by the old key get 401. Re-sign the cached token with --resign-token-only (same identity) rather than logging in again (new identity, 403 on its databases).',
    );
  }

  const plan: RotationPlan = { envs, store, newPair, mounted, cliPath, backupRoot };
  if (s.dryRun) {
    reporter.report.keys.fingerprint = s.privateKeyPath ? newPair.fingerprint : null;
    reporter.action(`back up the current keys${cliPath ? ' and cli.toml' : ''} into a new directory under ${show(ctx, backupRoot)}`);
    for (const env of envs) reporter.action(`write ${s.privateKeyPath ? 'the given pair' : 'a new P-256 pair'} to ${store.describe(env)}`);
    if (mounted) reporter.action(`switch ${mounted.display} to it atomically`);
    if (prepared) reporter.action(`re-sign the token in ${prepared.display}, keeping identity ${prepared.identityBefore}`);
    return reporter.succeed();
  }

  const items: BackupItem[] = storeBefore
    .filter((entry) => hasAny(entry.pair))
    .map((entry) => ({
      entry: { kind: 'store', env: entry.env, store: store.kind, location: store.location(entry.env), dir: `store-${entry.env}`, privateKey: !!entry.pair.privatePem, publicKey: !!entry.pair.publicPem },
      pair: entry.pair,
    }));
  if (mounted && mountedBefore && hasAny(mountedBefore)) {
    items.push({ entry: { kind: 'mounted', path: mounted.path, dir: 'mounted', privateKey: !!mountedBefore.privatePem, publicKey: !!mountedBefore.publicPem }, pair: mountedBefore });
  }
  if (prepared) items.push({ entry: { kind: 'cli-toml', path: prepared.path, file: 'cli.toml', present: true, mode: prepared.mode }, bytes: prepared.original });
  const at = now(ctx).toISOString();
  const journal: Journal = {
    state: 'pending',
    env: s.env,
    envs,
    store: store.kind,
    storeLocations: Object.fromEntries(envs.map((env) => [env, store.location(env)])),
    mountedDir: mounted?.path ?? null,
    cliTomlPath: cliPath ?? null,
    newFingerprint: newPair.fingerprint,
    startedAt: at,
    updatedAt: at,
  };
  reporter.progress(`backing up into ${show(ctx, backupRoot)}`);
  const backupDir = createBackup(backupRoot, { mode: 'rotate', env: s.env, now: now(ctx), items, journal, newPair });
  reporter.report.backupDir = show(ctx, backupDir);
  reporter.action(`backed up the current keys${prepared ? ' and cli.toml' : ''} to ${show(ctx, backupDir)}`);
  reporter.detail(`new key fingerprint ${fingerprintOfPublicKey(newPair.publicKey)}`);

  await completeRotation(ctx, plan, backupDir, journal, false);
  await verifyRotation(ctx, plan);
  if (reporter.report.identityBefore && reporter.report.identityAfter && reporter.report.identityBefore !== reporter.report.identityAfter) {
    reporter.addChecks([{ name: 'identity-preserved', ok: false, message: `identity changed from ${reporter.report.identityBefore} to ${reporter.report.identityAfter}` }]);
  }
  reporter.report.nextSteps.push(...restartSteps(ctx, envs, !!mounted));
  return reporter.succeed();
}
