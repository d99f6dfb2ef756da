// Re-signing the token inside cli.toml: compute the new bytes (prepare), then write them (apply). Shared
// by the re-sign mode and the last step of a rotation.
//
// Only a token one of our servers issued is re-signed: it must be ES256 and verify against a trusted key
// (trusted-keys.ts). Anything else is refused, unless --resign-unverified-token is given, and then the
// report says loudly what was re-signed. Every claim is kept (hex_identity, sub, iss, aud and any extra
// claim, in their order); iat is refreshed, a numeric exp is dropped (a null exp stays, as the server
// writes it). The identity depends only on iss and sub, so it is the same before and after; the run
// fails if it were not. Every byte of cli.toml outside the token's string is written back as it was.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT_CHECK_FAILED, ToolError } from '../core/errors';
import { removeStaleTemps, writeFileAtomic, type Owner } from '../fs/atomic-write';
import { octal } from '../fs/permissions';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import { CliToml } from '../token/cli-toml';
import { decodeToken, encodePayload, headerProblem, identityClaims, resignClaims, signToken, signatureValid, type DecodedToken, type IdentityClaims } from '../token/token';
import { readRequired } from './context';
import { describeTrusted, type TrustedKey } from './trusted-keys';

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface TokenTrust {
  keys: readonly TrustedKey[];
  /** --resign-unverified-token: re-sign even a token no trusted key verifies (reported loudly). */
  allowUnverified: boolean;
}

export interface PreparedResign {
  path: string;
  display: string;
  original: Buffer;
  newBytes: Buffer;
  identityBefore: string;
  identityAfter: string;
  /** The trusted key the old token verifies against; undefined when it was re-signed unverified. */
  signedBy: string | undefined;
  /** Why the old token was not verified (only with --resign-unverified-token). */
  unverified: string | undefined;
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
  return new ToolError(reason, `${display}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Reads cli.toml (a regular file other users cannot write) and finds its token. */
function readCliToml(path: string, display: string): { original: Buffer; file: CliToml; mode: number; owner: Owner } {
  const original = readRequired(path, display, 'missing-cli-toml', 'Pass --publisher-cli-toml-path, or --no-preserve-publisher-token to leave the token alone.', 'cliToml');
  const stat = statSync(path);
  if (stat.mode & 0o022) {
    throw new ToolError('permissions', `${display}: mode ${octal(stat.mode)} lets other users rewrite the token; fix: chmod go-w ${display} (and check who changed it). Nothing was changed.`);
  }
  let file: CliToml;
  try {
    file = CliToml.fromBytes(original);
  } catch (error) {
    throw problem('bad-cli-toml', display, error);
  }
  const tokenProblem = file.tokenProblem();
  if (tokenProblem) throw new ToolError('no-token', `${display}: ${tokenProblem}`);
  return { original, file, mode: stat.mode & 0o7777, owner: { uid: stat.uid, gid: stat.gid } };
}

/** The trusted key that verifies the token, or why none does (then refused unless overridden). */
async function establishTrust(decoded: DecodedToken, display: string, trust: TokenTrust): Promise<{ signedBy?: string; unverified?: string }> {
  const header = headerProblem(decoded.header);
  if (!header) {
    for (const key of trust.keys) if (await signatureValid(decoded, key.key)) return { signedBy: key.label };
  }
  const why = header ? `${header}; SpacetimeDB issues only ES256 tokens` : `its signature verifies against none of the keys this tool trusts (${describeTrusted(trust.keys)})`;
  if (trust.allowUnverified) return { unverified: header ?? 'signed by a key this tool does not trust' };
  throw new ToolError(
    'untrusted-token',
    `${display}: the token was not issued by a server of yours: ${why}. Re-signing it would turn it into a valid token for its iss and sub, so nothing was changed. If it was signed on another host (a data move), pass that host's public key with --trusted-public-key FILE; if you know where it comes from, --resign-unverified-token re-signs it anyway; or log in again.`,
  );
}

function serverKeyNotes(file: CliToml, display: string, signing: KeyObject, replacedFingerprints: readonly string[]): string[] {
  const signingFingerprint = fingerprintOfPublicKey(signing);
  const notes: string[] = [];
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
    notes.push(
      `${display} saves ${which} as ecdsa_public_key of server ${name}; once the server runs with the new key, spacetime server fingerprint ${server.nickname ?? '<server>'} reports "Fingerprint has changed": confirm the new fingerprint there.`,
    );
  }
  return notes;
}

/** Signs the re-signed claims; refuses encodings the CLI cannot read and any change of identity. */
async function signClaims(decoded: DecodedToken, before: IdentityClaims, display: string, keys: SigningKeys, at: Date) {
  const { claims, droppedExp } = resignClaims(decoded.payload, Math.floor(at.getTime() / 1000));
  const payload = encodePayload(claims);
  if (!payload.alphabetSafe) {
    throw new ToolError(
      'payload-alphabet',
      `${display}: every encoding of this token's claims has - or _ in base64url, which spacetime login show cannot decode (it uses the standard alphabet). The claims cannot change without changing the identity, so nothing was written. Claims with characters such as > ? ~ cause this.`,
    );
  }
  const token = await signToken(payload.json, keys.privateKey);
  const after = identityClaims(decodeToken(token).payload);
  if (after.identity !== before.identity) {
    throw new ToolError('identity-changed', `${display}: re-signing would change the identity from ${before.identity} to ${after.identity}; nothing was written.`, EXIT_CHECK_FAILED);
  }
  return { token, droppedExp, identityAfter: after.identity };
}

/**
 * Reads cli.toml and computes its re-signed bytes; writes nothing. Throws a ToolError naming the file
 * for every input problem. `replacedFingerprints` are the keys being rotated out, to recognise a
 * saved ecdsa_public_key of this server.
 */
export async function prepareResign(path: string, display: string, keys: SigningKeys, at: Date, trust: TokenTrust, replacedFingerprints: readonly string[] = []): Promise<PreparedResign> {
  const { original, file, mode, owner } = readCliToml(path, display);
  let decoded: DecodedToken;
  let before: IdentityClaims;
  try {
    decoded = decodeToken(file.token as string);
    before = identityClaims(decoded.payload);
  } catch (error) {
    throw problem('bad-token', display, `${error instanceof Error ? error.message : String(error)}; this token cannot be re-signed. Log in again or restore cli.toml from a backup.`);
  }
  if (before.hexIdentityProblem) throw new ToolError('bad-token', `${display}: ${before.hexIdentityProblem}. Nothing to preserve; log in again.`);
  const { signedBy, unverified } = await establishTrust(decoded, display, trust);
  const signed = await signClaims(decoded, before, display, keys, at);
  let newBytes: Buffer;
  try {
    newBytes = file.withTokenBytes(signed.token);
  } catch (error) {
    throw problem('bad-cli-toml', display, error);
  }
  return {
    path,
    display,
    original,
    newBytes,
    identityBefore: before.identity,
    identityAfter: signed.identityAfter,
    signedBy,
    unverified,
    droppedExp: signed.droppedExp,
    quoting: file.tokenQuoting,
    iss: before.iss,
    sub: before.sub,
    serverKeyNotes: serverKeyNotes(file, display, keys.publicKey, replacedFingerprints),
    mode,
    owner,
  };
}

/** The loud line a report carries when a token was re-signed without a trusted key verifying it. */
export function unverifiedWarning(prepared: PreparedResign): string | undefined {
  if (!prepared.unverified) return undefined;
  return `UNVERIFIED TOKEN RE-SIGNED: ${prepared.display} held a token no trusted key verifies (${prepared.unverified}); --resign-unverified-token made it a valid token for iss=${prepared.iss} sub=${prepared.sub}, identity ${prepared.identityAfter}. Make sure you know where it came from.`;
}

/** Writes the re-signed cli.toml atomically, keeping its mode (never writable by others) and owner. */
export function applyResign(prepared: PreparedResign, label: string): void {
  const current = readRequired(prepared.path, prepared.display, 'missing-cli-toml', '', 'cliToml');
  if (!current.equals(prepared.original)) {
    throw new ToolError('cli-toml-changed', `${prepared.display}: changed while this run was working (another spacetime command?); run the tool again.`);
  }
  removeStaleTemps(dirname(prepared.path));
  writeFileAtomic(prepared.path, prepared.newBytes, { mode: prepared.mode & ~0o022, owner: prepared.owner, label });
}
