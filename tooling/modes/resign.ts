// --resign-token-only: re-sign the publisher token in cli.toml with the mounted (or given) key.
import { createPublicKey } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createBackup, findPendingRotations } from '../store/backup';
import { show, now, readRequired, writingPhase, type Context } from '../engine/context';
import { applyResign, prepareResign, type SigningKeys } from '../engine/resign-token';
import { EXIT_CHECK_FAILED, ToolError } from '../core/errors';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import { probeWritable, resolveWriteTarget } from '../fs/fs-guard';
import { PRIVATE_NAME, PUBLIC_NAME } from '../keys/key-dir';
import { analysePrivateKey, analysePublicKey, curveProblem, keysMatch } from '../keys/keypair';
import { checkServerAcceptsToken } from '../checks/server-check';
import { inspectToken } from '../checks/key-checks';

/** Loads the keys to re-sign with: the private key, and the public key it must match. */
function loadSigningKeys(ctx: Context): { keys: SigningKeys; privateDisplay: string; publicDisplay: string } {
  const s = ctx.settings;
  const privatePath = s.privateKeyPath ?? join(s.mountedDir, PRIVATE_NAME);
  const privateDisplay = show(ctx, privatePath);
  const priv = analysePrivateKey(readRequired(privatePath, privateDisplay, 'missing-key', s.privateKeyPath ? '' : 'Pass --private-key-path, or --mounted-keys-dir.'), privateDisplay);
  if (priv.formatProblem) throw new ToolError('bad-private-key', priv.formatProblem);
  const curve = curveProblem(privateDisplay, priv.keyType, priv.curve);
  if (curve || !priv.key) throw new ToolError('bad-private-key', curve ?? `${privateDisplay}: unreadable`);
  // The public key: the one given, else the one beside a mounted private key, else the private key's own half.
  const publicPath = s.publicKeyPath ?? (s.privateKeyPath ? undefined : join(s.mountedDir, PUBLIC_NAME));
  if (!publicPath) return { keys: { privateKey: priv.key, publicKey: createPublicKey(priv.key) }, privateDisplay, publicDisplay: `${privateDisplay} (public half)` };
  const publicDisplay = show(ctx, publicPath);
  const pub = analysePublicKey(
    readRequired(publicPath, publicDisplay, 'missing-key', `Only one of the pair is there: ${privateDisplay} exists. Restore ${publicDisplay} (openssl pkey -in ${privateDisplay} -pubout -out ${publicDisplay}).`),
    publicDisplay,
  );
  if (pub.formatProblem) throw new ToolError('bad-public-key', pub.formatProblem);
  const pubCurve = curveProblem(publicDisplay, pub.keyType, pub.curve);
  if (pubCurve || !pub.key) throw new ToolError('bad-public-key', pubCurve ?? `${publicDisplay}: unreadable`);
  if (!keysMatch(priv.key, pub.key)) {
    throw new ToolError(
      'mismatched-pair',
      `${publicDisplay}: does not belong to ${privateDisplay}; a token signed with this private key would not verify against it. Derive it again: openssl pkey -in ${privateDisplay} -pubout -out ${publicDisplay}`,
    );
  }
  return { keys: { privateKey: priv.key, publicKey: pub.key }, privateDisplay, publicDisplay };
}

export async function runResign(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const pending = findPendingRotations(s.backupDir)[0];
  if (pending) {
    throw new ToolError(
      'pending-rotation',
      `an interrupted rotation of ${pending.journal.env} is recorded in ${show(ctx, pending.dir)}; finish it first (run the rotation again with --env ${pending.journal.env} --yes) or roll back with --restore-backup ${show(ctx, pending.dir)} --yes.`,
    );
  }
  const cliPath = resolveWriteTarget(s.cliTomlPath, show(ctx, s.cliTomlPath), '--publisher-cli-toml-path', s.followSymlinks);
  const backupRoot = resolveWriteTarget(s.backupDir, show(ctx, s.backupDir), '--backup-dir', s.followSymlinks);
  const cliDisplay = show(ctx, cliPath);
  reporter.progress(`reading ${cliDisplay} and the signing key`);
  const { keys, privateDisplay, publicDisplay } = loadSigningKeys(ctx);
  const prepared = await prepareResign(cliPath, cliDisplay, keys, now(ctx));
  reporter.report.identityBefore = prepared.identityBefore;
  reporter.report.identityAfter = prepared.identityAfter;
  reporter.report.keys = { fingerprint: fingerprintOfPublicKey(keys.publicKey), privateKeyPath: privateDisplay, publicKeyPath: publicDisplay };
  for (const note of prepared.serverKeyNotes) reporter.warn(note);
  if (prepared.droppedExp !== undefined) reporter.warn(`dropped the exp claim (${new Date(prepared.droppedExp * 1000).toISOString()}) so the re-signed token does not expire`);
  reporter.detail(`old signature ${prepared.oldSignatureValid ? 'already verifies' : 'does not verify'} against ${publicDisplay}`);
  reporter.detail(`token claims: iss=${prepared.iss} sub=${prepared.sub}; ${prepared.quoting} string kept`);
  probeWritable(backupRoot, show(ctx, backupRoot));
  probeWritable(dirname(cliPath), show(ctx, dirname(cliPath)));
  if (s.dryRun) {
    reporter.action(`back up ${cliDisplay} into a new directory under ${show(ctx, backupRoot)}`);
    reporter.action(`re-sign the token in ${cliDisplay} with ${privateDisplay}, keeping identity ${prepared.identityBefore}`);
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
  reporter.action(`backed up ${cliDisplay} to ${backupDisplay}`);
  await writingPhase(backupDisplay, 'the same command', () => applyResign(prepared, 'cli-toml'));
  reporter.action(`re-signed the token in ${cliDisplay} (identity ${prepared.identityAfter} unchanged)`);
  const inspection = await inspectToken(cliPath, cliDisplay, keys.publicKey, publicDisplay, now(ctx));
  const checks = [...inspection.checks];
  if (s.serverUrl) checks.push(await checkServerAcceptsToken(s.serverUrl, inspection.claims?.identity, inspection.decoded?.raw));
  const result = { checks, token: inspection.summary };
  reporter.addChecks(result.checks);
  reporter.report.token = result.token;
  if (result.token?.identity && result.token.identity !== prepared.identityBefore) {
    return reporter.fail('identity-changed', `${cliDisplay}: the identity changed from ${prepared.identityBefore} to ${result.token.identity}`, EXIT_CHECK_FAILED);
  }
  reporter.report.nextSteps.push(
    s.serverUrl
      ? 'Nothing to restart: the token is accepted as shown by the server checks above.'
      : 'Check that the running server accepts it: spacetimedb-tooling --verify-only --server-url <URL> (expects HTTP 204).',
  );
  return reporter.succeed(` identity=${prepared.identityAfter}`);
}
