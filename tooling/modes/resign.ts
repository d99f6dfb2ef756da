// --resign-token-only: re-sign the publisher token in cli.toml with the mounted (or given) key, when the
// old token verifies against a key this tool trusts.
import { createPublicKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createBackup } from '../store/backup';
import { show, now, readRequired, writingPhase, type Context } from '../engine/context';
import { guardedRun } from '../engine/preflight';
import { refuseIfPendingRotation } from '../engine/pending';
import { applyResign, prepareResign, unverifiedWarning, type PreparedResign, type SigningKeys } from '../engine/resign-token';
import { trustedKeys } from '../engine/trusted-keys';
import { EXIT_CHECK_FAILED } from '../core/errors';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import { probeWritable, resolveWriteTarget } from '../fs/fs-guard';
import { KeyDir, PRIVATE_NAME, PUBLIC_NAME } from '../keys/key-dir';
import { keysMatch, loadPrivateKey, loadPublicKey, mismatchedPair } from '../keys/keypair';
import { checkServerAcceptsToken } from '../checks/server-check';
import { inspectToken } from '../checks/token-checks';

interface SigningKeyFiles {
  keys: SigningKeys;
  privateDisplay: string;
  publicDisplay: string;
}

/** Loads the keys to re-sign with: the private key, and the public key it must match. */
function loadSigningKeys(ctx: Context): SigningKeyFiles {
  const s = ctx.settings;
  const privatePath = s.privateKeyPath ?? join(s.mountedDir, PRIVATE_NAME);
  const privateDisplay = show(ctx, privatePath);
  const privateKey = loadPrivateKey(readRequired(privatePath, privateDisplay, 'missing-key', s.privateKeyPath ? '' : 'Pass --private-key-path, or --mounted-keys-dir.'), privateDisplay);
  // The public key: the one given, else the one beside a mounted private key, else the private key's own half.
  const publicPath = s.publicKeyPath ?? (s.privateKeyPath ? undefined : join(s.mountedDir, PUBLIC_NAME));
  if (!publicPath) return { keys: { privateKey, publicKey: createPublicKey(privateKey) }, privateDisplay, publicDisplay: `${privateDisplay} (public half)` };
  const publicDisplay = show(ctx, publicPath);
  const hint = `Only one of the pair is there: ${privateDisplay} exists. Restore ${publicDisplay} (openssl pkey -in ${privateDisplay} -pubout -out ${publicDisplay}).`;
  const publicKey = loadPublicKey(readRequired(publicPath, publicDisplay, 'missing-key', hint), publicDisplay);
  if (!keysMatch(privateKey, publicKey)) throw mismatchedPair(privateDisplay, publicDisplay);
  return { keys: { privateKey, publicKey }, privateDisplay, publicDisplay };
}

async function planResign(ctx: Context, cliPath: string, backupRoot: string): Promise<{ prepared: PreparedResign; signing: SigningKeyFiles }> {
  const { settings: s, reporter } = ctx;
  reporter.progress(`reading ${show(ctx, cliPath)} and the signing key`);
  const signing = loadSigningKeys(ctx);
  const trust = {
    keys: trustedKeys(ctx, { mounted: new KeyDir(s.mountedDir, show(ctx, s.mountedDir)), signingKey: { label: signing.publicDisplay, key: signing.keys.publicKey }, backupRoot }),
    allowUnverified: s.resignUnverified,
  };
  const prepared = await prepareResign(cliPath, show(ctx, cliPath), signing.keys, now(ctx), trust);
  reporter.report.identityBefore = prepared.identityBefore;
  reporter.report.identityAfter = prepared.identityAfter;
  reporter.report.keys = { fingerprint: fingerprintOfPublicKey(signing.keys.publicKey), privateKeyPath: signing.privateDisplay, publicKeyPath: signing.publicDisplay };
  for (const note of prepared.serverKeyNotes) reporter.warn(note);
  if (prepared.droppedExp !== undefined) reporter.warn(`dropped the exp claim (${new Date(prepared.droppedExp * 1000).toISOString()}) so the re-signed token does not expire`);
  reporter.detail(prepared.signedBy ? `old signature verifies against ${prepared.signedBy}` : 'old signature does not verify against any trusted key');
  reporter.detail(`token claims: iss=${prepared.iss} sub=${prepared.sub}; ${prepared.quoting} string kept`);
  return { prepared, signing };
}

async function verifyResign(ctx: Context, prepared: PreparedResign, signing: SigningKeyFiles): Promise<number> {
  const { settings: s, reporter } = ctx;
  const inspection = await inspectToken(prepared.path, prepared.display, signing.keys.publicKey, signing.publicDisplay, now(ctx));
  const checks = [...inspection.checks];
  if (s.serverUrl) checks.push(await checkServerAcceptsToken(s.serverUrl, inspection.claims?.identity, inspection.decoded?.raw));
  reporter.addChecks(checks);
  reporter.report.token = inspection.summary;
  if (inspection.summary.identity && inspection.summary.identity !== prepared.identityBefore) {
    return reporter.fail('identity-changed', `${prepared.display}: the identity changed from ${prepared.identityBefore} to ${inspection.summary.identity}`, EXIT_CHECK_FAILED);
  }
  reporter.report.nextSteps.push(
    s.serverUrl
      ? 'Nothing to restart: the token is accepted as shown by the server checks above.'
      : 'Check that the running server accepts it: spacetimedb-tooling --verify-only --server-url <URL> (expects HTTP 204).',
  );
  return reporter.succeed(` identity=${prepared.identityAfter}`);
}

export async function runResign(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const cliPath = resolveWriteTarget(s.cliTomlPath, show(ctx, s.cliTomlPath), '--publisher-cli-toml-path', s.followSymlinks);
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);
  const probe = (): void => {
    probeWritable(backupRoot, show(ctx, backupRoot));
    probeWritable(dirname(cliPath), show(ctx, dirname(cliPath)));
  };
  return guardedRun(ctx, { backupRoot, cliToml: cliPath }, probe, async () => {
    refuseIfPendingRotation(ctx, backupRoot);
    const { prepared, signing } = await planResign(ctx, cliPath, backupRoot);
    const loud = unverifiedWarning(prepared);
    if (loud) reporter.alarm(loud);
    if (s.dryRun) {
      reporter.action(`back up ${prepared.display} into a new directory under ${show(ctx, backupRoot)}`);
      reporter.action(`re-sign the token in ${prepared.display} with ${signing.privateDisplay}, keeping identity ${prepared.identityBefore}`);
      return reporter.succeed();
    }
    const backupDir = createBackup(backupRoot, {
      mode: 'resign',
      env: undefined,
      now: now(ctx),
      items: [{ entry: { kind: 'cli-toml', path: cliPath, file: 'cli.toml', present: true, mode: prepared.mode }, bytes: prepared.original }],
    });
    const backupDisplay = show(ctx, backupDir);
    reporter.report.backupDir = backupDisplay;
    reporter.action(`backed up ${prepared.display} to ${backupDisplay}`);
    await writingPhase(backupDisplay, 'the same command', () => applyResign(prepared, 'cli-toml'));
    reporter.action(`re-signed the token in ${prepared.display} (identity ${prepared.identityAfter} unchanged)`);
    return verifyResign(ctx, prepared, signing);
  });
}
