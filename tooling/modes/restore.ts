// --restore-backup DIR: put back what a backup saved (store pairs, mounted keys, cli.toml), after
// backing up the current state of the same places. A pending rotation journal in DIR is marked
// rolled-back first, so no later run tries to finish that rotation. Interrupted? Run it again.
//
// A backup is trusted only when the user running the tool owns it and no one else can write it, and its
// manifest has exactly the shape this tool writes. Every place it names must be one this run's flags
// name (--mounted-keys-dir, --publisher-cli-toml-path, --store/--store-dir/--azure-vaults): a restore
// never writes anywhere else, and every check happens before the first write.
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../core/types';
import { writeFileAtomic } from '../fs/atomic-write';
import { createBackup, readBackupPair, readJournal, readManifest, updateJournal, type BackupEntry, type BackupItem, type Journal, type Manifest } from '../store/backup';
import { now, openStore, readRequired, show, storeDirFor, writingPhase, type Context } from '../engine/context';
import { guardedPaths, guardedRun, type Places } from '../engine/preflight';
import { ToolError } from '../core/errors';
import { probeWritable, realLocation, resolveWriteTarget } from '../fs/fs-guard';
import { KeyDir, PRIVATE_NAME, PUBLIC_NAME, readIfPresent, type PemPair, type RawPair } from '../keys/key-dir';
import { Keypair } from '../keys/keypair';
import { hasAny, type KeyStore } from '../store/store';
import { keySourceFromFiles, type KeySource } from '../checks/key-checks';
import { verify } from '../checks/verify-checks';

interface RestoreStep {
  entry: BackupEntry;
  pair?: PemPair;
  bytes?: Buffer;
  target: string;
  store?: KeyStore;
  keyDir?: KeyDir;
}

interface RestorePlan {
  dir: string;
  display: string;
  manifest: Manifest;
  journal: Journal | undefined;
  backupRoot: string;
  places: Places;
  steps: RestoreStep[];
}

function completePair(raw: RawPair, display: string): PemPair {
  if (!raw.privatePem || !raw.publicPem) throw new ToolError('bad-backup', `${display}: holds only half a pair; restore it by hand if you need it.`);
  // Checked to be a valid pair so a restore never installs something the server cannot start with.
  Keypair.parse(raw.privatePem, raw.publicPem, `${display}/${PRIVATE_NAME}`, `${display}/${PUBLIC_NAME}`);
  return { privatePem: raw.privatePem, publicPem: raw.publicPem };
}

function notThisRun(display: string, saved: string, flag: string, current: string, fix: string): ToolError {
  return new ToolError(
    'backup-paths',
    `${display}/manifest.json: saved ${saved}, but this run's ${flag} is ${current}; a restore writes only where this run's flags point. If that is where it belongs, run the restore with ${fix}. Nothing was changed.`,
  );
}

/** The step that puts one entry back, refused unless the entry names a place this run's flags name. */
function bindEntry(ctx: Context, plan: Pick<RestorePlan, 'dir' | 'display'>, entry: BackupEntry): RestoreStep {
  const s = ctx.settings;
  const saved = (name: string): string => `${plan.display}/${name}`;
  if (entry.kind === 'cli-toml') {
    const target = resolveWriteTarget(s.cliTomlPath, show(ctx, s.cliTomlPath), '--publisher-cli-toml-path', s.followSymlinks);
    if (entry.path !== target) throw notThisRun(plan.display, `cli.toml of ${entry.path}`, '--publisher-cli-toml-path', show(ctx, target), `--publisher-cli-toml-path ${entry.path}`);
    return { entry, bytes: readRequired(join(plan.dir, entry.file), saved(entry.file), 'bad-backup', '', 'cliToml'), target };
  }
  if (entry.kind === 'mounted') {
    const target = resolveWriteTarget(s.mountedDir, show(ctx, s.mountedDir), '--mounted-keys-dir', s.followSymlinks);
    if (entry.path !== target) throw notThisRun(plan.display, `the mounted keys of ${entry.path}`, '--mounted-keys-dir', show(ctx, target), `--mounted-keys-dir ${entry.path}`);
    const keyDir = new KeyDir(target, show(ctx, target));
    return { entry, pair: completePair(readBackupPair(join(plan.dir, entry.dir), saved(entry.dir)), saved(entry.dir)), target, keyDir };
  }
  if (entry.store !== s.store) throw notThisRun(plan.display, `a --store ${entry.store} entry for ${entry.env}`, '--store', s.store, `--store ${entry.store}`);
  const location = entry.store === 'file' ? storeDirFor(ctx) : s.azureVaults[entry.env];
  if (entry.location !== location) {
    const [flag, fix] = entry.store === 'file' ? ['--store-dir', `--store-dir ${entry.location}`] : ['--azure-vaults', `--azure-vaults ${entry.env}=${entry.location}`];
    throw notThisRun(plan.display, `the store entry of ${entry.env} from ${entry.location}`, flag, entry.store === 'file' ? show(ctx, location) : location, fix);
  }
  const store = openStore(ctx, true);
  return { entry, pair: completePair(readBackupPair(join(plan.dir, entry.dir), saved(entry.dir)), saved(entry.dir)), target: store.describe(entry.env), store };
}

function planRestore(ctx: Context): RestorePlan {
  const s = ctx.settings;
  const dir = realLocation(s.restoreFrom as string);
  const display = show(ctx, s.restoreFrom as string);
  const manifest = readManifest(dirname(dir), dir, display);
  const journal = readJournal(dir, display);
  ctx.reporter.report.env = manifest.env;
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);
  const steps = manifest.entries.filter((entry) => entry.kind !== 'cli-toml' || entry.present).map((entry) => bindEntry(ctx, { dir, display }, entry));
  if (steps.length === 0) throw new ToolError('empty-backup', `${display}: holds nothing to restore (the run that wrote it found no keys and no cli.toml).`);
  const places: Places = { backupRoot };
  for (const step of steps) {
    if (step.entry.kind === 'cli-toml') places.cliToml = step.target;
    else if (step.entry.kind === 'mounted') places.mountedDir = step.target;
    else if (step.entry.store === 'file') places.storeDir = step.entry.location;
  }
  return { dir, display, manifest, journal, backupRoot, places, steps };
}

function probeRestore(ctx: Context, plan: RestorePlan): void {
  probeWritable(plan.backupRoot, show(ctx, plan.backupRoot));
  for (const step of plan.steps) {
    if (step.entry.kind === 'cli-toml') probeWritable(dirname(step.target), show(ctx, dirname(step.target)));
    else if (step.keyDir) {
      step.keyDir.inspect();
      probeWritable(step.keyDir.path, step.keyDir.display);
    } else if (step.entry.kind === 'store') step.store?.preflightWrite([step.entry.env]);
  }
}

/** What the pre-restore backup must save: the current state of every place the restore writes. */
function currentState(ctx: Context, steps: RestoreStep[]): BackupItem[] {
  const current: BackupItem[] = [];
  for (const step of steps) {
    const entry = step.entry;
    if (entry.kind === 'cli-toml') {
      const bytes = readIfPresent(step.target, show(ctx, step.target));
      current.push({ entry: { ...entry, path: step.target, present: bytes !== undefined, mode: bytes ? statSync(step.target).mode & 0o7777 : undefined }, bytes });
    } else if (entry.kind === 'mounted' && step.keyDir) {
      const pair = step.keyDir.readRaw();
      if (hasAny(pair)) current.push({ entry: { ...entry, path: step.target, privateKey: !!pair.privatePem, publicKey: !!pair.publicPem }, pair });
    } else if (entry.kind === 'store' && step.store) {
      const pair = step.store.read(entry.env);
      if (hasAny(pair)) current.push({ entry: { ...entry, privateKey: !!pair.privatePem, publicKey: !!pair.publicPem }, pair });
    }
  }
  return current;
}

function describeStep(ctx: Context, step: RestoreStep): string {
  if (step.entry.kind === 'cli-toml') return show(ctx, step.target);
  return step.entry.kind === 'mounted' ? `${show(ctx, step.target)} (mounted keys)` : step.target;
}

function restoreStep(ctx: Context, step: RestoreStep): void {
  const entry = step.entry;
  if (entry.kind === 'cli-toml' && step.bytes) {
    let owner;
    try {
      const stat = statSync(step.target);
      owner = { uid: stat.uid, gid: stat.gid };
    } catch {
      owner = undefined;
    }
    writeFileAtomic(step.target, step.bytes, { mode: entry.mode ?? 0o600, owner, label: 'restore:cli-toml' });
  } else if (entry.kind === 'mounted' && step.keyDir && step.pair) {
    step.keyDir.install(step.pair, 'restore:mounted', now(ctx));
  } else if (entry.kind === 'store' && step.store && step.pair) {
    step.store.write(entry.env, step.pair, `restore:store:${entry.env}`, now(ctx));
  }
}

async function applyRestore(ctx: Context, plan: RestorePlan): Promise<void> {
  const { reporter } = ctx;
  const safety = createBackup(plan.backupRoot, { mode: 'pre-restore', env: plan.manifest.env, now: now(ctx), items: currentState(ctx, plan.steps) });
  const safetyDisplay = show(ctx, safety);
  reporter.report.backupDir = safetyDisplay;
  reporter.action(`backed up the current state to ${safetyDisplay}`);
  await writingPhase(safetyDisplay, `--restore-backup ${plan.display} --yes`, () => {
    if (plan.journal?.state === 'pending') {
      updateJournal(plan.dir, plan.journal, 'rolled-back', now(ctx), 'journal:rolled-back');
      reporter.action(`marked the interrupted rotation in ${plan.display} as rolled back`);
    }
    for (const step of plan.steps) {
      restoreStep(ctx, step);
      reporter.action(`restored ${describeStep(ctx, step)}`);
    }
  });
}

/** Verifies what was restored: the mounted keys if the backup had them, else the store's pair. */
async function verifyRestore(ctx: Context, plan: RestorePlan): Promise<number> {
  const { settings: s, reporter } = ctx;
  const mountedStep = plan.steps.find((step) => step.entry.kind === 'mounted');
  const storeStep = plan.steps.find((step) => step.entry.kind === 'store' && (step.entry as { env: Env }).env === plan.manifest.env) ?? plan.steps.find((step) => step.entry.kind === 'store');
  const cliStep = plan.steps.find((step) => step.entry.kind === 'cli-toml');
  // Only cli.toml restored: check its token against this host's mounted keys.
  const keyDir = mountedStep?.keyDir ?? (storeStep ? undefined : new KeyDir(s.mountedDir, show(ctx, s.mountedDir)));
  let keys: KeySource | undefined;
  if (keyDir) keys = keySourceFromFiles(keyDir.privatePath, keyDir.publicPath, `${keyDir.display}/${PRIVATE_NAME}`, `${keyDir.display}/${PUBLIC_NAME}`);
  else if (storeStep?.pair) {
    keys = { privateDisplay: `${storeStep.target} private key`, publicDisplay: `${storeStep.target} public key`, privatePem: storeStep.pair.privatePem, publicPem: storeStep.pair.publicPem };
  }
  if (keys) {
    const result = await verify({
      env: plan.manifest.env ?? s.env,
      keys,
      keyDir,
      store: undefined,
      storeSkipReason: 'a restore puts back single environments; run --verify-only to check the policy across all of them',
      cliToml: cliStep ? { path: cliStep.target, display: show(ctx, cliStep.target) } : undefined,
      serverUrl: undefined,
      now: now(ctx),
      pendingRotation: undefined,
      guardedPaths: guardedPaths(ctx, plan.places),
    });
    reporter.addChecks(result.checks);
    reporter.report.keys.fingerprint = result.fingerprint;
    reporter.report.token = result.token;
  }
  if (mountedStep || storeStep) reporter.report.nextSteps.push('Restart SpacetimeDB so it loads the restored keys (it reads them only at start-up).');
  return reporter.succeed();
}

export async function runRestore(ctx: Context): Promise<number> {
  const plan = planRestore(ctx);
  return guardedRun(ctx, plan.places, () => probeRestore(ctx, plan), async () => {
    if (ctx.settings.dryRun) {
      ctx.reporter.action(`back up the current state into a new directory under ${show(ctx, plan.backupRoot)}`);
      for (const step of plan.steps) ctx.reporter.action(`restore ${describeStep(ctx, step)} from ${plan.display}`);
      if (plan.journal?.state === 'pending') ctx.reporter.action(`mark the interrupted rotation in ${plan.display} as rolled back`);
      return ctx.reporter.succeed();
    }
    await applyRestore(ctx, plan);
    return verifyRestore(ctx, plan);
  });
}
