// --restore-backup DIR: put back what a backup saved (store pairs, mounted keys, cli.toml), after
// backing up the current state of the same places. A pending rotation journal in DIR is marked
// rolled-back first, so no later run tries to finish that rotation. Interrupted? Run it again.
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../core/types';
import { writeFileAtomic } from '../fs/atomic-write';
import { createBackup, readBackupPair, readJournal, readManifest, updateJournal, type BackupEntry, type BackupItem } from '../store/backup';
import { now, readRequired, show, storeFromRecord, writingPhase, type Context } from '../engine/context';
import { ToolError } from '../core/errors';
import { probeWritable, resolveWriteTarget } from '../fs/fs-guard';
import { KeyDir, PRIVATE_NAME, PUBLIC_NAME, readIfPresent, type PemPair, type RawPair } from '../keys/key-dir';
import { Keypair } from '../keys/keypair';
import { hasAny, type KeyStore } from '../store/store';
import { keySourceFromFiles, verify, type KeySource } from '../checks/key-checks';

interface RestoreStep {
  entry: BackupEntry;
  pair?: PemPair;
  bytes?: Buffer;
  target: string;
  store?: KeyStore;
  keyDir?: KeyDir;
}

function completePair(raw: RawPair, display: string): PemPair {
  if (!raw.privatePem || !raw.publicPem) throw new ToolError('bad-backup', `${display}: holds only half a pair; restore it by hand if you need it.`);
  // Checked to be a valid pair so a restore never installs something the server cannot start with.
  Keypair.parse(raw.privatePem, raw.publicPem, `${display}/${PRIVATE_NAME}`, `${display}/${PUBLIC_NAME}`);
  return { privatePem: raw.privatePem, publicPem: raw.publicPem };
}

export async function runRestore(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const dir = s.restoreFrom as string;
  const display = show(ctx, dir);
  const manifest = readManifest(dir, display);
  const journal = readJournal(dir);
  reporter.report.env = manifest.env;
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);

  const steps: RestoreStep[] = [];
  for (const entry of manifest.entries) {
    if (entry.kind === 'cli-toml') {
      if (!entry.present) continue;
      const target = resolveWriteTarget(entry.path, show(ctx, entry.path), '--publisher-cli-toml-path', s.followSymlinks);
      steps.push({ entry, bytes: readRequired(join(dir, entry.file), `${display}/${entry.file}`, 'bad-backup'), target });
    } else if (entry.kind === 'mounted') {
      const target = resolveWriteTarget(entry.path, show(ctx, entry.path), '--mounted-keys-dir', s.followSymlinks);
      const keyDir = new KeyDir(target, show(ctx, target));
      keyDir.inspect();
      steps.push({ entry, pair: completePair(readBackupPair(join(dir, entry.dir), `${display}/${entry.dir}`), `${display}/${entry.dir}`), target, keyDir });
    } else {
      const store = storeFromRecord(ctx, entry.store, { [entry.env]: entry.location });
      steps.push({ entry, pair: completePair(readBackupPair(join(dir, entry.dir), `${display}/${entry.dir}`), `${display}/${entry.dir}`), target: store.describe(entry.env), store });
    }
  }
  if (steps.length === 0) throw new ToolError('empty-backup', `${display}: holds nothing to restore (the run that wrote it found no keys and no cli.toml).`);

  // Pre-flight, and what the pre-restore backup must save.
  probeWritable(backupRoot, show(ctx, backupRoot));
  const current: BackupItem[] = [];
  for (const step of steps) {
    const entry = step.entry;
    if (entry.kind === 'cli-toml') {
      probeWritable(dirname(step.target), show(ctx, dirname(step.target)));
      const bytes = readIfPresent(step.target, show(ctx, step.target));
      let mode: number | undefined;
      try {
        mode = statSync(step.target).mode & 0o7777;
      } catch {
        mode = undefined;
      }
      current.push({ entry: { ...entry, path: step.target, present: bytes !== undefined, mode }, bytes });
    } else if (entry.kind === 'mounted' && step.keyDir) {
      probeWritable(step.keyDir.path, step.keyDir.display);
      const pair = step.keyDir.readRaw();
      if (hasAny(pair)) current.push({ entry: { ...entry, path: step.target, privateKey: !!pair.privatePem, publicKey: !!pair.publicPem }, pair });
    } else if (entry.kind === 'store' && step.store) {
      step.store.preflightWrite([entry.env]);
      const pair = step.store.read(entry.env);
      if (hasAny(pair)) current.push({ entry: { ...entry, privateKey: !!pair.privatePem, publicKey: !!pair.publicPem }, pair });
    }
  }
  const describe = (step: RestoreStep): string => (step.entry.kind === 'cli-toml' ? show(ctx, step.target) : step.entry.kind === 'mounted' ? `${show(ctx, step.target)} (mounted keys)` : step.target);
  if (s.dryRun) {
    reporter.action(`back up the current state into a new directory under ${show(ctx, backupRoot)}`);
    for (const step of steps) reporter.action(`restore ${describe(step)} from ${display}`);
    if (journal?.state === 'pending') reporter.action(`mark the interrupted rotation in ${display} as rolled back`);
    return reporter.succeed();
  }
  const safety = createBackup(backupRoot, { mode: 'pre-restore', env: manifest.env, now: now(ctx), items: current });
  const safetyDisplay = show(ctx, safety);
  reporter.report.backupDir = safetyDisplay;
  reporter.action(`backed up the current state to ${safetyDisplay}`);
  await writingPhase(safetyDisplay, `--restore-backup ${display} --yes`, () => {
    if (journal?.state === 'pending') {
      updateJournal(dir, journal, 'rolled-back', now(ctx), 'journal:rolled-back');
      reporter.action(`marked the interrupted rotation in ${display} as rolled back`);
    }
    for (const step of steps) {
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
      reporter.action(`restored ${describe(step)}`);
    }
  });

  // Verify what was restored: the mounted keys if the backup had them, else the store's pair.
  const mountedStep = steps.find((step) => step.entry.kind === 'mounted');
  const storeStep = steps.find((step) => step.entry.kind === 'store' && (step.entry as { env: Env }).env === manifest.env) ?? steps.find((step) => step.entry.kind === 'store');
  const cliStep = steps.find((step) => step.entry.kind === 'cli-toml');
  let keys: KeySource | undefined;
  if (mountedStep?.keyDir) {
    const keyDir = mountedStep.keyDir;
    keys = keySourceFromFiles(keyDir.privatePath, keyDir.publicPath, `${keyDir.display}/${PRIVATE_NAME}`, `${keyDir.display}/${PUBLIC_NAME}`);
  } else if (storeStep?.pair) {
    keys = { privateDisplay: `${storeStep.target} private key`, publicDisplay: `${storeStep.target} public key`, privatePem: storeStep.pair.privatePem, publicPem: storeStep.pair.publicPem };
  } else if (cliStep) {
    // Only cli.toml was restored: check its token against this host's mounted keys.
    const keyDir = new KeyDir(s.mountedDir, show(ctx, s.mountedDir));
    keys = keySourceFromFiles(keyDir.privatePath, keyDir.publicPath, `${keyDir.display}/${PRIVATE_NAME}`, `${keyDir.display}/${PUBLIC_NAME}`);
  }
  if (keys) {
    const result = await verify({
      env: manifest.env ?? s.env,
      keys,
      store: undefined,
      storeSkipReason: 'a restore puts back single environments; run --verify-only to check the policy across all of them',
      cliToml: cliStep ? { path: cliStep.target, display: show(ctx, cliStep.target) } : undefined,
      serverUrl: undefined,
      now: now(ctx),
      pendingRotation: undefined,
    });
    reporter.addChecks(result.checks);
    reporter.report.keys.fingerprint = result.fingerprint;
    reporter.report.token = result.token;
  }
  if (mountedStep || storeStep) reporter.report.nextSteps.push('Restart SpacetimeDB so it loads the restored keys (it reads them only at start-up).');
  return reporter.succeed();
}
