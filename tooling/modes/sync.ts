// --sync-only: put the store's pair for an environment into this host's mounted key directory
// (atomically, LF line endings), without generating anything. For the other hosts of a rotated
// environment, or to repair a mounted directory.
import { createBackup } from '../store/backup';
import { now, openStore, show, storeDirFor, writingPhase, type Context } from '../engine/context';
import { completeSnapshot, refuseOtherEnvironmentsKeys } from '../engine/env-guard';
import { refuseIfPendingRotation } from '../engine/pending';
import { guardedPaths, guardedRun } from '../engine/preflight';
import { ToolError } from '../core/errors';
import { probeWritable, resolveWriteTarget } from '../fs/fs-guard';
import { KeyDir, PRIVATE_NAME, PUBLIC_NAME, samePair } from '../keys/key-dir';
import { Keypair } from '../keys/keypair';
import { hasAny, type KeyStore } from '../store/store';
import { keySourceFromFiles } from '../checks/key-checks';
import { verify } from '../checks/verify-checks';

/** The store's whole pair for --env, or a refusal naming what is missing. */
function storedPair(ctx: Context, store: KeyStore, mounted: KeyDir): Keypair {
  const env = ctx.settings.env;
  const where = store.describe(env);
  ctx.reporter.progress(`reading ${where}`);
  const stored = store.read(env);
  if (!stored.privatePem && !stored.publicPem) {
    throw new ToolError('store-empty', `${where}: holds no keypair for ${env}. Rotate first (--env ${env} --yes), or check --store and --store-dir.`);
  }
  if (!stored.privatePem || !stored.publicPem) {
    throw new ToolError('incomplete-pair', `${where}: holds only the ${stored.privatePem ? 'private' : 'public'} key of ${env}; refusing to install half a pair. Rotate ${env} to write a complete one.`);
  }
  const pair = Keypair.parse(stored.privatePem, stored.publicPem, `${where} private key`, `${where} public key`).normalised();
  const before = mounted.readRaw();
  refuseOtherEnvironmentsKeys(ctx, store, completeSnapshot(store, { [env]: stored }, before), before, mounted.display);
  return pair;
}

async function installPair(ctx: Context, mounted: KeyDir, pair: Keypair, backupRoot: string, where: string): Promise<void> {
  const { reporter } = ctx;
  const before = mounted.readRaw();
  const backupDir = createBackup(backupRoot, {
    mode: 'sync',
    env: ctx.settings.env,
    now: now(ctx),
    items: hasAny(before) ? [{ entry: { kind: 'mounted', path: mounted.path, dir: 'mounted', privateKey: !!before.privatePem, publicKey: !!before.publicPem }, pair: before }] : [],
  });
  const backupDisplay = show(ctx, backupDir);
  reporter.report.backupDir = backupDisplay;
  reporter.action(`backed up ${mounted.display} to ${backupDisplay}`);
  await writingPhase(backupDisplay, 'the same command', () => mounted.install(pair, 'mounted', now(ctx)));
  reporter.action(`switched ${mounted.display} to ${where}'s pair (atomic)`);
}

export async function runSync(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);
  const mountedPath = resolveWriteTarget(s.mountedDir, show(ctx, s.mountedDir), '--mounted-keys-dir', s.followSymlinks);
  const mounted = new KeyDir(mountedPath, show(ctx, mountedPath));
  const storeDir = s.store === 'file' ? storeDirFor(ctx) : undefined;
  const places = { backupRoot, mountedDir: mountedPath, storeDir };
  const probe = (): void => {
    mounted.inspect();
    probeWritable(backupRoot, show(ctx, backupRoot));
    probeWritable(mounted.path, mounted.display);
  };
  return guardedRun(ctx, places, probe, async () => {
    refuseIfPendingRotation(ctx, backupRoot);
    const store = openStore(ctx, true);
    const where = store.describe(s.env);
    const pair = storedPair(ctx, store, mounted);
    reporter.report.keys = { fingerprint: pair.fingerprint, privateKeyPath: `${mounted.display}/${PRIVATE_NAME}`, publicKeyPath: `${mounted.display}/${PUBLIC_NAME}`, source: where };
    const already = samePair(mounted.readRaw(), pair);
    if (already) reporter.action(`${mounted.display} already holds ${where}'s pair; nothing to change`);
    else if (s.dryRun) {
      reporter.action(`back up ${mounted.display} into a new directory under ${show(ctx, backupRoot)}`);
      reporter.action(`switch ${mounted.display} to ${where}'s pair atomically`);
      return reporter.succeed();
    } else await installPair(ctx, mounted, pair, backupRoot, where);
    if (s.dryRun) return reporter.succeed();
    const result = await verify({
      env: s.env,
      keys: keySourceFromFiles(mounted.privatePath, mounted.publicPath, `${mounted.display}/${PRIVATE_NAME}`, `${mounted.display}/${PUBLIC_NAME}`),
      keyDir: mounted,
      store,
      cliToml: undefined,
      serverUrl: undefined,
      now: now(ctx),
      pendingRotation: undefined,
      guardedPaths: guardedPaths(ctx, places),
    });
    reporter.addChecks(result.checks);
    if (!already) reporter.report.nextSteps.push('Restart SpacetimeDB so it loads these keys (it reads them only at start-up).');
    reporter.report.nextSteps.push(
      `If this host's cli.toml holds the publisher token, make sure it verifies: spacetimedb-tooling --verify-only --env ${s.env} (re-sign with --resign-token-only --yes if not).`,
    );
    return reporter.succeed();
  });
}
