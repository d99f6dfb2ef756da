// Re-signing the publisher token in cli.toml (--resign-token-only, and the last step of a rotation).
//
// Every claim is kept (hex_identity, sub, iss, aud and any extra claim, in their order); iat is
// refreshed, a numeric exp is dropped (a null exp stays, as the server writes it). The identity depends
// only on iss and sub, so it is the same before and after; the run fails if it were not.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeStaleTemps, writeFileAtomic, type Owner } from './atomic-write';
import { createBackup, findPendingRotations } from './backup';
import { CliToml, CliTomlProblem } from './cli-toml';
import { show, now, readRequired, writingPhase, type Context } from './context';
import { EXIT_CHECK_FAILED, ToolError } from './errors';
import { fingerprintOfPublicKey } from './fingerprint';
import { probeWritable, resolveWriteTarget } from './fs-guard';
import { PRIVATE_NAME, PUBLIC_NAME } from './key-dir';
import { analysePrivateKey, analysePublicKey, curveProblem, keysMatch } from './keypair';
import { TokenProblem, decodeToken, encodePayload, identityClaims, resignClaims, signToken, signatureValid } from './token';
import { checkServerAcceptsToken } from './server-check';
import { inspectToken } from './verify';

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface PreparedResign {
  path: string;
  display: string;
  original: Buffer;
  newText: string;
  identityBefore: string;
  identityAfter: string;
  oldSignatureValid: boolean;
  droppedExp: number | undefined;
  quoting: string | undefined;
  iss: string;
  sub: string;
  /** Notes about [[server_configs]] entries that save another public key than the signing one. */
  serverKeyNotes: string[];
  mode: number;
  owner: Owner;
}

function problem(reason: string, display: string, error: unknown): ToolError {
  const text = error instanceof TokenProblem || error instanceof CliTomlProblem || error instanceof Error ? error.message : String(error);
  return new ToolError(reason, `${display}: ${text}`);
}

/**
 * Reads cli.toml and computes its re-signed text; writes nothing. Throws a ToolError naming the file
 * for every input problem. `replacedFingerprints` are the keys being rotated out, to recognise a
 * saved ecdsa_public_key of this server.
 */
export async function prepareResign(path: string, display: string, keys: SigningKeys, at: Date, replacedFingerprints: readonly string[] = []): Promise<PreparedResign> {
  const original = readRequired(path, display, 'missing-cli-toml', 'Pass --publisher-cli-toml-path, or --no-preserve-publisher-token to leave the token alone.');
  const stat = statSync(path);
  let file: CliToml;
  try {
    file = CliToml.parse(original.toString('utf8'));
  } catch (error) {
    throw problem('bad-cli-toml', display, error);
  }
  const tokenProblem = file.tokenProblem();
  if (tokenProblem) throw new ToolError('no-token', `${display}: ${tokenProblem}`);
  let decoded;
  let before;
  try {
    decoded = decodeToken(file.token as string);
    before = identityClaims(decoded.payload);
  } catch (error) {
    throw problem('bad-token', display, `${error instanceof Error ? error.message : String(error)}; this token cannot be re-signed. Log in again or restore cli.toml from a backup.`);
  }
  if (before.hexIdentityProblem) throw new ToolError('bad-token', `${display}: ${before.hexIdentityProblem}. Nothing to preserve; log in again.`);
  const oldSignatureValid = await signatureValid(decoded, keys.publicKey);
  const { claims, droppedExp } = resignClaims(decoded.payload, Math.floor(at.getTime() / 1000));
  const payload = encodePayload(claims);
  if (!payload.alphabetSafe) {
    throw new ToolError(
      'payload-alphabet',
      `${display}: every encoding of this token's claims has - or _ in base64url, which spacetime login show cannot decode (it uses the standard alphabet). The claims cannot change without changing the identity, so nothing was written. Claims with characters such as > ? ~ cause this.`,
    );
  }
  const newToken = await signToken(payload.json, keys.privateKey);
  const after = identityClaims(decodeToken(newToken).payload);
  if (after.identity !== before.identity) {
    throw new ToolError('identity-changed', `${display}: re-signing would change the identity from ${before.identity} to ${after.identity}; nothing was written.`, EXIT_CHECK_FAILED);
  }
  let newText: string;
  try {
    newText = file.withToken(newToken);
  } catch (error) {
    throw problem('bad-cli-toml', display, error);
  }
  const signingFingerprint = fingerprintOfPublicKey(keys.publicKey);
  const serverKeyNotes: string[] = [];
  for (const server of file.serverConfigs()) {
    if (!server.ecdsaPublicKey) continue;
    let saved: string | undefined;
    try {
      saved = fingerprintOfPublicKey(createPublicKey(server.ecdsaPublicKey));
    } catch {
      saved = undefined;
    }
    if (saved === signingFingerprint) continue;
    const name = `${server.nickname ?? '(no nickname)'}${server.host ? ` (${server.host})` : ''}`;
    const which = saved && replacedFingerprints.includes(saved) ? 'the public key being rotated out' : 'a different public key than the signing key';
    serverKeyNotes.push(
      `${display} saves ${which} as ecdsa_public_key of server ${name}; once the server runs with the new key, spacetime server fingerprint ${server.nickname ?? '<server>'} reports "Fingerprint has changed": confirm the new fingerprint there.`,
    );
  }
  return {
    path,
    display,
    original,
    newText,
    identityBefore: before.identity,
    identityAfter: after.identity,
    oldSignatureValid,
    droppedExp,
    quoting: file.tokenQuoting,
    iss: before.iss,
    sub: before.sub,
    serverKeyNotes,
    mode: stat.mode & 0o7777,
    owner: { uid: stat.uid, gid: stat.gid },
  };
}

/** Writes the re-signed cli.toml atomically, keeping its mode and owner. */
export function applyResign(prepared: PreparedResign, label: string): void {
  const current = readRequired(prepared.path, prepared.display, 'missing-cli-toml');
  if (!current.equals(prepared.original)) {
    throw new ToolError('cli-toml-changed', `${prepared.display}: changed while this run was working (another spacetime command?); run the tool again.`);
  }
  removeStaleTemps(dirname(prepared.path));
  writeFileAtomic(prepared.path, prepared.newText, { mode: prepared.mode, owner: prepared.owner, label });
}

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
