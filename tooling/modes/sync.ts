// --sync-only: put the store's pair for an environment into this host's mounted key directory
// (atomically, LF line endings), without generating anything. For the other hosts of a rotated
// environment, or to repair a mounted directory.
import { createBackup, findPendingRotations } from '../store/backup';
import { now, openStore, show, writingPhase, type Context } from '../engine/context';
import { ToolError } from '../core/errors';
import { probeWritable, resolveWriteTarget } from '../fs/fs-guard';
import { KeyDir, PRIVATE_NAME, PUBLIC_NAME } from '../keys/key-dir';
import { Keypair } from '../keys/keypair';
import { hasAny } from '../store/store';
import { keySourceFromFiles, verify } from '../checks/key-checks';

export async function runSync(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const pending = findPendingRotations(s.backupDir)[0];
  if (pending) {
    throw new ToolError(
      'pending-rotation',
      `an interrupted rotation of ${pending.journal.envs.join('/')} is recorded in ${show(ctx, pending.dir)}; finish it first (run the rotation again with --env ${pending.journal.env} --yes) or roll back with --restore-backup ${show(ctx, pending.dir)} --yes.`,
    );
  }
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);
  const mountedPath = resolveWriteTarget(s.mountedDir, show(ctx, s.mountedDir), '--mounted-keys-dir', s.followSymlinks);
  const mounted = new KeyDir(mountedPath, show(ctx, mountedPath));
  const store = openStore(ctx, false);
  const where = store.describe(s.env);
  reporter.progress(`reading ${where}`);
  const stored = store.read(s.env);
  if (!stored.privatePem && !stored.publicPem) {
    throw new ToolError('store-empty', `${where}: holds no keypair for ${s.env}. Rotate first (--env ${s.env} --yes), or check --store and --store-dir.`);
  }
  if (!stored.privatePem || !stored.publicPem) {
    throw new ToolError('incomplete-pair', `${where}: holds only the ${stored.privatePem ? 'private' : 'public'} key of ${s.env}; refusing to install half a pair. Rotate ${s.env} to write a complete one.`);
  }
  const pair = Keypair.parse(stored.privatePem, stored.publicPem, `${where} private key`, `${where} public key`).normalised();
  mounted.inspect();
  const before = mounted.readRaw();
  reporter.report.keys = { fingerprint: pair.fingerprint, privateKeyPath: `${mounted.display}/${PRIVATE_NAME}`, publicKeyPath: `${mounted.display}/${PUBLIC_NAME}`, source: where };
  const already = !!before.privatePem?.equals(pair.privatePem) && !!before.publicPem?.equals(pair.publicPem);
  if (already) {
    reporter.action(`${mounted.display} already holds ${where}'s pair; nothing to change`);
  } else {
    probeWritable(backupRoot, show(ctx, backupRoot));
    probeWritable(mounted.path, mounted.display);
    if (s.dryRun) {
      reporter.action(`back up ${mounted.display} into a new directory under ${show(ctx, backupRoot)}`);
      reporter.action(`switch ${mounted.display} to ${where}'s pair atomically`);
      return reporter.succeed();
    }
    const backupDir = createBackup(backupRoot, {
      mode: 'sync',
      env: s.env,
      now: now(ctx),
      items: hasAny(before)
        ? [{ entry: { kind: 'mounted', path: mounted.path, dir: 'mounted', privateKey: !!before.privatePem, publicKey: !!before.publicPem }, pair: before }]
        : [],
    });
    const backupDisplay = show(ctx, backupDir);
    reporter.report.backupDir = backupDisplay;
    reporter.action(`backed up ${mounted.display} to ${backupDisplay}`);
    await writingPhase(backupDisplay, 'the same command', () => mounted.install(pair, 'mounted', now(ctx)));
    reporter.action(`switched ${mounted.display} to ${where}'s pair (atomic)`);
  }
  if (s.dryRun) return reporter.succeed();
  const result = await verify({
    env: s.env,
    keys: keySourceFromFiles(mounted.privatePath, mounted.publicPath, `${mounted.display}/${PRIVATE_NAME}`, `${mounted.display}/${PUBLIC_NAME}`),
    store,
    cliToml: undefined,
    serverUrl: undefined,
    now: now(ctx),
    pendingRotation: undefined,
  });
  reporter.addChecks(result.checks);
  if (!already) reporter.report.nextSteps.push('Restart SpacetimeDB so it loads these keys (it reads them only at start-up).');
  reporter.report.nextSteps.push(
    `If this host's cli.toml holds the publisher token, make sure it verifies: spacetimedb-tooling --verify-only --env ${s.env} (re-sign with --resign-token-only --yes if not).`,
  );
  return reporter.succeed();
}
