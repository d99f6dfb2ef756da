// Re-signing the token inside cli.toml: compute the new text (prepare), then write it (apply). Shared by
// the re-sign mode and the last step of a rotation.
//
// Every claim is kept (hex_identity, sub, iss, aud and any extra claim, in their order); iat is
// refreshed, a numeric exp is dropped (a null exp stays, as the server writes it). The identity depends
// only on iss and sub, so it is the same before and after; the run fails if it were not.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT_CHECK_FAILED, ToolError } from '../core/errors';
import { removeStaleTemps, writeFileAtomic, type Owner } from '../fs/atomic-write';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import { CliToml, CliTomlProblem } from '../token/cli-toml';
import { TokenProblem, decodeToken, encodePayload, identityClaims, resignClaims, signToken, signatureValid } from '../token/token';
import { readRequired } from './context';

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
